"""The health endpoint for load balancers (cucs_portal/health.py): 200 while the
database answers, 503 when it does not; open to anyone, stateless, never cached,
and reachable over plain HTTP in production."""

import datetime
import socket
import tempfile
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from referentiel.tasks import render_rendition
from tests.cucs_portal.test_settings import random_key, run

pytestmark = pytest.mark.django_db

URL = "/sante/"


def test_the_url_is_sante():
    assert reverse("health") == URL


def test_a_working_database_answers_ok():
    """200, JSON, with the database's state and the task queue's."""
    response = Client().get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "task_queue": {"waiting": 0, "oldest_waiting_minutes": None, "late": False},
    }


def test_it_is_stateless_and_never_cached():
    """No login, no session, no CSRF cookie, nothing a cache may keep."""
    response = Client().get(URL)

    assert "no-store" in response["Cache-Control"]
    assert response.cookies == {}
    assert "Cookie" not in response.get("Vary", "")
    assert not Session.objects.exists()


def test_head_answers_without_a_body():
    response = Client().head(URL)

    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_other_methods_are_not_allowed(method):
    """A 405 naming GET and HEAD, not a CSRF failure."""
    response = getattr(Client(enforce_csrf_checks=True), method)(URL)

    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD"}


def unreachable_database(settings_dict: dict) -> dict:
    """The same database engine, aimed where nothing answers: a SQLite file in
    a folder that does not exist, or a TCP port just closed."""
    broken = {**settings_dict, "TEST": settings_dict.get("TEST", {})}
    if settings_dict["ENGINE"].endswith("sqlite3"):
        missing = Path(tempfile.gettempdir()) / "cucs-no-such-folder" / "db.sqlite3"
        broken["NAME"] = str(missing)
    else:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        broken.update(HOST="127.0.0.1", PORT=str(port))
        broken["OPTIONS"] = {**settings_dict.get("OPTIONS", {}), "connect_timeout": 2}
    return broken


@pytest.fixture
def database_down():
    """The default connection replaced, for this test, by a real one of the
    same backend to a database that cannot be reached."""
    working = connections[DEFAULT_DB_ALIAS]
    broken = working.__class__(
        unreachable_database(working.settings_dict), DEFAULT_DB_ALIAS
    )
    connections[DEFAULT_DB_ALIAS] = broken
    try:
        yield
    finally:
        broken.close()
        connections[DEFAULT_DB_ALIAS] = working


def test_an_unreachable_database_answers_503(database_down):
    """The load balancer takes this server out of rotation."""
    response = Client().get(URL)

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}
    assert "no-store" in response["Cache-Control"]


def test_a_task_waiting_too_long_is_reported_without_failing():
    """A task no worker picked up for half an hour: the queue is "late", the
    portal itself is still "ok"."""
    result = render_rendition.enqueue(123456)
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=45)
    )

    response = Client().get(URL)

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["task_queue"] == {
        "waiting": 1,
        "oldest_waiting_minutes": 45,
        "late": True,
    }


@override_settings(HEALTH_TASK_QUEUE_LATE_MINUTES=60)
def test_a_task_waiting_briefly_is_not_late():
    result = render_rendition.enqueue(123456)
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=45)
    )

    assert Client().get(URL).json()["task_queue"]["late"] is False


PROBE = """
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "cucs_portal.settings.production"
django.setup()
from django.test import Client
client = Client(HTTP_HOST="portail-cucs.example.org")
print(client.get("/sante/").status_code, client.get("/compte/login/").status_code)
"""


def test_production_answers_a_plain_http_probe(tmp_path):
    """Production redirects plain HTTP to HTTPS, except the health endpoint: a
    load balancer probes the server directly, without the proxy's
    X-Forwarded-Proto."""
    result = run(
        ["-c", PROBE],
        SECRET_KEY=random_key(),
        ALLOWED_HOSTS="portail-cucs.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'probe.sqlite3'}",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "301"]
