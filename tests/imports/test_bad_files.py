"""A file that cannot be imported gets a clear message on the upload form
(200, the form again), never a 500, and nothing is kept or written.

The XLSX and ODS files are made by LibreOffice from a CSV (tests/imports/
files.py), once for this module; the messages are compared through gettext,
so that they hold whether the catalogue is French or not yet."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from cucs_portal import spreadsheets
from imports.models import PendingImport
from people.models import User
from tests import factories as f

from .files import SOFFICE, convert, csv_bytes, needs_libreoffice

pytestmark = pytest.mark.django_db

HEADER = ["Nom", "Prénom", "Courriel"]
GOOD = [HEADER, ["Martin", "Jeanne", "jeanne.martin@example.org"]]


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """{name: {"xlsx": bytes, "ods": bytes}}, made by LibreOffice."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    workdir = tmp_path_factory.mktemp("office")
    return {
        "good": convert(csv_bytes(GOOD), workdir, "good"),
        "formula": convert(
            csv_bytes(
                [
                    HEADER,
                    ["Martin", "Jeanne", "a@example.org"],
                    ["=1+1", "Paul", "p@example.org"],
                ]
            ),
            workdir,
            "formula",
        ),
    }


@pytest.fixture
def secretariat(client):
    user = f.UserFactory(secretariat=True)
    client.force_login(user)
    return user


def upload(client, data: bytes, name="personnes.csv", kind="personnes"):
    return client.post(
        reverse("imports:upload", kwargs={"kind": kind}),
        {"file": SimpleUploadedFile(name, data)},
    )


def form_errors(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [str(e) for e in response.context["form"].errors["file"]]


def refused(client, data, name="personnes.csv", kind="personnes") -> str:
    users, pending = User.objects.count(), PendingImport.objects.count()
    errors = form_errors(upload(client, data, name, kind))
    assert len(errors) == 1
    assert (User.objects.count(), PendingImport.objects.count()) == (users, pending)
    return errors[0]


def test_an_empty_file_is_refused(client, secretariat):
    assert refused(client, b"") == _("This file is empty: there is nothing to import.")
    assert refused(client, b" \r\n;;\r\n") == _(
        "This file is empty: there is nothing to import."
    )


def test_a_header_without_rows_is_refused(client, secretariat):
    message = refused(client, csv_bytes([HEADER]))
    assert message == _(
        "This file has a header row but no row under it: there is nothing to import."
    )


def test_a_file_above_the_size_cap_is_refused(client, secretariat, settings):
    settings.IMPORT_MAX_MB = 1
    rows = [HEADER] + [["Martin", "x" * 100, "a@example.org"]] * 11_000
    data = csv_bytes(rows)
    assert len(data) > 1024 * 1024
    message = refused(client, data)
    assert message == _(
        "This file is larger than %(mb)s MB: split it into several files."
    ) % {"mb": 1}


def test_a_file_above_the_row_cap_is_refused(client, secretariat, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [HEADER] + [["Martin", "J", f"p{n}@example.org"] for n in range(4)]
    assert "3" in refused(client, csv_bytes(rows))
    # Three rows of data are taken.
    response = upload(client, csv_bytes(rows[:4]))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "photo.csv"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "liste.csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "ancien.xls"),
    ],
    ids=["png", "pdf", "xls"],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(client, secretariat, data, name):
    message = refused(client, data, name)
    assert message in {
        str(spreadsheets.NOT_A_SPREADSHEET),
        _(
            "This is an old Excel file (.xls): save it as XLSX, ODS or CSV "
            "and send it again."
        ),
    }


def test_a_zip_that_is_not_a_spreadsheet_is_refused(client, secretariat):
    """A Word document or any ZIP named .xlsx is not read as one."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<x/>")
    message = refused(client, stream.getvalue(), "personnes.xlsx")
    assert message == str(spreadsheets.NOT_A_SPREADSHEET)


def test_a_csv_in_an_unknown_encoding_is_refused(client, secretariat):
    """Bytes Windows-1252 leaves undefined (here 0x81 and 0x8D), which UTF-8
    does not accept either, are another encoding: refused with how to save."""
    data = "Nom;Prénom;Courriel\r\nMartin;Jeanne;j@example.org\r\n".encode()
    data = data.replace("é".encode(), b"\x81\x8d")
    assert "UTF-8" in refused(client, data)


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]
)
def test_a_csv_in_utf8_bom_windows_1252_latin1_or_utf16_is_read(
    client, secretariat, encoding
):
    data = csv_bytes(
        [HEADER, ["Müller", "Élise", "elise@example.org"]], encoding=encoding
    )
    response = upload(client, data)
    assert response.status_code == 302
    pending = PendingImport.objects.get()
    mapped = spreadsheets.read_upload(bytes(pending.content), _people_columns())
    assert mapped.dataset.dict[0]["first_name"] == "Élise"
    assert mapped.dataset.dict[0]["last_name"] == "Müller"


def _people_columns():
    from people.resources import PersonResource

    return PersonResource.COLUMNS


def test_a_formula_in_a_csv_is_refused_with_its_row_and_column(client, secretariat):
    rows = [
        HEADER,
        ["Martin", "Jeanne", "j@example.org"],
        ["Durand", "@SUM(A1)", "d@example.org"],
        ["Petit", "Paul", '=HYPERLINK("http://x")'],
    ]
    message = refused(client, csv_bytes(rows))
    line_3 = _("line %(line)s, column %(column)s") % {
        "line": 3,
        "column": "B « Prénom »",
    }
    line_4 = _("line %(line)s, column %(column)s") % {
        "line": 4,
        "column": "C « Courriel »",
    }
    assert line_3 in message
    assert line_4 in message


@pytest.mark.parametrize("cell", ["-", "+33 4 77 12 34 56", "-12,5"])
def test_a_number_or_a_dash_is_not_a_formula(cell):
    assert not spreadsheets.is_formula(cell)


@pytest.mark.parametrize("cell", ["=1+1", "+A1", "-A1+1", "@SUM(A1)", "\t=1"])
def test_what_spreadsheets_run_is_a_formula(cell):
    assert spreadsheets.is_formula(cell)


@needs_libreoffice
@pytest.mark.parametrize("export_format", ["xlsx", "ods"])
def test_a_formula_cell_in_xlsx_or_ods_is_refused_with_its_row_and_column(
    client, secretariat, office, export_format
):
    message = refused(
        client, office["formula"][export_format], f"personnes.{export_format}"
    )
    assert (
        _("line %(line)s, column %(column)s") % {"line": 3, "column": "A « Nom »"}
        in message
    )


def test_a_formula_cell_written_by_openpyxl_is_refused(client, secretariat):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["Martin", "Jeanne", "j@example.org"])
    sheet["B2"] = '=CONCATENATE("a";"b")'
    stream = io.BytesIO()
    workbook.save(stream)
    message = refused(client, stream.getvalue(), "personnes.xlsx")
    assert "B « Prénom »" in message


@needs_libreoffice
@pytest.mark.parametrize("export_format", ["xlsx", "ods"])
def test_an_xlsx_or_ods_made_by_libreoffice_is_read(
    client, secretariat, office, export_format
):
    response = upload(
        client, office["good"][export_format], f"personnes.{export_format}"
    )
    assert response.status_code == 302
    pending = PendingImport.objects.get()
    mapped = spreadsheets.read_upload(bytes(pending.content), _people_columns())
    assert mapped.format == export_format
    assert mapped.dataset.dict == [
        {
            "last_name": "Martin",
            "first_name": "Jeanne",
            "email": "jeanne.martin@example.org",
            "organisation": "",
            "job_title": "",
        }
    ]


def test_missing_columns_are_named_with_the_expected_ones(client, secretariat):
    message = refused(client, csv_bytes([["Nom", "Téléphone"], ["Martin", "04"]]))
    assert "« E-mail »" in message or "« Courriel »" in message
    # The expected columns are all listed.
    from people.resources import PersonResource

    assert spreadsheets.expected_columns(PersonResource.COLUMNS) in message


def test_a_column_given_twice_is_refused(client, secretariat):
    message = refused(
        client, csv_bytes([["Nom", "Courriel", "E-mail"], ["M", "a@x.org", "b@x.org"]])
    )
    assert message.startswith(
        _("The column « %(name)s » appears twice in the header row.")[:10]
    )


@pytest.mark.parametrize(
    "header",
    [
        ["NOM", "PRENOM", "COURRIEL"],
        ["nom", "prénom", "e-mail"],
        ["Nom de famille", "Prénom ", "Adresse électronique"],
        [" Nom", "Prenom", "Email"],
    ],
)
def test_french_headers_are_read_whatever_their_case_and_accents(
    client, secretariat, header
):
    response = upload(client, csv_bytes([header, GOOD[1]]))
    assert response.status_code == 302


def test_a_malicious_ods_with_a_million_repeated_rows_is_read_quickly(
    client, secretariat
):
    """LibreOffice writes its empty rows as one repeated row; a repeated
    non-empty row is expanded only up to the row cap."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        "<office:document-content "
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        "<office:body><office:spreadsheet><table:table>"
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{name}</text:p>'
            "</table:table-cell>"
            for name in HEADER
        )
        + "</table:table-row>"
        '<table:table-row table:number-rows-repeated="1000000">'
        '<table:table-cell table:number-columns-repeated="3" '
        'office:value-type="string"><text:p>x</text:p></table:table-cell>'
        "</table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
        )
        archive.writestr("content.xml", content)
    message = refused(client, stream.getvalue(), "personnes.ods")
    assert str(5000) in message.replace("\u202f", "").replace(" ", "")
