"""Exports HR hands to the head of region (issue 16), on SQLite and PostgreSQL: EVERY XLSX export opens
with openpyxl, starts with a "Keterangan" sheet (filters, period, minimum group rule, when it was made),
has a frozen header with an autofilter, and typed cells (dates are dates, numbers are numbers, a NIP is
a string of 18 digits, no leading apostrophe); every CSV is RFC 4180 UTF-8 with a BOM and never holds a
sentence in a numeric column. Print views (A4) show the agency's name and logo from the settings."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from litestar.testing import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from portal.models import Questionnaire, Training
from tests.conftest import DEMO, login

NIP = re.compile(r"^\d{18}$")
# what the columns of the exports must hold, by header (a header not named here may hold anything)
DATE_HEADERS = {"Mulai", "Selesai", "Dibuka", "Batas waktu", "Jatuh tempo penilaian"}
NUMBER_HEADERS = {
    "JP", "Peserta", "JP diberikan", "Diundang survei L1", "Mengisi survei L1", "Tingkat respons (%)", "Indeks kepuasan (0–100)",
    "NPS", "Promotor", "Pasif", "Detraktor", "Indeks dampak L3 (0–100)", "Jumlah skor dampak", "Tahun", "JP diperoleh",
    "Kekurangan JP (target 20)", "Pegawai", "Penilaian diri terkirim", "Belum mengirim", "Penilaian atasan terkirim",
    "Orang dinilai (n)", "Rata-rata gap", "Di bawah standar (orang)", "Dinilai atasan", "Indeks dampak (0–100)",
    "Pelatihan (jumlah)", "Biaya (Rp)", "Biaya per JP (Rp)", "Biaya per poin dampak (Rp)", "Jumlah", "Persen (%)", "n",
    "Rata-rata", "Indeks (0–100)", "Alumni dinilai", "Peserta dengan biaya", "Pelatihan tanpa biaya tercatat",
}


def exports_of(db) -> list[str]:
    """Every export URL of the app with data behind it (without the format)."""
    training = db.execute(select(Training.id).order_by(Training.ends_on.desc())).scalars().first()
    attributed = db.execute(select(Questionnaire.id).where(Questionnaire.anonymous.is_(False), Questionnaire.purpose == "reaction")).scalars().first()
    urls = [
        "/laporan/ekspor/{fmt}?periode=2025",
        "/laporan/ekspor/{fmt}?periode=2026",
        f"/laporan/pelatihan/{training}/ekspor/{{fmt}}",
        "/laporan/jp/ekspor/{fmt}?periode=2026",
        "/laporan/respons/ekspor/{fmt}?periode=2026&status=semua",
        "/laporan/respons/ekspor/{fmt}?periode=2026&jenis=l3&status=semua",
        "/laporan/penyelenggara/ekspor/{fmt}?periode=2026",
        "/akpk/kesenjangan/ekspor/{fmt}",
        "/dampak/ekspor/{fmt}",
    ]
    if attributed is not None:
        urls.append(f"/laporan/jawaban/{{fmt}}?kuesioner={attributed}&periode=2026")
    return urls


def open_xlsx(content: bytes, tmp_path) -> Any:
    path = tmp_path / "e.xlsx"
    path.write_bytes(content)
    return load_workbook(path)  # not read-only: types, formats, panes and filters are known


def check_sheet(ws, url: str) -> int:
    """The data sheet's promises; returns the number of rows checked."""
    header = [c.value for c in ws[1]]
    assert all(isinstance(h, str) and h for h in header), (url, header)
    assert ws.freeze_panes == "A2", url
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), url
    assert ws.column_dimensions["A"].width and ws.column_dimensions["A"].width >= 8, url
    rows = 0
    for row in ws.iter_rows(min_row=2):
        rows += 1
        for name, cell in zip(header, row, strict=False):
            value = cell.value
            assert cell.data_type != "f", (url, name, value)
            if value is None:
                continue
            if isinstance(value, str):
                assert not value.startswith("'"), (url, name, value)  # no CSV formula guard in XLSX
            if name == "NIP":
                assert isinstance(value, str) and NIP.match(value), (url, value)
            elif name in DATE_HEADERS:
                assert isinstance(value, datetime) and cell.is_date, (url, name, value)
            elif name in NUMBER_HEADERS:
                assert isinstance(value, (int, float)) and not isinstance(value, bool), (url, name, value)
                assert cell.number_format != "General", (url, name)
    return rows


@pytest.fixture
def hr_client(client):
    login(client, DEMO["hr"])
    return client


def test_every_xlsx_export_has_a_first_sheet_and_typed_cells(hr_client, db, tmp_path):
    checked = 0
    for url in exports_of(db):
        resp = hr_client.get(url.format(fmt="xlsx"))
        assert resp.status_code == 200, (url, resp.text[:300])
        book = open_xlsx(resp.content, tmp_path)
        about = book.worksheets[0]
        assert about.title == "Keterangan", url
        labels = {row[0].value: row[1].value for row in about.iter_rows(min_row=3) if row[0].value}
        assert isinstance(labels["Dibuat"], datetime), url
        assert "Aturan kelompok minimum" in labels, url
        assert len(book.worksheets) >= 2, url
        for ws in book.worksheets[1:]:
            checked += check_sheet(ws, url)
    assert checked > 50  # the demo data fills them


def test_every_csv_export_is_rfc4180_utf8_with_bom_and_numeric_columns_hold_numbers(hr_client, db):
    for url in exports_of(db):
        resp = hr_client.get(url.format(fmt="csv"))
        assert resp.status_code == 200, url
        assert resp.content.startswith(b"\xef\xbb\xbf"), url
        text = resp.content.decode("utf-8")[1:]
        assert "\r\n" in text and not re.search(r"(?<!\r)\n(?=[^\"]*$)", text.splitlines(keepends=True)[0]), url
        rows = list(csv.reader(io.StringIO(text, newline="")))
        header = rows[0]
        for row in rows[1:]:
            for name, value in zip(header, row, strict=False):
                if name in NUMBER_HEADERS and value:
                    float(value)  # a number, never a note
                if name == "NIP" and value:
                    assert NIP.match(value), (url, value)


def test_export_pages_put_xlsx_first_and_say_how_csv_keeps_the_nip(hr_client):
    for page in ("/laporan?periode=2026", "/laporan/jp?periode=2026", "/laporan/respons?periode=2026", "/akpk/kesenjangan",
                 "/dampak", "/laporan/penyelenggara?periode=2026"):
        html = hr_client.get(page).text
        xlsx, csv_ = html.find("/xlsx"), html.find("/csv")
        assert 0 < xlsx < csv_, page
        assert "UTF-8 dengan BOM" in html, page
    assert "atur kolom NIP sebagai Teks" in hr_client.get("/laporan/jp?periode=2026").text


PRINT_VIEWS = ["/laporan/cetak?periode=2026", "/laporan/jp/cetak?periode=2026", "/akpk/kesenjangan/cetak", "/dampak/cetak",
               "/laporan/penyelenggara/cetak?periode=2026"]


def test_print_views_show_the_agency_and_hide_no_figure(hr_client, db):
    training = db.execute(select(Training.id)).scalars().first()
    for url in [*PRINT_VIEWS, f"/laporan/pelatihan/{training}/cetak"]:
        resp = hr_client.get(url)
        assert resp.status_code == 200, url
        assert 'class="print-agency">BKPSDM<' in resp.text, url
        assert "print-logo" not in resp.text  # no logo configured
        assert "dicetak" in resp.text and "print-hint no-print" in resp.text


def test_print_views_use_the_configured_agency_name_and_logo(settings):
    from portal.app import create_app

    configured = replace(settings, agency_name="BKPSDM Kota Contoh", agency_logo="img/logo-contoh.svg")
    with TestClient(create_app(configured), base_url="http://testserver.local") as c:
        login(c, DEMO["hr"])
        for url in PRINT_VIEWS:
            html = c.get(url).text
            assert 'class="print-agency">BKPSDM Kota Contoh<' in html, url
            assert re.search(r'<img class="print-logo" src="/static/img/logo-contoh.svg\?v=\w+"', html), url


def test_agency_settings_come_from_the_environment_and_the_logo_must_be_a_static_file():
    from portal.settings import Settings, SettingsError

    plain = Settings.from_env({})
    assert (plain.agency_name, plain.agency_logo) == ("BKPSDM", "")
    configured = Settings.from_env({"PORTAL_AGENCY_NAME": " BKPSDM Kota Contoh ", "PORTAL_AGENCY_LOGO": "static/img/logo-contoh.svg"})
    assert (configured.agency_name, configured.agency_logo) == ("BKPSDM Kota Contoh", "img/logo-contoh.svg")
    for wrong in ("img/tidak-ada.png", "../pyproject.toml", "img/../../pyproject.toml"):
        with pytest.raises(SettingsError, match="PORTAL_AGENCY_LOGO"):
            Settings.from_env({"PORTAL_AGENCY_LOGO": wrong})


def test_the_jp_print_view_has_no_live_links_to_a_list_it_does_not_hold(hr_client):
    """The JP page sorts and pages its list in place (htmx into #jp-hasil); its print view has no such
    element, so it shows the column names as text and no page links."""
    page = hr_client.get("/laporan/jp?periode=2026").text
    printed = hr_client.get("/laporan/jp/cetak?periode=2026").text
    assert 'data-hx-target="#jp-hasil"' in page and 'class="sort-link"' in page
    assert 'data-hx-target="#jp-hasil"' not in printed and 'class="sort-link"' not in printed
    assert 'class="pagination"' not in printed
