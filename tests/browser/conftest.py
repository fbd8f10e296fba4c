"""Real-browser tests: Playwright for Python drives Debian's Chromium against
pytest-django's live server (a thread of this process, on the test database).

Each test is a journey of real people, from the login form to what they would
check on screen (support.py). After each page a person reaches, ``A11y.check``
runs axe-core in it (the copy bundled by ``axe-playwright-python``, injected
with ``page.evaluate``, which the Content-Security-Policy does not block) and
records its violations; ``A11y.assert_clean`` fails on any "serious" or
"critical" one, and on any error in the browser's console.

The tests are skipped, with the reason, when no Chromium is found: set
``CUCS_CHROMIUM`` to a Chromium or Chrome binary, or install Debian's
``chromium`` (``.ci/run`` does). Playwright's own browser downloads are never
used.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM_ENV = "CUCS_CHROMIUM"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Playwright's waits: generous for a loaded CI machine, short enough to fail fast.
TIMEOUT_MS = 15_000


def find_chromium() -> tuple[str | None, str]:
    """The Chromium to drive, or None with the reason why there is none."""
    override = os.environ.get(CHROMIUM_ENV)
    if override:
        path = Path(override)
        if path.is_file() and os.access(path, os.X_OK):
            return str(path), ""
        return None, f"{CHROMIUM_ENV}={override} is not an executable file"
    for candidate in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(candidate)
        if found:
            return found, ""
    return None, (
        "no Chromium found (install Debian's 'chromium', as .ci/run does, "
        f"or set {CHROMIUM_ENV} to a Chromium binary)"
    )


def skip_reason() -> str | None:
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"Playwright or axe-playwright-python is not installed ({exc})"
    path, reason = find_chromium()
    return None if path else reason


def pytest_collection_modifyitems(config, items):
    """The browser tests run last (the slowest; and the live server, Chromium
    and the in-process worker grow this process, whose peak memory the PDF
    render tests see in their subprocess), or are skipped with the reason."""
    in_browser = [item for item in items if item.get_closest_marker("browser")]
    if in_browser:
        items[:] = [item for item in items if item not in in_browser] + in_browser
    reason = skip_reason()
    if reason is None:
        return
    skip = pytest.mark.skip(reason=f"browser test skipped: {reason}")
    for item in in_browser:
        item.add_marker(skip)


@pytest.fixture(scope="package")
def chromium() -> Iterator:
    """One Chromium for all the browser tests; each person gets a context.

    While Playwright's sync API runs, this thread counts as running an event
    loop, and Django refuses ORM calls from it (SynchronousOnlyOperation). The
    tests here are plain synchronous code (the live server and the worker run
    in threads of their own), so Django's guard is lifted for as long as
    Playwright runs, and only then.
    """
    reason = skip_reason()
    if reason:
        pytest.skip(f"browser test skipped: {reason}")
    from playwright.sync_api import sync_playwright

    path, _reason = find_chromium()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=path, args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()


@pytest.fixture
def a11y(chromium):
    from .support import A11y

    return A11y()


@pytest.fixture
def visit(chromium, live_server, a11y, readers_not_blocked_by_a_writer) -> Iterator:
    """``visit()`` opens a new browser context (a person, with their own
    cookies) on the live server; all are closed after the test."""
    from .support import Visitor

    contexts = []

    def open_context(**options) -> Visitor:
        context = chromium.new_context(
            base_url=live_server.url,
            locale="fr-FR",
            timezone_id="Europe/Paris",
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
            **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return Visitor(context.new_page(), a11y)

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def readers_not_blocked_by_a_writer(live_server):
    """On SQLite the test database is one in-memory database in shared-cache
    mode: the live server's thread reading while the worker's thread writes
    (the PDF's heartbeat) gets « database table is locked » at once, a lock
    SQLite's busy timeout does not wait for, which a real database file does
    not have. Readers there read without table locks (``read_uncommitted``,
    which only shared-cache connections honour), so a page polled during a
    render answers instead of failing on the lock. PostgreSQL: nothing to do."""
    from django.db import connections
    from django.db.backends.signals import connection_created

    def relax(sender, connection, **kwargs):
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA read_uncommitted = true")

    for connection in connections.all():
        if connection.vendor == "sqlite" and connection.connection is not None:
            relax(None, connection)
    connection_created.connect(relax)
    try:
        yield
    finally:
        connection_created.disconnect(relax)
