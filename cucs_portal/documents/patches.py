"""Three fixes to WeasyPrint 70.0 and pydyf 0.13.0, applied inside the render
process only (``child.py`` calls ``apply()`` before it renders).

Each is small, keeps WeasyPrint's own code doing the work, and is written so it
can go upstream as it stands. They are applied to the versions they were
written for and tested on (``tests/referentiel/test_render.py``,
``tests/referentiel/test_pdf.py``); with any other version nothing is patched
and ``apply()`` says so on stderr, which the render's log keeps.

1. **pydyf's ``PDF.page_references`` is quadratic.** It rebuilds the tuple of
   every page's reference on each call, and WeasyPrint's PDF/UA tagging calls
   it once per structure element: ~50,000 times for a 261-page référentiel,
   9 s of a 43 s render (PDF-NOTES). Pages are only ever appended to
   ``Kids``, so the tuple is kept until their number changes. The PDF is byte
   for byte the same.

2. **Margin boxes are artifacts.** WeasyPrint marks the text of running
   headers and footers as content (``/Span`` with an MCID) and leaves it out
   of the structure tree; PDF/UA wants page furniture marked ``/Artifact``,
   so that a screen reader does not read « page 12 / 261 » between two
   paragraphs. Margin boxes are drawn inside an artifact with tagging off.

3. **One structure element per element, not per page.** WeasyPrint builds
   the structure tree page by page, so a section that runs over ten pages is
   ten ``/Sect`` siblings, and a paragraph cut by a page break two ``/P``. A
   box that continues an element already tagged on an earlier page (same
   element, same depth in the tree, not an anonymous box) now adds its
   children to that element.
   Elements whose content items are marked directly (links, figures, table
   cells, list items) are left as WeasyPrint makes them.
"""

from __future__ import annotations

import sys

WRITTEN_FOR = {"weasyprint": "70.0", "pydyf": "0.13.0"}

# The structure types whose kids are only other structure elements (never an
# MCID of one page), so that kids from several pages can share one parent.
MERGEABLE = {"Sect", "Art", "Part", "Div", "P", "BlockQuote", "L"}

_applied = False


def versions() -> dict[str, str]:
    import pydyf
    import weasyprint

    return {"weasyprint": weasyprint.__version__, "pydyf": pydyf.__version__}


def apply() -> bool:
    """Patch WeasyPrint and pydyf in this process. Returns whether it did."""
    global _applied
    if _applied:
        return True
    found = versions()
    if found != WRITTEN_FOR:
        print(
            f"cucs_portal.documents.patches: not applied, written for {WRITTEN_FOR}, "
            f"found {found}",
            file=sys.stderr,
        )
        return False
    _cache_page_references()
    _margin_boxes_as_artifacts()
    _one_structure_element_per_element()
    _applied = True
    return True


def _cache_page_references() -> None:
    import pydyf

    def page_references(self):
        kids = self.pages["Kids"]
        cached = self.__dict__.get("_cucs_page_references")
        if cached is None or cached[0] != len(kids):
            references = tuple(
                f"{object_number} 0 R".encode("ascii") for object_number in kids[::3]
            )
            cached = self.__dict__["_cucs_page_references"] = (len(kids), references)
        return cached[1]

    pydyf.PDF.page_references = property(page_references)


def _margin_boxes_as_artifacts() -> None:
    from weasyprint import draw
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import tags

    draw_stacking_context = draw.draw_stacking_context

    def draw_margin_box_as_artifact(stream, stacking_context):
        marks = getattr(stream, "_tags", None)
        if marks is None or not isinstance(stacking_context.box, boxes.MarginBox):
            return draw_stacking_context(stream, stacking_context)
        with stream.artifact():
            stream._tags = None  # nothing in it is tagged content
            try:
                return draw_stacking_context(stream, stacking_context)
            finally:
                stream._tags = marks

    draw.draw_stacking_context = draw_margin_box_as_artifact

    build_box_tree = tags._build_box_tree

    def without_margin_boxes(box, *args, **kwargs):
        if isinstance(box, boxes.MarginBox):
            return iter(())  # drawn as an artifact: no marked content to map
        return build_box_tree(box, *args, **kwargs)

    tags._build_box_tree = without_margin_boxes


def _one_structure_element_per_element() -> None:
    import weasyprint.pdf as pdf_package
    from weasyprint.css import AnonymousStyle
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.pdf import tags

    build_box_tree = tags._build_box_tree  # with margin boxes left out
    add_tags = tags.add_tags
    state = {"tagged": {}, "depth": 0}

    def merged_build_box_tree(box, parent, pdf, page_number, *args, **kwargs):
        real = box._box if isinstance(box, AbsolutePlaceholder) else box
        element_tag = None if real.element is None else real.element_tag
        key = None
        # Not an anonymous box: it has its parent's element and tag, and two
        # of them on two pages (the text around a block) are not one thing.
        if (
            real.element is not None
            and not isinstance(real.style, AnonymousStyle)
            and tags._get_pdf_tag(element_tag) in MERGEABLE
        ):
            key = (id(real.element), element_tag, state["depth"])
        state["depth"] += 1
        try:
            built = list(build_box_tree(box, parent, pdf, page_number, *args, **kwargs))
        finally:
            state["depth"] -= 1
        if key is None or len(built) != 1:
            return iter(built)
        (element,) = built
        earlier = state["tagged"].get(key)
        if earlier is None or earlier[1] == page_number:
            state["tagged"][key] = (element, page_number)
            return iter(built)
        # The same element, continued from an earlier page: its kids join the
        # element made there, and this page's copy is left out of the tree
        # (an object nothing refers to).
        kids = [_struct_elem(pdf, reference) for reference in element["K"]]
        if None in kids:
            state["tagged"][key] = (element, page_number)
            return iter(built)
        target = earlier[0]
        for reference, kid in zip(element["K"], kids, strict=True):
            kid["P"] = target.reference
            target["K"].append(reference)
        element["K"] = type(element["K"])()
        state["tagged"][key] = (target, page_number)
        return iter(())

    def add_tags_once_per_element(*args, **kwargs):
        state["tagged"] = {}
        try:
            return add_tags(*args, **kwargs)
        finally:
            state["tagged"] = {}

    tags._build_box_tree = merged_build_box_tree
    tags.add_tags = add_tags_once_per_element
    pdf_package.add_tags = add_tags_once_per_element  # imported there by name


def _struct_elem(pdf, reference):
    """The structure element a kid reference points to, or None when the kid
    is anything else (a marked-content id, an annotation)."""
    if not isinstance(reference, bytes):
        return None
    kid = pdf.objects[int(reference.split()[0])]
    return kid if isinstance(kid, dict) and kid.get("Type") == "/StructElem" else None
