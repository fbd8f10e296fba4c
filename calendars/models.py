"""The secret addresses of the calendar feeds.

A feed's address carries a token: an HMAC (with the SECRET_KEY) of the feed's
owner and of a random ``salt``. Nothing stored reveals it, as with Django's
password reset tokens: the database holds the salt, never the token, and the
view recomputes the token and compares it in constant time. Renewing draws a
new salt: the old address stops working (404). A feed whose address was never
renewed has no row (an empty salt), so that showing an address writes nothing.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

KEY_SALT = "calendars.feed"


def new_salt() -> str:
    return secrets.token_urlsafe(32)


def feed_token(kind: str, pk: int, salt: str) -> str:
    """The token of the address of ``kind`` ("atelier" or "person") ``pk``."""
    return salted_hmac(KEY_SALT, f"{kind}:{pk}:{salt}", algorithm="sha256").hexdigest()[
        :40
    ]


def token_matches(kind: str, pk: int, salt: str, token: str) -> bool:
    return constant_time_compare(feed_token(kind, pk, salt), token)


class FeedSecret(models.Model):
    """The current salt of one feed: an atelier's or a person's."""

    class Kind(models.TextChoices):
        ATELIER = "atelier", _("Atelier")
        PERSON = "person", _("Person")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    atelier = models.OneToOneField(
        "ateliers.Atelier",
        verbose_name=_("atelier"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    salt = models.CharField(_("salt"), max_length=64, default=new_salt)
    renewed_at = models.DateTimeField(_("renewed at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="atelier", atelier__isnull=False, user__isnull=True)
                | Q(kind="person", user__isnull=False, atelier__isnull=True),
                name="feedsecret_one_owner",
            ),
        ]

    def __str__(self):
        return str(self.atelier or self.user)

    @property
    def owner_pk(self) -> int:
        return self.atelier_id if self.kind == self.Kind.ATELIER else self.user_id
