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
CSV_QUOTED = (",", '"', "\r", "\n")  # what makes the csv module (QUOTE_MINIMAL, excel dialect) quote a cell
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


def csv_text(value: str) -> str:
    """One text cell exactly as `csv_chunks` writes it: neutralised, then quoted (quotes doubled) when it
    holds a comma, a quote or a line break. For cells formatted elsewhere (e.g. by the database)."""
    value = neutralise(value)
    if any(ch in value for ch in CSV_QUOTED):
        return '"' + value.replace('"', '""') + '"'
    return value


def csv_chunks(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM (so Excel reads Indonesian text right), yielded every CHUNK_ROWS rows.

    Rows that come already written as CSV text (an object with a `csv_blocks()` method yielding blocks
    of whole lines, e.g. `report_training.RawRows`, whose cells the database formats with the same
    rules) are passed through, one chunk per block."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([_cell(h) for h in headers])
    blocks = getattr(rows, "csv_blocks", None)
    if blocks is not None:
        head = buffer.getvalue()
        for block in blocks():
            yield (head + block).encode("utf-8") if head else block.encode("utf-8")
            head = ""
        if head:
            yield head.encode("utf-8")
        return
    count = 0
    prefixes = FORMULA_PREFIXES
    for row in rows:
        # fast path for the common cells (ints, plain text, empty), same output as _cell
        writer.writerow(
            [
                ("'" + v if v.startswith(prefixes) else v) if (t := type(v)) is str else (v if t is int or v is None else _cell(v))
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
    fd, path = tempfile.mkstemp(prefix="portal-export-", suffix=".xlsx")
    os.close(fd)
    try:
        workbook = xlsxwriter.Workbook(
            path,
            {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        ws = workbook.add_worksheet(sheet[:31])
        bold = workbook.add_format({"bold": True})
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


class AnswerLayout:
    """The answer columns of a questionnaire's raw export and how one response fills them: a column per
    question in question order (position, then id), a second one for the 'before' value of a
    retrospective item; choice answers written with their option labels. `questions` are objects with
    `id`, `kind`, `options` (labels) and `retrospective`, in column order (`QuestionDef` of a survey's
    structure, or the raw export's `QuestionStat`).

    The same rules serve the XLSX rows of a raw export (lists of values) and the CSV text of a
    response's answers written at submit time (`csv_cells`), so both always agree."""

    def __init__(self, questions: Sequence[Any]) -> None:
        self.col: dict[int, int] = {}
        self.before_col: dict[int, int] = {}
        self.labels: dict[int, tuple[str, ...]] = {}  # column -> option labels (single/multi choice)
        self.multi: set[int] = set()
        width = 0
        for q in questions:
            self.col[q.id] = width
            if q.kind in ("single", "multi") and q.options:
                self.labels[width] = tuple(q.options)
                if q.kind == "multi":
                    self.multi.add(width)
            width += 1
            if q.retrospective:
                self.before_col[q.id] = width
                width += 1
        self.width = width

    def values(self, answers: Iterable[tuple[int, Any, Any, Any]]) -> list[Any]:
        """One response's answer columns from its answers (question id, value_num, value_before,
        value_text), unlabelled; answers to questions not in the layout are left out."""
        values: list[Any] = [None] * self.width
        for q_id, num, before, text in answers:
            i = self.col.get(q_id)
            if i is None:
                continue
            values[i] = num if num is not None else text
            j = self.before_col.get(q_id)
            if j is not None:
                values[j] = before
        return values

    def label(self, values: list[Any]) -> list[Any]:
        """Choice answers replaced by their option labels, in place: a single choice's stored index (when
        it is one), a multi choice's stored list of indexes ("0,2" -> "A; C"; an index without a label
        stays a number, anything not a number is dropped)."""
        for i, options in self.labels.items():
            v = values[i]
            if v is None:
                continue
            if i in self.multi:
                values[i] = "; ".join(options[int(p)] if int(p) < len(options) else p for p in str(v).split(",") if p.isdigit())
            elif type(v) is int and 0 <= v < len(options):
                values[i] = options[v]
        return values

    def csv_cells(self, answers: Iterable[tuple[int, Any, Any, Any]]) -> str:
        """The response's answer columns as CSV text, exactly as `csv_chunks` writes them in a row."""
        return ",".join("" if v is None else csv_text(v) if type(v) is str else str(v) for v in self.label(self.values(answers)))
