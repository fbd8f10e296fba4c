"""Amounts and percentages typed the French way are read exactly, or refused
with a message saying how to write them; a value is never multiplied or
divided silently (cucs_portal.fields)."""

import re
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from cucs_portal.fields import AmountField, PercentageField, format_decimal

NBSP, NNBSP = "\u00a0", "\u202f"
LARGEST = Decimal("9999999999.99")  # max_digits=12, decimal_places=2


def amount(text, **options):
    return AmountField(required=False, **options).clean(text)


def refusal(text, field=None) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        (field or AmountField(required=False)).clean(text)
    return caught.value


# --- What is read ---------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("10 500,50", "10500.50"),
        (f"10{NBSP}500,50", "10500.50"),
        (f"10{NNBSP}500,50", "10500.50"),
        ("10500,50", "10500.50"),
        ("10500.50", "10500.50"),  # pasted from a spreadsheet
        ("10 500.50", "10500.50"),
        ("10 500,50 €", "10500.50"),
        ("10 500,50€", "10500.50"),
        ("  10 500,5  ", "10500.5"),
        ("1 050 050", "1050050"),
        ("1 234", "1234"),
        ("1,5", "1.5"),
        ("0,05", "0.05"),
        (",5", "0.5"),
        ("12", "12"),
        ("007", "7"),
        ("0", "0"),
        ("9 999 999 999,99", "9999999999.99"),
    ],
)
def test_french_typings_are_read_exactly(typed, expected):
    assert amount(typed) == Decimal(expected)


def test_an_empty_optional_amount_is_none():
    assert amount("") is None
    assert amount(f" {NBSP} ") is None


def test_a_negative_amount_is_read_where_the_field_allows_it():
    assert amount("-1 234,50", min_value=None) == Decimal("-1234.50")
    assert amount("\u22121 234,50", min_value=None) == Decimal("-1234.50")


# --- What is refused, and how the message says to write it ------------------------


@pytest.mark.parametrize(
    "typed, code, hint",
    [
        ("10.500,50", "mixed", "mélange points et virgules"),
        ("10,500.50", "mixed", "mélange points et virgules"),
        ("1.234", "ambiguous", f"«{NBSP}1{NBSP}234{NBSP}»"),
        ("1.234", "ambiguous", f"«{NBSP}1,234{NBSP}»"),
        ("10 500.500", "ambiguous", "ambigu"),
        ("1,2,3", "several_marks", "une seule virgule"),
        ("1.234.567", "several_marks", "espaces"),
        ("10 5 00", "grouping", "groupes de trois chiffres"),
        ("10  500", "grouping", "groupes de trois chiffres"),
        ("1 0500", "grouping", "groupes de trois chiffres"),
        ("10k", "invalid", "n’est pas un nombre"),
        ("1e5", "invalid", "n’est pas un nombre"),
        ("NaN", "invalid", "n’est pas un nombre"),
        ("Infinity", "invalid", "n’est pas un nombre"),
        ("10'500", "invalid", "n’est pas un nombre"),
        ("10,", "invalid", "n’est pas un nombre"),
        ("€", "invalid", "n’est pas un nombre"),
        ("١٢", "invalid", "n’est pas un nombre"),  # digits, but not 0-9
        ("-5", "negative", "négatif"),
        ("-0", "negative", "négatif"),
        ("10,505", "decimal_places", "plus de 2 chiffres après la virgule"),
        ("10 500,505", "decimal_places", "séparez les milliers par des espaces"),
        ("10000000000", "max_digits", f"au plus 9{NBSP}999{NBSP}999{NBSP}999,99"),
        ("12 345 678 901,00", "max_digits", "trop grand"),
    ],
)
def test_ambiguous_or_wrong_typings_are_refused_with_a_french_message(
    typed, code, hint
):
    error = refusal(typed)
    assert error.error_list[0].code == code
    (message,) = error.messages
    assert f"«{NBSP}{typed}{NBSP}»" in message
    assert hint in message


# --- Percentages ------------------------------------------------------------------


@pytest.mark.parametrize("typed, expected", [("30", 30), ("30 %", 30), ("100", 100)])
def test_a_percentage_is_a_whole_number(typed, expected):
    cleaned = PercentageField().clean(typed)
    assert cleaned == expected
    assert type(cleaned) is int


@pytest.mark.parametrize(
    "typed, code, hint",
    [
        ("30,5", "no_decimals", "nombre entier"),
        ("150", "max_digits", "au plus 100"),
        ("1000", "max_digits", "au plus 100"),
        ("-5", "negative", "négatif"),
        ("30.000", "ambiguous", "ambigu"),
        ("trente", "invalid", "n’est pas un nombre"),
    ],
)
def test_a_wrong_percentage_is_refused(typed, code, hint):
    error = refusal(typed, PercentageField())
    assert error.error_list[0].code == code
    assert hint in error.messages[0]


# --- The input and what it shows ---------------------------------------------------


class Budget(forms.Form):
    budget = AmountField(required=False)
    progress = PercentageField()


def test_the_input_is_text_so_the_browser_sends_what_was_typed():
    html = str(Budget()["budget"])
    assert 'type="text"' in html
    assert 'inputmode="decimal"' in html
    assert "step=" not in html and 'type="number"' not in html
    assert 'inputmode="numeric"' in str(Budget()["progress"])


def test_a_saved_value_is_shown_back_in_french():
    form = Budget(initial={"budget": Decimal("10500.50"), "progress": 30})
    assert f'value="10{NBSP}500,50"' in str(form["budget"])
    assert 'value="30"' in str(form["progress"])


def test_what_was_typed_is_kept_when_refused():
    form = Budget(data={"budget": "10.500,50", "progress": "30"})
    assert not form.is_valid()
    assert 'value="10.500,50"' in str(form["budget"])


def test_french_format():
    assert format_decimal(Decimal("10500.5")) == f"10{NBSP}500,50"
    assert format_decimal(Decimal("0")) == "0,00"
    assert format_decimal(Decimal("1234567.891")) == f"1{NBSP}234{NBSP}567,89"
    assert format_decimal(30, 0) == "30"
    assert format_decimal(Decimal("-1234.5")) == f"-1{NBSP}234,50"


# --- Nothing is ever multiplied: properties -----------------------------------------

amounts = st.decimals(
    min_value=0, max_value=LARGEST, places=2, allow_nan=False, allow_infinity=False
)


def typings(value: Decimal) -> list[str]:
    """The ways a person may type ``value``."""
    french = format_decimal(value)
    plain = french.replace(NBSP, "")
    return [
        french,
        french.replace(NBSP, " "),
        french.replace(NBSP, NNBSP),
        plain,
        plain.replace(",", "."),
        french.replace(",", "."),
        f"{french} €",
        f"  {plain}\t",
    ]


@given(amounts)
def test_any_amount_formatted_in_french_reads_back_the_same(value):
    for typed in typings(value):
        assert amount(typed) == value, typed


@given(st.integers(min_value=0, max_value=100))
def test_any_percentage_reads_back_the_same(value):
    field = PercentageField()
    assert field.clean(field.prepare_value(value)) == value
    assert field.clean(f"{value} %") == value


@given(st.text(alphabet=f"0123456789 ,.-{NBSP}{NNBSP}€", max_size=20))
def test_whatever_is_typed_is_either_refused_or_read_digit_for_digit(typed):
    """An accepted text has its integer part before its one decimal mark and
    its decimals after it: the digits typed, in order, never shifted by a
    separator taken for another."""
    try:
        value = amount(typed, min_value=None)
    except ValidationError:
        return
    if value is None:
        assert not typed.strip(f" {NBSP}{NNBSP}")
        return
    integer, _mark, decimals = re.split(r"([.,])", typed + ",")[:3]
    digits_before = re.sub(r"\D", "", integer) or "0"
    digits_after = re.sub(r"\D", "", decimals) or "0"
    expected = Decimal(f"{digits_before}.{digits_after}")
    assert abs(value) == expected
    assert len(re.sub(r"\D", "", decimals)) <= 2
