"""The stack's floor for bench/bench_throughput.py: the least a page can cost on Litestar and SQLAlchemy
when it does the reads the page needs and nothing else.

Each floor route runs the page's own prebuilt statements through SQLAlchemy Core on one connection the
event loop owns (as portal.db.reads does on SQLite) and answers with bytes captured from the portal's
real page (so the server writes the same body): no middleware, no session upkeep, no CSRF field, no
security headers, no access log, no template, no language. A portal page cannot be cheaper than its
floor, so `floor / hello` bounds the ratio any design of ours can reach on this stack; `page / floor`
is what the portal adds on top.

Configured by environment (bench_throughput.py sets it): PORTAL_DATABASE_URL (SQLite), FLOOR_BODIES (a
directory of captured pages: survey.html, akpk.html, dashboard.html).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from litestar import Litestar, MediaType, Request, Response, get
from litestar.exceptions import NotAuthorizedException
from sqlalchemy.engine import Connection

from portal import clock
from portal.db import make_engine, ping
from portal.services import akpk, reports
from portal.services import assessments as akpk_forms
from portal.services.accounts import read_session
from portal.services.surveys import load_invitation
from portal.settings import Settings

SETTINGS = Settings.from_env()
ENGINE = make_engine(SETTINGS)  # the portal's connection settings (WAL, pragmas)
BODIES = Path(os.environ.get("FLOOR_BODIES", "."))
_conn: dict[str, Connection] = {}  # the event loop's connection, opened at start-up


@asynccontextmanager
async def loop_connection(_app: Litestar) -> AsyncIterator[None]:
    _conn["c"] = ENGINE.connect()
    try:
        yield
    finally:
        _conn.pop("c").close()


def _body(name: str) -> bytes:
    path = BODIES / name
    return path.read_bytes() if path.exists() else b""


SURVEY, AKPK, DASHBOARD = _body("survey.html"), _body("akpk.html"), _body("dashboard.html")


def _user(request: Request):  # noqa: ANN202
    conn = _conn["c"]
    user, _upkeep = read_session(conn, SETTINGS, request.cookies.get("portal_session", ""))
    if user is None:  # 401: bench_throughput prints the non-2xx count
        raise NotAuthorizedException()
    return conn, user


@get("/floor/ping", sync_to_thread=False)
def floor_ping() -> dict[str, str]:
    try:
        ping(_conn["c"])  # raises when the database cannot be reached
        return {"status": "ok", "database": "ok"}
    finally:
        _conn["c"].rollback()


@get("/floor/bytes/{name:str}", media_type=MediaType.HTML, sync_to_thread=False)
def floor_bytes(name: str) -> Response[bytes]:
    """A captured page and no reads: what the server and the framework cost to send its body."""
    return Response({"survey": SURVEY, "akpk": AKPK, "dashboard": DASHBOARD}[name], media_type=MediaType.HTML)


@get("/floor/survey/{invitation_id:int}", media_type=MediaType.HTML, sync_to_thread=False)
def floor_survey(request: Request, invitation_id: int) -> Response[bytes]:
    conn, user = _user(request)
    try:
        load_invitation(conn, invitation_id, user.id, with_answers=True)
    finally:
        conn.rollback()
    return Response(SURVEY, media_type=MediaType.HTML)


@get("/floor/akpk/{cycle_id:int}", media_type=MediaType.HTML, sync_to_thread=False)
def floor_akpk(request: Request, cycle_id: int) -> Response[bytes]:
    conn, user = _user(request)
    try:
        scope = akpk_forms.own_scope(conn, user.id, cycle_id)
        akpk_forms.load_form(conn, scope.cycle, scope.subject, scope.role)
        akpk.list_cycles(conn)
    finally:
        conn.rollback()
    return Response(AKPK, media_type=MediaType.HTML)


@get("/floor/laporan", media_type=MediaType.HTML, sync_to_thread=False)
def floor_dashboard(request: Request) -> Response[bytes]:
    conn, _user_row = _user(request)
    try:
        today = clock.today(SETTINGS.timezone)
        units = reports.unit_options(conn)
        filters = reports.parse_filters({}, today, units)
        reports.year_options(conn, today)
        reports.dashboard(conn, filters, today, SETTINGS.min_group_size)
    finally:
        conn.rollback()
    return Response(DASHBOARD, media_type=MediaType.HTML)


app = Litestar(route_handlers=[floor_ping, floor_bytes, floor_survey, floor_akpk, floor_dashboard], lifespan=[loop_connection], openapi_config=None)
