"""The administrator's accounts (/admin/akun): list and search, HR and admin roles, switching an account
off, unlocking a throttled NIP, ending sessions; every change audited; the last active administrator
can never be removed (nor remove themself)."""

from __future__ import annotations

import re

from litestar.testing import TestClient
from sqlalchemy import func, select, update

from portal.app import create_app
from portal.models import AuditEvent, Employee, LoginFailure, UserSession
from portal.services.accounts import admin
from tests.conftest import DEMO, DEMO_PASSWORD, login, post, text_of
from tests.test_master_forms import edit_data

BASE = "/admin/akun"
LAST_ADMIN = "Ini satu-satunya administrator yang aktif. Jadikan orang lain administrator lebih dulu."


def _person(db, nip: str) -> Employee:  # noqa: ANN001
    db.expire_all()
    return db.execute(select(Employee).where(Employee.nip == nip)).scalar_one()


def _audits(db, action: str) -> list[AuditEvent]:  # noqa: ANN001
    return list(db.execute(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).scalars())


def _browser(settings):  # noqa: ANN001, ANN202
    return TestClient(create_app(settings), base_url="http://testserver.local")


def _logged_in(client) -> bool:  # noqa: ANN001
    return client.get("/", follow_redirects=False).status_code == 200


# --------------------------------------------------------------------------- list


def test_the_admin_nav_entry_is_for_admins_only(client, settings):
    login(client, DEMO["admin"])
    assert 'href="/admin/akun"' in client.get("/").text
    with _browser(settings) as hr:
        login(hr, DEMO["hr"])
        assert 'href="/admin/akun"' not in hr.get("/").text
        assert hr.get(BASE).status_code == 403


def test_the_list_is_searched_filtered_and_paginated(client, db):
    login(client, DEMO["admin"])
    total = db.execute(select(func.count()).select_from(Employee)).scalar_one()
    page = client.get(BASE)
    assert page.status_code == 200 and f"{total} akun" in text_of(page.text)
    assert len(re.findall(r'<p class="record-title"><a href="/admin/akun/\d+"', page.text)) == min(total, admin.PAGE_SIZE)
    if total > admin.PAGE_SIZE:
        second = client.get(BASE, params={"hal": "2"})
        assert "Halaman 2 dari" in second.text
    found = client.get(BASE, params={"q": DEMO["hr"]})
    hr = _person(db, DEMO["hr"])
    assert "1 akun" in text_of(found.text) and hr.name in found.text
    admins = client.get(BASE, params={"peran": "admin"}, headers={"HX-Request": "true"})
    assert admins.status_code == 200 and "<html" not in admins.text  # the list fragment for htmx
    assert _person(db, DEMO["admin"]).name in admins.text and hr.name not in admins.text
    empty = client.get(BASE, params={"q": "tidak-ada-yang-bernama-ini"})
    assert "Tidak ada akun yang cocok" in empty.text


# --------------------------------------------------------------------------- roles


def test_granting_hr_is_audited_and_revoking_asks_first(client, db):
    login(client, DEMO["admin"])
    putri = _person(db, DEMO["employee"])
    url = f"{BASE}/{putri.id}/peran"
    assert post(client, url, {"peran": "hr", "aksi": "beri"}).status_code == 303
    assert _person(db, DEMO["employee"]).is_hr is True
    [granted] = _audits(db, "account.role_grant")
    assert granted.target == f"employee:{putri.id}" and granted.detail == "peran: BKPSDM"
    ask = post(client, url, {"peran": "hr", "aksi": "cabut"})
    assert ask.status_code == 200 and "Cabut peran BKPSDM dari" in ask.text and 'name="konfirmasi" value="ya"' in ask.text
    assert _person(db, DEMO["employee"]).is_hr is True
    done = post(client, url, {"peran": "hr", "aksi": "cabut", "konfirmasi": "ya"})
    assert done.status_code == 303 and _person(db, DEMO["employee"]).is_hr is False
    assert "dicabut" in client.get(done.headers["location"]).text
    assert len(_audits(db, "account.role_revoke")) == 1


def test_granting_admin_asks_first(client, db):
    login(client, DEMO["admin"])
    hr = _person(db, DEMO["hr"])
    ask = post(client, f"{BASE}/{hr.id}/peran", {"peran": "admin", "aksi": "beri"})
    assert ask.status_code == 200 and "administrator?" in ask.text
    assert _person(db, DEMO["hr"]).is_admin is False
    assert post(client, f"{BASE}/{hr.id}/peran", {"peran": "admin", "aksi": "beri", "konfirmasi": "ya"}).status_code == 303
    assert _person(db, DEMO["hr"]).is_admin is True


def test_the_last_admin_cannot_revoke_their_own_admin_role(client, db):
    assert admin.active_admins(db) == 1
    login(client, DEMO["admin"])
    me = _person(db, DEMO["admin"])
    resp = post(client, f"{BASE}/{me.id}/peran", {"peran": "admin", "aksi": "cabut", "konfirmasi": "ya"})
    assert resp.status_code == 409 and LAST_ADMIN in text_of(resp.text)
    assert _person(db, DEMO["admin"]).is_admin is True
    assert not _audits(db, "account.role_revoke")


def test_an_admin_may_step_down_when_another_admin_remains(client, db):
    login(client, DEMO["admin"])
    hr = _person(db, DEMO["hr"])
    post(client, f"{BASE}/{hr.id}/peran", {"peran": "admin", "aksi": "beri", "konfirmasi": "ya"})
    me = _person(db, DEMO["admin"])
    resp = post(client, f"{BASE}/{me.id}/peran", {"peran": "admin", "aksi": "cabut", "konfirmasi": "ya"})
    assert resp.status_code == 303 and resp.headers["location"] == "/"
    assert _person(db, DEMO["admin"]).is_admin is False
    assert client.get(BASE).status_code == 403


def test_the_last_admin_cannot_switch_off_their_own_account(client, db):
    login(client, DEMO["admin"])
    me = _person(db, DEMO["admin"])
    resp = post(client, f"{BASE}/{me.id}/status", {"aksi": "matikan", "konfirmasi": "ya"})
    assert resp.status_code == 409 and "Anda tidak dapat mematikan akun Anda sendiri." in text_of(resp.text)
    assert _person(db, DEMO["admin"]).account_disabled is False


def test_data_master_cannot_deactivate_the_last_active_admin(client, db):
    login(client, DEMO["hr"])
    boss = _person(db, DEMO["admin"])
    db.execute(update(Employee).where(Employee.supervisor_id == boss.id).values(supervisor_id=None))
    db.commit()
    resp = post(client, f"/data-master/pegawai/{boss.id}/ubah", edit_data(db, boss.id, is_active="0", konfirmasi_nonaktif="1"))
    assert resp.status_code == 422 and "satu-satunya administrator yang aktif" in text_of(resp.text)
    assert _person(db, DEMO["admin"]).is_active is True


def test_the_rule_holds_in_the_service_too(db):
    me = _person(db, DEMO["admin"])
    assert admin.set_role(db, me.id, me.id, "admin", False) == "last_admin"
    other = _person(db, DEMO["hr"])
    assert admin.set_role(db, me.id, other.id, "admin", True) == "ok"
    assert admin.set_disabled(db, other.id, me.id, True) == "ok"
    assert admin.set_disabled(db, me.id, other.id, True) == "last_admin"  # me is switched off: other is the last
    assert _person(db, DEMO["hr"]).account_disabled is False


# --------------------------------------------------------------------------- switching off, unlocking, sessions


def test_switching_an_account_off_asks_first_ends_its_sessions_and_refuses_login(client, settings, db):
    putri = _person(db, DEMO["employee"])
    with _browser(settings) as theirs:
        login(theirs, DEMO["employee"])
        login(client, DEMO["admin"])
        url = f"{BASE}/{putri.id}/status"
        ask = post(client, url, {"aksi": "matikan"})
        assert ask.status_code == 200 and "Matikan akun" in ask.text
        assert _logged_in(theirs)
        assert post(client, url, {"aksi": "matikan", "konfirmasi": "ya"}).status_code == 303
        assert not _logged_in(theirs)
        refused = theirs.post("/login", data={"nip": DEMO["employee"], "password": DEMO_PASSWORD})
        assert refused.status_code in (403, 422)
    assert _person(db, DEMO["employee"]).account_disabled is True
    assert db.execute(select(UserSession.id).where(UserSession.employee_id == putri.id)).first() is None
    [event] = _audits(db, "account.disable")
    assert event.target == f"employee:{putri.id}" and event.actor_id == _person(db, DEMO["admin"]).id
    assert post(client, url, {"aksi": "hidupkan"}).status_code == 303
    assert _person(db, DEMO["employee"]).account_disabled is False and _audits(db, "account.enable")
    with _browser(settings) as again:
        login(again, DEMO["employee"])


def test_a_throttled_nip_is_listed_and_unlocked(client, settings, db):
    nip = DEMO["employee"]
    with _browser(settings) as guesser:
        for _ in range(settings.login_max_failures):
            post(guesser, "/login", {"nip": nip, "password": "salah-salah-salah"})
        locked = post(guesser, "/login", {"nip": nip, "password": DEMO_PASSWORD})
        assert locked.status_code == 429
    login(client, DEMO["admin"])
    index = client.get(BASE)
    assert "NIP yang terkunci" in index.text and nip in index.text
    putri = _person(db, nip)
    assert "NIP terkunci" in client.get(f"{BASE}/{putri.id}").text
    done = post(client, f"{BASE}/buka-kunci", {"nip": nip, "kembali": str(putri.id)})
    assert done.status_code == 303 and done.headers["location"] == f"{BASE}/{putri.id}"
    assert "dibuka" in client.get(done.headers["location"]).text
    assert db.execute(select(LoginFailure.id).where(LoginFailure.nip == nip)).first() is None
    [event] = _audits(db, "account.unlock")
    assert event.target == f"employee:{putri.id}"
    with _browser(settings) as owner:
        login(owner, nip)


def test_unlocking_an_unknown_nip_says_so(client):
    login(client, DEMO["admin"])
    done = post(client, f"{BASE}/buka-kunci", {"nip": "199001012020011999"})
    assert done.status_code == 303
    assert "tidak sedang terkunci" in client.get(done.headers["location"]).text


def test_the_admin_sees_and_ends_a_users_sessions(client, settings, db):
    putri = _person(db, DEMO["employee"])
    with _browser(settings) as phone, _browser(settings) as laptop:
        login(phone, DEMO["employee"])
        login(laptop, DEMO["employee"])
        login(client, DEMO["admin"])
        page = client.get(f"{BASE}/{putri.id}")
        refs = re.findall(r'name="sesi" value="([0-9a-f]{16})"', page.text)
        assert len(refs) == 2 and "testclient" in page.text
        ask = post(client, f"{BASE}/{putri.id}/sesi", {"sesi": refs[0]})
        assert ask.status_code == 200 and "Akhiri sesi ini?" in ask.text
        assert post(client, f"{BASE}/{putri.id}/sesi", {"sesi": refs[0], "konfirmasi": "ya"}).status_code == 303
        assert [_logged_in(phone), _logged_in(laptop)].count(True) == 1
        assert post(client, f"{BASE}/{putri.id}/sesi", {"sesi": "semua", "konfirmasi": "ya"}).status_code == 303
        assert not _logged_in(phone) and not _logged_in(laptop)
    assert len(_audits(db, "account.sessions_end")) == 2
    assert "Tidak ada sesi aktif." in client.get(f"{BASE}/{putri.id}").text
    assert _logged_in(client)  # the admin's own session is never ended from here
