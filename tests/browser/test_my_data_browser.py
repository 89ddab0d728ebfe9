"""Real Chromium (360 px) against the live server with the demo data: an employee opens Data Saya from the
header, downloads everything as JSON (read back: the sections, their own NIP) and as XLSX, sends a
correction request (first without what is wrong: the error next to the field, what was typed kept), and
HR sees it as a task on Beranda, opens it and marks it handled with a reply the employee then reads.
Nothing scrolls sideways. Works on Fransiskus Sihombing, whom no other test uses."""

from __future__ import annotations

import json
import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.conftest import DEMO, browser_login

FRANSISKUS = "Fransiskus Sihombing, A.Md.Kep."
FRANSISKUS_NIP = "199107192015031024"
WRONG = "Golongan saya tertulis II/c"
RIGHT = "Golongan saya III/a sejak April 2024"
REPLY = "Golongan sudah dibetulkan di Data Master."


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_employee_downloads_their_data_and_asks_for_a_correction_that_hr_handles(page, tmp_path):
    browser_login(page, FRANSISKUS_NIP)
    page.get_by_role("link", name="Data Saya").click()
    page.wait_for_url("**/data-saya")
    expect(page.locator("h1")).to_have_text("Data Saya")
    expect(page.locator("#profil")).to_contain_text(FRANSISKUS_NIP)
    expect(page.locator("#anonim")).to_contain_text("Jawaban survei anonim tidak tampil di sini")
    assert no_horizontal_scroll(page), "Data Saya scrolls sideways at 360 px"

    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh semua data (JSON)").click()
    saved = tmp_path / "data-saya.json"
    download.value.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["profil"]["NIP"] == FRANSISKUS_NIP and data["profil"]["Nama"] == FRANSISKUS
    for key in ("akpk", "survei", "jawaban_survei", "penerapan", "dampak", "jp", "riwayat_masuk", "akses", "koreksi"):
        assert isinstance(data[key], list), key
    assert any(r["Kejadian"] == "Masuk" for r in data["riwayat_masuk"])

    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh semua data (XLSX)").click()
    book_path = tmp_path / "data-saya.xlsx"
    download.value.save_as(book_path)
    book = load_workbook(book_path, read_only=True)
    assert {"Tentang", "Profil", "Penilaian kompetensi", "Riwayat JP", "Riwayat masuk"} <= set(book.sheetnames)
    book.close()

    page.select_option("#bagian", "profile")
    page.fill("#seharusnya", RIGHT)
    page.get_by_role("button", name="Kirim permintaan koreksi").click()
    field = page.locator(".field.has-error", has=page.locator("#salah"))
    expect(field.locator(".error-message")).to_contain_text("Tulis data yang salah.")
    expect(page.locator(".error-summary")).to_contain_text("Tulis data yang salah.")
    expect(page.locator("#seharusnya")).to_have_value(RIGHT)
    assert no_horizontal_scroll(page), "the correction form with its error scrolls sideways at 360 px"
    page.fill("#salah", WRONG)
    page.get_by_role("button", name="Kirim permintaan koreksi").click()
    expect(page.locator(".flash")).to_contain_text("Permintaan koreksi terkirim ke BKPSDM")
    expect(page.locator("#koreksi")).to_contain_text(WRONG)
    expect(page.locator("#koreksi")).to_contain_text("Diajukan")

    page.click("#logout-button")
    page.wait_for_url(re.compile(r".*/login.*"))
    browser_login(page, DEMO["hr"])
    task = page.locator(".task-list a", has_text="permintaan koreksi data pegawai")
    expect(task).to_be_visible()
    task.click()
    page.wait_for_url("**/data-master/koreksi")
    item = page.locator(".record-list > li", has_text=FRANSISKUS)
    expect(item).to_contain_text(WRONG)
    expect(item).to_contain_text(RIGHT)
    assert no_horizontal_scroll(page), "HR's correction list scrolls sideways at 360 px"
    item.locator("textarea").fill(REPLY)
    item.get_by_role("button", name="Tandai selesai").click()
    expect(page.locator(".flash")).to_contain_text("ditandai selesai")
    expect(page.locator(".record-list > li", has_text=FRANSISKUS)).to_have_count(0)

    page.click("#logout-button")
    page.wait_for_url(re.compile(r".*/login.*"))
    browser_login(page, FRANSISKUS_NIP)
    page.goto("/data-saya#koreksi")
    expect(page.locator("#koreksi")).to_contain_text(REPLY)
    expect(page.locator("#koreksi")).to_contain_text("Selesai")
