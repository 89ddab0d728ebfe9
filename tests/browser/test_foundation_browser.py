"""Real Chromium against a live server: each role's Beranda, htmx under the CSP, phone width."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import DEMO, browser_login

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def no_horizontal_scroll(page) -> bool:  # noqa: ANN001
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(
    ("role", "expect"),
    [("employee", "Tugas Anda"), ("supervisor", "Bawahan langsung"), ("hr", "Ringkasan BKPSDM")],
)
def test_each_role_sees_their_beranda(page, role, expect):
    browser_login(page, DEMO[role])
    assert page.locator("h1").inner_text().startswith("Selamat datang")
    assert page.get_by_text(expect, exact=True).first.is_visible()
    assert page.locator(".site-user-name").inner_text().strip() != ""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"beranda-{role}-360.png"), full_page=True)
    assert no_horizontal_scroll(page), "page scrolls horizontally at 360 px"


def test_logout_is_an_htmx_request_that_works_under_the_csp(page):
    browser_login(page, DEMO["employee"])
    with page.expect_response(lambda r: r.url.endswith("/logout")) as info:
        page.click("#logout-button")
    response = info.value
    assert response.request.headers.get("hx-request") == "true", "logout was not sent by htmx"
    assert response.headers.get("hx-redirect") == "/login?keluar=1"
    page.wait_for_url(re.compile(r"/login\?keluar=1$"))
    assert page.get_by_text("Anda telah keluar.").is_visible()
    page.goto("/")
    assert "/login" in page.url


def test_hr_employee_search_refreshes_fragment_and_url(page):
    browser_login(page, DEMO["hr"])
    page.goto("/data-master/pegawai")
    rows_before = page.locator("#employees-table .record-list > li").count()
    assert rows_before > 5
    with page.expect_response(lambda r: "/data-master/pegawai?" in r.url and r.request.headers.get("hx-request") == "true"):
        page.fill("#q", "Putri")
    page.wait_for_function("() => document.querySelectorAll('#employees-table .record-list > li').length < 5")
    assert "Putri Wulandari" in page.locator("#employees-table").inner_text()
    assert "q=Putri" in page.url
    assert no_horizontal_scroll(page)


def test_login_error_is_shown_next_to_form(page):
    page.goto("/login")
    page.fill("#nip", DEMO["employee"])
    page.fill("#password", "salah-sekali")
    page.click("button[type=submit]")
    assert page.locator(".error-summary").inner_text().find("NIP atau kata sandi salah.") >= 0
    assert page.input_value("#nip") == DEMO["employee"]
    assert no_horizontal_scroll(page)
