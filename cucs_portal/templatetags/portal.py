from django import template
from django.utils.safestring import SafeData

from cucs_portal.markdown import render_markdown
from cucs_portal.typography import french

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render user-typed Markdown as sanitised HTML."""
    return render_markdown(text)


@register.filter(is_safe=False)
def typo(value):
    """A short plain text (a title, a name) with French typography; the result
    is an ordinary str, so autoescaping still escapes it."""
    if value is None or value == "":
        return ""
    if isinstance(value, SafeData):
        # Already HTML (``join`` escapes its items): typography would work on
        # its entities (« l&#x27;habitat »). Apply |typo to the plain text.
        return value
    return french(str(value))


def _flat_choices(choices):
    """(value, label) pairs of a field's choices, groups (optgroups) opened."""
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield value, label


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
            value = dict(_flat_choices(field.choices)).get(value, value)
        query = form.data.copy()
        query.pop(name, None)
        query.pop("page", None)
        active.append(
            {"label": field.label, "value": value, "query": query.urlencode()}
        )
    return active
