"""Reading what HR uploads: every way Excel, a provider's system or a wrong click can mangle a file or a
cell ends in a clear Indonesian message or the right value, never a silent wrong value or a 500."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from portal.services.imports import cells
from portal.services.imports.employees import EmployeeImport, golongan
from portal.services.imports.reading import ImportFileError, read

TODAY = date(2026, 12, 7)
COLUMNS = EmployeeImport.columns
MB = 1_048_576


def xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rows_of(content: bytes, filename: str = "pegawai.csv") -> list[tuple[int, dict]]:
    return list(read(content, filename, COLUMNS, 10 * MB).rows)


# --------------------------------------------------------------------------- NIP


@pytest.mark.parametrize("value", [" 199706112020122026 ", "'199706112020122026", "199706112020122026\u00a0", "1997 0611 2020 12 2 026"])
def test_a_nip_with_spaces_or_a_text_mark_is_cleaned(value):
    assert cells.nip(value, TODAY) == "199706112020122026"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (199706112020122026, "tersimpan sebagai angka"),
        (1.99706112020122e17, "tersimpan sebagai angka"),
        ("1.99706E+17", "notasi ilmiah"),
        ("1,99706E+17", "notasi ilmiah"),
        ("19970611202012202", "harus 18 angka"),
        ("19970611202012202X", "harus 18 angka"),
        ("199702302020122026", "tanggal lahir"),
        ("199706112020132026", "bulan pengangkatan"),
        ("199706112010122026", "tidak cocok dengan tanggal lahir"),
        ("199706112030122026", "tidak cocok dengan tanggal lahir"),
        ("199706112020123026", "jenis kelamin"),
        ("199706112020122000", "nomor urut"),
        ("", "wajib"),
        ("=A1", "rumus"),
    ],
)
def test_a_nip_that_excel_or_a_typist_broke_is_refused_with_the_reason(value, message):
    with pytest.raises(cells.CellError) as refused:
        cells.nip(value, TODAY)
    assert message in refused.value.message.lower()


# --------------------------------------------------------------------------- dates, numbers, choices


@pytest.mark.parametrize(
    "value",
    [
        "2027-03-15", "15/03/2027", "15-03-2027", "15.03.2027", "15 Maret 2027", "15 maret 2027", "15 Mar 2027", "15-Mar-2027",
        "Senin, 15 Maret 2027", "15 March 2027", 46461, 46461.0, "46461", datetime(2027, 3, 15, 0, 0), date(2027, 3, 15),
    ],
)
def test_dates_in_every_form_hr_writes_them(value):
    assert cells.day(value) == date(2027, 3, 15)


@pytest.mark.parametrize(("value", "message"), [("31/02/2027", "tidak ada di kalender"), ("besok", "tidak dikenali"), ("15 Marett 2027", "tidak dikenali"), (46461.5, "bukan tanggal"), (12, "bukan tanggal")])
def test_a_date_that_is_not_one_is_refused(value, message):
    with pytest.raises(cells.CellError) as refused:
        cells.day(value)
    assert message in refused.value.message.lower()


@pytest.mark.parametrize(("value", "number"), [("2.500.000", 2500000), ("Rp 2.500.000", 2500000), ("32", 32), (32.0, 32), ("32,00", 32), (" 7 ", 7)])
def test_whole_numbers_with_indonesian_separators(value, number):
    assert cells.whole_number(value) == number


@pytest.mark.parametrize("value", ["3,5", 3.5, "tiga", "=B2*2", True])
def test_a_number_that_is_not_whole_is_refused(value):
    with pytest.raises(cells.CellError):
        cells.whole_number(value)


@pytest.mark.parametrize(("value", "expected"), [("Ya", True), ("tidak", False), ("Nonaktif", False), ("1", True), (0, False), (1.0, True), ("", True), (None, True)])
def test_yes_no(value, expected):
    assert cells.yes_no(value) is expected


@pytest.mark.parametrize(("value", "expected"), [("III/a", "III/a"), ("iii a", "III/a"), ("IIIa", "III/a"), ("IV/E", "IV/e"), ("IX", "IX"), ("", None)])
def test_golongan(value, expected):
    assert golongan(value) == expected


def test_unknown_golongan_is_refused():
    with pytest.raises(cells.CellError):
        golongan("V/a")


def test_a_phone_number_that_excel_made_a_number_gets_its_leading_zero_back():
    assert cells.phone(81234567890) == "081234567890"
    assert cells.phone("+62 812-3456-7890") == "+6281234567890"
    with pytest.raises(cells.CellError):
        cells.phone("12")


def test_text_cells_are_trimmed_and_formulas_refused():
    assert cells.text("  Putri   Wulandari\u00a0", 200) == "Putri Wulandari"
    with pytest.raises(cells.CellError) as refused:
        cells.text('=CONCATENATE("a","b")', 200)
    assert "rumus" in refused.value.message
    with pytest.raises(cells.CellError):
        cells.text("x" * 201, 200)


# --------------------------------------------------------------------------- files


def test_csv_with_commas_semicolons_bom_and_windows_1252():
    comma = "NIP,Nama\n199706112020122026,Putri Wulandari\n".encode()
    semicolon = "\ufeffNIP;Nama;Email\r\n199706112020122026;Ir. Ségolène;\r\n".encode()
    cp1252 = "NIP;Nama\r\n199706112020122026;Ségolène Pangaribuan\r\n".encode("cp1252")
    assert rows_of(comma) == [(2, {"nip": "199706112020122026", "name": "Putri Wulandari"})]
    assert rows_of(semicolon) == [(2, {"nip": "199706112020122026", "name": "Ir. Ségolène", "email": ""})]
    assert rows_of(cp1252)[0][1]["name"] == "Ségolène Pangaribuan"


def test_empty_rows_are_skipped_and_row_numbers_are_those_excel_shows():
    content = "NIP;Nama\n199706112020122026;A\n;\n\n197905052006042006;B\n".encode()
    assert [n for n, _row in rows_of(content)] == [2, 5]


def test_extra_columns_are_ignored_and_named_and_headers_are_matched_loosely():
    sheet = read("nip baru;NAMA LENGKAP;Kode_Unit (wajib);Catatan HR\n199706112020122026;A;DINKES;x\n".encode(), "p.csv", COLUMNS, MB)
    assert set(sheet.positions) == {"nip", "name", "unit_code"}
    assert sheet.ignored_headers == ["Catatan HR"]


def test_the_data_sheet_is_found_even_when_it_is_not_the_first():
    content = xlsx({"Catatan": [["Daftar pegawai 2027"], ["disusun oleh BKPSDM"]], "Pegawai": [["Judul laporan"], ["NIP", "Nama"], ["199706112020122026", "Putri"]]})
    sheet = read(content, "pegawai.xlsx", COLUMNS, MB)
    assert sheet.sheet_name == "Pegawai"
    assert list(sheet.rows) == [(3, {"nip": "199706112020122026", "name": "Putri"})]


def test_a_workbook_without_the_required_columns_says_which_are_needed():
    with pytest.raises(ImportFileError) as refused:
        read(xlsx({"Sheet1": [["Nomor", "Nama"], ["1", "Putri"]]}), "salah.xlsx", COLUMNS, MB)
    assert "NIP" in refused.value.message and "Nama" in refused.value.message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "kosong"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "kata sandi"),
        (b"PK\x03\x04" + b"rusak" * 50, "rusak"),
        (b"%PDF-1.7\n...", "tidak didukung"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "tidak didukung"),
    ],
)
def test_files_that_cannot_be_read_say_why(content, message):
    with pytest.raises(ImportFileError) as refused:
        read(content, "berkas.xlsx", COLUMNS, MB)
    assert message in refused.value.message


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("dokumen.txt", "bukan excel")
    with pytest.raises(ImportFileError) as refused:
        read(out.getvalue(), "x.xlsx", COLUMNS, MB)
    assert "rusak" in refused.value.message


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    with pytest.raises(ImportFileError) as refused:
        read(b"NIP;Nama\n" + b"x" * (2 * MB), "besar.csv", COLUMNS, MB)
    assert "terlalu besar" in refused.value.message.lower()


def test_xlsx_cells_keep_their_types_for_the_cell_parsers():
    content = xlsx({"Data": [["NIP", "Nama", "Telepon"], [199706112020122026, "Putri", 81234567890]]})
    (_n, row), = list(read(content, "p.xlsx", COLUMNS, MB).rows)
    assert isinstance(row["nip"], (int, float))  # a number: the NIP parser refuses it (Excel rounded it)
    with pytest.raises(cells.CellError):
        cells.nip(row["nip"], TODAY)
    assert cells.phone(row["phone"]) == "081234567890"
