"""What cucs_portal/attachments.py accepts, by content, and what it refuses."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image

from cucs_portal import attachments
from cucs_portal.attachments import (
    DOCX,
    JPEG,
    ODS,
    ODT,
    PDF,
    PNG,
    XLSX,
    check_upload,
    clean_filename,
    content_disposition,
)

from .attachment_files import (
    docx_bomb,
    docx_bytes,
    huge_png_header,
    jpeg_with_gps,
    opendocument_bytes,
    pdf,
    png,
    upload,
    xlsx_bytes,
)


@pytest.fixture(autouse=True)
def in_english(settings):
    """The messages are checked in the source language: the French catalog
    may reword them without breaking these tests (tests/test_translations.py
    checks it is complete)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def refusal(file, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        check_upload(file, **kwargs)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(
    ("file", "mime_type", "name"),
    [
        (pdf("Annexe.pdf"), PDF, "Annexe.pdf"),
        (png("Carte du quartier.png"), PNG, "Carte du quartier.png"),
        (upload("photo.jpeg", jpeg_with_gps()), JPEG, "photo.jpg"),
        (upload("cr.docx", docx_bytes()), DOCX, "cr.docx"),
        (upload("budget.xlsx", xlsx_bytes()), XLSX, "budget.xlsx"),
        (upload("cr.odt", opendocument_bytes()), ODT, "cr.odt"),
        (
            upload(
                "tableau.ods",
                opendocument_bytes("application/vnd.oasis.opendocument.spreadsheet"),
            ),
            ODS,
            "tableau.ods",
        ),
        # The name says nothing: a PDF named .docx is a PDF, and is named so.
        (pdf("rapport.docx"), PDF, "rapport.pdf"),
    ],
)
def test_accepted_kinds_are_read_from_the_content(file, mime_type, name):
    checked = check_upload(file)

    assert (checked.mime_type, checked.name) == (mime_type, name)


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200,
        b"<html><script>alert(1)</script></html>",
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    ],
    ids=["windows executable", "elf executable", "html", "gif"],
)
def test_other_content_renamed_pdf_is_refused(content):
    message = refusal(upload("proces-verbal.pdf", content, "application/pdf"))

    assert "PDF, ODT, ODS, DOCX, XLSX, PNG or JPEG" in message
    assert "Nothing was saved" in message


def test_an_empty_file_is_refused():
    assert "empty" in refusal(upload("vide.pdf", b""))


def test_a_file_over_the_size_cap_is_refused(settings):
    settings.ATTACHMENT_MAX_MB = 1
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024)

    assert "larger than 1 MB" in refusal(upload("gros.pdf", big))


def test_a_docx_whose_decompressed_size_explodes_is_refused():
    bomb = docx_bomb()
    assert len(bomb) < 1024 * 1024  # small on the wire

    assert "zip bomb" in refusal(upload("bombe.docx", bomb))


def test_a_docx_with_a_member_compressed_abnormally_is_refused(settings):
    settings.ATTACHMENT_ZIP_MAX_MB = 1000  # the total is fine, the ratio is not
    assert "zip bomb" in refusal(upload("bombe.docx", docx_bomb()))


def test_a_zip_that_is_no_office_document_is_refused():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("virus.exe", b"MZ\x90\x00")
    assert "PDF, ODT" in refusal(upload("annexe.docx", out.getvalue()))


def test_a_macro_enabled_word_file_is_refused():
    content = docx_bytes().replace(b"x", b"x")  # same structure
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/'
            'vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
        )
    assert content
    assert "PDF, ODT" in refusal(upload("macro.docx", out.getvalue()))


def test_a_png_of_50000_by_50000_pixels_is_refused_before_decoding(monkeypatch):
    def no_decoding(self, *args, **kwargs):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    header = huge_png_header()
    assert len(header) < 200

    message = refusal(upload("carte.png", header, "image/png"))

    assert "larger than 40 megapixels" in message


def test_a_damaged_image_is_refused():
    damaged = png("carte.png").read()[:40]

    assert "cannot be read" in refusal(upload("carte.png", damaged))


def test_images_are_reencoded_without_exif_and_gps_orientation_applied():
    original = jpeg_with_gps(size=(40, 20), orientation=6)
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(0x8825)  # there is a GPS block

    checked = check_upload(upload("photo.jpg", original))

    with Image.open(io.BytesIO(checked.content)) as after:
        exif = after.getexif()
        assert dict(exif) == {}
        assert exif.get_ifd(0x8825) == {}
        assert b"Appareil-Secret" not in checked.content
        # Turned upright: 20 wide, 40 high.
        assert after.size == (20, 40)


def test_only_images_where_only_images_are_wanted():
    assert "Only PNG or JPEG" in refusal(pdf(), images_only=True)
    assert check_upload(png(), images_only=True).mime_type == PNG


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\moi\\Bureau\\compte rendu.pdf", "compte rendu.pdf"),
        ("feuille\x00\x1b[31m\r\nsignée.pdf", "feuille[31m signée.pdf"),
        # A right-to-left override would show "fdp.exe" as "exe.pdf".
        ("photo\u202egpj.pdf", "photogpj.pdf"),
        ("   .cache.pdf", "cache.pdf"),
        ("/", "file.pdf"),  # "fichier", in French
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_file_names_are_stored_cleaned(typed, cleaned):
    assert clean_filename(typed, extension=".pdf") == cleaned


def test_a_name_with_a_path_and_control_characters_is_cleaned_at_upload():
    checked = check_upload(pdf("../../secret/\x07Relevé\tde décisions.pdf"))

    assert checked.name == "Relevé de décisions.pdf"


def test_content_disposition_has_an_ascii_fallback_and_the_utf8_name():
    header = content_disposition("attachment", 'Relevé "final".pdf')

    assert header == (
        'attachment; filename="Releve _final_.pdf"; '
        "filename*=UTF-8''Relev%C3%A9%20%22final%22.pdf"
    )


def test_pillow_limit_follows_the_setting():
    check_upload(png())
    assert Image.MAX_IMAGE_PIXELS == attachments.max_pixels() == 40_000_000


def test_a_cameras_multi_picture_jpeg_is_accepted_as_its_first_picture():
    first, second = Image.new("RGB", (30, 10), "red"), Image.new("RGB", (30, 10))
    out = io.BytesIO()
    first.save(out, format="MPO", save_all=True, append_images=[second])
    with Image.open(io.BytesIO(out.getvalue())) as mpo:
        assert mpo.format == "MPO"

    checked = check_upload(upload("photo.jpg", out.getvalue()))

    assert checked.mime_type == JPEG
    with Image.open(io.BytesIO(checked.content)) as image:
        assert (image.format, image.size) == ("JPEG", (30, 10))
        assert getattr(image, "n_frames", 1) == 1
