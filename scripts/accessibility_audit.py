"""The automated accessibility audit the « Déclaration d'accessibilité »
renders: axe-core on every page of the site map, signed out and signed in as
each demo person.

    .venv/bin/python scripts/accessibility_audit.py [--base-url URL]

Without ``--base-url`` it builds a fresh demo database (migrate + seed_demo)
in a temporary SQLite file and runs the development server on it, as
scripts/help_screenshots.py does. Each person signs in with Playwright
(Debian's Chromium, or ``CUCS_CHROMIUM``), opens « Plan du site » and every
page it lists for them; axe-core (the copy bundled with axe-playwright-python,
the suite's) runs on each. The result is written to
dashboard/accessibility_audit.json: commit it, the statement shows its date,
its pages and the rules not met (dashboard/statements.py reads it).
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from help_screenshots import (  # noqa: E402 (beside this script)
    PASSWORD,
    build_demo,
    chromium_path,
    free_port,
    start_server,
)

OUTPUT = ROOT / "dashboard" / "accessibility_audit.json"
WIDTH, HEIGHT = 1280, 800
SITE_MAP = "/plan-du-site/"
# None: signed out. Then the demo's accounts (demo/management/commands), one
# per role.
LOGINS = (
    None,
    "membre",
    "animateur",
    "referent",
    "commission",
    "secretariat",
    "partenaire",
    "admin",
)

# Resolves when the finite animations and transitions have finished
# (tests/browser/support.py): a transition half-way would be measured so.
SETTLED_JS = """() => Promise.all(
  document.getAnimations()
    .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
    .map((a) => a.finished.catch(() => null))
)"""


def sign_in(page, login: str) -> None:
    page.goto("/compte/login/")
    page.fill("#id_username", login)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    # The demo's admin and secretariat give their second factor.
    from demo.two_factor import pass_second_step

    pass_second_step(page)
    if "/compte/login/" in page.url:
        raise SystemExit(f"Could not sign in as {login}.")


def site_map_paths(page) -> list[str]:
    page.goto(SITE_MAP)
    hrefs = page.eval_on_selector_all(
        "main .site-map a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    return [SITE_MAP, *dict.fromkeys(h for h in hrefs if h != SITE_MAP)]


def audit(base_url: str) -> dict:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    axe = Axe()
    pages: dict[str, dict] = {}  # path → title, roles, rules
    rules: dict[str, dict] = {}  # rule id → what axe says, pages, elements
    axe_version = ""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox"], headless=True
        )
        browser_name = f"Chromium {browser.version} (headless), {WIDTH}×{HEIGHT}"
        for login in LOGINS:
            context = browser.new_context(
                base_url=base_url,
                locale="fr-FR",
                timezone_id="Europe/Paris",
                viewport={"width": WIDTH, "height": HEIGHT},
            )
            page = context.new_page()
            if login:
                sign_in(page, login)
            role = login or "anonyme"
            for path in site_map_paths(page):
                response = page.goto(path)
                if response is None or response.status != 200:
                    raise SystemExit(f"{path} answered {response and response.status}")
                page.wait_for_load_state("networkidle")
                page.evaluate(SETTLED_JS)
                results = axe.run(page).response
                axe_version = results["testEngine"]["version"]
                seen = pages.setdefault(
                    path,
                    {"path": path, "title": page.title(), "roles": [], "rules": {}},
                )
                seen["roles"].append(role)
                for violation in results["violations"]:
                    rule = rules.setdefault(
                        violation["id"],
                        {
                            "rule": violation["id"],
                            "impact": violation["impact"],
                            "help": violation["help"],
                            "help_url": violation["helpUrl"],
                            "pages": set(),
                            "elements": set(),
                        },
                    )
                    rule["pages"].add(path)
                    targets = {
                        (path, json.dumps(node["target"]))
                        for node in violation["nodes"]
                    }
                    rule["elements"] |= targets
                    seen["rules"][violation["id"]] = True
            context.close()
        browser.close()
    order = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}
    today = datetime.datetime.now(ZoneInfo("Europe/Paris")).date()
    return {
        "date": today.isoformat(),
        "axe_version": axe_version,
        "browser": browser_name,
        "roles": [login or "anonyme" for login in LOGINS],
        "pages": [
            {
                "path": page["path"],
                "title": page["title"],
                "roles": page["roles"],
                "violations": sorted(page["rules"]),
            }
            for page in sorted(pages.values(), key=lambda page: page["path"])
        ],
        "violations": [
            {
                "rule": rule["rule"],
                "impact": rule["impact"],
                "help": rule["help"],
                "help_url": rule["help_url"],
                "pages": sorted(rule["pages"]),
                "nodes": len(rule["elements"]),
            }
            for rule in sorted(
                rules.values(), key=lambda r: (order.get(r["impact"], 9), r["rule"])
            )
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--base-url", help="audit a running demo server instead of a fresh one"
    )
    args = parser.parse_args()
    if args.base_url:
        result = audit(args.base_url.rstrip("/"))
    else:
        with tempfile.TemporaryDirectory(prefix="cucs-a11y-") as tmp:
            build_demo(f"sqlite:///{tmp}/demo.sqlite3")
            port = free_port()
            server = start_server(port)
            try:
                result = audit(f"http://127.0.0.1:{port}")
            finally:
                server.terminate()
                server.wait()
    OUTPUT.write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    blocking = [
        rule
        for rule in result["violations"]
        if rule["impact"] in ("serious", "critical")
    ]
    print(
        f"{OUTPUT.relative_to(ROOT)}: {len(result['pages'])} pages, "
        f"{len(result['violations'])} rules not met ({len(blocking)} serious or "
        "critical)"
    )
    for rule in result["violations"]:
        print(f"  [{rule['impact']}] {rule['rule']}: {', '.join(rule['pages'])}")


if __name__ == "__main__":
    main()
