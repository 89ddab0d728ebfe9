"""AKPK in Chromium (phone-sized), against the live server: autosave survives a reload, submit
with confirmation, the result chart, the supervisor's assessment and the comparison both see.

Uses Rahmat Hidayat and his supervisor drg. Ratna (demo data: neither has started), so that the
demo employee Putri keeps her draft for other journeys. Console errors and CSP violations fail
the test (the `page` fixture checks them).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import DEMO, browser_login

pytestmark = pytest.mark.browser

RAHMAT = "198901302011011027"


def competency_ids(page) -> list[int]:  # noqa: ANN001
    ids = page.locator(".assessment-item").evaluate_all("els => els.map(e => e.id)")
    return [int(i.removeprefix("kompetensi-")) for i in ids]


def choose(page, cid: int, level: int) -> None:  # noqa: ANN001
    """Pick a level by clicking its radio card, and wait until the server says it is saved."""
    page.locator(f"label[for=level-{cid}-{level}]").click()
    expect(page.locator(f"#status-{cid}")).to_contain_text("Tersimpan", timeout=5000)


def logout(page) -> None:  # noqa: ANN001
    page.click("#logout-button")
    page.wait_for_url(re.compile(r"/login"))


def test_self_and_supervisor_assessment_journey(page):  # noqa: ANN001
    # --- the employee fills a few levels, by mouse and by keyboard
    browser_login(page, RAHMAT)
    page.goto("/penilaian")
    expect(page.locator("h1")).to_have_text("Penilaian Kompetensi Diri")
    cids = competency_ids(page)
    assert len(cids) == 11
    expect(page.locator("#progress")).to_contain_text("0 dari 11")
    choose(page, cids[0], 2)
    choose(page, cids[1], 1)
    expect(page.locator("#progress")).to_contain_text("2 dari 11")
    # keyboard only: focus the first radio of the third competency and move with the arrow key
    page.focus(f"#level-{cids[2]}-1")
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"#level-{cids[2]}-2")).to_be_checked()
    expect(page.locator(f"#status-{cids[2]}")).to_contain_text("Tersimpan", timeout=5000)
    # the evidence note autosaves while typing (after a pause), without leaving the field
    page.locator(f"#kompetensi-{cids[0]} summary").click()  # the note sits in a <details>
    with page.expect_response(lambda r: f"/kompetensi/{cids[0]}" in r.url and r.status == 200):
        page.locator(f"#note-{cids[0]}").press_sequentially("Melayani pendaftaran pasien BPJS setiap hari.")
    assert page.evaluate("document.activeElement.id") == f"note-{cids[0]}"
    expect(page.locator("#progress")).to_contain_text("3 dari 11")
    # a note typed before any level is chosen is kept as a draft (not counted until a level is chosen)
    page.locator(f"#kompetensi-{cids[3]} summary").click()
    with page.expect_response(lambda r: f"/kompetensi/{cids[3]}" in r.url and r.status == 200):
        page.locator(f"#note-{cids[3]}").press_sequentially("Catatan sebelum level.")
    expect(page.locator(f"#status-{cids[3]}")).to_contain_text("Tersimpan")
    expect(page.locator("#progress")).to_contain_text("3 dari 11")

    # --- reload: everything is kept
    page.reload()
    expect(page.locator(f"#level-{cids[0]}-2")).to_be_checked()
    expect(page.locator(f"#level-{cids[1]}-1")).to_be_checked()
    expect(page.locator(f"#level-{cids[2]}-2")).to_be_checked()
    expect(page.locator(f"#note-{cids[0]}")).to_have_value("Melayani pendaftaran pasien BPJS setiap hari.")
    expect(page.locator(f"#note-{cids[3]}")).to_have_value("Catatan sebelum level.")
    expect(page.locator("#progress")).to_contain_text("3 dari 11")

    # --- complete, check, confirm, submit
    for cid in cids[3:]:
        choose(page, cid, 2)
    expect(page.locator("#progress")).to_contain_text("11 dari 11")
    page.click("button[value=periksa]")
    expect(page.locator("h1")).to_have_text("Periksa jawaban sebelum mengirim")
    expect(page.locator("#yakin-judul")).to_have_text("Yakin kirim?")
    page.click("#kirim-button")
    page.wait_for_url(re.compile(r"/penilaian/\d+/hasil$"))
    result_url = page.url
    expect(page.locator(".flash-success")).to_contain_text("sudah terkirim")
    chart = page.locator(".gap-chart > svg")
    expect(chart).to_be_visible()
    assert page.locator(".gap-chart .gap-row").count() == 11
    assert chart.bounding_box()["width"] <= 360  # fits the phone
    expect(page.locator(".result-table")).to_contain_text("Pelayanan Publik")
    # the form is now read-only
    page.goto("/penilaian")
    expect(page.locator(".flash-success")).to_contain_text("Terkirim pada")
    assert page.locator("input[type=radio]").count() == 0
    logout(page)

    # --- the supervisor assesses the same employee without seeing his levels
    browser_login(page, DEMO["supervisor"])
    page.goto("/tim")
    page.get_by_role("link", name=re.compile(r"^Nilai Rahmat Hidayat")).click()
    expect(page.locator("h1")).to_contain_text("Rahmat Hidayat")
    expect(page.locator("body")).not_to_contain_text("Melayani pendaftaran pasien BPJS")
    assert page.locator("input[type=radio]:checked").count() == 0
    sup_cids = competency_ids(page)
    assert sup_cids == cids
    choose(page, sup_cids[0], 4)  # self 2 vs supervisor 4: "perlu dibicarakan"
    for cid in sup_cids[1:]:
        choose(page, cid, 2)
    page.click("button[value=periksa]")
    page.click("#kirim-button")
    page.wait_for_url(re.compile(r"/tim/\d+/\d+/hasil$"))
    expect(page.locator(".result-table")).to_contain_text("perlu dibicarakan")
    expect(page.locator("body")).to_contain_text("Melayani pendaftaran pasien BPJS")  # both submitted now
    first_row = page.locator(".result-table tbody tr").first
    expect(first_row.locator("td").nth(1)).to_have_text("2")  # self
    expect(first_row.locator("td").nth(2)).to_have_text("4")  # supervisor
    assert page.locator(".gap-chart .chart-flag").count() >= 1
    logout(page)

    # --- the employee sees the comparison too
    browser_login(page, RAHMAT)
    page.goto(result_url)
    expect(page.locator(".result-status")).not_to_contain_text("Belum mulai")
    expect(page.locator(".result-table")).to_contain_text("perlu dibicarakan")
    assert page.locator(".gap-chart > svg polygon.series-2").count() == 11  # supervisor markers


def test_hr_heatmap_filter_and_cell(page):  # noqa: ANN001
    browser_login(page, DEMO["hr"])
    page.goto("/akpk/kesenjangan")
    expect(page.locator("table.heatmap")).to_be_visible()
    page.select_option("#f-kelompok", "teknis")
    page.wait_for_url(re.compile(r"kelompok=teknis"))
    expect(page.locator("table.heatmap thead")).not_to_contain_text("M1")
    page.select_option("#f-kelompok", "")
    page.wait_for_url(re.compile(r"kelompok=(&|$)|^(?!.*kelompok=teknis)"))
    expect(page.locator("table.heatmap thead")).to_contain_text("M1")
    page.locator("table.heatmap tbody a").first.click()
    expect(page.locator("#rincian section")).to_be_visible()
    page.wait_for_url(re.compile(r"/akpk/kesenjangan/sel\?"))
    expect(page.locator("#rincian")).to_contain_text("orang dengan kompetensi ini")
    # the pushed URL is shareable: loading it directly shows the map and the list
    page.reload()
    expect(page.locator("table.heatmap")).to_be_visible()
    expect(page.locator("#rincian")).to_contain_text("orang dengan kompetensi ini")
