"""Attached files: checked by their content, stored through Django's storage API,
served by permission-checked views only (the model: cucs_portal.models.Attachment).

The kernel imports no app: an app passes its object, checks its own permission
before calling ``download_response``, and records adding and removing in the
journal with its own verbs.

What is accepted is read from the bytes, never from the name: PDF, OpenDocument
text and spreadsheet (ODT, ODS), Office Open XML (DOCX, XLSX), PNG and JPEG.

- The size is capped (``ATTACHMENT_MAX_MB``); an empty file is refused.
- ODT, ODS, DOCX and XLSX are ZIP files: their central directory is read (not
  their members), a ZIP whose members declare more than
  ``ATTACHMENT_ZIP_MAX_MB`` uncompressed, or one member compressed more than
  ``ATTACHMENT_ZIP_MAX_RATIO`` times, is refused (a zip bomb); then only the
  small member that says what the file is (``mimetype`` or
  ``[Content_Types].xml``) is read, with a bound.
- An image's dimensions are read from its header before anything is decoded:
  above ``ATTACHMENT_MAX_PIXELS`` it is refused (Pillow's own decompression-bomb
  limit is set to the same figure). An accepted image is decoded and encoded
  again, with its orientation applied and its metadata (EXIF, GPS, comments)
  left out.
- A file's name loses any path and control or formatting character and keeps
  at most ``NAME_MAX`` characters, its extension that of the real type: a name
  holding a path or control characters is stored cleaned, not refused.
"""

import hashlib
import io
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import Attachment

NAME_MAX = 120

PDF = "application/pdf"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"
EXTENSIONS = {
    PDF: ".pdf",
    ODT: ".odt",
    ODS: ".ods",
    DOCX: ".docx",
    XLSX: ".xlsx",
    PNG: ".png",
    JPEG: ".jpg",
}
IMAGE_TYPES = frozenset({PNG, JPEG})
# The main part a Word or Excel file's [Content_Types].xml declares (macro-enabled
# variants declare another one, and are refused).
_OOXML = "application/vnd.openxmlformats-officedocument"
_OOXML_MAIN_PARTS = {
    f"{_OOXML}.wordprocessingml.document.main+xml": DOCX,
    f"{_OOXML}.spreadsheetml.sheet.main+xml": XLSX,
}
_ZIP_MAX_MEMBERS = 5_000
# Below this, a member's ratio does not matter (a small XML file compresses well).
_ZIP_RATIO_FLOOR = 1024 * 1024
_CONTENT_TYPES_MAX = 256 * 1024

_CONTROL_OR_FORMAT = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def max_bytes() -> int:
    return settings.ATTACHMENT_MAX_MB * 1024 * 1024


def max_pixels() -> int:
    return settings.ATTACHMENT_MAX_PIXELS


def storage():
    return storages[settings.ATTACHMENT_STORAGE]


NOT_ACCEPTED = _(
    "This file is not one of the accepted kinds (PDF, ODT, ODS, DOCX, XLSX, PNG "
    "or JPEG), whatever its name says. Nothing was saved."
)


def _refuse(message, **params):
    raise ValidationError(message, params=params or None)


def clean_filename(name: str, *, extension: str = "") -> str:
    """``name`` without any folder, control or formatting character (a
    right-to-left override would disguise the extension), its spaces collapsed,
    at most ``NAME_MAX`` characters, ending with ``extension`` when given (the
    file's real type)."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = re.sub(r"[\t\n\r\v\f]", " ", name)
    name = _CONTROL_OR_FORMAT.sub("", name)
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf"})
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if extension:
        ext = extension.lstrip(".")
        if stem.lower().endswith("." + ext):
            stem = stem[: -len(ext) - 1]
    stem = stem.strip() or str(_("file"))
    suffix = f".{ext}" if ext else ""
    return stem[: NAME_MAX - len(suffix)].rstrip() + suffix


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check: the bytes to store (an image's
    re-encoded ones), their real type, and the cleaned name."""

    name: str
    content: bytes
    mime_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _zip_type(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        _refuse(NOT_ACCEPTED)
    if len(members) > _ZIP_MAX_MEMBERS:
        _refuse(NOT_ACCEPTED)
    limit = settings.ATTACHMENT_ZIP_MAX_MB * 1024 * 1024
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > limit or (
            member.file_size > _ZIP_RATIO_FLOOR
            and ratio > settings.ATTACHMENT_ZIP_MAX_RATIO
        ):
            _refuse(
                _(
                    "This document would take more than %(mb)s MB once opened, "
                    "or one of its parts is compressed abnormally: it is refused "
                    "as a possible zip bomb. Nothing was saved."
                ),
                mb=settings.ATTACHMENT_ZIP_MAX_MB,
            )
    names = {member.filename: member for member in members}

    def read(name, bound):
        with archive.open(names[name]) as part:
            return part.read(bound)

    try:
        if "mimetype" in names and names["mimetype"].file_size <= 100:
            declared = read("mimetype", 100).decode("ascii", "replace").strip()
            if declared in {ODT, ODS}:
                return declared
        elif (
            "[Content_Types].xml" in names
            and names["[Content_Types].xml"].file_size <= _CONTENT_TYPES_MAX
        ):
            declared = read("[Content_Types].xml", _CONTENT_TYPES_MAX).decode(
                "utf-8", "replace"
            )
            found = {
                kind for part, kind in _OOXML_MAIN_PARTS.items() if part in declared
            }
            if len(found) == 1:
                return found.pop()
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError):
        pass
    _refuse(NOT_ACCEPTED)


def _reencoded_image(data: bytes, mime_type: str) -> bytes:
    Image.MAX_IMAGE_PIXELS = max_pixels()
    too_big = _(
        "This image is larger than %(mp)s megapixels: make it smaller and add "
        "it again. Nothing was saved."
    )
    try:
        with Image.open(io.BytesIO(data)) as image:
            # Image.open reads the header only: the dimensions, not the pixels.
            width, height = image.size
            if width * height > max_pixels():
                _refuse(too_big, mp=max_pixels() // 1_000_000)
            # A camera's JPEG often holds more than one picture (MPO): its
            # first is the photo.
            expected = {PNG: {"PNG"}, JPEG: {"JPEG", "MPO"}}[mime_type]
            if image.format not in expected:
                _refuse(NOT_ACCEPTED)
            image.load()
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if mime_type == JPEG:
                if upright.mode not in {"RGB", "L", "CMYK"}:
                    upright = upright.convert("RGB")
                # No exif=, no icc_profile=, no comment=: none is written.
                upright.save(out, format="JPEG", quality=90)
            else:
                upright.save(out, format="PNG")
            return out.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse(too_big, mp=max_pixels() // 1_000_000)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        _refuse(_("This image cannot be read: it may be damaged. Nothing was saved."))


def check_upload(upload, *, images_only: bool = False) -> CheckedFile:
    """The file ``upload`` (an UploadedFile) checked and ready to store, or a
    ValidationError saying what is wrong with it."""
    if upload.size == 0:
        _refuse(_("This file is empty (0 bytes). Nothing was saved."))
    if upload.size > max_bytes():
        _refuse(
            _("This file is larger than %(mb)s MB. Nothing was saved."),
            mb=settings.ATTACHMENT_MAX_MB,
        )
    upload.seek(0)
    data = upload.read(max_bytes() + 1)
    if not data:
        _refuse(_("This file is empty (0 bytes). Nothing was saved."))
    if len(data) > max_bytes():
        _refuse(
            _("This file is larger than %(mb)s MB. Nothing was saved."),
            mb=settings.ATTACHMENT_MAX_MB,
        )
    guessed = filetype.guess(data)
    guessed = guessed.mime if guessed else ""
    if data.startswith(b"%PDF-") and guessed == PDF:
        mime_type = PDF
    elif guessed in IMAGE_TYPES:
        mime_type = guessed
    elif data.startswith(b"PK\x03\x04"):
        mime_type = _zip_type(data)
    else:
        _refuse(NOT_ACCEPTED)
    if images_only and mime_type not in IMAGE_TYPES:
        _refuse(_("Only PNG or JPEG images are accepted here. Nothing was saved."))
    if mime_type in IMAGE_TYPES:
        data = _reencoded_image(data, mime_type)
    return CheckedFile(
        name=clean_filename(upload.name, extension=EXTENSIONS[mime_type]),
        content=data,
        mime_type=mime_type,
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, images_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.images_only = images_only
        if images_only:
            help_text = _("A PNG or JPEG image, up to %(mb)s MB.")
        else:
            help_text = _("PDF, ODT, ODS, DOCX, XLSX, PNG or JPEG, up to %(mb)s MB.")
        self.fields["file"].help_text = help_text % {"mb": settings.ATTACHMENT_MAX_MB}

    def clean_file(self):
        return check_upload(self.cleaned_data["file"], images_only=self.images_only)


def attach(*, obj, checked: CheckedFile, user) -> Attachment:
    """Stores ``checked`` and attaches it to ``obj`` (call it within the app's
    transaction, which records the journal entry). If the row cannot be
    created, the stored file is removed again."""
    stored = storage().save(
        f"attachments/{uuid.uuid4().hex}{EXTENSIONS[checked.mime_type]}",
        ContentFile(checked.content),
    )
    try:
        from django.contrib.contenttypes.models import ContentType

        return Attachment.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            original_name=checked.name,
            stored_name=stored,
            size=len(checked.content),
            sha256=checked.sha256,
            mime_type=checked.mime_type,
            uploaded_by=user,
        )
    except BaseException:
        storage().delete(stored)
        raise


def detach(attachment: Attachment) -> None:
    """Deletes ``attachment``; its file goes once the transaction commits."""
    stored = attachment.stored_name
    attachment.delete()
    transaction.on_commit(lambda: storage().delete(stored))


def content_disposition(kind: str, name: str) -> str:
    """``attachment; filename="…"; filename*=UTF-8''…`` (RFC 6266 and 5987):
    an ASCII fallback for old clients, the real name for the others."""
    fallback = (
        unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    )
    fallback = re.sub(r'["\\]', "_", fallback).strip() or "file"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def download_response(attachment: Attachment, *, inline: bool = False) -> FileResponse:
    """The file of ``attachment``, for a view that checked the permission: a
    download (or an image shown inline, PNG and JPEG only, which were
    re-encoded), never sniffed, sandboxed if opened anyway."""
    if inline and not attachment.is_image:
        inline = False
    response = FileResponse(
        storage().open(attachment.stored_name, "rb"),
        content_type=attachment.mime_type,
    )
    response["Content-Disposition"] = content_disposition(
        "inline" if inline else "attachment", attachment.original_name
    )
    response["Content-Length"] = str(attachment.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
