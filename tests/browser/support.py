"""What the journeys share: a person in a browser (``Visitor``) and the
accessibility record of every page they reach (``A11y``)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from unittest import mock
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.db import connections
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.management.commands.db_worker import Worker

from tests import two_factor_support
from tests.factories import PASSWORD
from tests.referentiel.support import run_worker
from tests.two_factor_support import next_code

BLOCKING_IMPACTS = ("serious", "critical")

# The element that has the focus: how it shows it (outline or box-shadow).
FOCUS_STYLE_JS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: (el.innerText || el.value || "").trim().slice(0, 60),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    boxShadow: style.boxShadow,
    width: box.width,
    height: box.height,
  };
}"""


# Resolves when the finite animations and transitions (not the endless ones,
# such as a progress bar's stripes) have finished.
SETTLED_JS = """() => Promise.all(
  document.getAnimations()
    .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
    .map((a) => a.finished.catch(() => null))
)"""


def new_axe():
    # Imported here: without the package, the tests are skipped, not broken.
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def focus_is_visible(style: dict) -> bool:
    outline = style["outlineStyle"] != "none" and style["outlineWidth"] >= 1
    shadow = style["boxShadow"] not in ("", "none")
    return (outline or shadow) and style["width"] > 1 and style["height"] > 1


@dataclass
class A11y:
    """axe-core's violations on every page checked during one test."""

    axe: object = field(default_factory=new_axe)
    pages: list = field(default_factory=list)  # (where, violations)
    console_errors: list = field(default_factory=list)

    def check(self, page) -> None:
        where = f"{page.title()} <{page.url}>"
        lang = page.evaluate("document.documentElement.lang")
        assert lang == "fr", f"<html lang={lang!r}> on {where}"
        # A hover or focus transition still running would be measured half-way.
        page.evaluate(SETTLED_JS)
        results = self.axe.run(page)
        self.pages.append((where, results.response["violations"]))

    def blocking(self) -> list[tuple[str, dict]]:
        return [
            (where, violation)
            for where, violations in self.pages
            for violation in violations
            if violation["impact"] in BLOCKING_IMPACTS
        ]

    def report(self) -> str:
        """The blocking violations, each element once, with the pages where it
        was found."""
        found: dict[tuple, list[str]] = {}
        for where, violation in self.blocking():
            for node in violation["nodes"]:
                key = (
                    violation["impact"],
                    violation["id"],
                    violation["help"],
                    violation["helpUrl"],
                    ", ".join(map(str, node["target"])),
                    node["html"][:300],
                    (node.get("failureSummary") or "").replace("\n", "\n      "),
                )
                pages = found.setdefault(key, [])
                if where not in pages:
                    pages.append(where)
        lines = []
        for (impact, rule, help_, url, target, html, summary), pages in found.items():
            lines += [
                f"\n[{impact}] {rule}: {help_} ({url})",
                f"  element: {target}",
                f"    {html}",
                f"      {summary}",
                *(f"  on {where}" for where in pages),
            ]
        return "\n".join(lines)

    def assert_clean(self, minimum_pages: int = 1) -> None:
        assert len(self.pages) >= minimum_pages, self.pages
        blocking = self.blocking()
        assert not blocking, (
            f"{len(blocking)} serious or critical accessibility violation(s) "
            f"on {len(self.pages)} pages checked:" + self.report()
        )
        assert not self.console_errors, "\n".join(self.console_errors)


class Visitor:
    """One person in their own browser context. Every page they reach through
    these methods is checked by axe-core."""

    def __init__(self, page, a11y: A11y):
        self.page = page
        self.a11y = a11y
        page.on("console", self._console)
        page.on(
            "pageerror",
            lambda error: a11y.console_errors.append(f"{page.url}: {error}"),
        )

    def _console(self, message) -> None:
        """Errors in the console (a script, a style or a fetch that failed, a
        CSP refusal) fail the test; the status of the page itself (a 409 after
        an edit conflict) is the test's to check."""
        if message.type != "error":
            return
        if message.text.startswith("Failed to load resource") and (
            message.location.get("url") == self.page.url
        ):
            return
        self.a11y.console_errors.append(f"{self.page.url}: {message.text}")

    # --- Moving around --------------------------------------------------------

    def goto(self, path: str):
        response = self.page.goto(path)
        self.a11y.check(self.page)
        return response

    def open_account_menu(self) -> None:
        """« Mon compte » in the header: a <details>, opened by its summary."""
        menu = self.page.locator("header details.portal-account")
        if menu.get_attribute("open") is None:
            menu.locator("summary").click()

    def follow(self, locator):
        """Click a link or a submit button, wait for the next page, check it."""
        with self.page.expect_navigation() as navigation:
            locator.click()
        self.a11y.check(self.page)
        return navigation.value

    def press(self, key: str):
        """Press a key that leads to another page (Enter in a form)."""
        with self.page.expect_navigation() as navigation:
            self.page.keyboard.press(key)
        self.a11y.check(self.page)
        return navigation.value

    # --- The keyboard ---------------------------------------------------------

    def tab_to(self, selector: str, limit: int = 80) -> dict:
        """Press Tab until the element matching ``selector`` has the focus (as a
        keyboard user would); return how the focus shows on it."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if self.page.evaluate(
                "(selector) => document.activeElement.matches(selector)", selector
            ):
                return self.focus_style()
        raise AssertionError(f"{selector} never got the focus in {limit} Tabs")

    def focus_style(self) -> dict:
        self.page.evaluate(SETTLED_JS)
        return self.page.evaluate(FOCUS_STYLE_JS)

    def assert_focus_visible(self) -> dict:
        style = self.focus_style()
        assert focus_is_visible(style), f"no visible focus indicator: {style}"
        return style

    # --- Logging in -----------------------------------------------------------

    def log_in(self, username: str, *, keyboard: bool = False) -> None:
        """Through the real login form; with ``keyboard``, Tab/typing/Enter only,
        checking that each focused element shows its focus. An account that
        must use two-factor authentication is given a device first, if it has
        none, and the second step is passed with a real code of its key."""
        device = self.device_of(username)
        self.goto("/compte/login/")
        if keyboard:
            # The username field has the focus on arrival (autofocus).
            focused = self.assert_focus_visible()
            if focused["id"] != "id_username":
                self.assert_focus_visible_after_tab_to("#id_username")
            self.page.keyboard.type(username)
            self.page.keyboard.press("Tab")
            assert self.assert_focus_visible()["id"] == "id_password"
            self.page.keyboard.type(PASSWORD)
            self.press("Enter")
        else:
            self.page.fill("#id_username", username)
            self.page.fill("#id_password", PASSWORD)
            self.follow(self.page.locator("main form button[type=submit]"))
        if device is not None:
            self.type_code(next_code(device), keyboard=keyboard)
        logged_in = self.page.locator(".portal-user-name")
        assert logged_in.count() == 1, f"{username} could not log in: {self.page.url}"

    @staticmethod
    def device_of(username: str):
        user = get_user_model().objects.get(username=username)
        if two_factor_support.needs_device(user):
            return two_factor_support.give_device(user)
        return TOTPDevice.objects.filter(user=user, confirmed=True).first()

    def type_code(self, code: str, *, keyboard: bool = False) -> None:
        """The second step of the login: the code, on the page that asks it."""
        assert urlsplit(self.page.url).path == reverse("two_factor:verify"), (
            self.page.url
        )
        if keyboard:
            # The code field has the focus on arrival (autofocus).
            assert self.assert_focus_visible()["id"] == "id_code"
            self.page.keyboard.type(code)
            self.press("Enter")
        else:
            self.page.fill("#id_code", code)
            self.follow(self.page.locator("main form button[type=submit]"))

    def assert_focus_visible_after_tab_to(self, selector: str, limit: int = 80) -> dict:
        style = self.tab_to(selector, limit)
        assert focus_is_visible(style), f"no visible focus indicator: {style}"
        return style


class WorkerThread(threading.Thread):
    """The background worker (``manage.py db_worker --batch``) in a thread of
    this process: it sees the live server's test database, in-memory SQLite
    included, and renders the PDFs queued until the queue is empty.

    Only its signal handlers are left out: Python installs them from the main
    thread only (the worker's SIGINT/SIGTERM shutdown is not under test)."""

    def __init__(self):
        super().__init__(name="db_worker", daemon=True)
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with mock.patch.object(Worker, "configure_signals", lambda worker: None):
                run_worker()
        except BaseException as exc:  # reported by the test
            self.error = exc
        finally:
            connections.close_all()
