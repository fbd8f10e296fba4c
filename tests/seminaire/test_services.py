"""The seminar's services: inviting, sending, reminding, replying."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from audit.models import AuditEvent
from people.models import Organisation
from seminaire import services
from seminaire.models import Event, Invitation
from tests import factories as f

from .factories import EventFactory, InvitationFactory

pytestmark = pytest.mark.django_db

REFUSED_ADDRESS = "refuse@example.org"


class RefusingBackend(EmailBackend):
    """A mail server that refuses one address and accepts the others (a test
    double of Django's backend, not of the portal's code)."""

    def send_messages(self, messages):
        for message in messages:
            if REFUSED_ADDRESS in message.to:
                raise smtplib.SMTPRecipientsRefused({REFUSED_ADDRESS: (550, b"No")})
        return super().send_messages(messages)


@pytest.fixture
def secretariat():
    return f.UserFactory(secretariat=True)


@pytest.fixture
def event(secretariat):
    return EventFactory(created_by=secretariat)


def test_importing_by_kind_gives_each_person_their_organisation_and_category(
    event, secretariat
):
    """A landlord's staff are "Landlords", the agglomeration's "Technical
    staff", a State service's "Partners"; each with organisation and job."""
    landlord = f.UserFactory(landlord_staff=True, job_title="Chargée de clientèle")
    public = f.UserFactory(public_staff=True)
    partner = f.UserFactory(partner=True)
    f.UserFactory()  # no organisation: not invited by kind

    result = services.invitations_import(
        user=secretariat,
        event=event,
        kinds=[
            Organisation.Kind.LANDLORD,
            Organisation.Kind.AGGLOMERATION,
            Organisation.Kind.STATE,
        ],
    )

    assert len(result.added) == 3
    assert result.skipped == 0
    invitations = {i.user: i for i in event.invitations.all()}
    assert invitations[landlord].category == Invitation.Category.LANDLORD
    assert invitations[landlord].organisation == landlord.organisation
    assert invitations[landlord].job_title == "Chargée de clientèle"
    assert invitations[landlord].email == landlord.email
    assert invitations[public].category == Invitation.Category.TECHNICIAN
    assert invitations[partner].category == Invitation.Category.PARTNER
    assert AuditEvent.for_object(event).filter(action="invitation_add").count() == 1


def test_importing_skips_people_already_invited_by_account_or_address(
    event, secretariat
):
    """Importing twice invites nobody twice; a guest added by hand with the
    same address (in other capitals) is not invited again either."""
    organisation = f.OrganisationFactory()
    first, second, third = f.UserFactory.create_batch(3, organisation=organisation)
    services.invitations_import(user=secretariat, event=event, people=[first])
    InvitationFactory(event=event, email=second.email.upper())

    result = services.invitations_import(
        user=secretariat, event=event, organisations=[organisation]
    )

    assert [i.user for i in result.added] == [third]
    assert result.skipped == 2
    assert event.invitations.count() == 3


def test_a_guest_added_by_hand_twice_is_refused_on_the_address(event, secretariat):
    data = {"full_name": "Alain Sureau", "category": "elected", "email": "a@b.org"}
    services.invitation_add(user=secretariat, event=event, data=data)

    with pytest.raises(ValidationError) as refused:
        services.invitation_add(
            user=secretariat, event=event, data={**data, "email": "A@B.ORG"}
        )

    assert "email" in refused.value.message_dict
    assert event.invitations.count() == 1


def test_the_database_refuses_two_invitations_with_one_address(event):
    """The rule holds even outside the services."""
    InvitationFactory(event=event, email="meme@example.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        InvitationFactory(event=event, email="MEME@example.org")


def test_a_reply_recorded_by_hand_is_dated_and_audited(event, secretariat):
    invitation = InvitationFactory(event=event, email="")

    updated = services.invitation_update(
        user=secretariat,
        invitation=invitation,
        data={"reply": Invitation.Reply.ATTENDING, "reply_comment": "Par courrier."},
        base_version=invitation.version,
    )

    assert updated.reply == Invitation.Reply.ATTENDING
    assert updated.replied_at is not None
    assert updated.version == invitation.version + 1
    audit = AuditEvent.for_object(updated).get()
    assert (audit.action, audit.to_status) == ("invitation_reply", "attending")


def test_an_edit_made_on_an_old_version_is_refused(event, secretariat):
    """The guest replied through their link while the secretariat was
    editing: the secretariat's save does not overwrite the reply."""
    invitation = InvitationFactory(event=event)
    services.invitation_reply(invitation=invitation, reply="declined")

    with pytest.raises(services.EditConflict):
        services.invitation_update(
            user=secretariat,
            invitation=invitation,
            data={"reply": "attending"},
            base_version=invitation.version,
        )

    assert Invitation.objects.get(pk=invitation.pk).reply == "declined"


def test_an_event_edit_made_on_an_old_version_is_refused(event, secretariat):
    services.event_update(
        user=secretariat, event=event, data={"place": "Ailleurs"}, base_version=1
    )

    with pytest.raises(services.EditConflict):
        services.event_update(
            user=secretariat, event=event, data={"place": "Là"}, base_version=1
        )

    assert Event.objects.get(pk=event.pk).place == "Ailleurs"


def test_sending_mails_each_guest_their_own_link_once(
    event, secretariat, django_capture_on_commit_callbacks
):
    """One message per guest with an address, each with their personal link
    and nobody else's address; a second sending sends nothing."""
    guests = InvitationFactory.create_batch(3, event=event)
    InvitationFactory(event=event, email="")  # by post

    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.invitations_send(user=secretariat, event=event)

    assert (delivery.asked, delivery.sent, delivery.failed) == (3, 3, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(g.email for g in guests)
    for message in mail.outbox:
        guest = next(g for g in guests if g.email == message.to[0])
        assert f"/seminaire/reponse/{guest.key}/" in message.body
        assert not message.cc and not message.bcc
        assert all(other.key not in message.body for other in guests if other != guest)
    assert event.invitations.filter(sent_at__isnull=False).count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        again = services.invitations_send(user=secretariat, event=event)

    assert again.asked == 0
    assert len(mail.outbox) == 3


@override_settings(EMAIL_BACKEND="tests.seminaire.test_services.RefusingBackend")
def test_an_address_the_server_refuses_is_counted_and_left_to_send(
    event, secretariat, django_capture_on_commit_callbacks
):
    """The others are sent; the refused one stays "not sent" for next time."""
    InvitationFactory.create_batch(2, event=event)
    refused = InvitationFactory(event=event, email=REFUSED_ADDRESS)

    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.invitations_send(user=secretariat, event=event)

    assert (delivery.sent, delivery.failed, delivery.done) == (2, 1, True)
    assert len(mail.outbox) == 2
    assert Invitation.objects.get(pk=refused.pk).sent_at is None
    assert event.invitations.filter(sent_at__isnull=False).count() == 2


def test_a_reminder_goes_to_guests_sent_the_invitation_and_still_to_reply(
    event, secretariat, django_capture_on_commit_callbacks
):
    now = timezone.now()
    waiting = InvitationFactory(event=event, sent_at=now)
    InvitationFactory(
        event=event, sent_at=now, reply="attending", replied_at=now
    )  # replied
    InvitationFactory(event=event)  # not sent the invitation yet
    InvitationFactory(event=event, email="")  # by post

    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.invitations_remind(user=secretariat, event=event)

    assert (delivery.asked, delivery.sent) == (1, 1)
    assert [m.to for m in mail.outbox] == [[waiting.email]]
    waiting.refresh_from_db()
    assert waiting.reminder_count == 1
    assert waiting.reminded_at is not None


def test_a_guest_changes_their_reply_until_the_reply_date(event):
    invitation = InvitationFactory(event=event)

    services.invitation_reply(invitation=invitation, reply="attending")
    services.invitation_reply(
        invitation=invitation, reply="declined", comment="  Empêché.  "
    )

    invitation.refresh_from_db()
    assert (invitation.reply, invitation.reply_comment) == ("declined", "Empêché.")
    assert AuditEvent.for_object(invitation).count() == 2


def test_after_the_reply_date_the_reply_no_longer_changes():
    event = EventFactory(reply_by=timezone.localdate() - datetime.timedelta(days=1))
    invitation = InvitationFactory(event=event)

    with pytest.raises(services.RepliesClosed):
        services.invitation_reply(invitation=invitation, reply="attending")

    assert Invitation.objects.get(pk=invitation.pk).reply == "pending"


def test_replies_close_when_the_event_starts_without_a_reply_date():
    event = EventFactory(starts_at=timezone.now() - datetime.timedelta(hours=1))
    invitation = InvitationFactory(event=event)

    with pytest.raises(services.RepliesClosed):
        services.invitation_reply(invitation=invitation, reply="attending")


def test_removing_a_guest_is_audited_on_the_event(event, secretariat):
    invitation = InvitationFactory(event=event, full_name="Yvette Prunellier")

    services.invitation_remove(user=secretariat, invitation=invitation)

    assert not event.invitations.exists()
    audit = AuditEvent.for_object(event).get(action="invitation_remove")
    assert audit.comment == "Yvette Prunellier"


@pytest.mark.parametrize(
    "service", [services.invitations_send, services.invitations_remind]
)
def test_nothing_is_sent_once_replies_are_closed(secretariat, service):
    """A guest could not reply any more: no invitation, no reminder."""
    event = EventFactory(reply_by=timezone.localdate() - datetime.timedelta(days=1))
    InvitationFactory(event=event, sent_at=timezone.now())
    InvitationFactory(event=event)

    with pytest.raises(services.RepliesClosed):
        service(user=secretariat, event=event)

    assert mail.outbox == []
    assert not AuditEvent.objects.filter(target_id=event.pk).exists()
