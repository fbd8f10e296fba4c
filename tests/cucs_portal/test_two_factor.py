"""Two-factor authentication (cucs_portal/two_factor.py): the code step of the
login, the lockout that counts its failures with the passwords', recovery
codes, the enrolment, and the accounts that cannot go anywhere without it."""

import time

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cucs_portal import two_factor
from cucs_portal.models import LoginFailure
from tests import factories as f
from tests import test_urls
from tests.two_factor_support import (
    code_at,
    current_step,
    give_device,
    next_code,
    unverified_login,
    wrong_code,
    wrong_code_of,
)

pytestmark = pytest.mark.django_db

LIMIT = settings.LOGIN_LOCKOUT_FAILURES
WRONG = "pas-le-bon-mot-de-passe"
CODE_STEP = "/compte/deux-facteurs/verification/"
ENROL = "/compte/deux-facteurs/activation/"


def english_client(address="192.0.2.10"):
    """A browser that chose English: the messages are asserted in their
    English source (the French is in the catalogue)."""
    client = Client(REMOTE_ADDR=address)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def password(client, user, secret=f.PASSWORD, next_url=None):
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": user.username, "password": secret})


def code(client, value):
    return client.post(reverse("two_factor:verify"), {"code": value})


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def verified(client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


@pytest.fixture
def person():
    """Someone who chose two-factor authentication, with recovery codes."""
    user = f.UserFactory()
    device = give_device(user)
    recovery = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    StaticToken.objects.create(device=recovery, token="abcdefgh")
    StaticToken.objects.create(device=recovery, token="ijklmnop")
    user.device = device
    return user


# --- The code step --------------------------------------------------------------


def test_the_right_password_asks_for_the_code_before_signing_in(person):
    client = english_client()

    response = password(client, person, next_url="/axes/")

    assert (response.status_code, response.url) == (302, CODE_STEP)
    assert not signed_in(client)
    page = client.get(CODE_STEP)
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302  # still signed out


def test_the_right_code_signs_in_verified_and_goes_where_asked(person):
    client = english_client()
    password(client, person, next_url="/axes/")

    response = code(client, next_code(person.device))

    assert (response.status_code, response.url) == (302, "/axes/")
    assert signed_in(client) and verified(client)
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_code_read_out_in_groups_is_accepted(person):
    client = english_client()
    password(client, person)
    typed = next_code(person.device)

    response = code(client, f" {typed[:3]} {typed[3:]} ")

    assert response.status_code == 302
    assert verified(client)


def test_a_wrong_code_says_so_in_the_form(person):
    client = english_client()
    password(client, person)

    response = code(client, wrong_code(person.device))

    assert response.status_code == 200
    html = response.content.decode()
    assert "This code is not right." in html
    assert 'aria-invalid="true"' in html
    assert not signed_in(client)


def test_a_code_is_good_once(person):
    """The same code cannot sign in a second time (one seen over a shoulder)."""
    first = english_client()
    password(first, person)
    used = next_code(person.device)
    code(first, used)
    second = english_client("192.0.2.11")
    password(second, person)

    response = code(second, used)

    assert response.status_code == 200
    assert not signed_in(second)


def test_the_code_step_expires(person):
    client = english_client()
    password(client, person)

    with override_settings(TWO_FACTOR_PENDING_SECONDS=0):
        time.sleep(1.1)
        response = code(client, next_code(person.device))

    assert (response.status_code, response.url) == (302, reverse("login"))
    assert not signed_in(client)


def test_a_new_password_meanwhile_voids_the_code_step(person):
    client = english_client()
    password(client, person)
    person.set_password("un-tout-autre-mot-de-passe")
    person.save()

    response = code(client, next_code(person.device))

    assert (response.status_code, response.url) == (302, reverse("login"))
    assert not signed_in(client)


def test_the_code_step_goes_nowhere_outside_the_portal(person):
    client = english_client()
    password(client, person, next_url="https://example.com/")

    response = code(client, next_code(person.device))

    assert response.url == reverse("dashboard")


# --- The lockout counts wrong codes ----------------------------------------------


def test_wrong_codes_count_with_wrong_passwords_towards_the_lockout(person):
    """Two wrong passwords, then the right one and three wrong codes: the pair
    is locked, the right code is refused, and so is the right password."""
    client = english_client()
    for _ in range(2):
        assert password(client, person, WRONG).status_code == 200
    password(client, person)
    for _ in range(LIMIT - 2):
        assert code(client, wrong_code(person.device)).status_code == 200

    refused = code(client, next_code(person.device))

    assert refused.status_code == 429
    assert "registration/lockout.html" in [t.name for t in refused.templates]
    assert not signed_in(client)
    assert password(client, person).status_code == 429


def test_the_right_password_is_no_fresh_start_for_guessing_codes(person):
    """Knowing the password and typing it again between wrong codes does not
    forget them."""
    client = english_client()
    for _ in range(LIMIT - 1):
        password(client, person)
        assert code(client, wrong_code(person.device)).status_code == 200

    password(client, person)
    assert code(client, wrong_code(person.device)).status_code == 200

    assert password(client, person).status_code == 429
    assert LoginFailure.objects.get(username=person.username).failures == LIMIT


def test_the_right_code_forgets_the_failures(person):
    client = english_client()
    password(client, person, WRONG)
    password(client, person)
    code(client, wrong_code(person.device))

    code(client, next_code(person.device))

    assert signed_in(client)
    assert not LoginFailure.objects.filter(username=person.username).exists()
    assert "cucs_known_device" in client.cookies  # only now a known device


def test_the_right_password_alone_is_no_known_device(person):
    client = english_client()

    password(client, person)

    assert "cucs_known_device" not in client.cookies


# --- Recovery codes -------------------------------------------------------------


def test_a_recovery_code_signs_in_once(person):
    client = english_client()
    password(client, person)

    response = code(client, "ABCD-EFGH")

    assert response.status_code == 302
    assert signed_in(client) and verified(client)
    assert not StaticToken.objects.filter(token="abcdefgh").exists()
    again = english_client("192.0.2.20")
    password(again, person)
    assert code(again, "abcd-efgh").status_code == 200
    assert not signed_in(again)


def test_new_recovery_codes_void_the_old_ones(person, client):
    client.force_login(person)

    response = client.post(reverse("two_factor:recovery_codes"))

    assert response.status_code == 200
    tokens = list(StaticToken.objects.filter(device__user=person))
    assert len(tokens) == 10
    assert "abcdefgh" not in {t.token for t in tokens}
    assert two_factor.display_code(tokens[0].token) in response.content.decode()


def test_the_recovery_codes_are_not_made_from_an_unverified_session(person):
    """A session opened before the device (elsewhere) changes nothing."""
    client = Client()
    unverified_login(client, person)

    assert client.post(reverse("two_factor:recovery_codes")).status_code == 403
    assert client.post(reverse("two_factor:disable")).status_code == 403
    assert client.get(ENROL).status_code == 403
    assert TOTPDevice.objects.filter(user=person).exists()


# --- Enrolment -----------------------------------------------------------------


def test_enrolment_shows_the_secret_and_saves_it_at_the_first_code():
    user = f.UserFactory()
    client = english_client()
    client.force_login(user)

    page = client.get(ENROL).content.decode()
    key = client.session[two_factor.ENROL_KEY]
    assert "<svg" in page and "two-factor-qr" in page
    assert two_factor.grouped(two_factor.base32_key(key)) in page
    assert not TOTPDevice.objects.filter(user=user).exists()

    wrong = client.post(ENROL, {"code": wrong_code_of(key)})
    assert wrong.status_code == 200
    assert "This code is not right." in wrong.content.decode()

    done = client.post(ENROL, {"code": code_at(key, current_step())})
    assert done.status_code == 200
    assert done.content.decode().count("<li><code>") == 10
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == key
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert verified(client)
    assert two_factor.ENROL_KEY not in client.session


def test_the_set_up_code_cannot_sign_in_afterwards():
    """The code that confirmed the device is used up."""
    user = f.UserFactory()
    client = english_client()
    client.force_login(user)
    client.get(ENROL)
    key = client.session[two_factor.ENROL_KEY]
    first = code_at(key, current_step())
    client.post(ENROL, {"code": first})
    other = english_client("192.0.2.30")
    password(other, user)

    assert code(other, first).status_code == 200
    assert not signed_in(other)


def test_an_optional_person_turns_it_off(person, client):
    client.force_login(person)

    response = client.post(reverse("two_factor:disable"))

    assert response.url == reverse("two_factor:manage")
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    other = english_client()
    assert password(other, person).url == reverse("dashboard")
    assert signed_in(other)


# --- The accounts that must use it ----------------------------------------------


REQUIRED = {
    "secretariat": {"secretariat": True},
    "superuser": {"superuser": True},
    "staff": {"is_staff": True},
}


@pytest.mark.parametrize("kind", REQUIRED)
def test_who_must_use_it_and_has_no_device_is_sent_to_the_enrolment(kind):
    user = f.UserFactory(**REQUIRED[kind])
    client = english_client()

    response = password(client, user, next_url="/journal/")
    assert signed_in(client) and not verified(client)
    landing = client.get(response.url)

    assert (landing.status_code, landing.url) == (302, f"{ENROL}?next=%2Fjournal%2F")
    assert client.get(reverse("admin:index")).url.startswith(ENROL)
    page = client.get(ENROL)
    assert page.status_code == 200
    assert "it must be protected by a second factor" in page.content.decode()


def test_once_enrolled_they_go_on_to_the_page_asked_for():
    user = f.UserFactory(secretariat=True)
    client = english_client()
    password(client, user)
    client.get(f"{ENROL}?next=/journal/")
    key = client.session[two_factor.ENROL_KEY]

    done = client.post(
        f"{ENROL}?next=/journal/", {"code": code_at(key, current_step())}
    )

    assert 'href="/journal/"' in done.content.decode()
    assert client.get("/journal/").status_code == 200


@pytest.fixture(scope="module")
def unenrolled(world, django_db_blocker):
    """A secretariat account without a device, signed in by its password."""
    with django_db_blocker.unblock():
        return f.UserFactory(username="secretariat-sans-code", secretariat=True)


# The world of the URL matrix (editions, share links) for its pages.
world = test_urls.world

ALLOWED = {"logout", "set_language", "health"}
PAGES = [name for name, page in test_urls.PAGES.items() if page.url_name not in ALLOWED]


@pytest.mark.parametrize("page", PAGES)
def test_who_must_use_it_reaches_no_page_before_enrolling(world, unenrolled, page):
    """Default deny: every page of the URL matrix, read or sent, sends to the
    enrolment, and nothing is done."""
    client = Client()
    unverified_login(client, unenrolled)
    spec = test_urls.PAGES[page]
    url = reverse(spec.url_name, kwargs=spec.kwargs(world))

    response = getattr(client, spec.method)(url, spec.post_data(world))

    assert response.status_code == 302
    assert response.url.startswith(ENROL + "?next=")


def test_who_must_use_it_may_choose_the_language_before_enrolling(unenrolled):
    client = Client()
    unverified_login(client, unenrolled)

    response = client.post(reverse("set_language"), {"language": "fr"})

    assert not response.url.startswith(ENROL)


def test_who_must_use_it_may_log_out_before_enrolling(unenrolled):
    client = Client()
    unverified_login(client, unenrolled)

    response = client.post(reverse("logout"))

    assert response.url == reverse("login")
    assert not signed_in(client)


@pytest.mark.parametrize(
    "url_name", ["personal_data", "accessibility", "legal_notice", "site_map"]
)
def test_who_must_use_it_may_read_the_public_statements_before_enrolling(
    unenrolled, url_name
):
    """The footer's statements are open to everyone, signed out or not
    verified yet: they are not held behind the enrolment."""
    client = Client()
    unverified_login(client, unenrolled)

    response = client.get(reverse(url_name))

    assert response.status_code == 200


def test_an_unverified_session_of_who_has_a_device_is_signed_out():
    """A session opened before the device was required, or without the code:
    signed out and sent to sign in again, with the code."""
    user = f.UserFactory(secretariat=True)
    give_device(user)
    client = Client()
    unverified_login(client, user)

    response = client.get(reverse("admin:index"))

    assert response.url == f"{reverse('login')}?next=%2Fadmin%2F"
    assert not signed_in(client)


def test_the_admin_needs_the_code_too():
    """The admin's login hands over to the portal's two steps and back."""
    admin = f.UserFactory(is_staff=True, superuser=True)
    device = give_device(admin)
    client = english_client()

    login_page = client.get(reverse("admin:index"), follow=True)
    assert login_page.redirect_chain[-1][0] == "/compte/login/?next=%2Fadmin%2F"
    password(client, admin, next_url="/admin/")
    response = code(client, next_code(device))

    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


# --- Query counts ---------------------------------------------------------------


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_two_factor_page_reads_as_many_queries_whatever_the_devices(person, client):
    """Its state, the recovery codes left and the permission are counted, not
    listed: more codes, and more people with devices, add no query."""
    client.force_login(person)
    url = reverse("two_factor:manage")
    before = queries_of(client, url)

    two_factor.recovery_codes_regenerate(user=person)
    for _ in range(5):
        give_device(f.UserFactory())

    assert queries_of(client, url) == before


def test_nobody_resets_the_second_factor_of_a_more_privileged_account():
    """A staff member allowed to delete devices resets a member's, never a
    superuser's (nor from the list's bulk action, which devices do not
    offer)."""
    from django.contrib.auth.models import Permission

    staff = f.UserFactory(is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_totpdevice", "delete_totpdevice"]
        )
    )
    superuser = f.UserFactory(is_staff=True, superuser=True)
    member = f.UserFactory()
    theirs, members = give_device(superuser), give_device(member)
    client = Client()
    client.force_login(staff)

    refused = client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[theirs.pk]), {"post": "yes"}
    )
    allowed = client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[members.pk]), {"post": "yes"}
    )
    listing = client.get(reverse("admin:otp_totp_totpdevice_changelist"))

    assert refused.status_code == 403
    assert TOTPDevice.objects.filter(pk=theirs.pk).exists()
    assert allowed.status_code == 302
    assert not TOTPDevice.objects.filter(pk=members.pk).exists()
    assert b"delete_selected" not in listing.content
