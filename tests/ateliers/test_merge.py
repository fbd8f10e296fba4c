"""The three-way merge of one text (ateliers/merge.py): both changes kept where
they touch different words, None where they touch the same words differently
or where the texts cannot be matched within the budget."""

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ateliers import merge
from ateliers.merge import merge_texts

WORDS = st.lists(
    st.sampled_from(["le", "bailleur", "quartier", "gardien", "médiation", "2007"]),
    max_size=30,
)
TEXTS = WORDS.map(" ".join)


@pytest.mark.parametrize(
    ("base", "ours", "theirs", "merged"),
    [
        pytest.param(
            "Une marche par trimestre avec les gardiens.",
            "Une marche par mois avec les gardiens.",
            "Une marche par trimestre avec les gardiens et les locataires.",
            "Une marche par mois avec les gardiens et les locataires.",
            id="disjoint words",
        ),
        pytest.param(
            "Constat.\nActions.\nSuivi.\n",
            "Constat partagé.\nActions.\nSuivi.\n",
            "Constat.\nActions.\nSuivi annuel.\n",
            "Constat partagé.\nActions.\nSuivi annuel.\n",
            id="disjoint lines",
        ),
        pytest.param(
            "Une marche par trimestre.",
            "Une marche par mois.",
            "Une marche par mois.",
            "Une marche par mois.",
            id="identical edits",
        ),
        pytest.param("", "", "Un texte.", "Un texte.", id="from empty, one side"),
        pytest.param(
            "Un deux trois.", "Un deux trois.", "", "", id="one side empties it"
        ),
    ],
)
def test_changes_in_different_places_are_both_kept(base, ours, theirs, merged):
    """Each side's change is in the result."""
    assert merge_texts(base, ours, theirs) == merged


@pytest.mark.parametrize(
    ("base", "ours", "theirs"),
    [
        pytest.param(
            "Une marche par trimestre.",
            "Une marche par mois.",
            "Une marche par semaine.",
            id="same word, two rewordings",
        ),
        pytest.param("", "Un texte.", "Un autre texte.", id="two texts from empty"),
        pytest.param(
            "Un deux trois.", "Un quatre trois.", "", id="one edits, one empties"
        ),
    ],
)
def test_the_same_words_changed_differently_clash(base, ours, theirs):
    """Nothing is guessed: the merge does not apply."""
    assert merge_texts(base, ours, theirs) is None


@given(base=TEXTS, other=TEXTS)
def test_a_side_left_as_it_was_takes_the_other(base, other):
    """Merging with an unchanged side gives the other side, both ways."""
    assert merge_texts(base, base, other) == other
    assert merge_texts(base, other, base) == other


@given(base=TEXTS, same=TEXTS)
def test_identical_edits_merge_into_that_edit(base, same):
    assert merge_texts(base, same, same) == same


@given(base=TEXTS, ours=TEXTS, theirs=TEXTS)
def test_the_merge_is_symmetric(base, ours, theirs):
    """Which side is "ours" does not change whether it merges."""
    assert (merge_texts(base, ours, theirs) is None) == (
        merge_texts(base, theirs, ours) is None
    )


@given(
    head=WORDS,
    middle=WORDS,
    tail=WORDS,
    first=st.sampled_from(["Loire", "Gier"]),
    second=st.sampled_from(["Ondaine", "Firminy"]),
)
def test_edits_of_two_separate_parts_both_apply(head, middle, tail, first, second):
    """One side changes a word before a fixed marker, the other after it."""
    words = [*head, "MARQUE", *middle, "REPERE", *tail]
    base = " ".join(["début", *words, "fin"])
    ours = " ".join([first, *words, "fin"])
    theirs = " ".join(["début", *words, second])

    assert merge_texts(base, ours, theirs) == " ".join([first, *words, second])


@settings(max_examples=50)
@given(base=TEXTS, ours=TEXTS, theirs=TEXTS)
def test_a_merge_keeps_what_both_sides_kept(base, ours, theirs):
    """When it applies, a merge of texts that both still end as the base does
    ends that way too."""
    merged = merge_texts(base + " FIN", ours + " FIN", theirs + " FIN")
    assert merged is None or merged.endswith(" FIN")


def test_past_the_budget_it_does_not_apply(monkeypatch):
    """Texts whose lines, sentences and words all multiply past the budget are
    not matched: the merge says it does not apply rather than work on."""
    monkeypatch.setattr(merge, "MERGE_BUDGET", 4)
    base = "un deux trois quatre cinq"

    assert merge_texts(base, base + " six", "zéro " + base) is None
    # A side left as it was needs no matching at all.
    assert merge_texts(base, base, base + " six") == base + " six"


def test_long_texts_changed_in_a_few_places_merge_in_linear_time():
    """Two 6,000-character texts (the longest a proposal holds), each changed
    in one line, merge through the lines, then the changed lines' words, in
    well under a second; a text of one long line changed in two places, past
    the word budget, merges through its sentences."""
    lines = [
        f"Ligne {i} : un constat sur le quartier numéro {i}.\n" for i in range(120)
    ]
    base = "".join(lines)
    ours = base.replace("quartier numéro 10.", "quartier numéro dix.")
    theirs = base.replace("Ligne 90 :", "Ligne quatre-vingt-dix :")
    one_line = base.replace("\n", " ")

    start = time.perf_counter()
    merged = merge_texts(base, ours, theirs)
    merged_line = merge_texts(
        one_line,
        one_line.replace("numéro 3.", "numéro trois."),
        one_line.replace("numéro 100.", "numéro cent."),
    )
    elapsed = time.perf_counter() - start

    assert merged == ours.replace("Ligne 90 :", "Ligne quatre-vingt-dix :")
    assert "numéro trois." in merged_line and "numéro cent." in merged_line
    assert elapsed < 1
