"""Reads shared by the library, the sheet pages and the review queue.

``search_sheets`` is the library's search, on two backends:

- PostgreSQL: full text with the "cucs_french" configuration (the French
  one with unaccent before the stemmer, so accents and case do not count:
  "rehabilitation" finds "réhabilitation"; cucs_portal/search.py; stemming:
  "relogements" finds "relogement", "médiateurs" finds "médiation"… as far as
  the Snowball stemmer goes), a websearch query ("quoted phrases", -excluded
  words, OR), ranked by SearchRank with the title weighing most (A), then the
  summary (B), then the long texts (C). A GIN index on the same expression is
  created by migration 0002, rebuilt on "cucs_french" by 0005 (PostgreSQL
  only).
- Elsewhere (SQLite in development and tests): every word must appear, in any
  of the same fields, as a case-insensitive substring; a trailing "s" or "x" is
  dropped so that a plural finds its singular (and "relogement" finds
  "relogements" as a substring). Accents and case are folded on both sides
  (cucs_portal.search: "evenement" finds "événement"). It does not stem
  otherwise ("médiateurs" does not find "médiation"), has no phrases, OR or
  exclusions, and ranks only titles that match above the rest.
"""

import re

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import (
    Case,
    Count,
    IntegerField,
    Prefetch,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat, Replace

from ateliers.models import Proposal
from cucs_portal.collation import French
from cucs_portal.search import FRENCH_CONFIG, fold, matching
from cucs_portal.search import search_terms as folded_terms
from people.models import Territory

from .models import ExperienceSheet

SEARCH_CONFIG = FRENCH_CONFIG
TEXT_FIELDS = ("title", "summary", "what_was_done", "results", "lessons")
# Markers around the matched words of a snippet, turned into <mark> once the
# snippet is escaped (see templatetags): they never occur in typed text.
MARK_START, MARK_END = "\x02", "\x03"


def sheet_vector():
    """The expression searched, and indexed by migration 0002: change both."""
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector(
            "what_was_done", "results", "lessons", weight="C", config=SEARCH_CONFIG
        )
    )


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def _cards(qs):
    """What a card of the library shows, with no query per card."""
    return qs.select_related("axis", "organisation").prefetch_related(
        Prefetch(
            "territories",
            queryset=Territory.objects.select_related("parent").order_by(
                French("name")
            ),
        )
    )


def library_sheets():
    """The published sheets, newest first: what the library browses."""
    return _cards(ExperienceSheet.objects.published()).order_by("-published_at", "-pk")


def search_terms(text: str) -> list[str]:
    """The words of a fallback search, folded (accents and case), a trailing
    plural mark dropped."""
    terms = []
    for word in folded_terms(text):
        if len(word) > 3 and word[-1] in "sx":
            word = word[:-1]
        if word not in terms:
            terms.append(word)
    return terms


def _fallback_match(qs, text: str):
    terms = search_terms(text)
    if not terms:
        return qs
    for term in terms:
        qs = qs.filter(matching(term, *TEXT_FIELDS))
    title_hits = Q()
    for term in terms:
        title_hits |= matching(term, "title")
    return qs.annotate(
        rank=Case(
            When(title_hits, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("-rank", "-published_at", "-pk")


def _full_text_match(qs, text: str):
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    # As excerpt_text does: list items and texts apart after « · », no
    # emphasis marks (ts_headline cuts at word boundaries itself).
    parts = []
    for name in TEXT_FIELDS[1:]:
        # A newline first, so that a list opening the text loses its marker.
        part = Concat(Value("\n"), name, output_field=TextField())
        part = Replace(part, Value("**"), Value(""), output_field=TextField())
        for marker in ("\n- ", "\n* ", "\n+ "):
            part = Replace(
                part, Value(marker), Value(ITEM_SEPARATOR), output_field=TextField()
            )
        parts += [part, Value(ITEM_SEPARATOR, output_field=TextField())]
    body = Concat(*parts[:-1], output_field=TextField())
    return (
        qs.annotate(search=sheet_vector())
        .filter(search=query)
        .annotate(
            rank=SearchRank(sheet_vector(), query),
            snippet=SearchHeadline(
                body,
                query,
                config=SEARCH_CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=f" {ELLIPSIS} ",
            ),
        )
        .order_by("-rank", "-published_at", "-pk")
    )


def _within(territory) -> Q:
    """Sheets on ``territory`` or on a place inside it: a bassin includes its
    communes and their neighbourhoods, a commune its neighbourhoods."""
    through = ExperienceSheet.territories.through.objects.filter(
        Q(territory=territory)
        | Q(territory__parent=territory)
        | Q(territory__parent__parent=territory)
    )
    return Q(pk__in=through.values("experiencesheet_id"))


def _involving(organisation) -> Q:
    partners = ExperienceSheet.other_organisations.through.objects.filter(
        organisation=organisation
    )
    return Q(organisation=organisation) | Q(
        pk__in=partners.values("experiencesheet_id")
    )


def search_sheets(*, filters: dict):
    """The library: published sheets matching ``filters`` (the cleaned
    LibraryFilterForm). Returns (matches without the axis filter, matches), so
    that the page can count the matches of each axis."""
    qs = library_sheets()
    if territory := filters.get("territory"):
        qs = qs.filter(_within(territory))
    if organisation := filters.get("organisation"):
        qs = qs.filter(_involving(organisation))
    text = (filters.get("q") or "").strip()
    # Punctuation alone ("!!!", "«»", "-") holds no word to look for: no search.
    if search_terms(text):
        qs = (
            _full_text_match(qs, text)
            if uses_full_text()
            else _fallback_match(qs, text)
        )
    with_axis = qs.filter(axis=filters["axis"]) if filters.get("axis") else qs
    return qs, with_axis


def axis_counts(qs) -> dict[int, int]:
    """Matches per axis id, in one query."""
    rows = qs.order_by().values("axis_id").annotate(n=Count("pk"))
    return {row["axis_id"]: row["n"] for row in rows}


_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_EMPHASIS = re.compile(r"[*_#>`|]+")
# Between the items of a list, and between two texts, in a one-line excerpt:
# a list's items stay apart instead of running into one sentence.
ITEM_SEPARATOR = " · "
ELLIPSIS = "…"


def excerpt_text(*texts: str) -> str:
    """The Markdown ``texts`` as one line for an excerpt: list markers and
    emphasis dropped; each list item, paragraph and text after « · »; the
    lines of a paragraph joined by a space."""
    out = ""
    for text in texts:
        apart = True
        for line in (text or "").splitlines():
            is_item = bool(_LIST_MARKER.match(line))
            line = " ".join(_EMPHASIS.sub("", _LIST_MARKER.sub("", line)).split())
            if not line:
                apart = True
                continue
            if out:
                out += ITEM_SEPARATOR if apart or is_item else " "
            out += line
            apart = False
    return out


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """``fold(text)``, and for each of its characters the position in ``text``
    it comes from (« œ » gives two)."""
    folded, positions = [], []
    for index, character in enumerate(text):
        piece = fold(character)
        folded.append(piece)
        positions.extend([index] * len(piece))
    return "".join(folded), positions


def _mark(text: str, terms: list[str]) -> str:
    """``text`` with markers around what the (folded) ``terms`` find in it,
    accents and case ignored."""
    folded, positions = _folded_with_positions(text)
    pattern = re.compile("|".join(re.escape(t) for t in terms))
    spans = [
        (positions[m.start()], positions[m.end() - 1] + 1)
        for m in pattern.finditer(folded)
    ]
    out, last = [], 0
    for begin, finish in spans:
        if begin < last:
            continue
        out += [text[last:begin], MARK_START, text[begin:finish], MARK_END]
        last = finish
    out.append(text[last:])
    return "".join(out)


def tidy_headline(sheet) -> str:
    """PostgreSQL's SearchHeadline of ``sheet`` (cut at word boundaries by
    ts_headline) as one line like :func:`fallback_snippet`'s: spaces and
    separators collapsed, « … » where it does not start or end the texts."""
    headline = getattr(sheet, "snippet", "") or ""
    headline = " ".join(headline.split())
    headline = re.sub(r"(?:· )+", "· ", headline).strip(" ·")
    if not headline:
        return ""
    body = excerpt_text(*(getattr(sheet, name) for name in TEXT_FIELDS[1:]))
    plain = headline.replace(MARK_START, "").replace(MARK_END, "")
    return (
        ("" if body.startswith(plain[:40]) else f"{ELLIPSIS} ")
        + headline
        + ("" if body.endswith(plain[-40:]) else f" {ELLIPSIS}")
    )


def fallback_snippet(sheet, text: str, width: int = 220) -> str:
    """An excerpt of the long texts around the first word found, with markers
    around the words found (the SQLite counterpart of SearchHeadline): cut at
    word boundaries, « … » where it is cut, a list's items kept apart by « · »."""
    terms = search_terms(text)
    if not terms:
        return ""
    body = excerpt_text(*(getattr(sheet, name) for name in TEXT_FIELDS[1:]))
    folded, positions = _folded_with_positions(body)
    found = re.compile("|".join(re.escape(t) for t in terms)).search(folded)
    if not found:
        return ""
    first = positions[found.start()]
    start = max(0, first - width // 3)
    if start:
        # Forward to the start of a word (never past the word found).
        space = body.find(" ", start - 1, first)
        start = space + 1 if space != -1 else first
    end = min(len(body), start + width)
    if end < len(body) and body[end] != " ":
        # Back to the end of a word (the word found is kept whole).
        space = body.rfind(" ", first, end)
        if space == -1:
            space = body.find(" ", first)
        end = space if space != -1 else len(body)
    excerpt = body[start:end].strip(" ·")
    return (
        (f"{ELLIPSIS} " if start else "")
        + _mark(excerpt, terms)
        + (f" {ELLIPSIS}" if end < len(body) else "")
    )


def sheet_detail(*, pk: int) -> ExperienceSheet:
    return (
        ExperienceSheet.objects.select_related(
            "axis", "organisation", "author__organisation", "reviewed_by"
        )
        .prefetch_related(
            Prefetch(
                "territories",
                queryset=Territory.objects.select_related("parent").order_by(
                    "kind", French("name")
                ),
            ),
            Prefetch(
                "proposals",
                queryset=Proposal.objects.select_related("atelier__axis").order_by(
                    "atelier__axis__number", "number"
                ),
            ),
            "other_organisations",
        )
        .get(pk=pk)
    )


def sheets_of(*, user):
    """Every sheet ``user`` wrote: the ones still in progress (last changed
    first), then the published ones (last published first)."""
    in_progress = Case(
        When(status=ExperienceSheet.Status.PUBLISHED, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        _cards(ExperienceSheet.objects.filter(author=user))
        .annotate(is_done=in_progress)
        .order_by("is_done", "-published_at", "-updated_at", "-pk")
    )


def review_queue():
    """Sheets awaiting review, the longest waiting first."""
    return (
        _cards(ExperienceSheet.objects.filter(status=ExperienceSheet.Status.SUBMITTED))
        .select_related("author__organisation")
        .order_by("submitted_at", "pk")
    )


def proposal_section(*, proposal, user) -> dict | None:
    """The experience sheets section of a validated proposal's page (declared in
    apps.py): the published sheets about it, left out when there are none."""
    if proposal.status != Proposal.Status.VALIDATED:
        return None
    sheets = list(
        proposal.experience_sheets.published()
        .select_related("organisation")
        .order_by("-published_at", "pk")
    )
    return {"experience_sheets": sheets} if sheets else None
