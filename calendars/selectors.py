"""What each feed holds, as calendar events (cucs_portal/calendars.py), and
the addresses shown to their owners."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ateliers.models import Atelier, AtelierMembership, Session
from commission.models import CommissionSession
from cucs_portal.calendars import CalendarEvent, uid
from cucs_portal.mail import absolute_url
from people.rules import is_secretariat
from seminaire.calendar import calendar_event
from seminaire.models import Event

from .models import FeedSecret, feed_token

ATELIER, PERSON = FeedSecret.Kind.ATELIER, FeedSecret.Kind.PERSON


def _salts(kind: str, pks) -> dict[int, str]:
    owner = "atelier_id" if kind == ATELIER else "user_id"
    rows = FeedSecret.objects.filter(kind=kind, **{f"{owner}__in": list(pks)})
    return dict(rows.values_list(owner, "salt"))


def current_salt(kind: str, pk: int) -> str:
    """The salt of the feed's address: empty while it was never renewed."""
    return _salts(kind, [pk]).get(pk, "")


def feed_url(kind: str, pk: int, salt: str) -> str:
    name = "calendars:atelier_feed" if kind == ATELIER else "calendars:person_feed"
    token = feed_token(kind, pk, salt)
    return absolute_url(reverse(name, kwargs={"pk": pk, "token": token}))


def managed_ateliers(user):
    """The ateliers whose address ``user`` holds: those they co-animate, every
    one for the secretariat."""
    ateliers = Atelier.objects.select_related("axis")
    if is_secretariat(user):
        return ateliers
    return ateliers.filter(
        memberships__user=user,
        memberships__role__in=AtelierMembership.COANIMATOR_ROLES,
    ).distinct()


def addresses(user) -> dict:
    """The person's own address and those of the ateliers they hold, in two
    queries whatever the number of ateliers."""
    ateliers = list(managed_ateliers(user))
    salts = _salts(ATELIER, [a.pk for a in ateliers])
    return {
        "person_url": feed_url(PERSON, user.pk, current_salt(PERSON, user.pk)),
        "ateliers": [
            {"atelier": a, "url": feed_url(ATELIER, a.pk, salts.get(a.pk, ""))}
            for a in ateliers
        ],
    }


def atelier_section(*, atelier, user) -> dict | None:
    """The atelier's address on its page, for those who hold it."""
    if not user.has_perm("calendars.manage_atelier_feed", atelier):
        return None
    return {
        "atelier_calendar_url": feed_url(
            ATELIER, atelier.pk, current_salt(ATELIER, atelier.pk)
        )
    }


def _atelier_sessions(atelier_ids):
    return Session.objects.filter(atelier_id__in=atelier_ids).select_related("atelier")


def _session_event(session) -> CalendarEvent:
    atelier = session.atelier
    return CalendarEvent(
        uid=uid("atelier-session", session.pk),
        starts_at=session.starts_at,
        summary=_("Session of the atelier “%(atelier)s”") % {"atelier": atelier},
        location=session.place,
        description=session.agenda,
        url=absolute_url(atelier.get_absolute_url()),
    )


def _commission_event(session) -> CalendarEvent:
    return CalendarEvent(
        uid=uid("commission-session", session.pk),
        starts_at=session.starts_at,
        summary=_("CUCS commission session"),
        location=session.place,
        url=absolute_url(session.get_absolute_url()),
    )


def atelier_events(atelier) -> list[CalendarEvent]:
    return [_session_event(s) for s in _atelier_sessions([atelier.pk])]


def person_events(user) -> list[CalendarEvent]:
    """What ``user`` may read of the group's calendar: the sessions of their
    ateliers; the commission's sessions when they may read them (not a
    partner, unless a delegate or the secretariat: commission/rules.py); the
    seminars they are invited to (every one for the secretariat, who runs
    them)."""
    atelier_ids = AtelierMembership.objects.filter(user=user).values("atelier_id")
    events = [_session_event(s) for s in _atelier_sessions(atelier_ids)]
    if user.has_perm("commission.view_commissionsession"):
        events += [_commission_event(s) for s in CommissionSession.objects.all()]
    seminars = Event.objects.all()
    if not is_secretariat(user):
        seminars = seminars.filter(invitations__user=user).distinct()
    events += [calendar_event(e) for e in seminars]
    return sorted(events, key=lambda e: (e.starts_at, e.uid))
