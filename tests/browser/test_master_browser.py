"""Real Chromium (360 px) against the live server with the demo data: HR finds an employee, gives them a
supervisor who reports to them, sees the loop named next to the field and in the summary at the top
(with what was typed), then fixes it with another supervisor and sees it saved. Nothing scrolls sideways. Works on people of
Kecamatan Bukit Bestari, whom no other browser test uses."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import DEMO, browser_login

EKO = "Eko Prasetyo, S.IP."  # Kepala Seksi Pelayanan Umum; Nurbaiti reports to him
NURBAITI_NIP = "198802232011012042"
CAMAT = "Raja Indra Syahputra, S.STP., M.Si."  # his supervisor in the demo data
SEKCAM = "Hasnah, S.Sos."
SEKCAM_NIP = "197907072005012040"


def no_horizontal_scroll(page) -> bool:  # noqa: ANN001
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_hr_sees_a_supervisor_loop_refused_and_fixes_it(page):
    browser_login(page, DEMO["hr"])
    page.goto("/data-master/pegawai?q=Eko")
    page.get_by_role("link", name=EKO).click()
    page.wait_for_url(re.compile(r"/data-master/pegawai/\d+$"))
    profile_url = page.url
    expect(page.locator("h1")).to_have_text(EKO)
    expect(page.locator(".person-facts")).to_contain_text(CAMAT)
    assert no_horizontal_scroll(page), "the person's page scrolls sideways at 360 px"

    page.get_by_role("link", name="Ubah", exact=True).click()
    expect(page.locator("h1")).to_have_text("Ubah data pegawai")
    assert no_horizontal_scroll(page), "the form scrolls sideways at 360 px"
    page.fill("#supervisor_nip", NURBAITI_NIP)
    page.get_by_role("button", name="Simpan perubahan").click()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Atasan melingkar")
    expect(summary).to_be_focused()  # autofocus: a screen reader hears the problem first
    field = page.locator(".field.has-error", has=page.locator("#supervisor_nip"))
    expect(field.locator(".error-message")).to_contain_text(f"{EKO} → Nurbaiti → {EKO}")
    expect(page.locator("#supervisor_nip")).to_have_value(NURBAITI_NIP)  # what was typed
    expect(page.locator("#supervisor_nip")).to_have_attribute("aria-invalid", "true")
    assert summary.locator("a").get_attribute("href") == "#supervisor_nip"
    assert no_horizontal_scroll(page), "the form with its errors scrolls sideways at 360 px"

    summary.locator("a").click()
    expect(page.locator("#supervisor_nip")).to_be_focused()
    page.fill("#supervisor_nip", SEKCAM_NIP)
    page.get_by_role("button", name="Simpan perubahan").click()
    page.wait_for_url(profile_url)
    expect(page.locator(".flash")).to_contain_text(f"Data {EKO} disimpan")
    expect(page.locator(".person-facts")).to_contain_text(SEKCAM)
    expect(page.locator(".error-summary")).to_have_count(0)
