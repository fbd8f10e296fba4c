"""Guests without an account are anonymised SEMINAR_GUEST_RETENTION_MONTHS
months after their seminar, by the worker every night or by
``manage.py purge_seminar_guests`` (seminaire/retention.py)."""

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEvent
from imports.models import PendingImport
from seminaire import purge_tasks, retention
from seminaire import services as seminaire_services
from seminaire.models import Invitation
from tests import factories as f
from tests.referentiel.support import run_worker

from .factories import EventFactory, InvitationFactory

NAME, EMAIL = "Alain Sureau", "a.sureau@example.org"


def past_event(months_ago: int, **fields):
    start = retention.months_before(timezone.now(), months_ago)
    return EventFactory(starts_at=start, **fields)


def guest_of(event, **fields):
    """A guest added through the service, so with its journal entry (which
    names them)."""
    return seminaire_services.invitation_add(
        user=event.created_by,
        event=event,
        data={"full_name": NAME, "category": "elected", "email": EMAIL, **fields},
    )


def journal_names_the_guest() -> bool:
    return AuditEvent.objects.filter(
        Q(target_label__contains=NAME) | Q(comment__contains=NAME)
    ).exists()


@pytest.mark.django_db
class TestThePurge:
    def test_a_guest_past_the_retention_is_anonymised_with_a_journal_entry(self):
        """The row stays for the seminar's counts (its category and reply),
        without name, address, job title, organisation or comment; the
        journal's entries no longer name them, and one more says it was done,
        without the erased data."""
        invitation = guest_of(past_event(13), job_title="Maire adjoint")
        Invitation.objects.filter(pk=invitation.pk).update(
            reply="attending",
            replied_at=timezone.now(),
            reply_comment=f"{NAME} viendra.",
        )
        key = invitation.key
        assert journal_names_the_guest()

        assert retention.guests_purge() == 1

        guest = Invitation.objects.get(pk=invitation.pk)
        assert guest.full_name == retention.guest_pseudonym(guest)
        assert (guest.email, guest.job_title, guest.reply_comment) == ("", "", "")
        assert guest.organisation is None and guest.purged_at is not None
        assert (guest.category, guest.reply) == ("elected", "attending")
        assert guest.key != key
        assert not journal_names_the_guest()
        entry = AuditEvent.objects.get(action="guest_purge")
        assert entry.target_id == guest.pk and entry.actor is None
        assert NAME not in entry.comment and EMAIL not in entry.comment
        assert retention.guests_purge() == 0

    def test_a_guest_removed_from_a_past_seminar_is_forgotten_by_the_journal(self):
        """A removed guest has no row left: past the retention, the journal's
        entry of the removal stays without their name; within it, it keeps
        the name."""
        old, recent = past_event(13), past_event(11)
        for event in (old, recent):
            seminaire_services.invitation_remove(
                user=event.created_by, invitation=guest_of(event)
            )

        retention.guests_purge()

        removals = AuditEvent.objects.filter(action="invitation_remove")
        assert {entry.target_id: entry.comment for entry in removals} == {
            old.pk: "",
            recent.pk: NAME,
        }

    def test_guests_within_the_retention_and_people_with_an_account_stay(self):
        recent = guest_of(past_event(11))
        account = f.UserFactory(first_name="Anne", last_name="Roux")
        with_account = InvitationFactory(event=past_event(24), user=account)

        assert retention.guests_purge() == 0

        assert Invitation.objects.get(pk=recent.pk).full_name == NAME
        assert (
            Invitation.objects.get(pk=with_account.pk).full_name
            == with_account.full_name
        )

    def test_the_same_guest_invited_to_a_recent_seminar_keeps_that_invitation(
        self,
    ):
        old = guest_of(past_event(14))
        recent = guest_of(past_event(1))

        retention.guests_purge()

        assert Invitation.objects.get(pk=old.pk).full_name != NAME
        recent = Invitation.objects.get(pk=recent.pk)
        assert (recent.full_name, recent.email) == (NAME, EMAIL)

    def test_the_retention_is_a_setting(self, settings):
        settings.SEMINAR_GUEST_RETENTION_MONTHS = 3
        guest_of(past_event(4))

        assert retention.guests_purge() == 1

    def test_the_seminar_end_counts(self):
        """A seminar that ended within the retention keeps its guests even if
        it started before."""
        event = past_event(13)
        event.ends_at = timezone.now() - datetime.timedelta(days=1)
        event.save()
        guest_of(event)

        assert retention.guests_purge() == 0

    def test_the_command_does_it_at_once(self, capsys):
        guest_of(past_event(13))

        call_command("purge_seminar_guests", "--dry-run")
        assert "1" in capsys.readouterr().out
        assert Invitation.objects.filter(full_name=NAME).exists()
        call_command("purge_seminar_guests")

        assert not Invitation.objects.filter(full_name=NAME).exists()

    @pytest.mark.parametrize(
        ("now", "months", "expected"),
        [
            ((2008, 5, 10), 12, (2007, 5, 10)),
            ((2008, 3, 31), 1, (2008, 2, 29)),
            ((2008, 1, 15), 13, (2006, 12, 15)),
        ],
    )
    def test_months_are_calendar_months(self, now, months, expected):
        moment = datetime.datetime(*now, 12, 0)
        assert retention.months_before(moment, months) == datetime.datetime(
            *expected, 12, 0
        )


@pytest.mark.django_db
class TestTheNightlyTask:
    def test_the_worker_starting_schedules_one_purge(self):
        from cucs_portal.management.commands.worker import recover_interrupted_work

        assert recover_interrupted_work()["seminaire"]["purge_scheduled"] == 1
        assert recover_interrupted_work()["seminaire"]["purge_scheduled"] == 0
        (task,) = purge_tasks.waiting_purge_tasks()
        assert timezone.localtime(task.run_after).time() == purge_tasks.PURGE_TIME

    def test_a_run_killed_halfway_is_failed_and_retried_at_once(self):
        result = purge_tasks.purge_past_guests.enqueue()
        DBTaskResult.objects.filter(pk=result.id).update(
            status=TaskResultStatus.RUNNING,
            started_at=timezone.now() - datetime.timedelta(hours=1),
        )

        recovered = purge_tasks.recover_purge()

        assert recovered == {"purge_tasks_failed": 1, "purge_scheduled": 1}
        (retry,) = purge_tasks.waiting_purge_tasks()
        assert retry.run_after <= timezone.now()


def test_the_worker_purges_and_schedules_the_next_night(transactional_db):
    """Through the real queue: the task the worker runs anonymises the guest
    and leaves the next night's run waiting."""
    invitation = guest_of(past_event(13))
    # A spreadsheet of people nobody imported: past IMPORT_PENDING_HOURS, the
    # same night's run deletes it (imports' retention rule); a fresh one stays.
    uploader = f.UserFactory(secretariat=True)
    _stale, fresh = (
        PendingImport.objects.create(
            kind="people",
            uploaded_by=uploader,
            filename="personnes.csv",
            content=f"Nom;Courriel\n{NAME};{EMAIL}\n".encode(),
            created_at=timezone.now() - datetime.timedelta(hours=hours),
        )
        for hours in (settings.IMPORT_PENDING_HOURS + 1, 1)
    )
    purge_tasks.purge_past_guests.enqueue()

    run_worker()

    assert Invitation.objects.get(pk=invitation.pk).purged_at is not None
    assert not journal_names_the_guest()
    assert list(PendingImport.objects.values_list("pk", flat=True)) == [fresh.pk]
    done = DBTaskResult.objects.get(
        task_path=purge_tasks.PURGE_TASK, status=TaskResultStatus.SUCCESSFUL
    )
    assert done.return_value == {"purged": 1, "imports.pending": 1}
    (following,) = purge_tasks.waiting_purge_tasks()
    assert following.run_after > timezone.now()
