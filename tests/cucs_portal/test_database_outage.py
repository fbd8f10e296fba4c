"""During a database outage the portal answers a French page saying it is
momentarily unavailable (503, Retry-After), not a generic 500
(cucs_portal.middleware.DatabaseUnavailableMiddleware). The database is made
unreachable for real: the default connection is replaced by one of the same
backend aimed at a closed port or a missing folder (tests/cucs_portal/
test_health.py's ``database_down``)."""

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.test import Client
from django.urls import reverse

from tests import factories as f
from tests.cucs_portal.test_health import database_down  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

A_REPLY_PAGE = reverse("seminaire:reply", kwargs={"key": "k" * 43})


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Security-Policy" in response
    html = response.content.decode()
    assert 'lang="fr"' in html
    assert "momentanément indisponible" in html


@pytest.mark.usefixtures("database_down")
def test_a_visitor_gets_the_unavailable_page():
    """A guest opening their reply link while the database is down."""
    assert_unavailable_page(Client().get(A_REPLY_PAGE))


def test_a_signed_in_person_gets_the_unavailable_page(request):
    """Their session cannot be read: the page still renders, from nothing
    but the template and the translations."""
    client = Client()
    client.force_login(f.UserFactory())
    request.getfixturevalue("database_down")

    response = client.get(reverse("dashboard"))

    assert_unavailable_page(response)


@pytest.mark.usefixtures("database_down")
def test_the_health_endpoint_still_answers_in_json():
    """The load balancer's probe keeps its own answer."""
    response = Client().get(reverse("health"))

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no lock timeout; its in-memory test database also "
    "locks its whole schema for a second connection while a test holds one",
)
def test_another_database_error_is_still_a_server_error(django_db_blocker):
    """A database that answers but fails the query (here: a lock it waited too
    long for) is a bug to report, not an outage: it is not turned into a 503."""
    ours = connections[DEFAULT_DB_ALIAS]
    other = ours.__class__(ours.settings_dict, DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            other.set_autocommit(False)
            cursor.execute("LOCK TABLE seminaire_invitation IN ACCESS EXCLUSIVE MODE")
            with ours.cursor() as waiting:
                waiting.execute("SET LOCAL lock_timeout = '200ms'")

            with pytest.raises(OperationalError, match="lock timeout"):
                Client().get(A_REPLY_PAGE)
    finally:
        other.rollback()
        other.close()
