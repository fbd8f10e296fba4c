"""The statements every page's footer links to: « Données personnelles »,
« Déclaration d'accessibilité », « Mentions légales » and « Plan du site ».

They are public (``login_not_required``, Django's mark for a page open to
everyone), written in their templates (``dashboard/statements/``), and fill in
what changes from one deployment to another from ``settings.PORTAL_PUBLISHER``.
The accessibility statement renders the last automated audit,
``accessibility_audit.json`` beside this module, which
``scripts/accessibility_audit.py`` writes.

The site map is not written per role: each entry names a URL, and whether the
person sees it is asked of the view behind that URL, the way the view itself
decides (``can_open``). tests/dashboard/test_statements.py checks, for every
role, that each entry shown opens and each entry hidden is refused.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

AUDIT_FILE = Path(__file__).resolve().parent / "accessibility_audit.json"
# The default of the setting the worker's purge of seminar guests reads.
DEFAULT_GUEST_RETENTION_MONTHS = 12


def publisher() -> dict:
    """Who publishes and hosts the portal (``settings.PORTAL_PUBLISHER``)."""
    return dict(settings.PORTAL_PUBLISHER)


def guest_retention_months() -> int:
    return int(
        getattr(
            settings, "SEMINAR_GUEST_RETENTION_MONTHS", DEFAULT_GUEST_RETENTION_MONTHS
        )
    )


def optional_url(name: str, **kwargs) -> str | None:
    """The address of ``name``, or None where no such page exists (one another
    part of the portal provides, such as « Mes données »)."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


# --- The accessibility audit ---------------------------------------------------


@dataclass(frozen=True)
class AuditRule:
    rule: str
    impact: str
    help: str
    help_url: str
    pages: tuple[str, ...]
    nodes: int


@dataclass(frozen=True)
class Audit:
    date: datetime.date
    axe_version: str
    browser: str
    roles: tuple[str, ...]
    pages: tuple[dict, ...]
    rules: tuple[AuditRule, ...]

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def pages_without_violation(self) -> int:
        return sum(1 for page in self.pages if not page["violations"])

    @property
    def blocking_rules(self) -> tuple[AuditRule, ...]:
        return tuple(r for r in self.rules if r.impact in ("serious", "critical"))


def accessibility_audit(path: Path | None = None) -> Audit | None:
    """The last automated audit (``AUDIT_FILE``), or None if it was never run.
    Read again only when the file changes: every page's footer asks."""
    path = path or AUDIT_FILE
    try:
        modified = path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    return _read_audit(path, modified)


def conformity(audit: Audit | None) -> str:
    """The state the statement declares: « partiellement conforme » after an
    audit (an automated one: no RGAA rate is claimed), else « non conforme »,
    as the RGAA asks of a site never audited."""
    return PARTIALLY_CONFORMANT if audit is not None else NOT_CONFORMANT


PARTIALLY_CONFORMANT, NOT_CONFORMANT = "partial", "none"


@functools.lru_cache(maxsize=4)
def _read_audit(path: Path, modified: int) -> Audit:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Audit(
        date=datetime.date.fromisoformat(data["date"]),
        axe_version=data["axe_version"],
        browser=data["browser"],
        roles=tuple(data["roles"]),
        pages=tuple(data["pages"]),
        rules=tuple(
            AuditRule(
                rule=rule["rule"],
                impact=rule["impact"],
                help=rule["help"],
                help_url=rule["help_url"],
                pages=tuple(rule["pages"]),
                nodes=rule["nodes"],
            )
            for rule in data["violations"]
        ),
    )


# --- The site map ----------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: Promise
    # Only for signed-out visitors (the login form): signed in, it has no use.
    signed_out_only: bool = False
    # Where the view's own rule cannot be read from its class (the admin).
    check: Callable | None = None


@dataclass(frozen=True)
class Section:
    title: Promise
    entries: tuple[Entry, ...]


@dataclass
class Link:
    label: Promise
    url: str
    current: bool = False


@dataclass
class MapSection:
    title: Promise
    links: list[Link] = field(default_factory=list)


def _admin_check(request) -> bool:
    return admin.site.has_permission(request)


SECTIONS = (
    Section(
        _("The working group"),
        (
            Entry("dashboard", _("Dashboard")),
            Entry("ateliers:list", _("Ateliers")),
            Entry("ateliers:proposal_list", _("Proposals")),
            Entry("search", _("Search the portal")),
        ),
    ),
    Section(
        _("The commission"),
        (
            Entry("commission:session_list", _("Sessions of the commission")),
            Entry("commission:review_queue", _("Proposals to decide")),
            Entry("commission:round_list", _("Validation rounds")),
        ),
    ),
    Section(
        _("The référentiel and the seminar"),
        (
            Entry("referentiel:list", _("Editions of the référentiel")),
            Entry(
                "seminaire:list",
                pgettext_lazy(
                    "navigation: the seminar of 10 May 2007 and its invitations",
                    "Seminar",
                ),
            ),
        ),
    ),
    Section(
        _("After the seminar"),
        (
            Entry("declinaison:programming", _("Programming of the sites")),
            Entry("capitalisation:library", _("Library of experience sheets")),
            Entry("capitalisation:mine", _("My experience sheets")),
            Entry("capitalisation:review_queue", _("Experience sheets to review")),
        ),
    ),
    Section(
        _("Administration"),
        (
            Entry("audit:log", _("Journal")),
            Entry("admin:index", _("Administration of the data"), check=_admin_check),
        ),
    ),
    Section(
        _("My account"),
        (
            Entry("login", _("Log in"), signed_out_only=True),
            Entry("password_reset", _("Forgotten password"), signed_out_only=True),
            Entry("people:my_data", _("My data")),
            Entry("notification_preferences", _("My notifications")),
            Entry("calendars:mine", _("My calendars")),
            Entry("password_change", _("Change password")),
            Entry("help", _("Help")),
        ),
    ),
    Section(
        _("About the portal"),
        (
            Entry("personal_data", _("Personal data")),
            Entry("accessibility", _("Accessibility statement")),
            Entry("legal_notice", _("Legal notice")),
            Entry("site_map", _("Site map")),
        ),
    ),
)


def can_open(request, entry: Entry) -> bool | None:
    """Whether the person of ``request`` may open the page of ``entry``, as its
    view decides: a page not marked ``login_not_required`` wants a signed-in
    person, and a view's ``permission_required`` is asked without an object,
    as a list page asks it. None when the portal has no such page."""
    url = optional_url(entry.url_name)
    if url is None:
        return None
    user = request.user
    if entry.signed_out_only and user.is_authenticated:
        return False
    if entry.check is not None:
        return entry.check(request)
    view = resolve(url).func
    if not user.is_authenticated:
        return getattr(view, "login_required", True) is False
    required = getattr(getattr(view, "view_class", None), "permission_required", None)
    if required:
        return user.has_perms((required,) if isinstance(required, str) else required)
    return True


def site_map(request) -> list[MapSection]:
    """The sections of the site map for the person of ``request``: the pages
    they may open, the sections left empty left out."""
    sections = []
    for section in SECTIONS:
        shown = MapSection(section.title)
        for entry in section.entries:
            if can_open(request, entry):
                url = reverse(entry.url_name)
                shown.links.append(Link(entry.label, url, url == request.path))
        if shown.links:
            sections.append(shown)
    return sections
