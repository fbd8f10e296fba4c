"""The daily anonymisation of past guests (seminaire/retention.py), a task of
the worker that keeps itself scheduled, as the daily digest does
(cucs_portal/tasks.py): django-tasks' database backend repeats nothing, so
each run enqueues the next one when it ends, and the worker, when it starts,
makes sure one is waiting (``services.recover_interrupted_work``).

A run killed midway is harmless: each guest is anonymised in a transaction of
its own and only once, so the next run (brought forward to the worker's
start) does the rest, and two runs at once do each guest once.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cucs_portal import leases, personal_data

PURGE_TASK = "seminaire.purge_tasks.purge_past_guests"
# The hour of the night the purge runs (the portal's time zone).
PURGE_TIME = datetime.time(3, 0)


@task()
def purge_past_guests() -> dict:
    """The night's retention run: anonymise the guests past the retention
    period, and apply every other app's retention rule
    (``personal_data.register_retention``: the imports' waiting files); then
    enqueue the next run."""
    try:
        erased = personal_data.apply_retention()
        return {"purged": erased.pop("seminaire.guests", 0), **erased}
    finally:
        schedule_next_purge()


def next_purge_time(after: datetime.datetime | None = None) -> datetime.datetime:
    after = timezone.localtime(after or timezone.now())
    day = after.date()
    candidate = timezone.make_aware(
        datetime.datetime.combine(day, PURGE_TIME), after.tzinfo
    )
    if candidate <= after:
        candidate = timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=1), PURGE_TIME),
            after.tzinfo,
        )
    return candidate


def waiting_purge_tasks():
    return DBTaskResult.objects.filter(
        task_path=PURGE_TASK, status=TaskResultStatus.READY
    )


@transaction.atomic
def schedule_next_purge(*, now=None) -> int:
    """Enqueue the purge for the next night, unless one is waiting already.
    Returns how many were enqueued."""
    if waiting_purge_tasks().select_for_update().exists():
        return 0
    purge_past_guests.using(run_after=next_purge_time(now)).enqueue()
    return 1


@transaction.atomic
def recover_purge() -> dict:
    """A worker that died while purging left its task row "running": it is
    marked failed and the waiting run brought forward, to finish today. Then
    one run waits, always."""
    dead = DBTaskResult.objects.running().filter(
        task_path=PURGE_TASK, started_at__lt=leases.expired_before()
    )
    failed = leases.fail_task_results(
        list(dead), "The worker anonymising past guests stopped."
    )
    scheduled = schedule_next_purge()
    if failed:
        waiting_purge_tasks().update(run_after=timezone.now())
    return {"purge_tasks_failed": failed, "purge_scheduled": scheduled}
