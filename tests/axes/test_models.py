"""Axes and enjeux: what the database refuses."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from axes.models import Axis
from tests import factories as f


def refused_by_the_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def new_axis(**fields):
    values = {"number": 1, "title": "Axe", "short_label": "Axe"} | fields
    return Axis.objects.create(**values)


@pytest.mark.parametrize("number", [0, 7])
def test_there_are_six_axes_numbered_1_to_6(db, number):
    """An axis numbered outside 1–6 is refused."""
    refused_by_the_database(lambda: new_axis(number=number))


def test_two_axes_cannot_share_a_number(db):
    """Each number is one axis."""
    new_axis(number=3)

    refused_by_the_database(lambda: new_axis(number=3))


def test_an_axis_status_is_proposed_or_validated(db):
    """Any other status is refused."""
    refused_by_the_database(lambda: new_axis(status="rejected"))


def test_a_validated_axis_has_a_validation_date(db):
    """Validating an axis records the date the commission validated it."""
    refused_by_the_database(lambda: new_axis(status=Axis.Status.VALIDATED))


def test_a_validated_axis_with_its_date_is_stored(db):
    """The commission validated the axes in December 2006."""
    axis = new_axis(
        status=Axis.Status.VALIDATED, validated_on=datetime.date(2006, 12, 14)
    )

    assert axis.pk


def test_two_enjeux_of_an_axis_cannot_share_a_position(db):
    """Enjeux are numbered 1, 2, … within their axis."""
    enjeu = f.EnjeuFactory(position=1)

    refused_by_the_database(lambda: f.EnjeuFactory(axis=enjeu.axis, position=1))


def test_an_enjeu_position_starts_at_1(db):
    """Position 0 is refused."""
    refused_by_the_database(lambda: f.EnjeuFactory(position=0))


def test_an_enjeu_reference_is_axis_dot_position(db):
    """Enjeu 2 of axis 4 is referred to as 4.2."""
    enjeu = f.EnjeuFactory(axis=f.AxisFactory(number=4), position=2)

    assert enjeu.reference == "4.2"
