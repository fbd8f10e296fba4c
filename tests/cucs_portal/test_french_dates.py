"""« 1er juillet 2007 »: the first of the month in French dates, in every
template (cucs_portal/templatetags/french_dates.py)."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation


def render(value, fmt, language="fr"):
    with translation.override(language):
        return Template(f'{{{{ value|date:"{fmt}" }}}}').render(
            Context({"value": value})
        )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (1, "1er juillet 2007"),
        (11, "11 juillet 2007"),
        (21, "21 juillet 2007"),
        (31, "31 juillet 2007"),
        (2, "2 juillet 2007"),
    ],
)
def test_the_first_of_the_month_is_1er_and_no_other_day(day, expected):
    assert render(datetime.date(2007, 7, day), "j F Y") == expected


def test_the_portal_s_formats_and_a_weekday_get_it_too():
    first = datetime.date(2007, 5, 1)

    assert render(first, "DATE_FORMAT") == "1er mai 2007"
    assert render(first, "l j F Y") == "mardi 1er mai 2007"


def test_english_and_numeric_dates_are_unchanged():
    first = datetime.date(2007, 7, 1)

    assert render(first, "j F Y", language="en") == "1 July 2007"
    assert render(first, "d/m/Y") == "01/07/2007"
    assert render(first, "SHORT_DATE_FORMAT") == "01/07/2007"


def test_a_datetime_is_shown_in_local_time_as_before(settings):
    """Like Django's filter: an aware datetime in the portal's time zone
    (00:30 on 1 July in Paris is 22:30 on 30 June in UTC)."""
    moment = datetime.datetime(2007, 6, 30, 22, 30, tzinfo=datetime.UTC)

    with timezone.override("Europe/Paris"):
        assert render(moment, "j F Y, H:i") == "1er juillet 2007, 00:30"
