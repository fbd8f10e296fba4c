"""The footer's mention of the accessibility state, which the RGAA asks on
every page: the same state as the statement's (dashboard/statements.py)."""

from django import template
from django.utils.translation import gettext as _

from dashboard import statements

register = template.Library()


@register.simple_tag
def accessibility_mention() -> str:
    state = statements.conformity(statements.accessibility_audit())
    if state == statements.PARTIALLY_CONFORMANT:
        return _("Accessibility: partially conformant")
    return _("Accessibility: not conformant")
