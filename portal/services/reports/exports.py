"""Streamed CSV and XLSX exports, safe against spreadsheet formula injection.

Both writers take an iterable of rows and never hold the whole export in memory: CSV is yielded in
chunks as rows arrive; XLSX is written by xlsxwriter in constant-memory mode to a temporary file that
is then streamed in chunks and deleted.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMULA_STARTS = frozenset(FORMULA_PREFIXES)  # each one character: the first character decides
CHUNK_ROWS = 500
CHUNK_BYTES = 64 * 1024

CSV_MEDIA_TYPE = "text/csv"  # Litestar appends "; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP advice).

    Numbers stay numbers (a negative number is data, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))


def csv_chunks(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM (so Excel reads Indonesian text right), yielded every CHUNK_ROWS rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([_cell(h) for h in headers])
    count = 0
    formula_starts = FORMULA_STARTS
    for row in rows:
        # fast path for the common cells (ints, plain text, empty), same output as _cell
        writer.writerow(
            [
                ("'" + v if v[:1] in formula_starts else v) if (t := type(v)) is str else (v if t is int or v is None else _cell(v))
                for v in row
            ]
        )
        count += 1
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate(0)
    tail = buffer.getvalue()
    if tail:
        yield tail.encode("utf-8")


def xlsx_chunks(headers: Sequence[str], rows: Iterable[Sequence[Any]], sheet: str = "Data") -> Iterator[bytes]:
    """An XLSX workbook written in constant-memory mode to a temp file, then streamed and deleted."""
    return xlsx_sheets_chunks([(sheet, headers, rows)])


def xlsx_sheets_chunks(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> Iterator[bytes]:
    """A workbook of several sheets (name, headers, rows), each written in turn in constant-memory mode
    (a sheet's rows are read only while it is written), then streamed and deleted."""
    fd, path = tempfile.mkstemp(prefix="portal-export-", suffix=".xlsx")
    os.close(fd)
    try:
        workbook = xlsxwriter.Workbook(
            path,
            {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        bold = workbook.add_format({"bold": True})
        for sheet, headers, rows in sheets:
            ws = workbook.add_worksheet(sheet[:31])
            for col, header in enumerate(headers):
                ws.write_string(0, col, str(_cell(header)), bold)
            for r, row in enumerate(rows, start=1):
                for col, value in enumerate(row):
                    v = _cell(value)
                    if isinstance(v, (int, float)) and not isinstance(v, bool):
                        ws.write_number(r, col, v)
                    else:
                        ws.write_string(r, col, str(v))
        workbook.close()
        with open(path, "rb") as fh:
            while chunk := fh.read(CHUNK_BYTES):
                yield chunk
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass


def filename(stem: str, extension: str, today: date) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in stem.lower()).strip("-")
    return f"{safe}-{today.isoformat()}.{extension}"


def rounded(value: float | None, digits: int = 1) -> float | None:
    """A figure as the exports write it: rounded, or an empty cell."""
    return None if value is None else round(value, digits)
