"""The library's search: the same tests on SQLite and on PostgreSQL. What only
PostgreSQL's French full text does (stemming, ranking by field weight, the
index) is asserted on PostgreSQL; what the fallback does instead, on SQLite."""

import pytest
from django.db import connection
from django.urls import reverse

from capitalisation import selectors
from capitalisation.models import ExperienceSheet
from people.models import Organisation, Territory
from tests import factories as f

from .factories import ExperienceSheetFactory

pytestmark = pytest.mark.django_db

POSTGRESQL = connection.vendor == "postgresql"
only_on_postgresql = pytest.mark.skipif(
    not POSTGRESQL, reason="French full text is PostgreSQL's"
)
only_on_sqlite = pytest.mark.skipif(POSTGRESQL, reason="the fallback's behaviour")


def published(**kwargs):
    return ExperienceSheetFactory(status=ExperienceSheet.Status.PUBLISHED, **kwargs)


def titles(filters) -> list[str]:
    _every_axis, sheets = selectors.search_sheets(filters=filters)
    return [sheet.title for sheet in sheets]


@pytest.fixture
def sheets(reference_data):
    return {
        "relogement": published(
            title="Accompagnement au relogement de la tour B",
            summary="Chaque ménage suivi par une conseillère.",
        ),
        "mediation": published(
            title="Médiation de nuit à Montreynaud",
            summary="Des médiateurs dans les halls le soir.",
            what_was_done="- Tournées de 18 h à 1 h.\n- Lien avec le relogement.",
        ),
        "halls": published(
            title="Chantier éducatif de peinture des halls",
            summary="Huit jeunes ont repeint douze halls.",
        ),
        "draft": ExperienceSheetFactory(
            title="Brouillon sur le relogement des familles",
            summary="Pas encore relu.",
        ),
    }


def test_without_words_every_published_sheet_is_listed_newest_first(sheets):
    """The library browses published sheets only, newest first."""
    assert titles({}) == [
        sheets["halls"].title,
        sheets["mediation"].title,
        sheets["relogement"].title,
    ]


def test_a_word_finds_the_sheets_that_contain_it_and_never_a_draft(sheets):
    """A word in the title or the long texts finds the published sheets."""
    found = titles({"q": "relogement"})

    assert set(found) == {sheets["relogement"].title, sheets["mediation"].title}
    assert sheets["draft"].title not in found


def test_a_match_in_the_title_ranks_first(sheets):
    """A sheet whose title has the word comes before one that only mentions it."""
    assert titles({"q": "relogement"}) == [
        sheets["relogement"].title,
        sheets["mediation"].title,
    ]


def test_every_word_must_be_found(sheets):
    """Several words narrow the search: each must appear in the sheet."""
    assert titles({"q": "relogement conseillère"}) == [sheets["relogement"].title]
    assert titles({"q": "relogement peinture"}) == []


def test_a_plural_finds_the_singular(sheets):
    """ "relogements" finds "relogement" on both backends (stemming on
    PostgreSQL, a dropped trailing "s" on SQLite)."""
    assert sheets["relogement"].title in titles({"q": "relogements"})
    assert sheets["halls"].title in titles({"q": "chantiers"})


@pytest.mark.parametrize("text", ["!!!", "-", "%", "?", "«»", " … "])
def test_punctuation_alone_is_no_search(client, sheets, text):
    """A search box holding no word lists the library as without a search, on
    both backends, and the page answers (it was a 500 on SQLite)."""
    assert titles({"q": text}) == titles({})

    client.force_login(sheets["halls"].author)
    response = client.get(reverse("capitalisation:library"), {"q": text})

    assert response.status_code == 200
    assert sheets["halls"].title in response.content.decode()


def test_case_does_not_matter(sheets):
    assert titles({"q": "PEINTURE"}) == [sheets["halls"].title]


@only_on_postgresql
def test_french_stemming_finds_other_forms_of_a_word(sheets):
    """On PostgreSQL, "éducative" shares its stem with "éducatif", and
    "conseillères" with "conseillère"."""
    assert titles({"q": "éducative"}) == [sheets["halls"].title]
    assert titles({"q": "conseillères"}) == [sheets["relogement"].title]


@only_on_postgresql
def test_websearch_syntax_excludes_a_word(sheets):
    """ "-word" leaves out the sheets containing it (PostgreSQL only)."""
    assert titles({"q": "relogement -nuit"}) == [sheets["relogement"].title]


@only_on_postgresql
def test_the_search_can_use_its_gin_index(sheets):
    """The expression searched is the one the migration indexed: with
    sequential scans disabled, the planner uses the index."""
    query = selectors.SearchQuery(
        "relogement", search_type="websearch", config=selectors.SEARCH_CONFIG
    )
    qs = (
        ExperienceSheet.objects.annotate(search=selectors.sheet_vector())
        .filter(search=query)
        .only("pk")
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")

    assert "sheet_search_idx" in qs.explain()


@only_on_sqlite
def test_the_fallback_does_not_stem_beyond_plurals(sheets):
    """On SQLite, "éducative" does not find "éducatif" (no stemming), but
    "éducati" does, as a substring."""
    assert titles({"q": "éducative"}) == []
    assert titles({"q": "éducati"}) == [sheets["halls"].title]


def test_accents_and_case_do_not_matter(sheets):
    """ "mediation" finds « Médiation », on both backends (unaccent in the
    French configuration on PostgreSQL, folding on SQLite)."""
    assert titles({"q": "mediation"}) == [sheets["mediation"].title]
    assert titles({"q": "MEDIATEURS"}) == [sheets["mediation"].title]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("boite a idees", "Une « Boîte à idées » dans chaque hall"),
        ("jardins partages", "Des jardins partagés au pied des immeubles"),
        ("rehabilitation", "Clauses d’insertion dans les marchés de réhabilitation"),
    ],
)
def test_the_demo_examples_are_found_without_accents(reference_data, text, title):
    published(title=title)
    published(title="Autre chose")

    assert titles({"q": text}) == [title]


LONG_TEXT = (
    "Les **réhabilitations** récentes ont peu tenu compte du vieillissement "
    "des locataires, faute de diagnostic partagé avec les associations. "
    * 4
    + "\n\nCe que nous avons fait :\n\n"
    "- Adapter les halls et les cheminements\n"
    "- Poser des mains courantes lors de chaque réhabilitation\n"
    "- Éclairer les parkings\n"
)


def snippet(client, text) -> str:
    client.force_login(f.UserFactory(partner=True))
    response = client.get(reverse("capitalisation:library"), {"q": text})
    (sheet,) = response.context["sheets"]
    return sheet.snippet


def test_an_excerpt_keeps_list_items_apart(client, reference_data):
    """A Markdown list's items are separated by « · » in the excerpt, not run
    into one sentence, and their markers are gone."""
    published(title="Adapter les parties communes", what_was_done=LONG_TEXT)

    excerpt = snippet(client, "mains courantes")

    plain = excerpt.replace(selectors.MARK_START, "").replace(selectors.MARK_END, "")
    assert "cheminements · Poser des mains courantes" in plain
    assert "- " not in plain
    assert "**" not in plain


def test_an_excerpt_is_cut_at_word_boundaries(client, reference_data):
    """Never mid-word: the excerpt starts and ends with whole words of the
    text, with « … » where it was cut."""
    sheet = published(title="Adapter les parties communes", what_was_done=LONG_TEXT)
    texts = (getattr(sheet, name) for name in selectors.TEXT_FIELDS[1:])
    # Whole words, give or take the punctuation ts_headline leaves at a cut.
    words = {
        w.strip(".,:;")
        for w in selectors.excerpt_text(*texts).replace("·", " ").split()
    }

    excerpt = snippet(client, "parkings")

    plain = excerpt.replace(selectors.MARK_START, "").replace(selectors.MARK_END, "")
    assert plain.startswith("… ")
    inner = [
        w.strip(".,:;")
        for w in plain.removeprefix("… ").removesuffix(" …").replace("·", " ").split()
    ]
    assert inner[0] in words and inner[-1] in words
    assert set(inner) <= words


def test_a_fallback_excerpt_marks_words_found_without_accents(reference_data):
    sheet = published(title="Titre", what_was_done=LONG_TEXT)

    excerpt = selectors.fallback_snippet(sheet, "ECLAIRER rehabilitation", width=80)

    assert f"{selectors.MARK_START}Éclairer{selectors.MARK_END}" in (
        selectors.fallback_snippet(sheet, "eclairer", width=80)
    )
    assert f"{selectors.MARK_START}réhabilitation{selectors.MARK_END}s" in excerpt
    assert excerpt.endswith(" …")


def test_a_bassin_includes_its_communes_and_neighbourhoods(reference_data):
    """The territory filter finds the sheets of the place and of the places in
    it: a bassin, its communes and their neighbourhoods."""
    gier = Territory.objects.get(slug="gier")
    commune = f.CommuneFactory(parent=gier)
    neighbourhood = f.NeighbourhoodFactory(parent=commune)
    elsewhere = f.CommuneFactory(parent=Territory.objects.get(slug="ondaine"))
    on_commune = published(title="Sur la commune", territories=[commune])
    on_neighbourhood = published(title="Dans le quartier", territories=[neighbourhood])
    published(title="Ailleurs", territories=[elsewhere])

    assert set(titles({"territory": gier})) == {
        on_commune.title,
        on_neighbourhood.title,
    }
    assert titles({"territory": neighbourhood}) == [on_neighbourhood.title]


def test_an_organisation_finds_its_sheets_and_those_it_took_part_in(
    reference_data,
):
    """The organisation filter: whose experience it is, or a partner in it."""
    sem = Organisation.objects.get(short_name="SEM")
    own = published(title="Sa propre fiche", organisation=sem)
    partner = published(title="Fiche partenaire", other_organisations=[sem])
    published(title="Sans elle")

    assert set(titles({"organisation": sem})) == {own.title, partner.title}


def test_the_page_counts_matches_per_axis_and_highlights_the_words(client, sheets):
    """The results page counts the matches of each axis, and shows an excerpt
    with the words found in <mark>, escaped."""
    ExperienceSheetFactory(
        status=ExperienceSheet.Status.PUBLISHED,
        title="Relogement et <script>alert(1)</script>",
        what_was_done="Le relogement <b>malgré</b> tout.",
    )
    client.force_login(f.UserFactory(partner=True))

    response = client.get(reverse("capitalisation:library"), {"q": "relogement"})

    html = response.content.decode()
    assert response.context["total"] == 3
    assert "<mark>" in html
    assert "<script>alert(1)</script>" not in html
    assert "<b>malgré</b>" not in html


def test_an_empty_search_says_how_to_widen_it(client, sheets):
    client.force_login(f.UserFactory(partner=True))

    response = client.get(reverse("capitalisation:library"), {"q": "introuvable"})

    assert response.status_code == 200
    assert response.context["sheets"] == []
    assert reverse("capitalisation:library") + '"' in response.content.decode()


def test_a_wrong_filter_is_reported_next_to_it_and_the_search_still_runs(
    client, sheets
):
    client.force_login(f.UserFactory(partner=True))

    response = client.get(
        reverse("capitalisation:library"), {"q": "peinture", "axis": "999"}
    )

    assert response.status_code == 200
    assert "axis" in response.context["filter_form"].errors
    assert [s.title for s in response.context["sheets"]] == [sheets["halls"].title]
