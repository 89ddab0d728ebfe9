"""Keyboard only (issue 18): from the login form to a submitted survey and a submitted AKPK self-assessment
with Tab, Shift+Tab, Space, Enter and the arrow keys, and nothing else (typing the NIP, the password and a
comment aside). Every stop the keyboard makes must show where the focus is: its computed outline or box
shadow (or that of the label around a radio) differs from the same element once the focus has left it.
The answers land in the database. Uses Syahrial (demo: invited to the PLT-ANT-01 survey, AKPK not started;
the live server is shared, the other journeys use other people).
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

SYAHRIAL = "198501012009011043"
TRAINING = "Pelatihan Manajemen Antrean Pelayanan"
# what makes the focus visible: the element's own ring, or the ring of the label (radio card) around it
FOCUS_LOOK = """el => {
  const ring = (e) => {
    const s = getComputedStyle(e);
    const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 ? `outline ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : "";
    const shadow = s.boxShadow !== "none" ? `shadow ${s.boxShadow}` : "";
    return (outline + " " + shadow).trim();
  };
  const label = el.closest("label");
  return [ring(el), label ? ring(label) : ""].filter(Boolean).join(" / ");
}"""
DESCRIBE = """el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.name ? '[name=' + el.name + ']' : ''} "${(el.innerText || el.value || '').trim().slice(0, 40)}"`"""


class Keyboard:
    """Presses keys and checks, at every stop, that the focused element shows it is focused."""

    def __init__(self, page) -> None:  # noqa: ANN001
        self.page = page
        self.stops = 0

    def _focused(self):  # noqa: ANN202
        return self.page.evaluate_handle("document.activeElement")

    def press(self, key: str) -> None:
        """A key that moves the focus (or changes a radio): the new stop must look focused, and look
        different from the same element once the focus has moved on."""
        self.page.keyboard.press(key)
        el = self._focused()
        if el.evaluate("el => el === document.body || el.tagName === 'MAIN'"):
            return
        focused = el.evaluate(FOCUS_LOOK)
        name = el.evaluate(DESCRIBE)
        # move the focus away without a key (a blur leaves no trace in the page), then compare
        el.evaluate("el => el.blur()")
        unfocused = el.evaluate(FOCUS_LOOK)
        assert focused and focused != unfocused, f"no visible focus on {name}: {focused!r} (unfocused: {unfocused!r})"
        el.evaluate("el => el.focus()")
        self.stops += 1

    def tab_to(self, js_test: str, limit: int = 80, key: str = "Tab") -> None:
        """Tab (or Shift+Tab) until `js_test(document.activeElement)` is true."""
        for _ in range(limit):
            self.press(key)
            if self.page.evaluate(f"(() => {{ const el = document.activeElement; return !!({js_test}); }})()"):
                return
        raise AssertionError(f"{key} never reached an element where {js_test}")

    def type(self, words: str) -> None:
        self.page.keyboard.type(words)

    def enter(self) -> None:
        self.page.keyboard.press("Enter")

    def space(self) -> None:
        self.page.keyboard.press("Space")


def _active_id(page) -> str:  # noqa: ANN001
    return page.evaluate("document.activeElement.id")


def test_keyboard_only_survey_and_self_assessment(page, live_engine):  # noqa: ANN001
    kb = Keyboard(page)
    # --- log in
    page.goto("/login")
    kb.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')"), "the first Tab stop is the skip link"
    kb.tab_to("el.id === 'nip'")
    kb.type(SYAHRIAL)
    kb.press("Tab")
    assert _active_id(page) == "password"
    kb.type(DEMO_PASSWORD)
    kb.enter()
    page.wait_for_url(re.compile(r"^(?!.*/login).*$"))

    # --- the survey, from the task on the Beranda; the skip link jumps over the header and menu
    kb.press("Tab")
    kb.enter()
    assert page.evaluate("document.activeElement.id") == "konten"
    kb.tab_to(f"el.tagName === 'A' && el.textContent.includes('{TRAINING}') && /\\/survei\\/\\d+$/.test(el.href)")
    kb.enter()
    page.wait_for_url(re.compile(r"/survei/\d+$"))
    invitation_id = int(page.url.rsplit("/", 1)[1])
    ids = page.locator("fieldset.question").evaluate_all("els => els.map(e => Number(e.id.split('-')[1]))")
    assert len(ids) == 18
    likert, scale, comment = ids[:15], ids[15], ids[16]
    kb.tab_to(f"el.id === 'q-{likert[0]}'")
    for i, qid in enumerate(likert):
        value = 1 + (i + 2) % 5
        kb.space()  # the first choice of the group; then down the scale
        for _ in range(value - 1):
            kb.press("ArrowDown")
        expect(page.locator(f"#q-{qid}{'' if value == 1 else f'-{value}'}")).to_be_checked()
        expect(page.locator(f"#st-{qid}")).to_contain_text("Tersimpan", timeout=10_000)
        kb.press("Tab")
    assert _active_id(page) == f"q-{scale}"
    kb.space()
    for _ in range(9):
        kb.press("ArrowRight")
    expect(page.locator(f"#q-{scale}-9")).to_be_checked()
    kb.press("Shift+Tab")  # back to the last Likert question, and forward again
    assert page.evaluate("document.activeElement.name") == f"q{likert[-1]}"
    kb.press("Tab")
    kb.press("Tab")
    assert _active_id(page) == f"q-{comment}"
    note = f"Papan antrean perlu diperbesar ({uuid.uuid4().hex[:8]})."
    kb.type(note)
    kb.tab_to("el.id === 'periksa-kirim'")
    expect(page.locator(f"#st-{comment}")).to_contain_text("Tersimpan", timeout=10_000)
    kb.enter()
    page.wait_for_url(re.compile(r"/kirim$"))
    kb.tab_to("el.id === 'kirim-ya'")
    kb.enter()
    page.wait_for_url(re.compile(r"/tanda-terima$"))
    expect(page.locator("#tanda-terima")).to_contain_text("Terima kasih")
    with live_engine.connect() as conn:
        status = conn.execute(text("SELECT status FROM surveyinvitation WHERE id = :i"), {"i": invitation_id}).scalar_one()
        response_id = conn.execute(text("SELECT response_id FROM answer WHERE value_text = :n"), {"n": note}).scalar_one()
        answered = conn.execute(
            text("SELECT question_id, value_num FROM answer WHERE response_id = :r AND value_num IS NOT NULL"), {"r": response_id}
        ).mappings().all()
    assert status == "submitted"
    assert {r["question_id"]: r["value_num"] for r in answered} == {
        **{qid: 1 + (i + 2) % 5 for i, qid in enumerate(likert)},
        scale: 9,
    }

    # --- the AKPK self-assessment, from the Beranda's task
    kb.tab_to("el.tagName === 'A' && el.getAttribute('href') === '/'", key="Shift+Tab")
    kb.enter()
    page.wait_for_url(re.compile(r"/$"))
    kb.tab_to("el.tagName === 'A' && el.getAttribute('href') === '/penilaian'")
    kb.enter()
    page.wait_for_url(re.compile(r"/penilaian$"))
    cids = [int(i.removeprefix("kompetensi-")) for i in page.locator(".assessment-item").evaluate_all("els => els.map(e => e.id)")]
    assert len(cids) == 11
    kb.tab_to(f"el.id === 'level-{cids[0]}-1'")
    levels = {}
    for i, cid in enumerate(cids):
        levels[cid] = 1 + i % 3
        kb.space()
        for _ in range(levels[cid] - 1):
            kb.press("ArrowDown")
        expect(page.locator(f"#level-{cid}-{levels[cid]}")).to_be_checked()
        expect(page.locator(f"#status-{cid}")).to_contain_text("Tersimpan", timeout=10_000)
        kb.press("Tab")  # the evidence note's <summary>
        assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
        if i == 0:  # open it with Enter and write a note
            kb.enter()
            kb.press("Tab")
            assert _active_id(page) == f"note-{cid}"
            kb.type("Melayani loket kecamatan.")
            expect(page.locator(f"#status-{cid}")).to_contain_text("Tersimpan", timeout=10_000)
        if i < len(cids) - 1:
            kb.press("Tab")
    expect(page.locator("#progress")).to_contain_text("11 dari 11")
    kb.tab_to("el.tagName === 'BUTTON' && el.value === 'periksa'")
    kb.enter()
    expect(page.locator("h1")).to_have_text("Periksa jawaban sebelum mengirim")
    kb.tab_to("el.id === 'kirim-button'")
    kb.enter()
    page.wait_for_url(re.compile(r"/penilaian/\d+/hasil$"))
    with live_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT a.status, i.competency_id, i.level, i.note FROM assessment a"
                " JOIN assessmentitem i ON i.assessment_id = a.id JOIN employee e ON e.id = a.subject_id"
                " JOIN assessmentcycle c ON c.id = a.cycle_id"
                " WHERE e.nip = :nip AND a.rater_role = 'self' AND c.status = 'open'"
            ),
            {"nip": SYAHRIAL},
        ).mappings().all()
    assert {r["status"] for r in rows} == {"submitted"}
    assert {r["competency_id"]: r["level"] for r in rows} == levels
    assert [r["note"] for r in rows if r["competency_id"] == cids[0]] == ["Melayani loket kecamatan."]
    assert kb.stops > 60
