"""The kernel of accent-forgiving search (cucs_portal/search.py): Python's
``fold`` and the database's ``cucs_fold`` fold alike, and ``matching`` finds
every word typed, accents and case ignored, on both backends."""

import pytest
from django.db import connection

from cucs_portal.search import (
    MAX_TERM_LENGTH,
    MAX_TERMS,
    Folded,
    fold,
    matching,
    search_terms,
)
from people.models import Organisation
from tests import factories as f

POSTGRESQL = connection.vendor == "postgresql"

# Every letter French writes, in both cases, its ligatures, and the
# apostrophes and quotes a word may hold.
FRENCH_LETTERS = "àâäçéèêëîïôöùûüÿœæ"
FRENCH = FRENCH_LETTERS + FRENCH_LETTERS.upper() + "Ÿ"
LIGATURES = "œŒæÆﬁﬂﬀﬃﬄ"
APOSTROPHES = "'’‘ʼ"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Boîte à idées", "boite a idees"),
        ("JARDINS PARTAGÉS", "jardins partages"),
        ("Réhabilitation", "rehabilitation"),
        ("Œuvre d’Ÿves et Lætitia", "oeuvre d'yves et laetitia"),
        ("Ça déçoit où ? Noël, Zoë, aigüe", "ca decoit ou ? noel, zoe, aigue"),
        ("ﬁche", "fiche"),
        # Accents typed as separate combining marks (e + ◌́) go too.
        ("e\u0301te\u0301", "ete"),
        ("", ""),
        (None, None),
    ],
)
def test_fold_removes_accents_case_ligatures_and_curly_apostrophes(text, folded):
    assert fold(text) == folded


def test_every_french_letter_folds_to_ascii():
    folded = fold(FRENCH + LIGATURES + APOSTROPHES)

    assert folded.isascii()
    assert folded == folded.lower()


@pytest.mark.skipif(not POSTGRESQL, reason="SQLite's cucs_fold is fold itself")
@pytest.mark.django_db
def test_postgresql_folds_every_character_as_python_does():
    """``cucs_fold`` (unaccent through an immutable wrapper) and ``fold`` agree
    on each French letter, ligature and apostrophe, on every character the
    unaccent rules name, and on the first pages of Unicode: the words typed
    (folded in Python) meet the columns (folded by PostgreSQL)."""
    from cucs_portal.search import _unaccent_table

    characters = sorted(
        set(FRENCH + LIGATURES + APOSTROPHES)
        | {chr(code) for code in _unaccent_table()}
        | {chr(code) for code in range(0x20, 0x2000)}
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c, cucs_fold(c) FROM unnest(%s::text[]) AS c", [characters]
        )
        rows = cursor.fetchall()

    assert len(rows) == len(characters)
    assert [(c, folded) for c, folded in rows if folded != fold(c)] == []


@pytest.mark.django_db
def test_the_database_function_folds_as_python_on_both_backends():
    """``Folded(column)`` in a query gives what ``fold`` gives (on SQLite the
    registered function, on PostgreSQL the SQL one)."""
    name = "Œuvre d’Entraide des Îles — Boîte À Idées"
    organisation = f.OrganisationFactory(name=name)

    row = Organisation.objects.annotate(folded=Folded("name")).get(pk=organisation.pk)

    assert row.folded == fold(name) == "oeuvre d'entraide des iles - boite a idees"


def test_the_words_of_a_search_are_folded_and_counted_once():
    assert search_terms("Boîte à IDÉES, boîte !") == ["boite", "a", "idees"]
    assert search_terms("l’atelier « inter-bailleurs »") == [
        "l'atelier",
        "inter-bailleurs",
    ]


@pytest.mark.parametrize("text", ["", "   ", "!!!", "-", "'", "« »", " … ", "%", "?!"])
def test_punctuation_alone_holds_no_word(text):
    assert search_terms(text) == []
    assert matching(text, "name") is None


def test_many_words_are_capped_and_long_words_cut():
    text = " ".join(f"mot{i}" for i in range(50)) + " " + "x" * 500

    terms = search_terms(text)

    assert terms == [f"mot{i}" for i in range(MAX_TERMS)]
    assert search_terms("y" * 500) == ["y" * MAX_TERM_LENGTH]


def names(text, *fields) -> set[str]:
    return set(
        Organisation.objects.filter(matching(text, *fields)).values_list(
            "name", flat=True
        )
    )


@pytest.mark.django_db
def test_every_word_must_be_found_in_one_of_the_fields():
    f.OrganisationFactory(name="Boîte à idées du quartier", short_name="BAI")
    f.OrganisationFactory(name="Jardins partagés", short_name="Réhabilitation")
    f.OrganisationFactory(name="Autre chose", short_name="AC")

    assert names("boite a idees", "name") == {"Boîte à idées du quartier"}
    assert names("BOITE QUARTIER", "name") == {"Boîte à idées du quartier"}
    assert names("jardins partages", "name") == {"Jardins partagés"}
    # One word in each field: both found.
    assert names("jardins rehabilitation", "name", "short_name") == {"Jardins partagés"}
    assert names("jardins rehabilitation", "name") == set()
    # A word is a substring: « jardin » finds « Jardins ».
    assert names("jardin", "name") == {"Jardins partagés"}


@pytest.mark.django_db
def test_wildcards_typed_are_literal():
    """``%`` and ``_`` typed by a person are characters, not LIKE wildcards."""
    f.OrganisationFactory(name="Taux 100 % atteint")
    f.OrganisationFactory(name="Code mot_clé")
    f.OrganisationFactory(name="Code motXclé")

    assert names("mot_clé", "name") == {"Code mot_clé"}
    assert names("mot_cle", "name") == {"Code mot_clé"}
    # « % » is no word: « 100% » looks for « 100 ».
    assert names("100%", "name") == {"Taux 100 % atteint"}
    assert names("taux%atteint", "name") == {"Taux 100 % atteint"}
    assert names("_", "name") == {"Code mot_clé"}


@pytest.mark.django_db
def test_apostrophes_meet_whichever_was_typed():
    f.OrganisationFactory(name="Maison de l’emploi")
    f.OrganisationFactory(name="Centre d'animation")

    assert names("l'emploi", "name") == {"Maison de l’emploi"}
    assert names("d’animation", "name") == {"Centre d'animation"}
