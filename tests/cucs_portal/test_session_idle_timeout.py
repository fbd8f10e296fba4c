"""Sessions end after ``SESSION_COOKIE_AGE`` seconds without a request (2 h
by default, SESSION_IDLE_MINUTES) and slide while in use, for one session
write per ``SESSION_REFRESH_SECONDS`` at most
(cucs_portal.middleware.SessionIdleTimeoutMiddleware). The clock is the real
one: the tests shrink the timeout to two seconds and wait."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cucs_portal.middleware import SessionIdleTimeoutMiddleware
from tests import factories as f

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")


@pytest.fixture
def short_sessions(settings):
    settings.SESSION_COOKIE_AGE = 2
    settings.SESSION_REFRESH_SECONDS = 1


def signed_in(response) -> bool:
    return response.status_code == 200


def session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]


def test_the_defaults_suit_personal_data(settings):
    """Two hours without a request, and the browser closing, end a session."""
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_REFRESH_SECONDS == 5 * 60


@pytest.mark.usefixtures("short_sessions")
def test_an_idle_session_expires(client):
    client.force_login(f.UserFactory())
    assert signed_in(client.get(DASHBOARD))

    time.sleep(2.2)

    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.usefixtures("short_sessions")
def test_an_active_session_slides(client):
    """Requests a little more than a second apart keep the person signed in
    well past the two seconds a session lasts untouched."""
    client.force_login(f.UserFactory())
    started = time.monotonic()

    while time.monotonic() - started < 3.5:
        time.sleep(1.1)
        assert signed_in(client.get(DASHBOARD))


def test_a_session_is_written_once_per_refresh_interval(client):
    """Not on every request: the login counts as a refresh, so the pages right
    after it write nothing; once the last refresh is older than the interval,
    one request writes the session again, and the next ones nothing."""
    client.force_login(f.UserFactory())

    with CaptureQueriesContext(connection) as after_login:
        for _ in range(3):
            assert signed_in(client.get(DASHBOARD))
    session = client.session
    session[SessionIdleTimeoutMiddleware.KEY] = int(time.time()) - 6 * 60
    session.save()
    with CaptureQueriesContext(connection) as later:
        for _ in range(3):
            assert signed_in(client.get(DASHBOARD))

    assert session_writes(after_login) == []
    assert len(session_writes(later)) == 1


def test_a_visitor_without_a_session_gets_none(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert "sessionid" not in response.cookies
