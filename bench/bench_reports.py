"""Report benchmarks (prints numbers; not run by CI).

    .venv/bin/python bench/bench_reports.py [--sizes 10000,1000000,3000000] [--backends sqlite,postgresql]
                                            [--requests 30] [--no-export] [--export-runs 3]

Seeds, per backend, ONE organisation that stays the same at every size: 40 units, 5,000 employees,
1,000 trainings over 2022-2026 (200 a year), 100 participants each (100,000 credited enrollments and
100,000 L1 invitations) and an attributed 30-question reaction questionnaire (25 Likert items over the
five dimensions, a 0-10 item, two single-choice, one multi-choice, one free-text). Only the number of
submitted responses grows: 333 responses (10,000 answers), 33,333 (1,000,000) and 100,000 responses
x 30 answers (3,000,000), each with its invitation marked submitted and the summaries
(trainingsummary/-value) rewritten to match, exactly as the survey engine keeps them.
Inserts: SQLAlchemy Core executemany on SQLite, COPY on PostgreSQL for the two big tables.

At each size it serves the portal with uvicorn (1 worker, PORTAL_ENV=development for a pooled engine as in
production; otherwise like tests/rig.LiveServer), logs in as HR over
HTTP and measures (median / p95 over --requests keep-alive requests, after warm-up):
  dashboard (/laporan, this year), dashboard with a unit filter, the htmx fragment, a training report,
  JP compliance and response monitoring; and the number of SQL statements per page (in-process).
At the largest size: the CSV export of every raw row (100,000 responses x 30 answers), time to the last
byte (median of --export-runs) and the growth of the server's peak RSS (VmHWM, reset through
/proc/<pid>/clear_refs before each run; the largest growth is reported).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import rig
from tests.conftest import token_in_page

UNITS = 40
EMPLOYEES = 5_000
TRAININGS = 1_000
PARTICIPANTS = 100
FIRST_YEAR, LAST_YEAR = 2022, 2026
HR_NIP = "199999999999999999"
HR_PASSWORD = "Bench-Laporan-2026"
KINDS = ("pelatihan", "workshop", "seminar", "bimtek", "kursus", "e_learning")
DIMS = ("materi", "fasilitator", "sarana", "penyelenggaraan", "relevansi")


# --------------------------------------------------------------------------- seeding


class Seeder:
    def __init__(self, url: str) -> None:
        from portal.db import make_engine

        self.url = url
        self.engine = make_engine(rig.test_settings(url))
        self.dialect = self.engine.dialect.name
        self.rng = random.Random(20261128)
        self.sums: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
        self.counts: dict[tuple[int, int, str], int] = defaultdict(int)
        self.submitted = 0
        self.invitations: list[tuple[int, int, int]] = []  # (invitation id, training id, employee id), shuffled

    def org(self) -> None:
        from sqlalchemy import insert, select

        from portal import security
        from portal.models import (
            Employee,
            Enrollment,
            Question,
            Questionnaire,
            SurveyInvitation,
            Training,
            Unit,
        )
        from sqlmodel import Session

        from portal.services import summaries

        t0 = time.perf_counter()
        rng = self.rng
        with self.engine.begin() as conn:
            conn.execute(insert(Unit), [{"code": "ROOT", "name": "Pemerintah Kota Bench", "parent_id": None}])
            root = conn.execute(select(Unit.id).where(Unit.code == "ROOT")).scalar_one()
            conn.execute(insert(Unit), [{"code": f"U{i:02d}", "name": f"Dinas Bench {i:02d}", "parent_id": root} for i in range(UNITS)])
            units = conn.execute(select(Unit.id).where(Unit.code != "ROOT")).scalars().all()
            conn.execute(
                insert(Employee),
                [{"nip": f"1990{i:014d}", "name": f"Pegawai Bench {i}", "unit_id": units[i % UNITS], "is_active": True,
                  "is_hr": False, "is_admin": False, "created_at": datetime.now(UTC)} for i in range(EMPLOYEES)],
            )
            conn.execute(
                insert(Employee),
                [{"nip": HR_NIP, "name": "Petugas BKPSDM Bench", "unit_id": units[0], "is_active": True, "is_hr": True,
                  "is_admin": False, "password_hash": security.hash_password(HR_PASSWORD), "created_at": datetime.now(UTC)}],
            )
            employees = conn.execute(select(Employee.id).where(Employee.nip != HR_NIP).order_by(Employee.id)).scalars().all()
            conn.execute(insert(Questionnaire), [{"title": "Evaluasi Bench (30 butir, tidak anonim)", "description": "", "purpose": "reaction",
                                                  "version": 1, "anonymous": False, "locked": True, "revision": 1,
                                                  "created_at": datetime.now(UTC)}])
            qid = conn.execute(select(Questionnaire.id)).scalar_one()
            questions = []
            for i in range(25):
                questions.append(("likert5", DIMS[i // 5], None))
            questions += [("scale0_10", "lainnya", None), ("single", "lainnya", '["Tatap muka", "Daring", "Campuran"]'),
                          ("single", "lainnya", '["Ya", "Tidak", "Ragu"]'), ("multi", "lainnya", '["Teori", "Praktik", "Diskusi", "Studi kasus"]'),
                          ("text", "lainnya", None)]
            conn.execute(insert(Question), [
                {"questionnaire_id": qid, "section": d.capitalize(), "position": i + 1, "text": f"Butir {i + 1} ({k}, {d})", "kind": k,
                 "required": True, "options": o, "dimension": d, "retrospective": False, "max_length": 500 if k == "text" else None}
                for i, (k, d, o) in enumerate(questions)])
            self.questions = conn.execute(select(Question.id, Question.kind).where(Question.questionnaire_id == qid).order_by(Question.position)).all()
            self.qid = qid
            span = (date(LAST_YEAR, 10, 31) - date(FIRST_YEAR, 1, 10)).days
            trainings = []
            for i in range(TRAININGS):
                ends = date(FIRST_YEAR, 1, 10) + timedelta(days=span * i // TRAININGS)
                trainings.append({"code": f"B{i:04d}", "title": f"Pelatihan Bench {i:04d}", "kind": KINDS[i % len(KINDS)], "mode": "klasikal",
                                  "provider": "Penyelenggara Bench", "description": "", "starts_on": ends - timedelta(days=2), "ends_on": ends,
                                  "jp": rng.choice((8, 16, 24, 40)), "reaction_questionnaire_id": qid, "survey_opens_on": ends,
                                  "survey_closes_on": ends + timedelta(days=14), "application_due_days": 90})
            conn.execute(insert(Training), trainings)
            rows = conn.execute(select(Training.id, Training.jp, Training.ends_on).order_by(Training.id)).all()
            enrollments, invitations = [], []
            for tid, jp, ends in rows:
                for emp in rng.sample(employees, PARTICIPANTS):
                    enrollments.append({"training_id": tid, "employee_id": emp, "status": "completed", "jp_credited": jp})
                    invitations.append({"training_id": tid, "employee_id": emp, "questionnaire_id": qid, "status": "pending",
                                        "opens_on": ends, "closes_on": ends + timedelta(days=14)})
            for start in range(0, len(enrollments), 20_000):
                conn.execute(insert(Enrollment), enrollments[start:start + 20_000])
                conn.execute(insert(SurveyInvitation), invitations[start:start + 20_000])
            inv = conn.execute(select(SurveyInvitation.id, SurveyInvitation.training_id, SurveyInvitation.employee_id)).all()
            with Session(bind=conn) as session:  # loaded behind the portal's back: the summaries it keeps
                summaries.rebuild(session, ["jp", "invitations"])
                session.flush()
        self.invitations = [tuple(r) for r in inv]
        rng.shuffle(self.invitations)
        self.levels = {tid: rng.uniform(3.0, 4.6) for tid, _jp, _e in rows}
        print(f"  organisation: {UNITS} units, {EMPLOYEES:,} employees, {TRAININGS:,} trainings, "
              f"{len(enrollments):,} enrollments/invitations in {time.perf_counter() - t0:.1f} s", flush=True)

    def grow(self, answers: int) -> None:
        """Submit more invitations until the database holds `answers` answers; rewrite the summaries."""
        from sqlalchemy import delete, insert, update
        from sqlmodel import Session

        from portal.models import (
            SurveyInvitation,
            TrainingSummary,
            TrainingSummaryValue,
        )
        from portal.services import summaries

        t0 = time.perf_counter()
        target = answers // len(self.questions)
        rng = self.rng
        new = self.invitations[self.submitted:target]
        batch = 5_000
        when = datetime(2026, 1, 1, tzinfo=UTC)
        with self.engine.begin() as conn:
            for start in range(0, len(new), batch):
                part = new[start:start + batch]
                responses, answers_rows = [], []
                for inv_id, tid, emp in part:
                    rid = f"{rng.getrandbits(128):032x}"
                    level = self.levels[tid]
                    for qid_, kind in self.questions:
                        num = txt = None
                        if kind == "likert5":
                            num = min(5, max(1, round(level + rng.gauss(0, 0.8))))
                            self.sums[(tid, qid_)][1] += num
                            self.counts[(tid, qid_, str(num))] += 1
                        elif kind == "scale0_10":
                            num = min(10, max(0, round(2.5 * level - 2 + rng.gauss(0, 1.5))))
                            self.sums[(tid, qid_)][1] += num
                            self.counts[(tid, qid_, str(num))] += 1
                        elif kind == "single":
                            num = rng.randrange(3)
                            self.counts[(tid, qid_, str(num))] += 1
                        elif kind == "multi":
                            picked = sorted(rng.sample(range(4), rng.randint(1, 3)))
                            txt = ",".join(map(str, picked))
                            self.sums[(tid, qid_)][1] += len(picked)
                            for p in picked:
                                self.counts[(tid, qid_, str(p))] += 1
                        else:
                            txt = f"Komentar peserta {inv_id}: materi relevan, waktu praktik perlu ditambah."
                        self.sums[(tid, qid_)][0] += 1
                        answers_rows.append((rid, qid_, num, None, txt))
                    responses.append((rid, tid, self.qid, emp, inv_id, when))
                self._copy(conn, "surveyresponse", ("id", "training_id", "questionnaire_id", "respondent_id", "invitation_id", "submitted_at"), responses)
                self._copy(conn, "answer", ("response_id", "question_id", "value_num", "value_before", "value_text"), answers_rows)
                conn.execute(update(SurveyInvitation).where(SurveyInvitation.id.in_([p[0] for p in part])).values(status="submitted"))
            conn.execute(delete(TrainingSummaryValue))
            conn.execute(delete(TrainingSummary))
            totals = [{"training_id": t, "question_id": q, "n": v[0], "total": v[1], "n_before": 0, "total_before": 0} for (t, q), v in self.sums.items()]
            values = [{"training_id": t, "question_id": q, "value": val, "count": c} for (t, q, val), c in self.counts.items()]
            for start in range(0, len(totals), 20_000):
                conn.execute(insert(TrainingSummary), totals[start:start + 20_000])
            for start in range(0, len(values), 20_000):
                conn.execute(insert(TrainingSummaryValue), values[start:start + 20_000])
        # the L1 roll-up and the counts that submit keeps, rebuilt in a session of their own (the L1
        # rebuild loads questionnaire structures, whose cache is keyed by the engine of the session)
        with Session(self.engine) as session:
            summaries.rebuild(session, ["l1", "invitations"])
            session.commit()
        if self.dialect == "postgresql":
            # vacuumed and analyzed, as a database in steady state is (otherwise autovacuum starts on the
            # new rows in the middle of the measurements)
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM (ANALYZE)")
        if self.dialect == "sqlite":
            with self.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        self.submitted = target
        print(f"  grew to {target:,} responses x {len(self.questions)} = {target * len(self.questions):,} answers "
              f"({len(totals):,} summary rows, {len(values):,} value rows) in {time.perf_counter() - t0:.1f} s", flush=True)

    def _copy(self, conn, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        if self.dialect == "postgresql":
            raw = conn.connection.dbapi_connection
            with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            from sqlalchemy import column, insert
            from sqlalchemy import table as sa_table

            t = sa_table(table, *[column(c) for c in columns])
            conn.execute(insert(t), [dict(zip(columns, r, strict=True)) for r in rows])


# --------------------------------------------------------------------------- HTTP client


class Client:
    def __init__(self, base: str) -> None:
        parts = urllib.parse.urlsplit(base)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None, stream: bool = False):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.conn.request(method, path, body=body, headers=h)
        resp = self.conn.getresponse()
        for key, value in resp.getheaders():
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if stream:
            return resp
        data = resp.read()
        return resp.status, data

    def login(self) -> None:
        _status, page = self.request("GET", "/login")
        token = token_in_page(page.decode("utf-8"))
        body = urllib.parse.urlencode({"nip": HR_NIP, "password": HR_PASSWORD, "_csrf_token": token}).encode()
        status, _ = self.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 303, status


def timed(client: Client, path: str, n: int, headers: dict | None = None) -> tuple[float, float, float]:
    for _ in range(3):
        status, _body = client.request("GET", path, headers=headers)
        assert status == 200, (path, status, _body[:300])
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        status, _body = client.request("GET", path, headers=headers)
        times.append((time.perf_counter() - t0) * 1000)
        assert status == 200
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], times[0]


def count_queries(url: str, paths: dict[str, str], *, any_status: bool = False) -> dict[str, int]:
    """SQL statements per page, in-process, as the bench HR person; `any_status`: also count a page that
    answers something else than 200 with the bench data (bench_hr_pages.py)."""
    from litestar.testing import TestClient

    from portal.app import create_app

    app = create_app(rig.test_settings(url))
    out = {}
    with TestClient(app, base_url="http://testserver.local") as c:
        token = token_in_page(c.get("/login").text)
        resp = c.post("/login", data={"nip": HR_NIP, "password": HR_PASSWORD, "_csrf_token": token}, follow_redirects=False)
        assert resp.status_code == 303, resp.status_code
        engine = app.state.engine
        for name, path in paths.items():
            with rig.QueryCounter(engine) as qc:
                status = c.get(path, follow_redirects=False).status_code
            assert any_status or status == 200, (path, status)
            out[name] = qc.count
    return out


class PooledServer:
    """tests/rig.LiveServer, but with PORTAL_ENV=development: a pooled engine as in production (the test
    setting opens a new PostgreSQL connection per session, i.e. two per request)."""

    def __init__(self, url: str) -> None:
        import subprocess
        import urllib.request

        self.port = rig.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, PORTAL_ENV="development", PORTAL_DATABASE_URL=url, PORTAL_SECRET_KEY=rig.TEST_SECRET)
        self.log = tempfile.NamedTemporaryFile(prefix="bench-reports-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "portal.app:create_app", "--factory", "--host", "127.0.0.1", "--port", str(self.port),
             "--workers", "1", "--log-level", "warning", "--no-access-log"],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        log = Path(self.log.name).read_text()[-2000:]
        self.stop()
        raise RuntimeError(log)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        Path(self.log.name).unlink(missing_ok=True)


def rss(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    return 0


def server_pid(proc) -> int:
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    kids = children.read_text().split() if children.exists() else []
    return int(kids[0]) if kids else proc.pid


def measure(url: str, seeder: Seeder, size: int, args: argparse.Namespace, export: bool) -> dict:
    from sqlalchemy import func, select

    from portal.models import Answer, Training, Unit

    with seeder.engine.connect() as conn:
        n_answers = conn.execute(select(func.count()).select_from(Answer)).scalar_one()
        unit = conn.execute(select(Unit.id).where(Unit.code == "U07")).scalar_one()
        big = conn.execute(select(Training.id).where(Training.ends_on >= date(LAST_YEAR, 1, 1)).order_by(Training.id).limit(1)).scalar_one()
    year = date.today().year
    paths = {
        "dashboard": f"/laporan?periode={year}",
        "dashboard+unit": f"/laporan?periode={year}&unit={unit}",
        "training report": f"/laporan/pelatihan/{big}",
        "JP compliance": f"/laporan/jp?periode={year}",
        "responses": f"/laporan/respons?periode={year}",
        "training list": f"/laporan/pelatihan?periode={year}",
    }
    queries = count_queries(url, paths)
    server = PooledServer(url)
    result = {"answers": n_answers, "pages": {}, "queries": queries}
    try:
        client = Client(server.url)
        client.login()
        for name, path in paths.items():
            result["pages"][name] = timed(client, path, args.requests)
        result["pages"]["dashboard (htmx fragment)"] = timed(client, paths["dashboard"], args.requests, {"HX-Request": "true", "HX-Request-Type": "partial"})
        if export:
            pid = server_pid(server.proc)
            path = f"/laporan/jawaban/csv?kuesioner={seeder.qid}&periode=rentang&dari={FIRST_YEAR}-01-01&sampai={LAST_YEAR}-12-31"
            runs = []
            for _ in range(args.export_runs):
                before = rss(pid, "VmRSS")
                Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset VmHWM to the current RSS
                t0 = time.perf_counter()
                resp = client.request("GET", path, stream=True)
                assert resp.status == 200, resp.status
                first = None
                size_bytes = lines = 0
                while chunk := resp.read(256 * 1024):
                    if first is None:
                        first = time.perf_counter() - t0
                    size_bytes += len(chunk)
                    lines += chunk.count(b"\n")
                elapsed = time.perf_counter() - t0
                peak = rss(pid, "VmHWM")
                runs.append({"seconds": elapsed, "first_byte": first, "bytes": size_bytes, "rows": lines - 1,
                             "rss_before": before, "peak": peak, "growth": peak - before})
            # the median run by time; the growth is the largest of the runs (the first one warms the caches)
            result["export"] = dict(sorted(runs, key=lambda e: e["seconds"])[len(runs) // 2], growth=max(e["growth"] for e in runs),
                                    all_seconds=[e["seconds"] for e in runs])
    finally:
        server.stop()
    return result


def report(backend: str, results: list[dict]) -> None:
    load = os.getloadavg()[0]
    print(f"\n== {backend}: request time in ms, median / p95 / min over the requests (live uvicorn, 1 worker; "
          f"load average now {load:.1f} on {os.cpu_count()} CPUs) ==")
    names = list(results[0]["pages"])
    header = f"{'page':28}" + "".join(f"{r['answers']:>27,}" for r in results)
    print(header + "   (answers in the database)")
    for name in names:
        line = f"{name:28}"
        for r in results:
            med, p95, low = r["pages"][name]
            line += f"{med:>11.1f} /{p95:>6.1f} /{low:>6.1f}"
        print(line)
    base, base_min = results[0]["pages"]["dashboard"][0], results[0]["pages"]["dashboard"][2]
    for r in results[1:]:
        print(f"dashboard at {r['answers']:,} answers = {r['pages']['dashboard'][0] / base:.2f} x (median) / "
              f"{r['pages']['dashboard'][2] / base_min:.2f} x (min) the time at {results[0]['answers']:,}")
    print("SQL statements per page (incl. session/user lookup): " + ", ".join(f"{k} {v}" for k, v in results[-1]["queries"].items()))
    for r in results:
        if "export" in r:
            e = r["export"]
            print(f"CSV export of every raw row: {e['rows']:,} responses x 30 answers, {e['bytes'] / 1e6:.1f} MB in {e['seconds']:.2f} s "
                  f"(median of {len(e['all_seconds'])}: {', '.join(f'{x:.2f}' for x in e['all_seconds'])} s; first byte after "
                  f"{e['first_byte'] * 1000:.0f} ms); server RSS {e['rss_before'] / 1e6:.0f} MB before, peak {e['peak'] / 1e6:.0f} MB, "
                  f"growth {e['growth'] / 1e6:.1f} MB (largest of the runs)")


def main() -> None:
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # run the finally blocks (stop PostgreSQL)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,1000000,3000000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--no-export", action="store_true")
    parser.add_argument("--export-runs", type=int, default=3, help="CSV exports at the largest size (the median is reported)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    for backend in args.backends.split(","):
        tmp = Path(tempfile.mkdtemp(prefix="bench-reports-"))
        pg = None
        if backend == "sqlite":
            url = f"sqlite:///{tmp / 'bench.db'}"
        else:
            pg = rig.start_postgres()
            rig.pg_admin(pg, "CREATE DATABASE bench")
            url = pg.url("bench")
        try:
            print(f"\n# {backend}: seeding", flush=True)
            rig.build_database(url, demo=False)
            seeder = Seeder(url)
            seeder.org()
            results = []
            for size in sizes:
                seeder.grow(size)
                results.append(measure(url, seeder, size, args, export=not args.no_export and size == sizes[-1]))
                r = results[-1]
                print(f"  {r['answers']:,} answers: dashboard {r['pages']['dashboard'][0]:.1f} ms median", flush=True)
            seeder.engine.dispose()
            report(backend, results)
        finally:
            if pg is not None:
                pg.stop()
            for p in tmp.glob("*"):
                p.unlink()
            os.rmdir(tmp)


if __name__ == "__main__":
    main()
