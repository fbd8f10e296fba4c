"""Leases on background work: the worker process holding a piece of work (a PDF
being rendered, guests being e-mailed) says so on the row and refreshes a
heartbeat while it works. A holder silent for ``GRACE_BEATS`` beats has died
(killed, out of memory, the machine restarted): its work is free again.

django-tasks' database backend has no such thing: a task row claimed by a
worker that died stays RUNNING for ever. The apps say which of their task rows
are dead from their own leases, and ``fail_task_results`` closes them.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# How many beats a holder may miss before its work is taken as abandoned.
GRACE_BEATS = 3


def worker_name() -> str:
    """Who holds a lease: this machine and process, for the administrator."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def beat_interval() -> float:
    return float(settings.WORKER_HEARTBEAT_SECONDS)


def expired_before(*, at_least: timedelta = timedelta(0)) -> datetime:
    """A lease last refreshed before this moment is expired: its holder died.
    ``at_least`` widens the grace for work that cannot beat while it waits
    (an SMTP exchange, say)."""
    grace = max(timedelta(seconds=GRACE_BEATS * beat_interval()), at_least)
    return timezone.now() - grace


class LeaseLost(Exception):
    """The lease was given to another attempt meanwhile (this holder was taken
    for dead): this holder stops and keeps nothing of its own."""


class Heartbeat:
    """Call it as often as convenient: it runs ``beat`` at most once per beat
    interval, or at once with ``now=True`` (before and after a step that
    cannot beat, so the step has the whole grace). A failed beat is logged,
    never raised: the work goes on, and a holder that really cannot reach the
    database is dead for the others. ``LeaseLost``, raised by ``beat`` when
    the lease is no longer this holder's, goes through: the work stops."""

    def __init__(self, beat):
        self._beat = beat
        self._last = time.monotonic()

    def __call__(self, *, now: bool = False) -> None:
        if not now and time.monotonic() - self._last < beat_interval():
            return
        self._last = time.monotonic()
        try:
            self._beat()
        except LeaseLost:
            raise
        except Exception:
            logger.exception("Could not refresh a lease")


class WorkerDied(Exception):
    """The worker running a task stopped without finishing it."""


def fail_task_results(results: QuerySet | list[DBTaskResult], reason: str) -> int:
    """Mark task rows left RUNNING by a dead worker as failed, saying why, so
    they neither look busy for ever nor run twice. Returns how many."""
    count = 0
    for result in results:
        result.set_failed(WorkerDied(reason))
        count += 1
    return count
