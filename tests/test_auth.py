"""Accounts, sessions, guards, CSRF and security headers through HTTP (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from portal import security
from portal.models import AuditEvent, LoginFailure, UserSession, utcnow
from tests.conftest import (
    DEMO,
    DEMO_PASSWORD,
    csrf_token,
    login,
    post,
    text_of,
    token_in_page,
)

PROTECTED_GET = ["/", "/penilaian", "/survei", "/tim", "/laporan", "/data-master"]


def test_login_and_logout(client):
    login(client, DEMO["employee"])
    home = client.get("/")
    assert home.status_code == 200
    assert "Putri Wulandari" in home.text
    assert "UPTD Puskesmas Batu 10" in home.text
    resp = post(client, "/logout")
    assert resp.status_code == 303 and resp.headers["location"] == "/login?keluar=1"
    after = client.get("/", follow_redirects=False)
    assert after.status_code == 303 and after.headers["location"].startswith("/login")


def test_logout_via_htmx_uses_hx_redirect(client):
    login(client, DEMO["employee"])
    resp = post(client, "/logout", htmx=True)
    assert resp.headers.get("hx-redirect") == "/login?keluar=1"
    assert client.get("/", follow_redirects=False).status_code == 303


def test_wrong_password_gives_generic_message(client, db):
    token = csrf_token(client)
    resp = client.post("/login", data={"nip": DEMO["employee"], "password": "salah", "_csrf_token": token})
    assert resp.status_code == 401
    assert "NIP atau kata sandi salah." in resp.text
    unknown = client.post("/login", data={"nip": "199001012020011999", "password": "salah", "_csrf_token": token})
    assert unknown.status_code == 401
    # the same words for an unknown NIP: no account enumeration
    assert "NIP atau kata sandi salah." in unknown.text
    assert db.execute(select(func.count()).select_from(LoginFailure)).scalar_one() == 2


def test_login_keeps_typed_nip_and_marks_missing_fields(client):
    token = csrf_token(client)
    resp = client.post("/login", data={"nip": "19970611", "password": "", "_csrf_token": token})
    assert resp.status_code == 422
    assert 'value="19970611"' in resp.text
    assert "Masukkan kata sandi Anda." in resp.text


def test_throttling_per_nip_locks_even_the_right_password(client, settings):
    token = csrf_token(client)
    for _ in range(settings.login_max_failures):
        client.post("/login", data={"nip": DEMO["employee"], "password": "salah", "_csrf_token": token})
    resp = client.post("/login", data={"nip": DEMO["employee"], "password": DEMO_PASSWORD, "_csrf_token": token})
    assert resp.status_code == 429
    assert "Terlalu banyak percobaan" in resp.text
    # another NIP from the same address is not locked by this NIP's failures
    login(client, DEMO["supervisor"])


def test_lock_expires_after_lock_period(client, settings, db):
    token = csrf_token(client)
    for _ in range(settings.login_max_failures):
        client.post("/login", data={"nip": DEMO["employee"], "password": "salah", "_csrf_token": token})
    # move the failures back in time past the lock period
    db.execute(update(LoginFailure).values(at=utcnow() - timedelta(minutes=settings.login_lock_minutes + 1)))
    db.commit()
    login(client, DEMO["employee"])


def test_throttling_per_ip(app, settings):
    from dataclasses import replace

    from litestar.testing import TestClient

    from portal.app import create_app

    strict = create_app(replace(settings, ip_max_failures=3))
    with TestClient(strict, base_url="http://testserver.local") as c:
        token = csrf_token(c)
        for i in range(3):
            c.post("/login", data={"nip": f"19900101202001100{i}", "password": "x", "_csrf_token": token})
        resp = c.post("/login", data={"nip": DEMO["hr"], "password": DEMO_PASSWORD, "_csrf_token": token})
        assert resp.status_code == 429


def test_session_id_is_rotated_at_login(client, settings):
    # an attacker plants a session cookie before the victim logs in (session fixation)
    client.cookies.set("portal_session", "attacker-chosen-token", domain="testserver.local")
    login(client, DEMO["employee"])
    new_token = client.cookies.get("portal_session")
    assert new_token and new_token != "attacker-chosen-token"
    from litestar.testing import TestClient

    from portal.app import create_app

    with TestClient(create_app(settings), base_url="http://testserver.local") as attacker:
        attacker.cookies.set("portal_session", "attacker-chosen-token")
        assert attacker.get("/", follow_redirects=False).status_code == 303


def test_session_is_stored_hashed_in_database(client, db):
    login(client, DEMO["employee"])
    token = client.cookies.get("portal_session")
    keys = db.execute(select(UserSession.id)).scalars().all()
    assert len(keys) == 1 and token not in keys[0] and len(keys[0]) == 64


def test_idle_timeout_and_absolute_limit(client, db, settings):
    login(client, DEMO["employee"])
    db.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=settings.session_idle_minutes + 1)))
    db.commit()
    assert client.get("/", follow_redirects=False).status_code == 303
    login(client, DEMO["employee"])
    db.execute(
        update(UserSession).values(created_at=utcnow() - timedelta(hours=settings.session_absolute_hours, minutes=1))
    )
    db.commit()
    assert client.get("/", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("path", PROTECTED_GET)
def test_protected_routes_redirect_anonymous_to_login(client, path):
    resp = client.get(path, follow_redirects=False)
    assert resp.status_code == 303
    loc = resp.headers["location"]
    assert loc.startswith("/login")
    if path != "/":
        assert f"next={path}" in loc


def test_htmx_anonymous_request_gets_hx_redirect(client):
    resp = client.get("/penilaian", headers={"HX-Request": "true"}, follow_redirects=False)
    assert resp.headers.get("hx-redirect", "").startswith("/login?next=")


def test_login_returns_to_requested_page(client):
    token = csrf_token(client)
    resp = client.post(
        "/login",
        data={"nip": DEMO["hr"], "password": DEMO_PASSWORD, "next": "/data-master", "_csrf_token": token},
        follow_redirects=False,
    )
    assert resp.headers["location"] == "/data-master"


def test_login_does_not_follow_offsite_next(client):
    token = csrf_token(client)
    resp = client.post(
        "/login",
        data={"nip": DEMO["hr"], "password": DEMO_PASSWORD, "next": "//evil.example/x", "_csrf_token": token},
        follow_redirects=False,
    )
    assert resp.headers["location"] == "/"


@pytest.mark.parametrize("path", ["/laporan", "/data-master"])
def test_employee_gets_403_on_hr_pages(client, path):
    login(client, DEMO["employee"])
    resp = client.get(path)
    assert resp.status_code == 403
    assert "Akses ditolak" in resp.text


@pytest.mark.parametrize("path", ["/laporan", "/data-master"])
def test_hr_reaches_hr_pages(client, path):
    login(client, DEMO["hr"])
    assert client.get(path).status_code == 200


def test_supervisor_page_needs_direct_reports(client):
    login(client, DEMO["employee"])
    assert client.get("/tim").status_code == 403
    client.cookies.clear()
    login(client, DEMO["supervisor"])
    assert client.get("/tim").status_code == 200


def test_navigation_depends_on_role(client):
    login(client, DEMO["employee"])
    nav = client.get("/").text
    assert 'href="/penilaian"' in nav and 'href="/survei"' in nav
    assert 'href="/tim"' not in nav and 'href="/laporan"' not in nav and 'href="/data-master"' not in nav
    client.cookies.clear()
    login(client, DEMO["supervisor"])
    assert 'href="/tim"' in client.get("/").text
    client.cookies.clear()
    login(client, DEMO["hr"])
    page = client.get("/").text
    assert 'href="/laporan"' in page and 'href="/data-master"' in page


def test_post_without_csrf_token_is_refused(client):
    login(client, DEMO["employee"])
    resp = client.post("/logout", follow_redirects=False)
    assert resp.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200  # still logged in


def test_login_post_without_csrf_is_refused(client):
    client.get("/login")
    resp = client.post("/login", data={"nip": DEMO["employee"], "password": DEMO_PASSWORD})
    assert resp.status_code == 403


def test_security_headers_on_every_response(client):
    for resp in (client.get("/login"), client.get("/healthz"), client.get("/tidak-ada")):
        csp = resp.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert resp.headers["x-content-type-options"] == "nosniff"
        assert resp.headers["referrer-policy"]
    login(client, DEMO["employee"])
    assert client.get("/").headers["cache-control"] == "no-store"
    assert post(client, "/logout").headers["content-security-policy"]


def test_login_form_token_is_bound_to_an_httponly_pre_session_cookie(client, settings):
    resp = client.get("/login")
    cookie = resp.headers["set-cookie"].lower()
    assert "portal_login=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    value = client.cookies.get("portal_login")
    token = token_in_page(resp.text)
    # the token is not the cookie (a script cannot read either, and a planted cookie is not enough)
    assert token != value and security.unmask_token(token) == security.login_csrf_token(settings.secret_key, value)
    planted = client.post("/login", data={"nip": DEMO["employee"], "password": DEMO_PASSWORD, "_csrf_token": value})
    assert planted.status_code == 403


def test_csrf_token_is_rendered_for_htmx_on_body(client, settings):
    login(client, DEMO["employee"])
    html = client.get("/").text
    key = security.session_key(client.cookies.get("portal_session"))
    token = security.session_csrf_token(settings.secret_key, key)
    masked = re.search(r'hx-headers:inherited=\'\{"x-csrftoken": "([0-9a-f]+)"\}\'', html).group(1)
    assert security.unmask_token(masked) == token  # the session's token, masked afresh in every page (BREACH)
    assert f'name="_csrf_token" value="{masked}"' in html  # the logout form, without JavaScript
    assert token not in html and masked != token_in_page(client.get("/").text)
    assert token not in client.cookies.values()  # derived from the session, never sent as a cookie


def test_login_is_audited(client, db):
    login(client, DEMO["hr"])
    actions = db.execute(select(AuditEvent.action)).scalars().all()
    assert "login" in actions


def test_healthz_ok(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok", "database": "ok"}
    assert resp.headers["content-type"].startswith("application/json")


def test_healthz_reports_database_down(app, client):
    app.state.engine.dispose()
    # point the engine at a database that cannot answer
    from sqlalchemy import create_engine

    from portal.db.reads import ReadRunner

    app.state.engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none", pool_pre_ping=False)
    app.state.reads.close()
    app.state.reads = ReadRunner(app.state.engine)  # where /healthz reads (tests/test_database_outage.py stops a real server)
    resp = client.get("/healthz")
    assert resp.status_code == 503
    assert resp.json()["database"] != "ok"


def test_home_shows_real_data_per_role(client):
    login(client, DEMO["employee"])
    body = text_of(client.get("/").text)
    assert "Jam Pelajaran (JP)" in body
    assert "Pelatihan terakhir Anda" in body
    client.cookies.clear()
    login(client, DEMO["supervisor"])
    body = text_of(client.get("/").text)
    assert "Bawahan langsung" in body and "Putri Wulandari" in body
    client.cookies.clear()
    login(client, DEMO["hr"])
    body = text_of(client.get("/").text)
    assert "Ringkasan BKPSDM" in body and "pegawai aktif" in body


def test_head_is_answered_as_get_without_a_body(client, live_server):
    """Monitoring tools and link checkers use HEAD: it gets the GET's status and headers, no body
    (through the TestClient and through the real server)."""
    import httpx

    for path, status in (("/healthz", 200), ("/login", 200), ("/", 303)):
        got = client.head(path, follow_redirects=False)
        assert got.status_code == status, path
        assert got.content == b""
        assert got.headers.get("content-type") == client.get(path, follow_redirects=False).headers.get("content-type"), path

    with httpx.Client(base_url=live_server.url) as http:
        for path, status in (("/healthz", 200), ("/login", 200), ("/", 303)):
            got = http.head(path)
            assert got.status_code == status and got.content == b"", path
            assert got.headers.get("content-encoding") == http.get(path).headers.get("content-encoding"), path
            # the length of the same page uncompressed (compressed, its masked CSRF token varies the size)
            plain = {"Accept-Encoding": "identity"}
            got, get = http.head(path, headers=plain), http.get(path, headers=plain)
            assert got.headers.get("content-length") == get.headers.get("content-length"), path
            assert "x-content-type-options" in got.headers  # the security headers are there too
