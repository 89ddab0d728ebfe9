"""Real Chromium (360 px) against the live server with the demo data: HR filters the Laporan dashboard
through htmx (no full reload, the URL changes, back restores the previous filter), downloads the XLSX
and opens it with openpyxl; the training report's comment search works in place; nothing scrolls
sideways on a phone. Only reads data (exports add audit rows), so it does not disturb other tests."""

from __future__ import annotations

import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.conftest import DEMO, browser_login


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_hr_filters_the_dashboard_in_place_and_back_restores_the_previous_filter(page, tmp_path):
    browser_login(page, DEMO["hr"])
    page.goto("/laporan")
    expect(page.locator("#tile-peserta")).to_be_visible()
    assert no_horizontal_scroll(page), "dashboard scrolls horizontally at 360 px"
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    page.evaluate("window.__penanda = 'halaman-yang-sama'")
    year = page.locator("#f-periode").input_value()
    all_people = page.locator("#tile-peserta .tile-value").inner_text()
    all_ranking = page.locator("#grafik-peringkat").inner_html()
    unit = page.locator("#f-unit option", has_text="UPTD Puskesmas Batu 10").get_attribute("value")

    # 1. the unit filter: an htmx request, tiles and charts change, the URL carries the filter
    with page.expect_response(lambda r: "/laporan?" in r.url and r.request.headers.get("hx-request") == "true") as info:
        page.select_option("#f-unit", unit)
    assert "<html" not in info.value.text()
    page.wait_for_url(re.compile(rf"/laporan\?.*unit={unit}"))
    expect(page.locator("#tile-peserta .tile-value")).not_to_have_text(all_people)
    unit_people = page.locator("#tile-peserta .tile-value").inner_text()
    assert page.locator("#grafik-peringkat").inner_html() != all_ranking
    expect(page.locator(".report-scope")).to_contain_text("UPTD Puskesmas Batu 10")
    # the sub-navigation links now carry the filter too (hx-partial)
    assert f"unit={unit}" in page.locator("#report-nav a", has_text="Capaian 20 JP").get_attribute("href")

    # 2. another period: the previous year has no trainings in the demo data
    previous = str(int(year) - 1)
    page.select_option("#f-periode", previous)
    page.wait_for_url(re.compile(rf"periode={previous}"))
    expect(page.locator("#tile-pelatihan .tile-value")).to_have_text("0")
    expect(page.locator("#tile-peserta .tile-value")).to_have_text("0")
    assert page.evaluate("window.__penanda") == "halaman-yang-sama", "the filter reloaded the page"
    assert loads == [], f"full page loads: {loads}"

    # 3. back: the previous filter (this year, the unit) comes back, in the form and in the tiles
    page.go_back()
    page.wait_for_url(re.compile(rf"periode={year}.*unit={unit}"))
    expect(page.locator("#tile-peserta .tile-value")).to_have_text(unit_people)
    expect(page.locator("#f-unit")).to_have_value(unit)
    expect(page.locator("#f-periode")).to_have_value(year)

    # 4. the XLSX of the current view downloads and opens
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh rekap (XLSX)").click()
    assert re.fullmatch(r"rekap-pelatihan-\d{4}-\d{2}-\d{2}\.xlsx", download.value.suggested_filename)
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    book = load_workbook(path)
    assert book.sheetnames[0] == "Keterangan"  # the first sheet states the filters, period and group rule
    ws = book.worksheets[1]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["Kode", "Pelatihan", "Jenis", "Penyelenggara"]
    assert ws.max_row >= 2


def test_training_report_comment_search_in_place_and_print_view(page):
    browser_login(page, DEMO["hr"])
    page.goto("/laporan")
    page.locator("#grafik-peringkat a").first.click()
    page.wait_for_url(re.compile(r"/laporan/pelatihan/\d+$"))
    expect(page.locator("h1")).to_be_visible()
    assert no_horizontal_scroll(page), "training report scrolls horizontally at 360 px"
    expect(page.locator("#grafik-dimensi")).to_be_visible()
    page.evaluate("window.__penanda = 1")
    search = page.locator(".comment-search input[type=search]").first
    if search.count():
        search.fill("zzz-tidak-ada")
        with page.expect_response(lambda r: "/komentar?" in r.url):
            search.press("Enter")
        expect(page.locator(".comments").first).to_contain_text("0 komentar berisi")
        assert page.evaluate("window.__penanda") == 1
        assert "/komentar?" in page.url
    # the "Tampilkan angka" table toggle opens
    page.locator("#grafik-dimensi summary").click()
    expect(page.locator("#grafik-dimensi table")).to_be_visible()
    # printable variant: no buttons or filters, tables open when printing
    page.goto(page.url.split("/komentar")[0] + "/cetak" if "/komentar" in page.url else page.url + "/cetak")
    page.emulate_media(media="print")
    expect(page.locator("#grafik-dimensi table")).to_be_visible()
    assert page.locator(".export-links").count() == 0
    expect(page.locator(".site-nav")).to_be_hidden()
