"""The portal-wide search, behind the header's box (``/recherche/?q=…``).

One text is looked for in five kinds of things, each within what the person
may read, by the same rule as the kind's own lists and pages:

- proposals: ``proposals_for_listing`` (``ateliers.view_proposal``: another
  atelier's drafts stay hidden, partners read validated proposals only);
- experience sheets: ``ExperienceSheet.objects.visible_to`` (published sheets
  for everyone signed in, the others for their author, their organisation's
  staff and the secretariat: ``capitalisation.view_sheet``);
- site actions: every action, for whoever reads the programming
  (``declinaison.view_siteaction``); an action always declines a proposal of
  a published edition;
- editions of the référentiel: ``edition_visibility_q`` (published editions
  for everyone signed in, drafts for the working group and for a partner named
  in the draft's open review: ``referentiel.view_edition``);
- people: the active accounts, by name and organisation, for whoever reads the
  ateliers' pages (``ateliers.view_atelier``), which list their members with
  their organisation. A row shows a person's name, organisation and ateliers,
  never an e-mail address, and the search never looks at addresses or logins.

Words are matched by the kernel (``cucs_portal.search.matching``): accents and
case ignored, every word found in one of the fields. A kind lists its matches
whose title holds every word first, then in the order of its own list.

Each kind costs one count and one page of rows (with what a row shows joined
or prefetched), whatever the number of matches: see ``portal_search``.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Case, F, IntegerField, Prefetch, QuerySet, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ateliers.models import AtelierMembership
from ateliers.selectors import proposals_for_listing
from capitalisation.models import ExperienceSheet
from cucs_portal.search import matching, search_terms
from declinaison.models import SiteAction
from people.models import User
from referentiel.models import Edition
from referentiel.selectors import edition_visibility_q

# As long as the other search boxes (the proposals list, the library).
MAX_LENGTH = 200
# Rows shown per kind; the rest is counted, and found in the kind's own list.
PAGE_SIZE = 10


@dataclass(frozen=True)
class Kind:
    """What is searched: the readable rows of a kind (``rows(user)``, or None
    when ``user`` may not read this kind at all), the fields searched, those
    that rank a row first, and the kind's own list, when it takes the same
    words as ``?q=``."""

    key: str
    label: str
    rows: object
    fields: tuple[str, ...]
    title_fields: tuple[str, ...]
    list_url_name: str | None = None
    list_takes_q: bool = False
    # The link to that list, under the first rows.
    more_label: str = ""


@dataclass
class Group:
    """The matches of one kind: how many, the first ones, and where to see all."""

    kind: Kind
    count: int
    rows: list
    more_url: str | None

    @property
    def key(self) -> str:
        return self.kind.key

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def has_more(self) -> bool:
        return self.count > len(self.rows)


def _proposals(user) -> QuerySet | None:
    return proposals_for_listing(user=user)


def _sheets(user) -> QuerySet | None:
    if not user.has_perm("capitalisation.view_library"):
        return None
    return (
        ExperienceSheet.objects.visible_to(user)
        .select_related("axis", "organisation")
        .order_by(F("published_at").desc(nulls_last=True), "-updated_at", "-pk")
    )


def _actions(user) -> QuerySet | None:
    if not user.has_perm("declinaison.view_siteaction"):
        return None
    return SiteAction.objects.select_related(
        "territory", "lead_organisation", "proposal__atelier__axis"
    ).order_by("starts_on", "title", "pk")


def _editions(user) -> QuerySet | None:
    if not user.has_perm("referentiel.view_edition_list"):
        return None
    return (
        Edition.objects.filter(edition_visibility_q(user))
        # The frozen content and the introduction are never shown in a row.
        .defer("snapshot", "introduction")
        .order_by(F("event_date").desc(nulls_last=True), "-created_at", "-pk")
    )


def _people(user) -> QuerySet | None:
    if not user.has_perm("ateliers.view_atelier"):
        return None
    memberships = AtelierMembership.objects.select_related("atelier__axis").order_by(
        "atelier__axis__number"
    )
    return (
        User.objects.filter(is_active=True)
        .select_related("organisation")
        .prefetch_related(Prefetch("atelier_memberships", queryset=memberships))
        .only(
            "pk",
            "username",
            "first_name",
            "last_name",
            "organisation",
            "organisation__name",
            "organisation__short_name",
        )
        .order_by("last_name", "first_name", "pk")
    )


KINDS = (
    Kind(
        key="proposals",
        label=_("Proposals"),
        rows=_proposals,
        fields=("title", "summary", "description", "actions"),
        title_fields=("title",),
        list_url_name="ateliers:proposal_list",
        list_takes_q=True,
        more_label=_("See them all in the proposals list"),
    ),
    Kind(
        key="sheets",
        label=_("Experience sheets"),
        rows=_sheets,
        fields=("title", "summary", "what_was_done", "results", "lessons"),
        title_fields=("title",),
        list_url_name="capitalisation:library",
        list_takes_q=True,
        more_label=_("Search the library of published sheets"),
    ),
    Kind(
        key="actions",
        label=_("Site actions"),
        rows=_actions,
        fields=("title", "description", "territory__name"),
        title_fields=("title",),
        list_url_name="declinaison:programming",
        list_takes_q=True,
        more_label=_("See them all in the programming"),
    ),
    Kind(
        key="editions",
        label=_("Editions of the référentiel"),
        rows=_editions,
        fields=("title", "place", "introduction"),
        title_fields=("title",),
        list_url_name="referentiel:list",
        more_label=_("See every edition"),
    ),
    Kind(
        key="people",
        label=pgettext_lazy("search: a kind of results", "People"),
        rows=_people,
        fields=(
            "first_name",
            "last_name",
            "organisation__name",
            "organisation__short_name",
        ),
        title_fields=("first_name", "last_name"),
    ),
)


def clean_query(raw: str | None) -> tuple[str, bool]:
    """What is searched of ``raw`` (a request's ``q``): at most
    :data:`MAX_LENGTH` characters, without NUL, stripped; and whether it was cut."""
    text = (raw or "").replace("\x00", "")
    cut = len(text) > MAX_LENGTH
    return text[:MAX_LENGTH].strip(), cut


def has_words(text: str) -> bool:
    """Whether ``text`` holds a word to look for (« %% », « !!! » hold none)."""
    return bool(search_terms(text))


def _more_url(kind: Kind, text: str) -> str | None:
    if kind.list_url_name is None:
        return None
    url = reverse(kind.list_url_name)
    return f"{url}?{urlencode({'q': text})}" if kind.list_takes_q else url


def portal_search(*, user, text: str, limit: int = PAGE_SIZE) -> list[Group]:
    """The matches of ``text`` of each kind ``user`` may read, in the order of
    :data:`KINDS`; an empty list when ``text`` holds no word.

    Two queries per kind (its count, its first ``limit`` rows), and one more for
    people's ateliers when people are found, plus what the visibility rules
    read of ``user`` once (their ateliers): the same number for 5 matches or
    5,000.
    """
    if not has_words(text):
        return []
    groups = []
    for kind in KINDS:
        rows = kind.rows(user)
        if rows is None:
            continue
        found = rows.filter(matching(text, *kind.fields))
        title_first = Case(
            When(matching(text, *kind.title_fields), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        ordering = found.query.order_by
        page = list(
            found.annotate(title_rank=title_first).order_by("title_rank", *ordering)[
                :limit
            ]
        )
        groups.append(
            Group(
                kind=kind,
                count=found.count(),
                rows=page,
                more_url=_more_url(kind, text),
            )
        )
    return groups
