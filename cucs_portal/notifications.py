"""The kinds of notification, declared by the apps that send them, and each
person's choice for each kind: at once, in the daily digest, or never.

Each app lists its kinds in its own ``<app>/notifications.py``::

    from django.utils.translation import gettext_lazy as _

    from cucs_portal.notifications import NotificationKind

    PROPOSAL_DECIDED = NotificationKind(
        "proposal_decided",
        _("The commission decided on a proposal"),
        concerns=_("Its authors and the co-animators of its atelier"),
    )
    NOTIFICATION_KINDS = [PROPOSAL_DECIDED]

and sends them with ``cucs_portal.mail.notify(kind=PROPOSAL_DECIDED, ...)``.
The registry reads every installed app's ``NOTIFICATION_KINDS`` the first time
it is asked (as the admin finds ``admin.py``; the kernel imports no app by
name), so « Mes notifications » lists every kind in every process. A kind's
value is what the preferences store: it never changes once used, and it
belongs to one app only.

Nobody has to choose: a person without a stored choice for a kind gets it at
once, as before preferences existed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

# NotificationPreference.kind's max_length.
MAX_LENGTH = 40


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately, one e-mail each time")
    DIGEST = "digest", _("In the daily digest")
    NEVER = "never", _("Never")


DEFAULT_DELIVERY = Delivery.IMMEDIATE


@dataclass(frozen=True)
class NotificationKind:
    """A kind of event people are told about: its stored value, its label
    (« La commission a décidé d’une proposition ») and whom it concerns."""

    value: str
    label: str
    concerns: str = ""

    def __str__(self):
        return self.value


@dataclass(frozen=True)
class KindGroup:
    """The kinds of one app, under the app's name, for « Mes notifications »."""

    app: AppConfig
    kinds: tuple[NotificationKind, ...]


@functools.cache
def groups() -> tuple[KindGroup, ...]:
    """Every app's kinds, app by app in the order of INSTALLED_APPS, each in
    the order its app lists them."""
    found, owners = [], {}
    for config in apps.get_app_configs():
        name = f"{config.name}.notifications"
        if config.name == __package__ or find_spec(name) is None:
            continue
        kinds = tuple(getattr(import_module(name), "NOTIFICATION_KINDS", ()))
        for kind in kinds:
            if kind.value in owners:
                raise ImproperlyConfigured(
                    f"The notification kind {kind.value!r} of {config.label} is "
                    f"already declared by {owners[kind.value]}."
                )
            if len(kind.value) > MAX_LENGTH:
                raise ImproperlyConfigured(
                    f"The notification kind {kind.value!r} is longer than "
                    f"{MAX_LENGTH} characters."
                )
            owners[kind.value] = config.label
        if kinds:
            found.append(KindGroup(app=config, kinds=kinds))
    return tuple(found)


def kinds() -> dict[str, NotificationKind]:
    """Every declared kind, by value."""
    return {kind.value: kind for group in groups() for kind in group.kinds}


def ensure_registered(kind) -> str:
    """The value of ``kind`` (a NotificationKind or its value); refused when no
    app declared it: a programming error, not a person's."""
    value = str(kind)
    if value not in kinds():
        raise ValueError(
            f"{value!r} is not a notification kind: add it to NOTIFICATION_KINDS "
            f"in the notifications.py of the app that sends it."
        )
    return value


def deliveries(users, kind) -> dict[int, str]:
    """Each of ``users``' choice for ``kind``, by user id (one query)."""
    from .models import NotificationPreference

    value = ensure_registered(kind)
    ids = [user.pk for user in users]
    stored = dict(
        NotificationPreference.objects.filter(user_id__in=ids, kind=value).values_list(
            "user_id", "delivery"
        )
    )
    return {pk: stored.get(pk, DEFAULT_DELIVERY) for pk in ids}


def preferences_of(user) -> dict[str, str]:
    """``user``'s choice for every declared kind, by kind (one query)."""
    from .models import NotificationPreference

    stored = dict(
        NotificationPreference.objects.filter(user=user).values_list("kind", "delivery")
    )
    return {value: stored.get(value, DEFAULT_DELIVERY) for value in kinds()}


def preferences_set(*, user, choices: dict[str, str]) -> int:
    """Store ``user``'s choices (kind → delivery); a kind left out keeps its
    choice. Returns how many changed. Only a choice other than the default is
    kept as a row: a kind added later reaches everyone at once."""
    from django.db import transaction

    from .models import NotificationPreference

    for value, delivery in choices.items():
        ensure_registered(value)
        if delivery not in Delivery.values:
            raise ValueError(delivery)
    with transaction.atomic():
        before = preferences_of(user)
        changed = {
            value: delivery
            for value, delivery in choices.items()
            if before[value] != delivery
        }
        NotificationPreference.objects.filter(user=user, kind__in=changed).delete()
        NotificationPreference.objects.bulk_create(
            NotificationPreference(user=user, kind=value, delivery=delivery)
            for value, delivery in changed.items()
            if delivery != DEFAULT_DELIVERY
        )
    return len(changed)
