"""Spreadsheets people upload (CSV, XLSX, ODS): read, checked, mapped to the
columns an import expects, and run through a django-import-export resource
as a preview (a dry run) or for real (all or nothing). The apps bring their
resources (people/resources.py, seminaire/resources.py) and record the journal
with their own verbs; the kernel imports no app.

What is refused, always with a message for the form, never a 500:

- an empty file, or one with a header and no row;
- a file above ``IMPORT_MAX_MB``, or with more than ``IMPORT_MAX_ROWS`` rows;
- a file that is not a spreadsheet, whatever its name says (what it is comes
  from its bytes: an XLSX or ODS is a ZIP, checked as attachments are against
  zip bombs; anything else must be text);
- a CSV that is neither UTF-8 (with or without a BOM), nor UTF-16 with a BOM,
  nor Windows-1252 (what French Excel writes); Windows-1252 covers Latin-1's
  letters, and a byte it leaves undefined means another encoding: refused;
- a formula: a CSV cell starting with = + - @ (or a tab or carriage return),
  or a cell of an XLSX or ODS holding a formula, named by its row and column;
- missing columns (the expected ones are listed); headers are matched
  whatever their case, accents and punctuation (« Prénom », « prenom »,
  « PRÉNOM ») and through French aliases (« Courriel », « E-mail »).

Every cell becomes text (numbers without a useless ``.0``, dates as ISO
dates); the resources' models cap each text at its field's ``max_length``
through ``full_clean``.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import tablib
from defusedxml import ElementTree as SafeElementTree
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .attachments import NOT_ACCEPTED, ODS, XLSX, _zip_type
from .exports import FORMULA_STARTS
from .search import fold

logger = logging.getLogger(__name__)

CSV, XLSX_FORMAT, ODS_FORMAT = "csv", "xlsx", "ods"
# More columns than this is not a list of people: the rest is not read.
MAX_COLUMNS = 100
# How many refused cells a message names before « … ».
SHOWN_CELLS = 5


def max_bytes() -> int:
    return settings.IMPORT_MAX_MB * 1024 * 1024


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


class SpreadsheetError(Exception):
    """The file cannot be imported; ``message`` says why, for the form."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


NOT_A_SPREADSHEET = gettext_lazy(
    "This file is not a spreadsheet: send a CSV, XLSX or ODS file "
    "(in LibreOffice or Excel: « Enregistrer sous »)."
)


# --- Reading ------------------------------------------------------------------


@dataclass
class Sheet:
    """The non-empty rows of the first sheet: ``header`` and then ``rows``,
    each with its line number in the file (what the person sees in their
    spreadsheet)."""

    format: str
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]]


def column_letter(index: int) -> str:
    """A, B, … Z, AA… for the 0-based ``index``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _refuse_formulas(cells: list[tuple[int, int]], header: list[str] | None) -> None:
    if not cells:
        return
    names = []
    for line, column in cells[:SHOWN_CELLS]:
        title = header[column] if header and column < len(header) else ""
        place = column_letter(column) + (f" « {title} »" if title else "")
        names.append(
            _("line %(line)s, column %(column)s") % {"line": line, "column": place}
        )
    more = "…" if len(cells) > SHOWN_CELLS else ""
    raise SpreadsheetError(
        ngettext(
            "This file holds a formula (%(cells)s%(more)s). A formula is never "
            "imported: replace it by its value (copy, then « Collage spécial » "
            "› values only) and send the file again.",
            "This file holds formulas (%(cells)s%(more)s). A formula is never "
            "imported: replace them by their values (copy, then « Collage "
            "spécial » › values only) and send the file again.",
            len(cells),
        )
        % {"cells": "; ".join(names), "more": more}
    )


def _too_many_rows() -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "This file has more than %(max)s rows: split it into several files "
            "of at most %(max)s rows each."
        )
        % {"max": max_rows()}
    )


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _Rows:
    """Collects the non-empty rows of a sheet, up to the row cap."""

    def __init__(self):
        self.rows: list[tuple[int, list[str]]] = []
        self.formulas: list[tuple[int, int]] = []

    def add(self, line: int, cells: list[str]) -> None:
        # Control characters (an escape, a bell) are nobody's name.
        cells = [_CONTROL_CHARACTERS.sub("", cell) for cell in cells[:MAX_COLUMNS]]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            return
        # The header and max_rows() rows of data.
        if len(self.rows) > max_rows():
            raise _too_many_rows()
        self.rows.append((line, cells))

    def sheet(self, format: str) -> Sheet:
        if not self.rows:
            raise SpreadsheetError(_("This file is empty: there is nothing to import."))
        (header_line, header), *rows = self.rows
        _refuse_formulas(self.formulas, header)
        if not rows:
            raise SpreadsheetError(
                _(
                    "This file has a header row but no row under it: there is "
                    "nothing to import."
                )
            )
        return Sheet(format, header, header_line, rows)


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _decode(data: bytes) -> str:
    wrong_encoding = SpreadsheetError(
        _(
            "This CSV file is in an encoding the portal does not recognise. Save "
            "it again as « CSV UTF-8 » (Excel) or with the character set "
            "« Unicode (UTF-8) » (LibreOffice)."
        )
    )
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise wrong_encoding from None
    if b"\x00" in data:
        raise SpreadsheetError(str(NOT_A_SPREADSHEET))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise wrong_encoding


# Not a formula, though it starts like one: a number, a phone number
# (« +33 4 77 … »), a lone dash for « none ».
_NUMBER_LIKE = re.compile(r"^[+-]?[\d\s.,/()]*$")


def is_formula(text: str) -> bool:
    """Whether a CSV cell would run as a formula once opened."""
    return text.startswith(FORMULA_STARTS) and not _NUMBER_LIKE.match(text)


_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r"}


def _read_csv(data: bytes) -> Sheet:
    text = _decode(data)
    if _CONTROL.intersection(text[:65536]) or text.lstrip().startswith("%PDF"):
        raise SpreadsheetError(str(NOT_A_SPREADSHEET))
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    # French spreadsheets write ";", others "," or a tab: the header tells.
    delimiter = max(";,\t", key=first_line.count)
    rows = _Rows()
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for cells in reader:
            line = reader.line_num
            cells = [cell.strip() for cell in cells]
            rows.add(line, cells)
            for column, raw in enumerate(cells[:MAX_COLUMNS]):
                if is_formula(raw):
                    rows.formulas.append((line, column))
    except csv.Error as exc:
        raise SpreadsheetError(
            _(
                "This CSV file is malformed near line %(line)s (a quotation mark "
                "left open, or a cell too long)."
            )
            % {"line": reader.line_num}
        ) from exc
    return rows.sheet(CSV)


def _read_xlsx(data: bytes) -> Sheet:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=False
        )
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise SpreadsheetError(str(NOT_A_SPREADSHEET)) from exc
    rows = _Rows()
    try:
        if not workbook.worksheets:
            raise SpreadsheetError(_("This file is empty: there is nothing to import."))
        sheet = workbook.worksheets[0]
        for line, cells in enumerate(
            sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS), 1
        ):
            texts = []
            for column, cell in enumerate(cells):
                if getattr(cell, "data_type", None) == "f":
                    rows.formulas.append((line, column))
                value = getattr(cell, "value", None)
                texts.append("" if value is None else _cell_text(value))
            rows.add(line, texts)
    except SpreadsheetError:
        raise
    except Exception as exc:
        raise SpreadsheetError(str(NOT_A_SPREADSHEET)) from exc
    finally:
        workbook.close()
    return rows.sheet(XLSX_FORMAT)


_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def _odf_text(node) -> str:
    parts = [node.text or ""]
    for child in node:
        if child.tag == f"{{{_TEXT}}}s":
            parts.append(" " * int(child.get(f"{{{_TEXT}}}c", "1")))
        elif child.tag == f"{{{_TEXT}}}tab":
            parts.append("\t")
        elif child.tag == f"{{{_TEXT}}}line-break":
            parts.append("\n")
        else:
            parts.append(_odf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _ods_cell_text(cell) -> str:
    kind = cell.get(f"{{{_OFFICE}}}value-type")
    if kind in {"float", "percentage", "currency"}:
        value = cell.get(f"{{{_OFFICE}}}value", "")
        try:
            return _cell_text(float(value))
        except ValueError:
            return value
    if kind == "date":
        return cell.get(f"{{{_OFFICE}}}date-value", "")[:19].replace("T", " ")
    if kind == "boolean":
        return _cell_text(cell.get(f"{{{_OFFICE}}}boolean-value") == "true")
    paragraphs = [_odf_text(p) for p in cell.iter(f"{{{_TEXT}}}p")]
    return "\n".join(paragraphs).strip()


def _read_ods(data: bytes) -> Sheet:
    """The first table of content.xml, streamed: repeated rows and columns
    (LibreOffice writes a million empty rows as one) are never expanded."""
    rows = _Rows()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        content = archive.open("content.xml")
    except (KeyError, zipfile.BadZipFile, OSError) as exc:
        raise SpreadsheetError(str(NOT_A_SPREADSHEET)) from exc
    line = 0
    depth = 0
    try:
        for event, element in SafeElementTree.iterparse(
            content, events=("start", "end")
        ):
            if element.tag == f"{{{_TABLE}}}table":
                if event == "start":
                    depth += 1
                    continue
                break  # the first table only
            if event != "end" or element.tag != f"{{{_TABLE}}}table-row" or not depth:
                continue
            repeat = int(element.get(f"{{{_TABLE}}}number-rows-repeated", "1"))
            cells: list[str] = []
            pending_empty = 0
            for cell in element:
                if cell.tag not in {
                    f"{{{_TABLE}}}table-cell",
                    f"{{{_TABLE}}}covered-table-cell",
                }:
                    continue
                times = int(cell.get(f"{{{_TABLE}}}number-columns-repeated", "1"))
                text = _ods_cell_text(cell)
                if cell.get(f"{{{_TABLE}}}formula"):
                    rows.formulas.append((line + 1, len(cells) + pending_empty))
                if not text:
                    pending_empty += times
                    continue
                if len(cells) + pending_empty >= MAX_COLUMNS:
                    break
                cells.extend([""] * pending_empty)
                pending_empty = 0
                cells.extend([text] * min(times, MAX_COLUMNS - len(cells)))
            element.clear()
            if cells:
                for _copy in range(min(repeat, max_rows() + 2)):
                    line += 1
                    rows.add(line, list(cells))
            else:
                line += repeat
    except SpreadsheetError:
        raise
    except Exception as exc:  # a broken or hostile XML
        raise SpreadsheetError(str(NOT_A_SPREADSHEET)) from exc
    return rows.sheet(ODS_FORMAT)


def read_spreadsheet(data: bytes) -> Sheet:
    """The first sheet of an uploaded file, checked (see the module's
    docstring); raises SpreadsheetError."""
    if not data.strip():
        raise SpreadsheetError(_("This file is empty: there is nothing to import."))
    if len(data) > max_bytes():
        raise SpreadsheetError(
            _("This file is larger than %(mb)s MB: split it into several files.")
            % {"mb": settings.IMPORT_MAX_MB}
        )
    if data.startswith(b"PK\x03\x04"):
        try:
            kind = _zip_type(data)
        except ValidationError as exc:
            if exc.message == NOT_ACCEPTED:
                raise SpreadsheetError(str(NOT_A_SPREADSHEET)) from exc
            raise SpreadsheetError(str(exc.message % (exc.params or {}))) from exc
        if kind == XLSX:
            return _read_xlsx(data)
        if kind == ODS:
            return _read_ods(data)
        raise SpreadsheetError(str(NOT_A_SPREADSHEET))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetError(
            _(
                "This is an old Excel file (.xls): save it as XLSX, ODS or CSV "
                "and send it again."
            )
        )
    return _read_csv(data)


# --- Columns ------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column an import reads: ``key`` is the resource's column name;
    ``label`` the header people write (French); ``aliases`` other headers
    accepted. A ``required`` column may be replaced by one of its
    ``alternatives`` (e.g. « Nom complet » for « Nom »)."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    alternatives: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {fold_header(name) for name in (self.label, *self.aliases)}


def fold_header(text) -> str:
    """A header as compared: without case, accents, punctuation or extra
    spaces (« E-mail » = « email », « Prénom » = « PRENOM »)."""
    folded = fold(str(text)) or ""
    kept = "".join(ch if ch.isalnum() else " " for ch in folded)
    return "".join(kept.split())


def expected_columns(columns: Sequence[Column]) -> str:
    """« Nom » (obligatoire), « Prénom »…: what the form says it reads."""
    parts = []
    for column in columns:
        if column.required:
            parts.append(_("« %(name)s » (required)") % {"name": column.label})
        else:
            parts.append(f"« {column.label} »")
    return ", ".join(parts)


@dataclass
class MappedSheet:
    """A sheet under the import's column keys: ``dataset`` for the resource,
    ``lines[i]`` the file's line of its row i, and the headers ``ignored``."""

    dataset: tablib.Dataset
    lines: list[int]
    ignored: list[str]
    format: str


def map_columns(sheet: Sheet, columns: Sequence[Column]) -> MappedSheet:
    by_name = {name: column for column in columns for name in column.names()}
    positions: dict[str, int] = {}
    ignored = []
    for index, header in enumerate(sheet.header):
        column = by_name.get(fold_header(header))
        if column is None:
            if header:
                ignored.append(header)
            continue
        if column.key in positions:
            raise SpreadsheetError(
                _("The column « %(name)s » appears twice in the header row.")
                % {"name": column.label}
            )
        positions[column.key] = index
    missing = [
        column.label
        for column in columns
        if column.required
        and column.key not in positions
        and not any(alternative in positions for alternative in column.alternatives)
    ]
    if missing:
        raise SpreadsheetError(
            ngettext(
                "The column %(missing)s is missing. The first row must name "
                "the columns; this import reads: %(expected)s.",
                "The columns %(missing)s are missing. The first row must name "
                "the columns; this import reads: %(expected)s.",
                len(missing),
            )
            % {
                "missing": ", ".join(f"« {name} »" for name in missing),
                "expected": expected_columns(columns),
            }
        )
    keys = [column.key for column in columns]
    dataset = tablib.Dataset(headers=keys)
    lines = []
    for line, cells in sheet.rows:
        dataset.append(
            [
                cells[positions[key]]
                if key in positions and positions[key] < len(cells)
                else ""
                for key in keys
            ]
        )
        lines.append(line)
    return MappedSheet(dataset, lines, ignored, sheet.format)


def read_upload(data: bytes, columns: Sequence[Column]) -> MappedSheet:
    return map_columns(read_spreadsheet(data), columns)


# --- Running an import ----------------------------------------------------------


class ImportResourceMixin:
    """What the kernel asks of an import-export resource, besides its fields:

    - ``duplicate_note(row)``: why the row is a duplicate (« déjà dans le
      portail », « déjà ligne 4 »), or "" for a new one; a duplicate is
      skipped and shown, never an error;
    - ``undo_blocker(obj)``: why an object this import created can no longer
      be removed by undoing it, or "" (references are checked by
      ``references_to``, for every model);
    - ``field_labels``: the header to name for an error on a model field.

    The resource is built with ``lines`` (the file's line of each row), so
    that a duplicate can name the line of its first occurrence."""

    field_labels: dict[str, str] = {}

    def __init__(self, *args, lines: Sequence[int] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        self.skip_notes: dict[int, str] = {}
        # Row number → the instance saved for it (its pk is known once the
        # rows are written: in bulk, after the last row).
        self.saved: dict[int, object] = {}
        self._row_number = 0

    def line_of(self, row_number: int) -> int:
        return self.lines[row_number - 1] if self.lines else row_number

    def duplicate_note(self, row) -> str:
        return ""

    def email_duplicate_note(self, row, *, already_known: str) -> str:
        """The duplicate note of a row whose key is its e-mail address,
        whatever its case: ``already_known`` when the address is in
        ``self.known_addresses`` (lower-cased, read once in
        ``before_import``), « same as line N » when an earlier row of the
        file had it (``self.seen_addresses``), else ""."""
        address = str(row.get("email") or "").strip().lower()
        if not address:
            return ""
        if address in self.known_addresses:
            return already_known
        line = self.line_of(self._row_number)
        first = self.seen_addresses.setdefault(address, line)
        if first != line:
            return _("Same e-mail address as line %(line)s: skipped.") % {"line": first}
        return ""

    @classmethod
    def undo_blocker(cls, obj) -> str:
        return ""

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        self._row_number = kwargs.get("row_number", self._row_number + 1)
        note = self.duplicate_note(row)
        if note:
            self.skip_notes[self._row_number] = note

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return self._row_number in self.skip_notes

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        self.saved[self._row_number] = instance

    # Checked once for the whole file rather than by a query per row: what
    # ``full_clean`` would ask the database (uniqueness, constraints, that a
    # foreign key exists) the resource knows from what it read before the
    # first row (``duplicate_note``, its widgets). The database still
    # enforces them: a row that breaks one (written meanwhile by someone
    # else) fails, and the import with it.
    not_validated: tuple[str, ...] = ()

    def unique_errors(self, instance) -> dict:
        """{field: message} for what would break a uniqueness, from memory."""
        return {}

    def validate_instance(
        self, instance, import_validation_errors=None, validate_unique=True
    ):
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=[*errors, *self.not_validated],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for name, message in self.unique_errors(instance).items():
            errors.setdefault(name, []).append(ValidationError(message, code="unique"))
        if errors:
            raise ValidationError(errors)


NEW, SKIPPED, INVALID = "new", "skipped", "invalid"


@dataclass
class RowReport:
    line: int
    values: dict[str, str]
    outcome: str
    # (column label, message) pairs
    errors: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""
    object_id: int | None = None


@dataclass
class ImportReport:
    rows: list[RowReport]
    ignored: list[str]
    errors: list[str] = field(default_factory=list)

    @property
    def counts(self) -> Counter:
        return Counter(row.outcome for row in self.rows)

    @property
    def new(self) -> int:
        return self.counts[NEW]

    @property
    def skipped(self) -> int:
        return self.counts[SKIPPED]

    @property
    def invalid(self) -> int:
        return self.counts[INVALID]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.invalid)

    @property
    def created_ids(self) -> list[int]:
        return [row.object_id for row in self.rows if row.outcome == NEW]


UNEXPECTED = gettext_lazy(
    "This row could not be saved (an unexpected error). Check it, or import it by hand."
)
UNEXPECTED_WRITE = gettext_lazy(
    "The rows could not be written (an unexpected error, perhaps someone added "
    "the same data meanwhile): nothing was imported. Try the preview again."
)


def _row_errors(resource, row_result) -> list[tuple[str, str]]:
    labels = resource.field_labels
    if row_result.errors:
        for error in row_result.errors:
            logger.warning("Import row failed: %r", error.error)
        return [(_("Row"), str(UNEXPECTED))]
    error = row_result.validation_error
    if error is None:
        return []
    found = []
    for name, messages in error.message_dict.items():
        label = (
            _("Row")
            if name == NON_FIELD_ERRORS
            else str(labels.get(name, name.replace("_", " ")))
        )
        for message in messages:
            if (label, message) not in found:
                found.append((label, message))
    return found


def run_import(resource, mapped: MappedSheet, *, dry_run: bool) -> ImportReport:
    """Run ``resource`` over ``mapped``. The dry run (the preview) writes
    inside a transaction that is always rolled back; the real run is one
    transaction, rolled back as a whole on any row's error (the caller raises
    in its own atomic block when ``report.has_errors``)."""
    with transaction.atomic():
        result = resource.import_data(
            mapped.dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
        )
        if dry_run:
            transaction.set_rollback(True)
    rows = []
    for index, (row_result, values) in enumerate(
        zip(result.rows, mapped.dataset.dict, strict=False), 1
    ):
        line = mapped.lines[index - 1]
        errors = _row_errors(resource, row_result)
        if errors:
            outcome = INVALID
        elif row_result.import_type == row_result.IMPORT_TYPE_SKIP:
            outcome = SKIPPED
        else:
            outcome = NEW
        rows.append(
            RowReport(
                line=line,
                values=dict(values),
                outcome=outcome,
                errors=errors,
                note=resource.skip_notes.get(index, ""),
                object_id=(
                    getattr(resource.saved.get(index), "pk", None)
                    if outcome == NEW
                    else None
                ),
            )
        )
    report = ImportReport(rows=rows, ignored=mapped.ignored)
    for error in result.base_errors:
        logger.warning("Import failed: %r", error.error)
        report.errors.append(str(UNEXPECTED_WRITE))
    return report


# --- Undoing an import ----------------------------------------------------------


@dataclass(frozen=True)
class Blocker:
    """Why ``obj`` cannot be removed: ``reason`` in words."""

    obj: object
    reason: str


def references_to(model, pks: Iterable[int]) -> list[Blocker]:
    """What still points at the objects ``pks`` of ``model``: every foreign
    key and many-to-many of the project towards them (whatever its
    ``on_delete``: removing an object must not take or change anything
    else), one query per relation, whatever the number of objects."""
    pks = set(pks)
    if not pks:
        return []
    counts: dict[int, list[str]] = {}
    relations = [
        (rel.related_model, rel.field.name, rel.related_model._meta)
        for rel in model._meta.related_objects
    ]
    for m2m in model._meta.many_to_many:
        through = m2m.remote_field.through
        relations.append((through, m2m.m2m_field_name(), m2m.related_model._meta))
    for related_model, field_name, meta in relations:
        query = related_model._base_manager.filter(**{f"{field_name}__in": pks})
        if related_model is model:
            query = query.exclude(pk__in=pks)
        found = Counter(query.values_list(field_name, flat=True))
        for pk, number in found.items():
            name = meta.verbose_name if number == 1 else meta.verbose_name_plural
            counts.setdefault(pk, []).append(f"{number} × {name}")
    if not counts:
        return []
    objects = model._base_manager.in_bulk(list(counts))
    return [
        Blocker(
            obj,
            format_lazy(gettext_lazy("still used by: {}"), ", ".join(counts[obj.pk])),
        )
        for obj in objects.values()
    ]
