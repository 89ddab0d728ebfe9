"""L3 journey in real Chromium behind the CSP: the demo supervisor finds the due rating of Putri on Beranda,
fills it (autosave, progress), submits through the confirmation page and sees the impact category; then
the employee sees her result. Screenshots at 360 px and 1280 px go to test-results/."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import DEMO, browser_login

SHOTS = Path(__file__).resolve().parents[2] / "test-results"
TRAINING = "Pelatihan Manajemen Puskesmas"
CATEGORIES = ("Tidak berdampak", "Kurang berdampak", "Cukup berdampak", "Sangat berdampak")


def _progress(page, n: int) -> None:
    page.locator(".progress-text").filter(has_text=f"{n} dari ").wait_for(timeout=30_000)


def _fill_rating(page) -> None:
    ids = page.locator("#rating-form .question").evaluate_all("els => els.map(e => Number(e.id.split('-')[1]))")
    assert len(ids) == 8
    answered = 0
    for qid in ids:
        fieldset = page.locator(f"#pertanyaan-{qid}")
        if fieldset.locator("textarea").count():
            if "opsional" in fieldset.inner_text():
                continue
            page.fill(f"#q-{qid}", "Menata ulang alur pendaftaran pasien sehingga antrean pagi lebih pendek.")
            page.locator(f"#q-{qid}").blur()
        elif fieldset.locator("input[name$='_sebelum']").count():
            page.check(f"#q-{qid}-b2")  # before: 2 (kurang)
            page.check(f"#q-{qid}-4")  # after: 4 (baik)
        else:
            page.check(f"#q-{qid}-4")
        answered += 1
        _progress(page, answered)
        page.locator(f"#st-{qid} .save-status-text").filter(has_text="Tersimpan").wait_for(timeout=30_000)


def test_supervisor_rates_from_beranda_and_the_employee_sees_the_result(page):
    SHOTS.mkdir(exist_ok=True)
    browser_login(page, DEMO["supervisor"])
    task = page.get_by_role("link", name=re.compile(r"Nilai penerapan hasil pelatihan: Putri Wulandari.*" + TRAINING))
    task.click()
    page.wait_for_url(re.compile(r"/penerapan/atasan/\d+$"))
    form_url = page.url
    assert page.get_by_role("heading", name="Penilaian penerapan hasil pelatihan").is_visible()

    # an incomplete submit: the error summary links to the first missing field
    page.click("#kirim")
    summary = page.locator(".error-summary")
    summary.wait_for()
    first_link = summary.locator("a").first
    target = first_link.get_attribute("href")
    first_link.click()
    assert page.evaluate("document.activeElement.id") == target.lstrip("#")
    page.problems[:] = [p for p in page.problems if "status of 422" not in p]

    page.goto(form_url)
    _fill_rating(page)
    page.reload()  # answers survive a reload
    assert page.locator(".progress-text").inner_text().startswith("7 dari 8")
    page.screenshot(path=str(SHOTS / "penerapan-form-360.png"), full_page=True)

    # the confirmation is a page, as for the survey and the AKPK (no browser dialog)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.click("#kirim")
    page.wait_for_url(re.compile(r"/kirim$"))
    assert page.get_by_role("heading", name="Kirim penilaian sekarang?").is_visible()
    assert "terkunci" in page.locator(".flash-warning").inner_text()
    page.click("#kirim-ya")
    page.wait_for_url(re.compile(r"/penerapan/hasil/\d+$"))
    assert dialogs == []
    badge = page.locator("#kategori-dampak")
    badge.wait_for()
    category = badge.inner_text().strip()
    assert category in CATEGORIES
    assert "Penilaian terkirim" in page.locator("#flash-area").inner_text()
    # all after 4 (A = 75), pairs +2 (C = 50), no self-report yet: renormalised -> 65,6 cukup berdampak
    assert page.locator(".impact-index").inner_text() == "65,6" and category == "Cukup berdampak"
    page.screenshot(path=str(SHOTS / "penerapan-hasil-360.png"), full_page=True)
    result_url = page.url

    # locked: the form now leads to the result
    page.goto(form_url)
    page.wait_for_url(re.compile(r"/penerapan/hasil/\d+$"))

    # wide screen
    wide = page.open_context(viewport={"width": 1280, "height": 900}, base_url=result_url.split("/penerapan")[0])
    p2 = wide.new_page()
    browser_login(p2, DEMO["supervisor"])
    p2.goto(result_url)
    p2.screenshot(path=str(SHOTS / "penerapan-hasil-1280.png"), full_page=True)
    wide.close()

    # the employee sees her result
    emp = page.open_context(viewport={"width": 360, "height": 780}, base_url=result_url.split("/penerapan")[0])
    p3 = emp.new_page()
    problems: list[str] = []
    p3.on("pageerror", lambda exc: problems.append(str(exc)))
    browser_login(p3, DEMO["employee"])
    p3.goto("/penerapan")
    row = p3.locator("#hasil-saya tr", has_text=TRAINING)
    assert category in row.inner_text()
    row.get_by_role("link").click()
    p3.wait_for_url(re.compile(r"/penerapan/hasil/\d+$"))
    assert p3.locator("#kategori-dampak").inner_text().strip() == category
    assert "Menata ulang alur pendaftaran" in p3.content()
    emp.close()
    assert not problems


def test_hr_impact_page_loads_the_gap_closure_section_when_scrolled_into_view(page):
    SHOTS.mkdir(exist_ok=True)
    browser_login(page, DEMO["hr"])
    page.goto("/dampak")
    page.get_by_role("link", name="Pelatihan Pelayanan Publik Prima").click()
    page.wait_for_url(re.compile(r"/dampak/\d+$"))
    assert page.locator(".impact-bar-row").count() == 4
    assert "Contoh penerapan" in page.content()
    page.locator("#kesenjangan-judul").scroll_into_view_if_needed()
    page.locator("table.impact-gap").wait_for(timeout=30_000)
    assert page.locator("table.impact-gap tbody tr").count() >= 1
    page.screenshot(path=str(SHOTS / "dampak-360.png"), full_page=True)
    wide = page.open_context(viewport={"width": 1280, "height": 900}, base_url=page.url.split("/dampak")[0])
    p2 = wide.new_page()
    browser_login(p2, DEMO["hr"])
    p2.goto(page.url)
    p2.locator("#kesenjangan-judul").scroll_into_view_if_needed()
    p2.locator("table.impact-gap").wait_for(timeout=30_000)
    p2.screenshot(path=str(SHOTS / "dampak-1280.png"), full_page=True)
    wide.close()
