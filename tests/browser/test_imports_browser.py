"""HR's import journey in Chromium at phone width: download the template, fill it (openpyxl, as Excel
would), upload, see the preview with the one rejected row, apply only the valid rows; the new employee
is in Data Master and, once given a password, logs in."""

from __future__ import annotations

import os
import subprocess
import sys

from openpyxl import load_workbook

from tests import rig
from tests.browser.test_foundation_browser import SHOTS, no_horizontal_scroll
from tests.conftest import DEMO, browser_login

NEW_NIP = "199104152019032011"
NEW_NAME = "Dewi Anggraini, S.Kom."
PASSWORD = "Sandi-Baru-Dewi-2027"


def test_hr_imports_employees_from_the_template(page, live_server, tmp_path):
    browser_login(page, DEMO["hr"])
    page.goto("/data-master")
    page.click("text=Impor data dari Excel atau CSV")
    page.click("a[href='/data-master/impor/pegawai']")
    assert page.locator("h1").inner_text() == "Impor: Pegawai"
    with page.expect_download() as download:
        page.click("text=Templat Excel (.xlsx)")
    template = tmp_path / "templat.xlsx"
    download.value.save_as(template)
    book = load_workbook(template)
    data = book["Data"]
    data.delete_rows(2, data.max_row)  # the example row
    data.append([NEW_NIP, NEW_NAME, "", "PKM-BATU10", "III/a", DEMO["supervisor"], "dewi@contoh.go.id", "081234567890", "Ya"])
    data.append(["1.99104E+17", "Baris Rusak", "", "PKM-BATU10", "", "", "", "", "Ya"])
    filled = tmp_path / "pegawai-baru.xlsx"
    book.save(filled)
    page.set_input_files("#berkas", str(filled))
    page.click("text=Unggah dan tinjau")
    page.wait_for_url("**/data-master/impor/pegawai/*")
    assert "Menunggu ditinjau" in page.inner_text("main")
    rejects = page.locator(".reject-list > li")
    assert rejects.count() == 1 and "notasi ilmiah" in rejects.first.inner_text()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "import-preview-360.png"), full_page=True)
    assert no_horizontal_scroll(page)
    page.click("text=Terapkan hanya 1 baris yang sah")
    page.wait_for_selector(".flash-success")
    assert "1 baru" in page.inner_text(".flash-success")
    page.goto(f"/data-master/pegawai?q={NEW_NIP}")
    assert NEW_NAME in page.inner_text("#employees-table")
    # the account: a password given by the administrator (the accounts issue adds activation links)
    env = dict(os.environ, PORTAL_DATABASE_URL=live_server.database_url, PORTAL_ENV="test", PORTAL_SECRET_KEY=rig.TEST_SECRET)
    made = subprocess.run(
        [sys.executable, "-m", "portal.cli", "create-user", "--nip", NEW_NIP, "--name", NEW_NAME],
        cwd=rig.ROOT, env=env, input=f"{PASSWORD}\n{PASSWORD}\n", capture_output=True, text=True, timeout=60,
    )
    assert made.returncode == 0, made.stderr
    page.context.clear_cookies()
    browser_login(page, NEW_NIP, PASSWORD)
    assert page.locator(".site-user-name").inner_text().strip() == NEW_NAME
    assert "Puskesmas Batu 10" in page.locator(".site-user-unit").inner_text()
