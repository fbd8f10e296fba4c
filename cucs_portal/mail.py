"""Notification e-mails: French text from templates, one message per recipient
(nobody sees the others' addresses), sent once the transaction has committed so
that a rolled-back change never announces itself.

Each notification is of a kind (cucs_portal/notifications.py), and each person
chose, per kind, to get it at once (an e-mail, as ever), in the daily digest (a
``DigestItem`` stored in the same transaction, so a rolled-back change leaves
none; cucs_portal/digests.py sends them) or never."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from . import notifications
from .notifications import Delivery

logger = logging.getLogger(__name__)

# A digest item's text, cut: the digest lists events, the page tells the rest.
DIGEST_TEXT_MAX = 1_000


def absolute_url(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}"


def render(template: str, context: dict) -> tuple[str, str]:
    """The subject (on one line) and the body of ``template``, in French."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    return subject, body


def _link(context: dict) -> str:
    """The page the e-mail leads to: its ``url``, or its first ``…_url``."""
    if context.get("url"):
        return str(context["url"])
    return next((str(v) for k, v in context.items() if k.endswith("_url") and v), "")


def _digest_text(body: str, link: str) -> str:
    """The body without what the digest says once for all its events: the
    greeting, the signature and the link (listed on its own line)."""
    with translation.override(settings.LANGUAGE_CODE):
        frame = {
            str(translation.gettext("Hello,")),
            str(translation.gettext("Portail CUCS — AMO2SM")),
            link,
        }
    lines = [line.rstrip() for line in body.strip().splitlines()]
    kept = "\n".join(line for line in lines if line.strip() not in frame).strip()
    while "\n\n\n" in kept:
        kept = kept.replace("\n\n\n", "\n\n")
    if len(kept) > DIGEST_TEXT_MAX:
        kept = kept[: DIGEST_TEXT_MAX - 1] + "…"
    return kept


def notify(*, recipients, kind, template: str, context: dict) -> None:
    """Tell every active recipient with an address about an event of ``kind``
    (a NotificationKind) as each chose: ``template``'s subject and body
    (``<template>_subject.txt`` and ``<template>_body.txt``) sent after commit,
    or kept for their daily digest, or nothing."""
    from .models import DigestItem

    people = {user.pk: user for user in recipients if user.is_active and user.email}
    if not people:
        notifications.ensure_registered(kind)
        return
    chosen = notifications.deliveries(people.values(), kind)
    immediate = sorted(
        {people[pk].email for pk, how in chosen.items() if how == Delivery.IMMEDIATE}
    )
    digest = [pk for pk, how in chosen.items() if how == Delivery.DIGEST]
    if digest:
        subject, body = render(template, context)
        link = _link(context)
        text = _digest_text(body, link)
        # The digest lists the events under its own « [Portail CUCS] » subject.
        if subject.startswith("[") and "] " in subject:
            subject = subject.partition("] ")[2]
        DigestItem.objects.bulk_create(
            DigestItem(
                user_id=pk,
                kind=str(kind),
                subject=subject[:255],
                text=text,
                url=link[:500],
            )
            for pk in sorted(digest)
        )
    if not immediate:
        return

    def send():
        subject, body = render(template, context)
        messages = [
            EmailMessage(subject=subject, body=body, to=[address])
            for address in immediate
        ]
        try:
            get_connection().send_messages(messages)
        except OSError:
            # A mail server being down must not undo the decision it announces.
            logger.exception("Could not send %s to %d people", template, len(messages))

    transaction.on_commit(send)
