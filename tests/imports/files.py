"""Spreadsheets for the import tests: CSV written here, and XLSX and ODS made
from a CSV by the real client, LibreOffice headless, once per test module."""

import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SOFFICE_TIMEOUT = 120

needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed: "
    "apt-get install libreoffice-calc-nogui",
)


def csv_bytes(rows, *, separator=";", encoding="utf-8") -> bytes:
    """Rows of cells as a CSV (cells must not need quoting)."""
    text = "\r\n".join(separator.join(cells) for cells in rows) + "\r\n"
    return text.encode(encoding)


def convert(csv_data: bytes, workdir: Path, name: str, formats=("xlsx", "ods")):
    """``csv_data`` (UTF-8, ";") opened and saved by LibreOffice in each format:
    {format: bytes}. The CSV filter says: separator ";", UTF-8, first line
    read as text like the others, formulas evaluated (so that « =1+1 » becomes
    a formula cell, as in a real spreadsheet)."""
    workdir.mkdir(parents=True, exist_ok=True)
    source = workdir / f"{name}.csv"
    source.write_bytes(csv_data)
    made = {}
    for export_format in formats:
        subprocess.run(
            [
                SOFFICE,
                "--headless",
                f"-env:UserInstallation=file://{workdir / 'profile'}",
                "--infilter=CSV:59,34,76,1,,0,false,false,false,false,false,-1,true",
                "--convert-to",
                export_format,
                "--outdir",
                str(workdir),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=SOFFICE_TIMEOUT,
        )
        made[export_format] = (workdir / f"{name}.{export_format}").read_bytes()
    return made
