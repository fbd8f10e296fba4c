"""The calendar feeds and the seminar invitation's attachment, read back with
icalendar as a calendar application would."""

import datetime
import zoneinfo
from types import SimpleNamespace

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskContext

from audit.models import AuditEvent
from calendars import selectors, services
from calendars.models import FeedSecret, feed_token
from commission.models import CommissionSession
from seminaire import services as seminaire_services
from seminaire.calendar import invitation_ics
from seminaire.tasks import _message, deliver_emails
from tests import factories as f
from tests.seminaire.factories import EventFactory, InvitationFactory

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
ATELIER, PERSON = FeedSecret.Kind.ATELIER, FeedSecret.Kind.PERSON
SEMINAR_START = datetime.datetime(2007, 5, 10, 14, tzinfo=PARIS)


def address(kind, pk):
    return selectors.feed_url(kind, pk, selectors.current_salt(kind, pk))


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events(calendar) -> dict:
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def assert_paris(calendar) -> None:
    zones = calendar.walk("VTIMEZONE")
    assert [str(z["tzid"]) for z in zones] == ["Europe/Paris"]
    for event in calendar.walk("VEVENT"):
        assert event["dtstart"].params["TZID"] == "Europe/Paris"
        assert event["dtstamp"].dt.utcoffset() == datetime.timedelta(0)


@pytest.fixture
def atelier():
    return f.AtelierFactory(name="Tranquillité résidentielle")


@pytest.fixture
def coanimator(atelier):
    person = f.UserFactory()
    f.AtelierMembershipFactory(atelier=atelier, user=person, landlord_referent=True)
    return person


def test_an_atelier_feed_opens_without_signing_in_in_paris_time(client, atelier):
    """The atelier's sessions, at their secret address, for a calendar that is
    not signed in: in Europe/Paris with its VTIMEZONE, winter and summer
    times right, the text escaped by the library, a stable UID each."""
    winter = f.SessionFactory(
        atelier=atelier,
        starts_at=datetime.datetime(2007, 2, 1, 14, tzinfo=PARIS),
        place="Salle 2, 10 rue de la Paix; Saint-Étienne",
        agenda="Ordre du jour : enjeux, propositions\nDeuxième ligne",
    )
    summer = f.SessionFactory(atelier=atelier, starts_at=SEMINAR_START)

    response = client.get(address(ATELIER, atelier.pk))

    assert response["Content-Disposition"] == (
        'inline; filename="atelier-tranquillite-residentielle.ics"'
    )
    assert b"Salle 2\\, 10 rue de la Paix\\; Saint-" in response.content
    calendar = parse(response)
    assert_paris(calendar)
    found = events(calendar)
    assert set(found) == {
        f"atelier-session-{winter.pk}@127.0.0.1",
        f"atelier-session-{summer.pk}@127.0.0.1",
    }
    first = found[f"atelier-session-{winter.pk}@127.0.0.1"]
    assert first["dtstart"].dt.astimezone(datetime.UTC).hour == 13
    assert str(first["location"]) == "Salle 2, 10 rue de la Paix; Saint-Étienne"
    assert str(first["description"]).endswith("propositions\nDeuxième ligne")
    assert str(first["summary"]) == (
        _("Session of the atelier “%(atelier)s”") % {"atelier": atelier}
    )
    second = found[f"atelier-session-{summer.pk}@127.0.0.1"]
    assert second["dtstart"].dt.astimezone(datetime.UTC) == datetime.datetime(
        2007, 5, 10, 12, tzinfo=datetime.UTC
    )
    # The same UIDs on the next read.
    assert set(events(parse(client.get(address(ATELIER, atelier.pk))))) == set(found)


@pytest.mark.parametrize("change", ["wrong", "short", "other atelier"])
def test_a_wrong_token_is_a_404(client, atelier, change):
    """A token that is not the feed's, cut short, or another atelier's: 404."""
    other = f.AtelierFactory()
    token = feed_token(ATELIER, atelier.pk, "")
    pk = atelier.pk
    if change == "wrong":
        token = "0" * len(token)
    elif change == "short":
        token = token[:20]
    else:
        pk = other.pk
    url = reverse("calendars:atelier_feed", kwargs={"pk": pk, "token": token})

    assert client.get(url).status_code == 404


def test_renewing_an_atelier_address_makes_the_old_one_a_404(
    client, atelier, coanimator
):
    """A co-animator renews the address, audited: the old one answers 404,
    the new one the feed."""
    old = address(ATELIER, atelier.pk)
    client.force_login(coanimator)

    response = client.post(
        reverse("calendars:renew_atelier", kwargs={"pk": atelier.pk})
    )

    assert response.status_code == 302
    new = address(ATELIER, atelier.pk)
    assert new != old
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    secret = FeedSecret.objects.get(atelier=atelier)
    assert AuditEvent.for_object(secret).get().action == "calendar_renew"
    # Renewed again: the second address goes the same way.
    services.feed_renew(kind=ATELIER, owner=atelier, acting_user=coanimator)
    assert client.get(new).status_code == 404


def test_a_volunteer_cannot_renew_the_atelier_address(client, atelier):
    """Only the co-animators and the secretariat hold the atelier's address."""
    volunteer = f.UserFactory()
    f.AtelierMembershipFactory(atelier=atelier, user=volunteer)
    old = address(ATELIER, atelier.pk)
    client.force_login(volunteer)

    response = client.post(
        reverse("calendars:renew_atelier", kwargs={"pk": atelier.pk})
    )

    assert response.status_code == 403
    assert address(ATELIER, atelier.pk) == old
    assert not FeedSecret.objects.exists()


def test_renewing_ones_own_address_leaves_the_others(client, coanimator):
    """The person renews their own address; another person's stays."""
    other = f.UserFactory()
    theirs = address(PERSON, other.pk)
    mine = address(PERSON, coanimator.pk)
    client.force_login(coanimator)

    client.post(reverse("calendars:renew_person"))

    assert address(PERSON, other.pk) == theirs
    client.logout()
    assert client.get(mine).status_code == 404
    assert client.get(address(PERSON, coanimator.pk)).status_code == 200
    assert client.get(theirs).status_code == 200


def test_a_deactivated_persons_feed_is_a_404(client):
    person = f.UserFactory(is_active=False)

    assert client.get(address(PERSON, person.pk)).status_code == 404


@pytest.fixture
def calendar_world(atelier, coanimator):
    """A session of the atelier and of another, a commission session, a
    seminar on 10 May 2007 at 14:00 and another."""
    secretariat = f.UserFactory(secretariat=True)
    return SimpleNamespace(
        ours=f.SessionFactory(atelier=atelier),
        theirs=f.SessionFactory(),
        commission=CommissionSession.objects.create(
            starts_at=timezone.now(), place="Hôtel de ville", convened_by=secretariat
        ),
        seminar=EventFactory(
            title="Séminaire du référentiel",
            starts_at=SEMINAR_START,
            ends_at=SEMINAR_START + datetime.timedelta(hours=3),
            address="Rue Fernand Léger",
            created_by=secretariat,
        ),
        other_seminar=EventFactory(created_by=secretariat),
        secretariat=secretariat,
    )


def person_uids(client, person) -> set[str]:
    calendar = parse(client.get(address(PERSON, person.pk)))
    assert_paris(calendar)
    return {uid.split("@")[0] for uid in events(calendar)}


def test_a_members_feed_holds_their_ateliers_the_commission_and_their_seminar(
    client, calendar_world, coanimator
):
    w = calendar_world
    InvitationFactory(event=w.seminar, user=coanimator)

    assert person_uids(client, coanimator) == {
        f"atelier-session-{w.ours.pk}",
        f"commission-session-{w.commission.pk}",
        f"seminar-{w.seminar.pk}",
    }


def test_a_partners_feed_holds_the_seminar_not_the_working_groups_sessions(
    client, calendar_world
):
    """A partner reads neither the commission's sessions nor the ateliers'
    they do not belong to (commission/rules.py): only the seminar they are
    invited to, at 12:00 UTC in May."""
    w = calendar_world
    partner = f.UserFactory(is_partner=True)
    InvitationFactory(event=w.seminar, user=partner)

    assert person_uids(client, partner) == {f"seminar-{w.seminar.pk}"}
    calendar = parse(client.get(address(PERSON, partner.pk)))
    (seminar,) = calendar.walk("VEVENT")
    assert seminar["dtstart"].dt.astimezone(datetime.UTC) == datetime.datetime(
        2007, 5, 10, 12, tzinfo=datetime.UTC
    )
    assert str(seminar["location"]) == (
        "Musée d’art moderne de Saint-Étienne, Rue Fernand Léger"
    )


def test_the_secretariats_feed_holds_every_seminar(client, calendar_world):
    w = calendar_world

    assert person_uids(client, w.secretariat) == {
        f"commission-session-{w.commission.pk}",
        f"seminar-{w.seminar.pk}",
        f"seminar-{w.other_seminar.pk}",
    }


def test_the_feeds_queries_do_not_grow_with_their_sessions(client, atelier, coanimator):
    """Guards against a query per session (its atelier) or per seminar: the
    same count for 3 and for 30 of each."""

    def grow(n):
        for _i in range(n):
            f.SessionFactory(atelier=atelier)
            session = EventFactory()
            InvitationFactory(event=session, user=coanimator)
            CommissionSession.objects.create(
                starts_at=timezone.now(), place="Mairie", convened_by=coanimator
            )

    counts = []
    for n in (3, 27):
        grow(n)
        for url in (address(ATELIER, atelier.pk), address(PERSON, coanimator.pk)):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured.captured_queries))
    assert counts[:2] == counts[2:]
    assert counts[:2] == [3, 5]


def test_my_calendars_page_shows_the_addresses(client, atelier, coanimator):
    """The person's address and the atelier's they co-animate, each with its
    « Copier » and « Renouveler l’adresse » (a POST with its CSRF token)."""
    client.force_login(coanimator)

    response = client.get(reverse("calendars:mine"))

    page = response.content.decode()
    assert address(PERSON, coanimator.pk) in page
    assert address(ATELIER, atelier.pk) in page
    assert page.count(_("Renew the address")) == 2
    assert _("Copy") in page
    assert page.count("csrfmiddlewaretoken") >= 2


@pytest.mark.parametrize("holder", [True, False])
def test_the_atelier_page_shows_its_address_to_its_coanimators_only(
    client, atelier, coanimator, holder
):
    """A co-animator finds the address on the atelier's page, and renews it
    there, back to the page; a volunteer does not see it."""
    person = coanimator
    if not holder:
        person = f.UserFactory()
        f.AtelierMembershipFactory(atelier=atelier, user=person)
    client.force_login(person)

    page = client.get(atelier.get_absolute_url()).content.decode()

    url = address(ATELIER, atelier.pk)
    assert (url in page) is holder
    assert (reverse("calendars:renew_atelier", kwargs={"pk": atelier.pk}) in page) is (
        holder
    )
    if holder:
        response = client.post(
            reverse("calendars:renew_atelier", kwargs={"pk": atelier.pk}),
            {"back": "atelier"},
        )
        assert response.url == atelier.get_absolute_url()
        assert address(ATELIER, atelier.pk) != url


def deliver(*args):
    context = TaskContext(task_result=SimpleNamespace(id="task-in-test"))
    return deliver_emails.call(context, *args)


@override_settings(DEFAULT_FROM_EMAIL="Secrétariat AMO2SM <secretariat@amo2sm.test>")
def test_the_seminar_invitation_carries_a_meeting_request(
    django_capture_on_commit_callbacks,
):
    """The invitation e-mail carries an .ics: METHOD:REQUEST, organised by the
    secretariat's address, the guest as attendee, 10 May at 14:00 in Paris
    (12:00 UTC, summer time), the same UID as in the feeds. (Next year's 10
    May: invitations to a past seminar are no longer sent.)"""
    secretariat = f.UserFactory(secretariat=True)
    starts = SEMINAR_START.replace(year=timezone.now().year + 1)
    seminar = EventFactory(starts_at=starts, created_by=secretariat)
    guest = InvitationFactory(
        event=seminar, full_name="Élise Martin", email="elise@example.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        seminaire_services.invitations_send(user=secretariat, event=seminar)
    deliver("invitation", [guest.pk])

    (message,) = mail.outbox
    (attachment,) = message.attachments
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert attachment.get_filename() == "invitation.ics"
    calendar = icalendar.Calendar.from_ical(attachment.get_payload(decode=True))
    assert str(calendar["method"]) == "REQUEST"
    assert_paris(calendar)
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"seminar-{seminar.pk}@127.0.0.1"
    assert event["dtstart"].dt.astimezone(datetime.UTC) == datetime.datetime(
        starts.year, 5, 10, 12, tzinfo=datetime.UTC
    )
    assert str(event["organizer"]) == "mailto:secretariat@amo2sm.test"
    assert event["organizer"].params["CN"] == "Secrétariat AMO2SM"
    assert str(event["attendee"]) == "mailto:elise@example.org"
    assert event["attendee"].params["CN"] == "Élise Martin"
    # A reminder carries none: the guest already has the event.
    mail.outbox.clear()
    guest.refresh_from_db()
    assert "invitation.ics" not in str(_message(guest, "reminder").message())


def test_the_meeting_request_of_the_10_may_2007_seminar_is_at_noon_utc():
    """The attachment alone, for the seminar of 10 May 2007 at 14:00 (summer
    time in Paris): 12:00 UTC, with the Europe/Paris VTIMEZONE."""
    seminar = EventFactory(starts_at=SEMINAR_START)
    guest = InvitationFactory(event=seminar)

    calendar = icalendar.Calendar.from_ical(invitation_ics(guest))

    assert_paris(calendar)
    (event,) = calendar.walk("VEVENT")
    assert event["dtstart"].dt == SEMINAR_START
    assert event["dtstart"].dt.astimezone(datetime.UTC).hour == 12
    assert event["dtend"].dt - event["dtstart"].dt == datetime.timedelta(hours=2)
