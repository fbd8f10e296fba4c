"""The render process's fixes to WeasyPrint and pydyf
(cucs_portal/documents/patches.py), on real renders: the page-reference cache
changes no byte of the PDF; running headers and footers are artifacts; a
section or a paragraph running over several pages is one structure element.
"""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from cucs_portal.documents import patches
from cucs_portal.documents.pdf import render_pdf
from tests.referentiel.support import structure_elements

ROOT = Path(__file__).resolve().parents[2]

PAGES = (
    '<html lang="fr"><head>'
    '<meta name="dcterms.created" content="2007-05-10T10:00:00">'
    "<style>@page { @top-left { content: 'Référentiel en tête' } "
    "@bottom-right { content: 'page ' counter(page) } }</style></head><body>"
    "<section><h1>Premier axe</h1>"
    + "".join(
        f"<p>Paragraphe {n} : les bailleurs et la ville se répartissent "
        "l’entretien des espaces extérieurs, quartier par quartier.</p>"
        for n in range(150)
    )
    + "<p>"
    + "Un très long paragraphe qui passe la page. " * 200
    + "</p>"
    "</section><section><h1>Second axe</h1><p>Fin.</p></section></body></html>"
)

RENDER = """
import hashlib, sys
from weasyprint import HTML
from cucs_portal.documents import patches
if sys.argv[2] == "cached":
    patches._cache_page_references()
document = HTML(filename=sys.argv[1]).render(pdf_variant="pdf/ua-1")
print(hashlib.sha256(document.write_pdf(pdf_variant="pdf/ua-1")).hexdigest())
"""


def test_the_patches_are_written_for_the_installed_versions():
    """An upgrade of WeasyPrint or pydyf turns the patches off (apply() says
    so on stderr): this test then asks for them to be checked and ported."""
    assert patches.versions() == patches.WRITTEN_FOR


def test_caching_the_page_references_changes_no_byte(tmp_path):
    """The same document, with and without the cache, in fresh processes."""
    html = tmp_path / "pages.html"
    html.write_text(PAGES, encoding="utf-8")

    def digest(mode):
        done = subprocess.run(
            [sys.executable, "-c", RENDER, str(html), mode],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        return done.stdout.strip()

    assert digest("cached") == digest("plain")


@pytest.fixture(scope="module")
def tagged(tmp_path_factory) -> PdfReader:
    output = tmp_path_factory.mktemp("patches") / "tagged.pdf"
    render_pdf(PAGES, output)
    return PdfReader(io.BytesIO(output.read_bytes()))


def test_headers_and_footers_are_artifacts(tagged):
    """Every page's header and footer are drawn inside /Artifact (unpatched
    WeasyPrint draws none: they were marked content)."""
    assert len(tagged.pages) > 3
    for page in tagged.pages:
        content = page.get_contents().get_data()
        assert content.count(b"/Artifact\nBMC") >= 2


def test_a_section_over_several_pages_is_one_structure_element(tagged):
    """Two sections, however many pages the first runs over; the paragraph cut
    by page breaks is one /P; every kid points back to its parent."""
    rows = structure_elements(tagged)
    sections = [element for _, kind, element in rows if kind == "/Sect"]
    assert len(sections) == 2
    paragraphs = [element for _, kind, element in rows if kind == "/P"]
    assert len(paragraphs) == 152
    for _, _, element in rows:
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and "/P" in kid:
                assert kid["/P"].get_object() == element


def test_text_around_a_block_is_not_merged_across_pages(tmp_path):
    """Anonymous boxes carry their parent's element: the text before and
    after a page-long block are two elements, read in their order."""
    output = tmp_path / "anonymous.pdf"
    render_pdf(
        '<html lang="fr"><body><div>Avant<p style="height: 250mm">Bloc</p>'
        "Après<p>Fin</p>Dernier</div></body></html>",
        output,
    )
    reader = PdfReader(io.BytesIO(output.read_bytes()))
    order = []

    def walk(node):
        node = node.get_object()
        for kid in node.get("/K", []) if isinstance(node.get("/K"), list) else []:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                if (
                    "/Pg" in kid
                    and isinstance(kid.get("/K"), list)
                    and all(isinstance(k, int) for k in kid["/K"])
                ):
                    page = reader.get_page_number(kid["/Pg"].get_object())
                    order.append(page)
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    # The marked text, in the tree's reading order, never goes back a page.
    assert order == sorted(order), order
