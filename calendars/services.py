"""Renewing a calendar address: a new salt, so a new token, the old address
answering 404 from then on."""

from django.db import transaction

from audit.models import AuditEvent

from .models import FeedSecret, new_salt
from .verbs import CalendarsVerb


@transaction.atomic
def feed_renew(*, kind: str, owner, acting_user) -> FeedSecret:
    """Renew the address of ``owner``'s feed (an atelier or a person)."""
    field = "atelier" if kind == FeedSecret.Kind.ATELIER else "user"
    # A feed never renewed has no row: its first renewal creates it, with a
    # new salt (get_or_create copes with two first renewals at once).
    secret, created = FeedSecret.objects.select_for_update().get_or_create(
        kind=kind, **{field: owner}
    )
    if not created:
        secret.salt = new_salt()
        secret.save(update_fields=["salt", "renewed_at"])
    AuditEvent.record(actor=acting_user, target=secret, action=CalendarsVerb.FEED_RENEW)
    return secret
