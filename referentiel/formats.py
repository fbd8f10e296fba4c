"""The référentiel as an editable document: OpenDocument text (ODT, odfdo) and
Word (DOCX, python-docx), for the partners who rework it in LibreOffice or Word.

Both are made from the same dictionary as the PDF (``content.document_content``)
through one outline (``outline``): a list of blocks (headings with their level,
paragraphs of styled runs, lists) that each writer turns into its format's own
elements. Headings are real headings (``text:h`` with an outline level in ODT,
the "Heading 1/2/3" styles in DOCX), so that LibreOffice and Word build their
table of contents and navigator. The Markdown of the texts is parsed by the
portal's parser (``cucs_portal.markdown``), with the same French typography as
the PDF, and becomes paragraphs, bold and italic runs and bullets: no Markdown
sign reaches the document.

Levels: 1 for the parts (introduction, each axis, annex, colophon), 2 for the
parts of an axis and each enjeu, 3 for each proposal.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from django.utils import formats as django_formats
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ateliers.models import Proposal
from cucs_portal.markdown import _parser, _separate_lists, _too_deep, _typeset
from cucs_portal.typography import french

from .content import frozen_sha256, proposal_count

LANGUAGE = "fr-FR"
ODT = "odt"
DOCX = "docx"
FORMATS = (ODT, DOCX)
CONTENT_TYPES = {
    ODT: "application/vnd.oasis.opendocument.text",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False


@dataclass
class Block:
    """One element of the document. ``kind``: title, subtitle, heading, para
    (``style``: body, meta, field, notice, quote, code, hash) or item (a list
    item, ``ordered`` or not, at ``depth`` 0, 1…)."""

    kind: str
    runs: list[Run] = field(default_factory=list)
    level: int = 0
    style: str = "body"
    ordered: bool = False
    depth: int = 0

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def _plain(kind: str, text: str, **kwargs) -> Block:
    return Block(kind, [Run(french(text))], **kwargs)


def markdown_blocks(text: str | None) -> list[Block]:
    """A text people typed (Markdown) as paragraphs and list items with bold,
    italic and code runs, in French typography."""
    if not text:
        return []
    parser = _parser()
    tokens = parser.parse(_separate_lists(text))
    if _too_deep(tokens):
        # As the web page does: past the nesting limit, the text as typed.
        return [_plain("para", part) for part in text.split("\n\n") if part.strip()]
    _typeset(tokens)
    blocks: list[Block] = []
    lists: list[bool] = []  # ordered or not, per open list
    style = "body"
    in_item = False
    cells: list[str] | None = None  # the cells of a table's row being read
    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists.append(kind == "ordered_list_open")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            in_item = True
        elif kind == "list_item_close":
            in_item = False
        elif kind == "heading_open":
            style = "field"
        elif kind == "blockquote_open":
            style = "quote"
        elif kind in ("heading_close", "blockquote_close"):
            style = "body"
        elif kind in ("fence", "code_block"):
            blocks.append(
                Block(
                    "para", [Run(token.content.rstrip("\n"), code=True)], style="code"
                )
            )
        elif kind == "tr_open":
            cells = []
        elif kind == "inline" and cells is not None:
            cells.append("".join(r.text for r in _runs(token)))
        elif kind == "tr_close":
            blocks.append(Block("para", [Run(" · ".join(cells or []))]))
            cells = None
        elif kind == "inline":
            runs = _runs(token)
            if not runs:
                continue
            if lists and in_item:
                blocks.append(
                    Block(
                        "item",
                        runs,
                        ordered=lists[-1],
                        depth=len(lists) - 1,
                    )
                )
                in_item = False  # a second paragraph of the item: a paragraph
            else:
                blocks.append(Block("para", runs, style=style))
    return blocks


def _runs(inline) -> list[Run]:
    runs: list[Run] = []
    bold = italic = False
    href = None
    for child in inline.children or ():
        kind = child.type
        if kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind == "em_open":
            italic = True
        elif kind == "em_close":
            italic = False
        elif kind == "text" and child.content:
            runs.append(Run(child.content, bold, italic))
        elif kind == "code_inline":
            runs.append(Run(child.content, bold, italic, code=True))
        elif kind in ("softbreak", "hardbreak"):
            runs.append(Run(" "))
        elif kind == "link_open":
            href = child.attrs.get("href")
            start = len(runs)
        elif kind == "link_close" and href:
            label = "".join(r.text for r in runs[start:])
            if label.strip() != href and href.removeprefix("mailto:") != label:
                runs.append(Run(f" ({href})", bold, italic))
            href = None
    return runs


def _date(value: str | None) -> str:
    if not value:
        return ""
    return django_formats.date_format(date.fromisoformat(value), "j F Y")


def outline(content: dict) -> list[Block]:
    """The blocks of the document of ``content`` (``document_content``), in
    French whatever the reader's language, as the PDF."""
    with translation.override("fr"):
        return list(_outline(content))


def _outline(content: dict):
    edition = content["edition"]
    published = content.get("published", False)
    count = proposal_count(content)
    yield _plain(
        "subtitle",
        _("Contrat urbain de cohésion sociale of Saint-Étienne Métropole"),
    )
    yield _plain("title", edition["title"])
    yield _plain(
        "subtitle",
        _(
            "Local urban management (GUSP) and the social side of housing: the "
            "common référentiel of the social landlords’ proposals"
        ),
    )
    place_date = " · ".join(
        filter(None, [edition.get("place"), _date(edition.get("event_date"))])
    )
    if place_date:
        yield _plain("para", place_date, style="meta")
    yield _plain(
        "para",
        ngettext(
            "%(counter)s validated proposal over six axes",
            "%(counter)s validated proposals over six axes",
            count,
        )
        % {"counter": count},
        style="meta",
    )
    if not published:
        yield _plain(
            "para",
            _("Working document — not validated")
            + " "
            + _("This edition is not published: its content may still change."),
            style="notice",
        )

    yield _plain("heading", _("Introduction"), level=1)
    if edition.get("introduction"):
        yield from markdown_blocks(edition["introduction"])
    else:
        yield _plain(
            "para",
            _("No introduction has been written for this edition."),
            style="meta",
        )
    yield _plain("heading", _("The six axes"), level=2)
    for axis in content["axes"]:
        yield _plain("item", f"{axis['number']}. {axis['title']}", ordered=False)

    priorities = dict(Proposal.Priority.choices)
    ateliers = {a["axis_number"]: a["name"] for a in content["ateliers"]}
    for axis in content["axes"]:
        yield _plain(
            "heading",
            _("Axis %(number)s · %(title)s")
            % {"number": axis["number"], "title": axis["title"]},
            level=1,
        )
        if axis.get("problem_statement"):
            yield _plain("heading", _("The problem"), level=2)
            yield from markdown_blocks(axis["problem_statement"])
        if axis.get("diagnosis"):
            yield _plain(
                "heading", _("Diagnosis of the former contrats de ville"), level=2
            )
            for element in axis["diagnosis"]:
                if element["bassin"]:
                    yield _plain("para", element["bassin"], style="field")
                yield from markdown_blocks(element["text"])
        if axis["enjeux"]:
            yield _plain("heading", _("The enjeux"), level=2)
            for enjeu in axis["enjeux"]:
                yield _plain("item", f"{enjeu['reference']} {enjeu['title']}")
        else:
            yield _plain(
                "para", _("No enjeu has been formalised for this axis."), style="meta"
            )
        for enjeu in axis["enjeux"]:
            yield _plain(
                "heading",
                _("Enjeu %(reference)s · %(title)s")
                % {"reference": enjeu["reference"], "title": enjeu["title"]},
                level=2,
            )
            yield from markdown_blocks(enjeu.get("description"))
            if not enjeu["proposals"]:
                yield _plain(
                    "para",
                    _("No validated proposal answers this enjeu in this edition."),
                    style="meta",
                )
            for proposal in enjeu["proposals"]:
                yield from _proposal(
                    proposal,
                    priority=priorities.get(proposal["priority"], ""),
                    atelier=ateliers.get(axis["number"], ""),
                )

    yield from _annex(content)
    yield from _colophon(content, count)


def _proposal(proposal: dict, *, priority: str, atelier: str):
    yield _plain("heading", f"{proposal['reference']} {proposal['title']}", level=3)
    meta = [_("Priority: %(priority)s") % {"priority": priority.lower()}]
    if proposal.get("lead_organisation"):
        meta.append(
            _("Lead organisation: %(organisation)s")
            % {"organisation": proposal["lead_organisation"]}
        )
    if atelier:
        meta.append(_("Atelier: %(atelier)s") % {"atelier": atelier})
    yield _plain("para", " · ".join(meta), style="meta")
    yield from markdown_blocks(proposal.get("summary"))
    fields = [
        (_("Description"), proposal.get("description"), True),
        (_("Concrete actions"), proposal.get("actions"), True),
        (
            _("Partner organisations"),
            ", ".join(proposal.get("partner_organisations") or []),
            False,
        ),
        (
            _("Territories concerned"),
            ", ".join(proposal.get("territories") or []),
            False,
        ),
        (_("Timetable"), proposal.get("timetable"), True),
        (_("Means and funding"), proposal.get("means"), True),
        (_("Evaluation indicators"), proposal.get("indicators"), True),
        (_("Annexes"), ", ".join(proposal.get("annexes") or []), False),
    ]
    for label, value, is_markdown in fields:
        if not value:
            continue
        yield _plain("para", label, style="field")
        if is_markdown:
            yield from markdown_blocks(value)
        else:
            yield _plain("para", value)
    if proposal.get("validated_at"):
        trace = _("Validated by the commission on %(date)s · version %(version)s") % {
            "date": _date(proposal["validated_at"]),
            "version": proposal["version"],
        }
    else:
        trace = _("Validated by the commission · version %(version)s") % {
            "version": proposal["version"]
        }
    yield _plain("para", trace, style="meta")


def _person(person: dict | None) -> str:
    if not person:
        return _("none named")
    return ", ".join(
        filter(None, [person["name"], person["job_title"], person["organisation"]])
    )


def _annex(content: dict):
    yield _plain(
        "heading", _("Annex: the ateliers and the contributing organisations"), level=1
    )
    for atelier in content["ateliers"]:
        yield _plain(
            "heading",
            _("Axis %(number)s · %(title)s")
            % {"number": atelier["axis_number"], "title": atelier["name"]},
            level=2,
        )
        yield _plain("para", _("Landlord referent"), style="field")
        yield _plain("para", _person(atelier["landlord_referent"]))
        yield _plain(
            "para", _("Commune or Saint-Étienne Métropole co-animator"), style="field"
        )
        yield _plain("para", _person(atelier["public_coanimator"]))
        yield _plain("para", _("Volunteer members"), style="field")
        if atelier["members"]:
            for member in atelier["members"]:
                yield _plain("item", _person(member))
        else:
            yield _plain("para", _("none named"))
    yield _plain("heading", _("Contributing organisations"), level=2)
    if content["organisations"]:
        for name in content["organisations"]:
            yield _plain("item", name)
    else:
        yield _plain(
            "para", _("No organisation is named in this edition."), style="meta"
        )


def _colophon(content: dict, count: int):
    edition = content["edition"]
    published = content.get("published", False)
    yield _plain("heading", _("About this document"), level=1)
    yield _plain("para", _("Edition"), style="field")
    yield _plain("para", edition["title"])
    yield _plain("para", _("Status"), style="field")
    if published:
        yield _plain("para", _("Published; its content is frozen."))
        if content.get("published_on"):
            yield _plain("para", _date(content["published_on"]))
    else:
        yield _plain(
            "para",
            _(
                "Working document — not validated: a draft, whose content may "
                "still change."
            ),
        )
    yield _plain("para", _("Content"), style="field")
    yield _plain(
        "para",
        ngettext(
            "%(counter)s validated proposal over six axes",
            "%(counter)s validated proposals over six axes",
            count,
        )
        % {"counter": count},
    )
    if published:
        yield _plain(
            "para", _("Fingerprint of the frozen content (SHA-256)"), style="field"
        )
        yield Block("para", [Run(frozen_sha256(content), code=True)], style="hash")
        yield _plain("para", _("How to check it"), style="field")
        yield _plain(
            "para",
            _(
                "The frozen content of the edition (a JSON file) is downloaded "
                "from the edition’s page on the Portail CUCS; without an account "
                "there, ask the AMO2SM secretariat for it. Its SHA-256 fingerprint "
                "(for instance with the command sha256sum) must give the same 64 "
                "characters: this checks that the document was produced from that "
                "content, unchanged."
            ),
        )
    yield _plain("para", _("Publisher"), style="field")
    yield _plain(
        "para",
        _(
            "AMO2SM, the association of the social landlords of the Saint-Étienne "
            "area, with Saint-Étienne Métropole."
        ),
    )


def properties(content: dict) -> dict:
    """The document's properties: its title and its subject (the edition)."""
    edition = content["edition"]
    with translation.override("fr"):
        subject = _(
            "Common référentiel of the social landlords’ proposals on local "
            "urban management and the social side of housing, for the CUCS of "
            "Saint-Étienne Métropole."
        )
        when = " · ".join(
            filter(None, [edition.get("place"), _date(edition.get("event_date"))])
        )
        state = (
            _("Published on %(date)s; its content is frozen.")
            % {"date": _date(content.get("published_on"))}
            if content.get("published")
            else _("Working document — not validated")
        )
    title = french(edition["title"])
    return {
        "title": title,
        "subject": french(" · ".join(filter(None, [title, when, state]))),
        "description": french(subject),
        "keywords": "CUCS, GUSP, Saint-Étienne Métropole, AMO2SM",
    }


# --- ODT ------------------------------------------------------------------------

_ODT_STYLES = {
    "title": "Title",
    "subtitle": "Subtitle",
    "body": "Text_20_body",
    "meta": "Referentiel_20_meta",
    "field": "Referentiel_20_field",
    "notice": "Referentiel_20_notice",
    "quote": "Quotations",
    "code": "Preformatted_20_Text",
    "hash": "Preformatted_20_Text",
}


def to_odt(content: dict) -> bytes:
    """The document of ``content`` as an ODT file."""
    from odfdo import Document, Header, List, ListItem, Paragraph, Span, Style

    document = Document("text")
    body = document.body
    body.clear()
    for name, display, parent, extra in (
        ("Title", "Title", "Heading", {"size": "24pt", "bold": True}),
        ("Subtitle", "Subtitle", "Heading", {"size": "13pt", "italic": True}),
        ("Quotations", "Quotations", "Text_20_body", {"italic": True}),
        (
            "Referentiel_20_meta",
            "Référentiel meta",
            "Text_20_body",
            {"italic": True, "color": "#555555"},
        ),
        (
            "Referentiel_20_field",
            "Référentiel field",
            "Text_20_body",
            {"bold": True},
        ),
        (
            "Referentiel_20_notice",
            "Référentiel notice",
            "Text_20_body",
            {"bold": True, "color": "#9a3412"},
        ),
    ):
        style = Style(
            "paragraph",
            name=name,
            display_name=display,
            parent_style=parent,
            area="text",
            **{k: v for k, v in extra.items() if k != "size"},
        )
        if "size" in extra:
            style.set_properties(area="text", **{"fo:font-size": extra["size"]})
        document.insert_style(style)
    for name, props in (
        ("Strong", {"bold": True}),
        ("Emphasis", {"italic": True}),
        ("Strong_Emphasis", {"bold": True, "italic": True}),
    ):
        document.insert_style(
            Style("text", name=name, area="text", **props), automatic=True
        )
    document.insert_style(
        Style(
            "text",
            name="Source_20_Text",
            display_name="Source Text",
            area="text",
            font_name="Liberation Mono",
        )
    )
    _odt_language(document)
    _odt_unnumbered_headings(document)
    # Each part on a new page, as in the PDF: the cover alone on the first.
    document.get_style("paragraph", "Heading_20_1").set_properties(
        area="paragraph", **{"fo:break-before": "page"}
    )

    def paragraph(block: Block, style: str):
        if block.kind == "heading":
            element = Header(block.level)
            # (odfdo's Header leaves its ``style`` argument unset.)
            element.style = f"Heading_20_{block.level}"
        else:
            element = Paragraph(style=style)
        for run in block.runs:
            name = (
                "Source_20_Text"
                if run.code
                else {
                    (True, False): "Strong",
                    (False, True): "Emphasis",
                    (True, True): "Strong_Emphasis",
                }.get((run.bold, run.italic))
            )
            if name:
                element.append(Span(run.text, style=name))
            else:
                element.append_plain_text(run.text)
        return element

    open_lists: list = []  # the List element at each depth
    for block in outline(content):
        if block.kind != "item":
            open_lists = []
            name = block.kind if block.kind in ("title", "subtitle") else block.style
            body.append(paragraph(block, _ODT_STYLES.get(name, "Text_20_body")))
            continue
        del open_lists[block.depth + 1 :]
        while len(open_lists) <= block.depth:
            new = List(style="Numbering_20_1" if block.ordered else "List_20_1")
            if open_lists:
                items = open_lists[-1].get_elements("text:list-item")
                (items[-1] if items else open_lists[-1]).append(new)
            else:
                body.append(new)
            open_lists.append(new)
        item = ListItem()
        item.append(paragraph(block, "List_20_Bullet"))
        open_lists[block.depth].append(item)

    meta = document.meta
    props = properties(content)
    meta.set_title(props["title"])
    meta.set_subject(props["subject"])
    meta.set_description(props["description"])
    meta.set_keywords(props["keywords"])
    meta.set_language(LANGUAGE)
    meta.set_generator("Portail CUCS")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _odt_unnumbered_headings(document) -> None:
    """The template numbers its headings (« 2.4.1 »): the référentiel's carry
    their own numbers (axis, enjeu, proposal reference)."""
    for level in document.get_part("styles.xml").get_elements(
        "//text:outline-level-style"
    ):
        level.set_attribute("style:num-format", "")
        for name in ("style:num-suffix", "loext:num-list-format"):
            if level.get_attribute(name) is not None:
                level.del_attribute(name)


def _odt_language(document) -> None:
    """French for the spelling and hyphenation of every paragraph: the default
    paragraph style's language."""
    for style in document.get_styles("paragraph"):
        if style.tag == "style:default-style" or style.name == "Standard":
            style.set_properties(
                area="text",
                **{"fo:language": "fr", "fo:country": "FR"},
            )


# --- DOCX -----------------------------------------------------------------------

_DOCX_STYLES = {
    "body": "Normal",
    "meta": "Referentiel Meta",
    "field": "Referentiel Field",
    "notice": "Referentiel Notice",
    "quote": "Quote",
    "code": "Referentiel Code",
    "hash": "Referentiel Code",
}


def to_docx(content: dict) -> bytes:
    """The document of ``content`` as a DOCX file."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    document = docx.Document()
    styles = document.styles
    for name, bold, italic, color, mono in (
        ("Referentiel Meta", False, True, RGBColor(0x55, 0x55, 0x55), False),
        ("Referentiel Field", True, False, None, False),
        ("Referentiel Notice", True, False, RGBColor(0x9A, 0x34, 0x12), False),
        ("Referentiel Code", False, False, None, True),
    ):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.bold = bold
        style.font.italic = italic
        if color is not None:
            style.font.color.rgb = color
        if mono:
            style.font.name = "Courier New"
            style.font.size = Pt(9)
        if name == "Referentiel Field":
            style.paragraph_format.keep_with_next = True
    # Each part on a new page, as in the PDF: the cover alone on the first.
    styles["Heading 1"].paragraph_format.page_break_before = True
    # French for the spelling and hyphenation: the document's default language.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)

    def fill(paragraph, block: Block):
        for run in block.runs:
            # The text as one w:t (python-docx's add_run adds it character by
            # character), a line break for each new line of a code block.
            element = OxmlElement("w:r")
            for number, line in enumerate(run.text.split("\n")):
                if number:
                    element.append(OxmlElement("w:br"))
                text = OxmlElement("w:t")
                text.text = line
                text.set(qn("xml:space"), "preserve")
                element.append(text)
            paragraph._p.append(element)
            added = Run(element, paragraph)
            if run.bold:
                added.bold = True
            if run.italic:
                added.italic = True
            if run.code:
                added.font.name = "Courier New"

    # Each paragraph gets its style's id directly: python-docx looks a style
    # up by name through every style of the document for each paragraph,
    # which took 1.2 s of the demo's 1.4 s. And the paragraphs are appended
    # to the body with its section properties set aside, put back last:
    # python-docx inserts each before them, looking for them among all the
    # paragraphs already there (quadratic: 4 s of a large edition's 7 s).
    ids = {}

    def style_id(name: str) -> str:
        if name not in ids:
            ids[name] = styles[name].style_id
        return ids[name]

    body = document.element.body
    section = body.find(qn("w:sectPr"))
    if section is not None:
        body.remove(section)
    for block in outline(content):
        if block.kind == "heading":
            name = f"Heading {block.level}"
        elif block.kind == "title":
            name = "Title"
        elif block.kind == "subtitle":
            name = "Subtitle"
        elif block.kind == "item":
            name = "List Number" if block.ordered else "List Bullet"
            if block.depth:
                name = f"{name} {min(block.depth + 1, 3)}"
        else:
            name = _DOCX_STYLES.get(block.style, "Normal")
        element = OxmlElement("w:p")
        body.append(element)
        paragraph = Paragraph(element, document._body)
        if name != "Normal":
            element.style = style_id(name)
        fill(paragraph, block)
    if section is not None:
        body.append(section)

    core = document.core_properties
    props = properties(content)
    core.title = props["title"]
    core.subject = props["subject"]
    core.comments = props["description"]
    core.keywords = props["keywords"]
    core.language = LANGUAGE
    core.author = "AMO2SM"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


WRITERS = {ODT: to_odt, DOCX: to_docx}


def render(content: dict, fmt: str) -> bytes:
    return WRITERS[fmt](content)
