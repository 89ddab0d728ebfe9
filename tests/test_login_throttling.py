"""Login throttling: the per-NIP limit holds under concurrency, a locked NIP still opens for its owner
from an address that has not failed, and the client address comes from X-Forwarded-For only behind a
trusted proxy (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select
from sqlmodel import Session

from portal import security
from portal.models import LoginFailure
from portal.services import accounts
from tests.conftest import DEMO, DEMO_PASSWORD

CONCURRENT = 20


def _count_verifications(monkeypatch) -> list[int]:
    """Counts the argon2 checks by wrapping our own portal.security.verify_password (the real one runs)."""
    calls: list[int] = []
    lock = threading.Lock()
    original = security.verify_password

    def counting(password_hash, password):  # noqa: ANN001, ANN202
        with lock:
            calls.append(1)
        return original(password_hash, password)

    monkeypatch.setattr(security, "verify_password", counting)
    return calls


def test_twenty_concurrent_wrong_logins_for_one_nip_run_at_most_the_limit_of_password_checks(engine, settings, monkeypatch):
    calls = _count_verifications(monkeypatch)
    barrier = threading.Barrier(CONCURRENT)

    def attempt(_i: int) -> accounts.LoginResult:
        with Session(engine, expire_on_commit=False) as session:
            barrier.wait()
            return accounts.authenticate(session, settings, DEMO["employee"], "salah-sekali", "10.1.2.3")

    with ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
        results = list(pool.map(attempt, range(CONCURRENT)))
    assert not any(r.ok for r in results)
    assert len(calls) <= settings.login_max_failures, f"{len(calls)} password checks for a limit of {settings.login_max_failures}"
    assert sum(r.locked for r in results) >= CONCURRENT - settings.login_max_failures
    # each password check that ran left its failure; the refused attempts left nothing
    with Session(engine) as session:
        rows = session.execute(select(func.count()).select_from(LoginFailure).where(LoginFailure.nip == DEMO["employee"])).scalar_one()
    assert rows == len(calls)


def test_a_locked_nip_still_opens_with_the_right_password_from_an_address_that_has_not_failed(client, settings, db):
    from dataclasses import replace

    from litestar.testing import TestClient

    from portal.app import create_app

    for _ in range(settings.login_max_failures):
        with Session(db.get_bind()) as session:
            accounts.authenticate(session, settings, DEMO["employee"], "tebakan", "203.0.113.66")
    # the attacker's address stays locked out, even with the right password
    with Session(db.get_bind()) as session:
        assert accounts.authenticate(session, settings, DEMO["employee"], DEMO_PASSWORD, "203.0.113.66").locked
    # the owner, from the office (an address without failures for this NIP), gets in...
    with Session(db.get_bind()) as session:
        owner = accounts.authenticate(session, settings, DEMO["employee"], DEMO_PASSWORD, "198.51.100.20")
    assert owner.ok
    # ...which clears the NIP's failures
    assert db.execute(select(func.count()).select_from(LoginFailure).where(LoginFailure.nip == DEMO["employee"])).scalar_one() == 0
    # a wrong password from a fresh address while locked is one check, then that address is locked out too
    for _ in range(settings.login_max_failures):
        with Session(db.get_bind()) as session:
            accounts.authenticate(session, settings, DEMO["employee"], "tebakan", "203.0.113.66")
    with Session(db.get_bind()) as session:
        first = accounts.authenticate(session, settings, DEMO["employee"], "tebakan-lagi", "198.51.100.21")
    with Session(db.get_bind()) as session:
        second = accounts.authenticate(session, settings, DEMO["employee"], DEMO_PASSWORD, "198.51.100.21")
    assert not first.ok and second.locked and not second.ok
    # through HTTP the same: the TestClient's address has not failed, the lock page does not shut it out
    with TestClient(create_app(replace(settings)), base_url="http://testserver.local") as c:
        from tests.conftest import login

        login(c, DEMO["employee"])


def test_client_address_is_the_peer_unless_the_peer_is_a_trusted_proxy():
    trusted = ("10.0.0.0/8", "192.0.2.1")
    assert security.client_ip("203.0.113.5", ["198.51.100.1"], trusted) == "203.0.113.5"  # untrusted peer: header ignored
    assert security.client_ip("10.1.1.1", ["198.51.100.1"], trusted) == "198.51.100.1"
    # the right-most entry that is not a trusted proxy; what the client wrote on the left is ignored
    assert security.client_ip("10.1.1.1", ["6.6.6.6, 198.51.100.1, 192.0.2.1"], trusted) == "198.51.100.1"
    assert security.client_ip("10.1.1.1", ["6.6.6.6", "198.51.100.1"], trusted) == "198.51.100.1"
    assert security.client_ip("10.1.1.1", [], trusted) == "10.1.1.1"
    assert security.client_ip("10.1.1.1", ["10.2.2.2"], trusted) == "10.2.2.2"  # only proxies: the first one
    assert security.client_ip("203.0.113.5", ["198.51.100.1"], ()) == "203.0.113.5"
    assert security.client_ip("::1", ["2001:db8::7"], ("::1",)) == "2001:db8::7"


def test_forwarded_for_from_an_untrusted_peer_does_not_move_the_throttle(client, settings, db):
    """The TestClient's peer is not a trusted proxy: its X-Forwarded-For is ignored, so rotating the
    header does not give an attacker fresh addresses."""
    from tests.conftest import csrf_token

    token = csrf_token(client)
    for i in range(3):
        client.post(
            "/login",
            data={"nip": DEMO["employee"], "password": "salah", "_csrf_token": token},
            headers={"x-forwarded-for": f"198.51.100.{i}"},
        )
    ips = set(db.execute(select(LoginFailure.ip)).scalars())
    assert ips == {"testclient"}
