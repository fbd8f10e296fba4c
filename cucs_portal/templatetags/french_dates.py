"""French dates say « 1er » for the first of the month (« du 1er juillet au
31 octobre 2007 »), which Django's date formats cannot express. This library is
a template builtin (settings TEMPLATES): its ``date`` filter replaces Django's
in every template, adds the « er » in French, and changes nothing else."""

import re

from django import template
from django.template.defaultfilters import date as django_date
from django.utils.translation import get_language

register = template.Library()

MONTHS = (
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|"
    "novembre|décembre"
)
# A lone 1 (not 11, 21, 31) before a month's name.
FIRST_OF_THE_MONTH = re.compile(rf"(?<!\d)1 ({MONTHS})\b")


def first_of_the_month(text: str) -> str:
    """« 1 juillet 2007 » → « 1er juillet 2007 »."""
    return FIRST_OF_THE_MONTH.sub(r"1er \1", text)


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's ``date`` filter, with « 1er » in French."""
    text = django_date(value, arg)
    if text and (get_language() or "").startswith("fr"):
        return first_of_the_month(text)
    return text
