"""Login brute force (cucs_portal/lockout.py): five failed logins with one
username from one address (an IPv6 /64) lock that pair out for fifteen minutes,
on the portal's login page (the admin's hands over to it), with a page that
says so; wrong second-factor codes count too (test_two_factor.py);
past ten failures on one account from anywhere, browsers that have not signed
in to it must wait, 1 s doubling up to five minutes."""

import datetime
import re
import threading
import time

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.db import connection
from django.db.models import F
from django.test import Client, override_settings
from django.urls import reverse

from cucs_portal import lockout
from cucs_portal.models import AccountLoginFailure, LoginFailure
from tests import factories as f
from tests.ateliers.test_concurrency import at_the_same_moment
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


def reset_password(client, person, new_password):
    """Asks for the e-mailed link from ``client`` and chooses ``new_password``
    through it."""
    mail.outbox.clear()
    client.post(reverse("password_reset"), {"email": person.email})
    link = re.search(r"https?://[^/\s]+(/compte/reset/\S+/)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302


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


def test_the_admin_has_no_login_form_of_its_own():
    """The admin's login hands over to the portal's, which is throttled (and
    asks for the second factor, tests/cucs_portal/test_two_factor.py), and
    brings the person back to the admin."""
    client = english_client()

    response = client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": "admin", "password": WRONG},
    )

    assert (response.status_code, response.url) == (302, "/compte/login/?next=/admin/")
    assert not LoginFailure.objects.exists()


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

    new_password = "un-tout-nouveau-mot-de-passe-2007"
    reset_password(client, person, new_password)

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


# IPv6 /64s and the account-wide slowdown.

ACCOUNT_LIMIT = settings.LOGIN_ACCOUNT_FAILURES


def fail_from(addresses, username):
    """One wrong password from each address, each from a browser of its own."""
    for address in addresses:
        assert log_in(english_client(address), username, WRONG).status_code == 200


def ipv4_addresses(count, network="203.0.113"):
    return [f"{network}.{host}" for host in range(1, count + 1)]


def ipv6_networks(count):
    """One address in each of ``count`` different /64s."""
    return [f"2001:db8:{block:x}:1::7" for block in range(1, count + 1)]


def time_passes(username, seconds):
    """As if ``seconds`` had gone by since the account's last failure."""
    AccountLoginFailure.objects.filter(username=username).update(
        last_failure_at=F("last_failure_at") - datetime.timedelta(seconds=seconds)
    )


def account_failures(username) -> int:
    return AccountLoginFailure.objects.get(username=username).failures


def test_the_account_slowdown_settings():
    """Ten failures on an account, each within an hour of the previous, then a
    wait capped at five minutes; a browser is known for sixty days."""
    assert (
        settings.LOGIN_ACCOUNT_FAILURES,
        settings.LOGIN_ACCOUNT_WINDOW_MINUTES,
        settings.LOGIN_ACCOUNT_MAX_DELAY_SECONDS,
        settings.LOGIN_KNOWN_DEVICE_DAYS,
    ) == (10, 60, 300, 60)


def test_addresses_of_one_ipv6_64_are_locked_as_one():
    """An attacker picking a new address of its /64 for each attempt is counted
    as one address: five failures from five addresses of 2001:db8:1:2::/64 lock
    the username from all of that network, not from the next one."""
    person = f.UserFactory()
    fail_from(
        [
            "2001:db8:1:2::1",
            "2001:db8:1:2::2",
            "2001:db8:1:2:aaaa::3",
            "2001:db8:1:2:ffff:ffff:ffff:fffe",
            "2001:0db8:0001:0002:0000:0000:0000:0005",
        ],
        person.username,
    )

    response = log_in(english_client("2001:db8:1:2::99"), person.username, f.PASSWORD)

    assert response.status_code == 429
    assert "from your connection is blocked for 15 minutes" in response.content.decode()
    assert LoginFailure.objects.get().ip_address == "2001:db8:1:2::/64"
    next_network = english_client("2001:db8:1:3::1")
    assert log_in(next_network, person.username, f.PASSWORD).status_code == 302


def test_an_ipv4_mapped_ipv6_address_is_its_ipv4_address():
    """::ffff:192.0.2.10 and 192.0.2.10 are one client."""
    person = f.UserFactory()
    fail(english_client("::ffff:192.0.2.10"), person.username)

    assert log_in(english_client(), person.username, f.PASSWORD).status_code == 429
    assert LoginFailure.objects.get().ip_address == "192.0.2.10"


def test_ipv4_addresses_stay_one_by_one():
    """A colleague at the next IPv4 address of the same office is not locked by
    failures from 192.0.2.10, on that username or on their own."""
    person, colleague = f.UserFactory(), f.UserFactory()
    fail(english_client("192.0.2.10"), person.username)

    assert (
        log_in(english_client("192.0.2.11"), person.username, f.PASSWORD).status_code
        == 302
    )
    assert (
        log_in(english_client("192.0.2.11"), colleague.username, f.PASSWORD).status_code
        == 302
    )


@pytest.mark.parametrize(
    "addresses",
    [ipv4_addresses(ACCOUNT_LIMIT), ipv6_networks(ACCOUNT_LIMIT)],
    ids=["ipv4-addresses", "ipv6-networks"],
)
def test_an_attacker_rotating_addresses_is_slowed_on_the_account(addresses):
    """Ten failures from ten addresses (or /64s), none locked on its own: the
    next attempt from yet another address, even with the right password, is
    refused until a second after the last failure, and not counted; then the
    wait doubles with each failure."""
    person = f.UserFactory()
    fail_from(addresses, person.username)
    stranger = english_client("198.51.100.200")

    response = log_in(stranger, person.username, f.PASSWORD)

    assert response.status_code == 429
    assert not signed_in(stranger)
    html = response.content.decode()
    assert "Try again in 1 second." in html
    assert "from several connections" in html
    assert response["Retry-After"] == "1"
    assert f'href="{reverse("password_reset")}"' in html
    assert account_failures(person.username) == ACCOUNT_LIMIT

    time_passes(person.username, 1)
    fail_from(["198.51.100.201"], person.username)
    response = log_in(english_client("198.51.100.202"), person.username, WRONG)

    assert response.status_code == 429
    assert "Try again in 2 seconds." in response.content.decode()
    assert account_failures(person.username) == ACCOUNT_LIMIT + 1


def test_the_account_slowdown_page_is_in_french_by_default():
    """« Réessayez dans 1 seconde. » in the portal's language, and the way in
    for the real person worded for anyone (no « connecté » agreeing with
    them)."""
    person = f.UserFactory()
    fail_from(ipv4_addresses(ACCOUNT_LIMIT), person.username)

    response = log_in(Client(REMOTE_ADDR="198.51.100.200"), person.username, WRONG)

    assert response.status_code == 429
    html = response.content.decode()
    assert "Réessayez dans 1\u00a0seconde." in html
    assert "Depuis un navigateur utilisé récemment pour vous connecter" in html
    assert "vous êtes connecté" not in html


def test_the_account_wait_is_capped_at_five_minutes():
    """However many failures, an attempt waits at most five minutes after the
    last one: then the right password signs in."""
    person = f.UserFactory()
    fail_from(ipv4_addresses(ACCOUNT_LIMIT), person.username)
    AccountLoginFailure.objects.filter(username=person.username).update(
        failures=100_000
    )

    response = log_in(english_client("198.51.100.200"), person.username, WRONG)

    assert response.status_code == 429
    assert "Try again in 5 minutes." in response.content.decode()
    assert 295 <= int(response["Retry-After"]) <= 300
    time_passes(person.username, 300)
    assert (
        log_in(
            english_client("198.51.100.200"), person.username, f.PASSWORD
        ).status_code
        == 302
    )


@pytest.mark.parametrize(
    ("failures", "seconds"),
    [(9, 0), (10, 1), (11, 2), (12, 4), (17, 128), (18, 256), (19, 300), (10**9, 300)],
)
def test_the_account_wait_doubles_up_to_its_cap(failures, seconds):
    """1 s at ten failures, doubling with each one, never above 300 s."""
    assert lockout.account_delay(failures) == datetime.timedelta(seconds=seconds)


def test_the_real_person_on_their_known_device_signs_in_during_the_attack():
    """The person signed in from their browser last week; an attacker on many
    addresses now slows the account down for everyone else, but that browser
    signs in at once, from the office or from home."""
    person = f.UserFactory()
    browser = english_client("192.0.2.50")
    assert log_in(browser, person.username, f.PASSWORD).status_code == 302
    cookie = browser.cookies[lockout.KNOWN_DEVICE_COOKIE]
    assert cookie["httponly"]
    browser.post(reverse("logout"))
    fail_from(ipv4_addresses(ACCOUNT_LIMIT - 3) + ipv6_networks(3), person.username)
    assert log_in(english_client(), person.username, f.PASSWORD).status_code == 429

    assert log_in(browser, person.username, f.PASSWORD).status_code == 302
    assert signed_in(browser)
    at_home = english_client("2001:db8:99:1::5")
    at_home.cookies[lockout.KNOWN_DEVICE_COOKIE] = cookie.value
    assert log_in(at_home, person.username, f.PASSWORD).status_code == 302


def test_a_known_device_is_still_locked_by_its_own_pair():
    """The cookie lifts only the account-wide wait: five wrong passwords from
    the known browser lock its pair like anyone's."""
    person = f.UserFactory()
    browser = english_client("192.0.2.50")
    assert log_in(browser, person.username, f.PASSWORD).status_code == 302
    browser.post(reverse("logout"))
    fail(browser, person.username)

    response = log_in(browser, person.username, f.PASSWORD)

    assert response.status_code == 429
    assert "from your connection is blocked for 15 minutes" in response.content.decode()


def test_a_known_device_of_another_account_or_a_forged_cookie_is_not_known():
    """An attacker who signs in to their own account, or writes a cookie of
    their own, is slowed on the account they attack all the same."""
    person, attacker = f.UserFactory(), f.UserFactory()
    browser = english_client("198.51.100.200")
    assert log_in(browser, attacker.username, f.PASSWORD).status_code == 302
    browser.post(reverse("logout"))
    fail_from(ipv4_addresses(ACCOUNT_LIMIT), person.username)

    assert log_in(browser, person.username, WRONG).status_code == 429
    forged = english_client("198.51.100.201")
    forged.cookies[lockout.KNOWN_DEVICE_COOKIE] = "forged:value"
    assert log_in(forged, person.username, WRONG).status_code == 429


def test_a_colleague_signs_in_while_another_account_is_attacked():
    """The slowdown is per account: a colleague's login from a new browser
    is not slowed by the failures on someone else's username."""
    person, colleague = f.UserFactory(), f.UserFactory()
    fail_from(ipv4_addresses(ACCOUNT_LIMIT), person.username)

    response = log_in(english_client("203.0.113.5"), colleague.username, f.PASSWORD)

    assert response.status_code == 302


def test_a_success_does_not_restart_the_account_count():
    """The real person signing in does not give the attacker ten new free tries."""
    person = f.UserFactory()
    fail_from(ipv4_addresses(ACCOUNT_LIMIT), person.username)
    time_passes(person.username, 1)
    assert (
        log_in(english_client("192.0.2.50"), person.username, f.PASSWORD).status_code
        == 302
    )

    assert (
        log_in(english_client("198.51.100.9"), person.username, WRONG).status_code
        == 200
    )
    assert (
        log_in(english_client("198.51.100.8"), person.username, WRONG).status_code
        == 429
    )


def test_the_account_count_starts_again_after_an_hour_without_failure():
    """Failures more than an hour apart do not add up on the account."""
    person = f.UserFactory()
    fail_from(ipv4_addresses(ACCOUNT_LIMIT), person.username)
    time_passes(person.username, 60 * 60)

    fail_from(["198.51.100.9"], person.username)

    assert account_failures(person.username) == 1


def test_a_new_password_through_the_emailed_link_lifts_the_account_slowdown():
    """From a browser that never signed in, during the attack: reset the
    password, then log in with it at once."""
    person = f.UserFactory()
    fail_from(ipv4_addresses(ACCOUNT_LIMIT), person.username)
    client = english_client("198.51.100.77")
    assert log_in(client, person.username, f.PASSWORD).status_code == 429

    new_password = "un-tout-nouveau-mot-de-passe-2007"
    reset_password(client, person, new_password)

    assert log_in(client, person.username, new_password).status_code == 302
    assert not AccountLoginFailure.objects.filter(username=person.username).exists()


NEW_PASSWORD = "un-tout-nouveau-mot-de-passe-2007"


def test_a_new_password_revokes_the_known_device_cookies_made_before_it():
    """The person's laptop, known to the account, was stolen: once they choose
    a new password, its cookie no longer lets anyone past the slowdown."""
    person = f.UserFactory()
    laptop = english_client("192.0.2.50")
    assert log_in(laptop, person.username, f.PASSWORD).status_code == 302
    stolen_cookie = laptop.cookies[lockout.KNOWN_DEVICE_COOKIE].value
    reset_password(english_client("192.0.2.51"), person, NEW_PASSWORD)
    fail_from(ipv4_addresses(ACCOUNT_LIMIT), person.username)
    thief = english_client("198.51.100.66")
    thief.cookies[lockout.KNOWN_DEVICE_COOKIE] = stolen_cookie

    response = log_in(thief, person.username, NEW_PASSWORD)

    assert response.status_code == 429
    assert "from several connections" in response.content.decode()


def test_the_browser_that_chose_a_new_password_is_known_at_once():
    """Someone keeps the account slowed, before and after the person resets
    the password from a new browser: that browser, whose user just proved
    they hold the mailbox, signs in at once; any other still waits."""
    person = f.UserFactory()
    fail_from(ipv4_addresses(ACCOUNT_LIMIT), person.username)
    new_browser = english_client("198.51.100.77")
    assert log_in(new_browser, person.username, f.PASSWORD).status_code == 429

    reset_password(new_browser, person, NEW_PASSWORD)
    fail_from(ipv4_addresses(ACCOUNT_LIMIT, "192.0.2"), person.username)
    other = english_client("198.51.100.78")
    assert log_in(other, person.username, NEW_PASSWORD).status_code == 429

    assert log_in(new_browser, person.username, NEW_PASSWORD).status_code == 302
    assert signed_in(new_browser)


# Attempts at the same moment, for real: threads, connections, committed rows.

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no row locks (select_for_update is a no-op there) and "
    "locks the whole database for each writer: parallel logins are only "
    "meaningful on PostgreSQL (run with DATABASE_URL=postgres://…).",
)
PARALLEL = 6


class SlowCheckHasher(MD5PasswordHasher):
    """The test settings' MD5, taking as long as production's PBKDF2 (about
    half a second) to check a password, and counting the checks: the time in
    which parallel attempts could slip past a count not yet written."""

    checks = 0
    lock = threading.Lock()

    def verify(self, password, encoded):
        with self.lock:
            type(self).checks += 1
        time.sleep(0.5)
        return super().verify(password, encoded)


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("counter", ["account", "pair"])
def test_parallel_attempts_get_one_password_check_when_one_is_allowed(counter):
    """Account: the 1 s wait after ten failures has just ended, and six
    attempts from six addresses arrive at the same moment. Pair: four failures
    from one address, then six at once from it. Either way one password is
    checked and counted; the five others get the lockout page, uncounted."""
    person = f.UserFactory()
    if counter == "account":
        fail_from(ipv4_addresses(ACCOUNT_LIMIT), person.username)
        time_passes(person.username, 1)
        addresses = ipv4_addresses(PARALLEL, "198.51.100")
    else:
        fail(english_client(), person.username, times=LIMIT - 1)
        addresses = ["192.0.2.10"] * PARALLEL
    SlowCheckHasher.checks = 0

    def attempt(address):
        return lambda: log_in(english_client(address), person.username, WRONG)

    hasher = f"{__name__}.{SlowCheckHasher.__name__}"
    with override_settings(PASSWORD_HASHERS=[hasher]):
        results = at_the_same_moment(*[attempt(address) for address in addresses])

    assert sorted(
        (kind, getattr(value, "status_code", value)) for kind, value, *_ in results
    ) == [("ok", 200)] + [("ok", 429)] * (PARALLEL - 1)
    assert SlowCheckHasher.checks == 1
    if counter == "account":
        assert account_failures(person.username) == ACCOUNT_LIMIT + 1
    else:
        assert LoginFailure.objects.get(username=person.username).failures == LIMIT
