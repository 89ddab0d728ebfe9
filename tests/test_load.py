"""The server under more concurrent requests than it has database connections (real uvicorn, real
SQLite file and real PostgreSQL)."""

from __future__ import annotations

import urllib.request
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import create_engine, select
from sqlmodel import Session

from portal import security
from portal.models import Employee, UserSession, utcnow
from tests import rig
from tests.conftest import DEMO


def _session_cookie(db_url: str, nip: str) -> str:
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with Session(engine) as s:
            emp = s.execute(select(Employee.id).where(Employee.nip == nip)).scalar_one()
            token = security.new_session_token()
            now = utcnow()
            s.add(UserSession(id=security.session_key(token), employee_id=emp, created_at=now, last_seen_at=now))
            s.commit()
    finally:
        engine.dispose()
    return f"portal_session={token}"


def test_more_concurrent_requests_than_pooled_connections_all_finish(db_url):
    """Regression: a request gave its connection back in a cleanup step that waited for the same worker
    threads as the handlers, so a burst larger than the pool left every thread waiting for a connection
    that only a queued cleanup could free (the server hung until the 30 s pool timeout)."""
    server = rig.LiveServer(db_url, env={"PORTAL_DB_POOL_SIZE": "2"})
    try:
        cookie = _session_cookie(db_url, DEMO["employee"])

        def get(i: int) -> int:
            path = ("/survei", "/penilaian", "/")[i % 3]
            req = urllib.request.Request(server.url + path, headers={"Cookie": cookie})
            with urllib.request.urlopen(req, timeout=20) as resp:
                return resp.status

        with ThreadPoolExecutor(max_workers=48) as pool:
            statuses = list(pool.map(get, range(144)))
        assert statuses == [200] * 144
    finally:
        server.stop()
