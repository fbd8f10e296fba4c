"""iCalendar documents (RFC 5545), written once for every app: the feeds of the
calendars app and the seminar invitation's attachment.

Times are given in the portal's time zone (Europe/Paris) with its VTIMEZONE,
so that a calendar that does not know the zone still places 10 May 2007 at
14:00 in Saint-Étienne at 12:00 UTC. The text properties are escaped by
icalendar.
"""

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//AMO2SM//Portail CUCS//FR"
# An event with no end: the length calendars show for a meeting.
DEFAULT_LENGTH = datetime.timedelta(hours=2)


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    starts_at: datetime.datetime
    summary: str
    location: str = ""
    description: str = ""
    ends_at: datetime.datetime | None = None
    url: str = ""


def uid(kind: str, pk: int) -> str:
    """A stable identifier: the same event keeps it in every feed and mail."""
    domain = settings.PORTAL_BASE_URL.split("://")[-1].split("/")[0].split(":")[0]
    return f"{kind}-{pk}@{domain or 'portail-cucs'}"


def calendar_bytes(
    events: Iterable[CalendarEvent],
    *,
    name: str,
    method: str = "",
    organizer: str = "",
    attendee: tuple[str, str] | None = None,
) -> bytes:
    """The calendar of ``events`` as UTF-8 bytes. With ``method`` ("REQUEST"),
    each event names ``organizer`` (an address) and ``attendee`` (name,
    address): an invitation a mail client offers to accept."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    if method:
        calendar.add("method", method)
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    events = list(events)
    for item in events:
        event = Event()
        starts = item.starts_at.astimezone(zone).replace(microsecond=0)
        ends = (item.ends_at or item.starts_at + DEFAULT_LENGTH).astimezone(zone)
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", starts)
        event.add("dtend", ends.replace(microsecond=0))
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        if organizer:
            address = vCalAddress(f"mailto:{_address(organizer)}")
            address.params["cn"] = vText(_display_name(organizer))
            event.add("organizer", address)
        if attendee:
            guest_name, guest_address = attendee
            guest = vCalAddress(f"mailto:{guest_address}")
            guest.params["cn"] = vText(guest_name)
            guest.params["role"] = vText("REQ-PARTICIPANT")
            guest.params["partstat"] = vText("NEEDS-ACTION")
            guest.params["rsvp"] = vText("FALSE")
            event.add("attendee", guest)
        if method:
            event.add("sequence", 0)
            event.add("status", "CONFIRMED")
        calendar.add_component(event)
    # The zone's rules over the years of the events only, not 1970–2038.
    years = [e.starts_at.astimezone(zone).year for e in events] or [stamp.year]
    calendar.add_missing_timezones(
        first_date=datetime.date(min(years), 1, 1),
        last_date=datetime.date(max(years) + 2, 1, 1),
    )
    return calendar.to_ical()


def _address(value: str) -> str:
    """``Portail CUCS <x@y>`` → ``x@y``."""
    return parseaddr(value)[1] or value


def _display_name(value: str) -> str:
    return parseaddr(value)[0] or _address(value)
