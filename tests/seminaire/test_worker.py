"""The seminar's e-mails go through the real queue: committed transactions (so
the ``on_commit`` enqueuing happens as in production), the django-tasks
database backend, and ``manage.py db_worker`` running the task."""

import datetime

from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from seminaire.models import Invitation
from seminaire.services import recover_interrupted_work
from tests import factories as f
from tests.referentiel_support import run_worker

from .factories import EventFactory, InvitationFactory
from .test_services import REFUSED_ADDRESS

TASK = "seminaire.tasks.deliver_emails"


@override_settings(EMAIL_BACKEND="tests.seminaire.test_services.RefusingBackend")
def test_the_worker_sends_what_the_request_queued(client, transactional_db):
    """The click queues one task; the worker sends each invitation and marks
    it sent; the address the server refuses ends neither sent nor queued."""
    client.force_login(f.UserFactory(secretariat=True))
    event = EventFactory()
    guests = InvitationFactory.create_batch(2, event=event)
    refused = InvitationFactory(event=event, email=REFUSED_ADDRESS)

    client.post(reverse("seminaire:send", kwargs={"pk": event.pk}))

    task = DBTaskResult.objects.get()
    assert (task.task_path, task.status) == (TASK, "READY")
    assert mail.outbox == []
    assert event.invitations.waiting().count() == 3

    run_worker()

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.return_value == {"sent": 2, "failed": 1, "skipped": 0}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(g.email for g in guests)
    assert not event.invitations.waiting().exists()
    refused = Invitation.objects.get(pk=refused.pk)
    assert (refused.sent_at, refused.queued_at) == (None, None)
    assert event.invitations.filter(sent_at__isnull=False).count() == 2


def test_guests_a_dead_worker_held_are_free_again_and_its_task_closed(
    client, transactional_db, settings
):
    """A worker killed while sending leaves its guests claimed and its task row
    running. Once its lease expires (three beats, and at least twice
    EMAIL_TIMEOUT) the guests can be sent their invitation again; the next
    worker that starts gives them back and marks the dead task row failed,
    while the guests a live worker holds stay with it."""
    settings.WORKER_HEARTBEAT_SECONDS = 1
    settings.EMAIL_TIMEOUT = 1
    client.force_login(f.UserFactory(secretariat=True))
    event = EventFactory()
    dead_guest, live_guest = InvitationFactory.create_batch(2, event=event)
    client.post(reverse("seminaire:send", kwargs={"pk": event.pk}))
    task = DBTaskResult.objects.get()
    # What `deliver_emails` leaves when SIGKILLed mid-sending: its claim and
    # the task row as the worker took it up; the second guest is held by a
    # live worker (fresh beat).
    long_ago = timezone.now() - datetime.timedelta(seconds=10)
    Invitation.objects.filter(pk=dead_guest.pk).update(
        claimed_by="host:1", heartbeat_at=long_ago
    )
    Invitation.objects.filter(pk=live_guest.pk).update(
        claimed_by="host:2", heartbeat_at=timezone.now()
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        status="RUNNING", started_at=long_ago, worker_ids=["w1"]
    )

    assert list(event.invitations.to_send()) == [dead_guest]

    assert recover_interrupted_work() == {"released": 1, "tasks_failed": 0}
    task.refresh_from_db()
    assert task.status == "RUNNING"  # it still holds the live guest

    Invitation.objects.filter(pk=live_guest.pk).update(heartbeat_at=long_ago)
    assert recover_interrupted_work() == {"released": 1, "tasks_failed": 1}
    task.refresh_from_db()
    assert (task.status, task.exception_class_path) == (
        "FAILED",
        "cucs_portal.leases.WorkerDied",
    )
    assert not event.invitations.waiting().exists()
    assert event.invitations.to_send().count() == 2
