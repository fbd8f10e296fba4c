"""The seminar's services: inviting, sending, reminding, replying."""

import datetime
import smtplib
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import TaskContext
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEvent
from cucs_portal.records import EditConflict
from people.models import Organisation
from seminaire import services
from seminaire.models import Event, Invitation
from seminaire.tasks import deliver_emails
from tests import factories as f

from .factories import EventFactory, InvitationFactory


def deliver(*args):
    """The delivery task run here, with the context the worker gives it (its
    task row's id signs the guests' claims)."""
    context = TaskContext(task_result=SimpleNamespace(id="task-in-test"))
    return deliver_emails.call(context, *args)


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

    with pytest.raises(EditConflict):
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

    with pytest.raises(EditConflict):
        services.event_update(
            user=secretariat, event=event, data={"place": "Là"}, base_version=1
        )

    assert Event.objects.get(pk=event.pk).place == "Ailleurs"


def queue(service, secretariat, event, capture) -> tuple[int, list]:
    """Run a sending as the request does, committed: how many it queued and
    the arguments of the task it enqueued (None when it enqueued none)."""
    before = set(DBTaskResult.objects.values_list("pk", flat=True))
    with capture(execute=True):
        queued = service(user=secretariat, event=event)
    tasks = list(DBTaskResult.objects.exclude(pk__in=before))
    assert len(tasks) == (1 if queued else 0)
    return queued, (tasks[0].args_kwargs["args"] if tasks else None)


def test_sending_queues_the_guests_and_the_worker_mails_each_their_own_link(
    event, secretariat, django_capture_on_commit_callbacks
):
    """The request sends nothing: it queues the guests with an address and
    enqueues one task; the task sends one message per guest, with their
    personal link and nobody else's address, and marks each one sent."""
    guests = InvitationFactory.create_batch(3, event=event)
    InvitationFactory(event=event, email="")  # by post

    queued, args = queue(
        services.invitations_send,
        secretariat,
        event,
        django_capture_on_commit_callbacks,
    )

    assert queued == 3
    assert args == ["invitation", sorted(g.pk for g in guests)]
    assert mail.outbox == []
    assert event.invitations.waiting().count() == 3
    assert not event.invitations.filter(sent_at__isnull=False).exists()
    assert AuditEvent.for_object(event).get(action="invitation_send").comment == "3"

    result = deliver(*args)

    assert result == {"sent": 3, "failed": 0, "skipped": 0}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(g.email for g in guests)
    for message in mail.outbox:
        guest = next(g for g in guests if g.email == message.to[0])
        assert f"/seminaire/reponse/{guest.key}/" in message.body
        assert not message.cc and not message.bcc
        assert all(other.key not in message.body for other in guests if other != guest)
    assert event.invitations.filter(sent_at__isnull=False).count() == 3
    assert not event.invitations.waiting().exists()


def test_a_second_click_queues_nothing_and_nobody_gets_two_invitations(
    event, secretariat, django_capture_on_commit_callbacks
):
    """Whether the worker has sent them yet or not."""
    InvitationFactory.create_batch(2, event=event)
    _queued, args = queue(
        services.invitations_send,
        secretariat,
        event,
        django_capture_on_commit_callbacks,
    )

    again, none = queue(
        services.invitations_send,
        secretariat,
        event,
        django_capture_on_commit_callbacks,
    )
    deliver(*args)
    after, _none = queue(
        services.invitations_send,
        secretariat,
        event,
        django_capture_on_commit_callbacks,
    )

    assert (again, none, after) == (0, None, 0)
    assert len(mail.outbox) == 2
    assert deliver(*args) == {"sent": 0, "failed": 0, "skipped": 2}
    assert len(mail.outbox) == 2


def test_guests_queued_long_ago_can_be_queued_again(event, secretariat):
    """A worker that stopped midway leaves its guests queued: after 30 minutes
    a new sending takes them again; a recent queuing still blocks them."""
    lost = InvitationFactory(
        event=event, queued_at=timezone.now() - datetime.timedelta(minutes=31)
    )
    InvitationFactory(
        event=event, queued_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    queued = services.invitations_send(user=secretariat, event=event)

    assert queued == 1
    lost.refresh_from_db()
    assert timezone.now() - lost.queued_at < datetime.timedelta(minutes=1)


@override_settings(EMAIL_BACKEND="tests.seminaire.test_services.RefusingBackend")
def test_an_address_the_server_refuses_is_left_to_send_again(
    event, secretariat, django_capture_on_commit_callbacks
):
    """The others are sent; the refused one ends neither sent nor queued, so
    the next sending takes it again."""
    InvitationFactory.create_batch(2, event=event)
    refused = InvitationFactory(event=event, email=REFUSED_ADDRESS)
    _queued, args = queue(
        services.invitations_send,
        secretariat,
        event,
        django_capture_on_commit_callbacks,
    )

    result = deliver(*args)

    assert result == {"sent": 2, "failed": 1, "skipped": 0}
    assert len(mail.outbox) == 2
    refused.refresh_from_db()
    assert (refused.sent_at, refused.queued_at) == (None, None)
    assert event.invitations.filter(sent_at__isnull=False).count() == 2
    assert list(event.invitations.to_send()) == [refused]


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

    queued, args = queue(
        services.invitations_remind,
        secretariat,
        event,
        django_capture_on_commit_callbacks,
    )
    result = deliver(*args)

    assert (queued, args) == (1, ["reminder", [waiting.pk]])
    assert result["sent"] == 1
    assert [m.to for m in mail.outbox] == [[waiting.email]]
    waiting.refresh_from_db()
    assert waiting.reminder_count == 1
    assert waiting.reminded_at is not None
    assert waiting.queued_at is None


def test_a_guest_who_replied_while_queued_gets_no_reminder(event, secretariat):
    invitation = InvitationFactory(event=event, sent_at=timezone.now())
    services.invitations_remind(user=secretariat, event=event)
    services.invitation_reply(invitation=invitation, reply="attending")

    result = deliver("reminder", [invitation.pk])

    assert result == {"sent": 0, "failed": 0, "skipped": 1}
    assert mail.outbox == []
    invitation.refresh_from_db()
    assert (invitation.reminder_count, invitation.queued_at) == (0, None)


def test_correcting_the_address_starts_the_emails_over_with_a_new_link(
    event, secretariat
):
    """The wrong recipient's link stops working; the guest is to be sent the
    invitation again, at the new address."""
    invitation = InvitationFactory(
        event=event,
        sent_at=timezone.now(),
        reminded_at=timezone.now(),
        reminder_count=2,
        queued_at=timezone.now(),
    )
    old_key = invitation.key

    updated = services.invitation_update(
        user=secretariat,
        invitation=invitation,
        data={"email": "bonne.adresse@example.org"},
        base_version=invitation.version,
    )

    assert updated.key != old_key
    assert (updated.sent_at, updated.reminded_at, updated.queued_at) == (None,) * 3
    assert updated.reminder_count == 0
    assert list(event.invitations.to_send()) == [updated]
    # The worker, which had it queued at the old address, sends nothing.
    assert deliver("reminder", [invitation.pk])["sent"] == 0
    assert mail.outbox == []


def test_an_address_changed_in_capitals_only_keeps_its_link(event, secretariat):
    invitation = InvitationFactory(
        event=event, email="alain.sureau@example.org", sent_at=timezone.now()
    )

    updated = services.invitation_update(
        user=secretariat,
        invitation=invitation,
        data={"email": "Alain.Sureau@example.org"},
        base_version=invitation.version,
    )

    assert (updated.key, updated.sent_at) == (invitation.key, invitation.sent_at)


@pytest.mark.skipif(
    not connection.features.has_select_for_update_of,
    reason="SELECT … FOR UPDATE OF is PostgreSQL's",
)
def test_a_reply_locks_the_invitation_and_not_the_event(event):
    """The sendings lock the event then its invitations: a reply locking both
    in one statement could deadlock with them."""
    invitation = InvitationFactory(event=event)

    with CaptureQueriesContext(connection) as queries:
        services.invitation_reply(invitation=invitation, reply="attending")

    locking = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    assert len(locking) == 1
    assert locking[0].endswith('FOR UPDATE OF "seminaire_invitation"')


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


def test_replies_close_when_the_event_starts_even_on_the_reply_date():
    """A reply date on the seminar day does not keep replies open once the
    seminar has started."""
    starts_at = timezone.now() - datetime.timedelta(minutes=5)
    event = EventFactory(starts_at=starts_at, reply_by=timezone.localdate(starts_at))
    invitation = InvitationFactory(event=event)

    assert event.replies_close_at == starts_at
    with pytest.raises(services.RepliesClosed):
        services.invitation_reply(invitation=invitation, reply="attending")


def test_a_reply_date_before_the_seminar_closes_at_the_end_of_that_day():
    event = EventFactory(reply_by=timezone.localdate() + datetime.timedelta(days=2))

    close = timezone.localtime(event.replies_close_at)
    assert (close.date(), close.hour, close.minute) == (event.reply_by, 23, 59)
    assert event.replies_open
    assert not event.replies_close_at_start


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
