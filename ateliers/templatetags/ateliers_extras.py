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


@register.simple_tag
def elided_page_range(page_obj, on_each_side=1, on_ends=1):
    """The page numbers to link to around the current page, with
    ``Paginator.ELLIPSIS`` where numbers are left out."""
    return list(
        page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=on_ends
        )
    )


@register.simple_tag
def active_filters(form, ignore=("sort",)):
    """The filters of a bound, valid GET form that narrow the results, each with
    its label, the value as people read it and the query string without it."""
    if not form.is_bound or not form.is_valid():
        return []
    active = []
    for name, value in form.cleaned_data.items():
        if name in ignore or value in (None, "", [], ()):
            continue
        field = form.fields[name]
        if hasattr(field, "choices") and not hasattr(field, "queryset"):
            value = dict(field.choices).get(value, value)
        query = form.data.copy()
        query.pop(name, None)
        query.pop("page", None)
        active.append(
            {"label": field.label, "value": value, "query": query.urlencode()}
        )
    return active


@register.filter
def with_previous(revisions):
    """Pairs (revision, the revision saved just before it or None) from a list
    of revisions ordered newest first."""
    revisions = list(revisions)
    return [
        (revision, revisions[i + 1] if i + 1 < len(revisions) else None)
        for i, revision in enumerate(revisions)
    ]
