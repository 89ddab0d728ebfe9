"""The import pages as HR uses them (SQLite and PostgreSQL): templates download and read back, an upload
becomes a preview that names every rejected row, "Terapkan" needs the choice of only the valid rows when
some are rejected, the history lists each import, and undo asks first."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.models import Employee, ImportBatch
from tests.conftest import DEMO, csrf_token, login, post, text_of

NEW = ["198501012010011003", "199002022015022004"]


def upload(client, kind: str, content: bytes, name: str):  # noqa: ANN001, ANN201
    return client.post(
        f"/data-master/impor/{kind}",
        files={"berkas": (name, content, "application/octet-stream")},
        data={"_csrf_token": csrf_token(client)},
        follow_redirects=False,
    )


def test_the_xlsx_template_has_a_data_sheet_with_headers_and_a_guide(client):
    login(client, DEMO["hr"])
    resp = client.get("/data-master/impor/pegawai/templat/xlsx")
    assert resp.status_code == 200 and "attachment" in resp.headers["content-disposition"]
    book = load_workbook(io.BytesIO(resp.content))
    assert book.sheetnames == ["Data", "Petunjuk"]
    header = [c.value for c in book["Data"][1]]
    assert header[:2] == ["NIP *", "Nama *"]
    guide = [row[0] for row in book["Petunjuk"].iter_rows(min_row=2, values_only=True)]
    assert "NIP Atasan" in guide
    csv = client.get("/data-master/impor/jabatan/templat/csv")
    assert csv.content.startswith("\ufeff".encode()) and b"Kode Jabatan;Nama Jabatan;Kelas Jabatan" in csv.content
    assert b"M1" in csv.content  # one column per competency of the portal


def test_upload_preview_apply_and_history(client, db):
    login(client, DEMO["hr"])
    content = f"NIP;Nama;Kode Unit\n{NEW[0]};Budi Santoso;DINKES\n1.99E+17;Rusak;DINKES\n{NEW[1]};Siti;TIDAK-ADA\n".encode()
    resp = upload(client, "pegawai", content, "pegawai-baru.csv")
    assert resp.status_code == 303
    page = client.get(resp.headers["location"])
    body = text_of(page.text)
    assert "pegawai-baru.csv" in body and "Menunggu ditinjau" in body
    assert "notasi ilmiah" in body and "Kode unit TIDAK-ADA tidak dikenal" in body
    assert "Terapkan hanya 1 baris yang sah" in body
    before = db.execute(select(func.count()).select_from(Employee)).scalar_one()
    batch_url = resp.headers["location"]
    # a plain "Terapkan" of a file with rejected rows is refused and changes nothing
    post(client, batch_url + "/terapkan", {})
    assert "Perbaiki berkasnya lalu unggah lagi" in text_of(client.get(batch_url).text)
    assert db.execute(select(func.count()).select_from(Employee)).scalar_one() == before
    post(client, batch_url + "/terapkan", {"hanya_sah": "1"})
    assert "Impor diterapkan: 1 baru" in text_of(client.get(batch_url).text)
    db.expire_all()
    assert db.execute(select(func.count()).select_from(Employee)).scalar_one() == before + 1
    history = text_of(client.get("/data-master/impor/pegawai").text)
    assert "pegawai-baru.csv" in history and "Diterapkan" in history


def test_undo_asks_first_then_takes_the_import_back(client, db):
    login(client, DEMO["hr"])
    resp = upload(client, "pegawai", f"NIP;Nama\n{NEW[0]};Budi\n".encode(), "satu.csv")
    batch_url = resp.headers["location"]
    post(client, batch_url + "/terapkan", {})
    confirm = client.get(batch_url + "/batalkan")
    assert confirm.status_code == 200 and "Ya, batalkan impor" in confirm.text
    assert db.execute(select(func.count()).select_from(Employee).where(Employee.nip == NEW[0])).scalar_one() == 1
    post(client, batch_url + "/batalkan", {})
    db.expire_all()
    assert db.execute(select(func.count()).select_from(Employee).where(Employee.nip == NEW[0])).scalar_one() == 0
    assert "Dibatalkan" in text_of(client.get(batch_url).text)


def test_a_file_that_cannot_be_read_is_explained_on_the_form_and_nothing_is_recorded(client, db):
    login(client, DEMO["hr"])
    for content, name, message in (
        (b"%PDF-1.7 laporan", "laporan.pdf", "Jenis berkas tidak didukung"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "lama.xls", "kata sandi"),
        (b"Nomor;Nama\n1;Putri\n", "salah.csv", "Kolom wajib tidak ditemukan"),
    ):
        resp = upload(client, "pegawai", content, name)
        assert resp.status_code == 422 and message in text_of(resp.text), name
        assert 'aria-invalid="true"' in resp.text
    empty = client.post("/data-master/impor/pegawai", files={"berkas": ("", b"", "application/octet-stream")}, data={"_csrf_token": csrf_token(client)})
    assert empty.status_code == 422 and "Pilih berkas" in text_of(empty.text)
    assert db.execute(select(func.count()).select_from(ImportBatch)).scalar_one() == 0


def test_a_file_over_the_limit_is_refused_with_a_message(client, settings):
    login(client, DEMO["hr"])
    limit = settings.import_max_mb * 1_048_576
    resp = upload(client, "pegawai", b"NIP;Nama\n" + b"9" * (limit + 10), "besar.csv")
    assert resp.status_code == 422 and "terlalu besar" in text_of(resp.text).lower()


def test_an_unknown_kind_or_another_kinds_batch_is_not_found(client):
    login(client, DEMO["hr"])
    assert client.get("/data-master/impor/gaji").status_code == 404
    resp = upload(client, "unit", b"Kode Unit;Nama Unit\nX1;Unit X\n", "unit.csv")
    batch_id = resp.headers["location"].rsplit("/", 1)[1]
    assert client.get(f"/data-master/impor/pegawai/{batch_id}").status_code == 404
