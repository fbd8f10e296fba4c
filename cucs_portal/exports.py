"""Spreadsheet exports shared by the apps (the journal, the seminar's guest
list, a territory's programming): CSV streamed in UTF-8 with a BOM and ";" as
separator (what French spreadsheets expect), every cell made safe against
formula injection."""

import csv

from django.http import StreamingHttpResponse

# A cell starting with one of these is read as a formula by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """``value`` as text that no spreadsheet runs: a leading quote before
    anything that would start a formula. Use it for XLSX cells too (openpyxl
    stores a string starting with "=" as a formula)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header, rows) -> StreamingHttpResponse:
    """A streamed CSV download of ``header`` then ``rows`` (iterables of
    values), each cell passed through ``spreadsheet_safe``."""
    writer = csv.writer(Echo(), delimiter=";")

    def lines():
        yield "\ufeff" + writer.writerow(spreadsheet_safe(v) for v in header)
        for row in rows:
            yield writer.writerow(spreadsheet_safe(v) for v in row)

    return StreamingHttpResponse(
        lines(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
