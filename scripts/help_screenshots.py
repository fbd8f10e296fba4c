"""Takes the screenshots of the « Aide » pages from the demo, so that they
follow the UI: run it again after changing a page they show.

    .venv/bin/python scripts/help_screenshots.py

It builds a fresh demo database (migrate + seed_demo) in a temporary SQLite
file, runs the development server on it, signs in as each demo person with
Playwright (Debian's Chromium, or ``CUCS_CHROMIUM``), opens the pages of
``SHOTS`` and writes each as a palette PNG into static/img/help/, under the
name the help templates (dashboard/templates/dashboard/help/) reference.
tests/dashboard/test_help.py checks that both lists are the same.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "static" / "img" / "help"
WIDTH, HEIGHT = 1200, 800
PADDING = 16
PASSWORD = "demo-cucs-2007"  # the demo's accounts (demo/management/commands)


@dataclass(frozen=True)
class Shot:
    """One screenshot: ``name``.png, as ``login``, of the page ``url()``
    returns (called once the demo exists); cropped to ``crop`` (a CSS
    selector, the first match, padded) or else the top of the page."""

    name: str
    login: str
    url: Callable[[], str]
    crop: str | None = None

    @property
    def filename(self) -> str:
        return f"{self.name}.png"


def _reverse(name: str, **kwargs) -> Callable[[], str]:
    def url() -> str:
        from django.urls import reverse

        return reverse(name, kwargs=kwargs)

    return url


def _atelier(name: str = "ateliers:detail") -> Callable[[], str]:
    def url() -> str:
        from django.urls import reverse

        from ateliers.models import Atelier

        return reverse(name, kwargs={"pk": Atelier.objects.get(axis__number=1).pk})

    return url


def _proposal(status: str, name: str = "ateliers:proposal_detail") -> Callable:
    """The first proposal of atelier 1 in ``status``."""

    def url() -> str:
        from django.urls import reverse

        from ateliers.models import Proposal

        proposal = (
            Proposal.objects.filter(atelier__axis__number=1, status=status)
            .order_by("pk")
            .first()
        )
        return reverse(name, kwargs={"pk": proposal.pk})

    return url


def _convened_session() -> str:
    from commission.models import CommissionSession

    session = CommissionSession.objects.filter(status="convened").order_by("pk")
    return session.first().get_absolute_url()


def _draft_edition() -> str:
    from django.urls import reverse

    from referentiel.models import Edition

    edition = Edition.objects.filter(status="draft").order_by("pk").first()
    return reverse("referentiel:detail", kwargs={"pk": edition.pk})


def _seminar() -> str:
    from django.urls import reverse

    from seminaire.models import Event

    event = Event.objects.order_by("pk").first()
    return reverse("seminaire:detail", kwargs={"pk": event.pk})


SHOTS = (
    # Atelier member
    Shot("membre-tableau-de-bord", "membre", _reverse("dashboard"), ".my-tasks"),
    Shot("membre-propositions", "membre", _reverse("ateliers:proposal_list")),
    Shot(
        "membre-nouvelle-proposition",
        "membre",
        _atelier("ateliers:proposal_create"),
    ),
    Shot("membre-proposition-renvoyee", "membre", _proposal("changes_requested")),
    Shot(
        "membre-historique",
        "membre",
        _proposal("changes_requested", "ateliers:proposal_history"),
    ),
    Shot("membre-fiches", "membre", _reverse("capitalisation:mine")),
    # Co-animator
    Shot("co-animateur-atelier", "referent", _atelier()),
    Shot("co-animateur-membres", "referent", _atelier("ateliers:members")),
    Shot("co-animateur-seance", "referent", _atelier("ateliers:session_create")),
    Shot("co-animateur-enjeux", "referent", _atelier("ateliers:enjeux")),
    Shot("co-animateur-soumettre", "referent", _proposal("draft")),
    # Commission delegate
    Shot("delegue-taches", "commission", _reverse("dashboard"), ".my-tasks"),
    Shot(
        "delegue-seance",
        "commission",
        _convened_session,
        'main div:has(> form[action*="/points/"])',
    ),
    Shot("delegue-a-decider", "commission", _reverse("commission:review_queue")),
    Shot(
        "delegue-suggestion",
        "commission",
        _proposal("changes_requested", "ateliers:suggestion_create"),
    ),
    # Secretariat
    Shot("secretariat-convoquer", "secretariat", _reverse("commission:session_create")),
    Shot("secretariat-seance", "secretariat", _convened_session),
    Shot("secretariat-referentiel", "secretariat", _draft_edition),
    Shot("secretariat-seminaire", "secretariat", _seminar),
    Shot("secretariat-fiches", "secretariat", _reverse("capitalisation:review_queue")),
    Shot("secretariat-journal", "secretariat", _reverse("audit:log")),
    # Partner
    Shot("partenaire-propositions", "partenaire", _reverse("ateliers:proposal_list")),
    Shot("partenaire-referentiel", "partenaire", _reverse("referentiel:list")),
    Shot("partenaire-programmation", "partenaire", _reverse("declinaison:programming")),
    Shot("partenaire-bibliotheque", "partenaire", _reverse("capitalisation:library")),
    Shot("partenaire-seminaire", "partenaire", _seminar),
)


def build_demo(database_url: str) -> None:
    """A fresh demo database, and Django set up on it for ``SHOTS``' URLs."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cucs_portal.settings.development")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/sante/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("the development server did not start")


def chromium_path() -> str:
    path = os.environ.get("CUCS_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).is_file():
        raise SystemExit(f"No Chromium at {path}: set CUCS_CHROMIUM.")
    return path


def clip_of(page, selector: str | None) -> dict:
    if not selector:
        return {"x": 0, "y": 0, "width": WIDTH, "height": HEIGHT}
    box = page.locator(selector).first.bounding_box()
    x = max(box["x"] - PADDING, 0)
    y = max(box["y"] - PADDING, 0)
    width = min(box["width"] + 2 * PADDING, WIDTH - x)
    height = min(box["height"] + 2 * PADDING, HEIGHT)
    return {"x": x, "y": y, "width": width, "height": height}


def optimise(path: Path) -> None:
    """A 256-colour palette PNG: screenshots of flat pages lose nothing a
    reader sees, and weigh a fraction of the full-colour file."""
    from PIL import Image

    with Image.open(path) as image:
        palette = image.convert("RGB").quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    palette.save(path, optimize=True)


def take(base_url: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    written = []
    logins = dict.fromkeys(shot.login for shot in SHOTS)
    # Before Playwright starts: while it runs, Django refuses ORM calls from
    # this thread (it counts as running an event loop).
    urls = {shot.name: shot.url() for shot in SHOTS}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox"], headless=True
        )
        for login in logins:
            context = browser.new_context(
                base_url=base_url,
                locale="fr-FR",
                timezone_id="Europe/Paris",
                viewport={"width": WIDTH, "height": HEIGHT},
            )
            page = context.new_page()
            page.goto("/compte/login/")
            page.fill("#id_username", login)
            page.fill("#id_password", PASSWORD)
            with page.expect_navigation():
                page.click("main form button[type=submit]")
            # The demo's admin and secretariat give their second factor.
            from demo.two_factor import pass_second_step

            pass_second_step(page)
            for shot in (shot for shot in SHOTS if shot.login == login):
                page.goto(urls[shot.name])
                page.wait_for_load_state("networkidle")
                path = OUTPUT / shot.filename
                page.screenshot(
                    path=path,
                    clip=clip_of(page, shot.crop),
                    full_page=True,
                    animations="disabled",
                    caret="hide",
                )
                optimise(path)
                written.append(path)
            context.close()
        browser.close()
    return written


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="cucs-help-") as tmp:
        build_demo(f"sqlite:///{tmp}/demo.sqlite3")
        port = free_port()
        server = start_server(port)
        try:
            written = take(f"http://127.0.0.1:{port}")
        finally:
            server.terminate()
            server.wait()
    for path in written:
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
