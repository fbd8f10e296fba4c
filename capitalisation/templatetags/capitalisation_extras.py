"""Small helpers for the experience sheet templates."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from capitalisation.selectors import MARK_END, MARK_START

register = template.Library()


@register.filter
def highlight(snippet: str | None):
    """A search snippet with its matched words in <mark>: the text is escaped
    first, then the markers the search put around the words become tags."""
    if not snippet:
        return ""
    html = escape(snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # escaped just above; only our <mark> tags added


@register.filter
def site_label(territory) -> str:
    """A site with what it is part of, e.g. "Montreynaud (Saint-Étienne)"."""
    # A commune named like its bassin (Saint-Étienne) needs no reminder.
    if territory.parent_id and territory.parent.name != territory.name:
        return f"{territory.name} ({territory.parent.name})"
    return territory.name
