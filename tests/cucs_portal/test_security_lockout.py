"""Login brute force (cucs_portal/lockout.py): five failed logins with one
username from one address lock that pair out for fifteen minutes, on the
portal's login page and the admin's alike, with a page that says so."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from cucs_portal.models import LoginFailure
from tests import factories as f
from tests.cucs_portal.test_security_headers import assert_security_headers, inline_code

pytestmark = pytest.mark.django_db

LIMIT = settings.LOGIN_LOCKOUT_FAILURES
WRONG = "pas-le-bon-mot-de-passe"


def english_client(address="192.0.2.10", **extra):
    """A browser at ``address`` that chose English (the lockout page's text is
    asserted in its English source)."""
    client = Client(REMOTE_ADDR=address, **extra)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def log_in(client, username, password, url_name="login"):
    return client.post(reverse(url_name), {"username": username, "password": password})


def fail(client, username, times=LIMIT, url_name="login"):
    for _ in range(times):
        response = log_in(client, username, WRONG, url_name)
        assert response.status_code == 200  # the form again, with its error


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def test_the_limit_and_cool_off_are_five_failures_and_fifteen_minutes():
    """The settings the page below announces."""
    assert (settings.LOGIN_LOCKOUT_FAILURES, settings.LOGIN_LOCKOUT_MINUTES) == (5, 15)


def test_the_sixth_attempt_is_refused_even_with_the_right_password():
    """After five wrong passwords, the right one gets the lockout page (429),
    which says for how long and how to reset the password; nobody is signed in."""
    person = f.UserFactory()
    client = english_client()
    fail(client, person.username)

    response = log_in(client, person.username, f.PASSWORD)

    assert response.status_code == 429
    assert "registration/lockout.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert (
        f"After 5 failed attempts, logging in as “{person.username}” from your "
        "connection is blocked for 15 minutes." in html
    )
    assert re.search(r"You can try again from \d\d:\d\d\.", html)
    assert f'href="{reverse("password_reset")}"' in html
    assert not signed_in(client)
    assert "no-store" in response["Cache-Control"]
    assert_security_headers(response)
    assert inline_code(html) == []


def test_the_lockout_page_is_in_french_by_default():
    """Without a language chosen, the page is the portal's French one."""
    person = f.UserFactory()
    client = Client(REMOTE_ADDR="192.0.2.10")
    fail(client, person.username)

    response = log_in(client, person.username, f.PASSWORD)

    assert response.status_code == 429
    assert 'lang="fr"' in response.content.decode()


def test_four_failures_do_not_lock():
    """Below the limit the right password still signs in."""
    person = f.UserFactory()
    client = english_client()
    fail(client, person.username, times=LIMIT - 1)

    response = log_in(client, person.username, f.PASSWORD)

    assert response.status_code == 302
    assert signed_in(client)


def test_the_admin_login_is_throttled_too():
    """The admin's login form counts failures and shows the same page."""
    admin = f.UserFactory(is_staff=True, is_superuser=True)
    client = english_client()
    fail(client, admin.username, url_name="admin:login")

    response = log_in(client, admin.username, f.PASSWORD, "admin:login")

    assert response.status_code == 429
    assert "registration/lockout.html" in [t.name for t in response.templates]


def test_failures_on_both_forms_add_up():
    """Three failures on the portal's form and two on the admin's lock the pair."""
    admin = f.UserFactory(is_staff=True, is_superuser=True)
    client = english_client()
    fail(client, admin.username, times=3)
    fail(client, admin.username, times=2, url_name="admin:login")

    assert log_in(client, admin.username, f.PASSWORD).status_code == 429


def test_the_lockout_is_for_this_username_from_this_address_only():
    """Locked out from one address, the person still logs in from another; and
    a colleague behind the same address logs in."""
    person, colleague = f.UserFactory(), f.UserFactory()
    fail(english_client("192.0.2.10"), person.username)

    elsewhere = english_client("198.51.100.7")
    same_office = english_client("192.0.2.10")

    assert log_in(elsewhere, person.username, f.PASSWORD).status_code == 302
    assert log_in(same_office, colleague.username, f.PASSWORD).status_code == 302
    assert log_in(same_office, person.username, f.PASSWORD).status_code == 429


def test_a_success_resets_the_count_of_its_own_pair_only():
    """Four failures then a success start the count again for that pair; a
    colleague's success from the same address lifts nothing for anyone else."""
    person, colleague = f.UserFactory(), f.UserFactory()
    client = english_client()
    fail(client, person.username, times=LIMIT - 1)
    assert log_in(client, person.username, f.PASSWORD).status_code == 302
    fail(english_client(), person.username, times=LIMIT - 1)
    assert log_in(english_client(), person.username, f.PASSWORD).status_code == 302

    locked = f.UserFactory()
    fail(english_client(), locked.username)
    assert log_in(english_client(), colleague.username, f.PASSWORD).status_code == 302

    assert log_in(english_client(), locked.username, f.PASSWORD).status_code == 429


def test_attempts_during_the_lockout_do_not_prolong_it():
    """Trying again while locked out is refused without being counted: the
    lockout ends fifteen minutes after the fifth failure."""
    person = f.UserFactory()
    client = english_client()
    fail(client, person.username)
    for _ in range(3):
        assert log_in(client, person.username, WRONG).status_code == 429

    failure = LoginFailure.objects.get(username=person.username)
    assert failure.failures == LIMIT


def test_the_lockout_ends_after_the_cool_off():
    """Fifteen minutes after the last failure, the right password signs in."""
    person = f.UserFactory()
    client = english_client()
    fail(client, person.username)
    LoginFailure.objects.filter(username=person.username).update(
        last_failure_at=datetime.datetime.now(datetime.UTC)
        - datetime.timedelta(minutes=15, seconds=1)
    )

    response = log_in(client, person.username, f.PASSWORD)

    assert response.status_code == 302
    assert signed_in(client)
    assert not LoginFailure.objects.filter(username=person.username).exists()


def test_unknown_usernames_are_throttled_too():
    """Guessing accounts is slowed down the same way (nothing tells whether the
    account exists)."""
    client = english_client()
    fail(client, "personne-inconnue")

    assert log_in(client, "personne-inconnue", WRONG).status_code == 429


def test_a_new_password_through_the_emailed_link_lifts_the_lockout():
    """The way out the page offers: reset the password, then log in with it at
    once, from the locked address."""
    person = f.UserFactory()
    client = english_client()
    fail(client, person.username)

    client.post(reverse("password_reset"), {"email": person.email})
    link = re.search(r"https?://[^/\s]+(/compte/reset/\S+/)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    new_password = "un-tout-nouveau-mot-de-passe-2007"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302

    response = log_in(client, person.username, new_password)

    assert response.status_code == 302
    assert signed_in(client)


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_address_it_saw_counts():
    """With one reverse proxy, the client is the last address of
    X-Forwarded-For: what the client wrote before it cannot dodge the lockout."""
    person = f.UserFactory()
    proxy = "10.0.0.2"
    for spoofed in ["203.0.113.1", "203.0.113.2", "203.0.113.3", "1.1.1.1", "2.2.2.2"]:
        client = english_client(proxy, HTTP_X_FORWARDED_FOR=f"{spoofed}, 192.0.2.10")
        assert log_in(client, person.username, WRONG).status_code == 200

    other_client = english_client(proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    locked_client = english_client(
        proxy, HTTP_X_FORWARDED_FOR="203.0.113.9, 192.0.2.10"
    )

    assert log_in(locked_client, person.username, f.PASSWORD).status_code == 429
    assert log_in(other_client, person.username, f.PASSWORD).status_code == 302
    assert LoginFailure.objects.get().ip_address == "192.0.2.10"


def test_without_a_proxy_x_forwarded_for_is_ignored():
    """Connected directly (the default), a client cannot choose its address."""
    person = f.UserFactory()
    for spoofed in ["203.0.113.1", "203.0.113.2", "203.0.113.3", "1.1.1.1", "2.2.2.2"]:
        client = english_client("192.0.2.10", HTTP_X_FORWARDED_FOR=spoofed)
        assert log_in(client, person.username, WRONG).status_code == 200

    assert log_in(english_client(), person.username, f.PASSWORD).status_code == 429


def test_the_test_clients_login_helpers_still_work():
    """``force_login`` (most tests) and ``login`` (a request-less authenticate)
    are not throttled, even for a locked-out pair."""
    person = f.UserFactory()
    fail(english_client("127.0.0.1"), person.username)

    client = Client()
    assert client.login(username=person.username, password=f.PASSWORD)
    other = Client()
    other.force_login(person)

    assert other.get(reverse("dashboard")).status_code == 200
