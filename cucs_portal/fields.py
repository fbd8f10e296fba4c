"""Amounts and percentages as people type them in French, read exactly or refused.

A browser's ``<input type="number">`` silently drops what it does not
understand: Chromium, typing « 10 500,50 », refuses the space and strips the
comma as a thousands separator, and sends ``1050050``, which Django's
``DecimalField`` saves as 1 050 050,00 €. So the portal never uses number
inputs for amounts: ``AmountField`` and ``PercentageField`` are text inputs
(``inputmode`` still brings up a numeric keyboard on a phone), the server
receives exactly what was typed, and reads it with one grammar, below. Anything
the grammar does not read unambiguously is refused with a message saying how to
write it; nothing is ever guessed.

The grammar (spaces are U+0020, U+00A0 or U+202F; leading and trailing spaces
are ignored)::

    input     = [ "-" | "−" ] number [ space* unit ]
    number    = integer [ mark decimals ]  |  mark decimals
    integer   = digit+  |  digit{1,3} ( space digit{3} )+
    mark      = ","  |  "."
    decimals  = digit+                 (at most the field's decimal places)
    unit      = "€" for an amount, "%" for a percentage

And it refuses, each with its own message:

- a dot and a comma together (« 10.500,50 », « 10,500.50 »): which one is the
  thousands separator cannot be known;
- a dot followed by exactly three digits (« 1.234 »): 1 234 or 1,234?
- several commas or several dots (« 1.234.567 »): thousands are written with
  spaces;
- spaces not in groups of three (« 10 5 00 »);
- letters or any other sign (« 10k », « 1e5 », « NaN »);
- a minus sign where the value cannot be negative;
- more decimals than the field keeps (« 10,505 »: a comma is always the
  decimal mark here, so this is not « 10 505 »);
- more digits than the field's ``max_digits``.

Values are shown back in the same French form, with a non-breaking space
between the thousands and a decimal comma (« 10 500,50 »), whatever the
language of the page, so what the form shows is always what it reads.
"""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SPACES = " \u00a0\u202f"
# What the form shows between thousands: Django's French THOUSAND_SEPARATOR,
# the one the pages' ``floatformat:"2g"`` prints too.
THOUSANDS = "\u00a0"
MINUS_SIGNS = ("-", "\u2212")

_ALLOWED = re.compile(rf"[0-9{SPACES}.,]+")
_PLAIN = re.compile(r"[0-9]*")
_GROUPED = re.compile(rf"[0-9]{{1,3}}(?:[{SPACES}][0-9]{{3}})+")
_DIGITS = re.compile(r"[0-9]+")

MESSAGES = {
    "invalid": _(
        "“%(value)s” is not a number: write it in figures, for example %(example)s."
    ),
    "mixed": _(
        "“%(value)s” mixes dots and commas: write the thousands with spaces and "
        "the decimals after a comma, for example %(example)s."
    ),
    "ambiguous": _(
        "“%(value)s” is ambiguous: write “%(thousands)s” if these are thousands, "
        "or “%(decimal)s” if these are decimals."
    ),
    "several_marks": _(
        "“%(value)s” has several dots or commas: write the thousands with "
        "spaces and the decimals after a single comma, for example %(example)s."
    ),
    "grouping": _(
        "“%(value)s”: spaces separate the thousands, in groups of three digits, "
        "for example %(example)s."
    ),
    "negative": _("“%(value)s”: this cannot be negative."),
    "decimal_places": _(
        "“%(value)s” has more than %(places)s digits after the comma, which "
        "separates the decimals; write the thousands with spaces, for example "
        "%(example)s."
    ),
    "no_decimals": _("“%(value)s”: write a whole number, without decimals."),
    "max_digits": _("“%(value)s” is too large: at most %(limit)s."),
}


def format_decimal(value, decimal_places: int = 2) -> str:
    """``Decimal("10500.5")`` → « 10 500,50 » (a non-breaking space between
    the thousands, a decimal comma, exactly ``decimal_places`` decimals)."""
    quantum = Decimal(1).scaleb(-decimal_places)
    text = f"{Decimal(value).quantize(quantum):,.{decimal_places}f}"
    return text.replace(",", THOUSANDS).replace(".", ",")


def parse_decimal(
    text: str,
    *,
    decimal_places: int = 2,
    max_digits: int = 12,
    allow_negative: bool = False,
    max_value: Decimal | int | None = None,
    unit: str = "",
) -> Decimal:
    """Read ``text`` with the grammar of this module, or raise a
    ``ValidationError`` whose message (French) says how to write it."""
    value = text.strip(SPACES + "\t")
    # An example the field would accept: a percentage is no 10 500.
    sample = Decimal("10500.5")
    if max_value is not None and sample > max_value:
        sample = Decimal(max_value) * 3 // 10
    example = format_decimal(sample, decimal_places)
    params = {"value": value, "example": example}

    def refuse(code, **more):
        return ValidationError(MESSAGES[code], code=code, params={**params, **more})

    number = value
    if unit and number.endswith(unit):
        number = number[: -len(unit)].rstrip(SPACES)
    negative = number[:1] in MINUS_SIGNS
    if negative:
        number = number[1:].lstrip(SPACES)
    if not number or not _ALLOWED.fullmatch(number):
        raise refuse("invalid")
    if "," in number and "." in number:
        raise refuse("mixed")
    if number.count(",") + number.count(".") > 1:
        raise refuse("several_marks")
    mark = "," if "," in number else "." if "." in number else None
    integer, decimals = number.split(mark) if mark else (number, "")
    if mark == "." and len(decimals) == 3:
        raise refuse(
            "ambiguous",
            thousands=f"{integer}{THOUSANDS}{decimals}",
            decimal=f"{integer},{decimals}",
        )
    if mark and not _DIGITS.fullmatch(decimals):
        # "10," or "10,5 0": the decimals are digits, and there are some.
        raise refuse("invalid")
    if not _PLAIN.fullmatch(integer):
        if not _GROUPED.fullmatch(integer):
            raise refuse("grouping")
        integer = re.sub(f"[{SPACES}]", "", integer)
    if negative and not allow_negative:
        raise refuse("negative")
    if len(decimals) > decimal_places:
        if decimal_places == 0:
            raise refuse("no_decimals")
        raise refuse("decimal_places", places=decimal_places)
    limit = Decimal(10) ** (max_digits - decimal_places) - Decimal(1).scaleb(
        -decimal_places
    )
    if max_value is not None:
        limit = min(limit, Decimal(max_value))
    too_long = len(integer.lstrip("0")) > max_digits - decimal_places
    result = Decimal(f"{integer or '0'}.{decimals}" if decimals else integer)
    if too_long or (max_value is not None and result > limit):
        raise refuse("max_digits", limit=format_decimal(limit, decimal_places))
    # "-0" is zero, not a negative zero that would print as "-0,00".
    return -result if negative and result else result


class DecimalInput(forms.TextInput):
    """A text input: the browser sends what was typed, as it was typed."""

    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "decimal",
            "autocomplete": "off",
            "spellcheck": "false",
        }
        super().__init__({**defaults, **(attrs or {})})


class AmountField(forms.DecimalField):
    """An amount in euros typed the French way (« 10 500,50 », « 10500.50 »,
    « 10 500,50 € »): see this module's grammar. Not negative unless
    ``min_value`` is. Shown back as « 10 500,50 »."""

    widget = DecimalInput
    unit = "€"

    def __init__(self, *, max_digits=12, decimal_places=2, min_value=0, **kwargs):
        super().__init__(
            max_digits=max_digits,
            decimal_places=decimal_places,
            min_value=min_value,
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return Decimal(value)
        if value in self.empty_values or not str(value).strip(SPACES + "\t"):
            return None
        return parse_decimal(
            str(value),
            decimal_places=self.decimal_places,
            max_digits=self.max_digits,
            allow_negative=self.min_value is None or self.min_value < 0,
            max_value=self.max_value,
            unit=self.unit,
        )

    def prepare_value(self, value):
        # A saved value (Decimal, int) in French; what was typed, as typed.
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_decimal(value, self.decimal_places)
        return value


class PercentageField(AmountField):
    """A whole percentage, 0 to 100 unless told otherwise (« 30 », « 30 % »);
    cleaned to an ``int``."""

    unit = "%"

    def __init__(self, *, min_value=0, max_value=100, **kwargs):
        kwargs.setdefault("widget", DecimalInput(attrs={"inputmode": "numeric"}))
        super().__init__(
            max_digits=len(str(max_value)),
            decimal_places=0,
            min_value=min_value,
            max_value=max_value,
            **kwargs,
        )

    def clean(self, value):
        cleaned = super().clean(value)
        return None if cleaned is None else int(cleaned)


class BaseVersionField(forms.IntegerField):
    """The hidden version a form was shown with (optimistic locking). A value
    nobody typed cannot be corrected in the form, so a tampered or truncated
    one (« abc », « 1.5 », a negative number) reads as ``UNKNOWN_VERSION``, a
    version no record has: the save is then refused as an edit conflict, with
    the record as it is saved now shown and the text typed kept, never as an
    error on a field the person cannot see."""

    UNKNOWN_VERSION = -1
    widget = forms.HiddenInput

    def __init__(self, *, required=False, **kwargs):
        super().__init__(required=required, **kwargs)

    def to_python(self, value):
        try:
            number = super().to_python(value)
        except forms.ValidationError:
            return self.UNKNOWN_VERSION
        if number is not None and number < 0:
            return self.UNKNOWN_VERSION
        return number

    def validate(self, value):
        if value == self.UNKNOWN_VERSION:
            return
        super().validate(value)

    def run_validators(self, value):
        if value == self.UNKNOWN_VERSION:
            return
        super().run_validators(value)
