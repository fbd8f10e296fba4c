"""The PDF of a published edition, rendered once for this module by the real
task (WeasyPrint in its subprocess), then read back with pypdf: what it holds
and leaves out, its table of contents, bookmarks, metadata and footer; that it
never changes once published; how it is downloaded, shared, cached and
followed (the status JSON).

The edition (built on tests/world.py): axis 1 has four validated proposals —
``ours`` (the world's), ``first`` (moved before it by the secretariat),
``left_out`` (excluded by the secretariat) and ``second_enjeu`` (under the
second enjeu); axis 2 has the world's validated proposal of ``theirs``; axis 3
one long proposal (``long``, several pages, with hostile Markdown), axis 5 one
more (``late``). Every other proposal of the world is a draft, submitted,
changes requested, rejected or withdrawn one.
"""

import datetime
import hashlib
import itertools
import re
import shutil
import subprocess
import time
from dataclasses import dataclass

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ateliers.models import Atelier, Proposal
from axes.models import Axis
from cucs_portal.documents.pdf import render_pdf
from cucs_portal.typography import french
from referentiel import content as edition_content
from referentiel import services
from referentiel.content import proposal_index
from referentiel.models import Edition, Rendition, ShareLink
from referentiel.pdf import render_document_html
from referentiel.tasks import render_rendition
from tests import factories as f
from tests.referentiel.support import (
    downloaded,
    header,
    new_edition,
    normalized,
    outline,
    page_texts,
    publish,
    read_pdf,
    references,
    structure_elements,
    task_count,
    toc_page_number,
    typography_faults,
    validated_proposal,
)

pytestmark = pytest.mark.django_db

EMOJI_FONT = bool(shutil.which("fc-list")) and "Noto Color Emoji" in (
    subprocess.run(["fc-list"], capture_output=True, text=True).stdout
)

S = Proposal.Status
TITLE = "Référentiel CUCS : édition du séminaire du 10 mai 2007"
LONG_DESCRIPTION = "\n\n".join(
    f"Paragraphe {n} : les bailleurs partagent chaque mois les faits relevés "
    "dans les halls, les caves et les parkings, avec la police municipale, les "
    "médiateurs de la ville et les amicales de locataires, pour décider ensemble "
    "des réponses et en suivre les effets quartier par quartier."
    for n in range(1, 61)
)
HOSTILE_MARKDOWN = (
    "![mot de passe](file:///etc/passwd)\n\n"
    '<img src="file:///etc/passwd"> <link rel="attachment" href="file:///etc/passwd">'
)


@dataclass
class Document:
    world: object
    edition: Edition
    rendition: Rendition
    proposals: dict  # name → Proposal, in document order
    left_out: Proposal
    data: bytes
    reader: PdfReader
    texts: list

    @property
    def text(self) -> str:
        return normalized(" ".join(self.texts))


@pytest.fixture(scope="module")
def document(world, django_db_blocker) -> Document:
    with django_db_blocker.unblock():
        ours = world.ours
        first_enjeu, second_enjeu = world.enjeux[ours.pk]
        axis3 = Atelier.objects.get(axis__number=3)
        axis5 = Atelier.objects.get(axis__number=5)
        enjeu3 = f.EnjeuFactory(axis=axis3.axis, position=1, title="Tranquillité")
        enjeu5 = f.EnjeuFactory(axis=axis5.axis, position=1, title="Vieillissement")
        first = validated_proposal(
            ours, first_enjeu, "Une charte de concertation avec les amicales"
        )
        left_out = validated_proposal(
            ours, first_enjeu, "Une proposition que le secrétariat écarte"
        )
        in_second = validated_proposal(
            ours, second_enjeu, "Former ensemble les gardiens d’immeuble"
        )
        long = validated_proposal(
            axis3,
            enjeu3,
            "Une veille partagée des incivilités",
            description=LONG_DESCRIPTION,
            actions=HOSTILE_MARKDOWN,
        )
        late = validated_proposal(
            axis5,
            enjeu5,
            "Adapter les logements au vieillissement",
            # A reference longer than the index's indent (P5.1000): it pushes
            # its title instead of running into it.
            number=1000,
            summary="Des logements adaptés ♿ et des locataires contents 👍",
            means="Crédits du CUCS : 30 000 € par an, soit 12 % du total ; "
            "l'entretien reste aux bailleurs !",
            # Validated at half past midnight, Paris time: still the 26th in
            # UTC, but the day printed is the group's, the 27th.
            status_changed_at=datetime.datetime(
                2007, 4, 26, 22, 30, tzinfo=datetime.UTC
            ),
        )

        secretariat = world.people["secretariat"]
        edition = new_edition(
            world,
            title=TITLE,
            place="Musée d’art moderne, Saint-Étienne",
            event_date=datetime.date(2007, 5, 10),
            introduction="Le **référentiel** commun des bailleurs sociaux.",
        )
        services.entry_set_included(
            user=secretariat, edition=edition, proposal=left_out, included=False
        )
        services.entry_move(
            user=secretariat, edition=edition, proposal=first, offset=-1
        )
        edition = publish(world, edition)
        # The task, run as the worker runs it (the queue itself is exercised in
        # test_worker.py, with committed transactions).
        assert render_rendition.call(edition.rendition_id) == Rendition.Status.DONE
        rendition = Rendition.objects.get(pk=edition.rendition_id)
        with rendition.file.open("rb") as handle:
            data = handle.read()
    reader = read_pdf(data)
    return Document(
        world=world,
        edition=edition,
        rendition=rendition,
        proposals={
            "first": first,
            "ours": world.proposals[S.VALIDATED],
            "second_enjeu": in_second,
            "theirs": world.their_proposals[S.VALIDATED],
            "long": long,
            "late": late,
        },
        left_out=left_out,
        data=data,
        reader=reader,
        texts=page_texts(reader),
    )


def signed_in(client, document, role="secretariat"):
    client.force_login(document.world.people[role])
    return client


def message_texts(response, level=None) -> list[str]:
    return [
        str(m)
        for m in get_messages(response.wsgi_request)
        if level is None or m.level == level
    ]


# --- The rendition -----------------------------------------------------------


def test_the_published_edition_has_its_pdf(document):
    """Rendered once, stored with its fingerprint, size and page count; its
    content is the edition's frozen snapshot."""
    rendition = document.rendition

    assert (rendition.status, rendition.stage) == ("done", "done")
    assert rendition.attempts == 1
    assert rendition.error == ""
    assert rendition.sha256 == hashlib.sha256(document.data).hexdigest()
    assert rendition.size_bytes == len(document.data)
    assert rendition.page_count == len(document.reader.pages)
    assert rendition.render_seconds > 0
    assert rendition.content == edition_content.document_content(document.edition)
    assert rendition.content["published_on"] == str(
        timezone.localdate(document.edition.published_at)
    )
    assert rendition.content_hash == edition_content.content_hash(rendition.content)


# --- What the PDF holds ------------------------------------------------------


def test_every_included_proposal_is_in_the_pdf(document):
    text = document.text

    for proposal in document.proposals.values():
        assert f"{proposal.reference} {proposal.title}" in text, proposal.reference


def test_no_proposal_outside_the_edition_is_in_the_pdf(document):
    """Drafts, submitted, changes requested, rejected and withdrawn proposals
    (of both ateliers) are not in it, nor the one the secretariat left out."""
    text = document.text
    world = document.world
    absent = [
        world.proposals[status] for status in S.values if status != S.VALIDATED
    ] + [world.their_proposals[status] for status in S.values if status != S.VALIDATED]
    absent.append(document.left_out)

    for proposal in absent:
        assert proposal.title not in text, proposal.title
        assert not re.search(rf"\b{re.escape(proposal.reference)}\b", text)
    # The control: the titles of the world do reach the PDF when included.
    assert world.proposals[S.VALIDATED].title in text


def test_proposals_are_in_edition_order(document):
    """Axis, enjeu, then the secretariat's order: ``first`` was moved above
    the world's proposal; ``second_enjeu`` comes after the first enjeu."""
    introduction_page = outline(document.reader)[1][2]
    body = normalized(" ".join(document.texts[introduction_page:]))
    positions = [
        body.index(f"{p.reference} {p.title}") for p in document.proposals.values()
    ]

    assert positions == sorted(positions)
    assert document.proposals["first"].number > document.proposals["ours"].number
    assert references(document.edition.snapshot) == [
        p.reference for p in document.proposals.values()
    ]


def test_the_introduction_is_rendered_from_markdown(document):
    assert "Le référentiel commun des bailleurs sociaux." in document.text
    assert "**" not in document.text


# --- Table of contents and bookmarks -----------------------------------------


def axis_start_by_text(document, axis: dict) -> int:
    """The index of the page that opens the axis: its kicker, then its title."""
    opening = normalized(f"Axe {axis['number']} {axis['title']}").casefold()
    pages = [
        index
        for index, text in enumerate(document.texts)
        if normalized(text).casefold().startswith(opening)
    ]
    assert len(pages) == 1, (axis["number"], pages)
    return pages[0]


def test_the_table_of_contents_gives_the_pages_where_axes_start(document):
    """The page number printed next to each axis in the table of contents is
    the page its bookmark points to, and the page that opens with its title."""
    marks = outline(document.reader)
    toc_page, introduction_page = marks[0][2], marks[1][2]
    toc = "\n".join(document.texts[toc_page:introduction_page])
    axis_marks = {
        title: page for level, title, page in marks if re.match(r"Axe \d ·", title)
    }

    starts = []
    for axis in document.edition.snapshot["axes"]:
        printed = toc_page_number(toc, f"Axe {axis['number']}")
        bookmarked = axis_marks[f"Axe {axis['number']} · {axis['title']}"] + 1
        by_text = axis_start_by_text(document, axis) + 1
        assert printed == bookmarked == by_text, axis["number"]
        starts.append(printed)

    # Not trivially one page each: the long proposal pushes axes 4 to 6.
    assert starts == sorted(starts)
    assert starts[3] - starts[2] >= 3


def test_the_table_of_contents_gives_the_pages_of_the_enjeux(document):
    marks = outline(document.reader)
    toc = "\n".join(document.texts[marks[0][2] : marks[1][2]])
    enjeu_marks = {title: page for level, title, page in marks if level == 2}

    for axis in document.edition.snapshot["axes"]:
        for enjeu in axis["enjeux"]:
            printed = toc_page_number(toc, enjeu["reference"])
            mark = next(
                page
                for title, page in enjeu_marks.items()
                if title.endswith(f"{enjeu['reference']} {enjeu['title']}")
            )
            assert printed == mark + 1, enjeu["reference"]


def test_there_is_a_bookmark_per_axis_and_per_proposal(document):
    """Level 1: the table of contents, the introduction, the six axes, the
    annex and the index; level 3: each proposal, pointing to the page it is
    on. The titles read as printed, in French typography."""
    marks = outline(document.reader)
    axes = [title for level, title, _ in marks if level == 1 and title[:4] == "Axe "]
    proposals = {title: page for level, title, page in marks if level == 3}

    assert axes == [
        f"Axe {axis['number']} · {french(axis['title'])}"
        for axis in document.edition.snapshot["axes"]
    ]
    assert len([m for m in marks if m[0] == 1]) == 6 + 4
    assert list(proposals) == [
        f"{p.reference} {french(p.title)}" for p in document.proposals.values()
    ]
    for title, page in proposals.items():
        assert title in normalized(document.texts[page]), title


def test_every_page_but_the_cover_has_its_footer(document):
    count = len(document.reader.pages)

    assert "page 1 /" not in document.texts[0]
    for index, text in enumerate(document.texts[1:], start=2):
        assert f"page {index} / {count}" in normalized(text), index


# --- The PDF as a file -------------------------------------------------------


def test_the_pdf_says_what_it_is(document):
    """Title, author and language for readers and indexes; tagged (PDF/UA-1)
    for screen readers."""
    reader = document.reader
    catalog = reader.trailer["/Root"]

    assert reader.metadata.title == french(TITLE)
    assert reader.metadata.author == "AMO2SM"
    assert catalog["/Lang"] == "fr"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert b'pdfuaid:part="1"' in reader.xmp_metadata.stream.get_data()


def test_nothing_is_embedded_and_no_local_file_leaks(document):
    """The long proposal's Markdown names /etc/passwd as an image, an <img>
    and an attachment: sanitised, and the fetcher would refuse it anyway."""
    assert dict(document.reader.attachments) == {}
    assert "root:x:0:0" not in document.text
    # The only images: the emoji font's bitmaps of ♿ and 👍 (the late proposal).
    images = {image.name for page in document.reader.pages for image in page.images}
    assert len(images) == (2 if EMOJI_FONT else 0), images


# --- Published means frozen --------------------------------------------------


def test_a_published_edition_does_not_follow_its_proposals(document, client):
    """Once the proposals change, the published edition keeps its snapshot, its
    preview and its PDF; a draft shows the change."""
    signed_in(client, document)
    edition = document.edition
    preview = reverse("referentiel:preview", kwargs={"pk": edition.pk})
    html_before = client.get(preview).content.decode()
    draft = new_edition(document.world, title="Brouillon suivant")
    draft_hash_before = edition_content.content_hash(edition_content.assemble(draft))
    ours = document.proposals["ours"]
    new_title = "Un titre réécrit après la publication"

    Proposal.objects.filter(pk=ours.pk).update(title=new_title, summary="Autre.")
    Proposal.objects.filter(pk=document.proposals["late"].pk).update(status=S.WITHDRAWN)

    edition.refresh_from_db()
    assert edition.snapshot == document.edition.snapshot
    assert edition_content.content_of(edition) == document.edition.snapshot
    html_after = client.get(preview).content.decode()
    assert html_after == html_before
    assert ours.title in html_after and new_title not in html_after
    response = client.get(reverse("referentiel:pdf", kwargs={"pk": edition.pk}))
    assert hashlib.sha256(downloaded(response)).hexdigest() == (
        document.rendition.sha256
    )
    # The draft follows.
    draft_content = edition_content.assemble(draft)
    assert new_title in [p["title"] for p in _proposals(draft_content)]
    assert document.proposals["late"].reference not in references(draft_content)
    assert edition_content.content_hash(draft_content) != draft_hash_before
    draft_preview = client.get(reverse("referentiel:preview", kwargs={"pk": draft.pk}))
    assert new_title in draft_preview.content.decode()


def _proposals(content):
    return [p for a in content["axes"] for e in a["enjeux"] for p in e["proposals"]]


# --- Downloads ---------------------------------------------------------------


@pytest.mark.parametrize("role", ["secretariat", "partner", "plain"])
def test_signed_in_people_download_the_published_pdf(document, client, role):
    signed_in(client, document, role)
    url = reverse("referentiel:pdf", kwargs={"pk": document.edition.pk})

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-SHA256"] == document.rendition.sha256
    assert (
        f'filename="referentiel-cucs-2007-05-10-edition-{document.edition.pk}.pdf"'
        in response["Content-Disposition"]
    )
    assert downloaded(response) == document.data
    edition = Edition.objects.get(pk=document.edition.pk)
    assert edition.download_count == document.edition.download_count + 1


def test_anonymous_people_are_sent_to_the_login_for_the_pdf(document, client):
    url = reverse("referentiel:pdf", kwargs={"pk": document.edition.pk})

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert Edition.objects.get(pk=document.edition.pk).download_count == 0


# --- Caching -----------------------------------------------------------------


def test_exporting_unchanged_content_reuses_the_pdf(document, client):
    """The published edition asked for again: the same rendition, no task, no
    render; the page says the PDF is ready."""
    signed_in(client, document)
    renditions, tasks = Rendition.objects.count(), task_count()

    response = client.post(
        reverse("referentiel:export", kwargs={"pk": document.edition.pk})
    )

    assert response.status_code == 302
    assert message_texts(response, messages.SUCCESS) != []
    assert (Rendition.objects.count(), task_count()) == (renditions, tasks)
    rendition = Rendition.objects.get(pk=document.rendition.pk)
    assert (rendition.attempts, rendition.sha256) == (1, document.rendition.sha256)
    assert Edition.objects.get(pk=document.edition.pk).rendition_id == rendition.pk


def test_the_task_does_not_render_a_done_pdf_again(document):
    """A second task for the same rendition (two workers, a retry) is a no-op."""
    assert render_rendition.call(document.rendition.pk) == "done"

    rendition = Rendition.objects.get(pk=document.rendition.pk)
    assert rendition.attempts == 1
    assert rendition.file.name == document.rendition.file.name
    assert rendition.finished_at == document.rendition.finished_at


def test_new_content_gets_a_new_pdf(
    document, client, django_capture_on_commit_callbacks
):
    """A draft exported twice unchanged: one rendition, one task. Leaving a
    proposal out changes its content and fingerprint: a new rendition and
    task. Putting it back finds the first rendition again."""
    signed_in(client, document)
    draft = new_edition(document.world, title="Brouillon pour le cache")
    export = reverse("referentiel:export", kwargs={"pk": draft.pk})
    tasks = task_count()

    def exported():
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(export).status_code == 302
        return Edition.objects.get(pk=draft.pk).rendition

    first = exported()
    assert first.status == "queued"
    assert task_count() == tasks + 1
    assert exported().pk == first.pk
    assert task_count() == tasks + 1

    services.entry_set_included(
        user=document.world.people["secretariat"],
        edition=draft,
        proposal=document.proposals["late"],
        included=False,
    )
    second = exported()
    assert second.pk != first.pk
    assert second.content_hash != first.content_hash
    assert document.proposals["late"].reference not in references(second.content)
    assert task_count() == tasks + 2

    services.entry_set_included(
        user=document.world.people["secretariat"],
        edition=draft,
        proposal=document.proposals["late"],
        included=True,
    )
    assert exported().pk == first.pk
    assert task_count() == tasks + 2


def test_the_fingerprint_is_that_of_the_content(document):
    """Same content, same fingerprint; any change (here the place), another."""
    content = document.rendition.content
    changed = {**content, "edition": {**content["edition"], "place": "Firminy"}}

    assert edition_content.content_hash(content) == document.rendition.content_hash
    assert edition_content.content_hash(changed) != document.rendition.content_hash
    assert len(edition_content.layout_fingerprint()) == 64


# --- The status JSON ---------------------------------------------------------


def status_of(client, edition):
    response = client.get(reverse("referentiel:pdf_status", kwargs={"pk": edition.pk}))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return response.json()


def test_the_status_of_a_done_pdf_gives_its_download_url(document, client):
    signed_in(client, document, "partner")

    state = status_of(client, document.edition)

    assert state["status"] == "done"
    assert state["download_url"] == reverse(
        "referentiel:pdf", kwargs={"pk": document.edition.pk}
    )
    assert state["pages"] == len(document.reader.pages)
    assert state["sha256"] == document.rendition.sha256
    assert downloaded(client.get(state["download_url"])) == document.data


def test_the_status_follows_a_pdf_through_its_states(
    document, client, django_capture_on_commit_callbacks
):
    """none → queued (asked for) → running (a worker has it: the stage it is
    at) → failed (with the error): no download URL until done."""
    signed_in(client, document)
    draft = new_edition(document.world, title="Brouillon suivi")

    assert status_of(client, draft)["status"] == "none"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("referentiel:export", kwargs={"pk": draft.pk}))
    queued = status_of(client, draft)
    assert queued["status"] == "queued"
    assert queued["stage"] == "waiting"
    assert queued["message"]

    # What the worker writes when it takes the rendition and lays it out.
    rendition = Edition.objects.get(pk=draft.pk).rendition
    Rendition.objects.filter(pk=rendition.pk).update(
        status=Rendition.Status.RUNNING,
        stage=Rendition.Stage.LAYOUT,
        started_at=timezone.now(),
    )
    running = status_of(client, draft)
    assert (running["status"], running["stage"]) == ("running", "layout")
    assert running["message"]

    Rendition.objects.filter(pk=rendition.pk).update(
        status=Rendition.Status.FAILED, error="Le rendu a échoué : test."
    )
    failed = status_of(client, draft)
    assert failed["status"] == "failed"
    assert "Le rendu a échoué : test." in failed["message"]

    for state in (queued, running, failed):
        assert "download_url" not in state


def test_a_partner_cannot_follow_a_draft_pdf(document, client):
    signed_in(client, document, "partner")
    draft = new_edition(document.world, title="Brouillon caché")

    response = client.get(reverse("referentiel:pdf_status", kwargs={"pk": draft.pk}))

    assert response.status_code == 403


def test_a_render_left_running_by_a_dead_worker_is_asked_for_again(
    document, settings, django_capture_on_commit_callbacks
):
    """A rendition 'running' for far longer than the time limit: its worker
    died; asking for it again queues it again."""
    draft = new_edition(document.world, title="Brouillon abandonné")
    secretariat = document.world.people["secretariat"]
    rendition = services.edition_export(user=secretariat, edition=draft)
    long_ago = timezone.now() - datetime.timedelta(
        seconds=settings.PDF_RENDER_TIMEOUT + 301
    )
    Rendition.objects.filter(pk=rendition.pk).update(
        status=Rendition.Status.RUNNING, started_at=long_ago
    )
    tasks = task_count()

    with django_capture_on_commit_callbacks(execute=True):
        again = services.edition_export(user=secretariat, edition=draft)

    assert again.pk == rendition.pk
    assert Rendition.objects.get(pk=rendition.pk).status == "queued"
    assert task_count() == tasks + 1


def test_a_render_running_now_is_not_asked_for_twice(
    document, django_capture_on_commit_callbacks
):
    draft = new_edition(document.world, title="Brouillon en cours")
    secretariat = document.world.people["secretariat"]
    rendition = services.edition_export(user=secretariat, edition=draft)
    Rendition.objects.filter(pk=rendition.pk).update(
        status=Rendition.Status.RUNNING, started_at=timezone.now()
    )
    tasks = task_count()

    with django_capture_on_commit_callbacks(execute=True):
        services.edition_export(user=secretariat, edition=draft)

    assert Rendition.objects.get(pk=rendition.pk).status == "running"
    assert task_count() == tasks


def test_a_pdf_waiting_too_long_may_be_asked_for_again(
    document, client, django_capture_on_commit_callbacks
):
    """Queued for longer than the queue should take (the worker is stopped or
    the task was lost): the page says so and offers to try again, which queues
    it again."""
    draft = new_edition(document.world, title="Brouillon oublié")
    secretariat = document.world.people["secretariat"]
    rendition = services.edition_export(user=secretariat, edition=draft)
    Rendition.objects.filter(pk=rendition.pk).update(
        requested_at=timezone.now()
        - services.QUEUE_PATIENCE
        - datetime.timedelta(minutes=1)
    )
    signed_in(client, document)

    state = client.get(
        reverse("referentiel:pdf_status", kwargs={"pk": draft.pk})
    ).json()

    assert state["status"] == "queued" and state["stale"] is True
    tasks = task_count()
    with django_capture_on_commit_callbacks(execute=True):
        services.edition_export(user=secretariat, edition=draft)
    assert task_count() == tasks + 1
    fresh = client.get(
        reverse("referentiel:pdf_status", kwargs={"pk": draft.pk})
    ).json()
    assert "stale" not in fresh


def test_a_published_edition_keeps_its_pdf_whatever_the_layout(
    document, client, monkeypatch
):
    """Asking again for the PDF of a published edition never replaces the one it
    was published with (and whose SHA-256 partners were given), even when the
    layout's fingerprint has changed since (a new deployment)."""
    from referentiel import content as edition_content

    signed_in(client, document)
    before = edition_content.layout_fingerprint()
    monkeypatch.setattr(
        edition_content, "DOCUMENT_STATIC", ("img/logo.svg", "css/portal.css")
    )
    edition_content.layout_fingerprint.cache_clear()
    try:
        assert edition_content.layout_fingerprint() != before
        client.post(reverse("referentiel:export", kwargs={"pk": document.edition.pk}))
    finally:
        monkeypatch.undo()
        edition_content.layout_fingerprint.cache_clear()

    edition = Edition.objects.get(pk=document.edition.pk)
    assert edition.rendition_id == document.rendition.pk
    assert edition.rendition.sha256 == document.rendition.sha256


def test_a_worker_older_than_the_layout_does_not_render_a_draft(document):
    """A draft's PDF is found by the hash of its content and layout; a worker
    whose layout differs would store another layout under that hash: it
    refuses and says to restart it."""
    draft = new_edition(document.world, title="Brouillon d’un autre déploiement")
    rendition = services.edition_export(
        user=document.world.people["secretariat"], edition=draft
    )
    Rendition.objects.filter(pk=rendition.pk).update(content_hash="0" * 64)

    assert render_rendition.call(rendition.pk) == "failed"

    rendition.refresh_from_db()
    assert "redémarrez" in rendition.error
    assert not rendition.file


# --- Share links -------------------------------------------------------------


@pytest.fixture
def link(document):
    return services.share_link_create(
        user=document.world.people["secretariat"],
        edition=document.edition,
        label="Préfecture de la Loire",
    )


def test_a_share_link_works_without_an_account(document, client, link):
    """Its page shows the edition and a download link; the PDF is the
    edition's, and each download is counted on the link."""
    page = client.get(link.get_absolute_url())

    assert page.status_code == 200
    html = page.content.decode()
    pdf_url = reverse("share:pdf", kwargs={"token": link.token})
    assert document.edition.title in html
    assert pdf_url in html
    assert document.rendition.sha256 in html

    for count in (1, 2):
        response = client.get(pdf_url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert downloaded(response) == document.data
        link.refresh_from_db()
        assert link.download_count == count
        assert link.last_downloaded_at is not None
    # Signed-in downloads are counted apart.
    assert Edition.objects.get(pk=document.edition.pk).download_count == 0


def test_a_share_link_page_says_nothing_of_drafts(document, client, link):
    draft = new_edition(document.world, title="Un brouillon confidentiel")

    html = client.get(link.get_absolute_url()).content.decode()

    assert draft.title not in html
    for status in set(S.values) - {S.VALIDATED}:
        assert document.world.proposals[status].title not in html


def test_an_expired_share_link_is_gone(document, client):
    link = services.share_link_create(
        user=document.world.people["secretariat"],
        edition=document.edition,
        label="Séminaire",
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )

    page = client.get(link.get_absolute_url())
    pdf = client.get(reverse("share:pdf", kwargs={"token": link.token}))

    assert page.status_code == pdf.status_code == 410
    assert document.edition.title in page.content.decode()
    assert ShareLink.objects.get(pk=link.pk).download_count == 0


def test_a_link_valid_until_today_works_until_the_end_of_the_day(document, client):
    """The form's 'valid until' day: the link works all that day."""
    client.force_login(document.world.people["secretariat"])
    today = timezone.localdate()

    response = client.post(
        reverse("referentiel:share_create", kwargs={"pk": document.edition.pk}),
        {"label": "Élus de Firminy", "expires_on": today.isoformat()},
    )

    assert response.status_code == 302
    link = ShareLink.objects.get(label="Élus de Firminy")
    assert timezone.localtime(link.expires_at).date() == today
    assert link.expires_at > timezone.now()
    client.logout()
    assert client.get(link.get_absolute_url()).status_code == 200


def test_a_link_cannot_be_made_to_expire_in_the_past(document, client):
    client.force_login(document.world.people["secretariat"])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = client.post(
        reverse("referentiel:share_create", kwargs={"pk": document.edition.pk}),
        {"label": "Trop tard", "expires_on": yesterday.isoformat()},
    )

    assert response.status_code == 400
    assert response.context["share_form"].errors["expires_on"]
    assert not ShareLink.objects.filter(label="Trop tard").exists()


def test_a_revoked_share_link_is_gone(document, client, link):
    client.force_login(document.world.people["secretariat"])
    client.post(reverse("referentiel:share_revoke", kwargs={"pk": link.pk}))
    client.logout()

    page = client.get(link.get_absolute_url())
    pdf = client.get(reverse("share:pdf", kwargs={"token": link.token}))

    assert page.status_code == pdf.status_code == 410
    link.refresh_from_db()
    assert link.revoked_by == document.world.people["secretariat"]
    assert link.download_count == 0


def tampered(token: str) -> str:
    last = "A" if token[-1] != "A" else "B"
    return token[:-1] + last


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda link: tampered(link.token), id="last-character"),
        pytest.param(lambda link: link.key, id="bare-key"),
        pytest.param(
            lambda link: signing.Signer(salt="another-salt").sign(link.key),
            id="another-salt",
        ),
        pytest.param(
            lambda link: signing.Signer(salt="referentiel.share-link").sign(
                link.key + "x"
            ),
            id="unknown-key",
        ),
    ],
)
def test_a_tampered_share_token_finds_nothing(document, client, link, make_token):
    token = make_token(link)

    for name in ("share:page", "share:pdf"):
        response = client.get(reverse(name, kwargs={"token": token}))
        assert response.status_code == 404, name
    assert ShareLink.objects.get(pk=link.pk).download_count == 0
    # The control: the real token works.
    assert client.get(link.get_absolute_url()).status_code == 200


def test_a_share_link_is_the_same_every_time_it_is_shown(document, link):
    """The secretariat copies the link from the edition's page: it must not
    change from one display to the next (expiry lives in the database)."""
    first = link.get_absolute_url()
    time.sleep(1.1)
    assert ShareLink.objects.get(pk=link.pk).get_absolute_url() == first


def test_no_share_link_to_a_draft(document, client):
    """The service refuses; the secretariat is refused the page; a superuser
    (who holds every permission) is sent back with the reason."""
    draft = new_edition(document.world, title="Brouillon à ne pas partager")
    url = reverse("referentiel:share_create", kwargs={"pk": draft.pk})

    with pytest.raises(ValidationError):
        services.share_link_create(
            user=document.world.people["secretariat"], edition=draft, label="X"
        )
    client.force_login(document.world.people["secretariat"])
    assert client.post(url, {"label": "Partenaires"}).status_code == 403
    client.force_login(document.world.people["superuser"])
    response = client.post(url, {"label": "Partenaires"})
    assert (response.status_code, response.url) == (302, draft.get_absolute_url())
    assert message_texts(response, messages.ERROR) != []
    assert not ShareLink.objects.filter(edition=draft).exists()


def test_a_share_link_to_an_edition_whose_pdf_is_not_ready(document, client):
    """Its page says the PDF is being made; the PDF answers 404 meanwhile."""
    edition = publish(document.world, new_edition(document.world, title="Toute neuve"))
    link = services.share_link_create(
        user=document.world.people["secretariat"], edition=edition, label="Élus"
    )

    page = client.get(link.get_absolute_url())
    pdf = client.get(reverse("share:pdf", kwargs={"token": link.token}))

    assert page.status_code == 200
    assert reverse("share:pdf", kwargs={"token": link.token}) not in (
        page.content.decode()
    )
    assert pdf.status_code == 404
    assert ShareLink.objects.get(pk=link.pk).download_count == 0


def test_the_secretariat_sees_the_links_and_their_downloads(document, client, link):
    downloaded(client.get(reverse("share:pdf", kwargs={"token": link.token})))
    client.force_login(document.world.people["secretariat"])

    response = client.get(document.edition.get_absolute_url())

    (shown,) = [x for x in response.context["share_links"] if x.pk == link.pk]
    assert shown.download_count == 1
    assert shown.full_url.endswith(link.get_absolute_url())
    assert shown.full_url in response.content.decode()


@pytest.mark.parametrize("role", ["partner", "member", "plain"])
def test_only_the_secretariat_sees_share_links(document, client, link, role):
    client.force_login(document.world.people[role])

    response = client.get(document.edition.get_absolute_url())

    assert response.status_code == 200
    assert "share_links" not in response.context
    assert link.token not in response.content.decode()


def test_the_list_counts_downloads_of_both_kinds(document, client, link):
    """Signed-in downloads plus share-link downloads."""
    downloaded(client.get(reverse("share:pdf", kwargs={"token": link.token})))
    signed_in(client, document, "member")
    downloaded(
        client.get(reverse("referentiel:pdf", kwargs={"pk": document.edition.pk}))
    )
    signed_in(client, document)

    response = client.get(reverse("referentiel:list"))

    (row,) = [e for e in response.context["editions"] if e.pk == document.edition.pk]
    assert row.total_downloads == 2
    assert row.active_links == 1


def test_partners_and_share_links_see_published_editions_only(document, client):
    draft = new_edition(document.world, title="Brouillon du groupe de travail")
    signed_in(client, document, "partner")

    listed = client.get(reverse("referentiel:list"))

    titles = [e.title for e in listed.context["editions"]]
    assert document.edition.title in titles
    assert draft.title not in titles
    assert draft.title not in listed.content.decode()
    for name in ("detail", "preview", "pdf", "pdf_status"):
        url = reverse(f"referentiel:{name}", kwargs={"pk": draft.pk})
        assert client.get(url).status_code == 403, name


def test_the_preview_is_the_document_of_the_pdf(document, client):
    """Preview and PDF come from one template: the preview holds the same
    proposals, the table of contents and the annex."""
    signed_in(client, document, "partner")

    html = client.get(
        reverse("referentiel:preview", kwargs={"pk": document.edition.pk})
    ).content.decode()

    for proposal in document.proposals.values():
        assert f'id="proposition-{proposal.pk}"' in html
    assert document.left_out.title not in html
    assert 'id="annexe"' in html and 'class="toc"' in html
    assert html.count('class="proposal"') == len(document.proposals)


# --- The document a préfecture keeps (issue 14) -------------------------------


def test_the_text_layer_is_in_french_typography(document):
    """No plain space before : ; ! ?, no guillemet or mark cut from its word
    at a line break, no straight apostrophe: in the printed pages, headers,
    table of contents and Markdown alike (the long proposal's typed text and
    the late one's « 30 000 € … ; … ! » included)."""
    assert typography_faults(document.texts) == {}
    text = " ".join(document.texts)
    assert "30\u202f000\u00a0€\u00a0par\u00a0an" in text
    assert "12\u00a0%" in text and "total\u202f;" in text and "bailleurs\u202f!" in text
    assert "l’entretien" in text


def test_a_proposal_that_fits_on_a_page_is_never_split(document):
    """Only the long proposal (several pages) runs over a page break; each page
    it continues on names it in the header, « P3.01 — … (suite) »; no other
    page's header does."""
    long = document.proposals["long"]
    continued = [
        index for index, text in enumerate(document.texts) if "(suite)" in header(text)
    ]
    title_page = next(
        index
        for index, text in enumerate(document.texts)
        if f"{long.reference} {long.title}" in normalized(text)
    )

    assert len(continued) >= 2
    assert continued == list(range(title_page + 1, title_page + 1 + len(continued)))
    for index in continued:
        assert header(document.texts[index]).startswith(f"{long.reference} — ")
    # The page after the long proposal is back to the edition's title.
    after = header(document.texts[continued[-1] + 1])
    assert "(suite)" not in after


def test_no_page_before_an_axis_holds_fewer_than_four_lines(document):
    """The minimum chosen: four lines of text besides header and footer on the
    last page of an axis (orphans 4, widows 3, the decision line kept with the
    text above it, a proposal kept whole)."""
    marks = outline(document.reader)
    openings = [page for level, title, page in marks if level == 1][2:]
    for page in openings:
        lines = [line for line in document.texts[page - 1].split("\n") if line]
        body = lines[1:-1]  # without the running header and the footer
        assert len(body) >= 4, (page, body)


def test_each_proposal_says_where_it_comes_from_and_when_it_was_validated(
    document,
):
    """Its atelier, « validée par la commission le … » and its version."""
    text = document.text
    frozen = proposal_index(document.edition.snapshot)
    undated = 0
    for proposal in document.proposals.values():
        proposal.refresh_from_db()
        atelier = normalized(french(proposal.atelier.name))
        # (normalized: a no-break space reads as a space)
        assert f"Atelier : {atelier}" in text, proposal.reference
        if proposal.status_changed_at is None:  # made validated by a factory
            assert frozen[proposal.pk]["validated_at"] is None
            decision = "Validée par la commission ·"
            undated += 1
        else:
            decided = timezone.localdate(proposal.status_changed_at)
            assert frozen[proposal.pk]["validated_at"] == decided.isoformat()
            decision = f"Validée par la commission le {date_fr(decided)} ·"
        assert f"{decision} version {proposal.version}" in text, proposal.reference
    assert undated < len(document.proposals)
    assert "Validée par la commission le 27 avril 2007 · version" in text


def date_fr(day) -> str:
    from django.template.defaultfilters import date
    from django.utils import translation

    with translation.override("fr"):
        return date(day, "j F Y")


def test_the_colophon_gives_the_fingerprint_of_the_frozen_content(document, client):
    """The last page: the edition, its publication date, the SHA-256 of its
    frozen content (the JSON the edition's page offers: the same digest), the
    portal's version and how to check."""
    colophon = normalized(document.texts[-1])
    frozen = client_json(client, document)
    digest = hashlib.sha256(frozen).hexdigest()
    published = timezone.localdate(document.edition.published_at)

    assert "À propos de ce document" in colophon
    assert normalized(french(TITLE)) in colophon
    assert f"Publiée le {date_fr(published)}" in colophon
    assert digest in colophon.replace(" ", "")
    assert (
        digest
        == hashlib.sha256(
            edition_content.canonical_json(document.edition.snapshot)
        ).hexdigest()
    )
    assert "sha256sum" in colophon
    assert "Portail CUCS (version " in colophon


def client_json(client, document) -> bytes:
    signed_in(client, document, "partner")
    response = client.get(
        reverse("referentiel:content", kwargs={"pk": document.edition.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    return response.content


def test_the_pdf_is_dated_when_it_was_made(document):
    """CreationDate and ModDate are the render's time, not the seminar's; the
    seminar's date is in the subject."""
    info = document.reader.metadata
    started, finished = document.rendition.started_at, document.rendition.finished_at

    for moment in (info.creation_date, info.modification_date):
        assert moment is not None
        assert started - datetime.timedelta(seconds=60) <= moment <= finished
    assert "séminaire du 10 mai 2007" in info.subject


def test_the_index_lists_every_proposal_with_its_page(document):
    """After the annex: reference, title and the page its bookmark points to."""
    marks = outline(document.reader)
    index_page = next(page for level, title, page in marks if title.startswith("Index"))
    index = "\n".join(document.texts[index_page:-1])
    pages = {title: page for level, title, page in marks if level == 3}
    for proposal in document.proposals.values():
        printed = toc_page_number(index, proposal.reference)
        assert printed == pages[f"{proposal.reference} {french(proposal.title)}"] + 1


def test_the_tagged_structure_follows_the_document(document):
    """One /Art per proposal and one /Sect per axis and enjeu, whatever the
    pages; headings never skip a level going down; the logo says what it is."""
    rows = structure_elements(document.reader)
    kinds = [kind for _, kind, _ in rows]
    assert kinds.count("/Art") == len(document.proposals)
    enjeux = sum(len(a["enjeux"]) for a in document.edition.snapshot["axes"])
    assert kinds.count("/Sect") >= 6 + enjeux
    levels = [int(kind[2]) for kind in kinds if re.fullmatch(r"/H[1-6]", kind)]
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels
    figures = [element for _, kind, element in rows if kind == "/Figure"]
    assert [f.get("/Alt") for f in figures] == ["Logo de l’AMO2SM"]


@pytest.mark.skipif(
    not EMOJI_FONT,
    reason="no emoji font (Debian: apt-get install fonts-noto-color-emoji)",
)
def test_emoji_print_in_the_emoji_font(document):
    """DejaVu has no emoji: the fallback font draws them (as its bitmaps), not
    empty boxes, and the text layer keeps the characters."""
    page = next(p for p in document.reader.pages if "👍" in p.extract_text())
    assert "♿" in page.extract_text()
    content = page.get_contents().get_data()
    assert content.count(b" Do") >= 2  # the two bitmaps drawn on that page


def test_a_published_edition_rendered_again_reads_the_same(document, tmp_path):
    """Its frozen content, rendered once more: every page's text is the same
    but the colophon's line of when it was made."""
    content = edition_content.document_content(document.edition)
    render_pdf(
        render_document_html(content, for_print=True),
        tmp_path / "again.pdf",
        stylesheet=edition_content.PRINT_STYLESHEET,
    )
    again = page_texts(read_pdf((tmp_path / "again.pdf").read_bytes()))

    def without_render_time(texts):
        return [
            re.sub(r"le \d+(er)? \w+ \d{4} à \d+\u00a0h\u00a0\d\d", "", t)
            for t in texts
        ]

    assert len(again) == len(document.texts)
    assert without_render_time(again) == without_render_time(document.texts)
    # The control: the line is there to be left out.
    assert without_render_time(again)[-1] != again[-1]


@pytest.fixture(scope="module")
def draft(world, django_db_blocker):
    """A draft edition's PDF, rendered by the task, and its preview's HTML."""
    with django_db_blocker.unblock():
        edition = new_edition(world, title="Référentiel en préparation")
        rendition = services.edition_export(
            user=world.people["secretariat"], edition=edition
        )
        assert render_rendition.call(rendition.pk) == Rendition.Status.DONE
        rendition.refresh_from_db()
        with rendition.file.open("rb") as handle:
            texts = page_texts(read_pdf(handle.read()))
    return edition, texts


def test_a_draft_says_so_on_every_page(draft, client, world):
    """« Document de travail — non validé » on every page of its PDF (the
    cover in its box, the others in the footer) and every sheet of its
    preview."""
    edition, texts = draft
    for number, text in enumerate(texts, start=1):
        assert "document de travail — non validé" in text.casefold(), number

    client.force_login(world.people["secretariat"])
    html = client.get(
        reverse("referentiel:preview", kwargs={"pk": edition.pk})
    ).content.decode()
    sheets = ["toc-title", "introduction", "annexe", "index", "colophon"]
    sheets += [f"axe-{axis.number}" for axis in Axis.objects.all()]
    assert all(f'id="{sheet}"' in html for sheet in sheets)
    assert html.count('class="sheet-draft"') == len(sheets)


def test_names_are_escaped_once_and_typeset(document):
    """Partner organisations and territories, joined then typeset: « l’habitat »,
    « &amp; » once, never an entity cut by a narrow space."""
    content = edition_content.document_content(document.edition)
    proposal = content["axes"][0]["enjeux"][0]["proposals"][0]
    proposal["partner_organisations"] = ["Office public de l'habitat", "Loire & Co"]
    proposal["territories"] = ["L'Horme"]

    html = render_document_html(content, for_print=True)

    assert "Office public de l’habitat, Loire &amp; Co" in html
    assert "L’Horme" in html
    assert "&amp;#x27" not in html and "&amp;amp;" not in html
