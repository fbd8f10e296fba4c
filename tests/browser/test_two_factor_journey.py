"""Two-factor authentication in a real browser, with axe-core on every page:
the secretariat's first sign-in sets it up (the key typed from the page into a
TOTP computation, as an application would), the next one asks for the code,
wrong then right, by keyboard; a member turns it on from the account area and
signs in with a recovery code."""

import base64
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests import factories as f
from tests.factories import PASSWORD
from tests.two_factor_support import code_at, current_step, wrong_code_of
from tests.world import load_reference_fixtures

pytestmark = pytest.mark.browser

# Set to a directory to keep a screenshot of each page (to look at them).
SCREENSHOTS = os.environ.get("CUCS_TWO_FACTOR_SCREENSHOTS")


def shoot(visitor, name):
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        visitor.page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def path_of(page) -> str:
    return urlsplit(page.url).path


def key_on_the_page(page) -> str:
    """The key as the page shows it for typing, hex as TOTP computes with."""
    shown = page.locator("#two-factor-secret").inner_text()
    return base64.b32decode(shown.replace(" ", "")).hex()


def password_step(visitor, username):
    visitor.goto(reverse("login"))
    visitor.page.fill("#id_username", username)
    visitor.page.fill("#id_password", PASSWORD)
    visitor.follow(visitor.page.locator("main form button[type=submit]"))


def test_the_secretariat_sets_it_up_then_signs_in_with_the_code(
    visit, a11y, transactional_db
):
    load_reference_fixtures()
    f.UserFactory(username="claire", secretariat=True)
    claire = visit()

    # First sign-in: the password, then the set-up and nothing else.
    password_step(claire, "claire")
    assert path_of(claire.page) == reverse("two_factor:enrol")
    assert claire.page.locator("svg.two-factor-qr title").count() == 1
    shoot(claire, "1-enrol")
    claire.goto(reverse("audit:log"))
    assert path_of(claire.page) == reverse("two_factor:enrol")

    key = key_on_the_page(claire.page)
    claire.page.fill("#id_code", wrong_code_of(key))
    claire.follow(claire.page.locator("main form button[type=submit]"))
    assert claire.page.locator("#id_code.is-invalid").count() == 1
    claire.page.fill("#id_code", code_at(key, current_step()))
    claire.follow(claire.page.locator("main form button[type=submit]"))
    codes = claire.page.locator(".two-factor-codes code")
    assert codes.count() == 10
    shoot(claire, "2-recovery-codes")
    claire.follow(claire.page.locator("main a.btn-primary"))
    claire.goto(reverse("audit:log"))
    assert path_of(claire.page) == reverse("audit:log")
    claire.goto(reverse("two_factor:manage"))
    shoot(claire, "3-manage")
    claire.follow(claire.page.locator("form[action$='logout/'] button"))

    # Next sign-in: the password, then the code, by keyboard.
    password_step(claire, "claire")
    assert path_of(claire.page) == reverse("two_factor:verify")
    shoot(claire, "4-verify")
    assert claire.assert_focus_visible()["id"] == "id_code"
    claire.page.keyboard.type("12345")
    claire.press("Enter")
    error = claire.page.locator("#id_code.is-invalid")
    assert error.count() == 1
    assert claire.page.locator(".invalid-feedback").count() == 1
    shoot(claire, "5-verify-wrong")
    claire.page.fill("#id_code", code_at(key, current_step() + 1))
    claire.press("Enter")
    assert path_of(claire.page) == reverse("dashboard")
    assert claire.page.locator(".portal-user-name").count() == 1

    a11y.assert_clean(minimum_pages=10)


def test_a_member_turns_it_on_and_signs_in_with_a_recovery_code(
    visit, a11y, transactional_db
):
    load_reference_fixtures()
    person = f.UserFactory(username="nadia")
    f.AtelierMembershipFactory(user=person)
    nadia = visit()
    nadia.log_in("nadia")  # no device: the password alone

    manage = reverse("two_factor:manage")
    nadia.open_account_menu()
    nadia.follow(nadia.page.locator(f".portal-user-actions a[href='{manage}']"))
    shoot(nadia, "6-manage-off")
    nadia.follow(nadia.page.locator(f"main a[href='{reverse('two_factor:enrol')}']"))
    key = key_on_the_page(nadia.page)
    nadia.page.fill("#id_code", code_at(key, current_step()))
    nadia.follow(nadia.page.locator("main form button[type=submit]"))
    recovery = nadia.page.locator(".two-factor-codes code").first.inner_text()
    nadia.follow(nadia.page.locator("main a.btn-primary"))
    assert path_of(nadia.page) == manage
    assert (
        nadia.page.locator(f"form[action='{reverse('two_factor:disable')}']").count()
        == 1
    )
    nadia.follow(nadia.page.locator("form[action$='logout/'] button"))

    password_step(nadia, "nadia")
    nadia.page.locator("details summary").click()
    nadia.page.fill("#id_code", recovery)
    nadia.follow(nadia.page.locator("main form button[type=submit]"))
    assert path_of(nadia.page) == reverse("dashboard")
    shoot(nadia, "7-signed-in-with-recovery-code")

    a11y.assert_clean(minimum_pages=8)
