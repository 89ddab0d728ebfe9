"""Every page HR visits, timed at scale (issue 17; prints numbers, not run by CI).

    .venv/bin/python bench/bench_hr_pages.py [--dir /tmp/bench-hr-pages] [--sizes 10000,1000000,3000000]
                                             [--backends postgresql,sqlite] [--requests 20] [--only REGEX]

The organisation and the answers are bench/bench_reports.py's Seeder (40 units, 5,000 employees, 1,000
trainings, 100,000 enrollments and invitations, a 30-question reaction questionnaire; 10k / 1M / 3M
answers). Each size is kept as a database of its own under --dir (PostgreSQL: one data folder with a
database per size, made from the previous size with CREATE DATABASE ... TEMPLATE and grown; SQLite: a file
per size, copied and grown): a second run reuses them, migrated to the current head, and seeds nothing
(as long as it asks for the same sizes). Delete the folder to re-seed.

The pages are tests/pages.py's: every GET route that answers an HTML page to a role holding HR access,
its ids filled by the same finders (tests/test_route_guards.OBJECTS) from the bench database, the bench's
HR person acting. A route whose object the bench data lacks (AKPK cycles, positions, L3 ratings...) is
listed as skipped. On PostgreSQL every page is timed at every size (median / p95 over --requests
keep-alive requests after warm-up, live uvicorn with a pooled engine, as bench_reports.PooledServer; a
server per size, all running, the sizes asked in turn within each round so that the load of a shared
machine falls on every size alike),
with the ratio median@largest / median@smallest (flatness) and the SQL statement count per page; on
SQLite only the response monitoring (/laporan/respons) is timed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_reports import HR_NIP, Client, PooledServer, Seeder, count_queries  # noqa: E402

from tests import rig  # noqa: E402

RESPONSES = "/laporan/respons"


class KeptAliveClient(Client):
    """bench_reports.Client that opens a new connection when the server closed an idle one (uvicorn
    closes keep-alive connections after 5 s; the servers of the other sizes start meanwhile)."""

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None, stream: bool = False):
        import http.client

        try:
            return super().request(method, path, body, headers, stream)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.conn.close()
            return super().request(method, path, body, headers, stream)


# --------------------------------------------------------------------------- kept databases


class KeptPostgres:
    """A PostgreSQL data folder that outlives the run (rig.start_postgres deletes its folder at stop)."""

    def __init__(self, base: Path) -> None:
        self.base = base
        bindir = rig.find_pg_bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL server binaries not found")
        as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        datadir = base / "data"
        if not datadir.exists():
            base.mkdir(parents=True, exist_ok=True)
            if as_user:
                shutil.chown(base, "postgres", "postgres")
            os.chmod(base, 0o755)
            subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(datadir), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                            "--locale=C.UTF-8"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
        self.server = rig.PgServer(port=rig.free_port(), datadir=datadir, bindir=bindir, as_user=as_user)
        opts = (f"-p {self.server.port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                "-c full_page_writes=off -c max_connections=200")
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(datadir), "-l", str(base / "logfile"), "-o", opts, "-w", "start"],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)

    def url(self, name: str) -> str:
        return self.server.url(name)

    def has(self, name: str) -> bool:
        return (self.base / f"{name}.done").exists()

    def done(self, name: str) -> None:
        (self.base / f"{name}.done").touch()

    def create(self, name: str, template: str | None = None) -> None:
        rig.pg_admin(self.server, f"DROP DATABASE IF EXISTS {name}",
                     f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))

    def stop(self) -> None:  # a clean (fast) shutdown that keeps the folder
        subprocess.run([*self.server.as_user, str(self.server.bindir / "pg_ctl"), "-D", str(self.server.datadir), "-m", "fast", "stop"],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


class KeptSqlite:
    def __init__(self, base: Path) -> None:
        self.base = base
        base.mkdir(parents=True, exist_ok=True)

    def url(self, name: str) -> str:
        return f"sqlite:///{self.base / (name + '.db')}"

    def has(self, name: str) -> bool:
        return (self.base / f"{name}.done").exists()

    def done(self, name: str) -> None:
        (self.base / f"{name}.done").touch()

    def create(self, name: str, template: str | None = None) -> None:
        target = self.base / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        if template:
            rig.sqlite_checkpoint(self.base / f"{template}.db")
            shutil.copyfile(self.base / f"{template}.db", target)

    def stop(self) -> None:
        pass


def databases(store, sizes: list[int]) -> dict[int, str]:
    """A database per size, seeded (and grown from the previous size) unless the store already has it."""
    urls = {size: store.url(f"answers_{size}") for size in sizes}
    if all(store.has(f"answers_{size}") for size in sizes):
        for url in urls.values():  # kept from an earlier run: brought to the current schema (new indexes)
            upgrade(url)
        return urls
    seeder = None
    previous = None
    for size in sizes:
        name = f"answers_{size}"
        if seeder is not None:
            seeder.engine.dispose()  # no connection to the template while it is copied
        store.create(name, previous)
        if seeder is None:
            rig.build_database(urls[size], demo=False)
            seeder = Seeder(urls[size])
            seeder.org()
        else:  # the seeder keeps growing, now in the copy
            seeder.engine = Seeder(urls[size]).engine
        seeder.grow(size)
        store.done(name)
        previous = name
    seeder.engine.dispose()
    return urls


def upgrade(url: str) -> None:
    """Migrate a kept database to head; when that changed anything, analyze it for the planner."""
    from sqlalchemy import create_engine, text

    from portal.cli import upgrade_database

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            before = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        upgrade_database(rig.test_settings(url))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if conn.execute(text("SELECT version_num FROM alembic_version")).scalar() != before:
                conn.execute(text("VACUUM ANALYZE" if conn.dialect.name == "postgresql" else "ANALYZE"))
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- HR's pages


@dataclass(frozen=True)
class Page:
    path: str  # route template
    url: str | None  # None: the bench data has no object for its ids


def hr_pages(url: str) -> list[Page]:
    """tests/pages.py's pages of the HR role, ids found in the bench database with the bench HR person."""
    from tests.pages import page_routes
    from tests.test_route_guards import OBJECTS, ROLE_ACCESS, ROUTES, _person, url_of

    from portal.db import make_engine

    engine = make_engine(rig.test_settings(url))
    pages = []
    try:
        with engine.connect() as conn:
            me = _person(conn, HR_NIP)
            for path, access in page_routes():
                if access not in ROLE_ACCESS["hr"]:
                    continue
                rule = ROUTES[("GET", path)]
                ids = OBJECTS[rule.ids].own(conn, me)
                if ids is not None and any(v is None for v in ids.params.values()):
                    ids = None  # e.g. no open AKPK cycle: the finder's subquery found nothing
                pages.append(Page(path, url_of(path, ids, rule.query) if ids is not None else None))
    finally:
        engine.dispose()
    return pages


def measure(urls: dict[int, str], pages: list[Page], requests: int) -> dict[int, dict[str, dict]]:
    """Every page at every size, interleaved: a server per size runs at once and each round asks each
    size in turn, so that the load of the (shared) machine weighs on all sizes alike."""
    import logging
    import statistics

    found = {p.path: p.url for p in pages if p.url is not None}
    logging.disable(logging.INFO)  # the in-process app's access log
    queries = {size: count_queries(url, found, any_status=True) for size, url in urls.items()}
    logging.disable(logging.NOTSET)
    servers = {}
    out: dict[int, dict[str, dict]] = {size: {} for size in urls}
    try:
        clients = {}
        for size, url in urls.items():
            servers[size] = PooledServer(url)
            clients[size] = KeptAliveClient(servers[size].url)
            clients[size].login()
        for path, page_url in found.items():
            statuses = {size: client.request("GET", page_url)[0] for size, client in clients.items()}
            if any(status != 200 for status in statuses.values()):  # a redirect or a refusal with the bench data
                for size, status in statuses.items():
                    out[size][path] = {"status": status}
                continue
            times: dict[int, list[float]] = {size: [] for size in urls}
            for _ in range(3):  # warm-up
                for client in clients.values():
                    client.request("GET", page_url)
            for _ in range(requests):
                for size, client in clients.items():
                    t0 = time.perf_counter()
                    status, _body = client.request("GET", page_url)
                    times[size].append((time.perf_counter() - t0) * 1000)
                    assert status == 200, (page_url, status)
            for size, ts in times.items():
                ts.sort()
                out[size][path] = {"median": statistics.median(ts), "p95": ts[max(0, int(len(ts) * 0.95) - 1)], "queries": queries[size][path]}
    finally:
        for server in servers.values():
            server.stop()
    return out


def main() -> None:
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", default="/tmp/bench-hr-pages", help="where the seeded databases are kept between runs")
    parser.add_argument("--sizes", default="10000,1000000,3000000")
    parser.add_argument("--backends", default="postgresql,sqlite")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--only", default="", help="time only the routes matching this regex")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    base = Path(args.dir)
    for backend in args.backends.split(","):
        store = KeptPostgres(base / "pg") if backend == "postgresql" else KeptSqlite(base / "sqlite")
        try:
            t0 = time.perf_counter()
            urls = databases(store, sizes)
            print(f"\n# {backend}: databases ready in {time.perf_counter() - t0:.1f} s ({base})", flush=True)
            pages = hr_pages(urls[sizes[0]])
            if backend != "postgresql":
                pages = [p for p in pages if p.path == RESPONSES]
            if args.only:
                pages = [p for p in pages if re.search(args.only, p.path)]
            results = measure({size: urls[size] for size in sizes}, pages, args.requests)
            report(backend, sizes, pages, results)
        finally:
            store.stop()


def report(backend: str, sizes: list[int], pages: list[Page], results: dict[int, dict]) -> None:
    print(f"\n== {backend}: median / p95 ms per HR page (live uvicorn, 1 worker; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs); ratio = median@{sizes[-1]:,} / median@{sizes[0]:,}; SQL = statements per page ==")
    print(f"{'page':48}" + "".join(f"{f'{s:,} answers':>20}" for s in sizes) + f"{'ratio':>8}{'SQL':>5}")
    slow = []
    for page in pages:
        if page.url is None:
            print(f"{page.path:48}  skipped: the bench data has no object for its ids")
            continue
        line = f"{page.path:48}"
        rows = [results[s].get(page.path, {}) for s in sizes]
        if any("median" not in r for r in rows):
            print(line + "  status " + ", ".join(str(r.get("status")) for r in rows))
            continue
        line += "".join(f"{r['median']:>12.1f} /{r['p95']:>6.1f}" for r in rows)
        ratio = rows[-1]["median"] / rows[0]["median"]
        line += f"{ratio:>8.2f}{rows[-1]['queries']:>5}"
        if rows[-1]["median"] >= 100 or (len(sizes) > 1 and ratio > 1.5):
            slow.append(page.path)
            line += "  <-- over target"
        print(line)
    print("over target (>= 100 ms or ratio > 1.5): " + (", ".join(slow) or "none"))


if __name__ == "__main__":
    main()
