"""Real Chromium (360 px) against a live server of its own that sends through a real SMTP server
(aiosmtpd): HR opens the response monitoring, sees WhatsApp links for the people with a phone number who
have not answered, presses "Kirim pengingat", confirms, and sees the result; the SMTP server received
exactly one e-mail per pending person with an address, and none for the one who submitted."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update
from sqlmodel import Session

from portal import clock
from portal.db import make_engine
from portal.models import Employee, SurveyInvitation, Training
from tests import a11y, rig
from tests.conftest import DEMO, EXPECTED_HTTP_ERRORS, browser_login
from tests.test_surveys import PEERS, make_survey

BASE_URL = "https://kompetensi.example.go.id"
PENDING_WITH_PHONE = {DEMO["employee"]: ("0812-3456-7890", "6281234567890"), PEERS[1]: ("+62 813 1111 2222", "6281311112222")}
SUBMITTED = PEERS[0]  # phone 0812 9999 8888: never a link on this training's row
NO_EMAIL = PEERS[2]  # pending, phone "12345" (no link), no e-mail address


@pytest.fixture
def seeded(sqlite_templates: dict[str, Path], work_dir: Path) -> Iterator[dict]:
    path = work_dir / "reminders-live.db"
    shutil.copyfile(sqlite_templates["demo"], path)
    url = f"sqlite:///{path}"
    engine = make_engine(rig.test_settings(url))
    try:
        with Session(engine, expire_on_commit=False) as db:
            s = make_survey(db, (*PENDING_WITH_PHONE, SUBMITTED, NO_EMAIL))
            db.execute(update(SurveyInvitation).where(SurveyInvitation.id == s["invitations"][SUBMITTED]).values(status="submitted"))
            for nip, (phone, _number) in PENDING_WITH_PHONE.items():
                db.execute(update(Employee).where(Employee.nip == nip).values(phone=phone))
            db.execute(update(Employee).where(Employee.nip == SUBMITTED).values(phone="081299998888"))
            db.execute(update(Employee).where(Employee.nip == NO_EMAIL).values(phone="12345", email=None))
            db.commit()
            s["title"] = db.execute(select(Training.title).where(Training.id == s["training_id"])).scalar_one()
            s["emails"] = {r.nip: r.email for r in db.execute(select(Employee.nip, Employee.email))}
        yield {**s, "url": url}
    finally:
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


@pytest.fixture
def mail_server() -> Iterator[rig.SmtpServer]:
    server = rig.SmtpServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def reminders_page(browser, seeded, mail_server):  # noqa: ANN001, ANN201
    """A phone-sized page on a live server pointed at the test SMTP server; fails on console errors and on
    serious/critical accessibility violations (tests/a11y.py)."""
    server = rig.LiveServer(seeded["url"], env=mail_server.env(PORTAL_BASE_URL=BASE_URL))
    context = browser.new_context(viewport={"width": 360, "height": 780}, base_url=server.url, locale="id-ID")
    axe = a11y.watch(context)
    pg = context.new_page()
    problems: list[str] = []
    pg.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" and not EXPECTED_HTTP_ERRORS.search(msg.text) else None)
    pg.on("pageerror", lambda exc: problems.append(str(exc)))
    try:
        yield pg
        axe.finish(pg)
    finally:
        context.close()
        server.stop()
    assert not problems, f"browser reported problems: {problems}"
    violations = axe.failures(navigated=True)
    assert not violations, "axe-core found serious/critical accessibility violations:\n" + "\n".join(violations)


# the NIPs of the rows shown as not (yet) answering a survey that is open now
ROWS_NOT_ANSWERING = """() => [...document.querySelectorAll("[aria-labelledby='judul-orang'] tbody tr")]
  .filter(tr => ["Belum mengisi", "Sedang mengisi"].includes(tr.querySelector("td[data-label='Status']").innerText.trim()))
  .map(tr => tr.querySelector(".row-sub").innerText.trim())"""


def _check_whatsapp_links(rows, title: str) -> None:  # noqa: ANN001
    """A link on the row of each pending person with a valid number, none on the others."""
    expect(rows).to_have_count(4)
    for nip, (_phone, number) in PENDING_WITH_PHONE.items():
        link = rows.filter(has_text=nip).locator("a.wa-link")
        expect(link).to_have_count(1)
        href = link.get_attribute("href")
        assert href.startswith(f"https://wa.me/{number}?text=")
        message = unquote(href.split("?text=", 1)[1])
        assert message.startswith("Yth. ") and title in message and f"{BASE_URL}/survei" in message
    expect(rows.filter(has_text=SUBMITTED).locator("a.wa-link")).to_have_count(0)
    expect(rows.filter(has_text=NO_EMAIL).locator("a.wa-link")).to_have_count(0)


def test_hr_sends_reminders_from_the_response_monitoring_and_whatsapp_links_are_there(reminders_page, seeded, mail_server):
    page = reminders_page
    browser_login(page, DEMO["hr"])
    year = clock.today().year
    page.goto(f"/laporan/respons?periode={year}&jenis=l1")
    expect(page.locator("#kirim-pengingat")).to_be_visible()

    # walk the list (it is paged): who should get an e-mail is everyone shown as not (yet) answering an
    # open survey, with an address; WhatsApp links on this training's rows
    pending: set[str] = set()
    checked_links = False
    page.goto(f"/laporan/respons?periode={year}&jenis=l1&status=semua")
    for number in range(1, 20):
        if number > 1:
            page.goto(f"/laporan/respons?periode={year}&jenis=l1&status=semua&hal={number}")
        pending.update(page.evaluate(ROWS_NOT_ANSWERING))
        rows = page.locator("[aria-labelledby='judul-orang'] tbody tr", has_text=seeded["title"])
        if rows.count():
            _check_whatsapp_links(rows, seeded["title"])
            checked_links = True
        if page.locator(".pagination a[rel=next]").count() == 0:
            break
    assert checked_links, "this training's people are listed"
    assert set(PENDING_WITH_PHONE) <= pending
    expected = sorted(seeded["emails"][nip] for nip in pending if seeded["emails"].get(nip))
    without_address = [nip for nip in pending if not seeded["emails"].get(nip)]
    assert without_address == [NO_EMAIL]
    page.goto(f"/laporan/respons?periode={year}&jenis=l1")

    # Kirim pengingat -> confirmation: counts, nothing sent yet
    page.locator("#kirim-pengingat").click()
    page.wait_for_url(re.compile(r"/laporan/pengingat\?"))
    expect(page.locator("h1")).to_have_text("Kirim pengingat?")
    expect(page.locator("#tile-kirim .tile-value")).to_have_text(str(len(expected)))
    expect(page.locator("#tile-tanpa-email .tile-value")).to_have_text("1")
    assert mail_server.messages() == []
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "confirmation scrolls sideways"

    # confirm -> the result page; the SMTP server got exactly one e-mail per pending person
    page.locator("#kirim-pengingat-ya").click()
    expect(page.locator("h1")).to_have_text("Hasil pengiriman pengingat")
    expect(page.locator("#tile-terkirim .tile-value")).to_have_text(str(len(expected)))
    expect(page.locator("#tile-gagal .tile-value")).to_have_text("0")
    expect(page.locator(".flash-success")).to_contain_text(f"{len(expected)} pengingat terkirim.")
    received = mail_server.messages()
    assert sorted(m.to for m in received) == expected
    # the one who submitted is reminded at most of other surveys still open to them, never of this one
    assert not any(seeded["title"] in m.text for m in received if m.to == seeded["emails"][SUBMITTED])
    mine = next(m for m in received if m.to == seeded["emails"][DEMO["employee"]])
    assert seeded["title"] in mine.text and f"{BASE_URL}/survei" in mine.text
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "result page scrolls sideways"
