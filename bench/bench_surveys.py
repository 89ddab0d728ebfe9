"""Survey write-path benchmarks: autosave latency and submit throughput (prints numbers; not run by CI).

    .venv/bin/python bench/bench_surveys.py [--seconds 5] [--workers 1] [--backend sqlite|postgresql]

Seeds a copy of the demo data (a SQLite file, or a database on a throwaway PostgreSQL server) with a
30-question questionnaire (all kinds) on a training with many participants, each with a login session, an
invitation and a complete draft, then serves the portal with uvicorn (1 worker by default, a pooled engine
as in production) and measures with a small asyncio keep-alive HTTP/1.1 client (32 connections):

1. autosave latency at 32 concurrent clients, closed loop (each client sends its next answer as soon as
   the previous one is saved), paced fast (each client answers every 250 ms) and paced like people
   reading a question (every 1-3 s); target p99 < 25 ms on SQLite, < 50 ms on PostgreSQL;
2. submit of a complete 30-answer draft: over HTTP (confirmation step posted, 8 connections), and the
   submit service alone in-process; targets >= 250/s over HTTP and >= 500/s in-process on SQLite,
   >= 200/s on PostgreSQL.
Page throughput against a bare Litestar app is bench/bench_throughput.py (wrk).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = 30


# --------------------------------------------------------------------------- seeding


def seed(db_path: Path | str, participants: int) -> dict:
    """`db_path`: a SQLite file, or a database URL (PostgreSQL)."""
    from sqlalchemy import insert, select
    from sqlmodel import Session

    from portal import clock, security
    from portal.db import make_engine
    from portal.models import (
        DraftAnswer,
        Employee,
        Enrollment,
        SurveyDraft,
        SurveyInvitation,
        Training,
        UserSession,
        utcnow,
    )
    from portal.services import questionnaires as qsvc
    from portal.services import trainings
    from tests import rig

    url = db_path if isinstance(db_path, str) else f"sqlite:///{db_path}"
    rig.build_database(url, demo=True)
    settings = rig.test_settings(url)
    engine = make_engine(settings)
    today = clock.today()
    with Session(engine, expire_on_commit=False) as db:
        qid = qsvc.create_questionnaire(db, None, qsvc.QuestionnaireForm(title="Bench 30", purpose="reaction", anonymous=True))
        kinds = ["likert5"] * 22 + ["scale0_10"] * 2 + ["single"] * 2 + ["multi"] * 2 + ["text"] * 2
        for i, kind in enumerate(kinds):
            form = qsvc.QuestionForm(
                section=f"Bagian {i // 6 + 1}",
                text=f"Pertanyaan nomor {i + 1} tentang pelatihan ini, cukup panjang seperti aslinya?",
                kind=kind,
                required=kind != "text",
                dimension="materi",
                options_text="Pilihan A\nPilihan B\nPilihan C\nPilihan D" if kind in ("single", "multi") else "",
            )
            qsvc.add_question(db, None, qid, form)
        t = Training(code="BENCH-1", title="Pelatihan Bench", kind="pelatihan", mode="klasikal", starts_on=today - timedelta(days=2), ends_on=today - timedelta(days=1))
        db.add(t)
        db.flush()
        base = 199001012020010000
        db.execute(insert(Employee), [{"nip": str(base + i), "name": f"Peserta Bench {i}", "is_active": True, "created_at": utcnow()} for i in range(participants)])
        ids = db.execute(select(Employee.id).where(Employee.name.like("Peserta Bench %")).order_by(Employee.id)).scalars().all()
        db.execute(insert(Enrollment), [{"training_id": t.id, "employee_id": e, "status": "attended", "jp_credited": 0} for e in ids])
        db.commit()
        assert trainings.attach(db, None, t.id, qid, today - timedelta(days=1), today + timedelta(days=10), today=today).ok
        structure = qsvc.load_structure(db, qid)
        invs = dict(db.execute(select(SurveyInvitation.employee_id, SurveyInvitation.id).where(SurveyInvitation.training_id == t.id)).all())
        tokens = {}
        now = utcnow()
        sessions = []
        for e in ids:
            tok = security.new_session_token()
            tokens[e] = tok
            sessions.append({"id": security.session_key(tok), "employee_id": e, "created_at": now, "last_seen_at": now})
        db.execute(insert(UserSession), sessions)
        # complete drafts for everyone (submit bench); the page bench shows them too
        db.execute(insert(SurveyDraft), [{"invitation_id": invs[e], "updated_at": now} for e in ids])
        drafts = dict(db.execute(select(SurveyDraft.invitation_id, SurveyDraft.id)).all())
        rows = []
        rng = random.Random(1)
        for e in ids:
            for q in structure.questions:
                num = text = None
                if q.kind == "likert5":
                    num = rng.randint(1, 5)
                elif q.kind == "scale0_10":
                    num = rng.randint(0, 10)
                elif q.kind == "single":
                    num = rng.randint(0, 3)
                elif q.kind == "multi":
                    text = "0,2"
                else:
                    text = "Saran singkat untuk panitia."
                rows.append({"draft_id": drafts[invs[e]], "question_id": q.id, "value_num": num, "value_before": None, "value_text": text})
        db.execute(insert(DraftAnswer), rows)
        db.execute(SurveyInvitation.__table__.update().where(SurveyInvitation.training_id == t.id).values(status="draft"))
        db.commit()
        people = [{"token": tokens[e], "invitation": invs[e]} for e in ids]
        result = {"people": people, "questions": [(q.id, q.kind) for q in structure.questions]}
    engine.dispose()
    if not isinstance(db_path, str):
        rig.sqlite_checkpoint(db_path)
    return result


# --------------------------------------------------------------------------- a tiny keep-alive HTTP client


class Conn:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        assert self.reader and self.writer
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        body = await self.reader.readexactly(length) if length else b""
        return status, body

    def close(self) -> None:
        if self.writer:
            self.writer.close()


def build(method: str, path: str, cookies: str = "", body: str = "", extra: dict | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: keep-alive"]
    if cookies:
        lines.append(f"Cookie: {cookies}")
    for k, v in (extra or {}).items():
        lines.append(f"{k}: {v}")
    data = body.encode()
    if method == "POST":
        lines.append("Content-Type: application/x-www-form-urlencoded")
        lines.append(f"Content-Length: {len(data)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


async def closed_loop(host: str, port: int, make, concurrency: int, seconds: float, expect: int = 200) -> dict:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def worker(i: int) -> None:
        nonlocal errors
        c = Conn(host, port)
        await c.open()
        n = 0
        while time.perf_counter() < stop:
            raw = make(i, n)
            if raw is None:
                break
            t0 = time.perf_counter()
            status, _ = await c.request(raw)
            latencies.append(time.perf_counter() - t0)
            if status != expect:
                errors += 1
            n += 1
        c.close()

    t0 = time.perf_counter()
    c0 = cpu_seconds(SERVER_PID)
    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    elapsed = time.perf_counter() - t0
    out = summarize(latencies, elapsed, errors)
    out["cpu_ms"] = (cpu_seconds(SERVER_PID) - c0) * 1000 / max(1, out["n"])
    return out


def direct_submits(db_path: Path | str, people: list[dict]) -> tuple[float, float]:
    """svc.submit for each invitation, back to back in this process: what the database write path
    (claim, answers with Core inserts, summaries, draft deletion, commit) sustains."""
    from sqlmodel import Session

    from portal import clock
    from portal.db import make_engine
    from portal.models import SurveyInvitation
    from portal.services import surveys as svc
    from tests import rig

    from portal.db.wal import LogScrubber

    url = db_path if isinstance(db_path, str) else f"sqlite:///{db_path}"
    engine = make_engine(replace(rig.test_settings(url), environment="development"))  # pooled, as served
    scrubber = LogScrubber(engine)  # as in the running portal: the -wal file truncated once per moment
    scrubber.start()
    today = clock.today()
    with Session(engine) as s:
        owners = dict(s.execute(SurveyInvitation.__table__.select().with_only_columns(SurveyInvitation.id, SurveyInvitation.employee_id)).all())
    times = []
    t0 = time.perf_counter()
    for p in people:
        t1 = time.perf_counter()
        with Session(engine, expire_on_commit=False) as s:
            result = svc.submit(s, p["invitation"], owners[p["invitation"]], today, anonymous=True)
        times.append(time.perf_counter() - t1)
        assert result.status == "submitted", result.status
    elapsed = time.perf_counter() - t0
    scrubber.stop()
    engine.dispose()
    times.sort()
    return len(people) / elapsed, times[int(0.99 * (len(times) - 1))] * 1000


async def paced(host: str, port: int, make, concurrency: int, seconds: float, interval: float, jitter: float = 0.0) -> dict:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def worker(i: int) -> None:
        nonlocal errors
        c = Conn(host, port)
        await c.open()
        await asyncio.sleep(random.random() * interval)
        n = 0
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            status, _ = await c.request(make(i, n))
            dt = time.perf_counter() - t0
            latencies.append(dt)
            errors += status != 200
            n += 1
            await asyncio.sleep(max(0.0, interval + random.uniform(-jitter, jitter) - dt))
        c.close()

    t0 = time.perf_counter()
    c0 = cpu_seconds(SERVER_PID)
    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    out = summarize(latencies, time.perf_counter() - t0, errors)
    out["cpu_ms"] = (cpu_seconds(SERVER_PID) - c0) * 1000 / max(1, out["n"])
    return out


SERVER_PID: int | None = None


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU time of the server process (and its reaped children), from /proc."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / ticks


def summarize(latencies: list[float], elapsed: float, errors: int) -> dict:
    lat = sorted(latencies)
    pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")
    return {
        "n": len(lat),
        "rps": len(lat) / elapsed if elapsed else 0,
        "p50": pct(0.50),
        "p99": pct(0.99),
        "mean": statistics.fmean(lat) * 1000 if lat else float("nan"),
        "errors": errors,
    }


# --------------------------------------------------------------------------- main


def serve(db_path: Path | str, workers: int) -> tuple[subprocess.Popen, int, Path]:
    from tests import rig

    port = rig.free_port()
    url = db_path if isinstance(db_path, str) else f"sqlite:///{db_path}"
    # development: a pooled engine as in production (the test environment uses no pool on PostgreSQL)
    env = dict(os.environ, PORTAL_ENV="development", PORTAL_DATABASE_URL=url, PORTAL_SECRET_KEY=rig.TEST_SECRET)
    log = Path(tempfile.mkstemp(prefix="bench-surveys-", suffix=".log")[1])
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "portal.app:create_app", "--factory", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return proc, port, log
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit(f"server did not start: {log.read_text()[-2000:]}")


def csrf_token(session_token: str) -> str:
    """The CSRF token of a login session (bound to the session, masked as the portal's pages give it)."""
    from portal import security
    from tests import rig

    return security.mask_token(security.session_csrf_token(rig.TEST_SECRET, security.session_key(session_token)))


def line(name: str, r: dict) -> str:
    return (
        f"{name:<44} {r['rps']:>7.0f} req/s  p50 {r['p50']:6.2f} ms  p99 {r['p99']:7.2f} ms  "
        f"server CPU {r.get('cpu_ms', 0):5.2f} ms/req  n={r['n']} err={r['errors']}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--participants", type=int, default=1600)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-surveys-"))
    db_path: Path | str = tmp / "bench.db"
    pg = None
    if args.backend == "postgresql":
        from tests import rig

        pg = rig.start_postgres()
        rig.pg_admin(pg, "CREATE DATABASE bench")
        db_path = pg.url("bench")
    t0 = time.perf_counter()
    data = seed(db_path, args.participants)
    print(f"seeded {args.participants} participants, {QUESTIONS} questions in {time.perf_counter() - t0:.1f} s ({db_path})")
    proc, port, log = serve(db_path, args.workers)
    global SERVER_PID
    SERVER_PID = proc.pid if args.workers == 1 else None
    try:
        print(f"load average before the runs: {os.getloadavg()[0]:.2f} (other work on this machine skews latency)")
        people = data["people"]
        qs = data["questions"]
        cookie = lambda p: f"portal_session={p['token']}"
        loop = asyncio.new_event_loop()
        run = loop.run_until_complete
        c = args.concurrency
        print(f"uvicorn workers={args.workers}, {c} connections, {args.seconds:.0f} s per run, {os.cpu_count()} CPUs shared by server and client, {args.backend}")

        # autosave: the last 32 people's drafts (not used by the submit bench below)
        savers = people[-c:]
        likert = [qid for qid, kind in qs if kind == "likert5"]
        rng = random.Random(7)

        def save(i: int, n: int) -> bytes:
            p = savers[i % len(savers)]
            qid = likert[(n + i) % len(likert)]
            return build("POST", f"/survei/{p['invitation']}/jawaban/{qid}", cookie(p), f"q{qid}={rng.randint(1, 5)}",
                         {"x-csrftoken": csrf_token(p["token"]), "HX-Request": "true"})

        r_save = run(closed_loop("127.0.0.1", port, save, c, args.seconds))
        print(line(f"autosave, closed loop, {c} clients", r_save))
        r_paced = run(paced("127.0.0.1", port, save, c, args.seconds, 0.25))
        print(line(f"autosave, {c} clients answering every 250 ms", r_paced))
        r_human = run(paced("127.0.0.1", port, save, c, max(args.seconds, 15), 2.0, jitter=1.0))
        print(line(f"autosave, {c} clients answering every 1-3 s", r_human))
        print("  -> target p99 < 25 ms at 32 concurrent clients")

        # submit over HTTP: half of the remaining people once each; the other half in-process below
        rest = people[200 : len(people) - c]
        pool, direct = rest[: len(rest) // 2], rest[len(rest) // 2 :]
        it = iter(pool)

        def sub(i: int, n: int) -> bytes | None:
            p = next(it, None)
            if p is None:
                return None
            return build("POST", f"/survei/{p['invitation']}/kirim", cookie(p), "konfirmasi=ya&anonim=1", {"x-csrftoken": csrf_token(p["token"])})

        r_sub = run(closed_loop("127.0.0.1", port, sub, min(c, 8), 60, expect=303))  # redirect to the receipt
        print(line(f"submit 30 answers over HTTP ({len(pool)} submits, 8 conns)", r_sub))
        rate, p99 = direct_submits(db_path, direct)
        print(f"{'submit 30 answers, service in-process':<44} {rate:>7.0f} submits/s  p99 {p99:7.2f} ms  "
              f"(one thread, one connection: the transaction itself, without HTTP)")
        print("  -> target >= 500/s with one worker")
        from sqlalchemy import create_engine, text

        eng = create_engine(db_path if isinstance(db_path, str) else f"sqlite:///{db_path}")
        with eng.connect() as conn:
            n_resp = conn.execute(text("SELECT count(*) FROM surveyresponse WHERE training_id = (SELECT id FROM training WHERE code='BENCH-1')")).scalar_one()
            n_ans = conn.execute(text("SELECT count(*) FROM answer a JOIN surveyresponse r ON r.id = a.response_id WHERE r.training_id = (SELECT id FROM training WHERE code='BENCH-1')")).scalar_one()
        print(f"  check: {n_resp} responses, {n_ans} answers stored for the bench training")
        loop.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        print(f"server log: {log}")
        if pg is not None:
            pg.stop()


if __name__ == "__main__":
    main()
