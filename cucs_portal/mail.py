"""Notification e-mails: French text from templates, one message per recipient
(nobody sees the others' addresses), sent once the transaction has committed so
that a rolled-back change never announces itself."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}"


def notify(*, recipients, template: str, context: dict) -> None:
    """Send ``template``'s subject and body (``<template>_subject.txt`` and
    ``<template>_body.txt``) to every recipient with an address, after commit."""
    addresses = sorted({user.email for user in recipients if user.email})
    if not addresses:
        return

    def send():
        with translation.override(settings.LANGUAGE_CODE):
            subject = " ".join(
                render_to_string(f"{template}_subject.txt", context).split()
            )
            body = render_to_string(f"{template}_body.txt", context)
        messages = [
            EmailMessage(subject=subject, body=body, to=[address])
            for address in addresses
        ]
        try:
            get_connection().send_messages(messages)
        except OSError:
            # A mail server being down must not undo the decision it announces.
            logger.exception("Could not send %s to %d people", template, len(messages))

    transaction.on_commit(send)
