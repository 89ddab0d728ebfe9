"""Export writers: formula injection neutralised, Indonesian headers kept, streamed in chunks."""

from __future__ import annotations

import csv
import io
import tracemalloc
from datetime import date

from openpyxl import load_workbook

from portal.services.reports import exports

DANGEROUS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "<script>alert(1)</script>"]


def test_neutralise_prefixes_formula_starts_only():
    assert exports.neutralise('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    for value in DANGEROUS[:6]:
        assert exports.neutralise(value).startswith("'")
    assert exports.neutralise("Materi bagus") == "Materi bagus"
    assert exports.neutralise(-3) == -3  # numbers are data


def test_csv_neutralises_and_keeps_text():
    data = b"".join(exports.csv_chunks(["Nama", "Komentar"], [[f"r{i}", v] for i, v in enumerate(DANGEROUS)]))
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Nama", "Komentar"]
    comments = [r[1] for r in rows[1:]]
    for original, written in zip(DANGEROUS, comments, strict=True):
        if original.startswith(exports.FORMULA_PREFIXES):
            assert written == "'" + original
        else:
            assert written == original
    # the script tag is plain text in a CSV: it is escaped where it is rendered (HTML), not here
    assert "<script>alert(1)</script>" in comments


def test_xlsx_cells_are_strings_not_formulas_and_carry_no_apostrophe(tmp_path):
    path = tmp_path / "x.xlsx"
    values = [*DANGEROUS, "-"]
    path.write_bytes(b"".join(exports.xlsx_chunks(["Nama", "Komentar", "Nilai"], [[f"r{i}", v, i] for i, v in enumerate(values)])))
    wb = load_workbook(path)
    ws = wb.active
    assert [c.value for c in ws[1]] == ["Nama", "Komentar", "Nilai"]
    for row, original in zip(ws.iter_rows(min_row=2), values, strict=True):
        cell = row[1]
        assert cell.data_type == "s"  # a string cell: a spreadsheet never runs it
        # written as it is (the CSV guard's apostrophe is not needed here); openpyxl shows a CR as Excel escapes it
        assert cell.value == original.replace("\r", "_x000D_")
        assert row[2].data_type == "n"


def test_a_lone_dash_is_written_as_it_is_in_csv():
    text = b"".join(exports.csv_chunks(["Jawaban"], [["-"], ["-1+2"]])).decode("utf-8-sig")
    assert text == "Jawaban\r\n-\r\n'-1+2\r\n"


def test_csv_is_streamed_in_bounded_chunks():
    def rows():
        for i in range(50_000):
            yield [i, f"Pegawai {i}", "Komentar yang cukup panjang untuk mengisi baris " * 2]

    tracemalloc.start()
    chunks = 0
    biggest = 0
    for chunk in exports.csv_chunks(["No", "Nama", "Komentar"], rows()):
        chunks += 1
        biggest = max(biggest, len(chunk))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert chunks >= 50_000 // exports.CHUNK_ROWS
    assert biggest < 200_000
    assert peak < 5 * 1024 * 1024  # the whole export would be ~6 MB


def test_xlsx_memory_stays_flat():
    def rows(n):
        for i in range(n):
            yield [i, f"Pegawai {i}", "Komentar"]

    def peak_for(n):
        tracemalloc.start()
        for _ in exports.xlsx_chunks(["No", "Nama", "Komentar"], rows(n)):
            pass
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return peak

    small, large = peak_for(2_000), peak_for(50_000)
    assert large < small * 3 + 2 * 1024 * 1024


def test_filename_has_the_date():
    assert exports.filename("Kepatuhan JP", "csv", date(2026, 11, 28)) == "kepatuhan-jp-2026-11-28.csv"
