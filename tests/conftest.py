"""Fixtures: databases (SQLite file and real PostgreSQL), app, HTTP client, login helpers, live
server and Chromium.

Any test that takes `db_url` (directly or through `settings`, `app`, `client`, `db`) runs twice:
once on a fresh SQLite file and once on a fresh PostgreSQL database, both copied from a template
that was migrated to head and loaded with the demo data. `empty_db_url` gives a migrated database
without data.

PostgreSQL and Chromium are required: when missing the run fails, it never skips.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from portal.db import make_engine
from tests import a11y, html_check, rig

DEMO = {
    "employee": "199706112020122026",
    "supervisor": "197905052006042006",
    "hr": "198807142011012003",
    "admin": "199208082019031004",
}
DEMO_PASSWORD = "Demo-Portal-2026"
BACKENDS = ["sqlite", "postgresql"]
_counter = itertools.count()


# --------------------------------------------------------------------------- databases


@pytest.fixture(scope="session")
def work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("portal")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[rig.PgServer]:
    if rig.find_pg_bindir() is None:
        pytest.fail("PostgreSQL server binaries not found: install Debian's `postgresql` package (.ci/run does)")
    server = rig.start_postgres()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def sqlite_templates(work_dir: Path) -> dict[str, Path]:
    paths = {}
    for name, demo in (("demo", True), ("empty", False)):
        path = work_dir / f"template-{name}.db"
        rig.build_database(f"sqlite:///{path}", demo=demo)
        rig.sqlite_checkpoint(path)
        paths[name] = path
    return paths


@pytest.fixture(scope="session")
def pg_templates(pg_server: rig.PgServer) -> dict[str, str]:
    names = {}
    for name, demo in (("demo", True), ("empty", False)):
        dbname = f"tpl_{name}"
        rig.pg_admin(pg_server, f"CREATE DATABASE {dbname}")
        rig.build_database(pg_server.url(dbname), demo=demo)
        names[name] = dbname
    return names


def _fresh_database(request: pytest.FixtureRequest, backend: str, kind: str, work_dir: Path) -> Iterator[str]:
    if backend == "sqlite":
        templates = request.getfixturevalue("sqlite_templates")
        path = work_dir / f"test-{next(_counter)}-{uuid.uuid4().hex[:6]}.db"
        shutil.copyfile(templates[kind], path)
        yield f"sqlite:///{path}"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        server = request.getfixturevalue("pg_server")
        templates = request.getfixturevalue("pg_templates")
        dbname = f"test_{next(_counter)}_{uuid.uuid4().hex[:6]}"
        rig.pg_admin(server, f"CREATE DATABASE {dbname} TEMPLATE {templates[kind]}")
        yield server.url(dbname)
        rig.pg_admin(server, f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def db_url(request: pytest.FixtureRequest, backend: str, work_dir: Path) -> Iterator[str]:
    """A fresh database with the demo data, on SQLite and on PostgreSQL."""
    yield from _fresh_database(request, backend, "demo", work_dir)


@pytest.fixture
def empty_db_url(request: pytest.FixtureRequest, backend: str, work_dir: Path) -> Iterator[str]:
    """A fresh migrated database without any rows, on SQLite and on PostgreSQL."""
    yield from _fresh_database(request, backend, "empty", work_dir)


@pytest.fixture
def settings(db_url: str):  # noqa: ANN201
    return rig.test_settings(db_url)


@pytest.fixture
def app(settings):  # noqa: ANN001, ANN201
    from portal.app import create_app

    return create_app(settings)


@pytest.fixture
def client(app):  # noqa: ANN001, ANN201
    from litestar.testing import TestClient

    with TestClient(app, base_url="http://testserver.local") as c:
        yield c


@pytest.fixture
def engine(app):  # noqa: ANN001, ANN201
    return app.state.engine


@pytest.fixture
def db(engine) -> Iterator[Session]:  # noqa: ANN001
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def smtp_server() -> Iterator[rig.SmtpServer]:
    """A real SMTP server (aiosmtpd) on a free port; `.messages()` are what it received, parsed.
    Point settings at it with `rig.test_settings(url, **smtp_server.settings_overrides())`."""
    server = rig.SmtpServer()
    try:
        yield server
    finally:
        server.stop()


# --------------------------------------------------------------------------- HTTP helpers


SESSION_COOKIES = ("portal_session", "__Host-portal_session")
PRESESSION_COOKIES = ("portal_login", "__Host-portal_login")
_TOKEN_IN_PAGE = re.compile(r'name="_csrf_token" value="([^"]+)"|"x-csrftoken": "([^"]+)"')


def _cookie(client, names: tuple[str, ...]) -> str | None:  # noqa: ANN001
    return next((v for n in names if (v := client.cookies.get(n))), None)


def _token_key(client) -> tuple[str | None, str | None]:  # noqa: ANN001
    return _cookie(client, SESSION_COOKIES), _cookie(client, PRESESSION_COOKIES)


def token_in_page(html: str) -> str:
    """The CSRF token a page gives its forms and htmx requests."""
    found = _TOKEN_IN_PAGE.search(html)
    assert found, "the page carries no CSRF token"
    return found.group(1) or found.group(2)


def _remember_token(client, html: str) -> str:  # noqa: ANN001
    token = token_in_page(html)
    client.__dict__.setdefault("_portal_csrf", {})[_token_key(client)] = token
    return token


def csrf_token(client) -> str:  # noqa: ANN001
    """The CSRF token as a browser has it: read from a page (the login page before login, the home
    page after), remembered per session and pre-session cookie so that a test pays one page load per
    session, not one per post. Works for the TestClient and a plain httpx.Client of a live server."""
    cached = client.__dict__.get("_portal_csrf", {}).get(_token_key(client))
    if cached:
        return cached
    page = client.get("/" if _cookie(client, SESSION_COOKIES) else "/login", follow_redirects=True)
    return _remember_token(client, page.text)


def login(client, nip: str, password: str = DEMO_PASSWORD) -> None:  # noqa: ANN001
    """Log in through the real form; asserts success. As a browser does: loads the login form (its
    token), posts it, loads the page the login redirects to (the session's token)."""
    token = _remember_token(client, client.get("/login", follow_redirects=True).text)
    resp = client.post("/login", data={"nip": nip, "password": password, "_csrf_token": token}, follow_redirects=False)
    assert resp.status_code == 303, f"login failed for {nip}: {resp.status_code} {resp.text[:300]}"
    _remember_token(client, client.get(resp.headers["location"], follow_redirects=True).text)


def post(client, url: str, data: dict | None = None, *, htmx: bool = False, **kwargs):  # noqa: ANN001, ANN201
    """POST with the CSRF token in the header, as htmx does (or as a form field when htmx=False)."""
    headers = dict(kwargs.pop("headers", {}) or {})
    token = csrf_token(client)
    headers["x-csrftoken"] = token
    if htmx:
        headers["HX-Request"] = "true"
    return client.post(url, data=data or {}, headers=headers, follow_redirects=False, **kwargs)


@pytest.fixture
def demo_nips() -> dict[str, str]:
    return dict(DEMO)


def text_of(html: str) -> str:
    """Visible-ish text of an HTML page, whitespace collapsed (for content assertions)."""
    without_tags = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", without_tags)


# --------------------------------------------------------------------------- live server & browser


@pytest.fixture(scope="session")
def live_server(sqlite_templates: dict[str, Path], work_dir: Path) -> Iterator[rig.LiveServer]:
    """The portal served by uvicorn for the browser journeys. Every whole page it serves is kept
    (tests/live_app.py) and, when the session ends, all of them are validated in one Nu Html Checker run:
    an invalid page fails the run, listing its errors (issue 16)."""
    path = work_dir / "live.db"
    shutil.copyfile(sqlite_templates["demo"], path)
    pages_dir = work_dir / "live-pages"
    server = rig.LiveServer(f"sqlite:///{path}", env={"PORTAL_TEST_HTML_DIR": str(pages_dir)}, app="tests.live_app:create_app")
    try:
        yield server
    finally:
        server.stop()
    pages = {f"{p.name} (browser journeys)": p.read_text(encoding="utf-8") for p in sorted(pages_dir.glob("*.html"))}
    if not pages:
        pytest.fail("the live server kept no page to validate: tests/live_app.py no longer captures", pytrace=False)
    errors = html_check.validate(pages)
    if errors:
        pytest.fail(html_check.report(errors, len(pages)), pytrace=False)


@pytest.fixture(scope="session")
def live_engine(live_server: rig.LiveServer) -> Iterator[object]:
    """An engine on the live server's database, for journeys that check what the server stored."""
    engine = make_engine(rig.test_settings(live_server.database_url))
    try:
        yield engine
    finally:
        engine.dispose()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium not found at /usr/bin/chromium: install Debian's `chromium` package (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


EXPECTED_HTTP_ERRORS = re.compile(r"Failed to load resource: the server responded with a status of (401|409|422|429) ")


class PageProblems(list):
    """Console errors, page errors and CSP violations seen by a page."""


@pytest.fixture
def page(browser, live_server):  # noqa: ANN001, ANN201
    """A fresh browser context (phone-sized, 360 px wide) with console errors collected in
    `page.problems` and every page checked by axe-core (tests/a11y.py); the test fails at teardown if
    any problem or a serious/critical accessibility violation was seen. `page.open_context(**kwargs)`
    opens another context on the same browser whose pages axe checks as well."""
    context = browser.new_context(viewport={"width": 360, "height": 780}, base_url=live_server.url, locale="id-ID")
    axe = a11y.watch(context)
    pg = context.new_page()
    problems = PageProblems()
    visited = []
    pg.on("framenavigated", lambda frame: visited.append(frame.url) if frame == pg.main_frame and frame.url.startswith("http") else None)

    def on_console(msg) -> None:  # noqa: ANN001
        if msg.type != "error":
            return
        # Chromium logs every 4xx response as a console error; 401/409/422/429 are deliberate answers
        # of this app (wrong password, already submitted, validation errors, throttled). 400, 403,
        # 404 and 5xx still fail the test.
        if EXPECTED_HTTP_ERRORS.search(msg.text):
            return
        problems.append(f"console.{msg.type}: {msg.text}")

    pg.on("console", on_console)
    pg.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    pg.problems = problems  # type: ignore[attr-defined]
    pg.axe = axe  # type: ignore[attr-defined]
    opened: list[tuple[Any, a11y.AxeWatch]] = []

    def open_context(**kwargs: Any) -> Any:
        """Another browser context (a second device, a wide screen), its pages checked by axe-core too."""
        other = browser.new_context(**kwargs)
        opened.append((other, a11y.watch(other)))
        return other

    pg.open_context = open_context  # type: ignore[attr-defined]
    yield pg
    axe.finish(pg)
    context.close()
    for other, other_axe in opened:
        for other_page in other.pages:
            other_axe.finish(other_page)
        other.close()
    assert not problems, f"browser reported problems: {problems}"
    violations = axe.failures(navigated=bool(visited)) + [v for _o, w in opened for v in w.failures(navigated=True)]
    assert not violations, "axe-core found serious/critical accessibility violations:\n" + "\n".join(violations)


def browser_login(page, nip: str, password: str = DEMO_PASSWORD) -> None:  # noqa: ANN001
    page.goto("/login")
    page.fill("#nip", nip)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^(?!.*/login).*$"))
