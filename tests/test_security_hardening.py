"""Hardening of the web plumbing (issue 12): the access log, CSRF tokens bound to the session, the
production logout, bad ids and parameters, the refusal page, hardening headers and the secret key
(SQLite and PostgreSQL wherever a database is involved)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
import re
import secrets
import time
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest
from click.testing import CliRunner
from litestar.exceptions import PermissionDeniedException
from litestar.testing import TestClient
from sqlalchemy import func, select, update

from portal import security
from portal.app import create_app
from portal.models import Employee, UserSession, utcnow
from portal.settings import DEV_SECRET_KEY, Settings, SettingsError
from portal.web import core
from tests import rig
from tests.conftest import (
    DEMO,
    DEMO_PASSWORD,
    csrf_token,
    login,
    post,
    text_of,
)

CSRF_REFUSED = "Formulir ini sudah kedaluwarsa atau tidak sah."


def _open_survey(client) -> int:  # noqa: ANN001
    """An invitation of the logged-in employee whose survey form is open."""
    for inv in sorted({int(i) for i in re.findall(r'href="/survei/(\d+)"', client.get("/survei").text)}):
        if f'/survei/{inv}/kirim' in client.get(f"/survei/{inv}").text:
            return inv
    pytest.fail("the demo employee has no open survey")


def _access_lines(caplog) -> list[str]:  # noqa: ANN001
    return [r.getMessage() for r in caplog.records if r.name == "portal.access"]


# --------------------------------------------------------------------------- 5. access log


def test_access_log_shows_survey_routes_as_templates_without_address_and_never_the_submit(client, caplog):
    login(client, DEMO["employee"])
    inv = _open_survey(client)
    with caplog.at_level(logging.INFO, logger="portal.access"):
        client.get("/login")
        client.get("/survei")
        client.get(f"/survei/{inv}")
        submit = post(client, f"/survei/{inv}/kirim", {"konfirmasi": "ya", "anonim": "1"})
        post(client, f"/survei/{inv}/kirim")  # the no-JavaScript path (answers posted with it)
        client.get(f"/survei/{inv}/kirim-tidak-ada")
    assert submit.status_code in (200, 409, 422)
    lines = _access_lines(caplog)
    # other routes with the client's address (a logged-in person asking for /login is sent home)
    assert any(re.fullmatch(r"testclient GET /login 303 \d+\.\dms", line) for line in lines), lines
    survey = [line for line in lines if "/survei" in line]
    assert "- GET /survei 200" in " ".join(survey)
    assert any(line.startswith("- GET /survei/{invitation_id} 200 ") for line in survey), survey
    assert not [line for line in lines if "kirim" in line or f"/{inv}" in line], lines  # (not str(inv): a duration like 108.2ms)
    assert not [line for line in survey if "testclient" in line]


def test_access_log_leaves_out_passing_health_checks_only(client, settings, caplog):
    """A load balancer's probes would fill the log; a failing check (the database down: 503) is logged."""
    from portal.web import middleware

    with caplog.at_level(logging.INFO, logger="portal.access"):
        assert client.get("/healthz").status_code == 200
        assert client.get("/login").status_code == 200
        scope = {"type": "http", "method": "GET", "path": "/healthz", "client": ("10.0.0.9", 1)}
        middleware._log_access(scope, settings, 503, time.perf_counter())
    lines = _access_lines(caplog)
    assert not [line for line in lines if "/healthz 200" in line], lines
    assert any(" GET /login 200 " in line for line in lines), lines
    assert any(line.startswith("10.0.0.9 GET /healthz 503 ") for line in lines), lines


def test_access_log_can_be_turned_off(settings):
    quiet = create_app(replace(settings, access_log=False))
    with TestClient(quiet, base_url="http://testserver.local") as c:
        logger = logging.getLogger("portal.access")
        seen: list[logging.LogRecord] = []
        handler = logging.Handler()
        handler.emit = seen.append  # type: ignore[method-assign]
        logger.addHandler(handler)
        try:
            assert c.get("/login").status_code == 200
        finally:
            logger.removeHandler(handler)
    assert seen == []


@pytest.mark.parametrize(
    "path, template, logged",
    [
        ("/survei/12/kirim", "/survei/{invitation_id}/kirim", None),
        ("/survei/12/kirim/", None, None),
        ("/survei/12", "/survei/{invitation_id}", "/survei/{invitation_id}"),
        ("/survei/12/jawaban/3", "/survei/{invitation_id}/jawaban/{question_id}", "/survei/{invitation_id}/jawaban/{question_id}"),
        ("/survei/12/tidak-ada", None, "/survei/…"),
        ("/survei", "/survei", "/survei"),
        ("/laporan/pelatihan/5", "/laporan/pelatihan/{training_id}", "/laporan/pelatihan/5"),
    ],
)
def test_logs_name_survey_routes_by_template_and_never_the_submit(path, template, logged):
    """What the access log and the error log (portal.web.errors.internal_error_handler) print for a path."""
    scope = {"path": path} | ({"path_template": template} if template else {})
    assert core.loggable_path(scope)[0] == logged  # type: ignore[arg-type]


# --------------------------------------------------------------------------- 8. CSRF bound to the session


@contextmanager
def _second_browser(client) -> Iterator[TestClient]:  # noqa: ANN001
    """The same app seen from a second browser: the client with a cookie jar of its own for the block
    (two TestClients of one app at once leave anyio streams unclosed)."""
    saved = client.cookies
    client.cookies = httpx.Cookies()
    try:
        yield client
    finally:
        client.cookies = saved


def test_a_csrf_token_of_one_session_is_refused_in_another(client):
    login(client, DEMO["employee"])
    stolen = csrf_token(client)
    with _second_browser(client) as other:
        login(other, DEMO["supervisor"])
        assert csrf_token(other) != stolen
        refused = other.post("/logout", headers={"x-csrftoken": stolen}, follow_redirects=False)
        assert refused.status_code == 403 and CSRF_REFUSED in refused.text
        assert other.get("/", follow_redirects=False).status_code == 200  # still logged in


def test_login_gives_a_new_token_and_the_one_from_before_login_is_refused(client):
    before = csrf_token(client)  # the login form's
    login(client, DEMO["employee"])
    after = csrf_token(client)
    assert after != before
    assert client.post("/logout", headers={"x-csrftoken": before}, follow_redirects=False).status_code == 403
    assert client.post("/logout", headers={"x-csrftoken": after}, follow_redirects=False).status_code == 303


def test_a_token_dies_with_its_session_at_logout(client):
    login(client, DEMO["employee"])
    old = csrf_token(client)
    assert post(client, "/logout").status_code == 303
    login(client, DEMO["employee"])
    assert csrf_token(client) != old
    resp = client.post("/logout", headers={"x-csrftoken": old}, follow_redirects=False)
    assert resp.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200


def test_the_token_in_a_form_field_is_checked_and_the_handler_still_gets_the_form(client):
    token = csrf_token(client)
    wrong = client.post("/login", data={"nip": DEMO["employee"], "password": DEMO_PASSWORD, "_csrf_token": token + "x"})
    assert wrong.status_code == 403 and CSRF_REFUSED in wrong.text
    # url-encoded: the handler still reads nip, password and next after the middleware parsed the form
    resp = client.post(
        "/login", data={"nip": DEMO["employee"], "password": DEMO_PASSWORD, "next": "/survei", "_csrf_token": token},
        follow_redirects=False,
    )
    assert resp.status_code == 303 and resp.headers["location"] == "/survei"


def test_the_token_in_a_multipart_form_field_is_checked_too(client):
    token = csrf_token(client)
    fields = {"nip": (None, DEMO["employee"]), "password": (None, DEMO_PASSWORD)}
    wrong = client.post("/login", files={**fields, "_csrf_token": (None, "forged")}, follow_redirects=False)
    assert wrong.status_code == 403
    right = client.post("/login", files={**fields, "_csrf_token": (None, token)}, follow_redirects=False)
    assert right.status_code == 303


def test_logging_in_while_logged_in_ends_the_old_session(client, db):
    login(client, DEMO["employee"])
    old_cookie = client.cookies.get("portal_session")
    resp = client.post(
        "/login", data={"nip": DEMO["supervisor"], "password": DEMO_PASSWORD, "_csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    assert client.cookies.get("portal_session") != old_cookie
    assert "drg. Ratna Juwita Panjaitan" in client.get("/").text
    assert db.execute(select(func.count()).select_from(UserSession)).scalar_one() == 1
    with _second_browser(client) as replay:
        replay.cookies.set("portal_session", old_cookie)
        assert replay.get("/", follow_redirects=False).status_code == 303  # the old session is gone


def test_a_failed_login_while_logged_in_also_ends_the_old_session(client, db):
    login(client, DEMO["employee"])
    resp = client.post("/login", data={"nip": DEMO["supervisor"], "password": "salah", "_csrf_token": csrf_token(client)})
    assert resp.status_code == 401
    assert "Putri Wulandari" not in resp.text  # the page is the anonymous login page
    assert db.execute(select(func.count()).select_from(UserSession)).scalar_one() == 0
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_post_after_the_session_expired_goes_to_the_login_page_not_a_csrf_error(client, db, settings):
    login(client, DEMO["employee"])
    token = csrf_token(client)
    db.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=settings.session_idle_minutes + 1)))
    db.commit()
    resp = client.post("/penilaian/1/simpan", data={"_csrf_token": token}, follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"].startswith("/login")
    # and logging out of an expired session just drops the cookie
    out = client.post("/logout", follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login?keluar=1"


# --------------------------------------------------------------------------- 9. production logout


def _set_cookies(resp) -> list[str]:  # noqa: ANN001
    return resp.headers.get_list("set-cookie")


def test_production_logout_really_deletes_the_host_cookies(settings):
    secure = create_app(replace(settings, secure_cookies=True))
    with TestClient(secure, base_url="https://testserver.local") as c:
        login(c, DEMO["employee"])
        assert c.cookies.get("__Host-portal_session")
        resp = post(c, "/logout")
        assert resp.status_code == 303
        deleting = {h.split("=", 1)[0]: h.lower() for h in _set_cookies(resp)}
        for name in ("__Host-portal_session", "__Host-portal_login"):
            header = deleting[name]
            # what a browser needs to replace a __Host- cookie: Secure, Path=/, no Domain
            assert "secure" in header and "path=/" in header and "domain" not in header, header
            assert "max-age=0" in header, header
        assert c.cookies.get("__Host-portal_session") is None
        assert c.get("/", follow_redirects=False).status_code == 303


def test_secure_cookies_use_the_host_prefix_for_the_pre_session_cookie(settings):
    secure = create_app(replace(settings, secure_cookies=True))
    with TestClient(secure, base_url="https://testserver.local") as c:
        header = c.get("/login").headers["set-cookie"]
        assert header.startswith("__Host-portal_login=") and "Secure" in header and "HttpOnly" in header


# --------------------------------------------------------------------------- 10. bad ids and parameters

TOO_BIG = "99999999999999999999"


@pytest.mark.parametrize(
    "who, path",
    [
        ("employee", f"/survei/{TOO_BIG}"),
        ("employee", f"/survei/{2**31}"),  # beyond PostgreSQL's INTEGER
        ("employee", f"/penilaian/{TOO_BIG}"),
        ("supervisor", f"/tim/{TOO_BIG}/1"),
        ("hr", f"/laporan/pelatihan/{TOO_BIG}"),
        ("hr", f"/laporan/jawaban/csv?kuesioner={TOO_BIG}"),
        ("hr", f"/akpk/kesenjangan/sel?siklus=1&baris={TOO_BIG}&kompetensi=1"),
    ],
)
def test_an_id_too_large_for_the_database_is_a_404_with_the_normal_page(client, who, path):
    login(client, DEMO[who])
    resp = client.get(path)
    assert resp.status_code == 404
    assert "Tidak ditemukan" in resp.text and 'class="site-nav"' in resp.text


def test_a_post_to_an_id_too_large_is_a_404(client):
    login(client, DEMO["employee"])
    assert post(client, f"/survei/{TOO_BIG}/kirim", {"konfirmasi": "ya"}).status_code == 404
    assert post(client, f"/survei/{TOO_BIG}/jawaban/1", {"nilai": "3"}, htmx=True).status_code == 404


@pytest.mark.parametrize(
    "who, path, shown",
    [
        ("hr", f"/data-master/pegawai?unit={TOO_BIG}", "<h1>Pegawai</h1>"),
        ("hr", "/data-master/pegawai?unit=%C2%B2", "<h1>Pegawai</h1>"),
        ("hr", f"/laporan?unit={TOO_BIG}", "Unit kerja tidak ditemukan"),
        ("hr", "/laporan?unit=%C2%B2", "<h1>Laporan pengembangan kompetensi</h1>"),
        ("hr", f"/laporan/jp?hal={TOO_BIG}", "<h1>Capaian 20 JP</h1>"),
        ("hr", f"/akpk/kesenjangan?siklus={TOO_BIG}&unit={TOO_BIG}", "<h1>Peta Kesenjangan Kompetensi</h1>"),
        ("hr", f"/pelatihan?page={TOO_BIG}&tahun={TOO_BIG}", "<h1>Pelatihan "),
        ("hr", f"/pelatihan/kalender?bulan={TOO_BIG}", "<h1>Kalender pelatihan"),
        ("supervisor", f"/tim?siklus={TOO_BIG}", "<h1>Tim Saya</h1>"),
    ],
)
def test_a_query_id_too_large_is_ignored_with_the_normal_page(client, who, path, shown):
    login(client, DEMO[who])
    resp = client.get(path)
    assert resp.status_code == 200, path
    assert shown in resp.text


def test_query_id_accepts_only_ids_a_row_can_have():
    assert core.query_id("42") == 42 and core.query_id(["7", "8"]) == 7
    for bad in ("", None, "0", "-1", "abc", "²", "١", str(2**31), TOO_BIG, "9" * 5000):
        assert core.query_id(bad) is None, bad
    assert core.positive_int("9" * 5000) == security.MAX_DB_ID and core.positive_int("x") == 1


def _create_user(db_url: str, *args: str):  # noqa: ANN202
    from portal.cli import main

    env = {"PORTAL_ENV": "test", "PORTAL_DATABASE_URL": db_url, "PORTAL_SECRET_KEY": rig.TEST_SECRET}
    return CliRunner().invoke(main, ["create-user", *args], input="Rahasia-Sekali-1\nRahasia-Sekali-1\n", env=env)


def test_create_user_refuses_a_name_or_email_over_the_column_limit(db_url, db):
    limit = Employee.__table__.c["name"].type.length
    nip = "198001012005011001"
    long_name = _create_user(db_url, "--nip", nip, "--name", "A" * (limit + 1))
    assert long_name.exit_code != 0 and f"Nama terlalu panjang: {limit + 1} karakter, paling banyak {limit}." in long_name.output
    long_email = _create_user(db_url, "--nip", nip, "--name", "Uji Coba", "--email", "a" * 200 + "@x.go.id")
    assert long_email.exit_code != 0 and "Email terlalu panjang" in long_email.output
    assert db.execute(select(func.count()).select_from(Employee).where(Employee.nip == nip)).scalar_one() == 0
    ok = _create_user(db_url, "--nip", nip, "--name", "B" * limit)
    assert ok.exit_code == 0, ok.output
    assert db.execute(select(Employee.name).where(Employee.nip == nip)).scalar_one() == "B" * limit


# --------------------------------------------------------------------------- 11. the refusal page


@pytest.mark.parametrize(
    "who, path, message",
    [
        ("employee", "/laporan", "Halaman ini hanya untuk petugas BKPSDM."),
        ("employee", "/data-master", "Halaman ini hanya untuk petugas BKPSDM."),
        ("employee", "/tim", "Halaman ini hanya untuk atasan yang memiliki bawahan langsung."),
        ("supervisor", "/akpk/kesenjangan", "Halaman ini hanya untuk petugas BKPSDM."),
    ],
)
def test_the_refusal_page_shows_the_guards_own_message(client, who, path, message):
    login(client, DEMO[who])
    resp = client.get(path)
    assert resp.status_code == 403
    body = text_of(resp.text)
    assert message in body and "builtins" not in body


class _Connection:
    def __init__(self, user) -> None:  # noqa: ANN001
        self.scope = {"user": user}


@pytest.mark.parametrize(
    "guard, message",
    [
        (core.hr_required, "Halaman ini hanya untuk petugas BKPSDM."),
        (core.admin_required, "Halaman ini hanya untuk administrator."),
        (core.supervisor_required, "Halaman ini hanya untuk atasan yang memiliki bawahan langsung."),
    ],
)
def test_every_guard_refuses_with_its_indonesian_message(guard, message):
    from portal.services.accounts import CurrentUser

    plain = CurrentUser(1, "1", "Pegawai", None, None, is_hr=False, is_admin=False, is_supervisor=False, session_key="k")
    # guards are coroutines (a plain function would cost a thread hop per request): run one to its end
    with pytest.raises(PermissionDeniedException) as refused:
        guard(_Connection(plain), object()).send(None)  # type: ignore[arg-type]
    assert refused.value.detail == message


# --------------------------------------------------------------------------- 12. headers and the secret key


def test_hsts_is_sent_only_when_the_portal_is_served_over_https(settings, client):
    for resp in (client.get("/login"), client.get("/tidak-ada")):
        assert "strict-transport-security" not in resp.headers
    secure = create_app(replace(settings, secure_cookies=True))
    with TestClient(secure, base_url="https://testserver.local") as c:
        for resp in (c.get("/login"), c.get("/tidak-ada"), c.get(core.static_url("css/portal.css"))):
            assert resp.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


def test_no_response_carries_a_server_banner(client):
    login(client, DEMO["employee"])
    for resp in (client.get("/"), client.get("/tidak-ada"), client.get("/healthz"), post(client, "/logout")):
        assert "server" not in resp.headers


@pytest.mark.parametrize("weak", ["x" * 40, "abcdefgh" * 5, "ab" * 40, "short-but-random-Q8#", DEV_SECRET_KEY])
def test_production_refuses_a_weak_secret_key(weak):
    with pytest.raises(SettingsError, match="PORTAL_SECRET_KEY"):
        Settings.from_env({"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": weak})


@pytest.mark.parametrize("strong", [rig.TEST_SECRET, secrets.token_urlsafe(48), secrets.token_hex(32)])
def test_production_accepts_a_random_secret_key(strong):
    assert Settings.from_env({"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": strong}).secret_key == strong


def test_trusted_proxies_must_be_addresses_or_networks():
    with pytest.raises(SettingsError, match="PORTAL_TRUSTED_PROXIES"):
        Settings.from_env({"PORTAL_TRUSTED_PROXIES": "10.0.0.1, proxy.example"})
    ok = Settings.from_env({"PORTAL_TRUSTED_PROXIES": "10.0.0.1, 192.168.0.0/24, ::1"})
    assert ok.trusted_proxies == ("10.0.0.1", "192.168.0.0/24", "::1")


def test_every_form_and_htmx_request_of_a_page_carries_the_same_token(client):
    """The token reaches templates under names of our own (Litestar's template response fills
    `csrf_input` with an empty token now that its CSRF middleware is gone)."""
    login(client, DEMO["hr"])
    page = client.get("/akpk/siklus").text
    tokens = re.findall(r'name="_csrf_token" value="([^"]*)"', page) + re.findall(r'"x-csrftoken": "([^"]*)"', page)
    assert len(tokens) >= 3 and len(set(tokens)) == 1
    assert security.unmask_token(tokens[0]) == security.unmask_token(csrf_token(client))  # masked per page, one token


# --------------------------------------------------------------------------- `portal serve`, live


class _Serve:
    """`portal serve` (real uvicorn through the CLI) on a free port, its output in a file."""

    def __init__(self, db_url: str, tmp_path, *args: str, **env: str) -> None:  # noqa: ANN001
        import os
        import subprocess
        import sys

        self.port = rig.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.output = tmp_path / f"serve-{self.port}.log"
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
        full_env.update(PORTAL_ENV="test", PORTAL_DATABASE_URL=db_url, PORTAL_SECRET_KEY=rig.TEST_SECRET, **env)
        with open(self.output, "wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "portal.cli", "serve", "--port", str(self.port), *args],
                cwd=rig.ROOT, env=full_env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            )
        self._wait()

    def _wait(self) -> None:
        import time
        import urllib.request

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.output.read_text()[-2000:]
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.fail("portal serve did not start in 30 s")

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=15)
        return self.output.read_text()


def _wrong_login(url: str, forwarded_for: str) -> None:
    import httpx

    with httpx.Client(base_url=url, timeout=30, follow_redirects=False) as c:
        token = csrf_token(c)
        resp = c.post(
            "/login",
            data={"nip": DEMO["employee"], "password": "salah", "_csrf_token": token},
            headers={"x-forwarded-for": forwarded_for},
        )
        assert resp.status_code == 401
        assert "server" not in resp.headers and "server" not in c.get("/tidak-ada").headers


def _failure_ips(db) -> list[str]:  # noqa: ANN001
    from portal.models import LoginFailure

    db.rollback()
    return sorted(db.execute(select(LoginFailure.ip)).scalars())


def test_portal_serve_has_no_banner_logs_requests_itself_and_reads_forwarded_for_from_trusted_proxies(db_url, db, tmp_path):
    server = _Serve(db_url, tmp_path, PORTAL_TRUSTED_PROXIES="127.0.0.1")
    try:
        _wrong_login(server.url, "6.6.6.6, 203.0.113.9")
    finally:
        output = server.stop()
    # the right-most address the trusted proxy (127.0.0.1) appended, not what the client wrote
    assert _failure_ips(db) == ["203.0.113.9"]
    assert re.search(r"portal\.access\b.* 203\.0\.113\.9 POST /login 401 \d+\.\dms", output), output[-2000:]
    assert '"POST /login HTTP/1.1"' not in output  # uvicorn's own access log is off


def test_portal_serve_no_access_log_and_an_untrusted_peer_keeps_its_own_address(db_url, db, tmp_path):
    server = _Serve(db_url, tmp_path, "--no-access-log")
    try:
        _wrong_login(server.url, "203.0.113.9")
    finally:
        output = server.stop()
    assert _failure_ips(db) == ["127.0.0.1"]  # no trusted proxies: X-Forwarded-For is not believed
    assert "portal.access" not in output and "/login" not in output, output[-2000:]
