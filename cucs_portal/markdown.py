"""Markdown for the long texts people type: rendered, then sanitised with nh3.

Sanitising after rendering is what makes it safe: whatever HTML the Markdown
produced or let through, only the tags and attributes below survive, and links
keep only http(s) and mailto schemes.

Why markdown-it-py (CommonMark) rather than Python-Markdown: Python-Markdown's
inline patterns rescan the rest of the text for every unbalanced ``[``, so
5,000 of them took 4 s and 20,000 took 75 s, and one person's text could hold
a web worker past its time limit. markdown-it follows the CommonMark reference
parser, which is linear in the text (its delimiter and bracket algorithms are
made so) and caps nesting (``maxNesting``); ``benchmarks/adversarial.py``
measures the worst inputs known.

The text people wrote gets French typography (``_typeset``) between parsing
and rendering, so code and addresses, which are tokens of their own, keep what
was typed. nh3 writes the no-break space U+00A0 as ``&nbsp;`` and leaves the
narrow one, U+202F, as the character: both reach the browser as no-break
spaces.

Rendering is done once per text: the HTML is kept in the ``markdown`` cache
(settings.CACHES), keyed by a digest of the text and the versions of the
renderer and the sanitiser, so a page view of an unchanged text renders nothing.
"""

import hashlib
import itertools
import re
import threading

import markdown_it
import nh3
from django.core.cache import caches
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

from cucs_portal.typography import french

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote",
    "code", "pre", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr",
    "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Lists and quotes nested deeper than this are not parsed further (each level
# costs the parser a recursion): a text that deep is shown as typed, escaped.
MAX_NESTING = 20

_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,3}[.)]) ")


def _separate_lists(text: str) -> str:
    """People start a list on the line after a sentence, as the help text tells
    them; an ordered list starting elsewhere than at 1 may not interrupt a
    paragraph in CommonMark. Add the blank line it wants."""
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


def _parser() -> markdown_it.MarkdownIt:
    """One parser per thread: building one compiles its rules."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = markdown_it.MarkdownIt(
            "commonmark", {"html": False, "maxNesting": MAX_NESTING}
        ).enable("table")
        # Images are not shown (nh3 drops <img>): ``![text](address)`` reads as
        # "!" and a link, and the image rule's work on every "![" is spared.
        parser.disable("image")
    return parser


# Part of the cache key: a new renderer, sanitiser or rule renders again.
_VERSION = f"{markdown_it.__version__}/{nh3.__version__}/{MAX_NESTING}/4"


def _too_deep(tokens) -> bool:
    """Whether the parser reached its nesting limit, where it stops reading."""
    levels = (t.level for t in tokens)
    children = (c.level for t in tokens for c in t.children or ())
    return max(itertools.chain(levels, children), default=0) >= MAX_NESTING - 2


def _typeset(tokens) -> None:
    """French typography (cucs_portal.typography) on the text people wrote:
    the text tokens of each paragraph, heading or cell, each knowing the
    character before it in its paragraph. Code (inline or in blocks), the
    address shown by an autolink ``<https://…>`` and the links' addresses
    (attributes) are left as typed."""
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        before = ""
        in_autolink = False
        for child in token.children:
            if child.type == "link_open" and (
                child.markup == "autolink" or child.info == "auto"
            ):
                in_autolink = True
            elif child.type == "link_close" and in_autolink:
                in_autolink = False
            elif child.type == "text":
                if not in_autolink:
                    child.content = french(child.content, before)
                before = child.content[-1:] or before
            elif child.type == "code_inline":
                before = child.content[-1:] or before
            elif child.type in ("softbreak", "hardbreak"):
                before = " "


def _render(text: str) -> str:
    parser = _parser()
    source = _separate_lists(text)
    tokens = parser.parse(source)
    if _too_deep(tokens):
        # Past the limit markdown-it drops what is deeper: show the text as
        # typed, escaped, rather than lose a word of it.
        return linebreaks(text, autoescape=True)
    _typeset(tokens)
    return nh3.clean(
        parser.renderer.render(tokens, parser.options, {}),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def cache_key(text: str) -> str:
    digest = hashlib.blake2b(f"{_VERSION}\0{text}".encode(), digest_size=20)
    return f"md:{digest.hexdigest()}"


def render_markdown(text: str | None, *, cache: bool = True) -> SafeString:
    """The sanitised HTML of ``text``. ``cache=False`` renders without keeping
    the result: the forms' live preview (cucs_portal/previews.py) asks for a
    text at every pause in the typing, which would fill the cache with drafts."""
    if not text:
        return mark_safe("")
    if not cache:
        return mark_safe(_render(text))  # sanitised by nh3 in _render
    key = cache_key(text)
    rendered = caches["markdown"]
    html = rendered.get(key)
    if html is None:
        html = _render(text)
        rendered.set(key, html, None)
    return mark_safe(html)  # sanitised by nh3 in _render
