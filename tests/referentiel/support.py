"""What the tests of the référentiel share: editions built through the services,
the background worker run for real, rendered PDFs read back with pypdf.

No helper here fakes a component: a render is WeasyPrint in its subprocess, a
task goes through the database queue and ``manage.py db_worker``.
"""

from __future__ import annotations

import io
import re

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from ateliers.models import Atelier, Proposal
from referentiel import services
from referentiel.models import Edition
from tests import factories as f


def run_worker() -> None:
    """The background worker, until the queue is empty. Only where transactions
    are committed (``transactional_db``): the worker closes "old" database
    connections, which on PostgreSQL ends a test's enclosing transaction."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def task_count() -> int:
    return DBTaskResult.objects.count()


def validated_proposal(atelier: Atelier, enjeu, title: str, **fields) -> Proposal:
    return f.ProposalFactory(
        atelier=atelier,
        enjeu=enjeu,
        status=Proposal.Status.VALIDATED,
        title=title,
        **fields,
    )


def new_edition(world, title="Référentiel CUCS, édition de travail", **data) -> Edition:
    return services.edition_create(
        user=world.people["secretariat"], data={"title": title, **data}
    )


def publish(world, edition: Edition) -> Edition:
    return services.edition_publish(user=world.people["secretariat"], edition=edition)


def included(content: dict) -> list[dict]:
    """The proposals of an edition's content, in document order."""
    return [
        proposal
        for axis in content["axes"]
        for enjeu in axis["enjeux"]
        for proposal in enjeu["proposals"]
    ]


def references(content: dict) -> list[str]:
    return [proposal["reference"] for proposal in included(content)]


def downloaded(response) -> bytes:
    """The body of a ``FileResponse``, read to the end, which closes its file.
    (Not ``response.close()`` on top: outside the test client's wrapper it
    fires ``request_finished``, whose handler closes the database connection,
    and with it, on PostgreSQL, the test's transaction.)"""
    assert response.streaming, response
    return b"".join(response.streaming_content)


def normalized(text: str) -> str:
    """Whitespace collapsed: lines wrap differently on a page than in the data."""
    return " ".join(text.split())


def read_pdf(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-"), data[:20]
    return PdfReader(io.BytesIO(data))


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """The bookmarks, flattened: (level from 1, title, page index from 0)."""
    rows = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                rows.append(
                    (level, item.title, reader.get_destination_page_number(item))
                )

    walk(reader.outline, 1)
    return rows


def toc_page_number(toc_text: str, label: str) -> int:
    """The page number printed next to the entry starting with ``label`` in the
    table of contents (after its title, which may wrap over lines)."""
    match = re.search(
        rf"^{re.escape(label)}\s.*?\s(\d+)$", toc_text, flags=re.MULTILINE | re.DOTALL
    )
    assert match, f"no entry {label!r} in the table of contents:\n{toc_text}"
    return int(match[1])


# What a typographer checks in the text layer (pypdf keeps U+00A0 and U+202F):
# a plain space before : ; ! ?, a guillemet or a mark cut from its word by
# a line break, a straight apostrophe.
TYPOGRAPHY_FAULTS = {
    "plain space before : ; ! ?": re.compile(r" [:;!?]"),
    "line opening on » : ; ! ?": re.compile(r"^[»:;!?](?=\s|$)", re.MULTILINE),
    "line ending on «": re.compile(r"«$", re.MULTILINE),
    "straight apostrophe": re.compile(r"'"),
}


def typography_faults(texts: list[str]) -> dict[str, list[str]]:
    """Each fault found in the pages' text, with a few words around it."""
    found = {}
    for name, pattern in TYPOGRAPHY_FAULTS.items():
        for number, text in enumerate(texts, start=1):
            for match in pattern.finditer(text):
                around = text[max(0, match.start() - 30) : match.end() + 30]
                found.setdefault(name, []).append(f"page {number}: {around!r}")
    return found


def header(text: str) -> str:
    """A page's running header, as pypdf reads it: drawn after the page's
    content (an artifact), the line before the footer's."""
    lines = text.rstrip("\n").split("\n")
    return lines[-2] if len(lines) > 1 else ""


def structure_elements(reader: PdfReader) -> list[tuple[int, str, dict]]:
    """The tagged PDF's structure tree, depth first: (depth, type, element)."""
    rows = []

    def walk(node, depth):
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and kid.get("/Type") == "/StructElem":
                rows.append((depth, kid["/S"], kid))
                walk(kid, depth + 1)

    walk(reader.trailer["/Root"]["/StructTreeRoot"].get_object(), 0)
    return rows
