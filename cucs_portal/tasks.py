"""The daily digest's task (cucs_portal/digests.py), which keeps itself
scheduled: django-tasks' database backend runs a task at its ``run_after`` but
repeats nothing, so each run enqueues the next one when it ends, and the
worker, when it starts, makes sure one is waiting."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from . import digests, leases

DIGEST_TASK = "cucs_portal.tasks.send_daily_digests"


@task()
def send_daily_digests() -> dict:
    """Send the day's digests, then enqueue the next run."""
    try:
        return digests.send_digests()
    finally:
        schedule_next_digest()


def waiting_digest_tasks():
    return DBTaskResult.objects.filter(
        task_path=DIGEST_TASK, status=TaskResultStatus.READY
    )


@transaction.atomic
def schedule_next_digest(*, now=None) -> int:
    """Enqueue the digest task for the next sending time, unless one is
    waiting already: there is at most one. Returns how many were enqueued."""
    if waiting_digest_tasks().select_for_update().exists():
        return 0
    send_daily_digests.using(
        run_after=digests.next_sending_time(now or timezone.now())
    ).enqueue()
    return 1


@transaction.atomic
def recover_digests() -> dict:
    """What a worker that died while sending digests left behind, found by the
    next worker when it starts: its task row, still "running", is marked
    failed, and the waiting task is brought forward to run at once, so that
    the people it had not reached yet get their digest today (those it
    reached have theirs: ``Digest`` says so). Then one task waits, always."""
    dead = DBTaskResult.objects.running().filter(
        task_path=DIGEST_TASK, started_at__lt=leases.expired_before()
    )
    failed = leases.fail_task_results(
        list(dead), "The worker sending the daily digests stopped."
    )
    scheduled = schedule_next_digest()
    if failed:
        waiting_digest_tasks().update(run_after=timezone.now())
    return {"tasks_failed": failed, "scheduled": scheduled}
