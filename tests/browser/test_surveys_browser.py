"""Survey journeys in real Chromium at 360 px, behind the CSP: fill half, reload, resume, finish and
submit; the error summary links to the missing field; a Likert question answered with the keyboard
only. Each test uses its own demo participant of PLT-ANT-01 (the live server is shared)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import DEMO, browser_login

SHOTS = Path(__file__).resolve().parents[2] / "test-results"
TRAINING = "Pelatihan Manajemen Antrean Pelayanan"


def _open_survey(page) -> list[int]:
    page.goto("/survei")
    page.get_by_role("link", name=re.compile(r"^(Isi survei|Lanjutkan mengisi)\s*:\s*" + TRAINING)).click()
    page.wait_for_url(re.compile(r"/survei/\d+$"))
    ids = page.locator("fieldset.question").evaluate_all("els => els.map(e => Number(e.id.split('-')[1]))")
    assert len(ids) == 18
    return ids


def _saved(page, qid: int) -> None:
    page.locator(f"#st-{qid} .save-status-text").filter(has_text="Tersimpan").wait_for(timeout=10_000)


def _answer(page, qid: int, kind_value: str) -> None:
    page.check(f"#q-{qid}{kind_value}")
    _saved(page, qid)


def _expected_422(page) -> None:
    """422 is the designed answer to invalid input; Chromium logs it as a failed resource."""
    page.problems[:] = [p for p in page.problems if "status of 422" not in p]


def test_fill_half_reload_resume_finish_and_submit(page):
    browser_login(page, DEMO["employee"])
    ids = _open_survey(page)
    likert = ids[:15]
    for qid in likert[:8]:
        _answer(page, qid, "-4")
    assert page.locator(".progress-text").inner_text() == "8 dari 18 pertanyaan terjawab"
    url = page.url
    page.reload()
    for qid in likert[:8]:
        assert page.is_checked(f"#q-{qid}-4"), f"answer to {qid} lost after reload"
    assert page.locator(".progress-text").inner_text() == "8 dari 18 pertanyaan terjawab"
    # resume "from another device": a fresh browser context with the same account
    other = page.open_context(viewport={"width": 1280, "height": 900}, base_url=url.split("/survei")[0])
    p2 = other.new_page()
    browser_login(p2, DEMO["employee"])
    p2.goto(url)
    assert all(p2.is_checked(f"#q-{qid}-4") for qid in likert[:8])
    _answer(p2, likert[8], "-5")
    other.close()
    page.reload()
    assert page.is_checked(f"#q-{likert[8]}-5")
    for qid in likert[9:]:
        _answer(page, qid, "-3")
    _answer(page, ids[15], "-9")  # 0-10 scale
    page.fill(f"#q-{ids[16]}", "Contoh antrean daring dari puskesmas lain.")
    page.locator(f"#q-{ids[16]}").blur()
    _saved(page, ids[16])
    assert page.locator(".progress-text").inner_text() == "17 dari 18 pertanyaan terjawab"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "survei-form-360.png"))
    page.click("#periksa-kirim")
    page.wait_for_url(re.compile(r"/kirim$"))
    assert page.get_by_role("heading", name="Kirim survei sekarang?").is_visible()
    page.click("#kirim-ya")
    page.wait_for_url(re.compile(r"/tanda-terima$"))  # POST-redirect-GET
    receipt = page.locator("#tanda-terima")
    receipt.wait_for()
    page.reload()  # reloading the thank-you page neither posts again nor meets a 405
    assert "Terima kasih" in receipt.inner_text() and "sudah terkirim sebelumnya" not in receipt.inner_text()
    assert "Terima kasih" in receipt.inner_text()
    assert re.search(r"L1-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}", receipt.inner_text())
    assert "Contoh antrean daring" not in page.content()
    page.screenshot(path=str(SHOTS / "survei-terima-kasih-360.png"), full_page=True)
    page.goto("/survei")
    assert "Terkirim" in page.locator("main").inner_text()


def test_error_summary_links_to_the_missing_field_and_invalid_text_is_not_saved(page):
    browser_login(page, PEERS_NIP["ahmad"])
    ids = _open_survey(page)
    _answer(page, ids[0], "-4")
    _answer(page, ids[1], "-2")
    # an over-long free text: refused next to the question, nothing saved
    page.fill(f"#q-{ids[17]}", "x" * 1001)
    page.locator(f"#q-{ids[17]}").blur()
    error = page.locator(f"#q-{ids[17]}-error")
    error.wait_for(state="visible")
    assert "Maksimal 1.000 karakter" in error.inner_text()
    assert "Belum tersimpan" in page.locator(f"#st-{ids[17]}").inner_text()
    page.click("#periksa-kirim")
    summary = page.locator(".error-summary")
    summary.wait_for()
    _expected_422(page)
    assert page.evaluate("document.activeElement.classList.contains('error-summary')"), "focus moves to the summary"
    links = summary.locator("a")
    # 13 Likert + the 0-10 scale still missing, and the over-long text (the form posts it again)
    assert links.count() == 15
    first = links.first
    assert first.get_attribute("href") == f"#q-{ids[2]}"
    first.click()
    assert page.evaluate("document.activeElement.id") == f"q-{ids[2]}"
    assert page.locator(f"#pertanyaan-{ids[2]}").get_attribute("class").find("has-error") >= 0
    assert page.locator(f"#q-{ids[2]}-error").is_visible()
    # answering the flagged question clears its error in place
    _answer(page, ids[2], "-3")
    assert page.locator(f"#q-{ids[2]}-error").is_hidden()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "survei-kesalahan-360.png"))


def test_keyboard_only_likert(page):
    browser_login(page, PEERS_NIP["indah"])
    ids = _open_survey(page)
    first = ids[0]
    page.focus(".back-link a")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == f"q-{first}":
            break
    else:
        raise AssertionError("Tab never reached the first answer")
    page.keyboard.press("Space")
    _saved(page, first)
    assert page.is_checked(f"#q-{first}")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    _saved(page, first)
    assert page.is_checked(f"#q-{first}-4")
    # Tab leaves the group for the next question, where arrows work too
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == f"q{ids[1]}"
    page.keyboard.press("Space")
    _saved(page, ids[1])
    page.reload()
    assert page.is_checked(f"#q-{first}-4") and page.is_checked(f"#q-{ids[1]}")


PEERS_NIP = {"ahmad": "199402242019031031", "indah": "199510302020122032"}
