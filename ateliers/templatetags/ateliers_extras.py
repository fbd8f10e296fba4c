"""Small helpers for the atelier and proposal templates."""

from django import template
from django.core.exceptions import FieldDoesNotExist

from ateliers.models import Proposal

register = template.Library()


@register.filter
def proposal_field_label(name: str) -> str:
    """The label people read for a Proposal field name, e.g. "actions" →
    "Concrete actions" (as in ateliers.diff)."""
    try:
        field = Proposal._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(field.verbose_name).capitalize()


@register.filter
def with_previous(revisions):
    """Pairs (revision, the revision saved just before it or None) from a list
    of revisions ordered newest first."""
    revisions = list(revisions)
    return [
        (revision, revisions[i + 1] if i + 1 < len(revisions) else None)
        for i, revision in enumerate(revisions)
    ]
