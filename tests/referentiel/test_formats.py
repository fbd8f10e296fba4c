"""The référentiel as ODT and DOCX (referentiel/formats.py), made from the
same content as the PDF and read back with odfdo and python-docx: headings
with their levels (what LibreOffice and Word build their table of contents
and navigator from), every included proposal's title and none of the left
out one's, the Markdown turned into runs and bullets, the properties and the
language. One test converts both with LibreOffice headless to PDF.

The edition (on tests/world.py): the world's validated proposals, one more
under the first enjeu of ``ours`` with Markdown in its fields, and one left out
by the secretariat; published.
"""

import io
import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from odfdo import Document
from pypdf import PdfReader

from referentiel import content as edition_content
from referentiel import formats, services
from referentiel.models import EditionFile
from tests.referentiel.support import (
    included,
    new_edition,
    normalized,
    publish,
    validated_proposal,
)

pytestmark = pytest.mark.django_db

TITLE = "Référentiel CUCS : édition du séminaire"
MARKDOWN = (
    "Un constat **partagé** par les *bailleurs* :\n"
    "- des réunions de locataires ;\n"
    "- des visites de sites\n"
)


@pytest.fixture(scope="module")
def edition(world, django_db_blocker):
    with django_db_blocker.unblock():
        ours = world.ours
        first_enjeu, _second = world.enjeux[ours.pk]
        validated_proposal(
            ours,
            first_enjeu,
            "Des diagnostics en marchant avec les amicales",
            description=MARKDOWN,
            partner_organisations=[],
        )
        left_out = validated_proposal(
            ours, first_enjeu, "Une proposition que le secrétariat écarte"
        )
        draft = new_edition(
            world,
            title=TITLE,
            place="Musée d’art moderne, Saint-Étienne",
            introduction="Le **référentiel** commun des bailleurs sociaux.",
        )
        services.entry_set_included(
            user=world.people["secretariat"],
            edition=draft,
            proposal=left_out,
            included=False,
        )
        return publish(world, draft)


@pytest.fixture(scope="module")
def content(edition):
    return edition_content.document_content(edition)


@pytest.fixture(scope="module")
def odt(content):
    return Document(io.BytesIO(formats.to_odt(content)))


@pytest.fixture(scope="module")
def word(content):
    return docx.Document(io.BytesIO(formats.to_docx(content)))


def titles(content) -> list[str]:
    return [formats.french(f"{p['reference']} {p['title']}") for p in included(content)]


def test_the_edition_holds_proposals_and_leaves_one_out(content):
    assert len(included(content)) >= 3
    assert "Une proposition que le secrétariat écarte" not in str(content)


def odt_headings(odt) -> list[tuple[int, str]]:
    return [
        (int(h.get_attribute("text:outline-level")), h.text_recursive)
        for h in odt.body.get_elements("text:h")
    ]


def test_the_odt_has_real_headings_with_their_levels(odt, content):
    headings = odt_headings(odt)
    levels = {text: level for level, text in headings}

    assert levels["Introduction"] == 1
    assert levels["À propos de ce document"] == 1
    assert levels[formats.french(f"Axe 1 · {content['axes'][0]['title']}")] == 1
    enjeu = content["axes"][0]["enjeux"][0]
    assert levels[formats.french(f"Enjeu {enjeu['reference']} · {enjeu['title']}")] == 2
    for title in titles(content):
        assert levels[title] == 3
    assert "Une proposition que le secrétariat écarte" not in odt.body.text_recursive
    # Heading styles LibreOffice's outline and table of contents know.
    styles = {h.style for h in odt.body.get_elements("text:h")}
    assert styles <= {"Heading_20_1", "Heading_20_2", "Heading_20_3"}


def test_the_odt_s_markdown_is_runs_and_bullets(odt):
    text = odt.body.text_recursive
    assert "**" not in text
    assert "partagé" in [s.text for s in odt.body.get_elements("//text:span")]
    items = [
        i.text_recursive.strip() for i in odt.body.get_elements("//text:list-item")
    ]
    assert "des réunions de locataires\u202f;" in items
    assert "des visites de sites" in items


def test_the_odt_s_properties_and_language(odt, content, edition):
    meta = odt.meta
    assert meta.get_title() == formats.french(TITLE)
    assert formats.french(TITLE) in meta.get_subject()
    assert "Publiée le" in meta.get_subject()
    assert meta.get_language() == "fr-FR"
    # The colophon prints the frozen content's fingerprint.
    assert edition_content.frozen_sha256(content) in odt.body.text_recursive


def test_the_docx_has_real_headings_with_their_levels(word, content):
    headings = {
        p.text: p.style.name
        for p in word.paragraphs
        if p.style.name.startswith("Heading")
    }

    assert headings["Introduction"] == "Heading 1"
    assert headings["À propos de ce document"] == "Heading 1"
    enjeu = content["axes"][0]["enjeux"][0]
    assert (
        headings[formats.french(f"Enjeu {enjeu['reference']} · {enjeu['title']}")]
        == "Heading 2"
    )
    for title in titles(content):
        assert headings[title] == "Heading 3"
    assert [p.style.name for p in word.paragraphs][1] == "Title"
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Une proposition que le secrétariat écarte" not in text
    assert "**" not in text


def test_the_docx_s_markdown_is_runs_and_bullets(word):
    bullets = [p.text for p in word.paragraphs if p.style.name == "List Bullet"]
    assert "des visites de sites" in bullets
    bold = [r.text for p in word.paragraphs for r in p.runs if r.bold]
    assert "partagé" in bold


def test_the_docx_s_properties_and_language(word, content):
    core = word.core_properties
    assert core.title == formats.french(TITLE)
    assert formats.french(TITLE) in core.subject
    assert core.language == "fr-FR"
    lang = word.styles.element.xpath("//w:docDefaults//w:lang")[0]
    assert lang.get(docx.oxml.ns.qn("w:val")) == "fr-FR"
    text = "\n".join(p.text for p in word.paragraphs)
    assert edition_content.frozen_sha256(content) in text


def test_a_draft_s_file_says_so_and_is_not_kept(world):
    draft = new_edition(world, title="Un brouillon")

    data = services.draft_document(draft, "docx")

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "Document de travail — non validé" in text
    assert EditionFile.objects.filter(edition=draft).count() == 0


def test_a_published_edition_s_file_is_made_once(edition):
    first = services.edition_file(edition, "odt")
    again = services.edition_file(edition, "odt")

    assert again.pk == first.pk
    with first.file.open("rb") as handle:
        import hashlib

        assert hashlib.sha256(handle.read()).hexdigest() == first.sha256


def test_two_first_requests_at_once_keep_one_file(edition, monkeypatch):
    """Without row locks (SQLite), another request may store the same file
    while this one makes it: the second save keeps the first file, drops its
    own, and answers with the one kept, never an error."""
    from django.core.files.base import ContentFile

    from referentiel import formats as editable

    EditionFile.objects.filter(edition=edition, format="docx").delete()
    render = editable.render
    theirs = {}

    def render_while_another_request_saves(content, fmt):
        data = render(content, fmt)
        other = EditionFile(
            edition=edition,
            format=fmt,
            sha256="0" * 64,
            size_bytes=len(data),
            make_seconds=0.1,
        )
        other.file.save(f"autre.{fmt}", ContentFile(data), save=False)
        other.save()
        theirs["row"] = other
        return data

    monkeypatch.setattr(editable, "render", render_while_another_request_saves)

    kept = services.edition_file(edition, "docx")

    assert kept.pk == theirs["row"].pk
    assert EditionFile.objects.filter(edition=edition, format="docx").count() == 1


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed: "
    "apt install libreoffice-writer-nogui",
)
def test_libreoffice_converts_both_to_pdf_with_every_title(content, tmp_path):
    """LibreOffice headless, with a profile of its own, opens the ODT and the
    DOCX and converts each to PDF (one conversion per format): the text of
    each PDF holds every included proposal's title."""
    sources = []
    for fmt in formats.FORMATS:
        path = tmp_path / f"referentiel-{fmt}.{fmt}"
        path.write_bytes(formats.render(content, fmt))
        sources.append(path)
    profile = tmp_path / "profile"
    out = tmp_path / "pdf"

    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, sources),
        ],
        check=True,
        timeout=120,
        capture_output=True,
        env={**os.environ, "HOME": str(tmp_path)},
    )

    for source in sources:
        pdf = out / Path(source).with_suffix(".pdf").name
        assert pdf.exists(), f"no PDF of {source.name}"
        text = normalized(
            " ".join(page.extract_text() for page in PdfReader(pdf).pages)
        )
        for title in titles(content):
            assert normalized(title) in text, (source.name, title)


def test_the_odt_s_headings_carry_no_number_of_the_template(odt):
    """The template numbers headings (« 2.4.1 »); the référentiel's headings
    carry their own numbers."""
    levels = odt.get_part("styles.xml").get_elements("//text:outline-level-style")
    assert levels
    assert {level.get_attribute("style:num-format") for level in levels} == {""}


def test_each_part_starts_a_page(odt, word):
    heading = odt.get_style("paragraph", "Heading_20_1")
    assert heading.get_properties(area="paragraph")["fo:break-before"] == "page"
    assert word.styles["Heading 1"].paragraph_format.page_break_before is True


def test_a_draft_s_file_follows_its_current_content(world):
    """A draft's file is made from its content as it stands: a proposal
    validated after the draft was started is in it."""
    draft = new_edition(world, title="Un brouillon qui suit les propositions")
    ours = world.ours
    validated_proposal(ours, world.enjeux[ours.pk][0], "Une proposition de la veille")

    data = services.draft_document(draft, "odt")

    text = Document(io.BytesIO(data)).body.text_recursive
    assert "Une proposition de la veille" in text


def test_a_proposals_annexes_are_listed_by_name_in_every_format(world, client):
    """The files attached to a validated proposal are named under it, in the
    document (preview and PDF share its template) and in the ODT and the
    DOCX; the files themselves stay on the portal."""
    from django.urls import reverse

    from cucs_portal.attachments import attach, check_upload
    from tests.cucs_portal.attachment_files import pdf

    ours = world.ours
    proposal = validated_proposal(
        ours, world.enjeux[ours.pk][0], "Une proposition avec son plan"
    )
    # Attached while the atelier wrote it (the service refuses it once
    # validated): the kernel's own attach, as the service calls it.
    attach(
        obj=proposal,
        checked=check_upload(pdf("Plan du quartier.pdf")),
        user=world.people["member"],
    )
    draft = new_edition(world, title="Édition avec annexes")
    content = edition_content.document_content(draft)
    (entry,) = [p for p in included(content) if p["id"] == proposal.pk]
    assert entry["annexes"] == ["Plan du quartier.pdf"]
    # A proposal without annexes carries no key: older frozen contents read
    # the same.
    assert all("annexes" not in p for p in included(content) if p is not entry)

    odt_text = Document(io.BytesIO(formats.to_odt(content))).body.text_recursive
    assert "Plan du quartier.pdf" in odt_text
    word_text = "\n".join(
        p.text for p in docx.Document(io.BytesIO(formats.to_docx(content))).paragraphs
    )
    assert "Plan du quartier.pdf" in word_text
    client.force_login(world.people["secretariat"])
    preview = client.get(reverse("referentiel:preview", kwargs={"pk": draft.pk}))
    assert "Plan du quartier.pdf" in preview.content.decode()
