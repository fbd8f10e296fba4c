"""Markdown for the long texts people type: rendered, then sanitised with nh3.

Sanitising after rendering is what makes it safe: whatever HTML the Markdown
produced or let through, only the tags and attributes below survive, and links
keep only http(s) and mailto schemes.
"""

import re
import threading

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote",
    "code", "pre", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr",
    "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,3}[.)]) ")


def _separate_lists(text: str) -> str:
    """People start a list on the line after a sentence, as the help text tells
    them; Markdown wants a blank line before it. Add the blank line."""
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        previous = lines[-1] if lines else ""
        if (
            _LIST_ITEM.match(line)
            and previous.strip()
            and not _LIST_ITEM.match(previous)
            and not previous.startswith((" ", "\t"))
        ):
            lines.append("")
        lines.append(line)
    return "\n".join(lines)


_local = threading.local()


def _converter() -> md.Markdown:
    """One Markdown instance per thread, reset between texts: building one loads
    its extensions, which took 40 % of the time of the référentiel's HTML."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = md.Markdown(
            extensions=["sane_lists", "tables"], output_format="html"
        )
    return converter.reset()


def render_markdown(text: str | None) -> SafeString:
    if not text:
        return mark_safe("")
    html = _converter().convert(_separate_lists(text))
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # sanitised by nh3 just above
