"""One-time links (issue 15): HR or an admin issues an activation link for one person or a unit's people
without a password; the person sets a password at /aktivasi/<code>; the forgotten-password form sends a
link by e-mail (a real SMTP server, aiosmtpd) or says to ask HR. Every link that cannot be used answers
the same clear page, never a 500."""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import timedelta

import pytest
from litestar.testing import TestClient
from sqlalchemy import select, update

from portal import security
from portal.app import create_app
from portal.models import AccountToken, AuditEvent, Employee, utcnow
from portal.services.accounts import tokens
from portal.web.core import loggable_path
from tests.accounts_smtp import smtp_server, smtp_settings, text_body  # noqa: F401 (fixture)
from tests.conftest import DEMO, login, post, text_of

CODE = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}\b")
GOOD = "kopi pagi di tepi laut"
INVALID = "Tautan tidak berlaku"


def _newcomer(db, *, email: str | None = "newcomer@kompetensi.test") -> Employee:  # noqa: ANN001
    """An active demo employee (not one of the demo logins, not an admin) turned into an imported
    account without a password."""
    person = db.execute(
        select(Employee).where(Employee.is_active, ~Employee.is_admin, ~Employee.is_hr, Employee.nip.not_in(DEMO.values())).order_by(Employee.id)
    ).scalars().first()
    person.password_hash = None
    person.email = email
    db.add(person)
    db.commit()
    return person


def _issue(client, person_id: int) -> str:  # noqa: ANN001
    resp = post(client, f"/data-master/pegawai/{person_id}/aktivasi")
    assert resp.status_code == 200, resp.text[:300]
    return CODE.search(resp.text).group(0)


def _fresh_client(settings):  # noqa: ANN001, ANN202
    return TestClient(create_app(settings), base_url="http://testserver.local")


def _set_password(client, code: str, new: str = GOOD, repeat: str | None = None):  # noqa: ANN001, ANN202
    return post(client, f"/aktivasi/{code}", {"new": new, "repeat": new if repeat is None else repeat})


def test_hr_issues_a_link_and_the_person_sets_a_password_and_is_logged_in(client, settings, db):
    person = _newcomer(db)
    login(client, DEMO["hr"])
    page = client.get(f"/data-master/pegawai/{person.id}")
    assert "Belum memiliki kata sandi" in page.text and "Buat tautan aktivasi" in page.text
    code = _issue(client, person.id)
    # only the hash is stored, the audit log names the person, not the code
    stored = db.execute(select(AccountToken).where(AccountToken.employee_id == person.id)).scalar_one()
    assert stored.token_hash == tokens.code_hash(tokens.normalise_code(code)) and stored.purpose == "activation"
    assert stored.expires_at - stored.created_at == timedelta(days=7)
    issued = db.execute(select(AuditEvent).where(AuditEvent.action == "account.link_issued")).scalar_one()
    assert issued.target == f"employee:{person.id}" and code not in issued.detail
    with _fresh_client(settings) as browser:
        form = browser.get(f"/aktivasi/{code}")
        assert form.status_code == 200 and person.name in form.text and person.nip in form.text
        resp = _set_password(browser, code)
        assert resp.status_code == 303
        home = browser.get("/")
        assert home.status_code == 200 and person.name in home.text and "Kata sandi Anda sudah dibuat" in home.text
        # the link is spent
        again = browser.get(f"/aktivasi/{code}")
        assert again.status_code == 404 and INVALID in again.text
    db.expire_all()
    assert security.verify_password(db.get(Employee, person.id).password_hash, GOOD)
    assert db.execute(select(AccountToken.used_at).where(AccountToken.employee_id == person.id)).scalar_one() is not None
    assert db.execute(select(AuditEvent.target).where(AuditEvent.action == "password.set")).scalar_one() == f"employee:{person.id}"
    with _fresh_client(settings) as later:
        login(later, person.nip, GOOD)


@pytest.mark.parametrize(
    ("new", "repeat", "message"),
    [
        ("pendek", None, "Kata sandi minimal 12 karakter"),
        ("qwerty123456", None, "termasuk yang paling sering dipakai"),
        ("nip", None, "tidak boleh memuat NIP Anda"),
        (GOOD, GOOD + "!", "Kedua kata sandi baru tidak sama"),
    ],
)
def test_a_weak_password_on_the_link_is_refused_and_the_link_stays_usable(client, db, new, repeat, message):
    person = _newcomer(db)
    login(client, DEMO["hr"])
    code = _issue(client, person.id)
    typed = person.nip if new == "nip" else new
    resp = _set_password(client, code, typed, repeat)
    assert resp.status_code == 422 and message in text_of(resp.text)
    assert 'class="error-summary"' in resp.text
    db.expire_all()
    assert db.get(Employee, person.id).password_hash is None
    assert client.get(f"/aktivasi/{code}").status_code == 200


def test_an_expired_link_is_refused_with_a_clear_message(client, db):
    person = _newcomer(db)
    login(client, DEMO["hr"])
    code = _issue(client, person.id)
    db.execute(update(AccountToken).where(AccountToken.employee_id == person.id).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.commit()
    for resp in (client.get(f"/aktivasi/{code}"), _set_password(client, code)):
        assert resp.status_code == 404
        assert INVALID in resp.text and "sudah lewat masa berlakunya" in resp.text
    db.expire_all()
    assert db.get(Employee, person.id).password_hash is None


@pytest.mark.parametrize("code", ["K7QM-3XRT-9D2F-HV6B-1NCP", "bukan-kode", "x" * 300, "%00", "K7QM"])
def test_an_unknown_or_malformed_code_answers_the_same_page(client, code):
    for resp in (client.get(f"/aktivasi/{code}"), _set_password(client, code)):
        assert resp.status_code == 404 and INVALID in resp.text


def test_a_new_link_replaces_the_unused_one(client, db):
    person = _newcomer(db)
    login(client, DEMO["hr"])
    first = _issue(client, person.id)
    second = _issue(client, person.id)
    assert client.get(f"/aktivasi/{first}").status_code == 404
    assert client.get(f"/aktivasi/{second}").status_code == 200


def test_a_code_typed_from_a_hand_out_forgives_case_and_dashes(client, db):
    person = _newcomer(db)
    login(client, DEMO["hr"])
    code = _issue(client, person.id)
    typed = code.replace("-", " ").lower()
    resp = client.get("/aktivasi", params={"kode": typed}, follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"] == f"/aktivasi/{code}"
    wrong = client.get("/aktivasi", params={"kode": "123"})
    assert wrong.status_code == 422 and "Kode terdiri atas 20 huruf dan angka" in wrong.text


def test_a_link_of_a_switched_off_account_is_refused(client, db):
    person = _newcomer(db)
    login(client, DEMO["hr"])
    code = _issue(client, person.id)
    db.execute(update(Employee).where(Employee.id == person.id).values(account_disabled=True))
    db.commit()
    assert client.get(f"/aktivasi/{code}").status_code == 404
    refused = post(client, f"/data-master/pegawai/{person.id}/aktivasi")
    assert refused.status_code == 409 and "Akun ini tidak dapat masuk" in refused.text


def test_hr_may_not_issue_a_link_for_an_administrator_but_an_admin_may(client, settings, db):
    admin_id = db.execute(select(Employee.id).where(Employee.nip == DEMO["admin"])).scalar_one()
    login(client, DEMO["hr"])
    refused = post(client, f"/data-master/pegawai/{admin_id}/aktivasi")
    assert refused.status_code == 403 and "hanya dapat dibuat oleh administrator" in refused.text
    assert db.execute(select(AccountToken.id)).first() is None
    with _fresh_client(settings) as admin:
        login(admin, DEMO["admin"])
        hr_id = db.execute(select(Employee.id).where(Employee.nip == DEMO["hr"])).scalar_one()
        assert CODE.search(post(admin, f"/data-master/pegawai/{hr_id}/aktivasi").text)


def test_the_codes_never_reach_the_access_log():
    assert loggable_path({"path": "/aktivasi/K7QM-3XRT-9D2F-HV6B-1NCP"}) == ("/aktivasi/…", False)


# --------------------------------------------------------------------------- a unit's hand-out


def _unit_without_passwords(db) -> tuple[int, list[Employee]]:  # noqa: ANN001
    person = _newcomer(db)
    people = list(db.execute(select(Employee).where(Employee.unit_id == person.unit_id, Employee.is_active, ~Employee.is_admin)).scalars())
    for p in people:
        p.password_hash = None
        db.add(p)
    db.commit()
    return person.unit_id, people


def test_hr_issues_a_units_links_as_a_printable_list(client, db):
    unit_id, people = _unit_without_passwords(db)
    login(client, DEMO["hr"])
    form = client.get("/data-master/aktivasi", params={"unit": unit_id, "sub": "0"})
    assert form.status_code == 200 and f"{len(people)} pegawai belum memiliki kata sandi" in text_of(form.text)
    page = post(client, "/data-master/aktivasi", {"unit": str(unit_id), "sub": "0", "format": "html"})
    assert page.status_code == 200
    assert len(set(CODE.findall(page.text))) == len(people)
    assert all(p.name in page.text for p in people)
    assert "Email belum diatur" not in page.text and "hanya ditampilkan sekarang" in page.text


def test_hr_downloads_a_units_links_as_csv(client, db):
    unit_id, people = _unit_without_passwords(db)
    login(client, DEMO["hr"])
    resp = post(client, "/data-master/aktivasi", {"unit": str(unit_id), "sub": "0", "format": "csv"})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
    assert "attachment" in resp.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert sorted(r["NIP"] for r in rows) == sorted(p.nip for p in people)
    assert all(CODE.fullmatch(r["Kode"]) and r["Tautan"].endswith("/aktivasi/" + r["Kode"]) for r in rows)
    assert db.execute(select(AccountToken.id)).all().__len__() == len(people)


def test_a_unit_whose_people_all_have_passwords_gets_a_clear_message(client, db):
    unit_id = db.execute(select(Employee.unit_id).where(Employee.nip == DEMO["employee"])).scalar_one()
    login(client, DEMO["hr"])
    resp = post(client, "/data-master/aktivasi", {"unit": str(unit_id), "sub": "0", "format": "html"})
    assert resp.status_code == 422 and "Semua pegawai di unit ini sudah memiliki kata sandi" in resp.text
    missing = post(client, "/data-master/aktivasi", {"unit": "", "format": "html"})
    assert missing.status_code == 422 and "Pilih unit kerja dari daftar." in missing.text


# --------------------------------------------------------------------------- e-mail (a real SMTP server)


def _wait_for(server, n: int):  # noqa: ANN001, ANN202
    deadline = time.monotonic() + 5
    while len(server.messages) < n and time.monotonic() < deadline:
        time.sleep(0.05)
    return server.messages


def test_the_activation_link_is_e_mailed_when_smtp_is_configured(db_url, settings, db, smtp_server):  # noqa: F811
    person = _newcomer(db)
    with TestClient(create_app(smtp_settings(settings, smtp_server)), base_url="http://testserver.local") as hr:
        login(hr, DEMO["hr"])
        page = post(hr, f"/data-master/pegawai/{person.id}/aktivasi")
        assert "1 tautan dikirim lewat email" in text_of(page.text)
        code = CODE.search(page.text).group(0)
    (msg,) = _wait_for(smtp_server, 1)
    assert msg["To"] == "newcomer@kompetensi.test" and msg["Subject"] == "Aktifkan akun Portal Kompetensi ASN Anda"
    body = text_body(msg)
    assert f"https://kompetensi.test/aktivasi/{code}" in body and person.nip in body and "hanya dapat dipakai sekali" in body
    assert not msg.is_multipart() or msg.get_body(preferencelist=("html",)) is None  # plain text only


def test_the_link_e_mail_is_in_the_language_chosen_on_the_recipient_s_account(db_url, settings, db, smtp_server):  # noqa: F811
    """HR works in Bahasa Indonesia; the newcomer chose English: the e-mail is English, date included."""
    person = _newcomer(db)
    person.locale = "en"
    db.add(person)
    db.commit()
    with TestClient(create_app(smtp_settings(settings, smtp_server)), base_url="http://testserver.local") as hr:
        login(hr, DEMO["hr"])
        page = post(hr, f"/data-master/pegawai/{person.id}/aktivasi")
        assert "1 tautan dikirim lewat email" in text_of(page.text), "HR's page stays in HR's language"
    (msg,) = _wait_for(smtp_server, 1)
    assert msg["Subject"] == "Activate your Portal Kompetensi ASN account"
    body = text_body(msg)
    assert body.startswith(f"Dear {person.name},") and person.nip in body and "can be used only once" in body
    assert "Yth." not in body and "Tautan" not in body
    expires = re.search(r"valid until (.+)\.", body).group(1)
    assert re.search(r"(January|February|March|April|May|June|July|August|September|October|November|December)", expires), expires


def test_forgotten_password_sends_a_link_to_a_known_address_and_says_the_same_for_an_unknown_nip(settings, db, smtp_server):  # noqa: F811
    me = db.execute(select(Employee).where(Employee.nip == DEMO["employee"])).scalar_one()
    me.email = "pegawai@kompetensi.test"
    db.add(me)
    db.commit()
    with TestClient(create_app(smtp_settings(settings, smtp_server)), base_url="http://testserver.local") as browser:
        assert 'href="/lupa-sandi"' in browser.get("/login").text
        known = post(browser, "/lupa-sandi", {"nip": DEMO["employee"]})
        unknown = post(browser, "/lupa-sandi", {"nip": "199001012020011999"})
        assert known.status_code == unknown.status_code == 200
        assert text_of(known.text) == text_of(unknown.text)
        assert "Permintaan diterima" in known.text
        (msg,) = _wait_for(smtp_server, 1)
        assert msg["To"] == "pegawai@kompetensi.test" and msg["Subject"] == "Atur ulang kata sandi Portal Kompetensi ASN"
        code = CODE.search(text_body(msg)).group(0)
        assert _set_password(browser, code).status_code == 303
    db.expire_all()
    assert security.verify_password(db.get(Employee, me.id).password_hash, GOOD)
    time.sleep(0.2)
    assert len(smtp_server.messages) == 1  # nothing for the unknown NIP


def test_forgotten_password_requests_are_throttled_per_nip(settings, db, smtp_server):  # noqa: F811
    with TestClient(create_app(smtp_settings(settings, smtp_server)), base_url="http://testserver.local") as browser:
        for _ in range(3):
            assert post(browser, "/lupa-sandi", {"nip": "199001012020011999"}).status_code == 200
        resp = post(browser, "/lupa-sandi", {"nip": "199001012020011999"})
        assert resp.status_code == 429 and "Terlalu banyak permintaan" in resp.text
        empty = post(browser, "/lupa-sandi", {"nip": ""})
        assert empty.status_code == 422 and "Masukkan NIP Anda" in empty.text


def test_forgotten_password_without_e_mail_says_to_ask_hr(client):
    page = client.get("/lupa-sandi")
    assert page.status_code == 200 and "Hubungi BKPSDM" in page.text and 'name="nip"' not in page.text
    resp = post(client, "/lupa-sandi", {"nip": DEMO["employee"]})
    assert resp.status_code == 200 and "Hubungi BKPSDM" in resp.text and "Permintaan diterima" not in resp.text
