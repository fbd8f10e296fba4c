"""The health endpoint, for a load balancer or a monitoring probe.

``GET /sante/`` answers 200 ``{"status": "ok", "database": "ok", ...}`` when a
``SELECT 1`` on the default database works, 503 with ``"database":
"unavailable"`` otherwise. No authentication, no session, no CSRF token, never
cached. It also tells how long the oldest task has waited in the queue (the
référentiel's PDFs): informative only, a late queue means no worker is running
but the web server still serves.
"""

import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def database_is_up() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: the database is unavailable.", exc_info=True)
        return False
    return True


def task_queue() -> dict:
    """The tasks waiting for a worker, and since when for the oldest."""
    waiting = DBTaskResult.objects.ready()
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True)
    oldest = oldest.first()
    minutes = None
    if oldest is not None:
        minutes = int((timezone.now() - oldest).total_seconds() // 60)
    return {
        "waiting": waiting.count(),
        "oldest_waiting_minutes": minutes,
        "late": minutes is not None
        and minutes >= settings.HEALTH_TASK_QUEUE_LATE_MINUTES,
    }


@csrf_exempt  # a POST gets its 405, not a CSRF failure page
@require_safe  # GET and HEAD
@never_cache
def health(request):
    if not database_is_up():
        return JsonResponse(
            {"status": "unavailable", "database": "unavailable"}, status=503
        )
    try:
        queue = task_queue()
    except DatabaseError:  # the database went away meanwhile
        logger.warning("Health check: the task queue is unreadable.", exc_info=True)
        queue = None
    return JsonResponse({"status": "ok", "database": "ok", "task_queue": queue})
