"""Bantuan in Chromium at 360 px: the public page from the login page, the per-role page from the footer and
from a form, no sideways scroll, the impact formula opens in place."""

from __future__ import annotations

import re

from tests.conftest import DEMO, browser_login


def no_horizontal_scroll(page) -> bool:  # noqa: ANN001
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_the_login_page_leads_to_the_public_help(page):  # noqa: ANN001
    page.goto("/login")
    page.locator("main").get_by_role("link", name="Bantuan").click()
    page.wait_for_url(re.compile(r"/bantuan/masuk$"))
    assert page.locator("h1").inner_text() == "Bantuan"
    assert page.get_by_role("link", name="Buka halaman lupa kata sandi").is_visible()
    assert no_horizontal_scroll(page), "the public help scrolls sideways at 360 px"


def test_a_supervisor_reaches_the_help_from_the_footer_and_reads_the_impact_formula(page):  # noqa: ANN001
    browser_login(page, DEMO["supervisor"])
    page.locator("footer").get_by_role("link", name="Bantuan").click()
    page.wait_for_url(re.compile(r"/bantuan$"))
    assert page.locator("#penilaian-penerapan").is_visible() and page.locator("#bkpsdm").count() == 0
    assert no_horizontal_scroll(page), "the help scrolls sideways at 360 px"
    page.locator("#cara-hitung summary").click()
    assert page.get_by_text("Indeks = 50% penerapan", exact=False).is_visible()


def test_the_assessment_form_links_to_its_help(page):  # noqa: ANN001
    browser_login(page, DEMO["employee"])
    page.goto("/penilaian")
    link = page.locator(".help-link a").first
    if link.count() == 0:  # the list page: open the current cycle's form
        page.locator("main a[href^='/penilaian/']").first.click()
        link = page.locator(".help-link a").first
    link.click()
    page.wait_for_url(re.compile(r"/bantuan#akpk$"))
    assert page.locator("#akpk").is_visible()
