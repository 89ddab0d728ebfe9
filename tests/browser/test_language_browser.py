"""The language switch in a real Chromium at 360 px, behind the CSP: an employee switches to English in
the footer, sees an English Beranda (Home), opens a survey in English, and switches back. Uses Dian
Permata Sari (demo data: an open survey invitation, reserved for tests; no other browser test logs in
as her) and leaves her account in Bahasa Indonesia (the live server is shared)."""

from __future__ import annotations

import re

from tests.conftest import browser_login

DIAN = "199204022017012023"


def _switch(page, code: str) -> None:
    page.click(f"#language-{code}")
    page.wait_for_function(f"document.documentElement.lang === '{code}'")


def test_an_employee_switches_to_english_and_fills_a_survey_in_english(page):
    browser_login(page, DIAN)
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text().startswith("Selamat datang")
    try:
        _switch(page, "en")
        # back on the page she was on, now in English
        assert page.locator("h1").inner_text().startswith("Welcome"), page.locator("h1").inner_text()
        assert page.title().startswith("Home ·"), page.title()
        footer = page.locator("#language-form")
        assert footer.locator("strong[aria-current=true]").inner_text() == "English"
        assert footer.locator("#language-id").inner_text() == "Bahasa Indonesia"
        assert "Language:" in footer.inner_text()
        main = page.inner_text("main")
        assert not re.search(r"\b(Anda|Selamat|Lihat semua)\b", main), main[:500]

        # the choice is the account's: it holds on the next pages
        page.goto("/survei")
        assert page.locator("html").get_attribute("lang") == "en"
        page.get_by_role("link", name=re.compile(r"^(Fill in the survey|Continue)\s*:")).first.click()
        page.wait_for_url(re.compile(r"/survei/\d+$"))
        assert page.locator("#periksa-kirim").inner_text() == "Check and submit"
        form = page.inner_text("main")
        assert re.fullmatch(r"\d+ of \d+ questions answered", page.locator(".progress-text").inner_text().strip())
        assert not re.search(r"\b(Periksa dan kirim|pertanyaan terjawab|Tersimpan)\b", form), form[:500]
    finally:
        _switch(page, "id")  # the live server is shared: her account goes back to Bahasa Indonesia
    assert page.locator("#periksa-kirim").inner_text() == "Periksa dan kirim"
    assert re.fullmatch(r"\d+ dari \d+ pertanyaan terjawab", page.locator(".progress-text").inner_text().strip())
