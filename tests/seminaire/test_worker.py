"""The seminar's e-mails go through the real queue: committed transactions (so
the ``on_commit`` enqueuing happens as in production), the django-tasks
database backend, and ``manage.py db_worker`` running the task."""

from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from seminaire.models import Invitation
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
