"""Two hosts behind nginx (issue 18): the portal served by `portal serve --workers 2` in each of two
Linux network namespaces, both on one PostgreSQL server, nginx on the host loopback in front
(round-robin, no stickiness) naming in `X-Upstream` the host that served each answer (tests/hosts.py).

The four roles' journeys run in real Chromium through nginx, and every request is counted by the host
that served it: each logged-in session is served by both hosts, POSTs carry a CSRF token a page of the
other host gave, a flash message set by one host is shown by the other, and failed logins spread over
both hosts lock the NIP at the configured limit, counted against the client's address (X-Forwarded-For
from the trusted proxy), not the proxy's. Needs root (namespaces) and nginx: a failure, never a skip.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import create_engine, func, select

from portal.models import LoginFailure, Training
from tests import hosts, rig
from tests.browser.test_ratings_browser import CATEGORIES, _fill_rating
from tests.browser.test_ratings_browser import TRAINING as RATED_TRAINING
from tests.browser.test_surveys_browser import TRAINING as SURVEYED_TRAINING
from tests.browser.test_surveys_browser import _answer, _open_survey, _saved
from tests.conftest import DEMO, DEMO_PASSWORD, EXPECTED_HTTP_ERRORS, browser_login

LOGIN_LIMIT = 4  # PORTAL_LOGIN_MAX_FAILURES on both hosts
CLIENT = "127.0.0.1"  # the browser's address, as nginx forwards it


@dataclass
class Cluster:
    url: str  # nginx
    database_url: str  # as the test reaches it (loopback)
    hosts: dict[str, str]  # upstream address -> namespace
    portals: list[hosts.PortalHost]
    nginx: hosts.Nginx


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    if os.geteuid() != 0:
        pytest.fail("the two-host test makes network namespaces: run it as root (make test does in CI)")
    if hosts.nginx_binary() is None:
        pytest.fail("nginx not found: install Debian's `nginx` package (.ci/system-packages does)")
    if rig.find_pg_bindir() is None:
        pytest.fail("PostgreSQL server binaries not found: install Debian's `postgresql` package")
    hosts.clear_leftovers()
    with contextlib.ExitStack() as stack:
        made, subnet = hosts.create_hosts(2)
        stack.callback(hosts.remove_hosts, made)
        pg = rig.start_postgres(listen=("127.0.0.1", *(h.gateway for h in made)), allow=(subnet,))
        stack.callback(pg.stop)
        rig.pg_admin(pg, "CREATE DATABASE two_hosts")
        rig.build_database(pg.url("two_hosts"), demo=True)
        portals = []
        for host in made:
            env = {"PORTAL_TRUSTED_PROXIES": host.gateway, "PORTAL_LOGIN_MAX_FAILURES": str(LOGIN_LIMIT)}
            portal = hosts.PortalHost(host, f"postgresql+psycopg://postgres@{host.gateway}:{pg.port}/two_hosts", env, workers=2)
            stack.callback(portal.stop)
            portals.append(portal)
        nginx = hosts.Nginx([p.upstream for p in portals])
        stack.callback(nginx.stop)
        yield Cluster(nginx.url, pg.url("two_hosts"), {p.upstream: p.host.netns for p in portals}, portals, nginx)


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    status: int
    upstream: str
    kind: str  # Playwright's resource type: document, fetch, stylesheet...


@dataclass
class Visit:
    """A browser context through nginx (one person's session), with every answer it received."""

    page: object
    seen: list[Seen] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def hosts_of(self, method: str | None = None, path: str = "") -> set[str]:
        return {s.upstream for s in self.seen if (method is None or s.method == method) and path in s.path}

    def posts(self, path: str = "") -> list[Seen]:
        return [s for s in self.seen if s.method == "POST" and path in s.path]

    def csrf_across_hosts(self) -> int:
        """POSTs accepted by one host with the token of a page the other host served."""
        crossed, page_host = 0, None
        for s in self.seen:
            if s.kind == "document" and s.method == "GET" and s.status == 200:
                page_host = s.upstream
            elif s.method == "POST" and s.status < 400 and page_host is not None and s.upstream != page_host:
                crossed += 1
        return crossed

    def submit_and_land(self, click, flash: str) -> tuple[Seen, Seen]:  # noqa: ANN001
        """Submit a form whose answer redirects to a page with a success flash; returns the POST and the
        page it landed on (to see which hosts served them)."""
        start = len(self.seen)
        click()
        self.page.locator(".flash-success").filter(has_text=flash).wait_for()
        after = self.seen[start:]
        post = next(s for s in after if s.method == "POST")
        landing = next(s for s in after[after.index(post) + 1 :] if s.method == "GET" and s.kind == "document")
        return post, landing


@pytest.fixture
def visit(cluster: Cluster, browser) -> Iterator:  # noqa: ANN001
    """Opens Visits (phone-sized contexts through nginx); at teardown fails on console errors and on
    any 4xx/5xx answer other than those a visit declared expected."""
    opened: list[tuple[Visit, object, frozenset[int]]] = []

    def open_visit(expected: frozenset[int] = frozenset()) -> Visit:
        context = browser.new_context(viewport={"width": 360, "height": 780}, base_url=cluster.url, locale="id-ID")
        page = context.new_page()
        v = Visit(page)
        page.problems = v.problems  # type: ignore[attr-defined]

        def on_response(resp) -> None:  # noqa: ANN001
            path = resp.url.removeprefix(cluster.url)
            v.seen.append(Seen(resp.request.method, path, resp.status, resp.headers.get("x-upstream", ""), resp.request.resource_type))

        def on_console(msg) -> None:  # noqa: ANN001
            if msg.type == "error" and not EXPECTED_HTTP_ERRORS.search(msg.text):
                v.problems.append(f"console.error: {msg.text}")

        page.on("response", on_response)
        page.on("console", on_console)
        page.on("pageerror", lambda exc: v.problems.append(f"pageerror: {exc}"))
        opened.append((v, context, expected))
        return v

    yield open_visit
    for v, context, expected in opened:
        context.close()
        assert not v.problems, f"browser reported problems: {v.problems}"
        failed = [s for s in v.seen if s.status >= 400 and s.status not in expected]
        assert not failed, f"unexpected error answers: {failed}"
        unnamed = [s for s in v.seen if s.upstream not in cluster.hosts]
        assert not unnamed, f"answers without an X-Upstream naming one host: {unnamed}"


def test_the_leftovers_of_a_crashed_run_are_removed():
    if os.geteuid() != 0:
        pytest.fail("the two-host test makes network namespaces: run it as root (make test does in CI)")
    gone = subprocess.Popen(["true"])
    gone.wait()  # a run that died: its process id names what it left
    netns, link = f"{hosts.PREFIX}-{gone.pid}-0", f"{hosts.PREFIX}{gone.pid}h1"
    subprocess.run(["ip", "netns", "add", netns], check=True)
    subprocess.run(["ip", "link", "add", link, "type", "veth", "peer", "name", f"{hosts.PREFIX}{gone.pid}n1"], check=True)
    try:
        removed = hosts.clear_leftovers()
        assert netns in removed and link in removed
        assert netns not in subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout
        assert subprocess.run(["ip", "link", "show", link], capture_output=True, check=False).returncode != 0
    finally:
        subprocess.run(["ip", "netns", "del", netns], capture_output=True, check=False)
        subprocess.run(["ip", "link", "del", link], capture_output=True, check=False)


def test_the_hosts_run_two_workers_each_on_one_database(cluster: Cluster):
    assert len(cluster.hosts) == 2
    for portal in cluster.portals:
        # uvicorn's supervisor and its two workers, all inside the namespace
        assert len(portal.worker_pids()) >= 3, portal.worker_pids()
        assert portal.host.netns in cluster.hosts.values()


def test_employee_fills_and_submits_a_survey_across_both_hosts(visit):  # noqa: ANN001
    v = visit()
    page = v.page
    browser_login(page, DEMO["employee"])
    ids = _open_survey(page)
    assert SURVEYED_TRAINING in page.inner_text("main")
    for qid in ids[:15]:
        _answer(page, qid, "-4")
    _answer(page, ids[15], "-9")  # the 0-10 scale
    page.fill(f"#q-{ids[16]}", "Antrean daring dari dua server sekaligus.")
    page.locator(f"#q-{ids[16]}").blur()
    _saved(page, ids[16])
    page.reload()  # the answers are in the database, whichever host reads them
    assert all(page.is_checked(f"#q-{qid}-4") for qid in ids[:15])
    assert page.locator(".progress-text").inner_text() == "17 dari 18 pertanyaan terjawab"
    page.click("#periksa-kirim")
    page.wait_for_url(re.compile(r"/kirim$"))
    page.click("#kirim-ya")
    page.wait_for_url(re.compile(r"/tanda-terima$"))
    assert "Terima kasih" in page.locator("#tanda-terima").inner_text()

    autosaves = v.posts("/jawaban/")
    assert len(autosaves) == 17 and all(s.status == 200 for s in autosaves), autosaves
    assert len(v.hosts_of("POST", "/jawaban/")) == 2, "the autosaves were not spread over both hosts"
    assert len(v.hosts_of()) == 2
    assert v.csrf_across_hosts() > 0


def test_supervisor_rates_an_application_across_both_hosts(visit):  # noqa: ANN001
    v = visit()
    page = v.page
    browser_login(page, DEMO["supervisor"])
    page.get_by_role("link", name=re.compile(r"Nilai penerapan hasil pelatihan: Putri Wulandari.*" + RATED_TRAINING)).click()
    page.wait_for_url(re.compile(r"/penerapan/atasan/\d+$"))
    _fill_rating(page)  # quick changes: the second of a before/after pair is queued behind the first
    page.click("#kirim")
    page.wait_for_url(re.compile(r"/kirim$"))
    page.click("#kirim-ya")
    page.wait_for_url(re.compile(r"/penerapan/hasil/\d+$"))
    assert page.locator("#kategori-dampak").inner_text().strip() in CATEGORIES

    assert len(v.hosts_of("POST")) == 2
    assert len(v.hosts_of()) == 2
    assert v.csrf_across_hosts() > 0


def _other_training(database_url: str) -> tuple[int, str]:
    """A demo training the other journeys do not use."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                select(Training.id, Training.title)
                .where(Training.title.notin_([SURVEYED_TRAINING, RATED_TRAINING]))
                .order_by(Training.id.desc())
                .limit(1)
            ).one()
    finally:
        engine.dispose()
    return row.id, row.title


def test_hr_reviews_reports_and_edits_a_training_with_the_flash_shown_by_the_other_host(cluster: Cluster, visit):  # noqa: ANN001
    v = visit()
    page = v.page
    browser_login(page, DEMO["hr"])
    page.goto("/laporan")
    page.locator("#tile-peserta").wait_for()
    page.goto("/laporan/respons")
    assert page.locator("h1").count() == 1
    tid, title = _other_training(cluster.database_url)
    hops = []
    for n in range(1, 5):  # until the save and the page after it came from different hosts
        page.goto(f"/pelatihan/{tid}/ubah")
        page.fill("#title", f"{title} (ubah {n})")
        post, landing = v.submit_and_land(
            lambda: page.get_by_role("button", name="Simpan perubahan").click(), "Perubahan pelatihan disimpan."
        )
        assert post.status in (200, 303) and landing.status == 200
        assert f"{title} (ubah {n})" in page.inner_text("main")
        hops.append(post.upstream != landing.upstream)
        if hops[-1]:
            break
    assert any(hops), "every save landed on the host that served it: no hop between hosts was seen"
    assert len(v.hosts_of()) == 2
    assert v.csrf_across_hosts() > 0


def _failures(database_url: str, nip: str) -> list[tuple[str, int]]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(LoginFailure.ip, func.count().label("n")).where(LoginFailure.nip == nip).group_by(LoginFailure.ip)
            ).all()
    finally:
        engine.dispose()
    return [(r.ip, r.n) for r in rows]


def _someone(database_url: str) -> str:
    """The NIP of a demo employee none of the journeys logs in as."""
    from portal.models import Employee

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(
                select(Employee.nip)
                .where(Employee.is_active.is_(True), Employee.password_hash.isnot(None), Employee.nip.notin_(list(DEMO.values())))
                .order_by(Employee.id.desc())
                .limit(1)
            ).scalar_one()
    finally:
        engine.dispose()


def _try_login(page, nip: str, password: str) -> int:  # noqa: ANN001
    """Submit the login form (the one on the page, or /login's): the answer's status. A refused login
    answers the form again, so that attempts in a row are POSTs in a row (round-robin: host after host)."""
    if not page.locator("#nip").count():
        page.goto("/login")
    page.fill("#nip", nip)
    page.fill("#password", password)
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/login")) as answer:
        page.click("button[type=submit]")
    page.wait_for_load_state()
    return answer.value.status


def test_failed_logins_on_both_hosts_lock_the_nip_and_the_admin_unlocks_it(cluster: Cluster, visit):  # noqa: ANN001
    nip = _someone(cluster.database_url)
    v = visit(expected=frozenset({401, 429}))
    statuses = [_try_login(v.page, nip, f"salah-{n}-{DEMO_PASSWORD}") for n in range(LOGIN_LIMIT)]
    assert statuses == [401] * (LOGIN_LIMIT - 1) + [429], "not locked by the failure that reached the limit"
    assert len(v.hosts_of("POST", "/login")) == 2, "the failed logins did not reach both hosts"
    # the limit is reached across hosts: the right password is refused now, whichever host answers
    assert _try_login(v.page, nip, DEMO_PASSWORD) == 429
    assert "Terlalu banyak percobaan" in v.page.inner_text("main")
    # counted against the browser's address (X-Forwarded-For from the trusted proxy), not nginx's
    assert _failures(cluster.database_url, nip) == [(CLIENT, LOGIN_LIMIT)]

    admin = visit()
    browser_login(admin.page, DEMO["admin"])
    admin.page.goto("/admin/akun")
    locked = admin.page.locator(".record-list li", has_text=nip)
    assert f"{LOGIN_LIMIT} percobaan gagal" in locked.inner_text()
    post, landing = admin.submit_and_land(
        lambda: locked.get_by_role("button", name="Buka kunci").click(), f"NIP {nip} dibuka: {LOGIN_LIMIT} percobaan gagal dihapus."
    )
    assert post.status == 303 and landing.status == 200
    assert _failures(cluster.database_url, nip) == []
    assert len(admin.hosts_of()) == 2

    # unlocked on every host: the owner logs in and stays logged in whichever host answers
    browser_login(v.page, nip)
    start = len(v.seen)
    for _ in range(3):
        v.page.goto("/")
        assert v.page.locator(".site-user-name").count() == 1
    assert len({s.upstream for s in v.seen[start:] if s.kind == "document"}) == 2
