"""Files attached to proposals and sessions, through the pages: what is stored,
what is refused (and then nothing is stored), how a file is served, the journal,
and the proposal page's queries. Who may do what: test_attachments_matrix.py.
"""

import hashlib
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from PIL import Image

from ateliers import selectors
from ateliers.models import Proposal, Session
from ateliers.verbs import AteliersVerb
from audit.models import AuditEvent
from cucs_portal import attachments
from cucs_portal.models import Attachment
from tests.cucs_portal.attachment_files import (
    PDF_BYTES,
    docx_bomb,
    huge_png_header,
    jpeg_with_gps,
    pdf,
    upload,
)


@pytest.fixture(autouse=True)
def in_english(settings):
    """The messages are checked in the source language: the French catalog
    may reword them without breaking these tests (tests/test_translations.py
    checks it is complete)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


S = Proposal.Status
pytestmark = pytest.mark.django_db


def stored_files() -> set[str]:
    storage = attachments.storage()
    if not storage.exists("attachments"):
        return set()
    return set(storage.listdir("attachments")[1])


def add_url(proposal):
    return reverse("ateliers:proposal_attachment_add", kwargs={"pk": proposal.pk})


def file_url(attachment):
    return reverse(
        "ateliers:proposal_attachment",
        kwargs={"pk": attachment.object_id, "attachment_pk": attachment.pk},
    )


@pytest.fixture
def draft(world):
    return world.proposals[S.DRAFT]


@pytest.fixture
def member_client(client, world):
    client.force_login(world.people["member"])
    return client


def test_a_member_attaches_an_annex_to_a_draft(member_client, world, draft):
    response = member_client.post(add_url(draft), {"file": pdf("Annexe 1.pdf")})

    assert response.status_code == 302
    assert response.url == f"{draft.get_absolute_url()}#attachments"
    attachment = Attachment.objects.for_object(draft).get()
    assert attachment.original_name == "Annexe 1.pdf"
    assert attachment.mime_type == "application/pdf"
    assert attachment.size == len(PDF_BYTES)
    assert attachment.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert attachment.uploaded_by == world.people["member"]
    assert attachment.stored_name.startswith("attachments/")
    assert "Annexe" not in attachment.stored_name  # a random name
    with attachments.storage().open(attachment.stored_name) as stored:
        assert stored.read() == PDF_BYTES
    event = AuditEvent.for_object(draft).get(action=AteliersVerb.ATTACHMENT_ADD)
    assert (event.actor, event.comment) == (world.people["member"], "Annexe 1.pdf")
    page = member_client.get(draft.get_absolute_url()).content.decode()
    assert file_url(attachment) in page
    assert "Annexe 1.pdf" in page


EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("rapport.pdf", EXECUTABLE, "PDF, ODT, ODS, DOCX, XLSX, PNG"),
        ("rapport.pdf", ELF, "PDF, ODT, ODS, DOCX, XLSX, PNG"),
        ("vide.pdf", b"", None),
        ("compte-rendu.docx", "bomb", "zip"),
        ("carte.png", huge_png_header(), "40"),
    ],
    ids=["windows executable", "elf executable", "zero bytes", "zip bomb", "huge png"],
)
def test_bad_files_get_a_clear_message_and_nothing_is_stored(
    member_client, draft, name, content, says
):
    content = docx_bomb() if content == "bomb" else content
    files, events = stored_files(), AuditEvent.objects.count()

    response = member_client.post(add_url(draft), {"file": upload(name, content)})

    assert response.status_code == 400
    errors = response.context["form"].errors["file"]
    assert errors
    if says:
        assert says in " ".join(errors)
    assert "invalid-feedback" in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files() == files
    assert AuditEvent.objects.count() == events


def test_a_name_holding_a_path_and_control_characters_is_stored_cleaned(
    member_client, draft
):
    member_client.post(
        add_url(draft),
        {"file": pdf("..\\..\\C:\\secret/\x1b\x07Relevé\u202e signé.pdf")},
    )

    attachment = Attachment.objects.get()
    assert attachment.original_name == "Relevé signé.pdf"


def test_the_download_is_an_attachment_never_sniffed_and_sandboxed(
    member_client, draft
):
    member_client.post(add_url(draft), {"file": pdf("Relevé de décisions.pdf")})
    attachment = Attachment.objects.get()

    response = member_client.get(file_url(attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="Releve de decisions.pdf"; '
        "filename*=UTF-8''Relev%C3%A9%20de%20d%C3%A9cisions.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "private, no-store"


def test_a_photo_loses_its_exif_and_gps(member_client, draft):
    original = jpeg_with_gps()
    member_client.post(add_url(draft), {"file": upload("photo.jpg", original)})
    attachment = Attachment.objects.get()

    response = member_client.get(file_url(attachment))

    served = b"".join(response.streaming_content)
    assert response["Content-Type"] == "image/jpeg"
    assert served != original
    assert b"Appareil-Secret" not in served
    with Image.open(io.BytesIO(served)) as image:
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info


def test_removing_an_annex_is_audited_and_its_file_goes(
    member_client, world, draft, django_capture_on_commit_callbacks
):
    member_client.post(add_url(draft), {"file": pdf("À retirer.pdf")})
    attachment = Attachment.objects.get()
    remove = reverse(
        "ateliers:proposal_attachment_remove",
        kwargs={"pk": draft.pk, "attachment_pk": attachment.pk},
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(remove)

    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not attachments.storage().exists(attachment.stored_name)
    event = AuditEvent.for_object(draft).get(action=AteliersVerb.ATTACHMENT_REMOVE)
    assert (event.actor, event.comment) == (world.people["member"], "À retirer.pdf")


def test_a_partner_downloads_a_validated_proposals_annex_never_a_drafts(client, world):
    member = world.people["member"]
    validated = world.proposals[S.VALIDATED]
    annex = attachments.attach(
        obj=validated, checked=attachments.check_upload(pdf("Carte.pdf")), user=member
    )
    draft_annex = attachments.attach(
        obj=world.proposals[S.DRAFT],
        checked=attachments.check_upload(pdf("Brouillon.pdf")),
        user=member,
    )
    client.force_login(world.people["partner"])

    assert "Carte.pdf" in client.get(validated.get_absolute_url()).content.decode()
    assert client.get(file_url(annex)).status_code == 200
    assert client.get(file_url(draft_annex)).status_code == 403


def test_a_coanimator_attaches_signed_minutes_to_a_session(client, world):
    session = Session.objects.filter(atelier=world.ours).earliest("starts_at")
    client.force_login(world.people["public_coanimator"])
    kwargs = {"pk": world.ours.pk, "session_pk": session.pk}

    response = client.post(
        reverse("ateliers:session_attachment_add", kwargs=kwargs),
        {"file": pdf("Feuille d’émargement signée.pdf")},
    )

    assert response.status_code == 302
    attachment = Attachment.objects.for_object(session).get()
    event = AuditEvent.for_object(world.ours).get(action=AteliersVerb.ATTACHMENT_ADD)
    assert event.comment.endswith("Feuille d’émargement signée.pdf")
    download = reverse(
        "ateliers:session_attachment",
        kwargs={**kwargs, "attachment_pk": attachment.pk},
    )
    record_page = client.get(reverse("ateliers:session_record", kwargs=kwargs))
    assert download in record_page.content.decode()
    # The atelier's page lists it with the minutes, for the working group…
    client.force_login(world.people["member"])
    assert download in client.get(world.ours.get_absolute_url()).content.decode()
    # …not for partners, who do not read the minutes.
    client.force_login(world.people["partner"])
    assert download not in client.get(world.ours.get_absolute_url()).content.decode()
    assert client.get(download).status_code == 403


def test_the_referentiel_helper_lists_a_proposals_annex_names(world):
    proposal = world.proposals[S.VALIDATED]
    for name in ("Carte.pdf", "Budget.pdf"):
        attachments.attach(
            obj=proposal,
            checked=attachments.check_upload(pdf(name)),
            user=world.people["member"],
        )

    assert selectors.proposal_annex_names(proposal) == ["Carte.pdf", "Budget.pdf"]
    other = world.proposals[S.SUBMITTED]
    with CaptureQueriesContext(connection) as queries:
        by_proposal = selectors.annex_names_by_proposal([proposal, other])
    assert by_proposal == {proposal.pk: ["Carte.pdf", "Budget.pdf"], other.pk: []}
    assert len(queries) == 1


def _page_queries(client, proposal) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(proposal.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


def test_the_proposal_page_makes_as_many_queries_with_one_file_as_with_ten(
    member_client, world, draft
):
    member = world.people["member"]

    def add(count):
        for n in range(count):
            attachments.attach(
                obj=draft,
                checked=attachments.check_upload(pdf(f"Annexe {n}.pdf")),
                user=member,
            )

    add(1)
    _page_queries(member_client, draft)  # caches warmed
    one = _page_queries(member_client, draft)
    add(9)
    ten = _page_queries(member_client, draft)

    assert one == ten


def test_the_atelier_page_makes_as_many_queries_with_one_session_file_as_with_ten(
    member_client, world
):
    session = Session.objects.filter(atelier=world.ours).earliest("starts_at")
    member = world.people["member"]

    def add(count):
        for n in range(count):
            attachments.attach(
                obj=session,
                checked=attachments.check_upload(pdf(f"Feuille {n}.pdf")),
                user=member,
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = member_client.get(world.ours.get_absolute_url())
        assert response.status_code == 200
        return len(captured)

    add(1)
    queries()
    one = queries()
    add(9)

    assert queries() == one


def test_a_file_whose_row_cannot_be_saved_is_not_left_in_the_storage(
    member_client, draft, monkeypatch
):
    files = stored_files()

    def fails(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Attachment.objects, "create", fails)
    with pytest.raises(RuntimeError):
        attachments.attach(
            obj=draft, checked=attachments.check_upload(pdf()), user=draft.created_by
        )

    assert stored_files() == files
