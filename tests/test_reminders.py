"""Reminders (issue 15): HR's "Kirim pengingat" and `portal reminders send`, against a real SMTP server
(aiosmtpd, tests.rig.SmtpServer) that records what it received, on SQLite and PostgreSQL.

Exactly one e-mail per pending person; none for those who submitted, have no address or were reminded
within PORTAL_REMINDER_INTERVAL_DAYS; a refused recipient is reported with the server's reason and the
rest still go; nothing is sent or recorded without SMTP; links are absolute from PORTAL_BASE_URL (never
the Host header); the record keeps person, kind, day and a count, nothing else. WhatsApp click-to-chat
links on the follow-up list for known, valid numbers."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from sqlalchemy import func, inspect, select, update

from portal import clock
from portal.cli import main
from portal.models import AuditEvent, Employee, ReminderSend, SurveyInvitation, Training
from portal.services import reminders
from tests import rig
from tests.conftest import DEMO, login, post, text_of
from tests.rig import QueryCounter
from tests.test_surveys import PEERS, make_survey

BASE_URL = "https://kompetensi.example.go.id"
TODAY = clock.today()
NIPS = (DEMO["employee"], *PEERS)  # four participants of a fresh training


@pytest.fixture
def settings(db_url, smtp_server):
    return rig.test_settings(db_url, base_url=BASE_URL, **smtp_server.settings_overrides())


def _email_of(db, nip: str) -> str:
    return db.execute(select(Employee.email).where(Employee.nip == nip)).scalar_one()


def _sends(db) -> list[tuple[str, str, int]]:
    db.expire_all()
    rows = db.execute(select(Employee.nip, ReminderSend.kind, ReminderSend.items).join(Employee, Employee.id == ReminderSend.employee_id))
    return sorted((r.nip, r.kind, r.items) for r in rows)


def _title(db, s: dict) -> str:
    return db.execute(select(Training.title).where(Training.id == s["training_id"])).scalar_one()


def _scenario(db) -> dict:
    """A fresh training with four invited participants: one submitted, one without an e-mail address,
    one reminded of a survey yesterday: only the demo employee is due an e-mail."""
    s = make_survey(db, NIPS)
    submitted, no_email, recent = PEERS
    db.execute(update(SurveyInvitation).where(SurveyInvitation.id == s["invitations"][submitted]).values(status="submitted"))
    db.execute(update(Employee).where(Employee.nip == no_email).values(email=None))
    db.add(ReminderSend(employee_id=s["employees"][recent], kind=reminders.L1_SURVEY, sent_on=TODAY - timedelta(days=1), items=1))
    db.commit()
    s.update(pending=DEMO["employee"], submitted=submitted, no_email=no_email, recent=recent)
    return s


def _confirm(client, query: str):
    page = client.get(f"/laporan/pengingat?{query}")
    assert page.status_code == 200, page.text
    return page


def _send_from(client, page):
    """Post the confirmation's form as the browser does (its hidden fields)."""
    form = re.search(r'<form method="post" action="/laporan/pengingat".*?</form>', page.text, re.DOTALL)
    fields = dict(re.findall(r'<input type="hidden" name="(jenis|pelatihan|periode|dari|sampai|unit)" value="([^"]*)"', form.group(0) if form else ""))
    return post(client, "/laporan/pengingat", fields or {"jenis": "l1"})


def _confirm_and_send(client, query: str):
    page = _confirm(client, query)
    return page, _send_from(client, page)


# --------------------------------------------------------------------------- HR's button


def test_hr_confirms_then_sends_one_mail_per_pending_person_and_nobody_else(client, db, smtp_server):
    s = _scenario(db)
    login(client, DEMO["hr"])
    page = _confirm(client, f"jenis=l1&pelatihan={s['training_id']}")
    confirm = text_of(page.text)
    assert "Kirim pengingat?" in confirm and f"Pelatihan: {_title(db, s)}" in confirm
    assert re.search(r'id="tile-kirim"><span class="tile-value">1<', page.text), confirm
    assert re.search(r'id="tile-baru"><span class="tile-value">1<', page.text)
    assert re.search(r'id="tile-tanpa-email"><span class="tile-value">1<', page.text)
    assert "Contoh email" in confirm and smtp_server.messages() == [], "the confirmation sends nothing"
    assert _sends(db) == [(s["recent"], reminders.L1_SURVEY, 1)], "nor records anything"
    resp = _send_from(client, page)

    assert resp.status_code == 200, resp.text
    assert re.search(r'id="tile-terkirim"><span class="tile-value">1<', resp.text), text_of(resp.text)
    received = smtp_server.messages()
    assert [m.to for m in received] == [_email_of(db, s["pending"])]
    mail = received[0]
    assert mail.subject.startswith("Pengingat") and _title(db, s) in mail.text
    assert mail.html is None and "Yth." in mail.text and "Terima kasih." in mail.text
    assert f"{BASE_URL}/survei" in mail.text and "testserver" not in mail.text
    assert mail.message["Auto-Submitted"] == "auto-generated"
    # recorded: person, kind, a count; the recent one's older row stays, nothing for the others
    assert (s["pending"], reminders.L1_SURVEY) in {(nip, kind) for nip, kind, _n in _sends(db)}
    assert {nip for nip, _k, _n in _sends(db)} == {s["pending"], s["recent"]}
    event = db.execute(select(AuditEvent).where(AuditEvent.action == "reminders.send")).scalars().one()
    assert "sent=1" in event.detail and "skipped_recent=1" in event.detail and "skipped_no_email=1" in event.detail
    assert "@" not in event.detail and s["pending"] not in event.detail

    # pressed again (or a second HR officer): everyone is recent now, nothing goes out
    smtp_server.clear()
    page = _confirm(client, f"jenis=l1&pelatihan={s['training_id']}")
    assert re.search(r'id="tile-kirim"><span class="tile-value">0<', page.text)
    assert "Tidak ada pengingat yang perlu dikirim sekarang." in text_of(page.text)
    assert 'id="kirim-pengingat-ya"' not in page.text
    resp = post(client, "/laporan/pengingat", {"jenis": "l1", "pelatihan": str(s["training_id"])})
    assert re.search(r'id="tile-terkirim"><span class="tile-value">0<', resp.text)
    assert smtp_server.messages() == []


def test_each_reminder_is_in_the_language_chosen_on_its_recipient_s_account(client, db, smtp_server):
    """HR sends from an Indonesian page; the employee who chose English gets an English reminder, the
    others (no choice) the portal's Bahasa Indonesia."""
    s = make_survey(db, NIPS)
    db.execute(update(Employee).where(Employee.nip == DEMO["employee"]).values(locale="en"))
    db.commit()
    login(client, DEMO["hr"])
    _page, resp = _confirm_and_send(client, f"jenis=l1&pelatihan={s['training_id']}")
    assert resp.status_code == 200 and '<html lang="id">' in resp.text, "HR's page stays in HR's language"
    received = {m.to: m for m in smtp_server.messages()}
    assert set(received) == {_email_of(db, n) for n in NIPS}
    english = received.pop(_email_of(db, DEMO["employee"]))
    assert english.subject.startswith("Reminder: ") and _title(db, s) in english.text, english.subject  # the demo has more
    assert "You have not yet filled in the survey for the following trainings:" in english.text
    assert english.text.startswith("Dear ") and "Thank you." in english.text and "(due " in english.text
    assert "Fill in the survey on Portal Kompetensi ASN:" in english.text and f"{BASE_URL}/survei" in english.text
    assert "please do not reply to this e-mail" in english.text
    assert not re.search(r"\b(Yth|Anda|Terima kasih|batas|Pengingat)\b", english.subject + english.text), english.text
    for m in received.values():
        assert m.subject.startswith("Pengingat") and "Yth." in m.text and "Terima kasih." in m.text


def test_the_mail_names_the_training_and_links_to_the_survey_from_the_base_url_not_the_host_header(client, db, smtp_server):
    s = make_survey(db, (PEERS[0],))
    login(client, DEMO["hr"])
    headers = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    resp = post(client, "/laporan/pengingat", {"jenis": "l1", "pelatihan": str(s["training_id"])}, headers=headers)
    assert resp.status_code == 200, resp.text
    mails = [m for m in smtp_server.messages() if m.to == _email_of(db, PEERS[0])]
    assert len(mails) == 1
    text = mails[0].text
    assert "evil.example" not in text and "testserver" not in text
    links = re.findall(r"https?://\S+", text)
    assert links and all(link.startswith(BASE_URL + "/survei") for link in links)
    assert _title(db, s) in text and mails[0].subject.startswith("Pengingat")


def test_a_refused_recipient_is_reported_with_the_reason_and_the_others_still_get_theirs(db_url, db, monkeypatch):
    s = make_survey(db, NIPS)
    refused = _email_of(db, PEERS[1])
    server = rig.SmtpServer(refuse={refused})
    try:
        from litestar.testing import TestClient

        from portal.app import create_app

        app = create_app(rig.test_settings(db_url, base_url=BASE_URL, **server.settings_overrides()))
        with TestClient(app, base_url="http://testserver.local") as client:
            login(client, DEMO["hr"])
            _page, resp = _confirm_and_send(client, f"jenis=l1&pelatihan={s['training_id']}")
        assert resp.status_code == 200
        page = text_of(resp.text)
        assert re.search(r'id="tile-gagal"><span class="tile-value">1<', resp.text), page
        failed = re.search(r'<ul class="record-list" id="daftar-gagal">(.*?)</ul>', resp.text, re.DOTALL).group(1)
        assert PEERS[1] in failed and "Alamat ditolak oleh server email (550" in text_of(failed)
        got = sorted(m.to for m in server.messages())
        assert got == sorted(_email_of(db, n) for n in NIPS if n != PEERS[1])
        assert server.refused == [refused]
        # no record for the refused one: it may be sent again at once
        assert PEERS[1] not in {nip for nip, _k, _n in _sends(db)}
        assert len(_sends(db)) == len(NIPS) - 1
    finally:
        server.stop()


def test_without_smtp_nothing_is_sent_or_recorded_and_the_pages_say_so(db_url, db):
    from litestar.testing import TestClient

    from portal.app import create_app

    s = make_survey(db, NIPS)
    server = rig.SmtpServer()  # running, but the portal is not pointed at it
    try:
        app = create_app(rig.test_settings(db_url, base_url=BASE_URL))
        with TestClient(app, base_url="http://testserver.local") as client:
            login(client, DEMO["hr"])
            page = client.get(f"/laporan/pengingat?jenis=l1&pelatihan={s['training_id']}")
            assert 'id="smtp-belum-diatur"' in page.text and 'id="kirim-pengingat-ya"' not in page.text
            resp = post(client, "/laporan/pengingat", {"jenis": "l1", "pelatihan": str(s["training_id"])})
            assert resp.status_code == 200 and "pengiriman email belum diatur" in text_of(resp.text)
        assert server.messages() == []
        assert _sends(db) == []
        assert db.execute(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "reminders.send")).scalar_one() == 0
    finally:
        server.stop()


def test_l3_reminders_go_to_the_current_supervisor_once_with_all_their_due_ratings(client, db, smtp_server, settings):
    today = clock.today(settings.timezone)
    login(client, DEMO["hr"])
    _page, resp = _confirm_and_send(client, "jenis=l3&periode=" + str(today.year))
    assert resp.status_code == 200, resp.text
    received = smtp_server.messages()
    to = [m.to for m in received]
    assert len(to) == len(set(to)), "one e-mail per supervisor"
    sent = re.search(r'id="tile-terkirim"><span class="tile-value">(\d+)<', resp.text).group(1)
    assert int(sent) == len(received)
    for m in received:
        assert "atasan langsung" in m.text and f"{BASE_URL}/penerapan" in m.text
    assert all(kind == reminders.L3_RATING for _nip, kind, _n in _sends(db))


def test_the_jp_report_button_reaches_employees_below_the_target(client, db, smtp_server):
    login(client, DEMO["hr"])
    jp_page = client.get(f"/laporan/jp?periode={TODAY.year}").text
    assert 'id="kirim-pengingat"' in jp_page
    page, resp = _confirm_and_send(client, f"jenis=jp&periode={TODAY.year}")
    assert "di bawah 20" in text_of(page.text)
    assert resp.status_code == 200
    received = smtp_server.messages()
    assert received and len({m.to for m in received}) == len(received)
    assert all(f"tahun {TODAY.year}" in m.subject and "JP" in m.text for m in received)


def test_the_interval_counts_days_a_reminder_older_than_n_days_does_not_hold_the_next(db, settings):
    s = make_survey(db, NIPS)
    interval = settings.reminder_interval_days
    ids = s["employees"]
    for nip, days_ago in ((DEMO["employee"], interval - 1), (PEERS[0], interval)):
        db.add(ReminderSend(employee_id=ids[nip], kind=reminders.L1_SURVEY, sent_on=TODAY - timedelta(days=days_ago), items=1))
    db.add(ReminderSend(employee_id=ids[PEERS[1]], kind=reminders.L3_RATING, sent_on=TODAY, items=1))  # another kind
    db.commit()
    p = reminders.preview(db, settings, TODAY, reminders.Target(reminders.L1_SURVEY, training_id=s["training_id"])).plan
    assert [r.nip for r in p.recent] == [DEMO["employee"]]
    assert sorted(r.nip for r in p.to_send) == sorted(NIPS[1:])


def test_the_training_report_offers_the_survey_reminder_while_its_survey_is_open(client, db):
    s = make_survey(db, NIPS)
    login(client, DEMO["hr"])
    html = client.get(f"/laporan/pelatihan/{s['training_id']}").text
    assert f'href="/laporan/pengingat?jenis=l1&amp;pelatihan={s["training_id"]}"' in html


def test_confirmation_page_runs_a_bounded_number_of_queries_whatever_the_number_of_people(client, db, engine):
    login(client, DEMO["hr"])
    small = make_survey(db, (PEERS[0],))
    big = make_survey(db, NIPS + tuple(DISDUKCAPIL_NIPS))
    counts = []
    for s in (small, big):
        with QueryCounter(engine) as q:
            assert client.get(f"/laporan/pengingat?jenis=l1&pelatihan={s['training_id']}").status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1], counts


def test_unknown_training_is_404_and_other_roles_are_refused(client, db):
    login(client, DEMO["hr"])
    assert client.get("/laporan/pengingat?jenis=l1&pelatihan=999999").status_code == 404
    assert post(client, "/laporan/pengingat", {"jenis": "l1", "pelatihan": "999999"}).status_code == 404
    login(client, DEMO["supervisor"])
    assert client.get("/laporan/pengingat?jenis=l1").status_code == 403


# --------------------------------------------------------------------------- the daily job


def test_reminders_send_command_dry_run_then_send_then_nothing_within_the_interval(db_url, db, smtp_server, monkeypatch):
    monkeypatch.setenv("PORTAL_DATABASE_URL", db_url)
    monkeypatch.setenv("PORTAL_ENV", "test")
    monkeypatch.setenv("PORTAL_SECRET_KEY", rig.TEST_SECRET)
    monkeypatch.setenv("PORTAL_BASE_URL", BASE_URL)
    for k, v in smtp_server.env().items():
        monkeypatch.setenv(k, v)
    s = _scenario(db)

    dry = CliRunner().invoke(main, ["reminders", "send", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Tidak ada yang dikirim." in dry.output and smtp_server.messages() == [] and _sends(db) == [(s["recent"], reminders.L1_SURVEY, 1)]
    planned = len(re.findall(r"^kirim ", dry.output, re.MULTILINE))
    assert planned > 0

    run = CliRunner().invoke(main, ["reminders", "send"])
    assert run.exit_code == 0, run.output
    received = smtp_server.messages()
    assert f"Pengingat: {len(received)} terkirim" in run.output and len(received) == planned
    # one e-mail per (person, kind); the record has exactly those rows (plus yesterday's)
    recorded = [(nip, kind) for nip, kind, _n in _sends(db)]
    assert len(recorded) == len(set(recorded)) == planned + 1
    employee_mails = [m for m in received if m.to == _email_of(db, s["pending"])]
    l1 = [m for m in employee_mails if "survei" in m.subject.lower()]
    assert len(l1) == 1, [m.subject for m in employee_mails]
    for nip in (s["submitted"], s["no_email"]):
        # these may hold other tasks (AKPK), never a survey reminder about this training
        address = _email_of(db, nip)
        assert not any(m.to == address and _title(db, s) in m.text for m in received)
    recent_address = _email_of(db, s["recent"])
    assert not any(m.to == recent_address and "survei" in m.subject.lower() for m in received)

    smtp_server.clear()
    again = CliRunner().invoke(main, ["reminders", "send"])
    assert again.exit_code == 0 and "Pengingat: 0 terkirim" in again.output, again.output
    assert smtp_server.messages() == []


def test_reminders_send_without_smtp_sends_nothing(db_url, db, monkeypatch):
    monkeypatch.setenv("PORTAL_DATABASE_URL", db_url)
    monkeypatch.setenv("PORTAL_ENV", "test")
    monkeypatch.setenv("PORTAL_SECRET_KEY", rig.TEST_SECRET)
    monkeypatch.delenv("PORTAL_SMTP_HOST", raising=False)
    run = CliRunner().invoke(main, ["reminders", "send"])
    assert run.exit_code == 0 and "SMTP belum dikonfigurasi" in run.output, run.output
    assert _sends(db) == []


def test_a_refused_recipient_in_the_job_exits_1_and_the_batch_goes_on(db_url, db, monkeypatch):
    make_survey(db, NIPS)
    refused = _email_of(db, DEMO["employee"])
    server = rig.SmtpServer(refuse={refused})
    try:
        monkeypatch.setenv("PORTAL_DATABASE_URL", db_url)
        monkeypatch.setenv("PORTAL_ENV", "test")
        monkeypatch.setenv("PORTAL_SECRET_KEY", rig.TEST_SECRET)
        for k, v in server.env().items():
            monkeypatch.setenv(k, v)
        run = CliRunner().invoke(main, ["reminders", "send"])
        assert run.exit_code == 1, run.output
        assert "gagal" in run.output and "550" in run.output and DEMO["employee"] in run.output
        assert server.messages() and all(m.to != refused for m in server.messages())
        assert DEMO["employee"] not in {nip for nip, _k, _n in _sends(db)}
    finally:
        server.stop()


# --------------------------------------------------------------------------- anonymity of the record


def test_the_record_holds_no_time_of_day_no_task_and_no_address(engine):
    columns = {c["name"]: str(c["type"]).upper() for c in inspect(engine).get_columns("remindersend")}
    assert set(columns) == {"id", "employee_id", "kind", "sent_on", "items"}
    assert columns["sent_on"] == "DATE"
    fks = {fk["referred_table"] for fk in inspect(engine).get_foreign_keys("remindersend")}
    assert fks == {"employee"}


# --------------------------------------------------------------------------- WhatsApp


@pytest.mark.parametrize(
    ("phone", "number"),
    [
        ("081234567890", "6281234567890"),
        ("0812-3456-7890", "6281234567890"),
        ("+62 812 3456 7890", "6281234567890"),
        ("62812 3456 7890", "6281234567890"),
        ("(0812) 3456.7890", "6281234567890"),
        ("81234567890", "6281234567890"),
        ("+65 9123 4567", "6591234567"),
        ("0812", None),
        ("0812345678901234567", None),
        ("0812-ABC-7890", None),
        ("", None),
        (None, None),
        ("+", None),
        ("00", None),
        ("+0812345678", None),
    ],
)
def test_whatsapp_number_is_normalised_to_the_international_form(phone, number):
    assert reminders.whatsapp_number(phone) == number


def test_follow_up_list_links_pending_people_with_a_valid_phone_to_whatsapp(client, db, settings):
    s = make_survey(db, NIPS)
    submitted, invalid, none = PEERS
    db.execute(update(SurveyInvitation).where(SurveyInvitation.id == s["invitations"][submitted]).values(status="submitted"))
    phones = {DEMO["employee"]: "0812-3456-7890", submitted: "081299998888", invalid: "12345", none: None}
    for nip, phone in phones.items():
        db.execute(update(Employee).where(Employee.nip == nip).values(phone=phone))
    db.commit()
    login(client, DEMO["hr"])
    html = client.get(f"/laporan/respons?periode={TODAY.year}&jenis=l1").text
    title = _title(db, s)
    rows = [row for row in html.split("<tr")[1:] if f">{title}<" in row]  # this training's invitations
    assert len(rows) == len(NIPS), "everyone invited is listed, as before"
    links = [link for row in rows for link in re.findall(r'<a class="wa-link" href="([^"]+)"', row)]
    numbers = [re.match(r"https://wa\.me/(\d+)\?text=", link).group(1) for link in links]
    assert numbers == ["6281234567890"], "only the pending person with a valid phone gets a link"
    assert "6281299998888" not in numbers, "never a link to someone who has submitted"
    mine = unquote(links[numbers.index("6281234567890")].split("?text=", 1)[1].replace("&amp;", "&"))
    assert mine.startswith("Yth. ") and f"{BASE_URL}/survei" in mine and f'"{title}"' in mine
    assert "&amp;" not in mine and "<" not in mine
    assert 'target="_blank" rel="noopener"' in html


DISDUKCAPIL_NIPS = ("197306031999032004", "197609092000031007", "198102272005012009", "199501122019031010")
