"""Streamed CSV and XLSX exports: XLSX for spreadsheets, CSV for data tools.

Both writers take an iterable of rows and never hold the whole export in memory: CSV is yielded in
chunks as rows arrive; XLSX is written by xlsxwriter in constant-memory mode to a temporary file that
is then streamed in chunks and deleted.

XLSX (the spreadsheet format, the first button everywhere): cells keep their types (a `date` is a
date cell, a number a number cell with a number format, text a string cell, so an 18-digit NIP given
as text stays text), the header row is frozen and has an autofilter, columns are as wide as their
content, and an optional first sheet (`About`) states the filters, the period, the minimum group rule
and when the file was made. A string in XLSX is never a formula (`strings_to_formulas` is off), so it
is written as it is: no apostrophe.

CSV (for data tools): RFC 4180 (comma, CRLF, quotes doubled), UTF-8 with a BOM, dates as ISO 8601,
dotted decimals. Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter

from portal.i18n import _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMULA_STARTS = frozenset(FORMULA_PREFIXES)  # each one character: the first character decides
HARMLESS = frozenset({"-"})  # a lone dash is no formula in any spreadsheet: written as it is
CHUNK_ROWS = 500
CHUNK_BYTES = 64 * 1024

CSV_MEDIA_TYPE = "text/csv"  # Litestar appends "; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
INT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0#"
MIN_WIDTH, MAX_WIDTH = 8, 60
WIDTH_SAMPLE_ROWS = 2000  # column widths are measured on the first rows (enough to know a column)


def neutralise(value: Any) -> Any:
    """CSV only: text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP advice).

    Numbers stay numbers (a negative number is data, not a formula); a lone "-" stays as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and value not in HARMLESS:
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    """A value as CSV writes it."""
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
    """RFC 4180 CSV in UTF-8 with a BOM (so Excel reads Indonesian text right), yielded every CHUNK_ROWS rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([_cell(h) for h in headers])
    count = 0
    formula_starts = FORMULA_STARTS
    for row in rows:
        # fast path for the common cells (ints, plain text, empty), same output as _cell
        writer.writerow(
            [
                (("'" + v if v[:1] in formula_starts and v != "-" else v) if (t := type(v)) is str else (v if t is int or v is None else _cell(v)))
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


@dataclass(frozen=True)
class About:
    """The first sheet of an XLSX export: a title, then one line per fact (label, value)."""

    title: str
    lines: Sequence[tuple[str, Any]] = field(default_factory=tuple)


def about(
    title: str, made_at: datetime, *, filters: Sequence[tuple[str, Any]] = (), period: str | None = None,
    min_group: int | None = None, anonymous_data: bool = True, notes: Sequence[str] = (),
) -> About:
    """The first sheet's facts: what the export holds, its filters and period, the minimum group rule
    and when it was made (`made_at` in the portal's time zone)."""
    lines: list[tuple[str, Any]] = [(_("Dibuat"), made_at.replace(tzinfo=None))]
    if period:
        lines.append((_("Periode"), period))
    lines.extend(filters)
    if min_group is not None:
        if anonymous_data:
            rule = _(
                "Setiap angka dari survei anonim dihitung atas jumlah tanggapannya sendiri (n) dan tidak ditampilkan "
                "bila n kurang dari %(n)s; sel kosong dengan keterangan di kolom Keterangan."
            ) % {"n": min_group}
        else:
            rule = _("Ukuran kelompok minimum %(n)s berlaku untuk survei anonim; data ini tidak anonim (tercatat per orang).") % {"n": min_group}
        lines.append((_("Aturan kelompok minimum"), rule))
    for note in notes:
        lines.append((_("Catatan"), note))
    return About(title, lines)


class _Formats:
    def __init__(self, workbook: Any) -> None:
        self.header = workbook.add_format({"bold": True, "bg_color": "#E7EEF5", "bottom": 1, "text_wrap": True, "valign": "top"})
        self.title = workbook.add_format({"bold": True, "font_size": 13})
        self.label = workbook.add_format({"bold": True, "valign": "top"})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.date = workbook.add_format({"num_format": DATE_FORMAT, "align": "left"})
        self.datetime = workbook.add_format({"num_format": DATETIME_FORMAT, "align": "left"})
        self.int = workbook.add_format({"num_format": INT_FORMAT})
        self.decimal = workbook.add_format({"num_format": DECIMAL_FORMAT})


def _write(ws: Any, r: int, c: int, value: Any, fmt: _Formats) -> int:
    """Write one typed cell; returns the width its text needs."""
    if value is None or value == "":
        return 0
    t = type(value)
    if t is str:
        ws.write_string(r, c, value)
        return len(value)
    if t is bool:
        ws.write_string(r, c, "Ya" if value else "Tidak")
        return 5
    if t is int:
        ws.write_number(r, c, value, fmt.int)
        return len(f"{value:,}")
    if t is float or t is Decimal:
        ws.write_number(r, c, float(value), fmt.decimal)
        return len(f"{float(value):,.2f}")
    if t is datetime:
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        ws.write_datetime(r, c, value, fmt.datetime)
        return 16
    if t is date:
        ws.write_datetime(r, c, value, fmt.date)
        return 10
    text = str(value)
    ws.write_string(r, c, text)
    return len(text)


def _write_about(workbook: Any, fmt: _Formats, info: About) -> None:
    ws = workbook.add_worksheet(_("Keterangan"))
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 90)
    ws.write_string(0, 0, info.title, fmt.title)
    for r, (label, value) in enumerate(info.lines, start=2):
        ws.write_string(r, 0, label, fmt.label)
        if isinstance(value, str):
            ws.write_string(r, 1, value, fmt.wrap)
        else:
            _write(ws, r, 1, value, fmt)


def _write_sheet(workbook: Any, fmt: _Formats, name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    ws = workbook.add_worksheet(name[:31])
    ws.freeze_panes(1, 0)
    widths = [min(MAX_WIDTH, max(MIN_WIDTH, len(str(h)) + 2)) for h in headers]
    for col, header in enumerate(headers):
        ws.write_string(0, col, str(header), fmt.header)
    last = 0
    for r, row in enumerate(rows, start=1):
        last = r
        if r <= WIDTH_SAMPLE_ROWS:
            for col, value in enumerate(row):
                need = _write(ws, r, col, value, fmt) + 2
                if col < len(widths) and need > widths[col]:
                    widths[col] = min(MAX_WIDTH, need)
        else:
            for col, value in enumerate(row):
                _write(ws, r, col, value, fmt)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    if headers:
        ws.autofilter(0, 0, last, len(headers) - 1)


def xlsx_chunks(headers: Sequence[str], rows: Iterable[Sequence[Any]], sheet: str = "Data", about: About | None = None) -> Iterator[bytes]:
    """An XLSX workbook written in constant-memory mode to a temp file, then streamed and deleted."""
    return xlsx_sheets_chunks([(sheet, headers, rows)], about=about)


def xlsx_sheets_chunks(
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]], about: About | None = None
) -> Iterator[bytes]:
    """A workbook of several sheets (name, headers, rows), each written in turn in constant-memory mode
    (a sheet's rows are read only while it is written), after the `about` sheet when given, then
    streamed and deleted."""
    fd, path = tempfile.mkstemp(prefix="portal-export-", suffix=".xlsx")
    os.close(fd)
    try:
        workbook = xlsxwriter.Workbook(
            path,
            {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        fmt = _Formats(workbook)
        if about is not None:
            _write_about(workbook, fmt, about)
        for sheet, headers, rows in sheets:
            _write_sheet(workbook, fmt, sheet, headers, rows)
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
