"""What the référentiel's document template needs beyond the portal's tags."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Markdown headings as the sanitiser lets them through: bare tags, h3 to h6
# (cucs_portal.markdown.ALLOWED_TAGS), never an attribute.
_HEADING = re.compile(r"<(/?)h([3-6])>")


@register.filter
def headings_from(html: SafeString, level: int) -> SafeString:
    """Sanitised Markdown whose headings start at ``level`` instead of h3, so
    that the document's outline never jumps a level (a heading typed in the
    introduction, under its h1, is an h2; in a proposal's field, under the
    field's h4, an h5). Deeper headings follow, down to h6 at most."""
    shift = int(level) - 3
    html = conditional_escape(html)  # HTML given as text stays text

    def renumber(match):
        return f"<{match[1]}h{min(6, max(1, int(match[2]) + shift))}>"

    return mark_safe(_HEADING.sub(renumber, str(html)))  # escaped above, tags renamed
