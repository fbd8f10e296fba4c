"""Files for the attachment tests, good and bad, made in memory."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf(name="annexe.pdf"):
    return upload(name, PDF_BYTES, "application/pdf")


def png_bytes(size=(8, 6), color=(200, 30, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def png(name="carte.png", size=(8, 6)):
    return upload(name, png_bytes(size), "image/png")


def jpeg_with_gps(size=(40, 20), orientation=6):
    """A JPEG with an EXIF block holding a GPS position, a camera make and an
    orientation (6: turn 90° clockwise to view it)."""
    image = Image.new("RGB", size, (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Appareil-Secret"  # Make
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (45.0, 28.0, 12.0)
    gps[3] = "E"
    gps[4] = (4.0, 31.0, 5.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def huge_png_header(width=50_000, height=50_000) -> bytes:
    """A PNG that declares ``width`` × ``height`` pixels in its IHDR, with a tiny
    IDAT: never allocated, never decoded."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + _chunk(b"IEND", b"")
    )


CONTENT_TYPES_DOCX = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
CONTENT_TYPES_XLSX = CONTENT_TYPES_DOCX.replace(
    "wordprocessingml.document.main", "spreadsheetml.sheet.main"
).replace("/word/document.xml", "/xl/workbook.xml")


def docx_bytes(extra=None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES_DOCX)
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES_XLSX)
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def opendocument_bytes(mimetype="application/vnd.oasis.opendocument.text") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def docx_bomb() -> bytes:
    """A DOCX whose one member of 200 MB of zeros compresses to about 200 KB
    (made by streaming, so the test never holds the 200 MB)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES_DOCX)
        archive.writestr("word/document.xml", "<w:document/>")
        block = b"\x00" * (1024 * 1024)
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as member:
            for _ in range(200):
                member.write(block)
    return out.getvalue()
