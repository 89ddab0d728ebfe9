"""HR runs a training in real Chromium at 360 px, behind the CSP: creates it (an error first, nothing
typed lost), adds two participants through the htmx search, marks one present and sees the JP and the
participant count in the year list; no page scrolls sideways. The training is next year's, with people
no other browser test relies on (the live server is shared)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from playwright.sync_api import expect

from portal import clock
from tests.conftest import DEMO, browser_login

SHOTS = Path(__file__).resolve().parents[2] / "test-results"
PEOPLE = ("Melati Putri Ayu", "Raja Indra Syahputra")


def no_horizontal_scroll(page) -> bool:  # noqa: ANN001
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def _expected_422(page) -> None:  # noqa: ANN001
    """422 is the designed answer to an invalid form; Chromium logs it as a failed resource."""
    page.problems[:] = [p for p in page.problems if "status of 422" not in p]


def _add(page, name: str) -> None:  # noqa: ANN001
    page.fill("#q", name.split()[0] + " " + name.split()[1])
    result = page.locator("#calon li", has_text=name)
    result.wait_for()
    result.get_by_role("button", name=re.compile(r"^Tambah")).click()
    expect(page.locator("#calon .flash-success")).to_contain_text(f"{name}")
    expect(page.locator("#calon li", has_text=name).locator(".badge")).to_have_text("Sudah terdaftar")


def test_hr_creates_a_training_adds_two_people_marks_one_present_and_sees_the_counts(page):  # noqa: ANN001
    year = clock.today().year + 1
    code = f"BRW-{uuid.uuid4().hex[:6].upper()}"
    title = f"Pelatihan Peramban {code}"
    browser_login(page, DEMO["hr"])
    page.goto(f"/pelatihan?tahun={year}")
    assert no_horizontal_scroll(page)
    page.get_by_role("link", name="Tambah pelatihan").first.click()
    page.wait_for_url(re.compile(r"/pelatihan/baru$"))

    # an end before the start: the error next to the field and in the summary, what was typed kept
    page.fill("#code", code)
    page.fill("#title", title)
    page.select_option("#kind", "workshop")
    page.fill("#starts_on", f"{year}-03-16")
    page.fill("#ends_on", f"{year}-03-15")
    page.fill("#jp", "24")
    page.fill("#cost", "2.500.000")
    page.locator(".competency-group").first.locator("input[type=checkbox]").first.check()
    page.get_by_role("button", name="Simpan pelatihan").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Tanggal selesai tidak boleh sebelum tanggal mulai")
    _expected_422(page)
    assert no_horizontal_scroll(page)
    expect(page.locator("#ends_on-error")).to_be_visible()
    expect(page.locator("#title")).to_have_value(title)
    expect(page.locator("#cost")).to_have_value("2.500.000")
    assert page.locator(".competency-group").first.locator("input[type=checkbox]").first.is_checked()
    summary.get_by_role("link").first.click()
    expect(page.locator("#ends_on")).to_be_focused()
    page.fill("#ends_on", f"{year}-03-18")
    page.get_by_role("button", name="Simpan pelatihan").click()
    page.wait_for_url(re.compile(r"/pelatihan/\d+/peserta$"))
    expect(page.locator(".flash-success")).to_contain_text(title)
    expect(page.locator(".empty-state")).to_contain_text("Belum ada peserta")
    roster_url = page.url

    # two people through the search (htmx: the results and the add swap in place)
    page.get_by_role("link", name="Tambah peserta").click()
    page.wait_for_url(re.compile(r"/peserta/tambah$"))
    page.evaluate("window.__penanda = 'halaman-yang-sama'")
    for name in PEOPLE:
        _add(page, name)
    assert page.evaluate("window.__penanda") == "halaman-yang-sama", "the search or the add reloaded the page"
    expect(page.locator("#calon")).to_contain_text("2 pegawai terdaftar")
    assert no_horizontal_scroll(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "pelatihan-tambah-peserta-360.png"), full_page=True)

    # one marked present, saved for the page at once
    page.get_by_role("link", name="Selesai, kembali ke daftar peserta").click()
    page.wait_for_url(roster_url)
    status = page.get_by_label(re.compile(r"^Kehadiran " + PEOPLE[0]))
    status.select_option("attended")
    status.focus()
    page.get_by_role("button", name="Simpan kehadiran").click()
    expect(page.locator(".flash-success")).to_contain_text("1 peserta berubah")
    expect(page.get_by_label(re.compile(r"^Kehadiran " + PEOPLE[0]))).to_have_value("attended")
    row = page.locator("tr", has_text=PEOPLE[0])
    expect(row.locator("td.num")).to_have_text("24")
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / "pelatihan-peserta-360.png"), full_page=True)

    # the year list: JP and who took part of who is enrolled
    page.goto(f"/pelatihan?tahun={year}")
    line = page.locator("tr", has_text=title)
    expect(line).to_contain_text("1 / 2")
    expect(line).to_contain_text("24")
    expect(line).to_contain_text("Workshop")
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / "pelatihan-tahun-360.png"), full_page=True)

    # the month calendar of its start
    page.goto(f"/pelatihan/kalender?bulan={year}-03")
    expect(page.locator(".cal-agenda")).to_contain_text(title)
    assert no_horizontal_scroll(page)
