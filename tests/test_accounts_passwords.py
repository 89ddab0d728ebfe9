"""Changing one's own password (/akun/sandi) and the password rules (OWASP ASVS 2.1): length or a
passphrase, the 10,000 common passwords, the NIP, the name; the argon2 rehash at login."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from litestar.testing import TestClient
from sqlalchemy import select

from portal import security
from portal.app import create_app
from portal.models import AuditEvent, Employee, UserSession
from portal.services.accounts import passwords
from tests.conftest import DEMO, DEMO_PASSWORD, SESSION_COOKIES, login, post, text_of

NEW = "kopi pagi di tepi laut"
NIP = DEMO["employee"]


def _employee(db, nip: str = NIP) -> Employee:  # noqa: ANN001
    db.expire_all()
    return db.execute(select(Employee).where(Employee.nip == nip)).scalar_one()


def _actions(db, action: str) -> list[AuditEvent]:  # noqa: ANN001
    return list(db.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars())


# --------------------------------------------------------------------------- the rules, without a database


def test_a_short_password_is_refused_with_the_length_and_the_passphrase_hint():
    message = passwords.problem("Abc-12345", nip=NIP)
    assert "minimal 12 karakter" in message and "(yang Anda ketik 9)" in message and "Kalimat pendek" in message


@pytest.mark.parametrize("password", ["password1234", "iloveyou12345", "Sunshine2026!!", "PORTALKOMPETENSI2026", "1q2w3e4r5t6y"])
def test_a_common_password_or_one_with_digits_around_it_is_refused(password):
    assert passwords.problem(password, nip=NIP) in (
        "Kata sandi ini termasuk yang paling sering dipakai orang sehingga mudah ditebak. Pilih yang lain.",
        "Kata sandi ini terlalu mudah ditebak (urutan tombol, abjad atau karakter yang diulang). Pilih yang lain.",
    )


def test_the_common_list_holds_ten_thousand_passwords():
    common = passwords.common_passwords()
    assert len(common) == 10_000
    assert {"password", "123456", "qwerty", "iloveyou"} <= common


@pytest.mark.parametrize("password", [NIP, "nip" + NIP, NIP[:8] + "-kucingku", "11061997-kucingku"])
def test_the_nip_or_the_birth_date_in_it_is_refused(password):
    assert passwords.problem(password, nip=NIP) == "Kata sandi tidak boleh memuat NIP Anda atau tanggal lahir yang ada di dalamnya."


def test_runs_and_repeated_characters_are_refused():
    for password in ("abcdefghijklmn", "aaaaaaaaaaaaaaaa", "lkjhgfdsapoiu", "98765432109876"):
        assert "terlalu mudah ditebak" in passwords.problem(password)


def test_the_name_with_digits_is_refused():
    assert passwords.problem("Sulistyowati2026", name="Dr. Sulistyowati, S.Kep.") == "Kata sandi tidak boleh berupa nama Anda, dengan atau tanpa angka."


@pytest.mark.parametrize("password", [NEW, "Tanjung-Pinang-Hujan-7", "ikan bakar sambal dabu"])
def test_a_passphrase_or_a_long_password_is_accepted(password):
    assert passwords.problem(password, nip=NIP, name="Dewi Lestari") is None


def test_the_new_password_must_differ_from_the_current_one():
    assert passwords.problem(NEW, current=NEW) == "Kata sandi baru harus berbeda dari kata sandi Anda saat ini."


# --------------------------------------------------------------------------- /akun/sandi


def test_the_password_page_is_linked_from_the_header(client):
    login(client, NIP)
    assert 'href="/akun/sandi"' in client.get("/").text
    page = client.get("/akun/sandi")
    assert page.status_code == 200 and 'autocomplete="new-password"' in page.text


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("pendek-1", "Kata sandi minimal 12 karakter"),
        ("password12345", "termasuk yang paling sering dipakai"),
        (NIP, "tidak boleh memuat NIP Anda"),
    ],
)
def test_a_weak_new_password_is_refused_next_to_its_field_and_nothing_changes(client, db, new, message):
    login(client, NIP)
    before = _employee(db).password_hash
    resp = post(client, "/akun/sandi", {"current": DEMO_PASSWORD, "new": new, "repeat": new})
    assert resp.status_code == 422
    assert 'id="new-error"' in resp.text and message in text_of(resp.text)
    assert 'href="#new"' in resp.text  # the summary links to the field
    assert new not in resp.text and DEMO_PASSWORD not in resp.text  # nothing typed comes back
    assert _employee(db).password_hash == before


def test_the_repeat_must_match(client):
    login(client, NIP)
    resp = post(client, "/akun/sandi", {"current": DEMO_PASSWORD, "new": NEW, "repeat": NEW + "x"})
    assert resp.status_code == 422 and "Kedua kata sandi baru tidak sama" in resp.text


def test_a_wrong_current_password_is_refused_and_audited(client, db):
    login(client, NIP)
    resp = post(client, "/akun/sandi", {"current": "salah-sekali-ini", "new": NEW, "repeat": NEW})
    assert resp.status_code == 422 and "Kata sandi saat ini salah." in resp.text
    assert security.verify_password(_employee(db).password_hash, DEMO_PASSWORD)
    failed = _actions(db, "password.change_failed")
    assert len(failed) == 1 and "salah-sekali-ini" not in failed[0].detail


def test_changing_the_password_ends_the_other_sessions_and_the_new_one_logs_in(settings, client, db):
    login(client, NIP)
    with TestClient(create_app(settings), base_url="http://testserver.local") as other:  # another browser
        login(other, NIP)
        old_cookie = next(client.cookies.get(n) for n in SESSION_COOKIES if client.cookies.get(n))
        resp = post(client, "/akun/sandi", {"current": DEMO_PASSWORD, "new": NEW, "repeat": NEW})
        assert resp.status_code == 303 and resp.headers["location"] == "/"
        new_cookie = next(client.cookies.get(n) for n in SESSION_COOKIES if client.cookies.get(n))
        assert new_cookie != old_cookie
        home = client.get("/")
        assert home.status_code == 200 and "Kata sandi Anda sudah diganti" in home.text
        # the other browser's session has ended
        assert other.get("/", follow_redirects=False).status_code in (302, 303)
    me = _employee(db)
    assert security.verify_password(me.password_hash, NEW) and not security.verify_password(me.password_hash, DEMO_PASSWORD)
    assert len(db.execute(select(UserSession.id).where(UserSession.employee_id == me.id)).all()) == 1
    assert [e.target for e in _actions(db, "password.change")] == [f"employee:{me.id}"]
    with TestClient(create_app(settings), base_url="http://testserver.local") as fresh:
        login(fresh, NIP, NEW)


def test_the_password_page_needs_a_login(client):
    resp = client.get("/akun/sandi", follow_redirects=False)
    assert resp.status_code in (302, 303) and resp.headers["location"].startswith("/login")


# --------------------------------------------------------------------------- argon2 parameters


def test_a_hash_with_older_argon2_parameters_is_upgraded_at_login(client, db):
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(DEMO_PASSWORD)
    me = _employee(db)
    me.password_hash = weak
    db.add(me)
    db.commit()
    assert security.needs_rehash(weak)
    login(client, NIP)
    upgraded = _employee(db).password_hash
    assert upgraded != weak and not security.needs_rehash(upgraded)
    assert security.verify_password(upgraded, DEMO_PASSWORD)


def test_a_current_hash_is_left_alone_at_login(client, db):
    before = _employee(db).password_hash
    login(client, NIP)
    assert _employee(db).password_hash == before
