"""Every decision one commission member recorded alone (the one-member
« Statuer » of the proposal page, before the commission had sessions) becomes
a decided item of a closed session, so that a proposal's decisions are all
read in one place. One session per day of decision (the portal's time zone),
convened and closed by the member who decided; its figures were never
recorded, so they stay empty (AgendaItem.Source.LEGACY).

The journal is left as it was: these events stay the record of who decided
and when. A decision a session already records (an event written by
session_close) is left alone. The reverse deletes the sessions made here.
"""

from collections import defaultdict

from django.conf import settings
from django.db import migrations
from django.utils import timezone

# The place of the sessions made here, which also tells them apart.
LEGACY_PLACE = "Décisions antérieures aux séances"
# Stored text is in the portal's language (French), as the services write it;
# written out here rather than through gettext so that the migration gives the
# same text whatever the catalogs hold the day it runs.
LEGACY_RULE = (
    "Décision enregistrée par un seul membre de la commission, avant que la "
    "commission ne tienne des séances\u00a0: les positions des organisations "
    "n’ont pas été recueillies et aucun décompte n’a été enregistré."
)
OUTCOMES = {
    "validate": "validated",
    "request_changes": "changes_requested",
    "reject": "rejected",
}


def _legacy_events(apps):
    """The one-member decisions no item records yet, oldest first. For each
    proposal and outcome, the latest events are those the items of sessions
    already record (sessions came after the one-member decisions)."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    AgendaItem = apps.get_model("commission", "AgendaItem")
    Proposal = apps.get_model("ateliers", "Proposal")
    proposal_type = ContentType.objects.filter(
        app_label="ateliers", model="proposal"
    ).first()
    if proposal_type is None:
        return []
    events = defaultdict(list)
    for event in AuditEvent.objects.filter(
        target_type=proposal_type, action__in=OUTCOMES
    ).order_by("created_at", "pk"):
        events[event.target_id, OUTCOMES[event.action]].append(event)
    recorded = defaultdict(int)
    for proposal_id, outcome in AgendaItem.objects.filter(
        proposal__isnull=False, outcome__in=OUTCOMES.values()
    ).values_list("proposal_id", "outcome"):
        recorded[proposal_id, outcome] += 1
    existing = set(
        Proposal.objects.filter(
            pk__in={proposal_id for proposal_id, _outcome in events}
        ).values_list("pk", flat=True)
    )
    legacy = []
    for key, decided in events.items():
        if key[0] in existing:
            legacy += decided[: max(0, len(decided) - recorded[key])]
    legacy.sort(key=lambda event: (event.created_at, event.pk))
    return legacy


def forwards(apps, schema_editor):
    CommissionSession = apps.get_model("commission", "CommissionSession")
    AgendaItem = apps.get_model("commission", "AgendaItem")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    events = _legacy_events(apps)
    if not events:
        return
    fallback = (
        User.objects.filter(is_superuser=True).order_by("pk").first()
        or User.objects.order_by("pk").first()
    )
    by_day = defaultdict(list)
    for event in events:
        by_day[timezone.localdate(event.created_at)].append(event)
    for day_events in by_day.values():
        # A proposal decided twice the same day (sent back, reworked and
        # validated) needs a second session: an item per proposal and session.
        sittings = []
        for event in day_events:
            for sitting in sittings:
                if event.target_id not in sitting:
                    break
            else:
                sitting = {}
                sittings.append(sitting)
            sitting[event.target_id] = event
        for sitting in sittings:
            decided = list(sitting.values())
            actors = [e.actor_id for e in decided if e.actor_id is not None]
            if not actors and fallback is None:
                continue
            first = actors[0] if actors else fallback.pk
            last = actors[-1] if actors else fallback.pk
            session = CommissionSession.objects.create(
                starts_at=decided[0].created_at,
                place=LEGACY_PLACE,
                status="closed",
                convened_by_id=first,
                closed_by_id=last,
                closed_at=decided[-1].created_at,
            )
            CommissionSession.objects.filter(pk=session.pk).update(
                created_at=decided[0].created_at, updated_at=decided[-1].created_at
            )
            AgendaItem.objects.bulk_create(
                AgendaItem(
                    session=session,
                    proposal_id=event.target_id,
                    outcome=OUTCOMES[event.action],
                    decided_from="legacy",
                    rule=LEGACY_RULE,
                    comments_sent=event.comment,
                )
                for event in decided
            )


def backwards(apps, schema_editor):
    CommissionSession = apps.get_model("commission", "CommissionSession")
    AgendaItem = apps.get_model("commission", "AgendaItem")
    legacy = AgendaItem.objects.filter(decided_from="legacy").values("session_id")
    CommissionSession.objects.filter(pk__in=legacy, place=LEGACY_PLACE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("commission", "0003_sessions"),
        ("ateliers", "0006_versioned_model"),
        ("audit", "0006_verbs_declared_by_the_apps"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
