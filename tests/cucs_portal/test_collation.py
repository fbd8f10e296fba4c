"""Names in French order (cucs_portal/collation.py): in Python (``french_key``),
in the database (``French``, ICU's "fr-x-icu" on PostgreSQL, the registered
``cucs_fr`` on SQLite) and through the models' default ordering."""

import random

import pytest
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext

from cucs_portal.collation import (
    POSTGRESQL_COLLATION,
    SQLITE_COLLATION,
    French,
    compare_french,
    french_key,
)
from people.models import Organisation, Territory, User
from tests import factories as f
from tests.choices import FRENCH_ORDER

# Ties broken by accents (unaccented first, as ICU), then case (small first).
TIES = ["cote", "Cote", "coté", "côte", "côté", "Côté"]


def shuffled(names):
    names = list(names)
    random.Random(17).shuffle(names)
    return names


def test_a_byte_order_is_not_french():
    """What the issue saw: sorting by code points misplaces the examples."""
    assert sorted(FRENCH_ORDER) != FRENCH_ORDER


def test_french_key_sorts_the_issues_examples():
    assert sorted(shuffled(FRENCH_ORDER), key=french_key) == FRENCH_ORDER


def test_french_key_ignores_accents_and_case_first_then_breaks_ties():
    assert sorted(shuffled(TIES), key=french_key) == TIES
    assert sorted(["Oz", "Œillet", "Oeil"], key=french_key) == ["Oeil", "Œillet", "Oz"]
    assert sorted(["Ægir", "Adèle", "Afrique"], key=french_key) == [
        "Adèle",
        "Ægir",
        "Afrique",
    ]


def test_french_order_is_total():
    """Two different names never compare equal: the order is stable."""
    names = [*TIES, "Œuf", "Oeuf", "OEUF", "e\u0301", "\u00e9"]
    for a in names:
        for b in names:
            assert (compare_french(a, b) == 0) == (a == b)
    assert compare_french(None, "") == 0
    assert compare_french("Érable", "Verveine") < 0


@pytest.mark.django_db
def test_the_database_compiles_french_with_its_collation():
    with CaptureQueriesContext(connection) as captured:
        list(Organisation.objects.order_by(French("name")))
    collation = (
        f'"{POSTGRESQL_COLLATION}"'
        if connection.vendor == "postgresql"
        else SQLITE_COLLATION
    )
    assert f"COLLATE {collation}" in captured.captured_queries[-1]["sql"]


@pytest.mark.django_db
def test_the_database_sorts_the_issues_examples_and_the_ties():
    """The same order as ``french_key``, on both databases."""
    names = [*FRENCH_ORDER, *TIES]
    for name in shuffled(names):
        f.OrganisationFactory(name=name)
    ordered = list(
        Organisation.objects.order_by(French("name")).values_list("name", flat=True)
    )
    assert ordered == ["Cèdre", *TIES, *FRENCH_ORDER[1:]]
    assert ordered == sorted(names, key=french_key)


@pytest.mark.django_db
def test_french_works_on_an_annotation_and_in_a_filter():
    for name in shuffled(FRENCH_ORDER):
        f.OrganisationFactory(name=name)
    names = (
        Organisation.objects.annotate(label=French("name"))
        .filter(label__gte=Value("E"))
        .order_by("label")
        .values_list("name", flat=True)
    )
    assert list(names) == FRENCH_ORDER[2:]


@pytest.mark.django_db
def test_organisations_are_in_french_order_by_default():
    for name in shuffled(FRENCH_ORDER):
        f.OrganisationFactory(name=name)
    names = Organisation.objects.filter(name__in=FRENCH_ORDER)
    assert [o.name for o in names] == FRENCH_ORDER


@pytest.mark.django_db
def test_territories_are_in_french_order_within_their_kind_by_default():
    bassin = f.BassinFactory(name="Ondaine")
    for name in shuffled(FRENCH_ORDER):
        f.CommuneFactory(name=name, parent=bassin)
    names = Territory.objects.filter(kind=Territory.Kind.COMMUNE, parent=bassin)
    assert [t.name for t in names] == FRENCH_ORDER


@pytest.mark.django_db
def test_people_are_in_french_order_of_their_last_then_first_names_by_default():
    for name in shuffled(FRENCH_ORDER):
        f.UserFactory(last_name=name, first_name="Anne")
    f.UserFactory(last_name="Érable", first_name="Élise")
    people = User.objects.filter(last_name__in=FRENCH_ORDER)
    assert [(u.last_name, u.first_name) for u in people] == [
        ("Cèdre", "Anne"),
        ("Cyprès", "Anne"),
        ("Épicéa", "Anne"),
        ("Érable", "Anne"),
        ("Érable", "Élise"),
        ("Hêtre", "Anne"),
        ("Houx", "Anne"),
        ("Verveine", "Anne"),
    ]


@pytest.mark.django_db
def test_a_related_models_french_ordering_applies_through_the_relation():
    """Ordering by a foreign key uses the related model's Meta.ordering, French
    expressions included (people by their organisation)."""
    for name in shuffled(FRENCH_ORDER):
        f.UserFactory(organisation=f.OrganisationFactory(name=name))
    people = User.objects.filter(organisation__name__in=FRENCH_ORDER).order_by(
        "organisation"
    )
    assert [u.organisation.name for u in people] == FRENCH_ORDER
