"""Spreadsheet exports shared by the apps (the journal, the seminar's guest
list, a territory's programming).

A view describes its table once, as a ``Table``: a title (the sheet's name),
its columns and an iterator of rows of typed values (text, numbers, dates,
``None``). ``export_response(table, "csv")``, ``"xlsx"`` or ``"ods"`` writes
it (``WRITERS``), and a view built on ``TableExportMixin`` gets the format
from its URL (``as_view(export_format=...)``).

Every writer makes every text cell safe against formula injection, and keeps
numbers and dates what they are:

- CSV is streamed in UTF-8 with a BOM and ";" as separator (what French
  spreadsheets expect): dates as 10/05/2007, decimals with two decimals and a
  decimal comma, text through ``spreadsheet_safe`` (a leading apostrophe).
- XLSX types text as text, with the quote prefix when it would start a
  formula (shown as typed, no apostrophe), numbers as numbers ("#,##0.00" for
  decimals) and dates as dates (DD/MM/YYYY); the header is bold and frozen.
- ODS (OpenDocument, odfdo) types text as a string cell, which has no formula
  whatever it starts with (a formula is a separate attribute the writer never
  writes), numbers as numbers ("#,##0.00" for decimals) and dates as dates
  (DD/MM/YYYY); the header is bold.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain
from xml.sax.saxutils import escape, quoteattr

from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone

# A cell starting with one of these is read as a formula by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """``value`` as text that no spreadsheet runs: a leading quote before
    anything that would start a formula (the CSV writer's way; the XLSX writer
    stores the text as typed, with the quote prefix)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class Column:
    header: str
    # In characters, for the spreadsheet formats (their default when None).
    width: float | None = None


@dataclass
class Table:
    """One table to export. ``columns`` are ``Column``s or plain headers;
    ``rows`` is iterated once, lazily (a CSV streams a large journal), each
    row a sequence of values in column order; ``filename`` is without its
    extension (each writer adds its own)."""

    title: str
    columns: Sequence[Column | str]
    rows: Iterable[Sequence]
    filename: str

    @property
    def headers(self) -> list[str]:
        return [str(c.header if isinstance(c, Column) else c) for c in self.columns]

    @property
    def widths(self) -> list[float | None]:
        return [c.width if isinstance(c, Column) else None for c in self.columns]


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _local(moment: datetime.datetime) -> datetime.datetime:
    """A datetime as the wall clock of the portal shows it, without zone
    (spreadsheets have none)."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(tzinfo=None)


class Writer:
    extension: str
    content_type: str

    def response(self, table: Table) -> HttpResponseBase:
        raise NotImplementedError

    def disposition(self, table: Table) -> str:
        return f'attachment; filename="{table.filename}.{self.extension}"'


class _Echo:
    def write(self, value):
        return value


class CsvWriter(Writer):
    extension = "csv"
    content_type = "text/csv; charset=utf-8"

    @staticmethod
    def cell(value) -> str:
        """Dates as 10/05/2007, decimals as amounts (two decimals, a decimal
        comma, no thousands: what a French spreadsheet reads), other numbers as
        they are, text made safe."""
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            return _local(value).strftime("%d/%m/%Y %H:%M")
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",")
        if _is_number(value):
            return str(value).replace(".", ",")
        return spreadsheet_safe(value)

    def response(self, table: Table) -> StreamingHttpResponse:
        writer = csv.writer(_Echo(), delimiter=";")

        def lines():
            yield "\ufeff" + writer.writerow(spreadsheet_safe(h) for h in table.headers)
            for row in table.rows:
                yield writer.writerow(self.cell(value) for value in row)

        return StreamingHttpResponse(
            lines(),
            content_type=self.content_type,
            headers={"Content-Disposition": self.disposition(table)},
        )


# Characters a sheet's name may not hold, and its longest length.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31


class XlsxWriter(Writer):
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    @staticmethod
    def value(value):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        if isinstance(value, datetime.datetime):
            return _local(value)
        if value is None or _is_number(value) or isinstance(value, datetime.date):
            return value
        # Control characters (but tab, LF, CR) are not allowed in the file.
        return ILLEGAL_CHARACTERS_RE.sub("", str(value))

    @staticmethod
    def type_cell(cell, value) -> None:
        if isinstance(value, str):
            # openpyxl guesses a formula from a leading "="; say it is text. A
            # spreadsheet shows it as typed, and keeps it text when the cell is
            # edited again ("quote prefix": the hidden apostrophe of a typed
            # 'text).
            cell.data_type = "s"
            if value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True
        elif isinstance(value, datetime.datetime):
            cell.number_format = "DD/MM/YYYY HH:MM"
        elif isinstance(value, datetime.date):
            cell.number_format = "DD/MM/YYYY"
        elif value is not None and not isinstance(value, int):
            cell.number_format = "#,##0.00"

    def response(self, table: Table) -> HttpResponse:
        from openpyxl import Workbook
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = SHEET_NAME_FORBIDDEN.sub("-", str(table.title))[:SHEET_NAME_MAX]
        for number, row in enumerate(chain([table.headers], table.rows), start=1):
            values = [self.value(value) for value in row]
            sheet.append(values)
            for column, value in enumerate(values, start=1):
                self.type_cell(sheet.cell(row=number, column=column), value)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, width in enumerate(table.widths, start=1):
            if width is not None:
                sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=self.content_type)
        response["Content-Disposition"] = self.disposition(table)
        return response


# Control characters (but tab, LF, CR) may not be in an XML file.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# The styles of the ODS writer's cells, in its content's automatic styles.
ODS_STYLES = (
    '<number:date-style style:name="cucs-date"><number:day number:style="long"/>'
    '<number:text>/</number:text><number:month number:style="long"/>'
    '<number:text>/</number:text><number:year number:style="long"/>'
    "</number:date-style>",
    '<number:date-style style:name="cucs-datetime"><number:day number:style="long"/>'
    '<number:text>/</number:text><number:month number:style="long"/>'
    '<number:text>/</number:text><number:year number:style="long"/>'
    '<number:text> </number:text><number:hours number:style="long"/>'
    '<number:text>:</number:text><number:minutes number:style="long"/>'
    "</number:date-style>",
    '<number:number-style style:name="cucs-amount"><number:number '
    'number:decimal-places="2" number:min-decimal-places="2" '
    'number:min-integer-digits="1" number:grouping="true"/></number:number-style>',
    '<style:style style:name="ce-header" style:family="table-cell">'
    '<style:text-properties fo:font-weight="bold" style:font-weight-asian="bold" '
    'style:font-weight-complex="bold"/></style:style>',
    '<style:style style:name="ce-date" style:family="table-cell" '
    'style:data-style-name="cucs-date"/>',
    '<style:style style:name="ce-datetime" style:family="table-cell" '
    'style:data-style-name="cucs-datetime"/>',
    '<style:style style:name="ce-amount" style:family="table-cell" '
    'style:data-style-name="cucs-amount"/>',
)
# A character of a column's width, in centimetres (about the XLSX's).
ODS_CHARACTER_WIDTH_CM = 0.2


class OdsWriter(Writer):
    """The table as an OpenDocument spreadsheet. odfdo makes the document (its
    package, manifest and styles); the rows are written as the table's XML at
    once, which is some twenty times faster than odfdo's cell objects for a
    long journal."""

    extension = "ods"
    content_type = "application/vnd.oasis.opendocument.spreadsheet"

    @staticmethod
    def _text(text: str) -> str:
        """``text`` as the paragraphs of a cell: a paragraph a line, tabs and
        runs of spaces kept as ODF writes them."""
        paragraphs = []
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            line = escape(line).replace("\t", "<text:tab/>")
            line = re.sub(
                r"(?<= ) +|^ +",
                lambda spaces: f'<text:s text:c="{len(spaces.group())}"/>',
                line,
            )
            paragraphs.append(f"<text:p>{line}</text:p>")
        return "".join(paragraphs)

    @classmethod
    def cell(cls, value, header: bool = False) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, datetime.datetime):
            moment = _local(value).replace(microsecond=0)
            return (
                '<table:table-cell table:style-name="ce-datetime" '
                f'office:value-type="date" office:date-value="{moment.isoformat()}">'
                f"<text:p>{moment:%d/%m/%Y %H:%M}</text:p></table:table-cell>"
            )
        if isinstance(value, datetime.date):
            return (
                '<table:table-cell table:style-name="ce-date" '
                f'office:value-type="date" office:date-value="{value.isoformat()}">'
                f"<text:p>{value:%d/%m/%Y}</text:p></table:table-cell>"
            )
        if _is_number(value):
            style = "" if isinstance(value, int) else ' table:style-name="ce-amount"'
            shown = f"{value:.2f}" if isinstance(value, Decimal) else str(value)
            return (
                f'<table:table-cell{style} office:value-type="float" '
                f'office:value="{value}"><text:p>{shown}</text:p></table:table-cell>'
            )
        # A string cell: never a formula, whatever it starts with (a formula
        # would be a table:formula attribute, which is never written).
        text = XML_ILLEGAL.sub("", str(value))
        style = ' table:style-name="ce-header"' if header else ""
        return (
            f'<table:table-cell{style} office:value-type="string" '
            f"office:string-value={quoteattr(text)}>{cls._text(text)}"
            "</table:table-cell>"
        )

    def response(self, table: Table) -> HttpResponse:
        from odfdo import Document, Element

        name = SHEET_NAME_FORBIDDEN.sub("-", str(table.title))[:SHEET_NAME_MAX]
        parts = [f"<table:table table:name={quoteattr(name)}>"]
        for index, width in enumerate(table.widths):
            style = f' table:style-name="co-{index}"' if width is not None else ""
            parts.append(f"<table:table-column{style}/>")
        parts.append("<table:table-header-rows><table:table-row>")
        parts += [self.cell(header, header=True) for header in table.headers]
        parts.append("</table:table-row></table:table-header-rows>")
        for row in table.rows:
            parts.append("<table:table-row>")
            parts += [self.cell(value) for value in row]
            parts.append("</table:table-row>")
        parts.append("</table:table>")

        document = Document("spreadsheet")
        for style in ODS_STYLES:
            document.insert_style(Element.from_tag(style), automatic=True)
        for index, width in enumerate(table.widths):
            if width is not None:
                document.insert_style(
                    Element.from_tag(
                        f'<style:style style:name="co-{index}" '
                        'style:family="table-column"><style:table-column-properties '
                        f'style:column-width="{width * ODS_CHARACTER_WIDTH_CM:.2f}cm"/>'
                        "</style:style>"
                    ),
                    automatic=True,
                )
        document.body.clear()
        document.body.append(Element.from_tag("".join(parts)))
        buffer = io.BytesIO()
        document.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=self.content_type)
        response["Content-Disposition"] = self.disposition(table)
        return response


WRITERS: dict[str, Writer] = {
    "csv": CsvWriter(),
    "xlsx": XlsxWriter(),
    "ods": OdsWriter(),
}


def export_response(table: Table, export_format: str) -> HttpResponseBase:
    """The download of ``table`` in ``export_format`` (a key of ``WRITERS``)."""
    return WRITERS[export_format].response(table)


class TableExportMixin:
    """A view that downloads the table of ``export_table()`` in
    ``export_format``, which its URL may set: ``as_view(export_format="xlsx")``."""

    export_format = "csv"

    def export_table(self) -> Table:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        return export_response(self.export_table(), self.export_format)
