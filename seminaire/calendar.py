"""The seminar as a calendar event: in the invitation's attachment and in the
guests' feeds (calendars app), with the same UID, so that a calendar holding
both shows it once."""

from django.conf import settings

from cucs_portal.calendars import CalendarEvent, calendar_bytes, uid
from cucs_portal.mail import absolute_url

from .models import Event, Invitation


def calendar_event(event: Event) -> CalendarEvent:
    return CalendarEvent(
        uid=uid("seminar", event.pk),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=event.title,
        location=", ".join(part for part in (event.place, event.address) if part),
        description=event.description,
        url=absolute_url(event.get_absolute_url()),
    )


def invitation_ics(invitation: Invitation) -> bytes:
    """The invitation as a meeting request (METHOD:REQUEST) from the
    secretariat's address to the guest."""
    return calendar_bytes(
        [calendar_event(invitation.event)],
        name=invitation.event.title,
        method="REQUEST",
        organizer=settings.DEFAULT_FROM_EMAIL,
        attendee=(invitation.full_name, invitation.email),
    )
