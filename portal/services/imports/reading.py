"""An uploaded file into a header and a stream of rows, whatever Excel or a provider's system made of it.

Accepted: XLSX (read-only, cached values of formulas: what HR sees in Excel) and CSV (comma, semicolon
or tab; UTF-8 with or without BOM, else Windows-1252). Refused with a clear message, never a 500: an
empty file, a file over the size limit, an old .xls or a password-protected workbook (both are OLE
files), a corrupt XLSX, any other type (PDF, images, Word), a workbook with no sheet that has the
required columns. Rows stream one at a time (constant memory for the reader); fully empty rows are
skipped; the row number is the one HR sees in Excel (the header row counts).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from portal.i18n import _

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
BINARY_MAGICS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")
HEADER_SEARCH_ROWS = 10
DATA_SHEET = "Data"


class ImportFileError(ValueError):
    """The whole file cannot be read; `message` says why and what to do, in Indonesian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    """A column of an import kind: its key, its header in the template, other headers accepted for it
    (e.g. from a SIASN export), whether it is required, and its help text for the template."""

    key: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""
    example: str = ""

    @property
    def names(self) -> set[str]:
        return {normal_header(n) for n in (self.key, self.header, *self.aliases)}


@dataclass
class Sheet:
    """What was found in the file: its format, the sheet used, the column of each key, the headers
    that were ignored, and the rows (row number, {key: raw value})."""

    file_format: str  # "xlsx" | "csv"
    sheet_name: str | None
    positions: dict[str, int]
    ignored_headers: list[str]
    rows: Iterator[tuple[int, dict[str, Any]]] = field(repr=False)


def normal_header(name: object) -> str:
    """Header text compared loosely: case, spaces, underscores, a trailing '*' (required marker) and
    parenthesised hints do not matter."""
    raw = str(name or "").replace("\u00a0", " ").strip().lower()
    raw = re.sub(r"\(.*?\)", "", raw).replace("*", "")
    return " ".join(raw.replace("_", " ").replace("-", " ").split())


def read(content: bytes, filename: str, columns: list[Column], max_bytes: int) -> Sheet:
    """Open `content` (the uploaded bytes) as XLSX or CSV and locate the columns; raises ImportFileError."""
    if not content:
        raise ImportFileError(_("Berkas kosong."))
    if len(content) > max_bytes:
        raise ImportFileError(
            _("Berkas terlalu besar (%(a)s MB; paling besar %(b)s MB). Bagi menjadi beberapa berkas.")
            % {"a": f"{len(content) / 1_048_576:.1f}".replace(".", ","), "b": max_bytes // 1_048_576}
        )
    if content.startswith(OLE_MAGIC):
        raise ImportFileError(
            _("Berkas ini berformat Excel lama (.xls) atau dilindungi kata sandi. Buka di Excel, hapus kata sandinya bila ada, lalu simpan sebagai .xlsx.")
        )
    if content.startswith(ZIP_MAGIC):
        return _read_xlsx(content, columns)
    if content.startswith(BINARY_MAGICS) or b"\x00" in content[:4096]:
        raise ImportFileError(_("Jenis berkas tidak didukung. Unggah berkas .xlsx atau .csv (unduh templatnya di halaman ini)."))
    return _read_csv(content, columns)


def _locate(header: list[object], columns: list[Column]) -> tuple[dict[str, int], list[str]] | None:
    """The position of each column in a header row, or None when a required one is missing."""
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        normal = normal_header(name)
        if not normal:
            continue
        match = next((c.key for c in columns if normal in c.names and c.key not in positions), None)
        if match is None:
            ignored.append(str(name).strip())
        else:
            positions[match] = index
    if any(c.required and c.key not in positions for c in columns):
        return None
    return positions, ignored


def _missing_message(columns: list[Column]) -> str:
    required = ", ".join(c.header for c in columns if c.required)
    return _("Kolom wajib tidak ditemukan. Baris judul harus memuat: %(c)s. Gunakan templat dari halaman ini.") % {"c": required}


def _rows(values: Iterator[tuple[object, ...]], first_number: int, positions: dict[str, int]) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, row in enumerate(values, start=first_number):
        if not any(v is not None and str(v).strip() for v in row):
            continue
        yield number, {key: (row[i] if i < len(row) else None) for key, i in positions.items()}


def _read_xlsx(content: bytes, columns: list[Column]) -> Sheet:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError):
        raise ImportFileError(_("Berkas Excel ini rusak atau bukan .xlsx yang sah. Simpan ulang dari Excel sebagai .xlsx lalu unggah lagi.")) from None
    sheets = sorted(book.worksheets, key=lambda ws: ws.title.strip().lower() != DATA_SHEET.lower())
    for ws in sheets:
        try:
            head = list(ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True))
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError):
            raise ImportFileError(_("Berkas Excel ini rusak atau bukan .xlsx yang sah. Simpan ulang dari Excel sebagai .xlsx lalu unggah lagi.")) from None
        for offset, header in enumerate(head):
            found = _locate(list(header), columns)
            if found is not None:
                positions, ignored = found
                header_number = offset + 1
                values = ws.iter_rows(min_row=header_number + 1, values_only=True)
                return Sheet("xlsx", ws.title, positions, ignored, _closing(_rows(values, header_number + 1, positions), book))
    book.close()
    raise ImportFileError(_missing_message(columns))


def _closing(rows: Iterator[tuple[int, dict[str, Any]]], book: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        yield from rows
    finally:
        book.close()


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _read_csv(content: bytes, columns: list[Column]) -> Sheet:
    text = _decode(content)
    lines = text.splitlines()
    for offset, line in enumerate(lines[:HEADER_SEARCH_ROWS]):
        if not line.strip():
            continue
        delimiter = _delimiter(line)
        header = next(csv.reader([line], delimiter=delimiter))
        found = _locate(list(header), columns)
        if found is not None:
            positions, ignored = found
            reader = csv.reader(io.StringIO(text), delimiter=delimiter)
            for _skip in range(offset + 1):
                next(reader, None)
            values = (tuple(r) for r in reader)
            return Sheet("csv", None, positions, ignored, _rows(values, offset + 2, positions))
    raise ImportFileError(_missing_message(columns))
