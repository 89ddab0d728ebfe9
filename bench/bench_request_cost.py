"""CPU cost of one request inside the app (no server, no network), for the breakdown in
docs/dev/performance.md (prints numbers; not run by CI).

    .venv/bin/python bench/bench_request_cost.py [--requests 2000] [--rounds 5]

Calls the ASGI app directly — the portal built by create_app on a seeded SQLite copy (bench_surveys'
30-question survey, demo data), and the bare Litestar hello app of bench/hello_app.py — with the
request messages a server would send, on one event loop, and reads the CPU time of the event loop's
thread and of the whole process: a `sync_to_thread` handler (the report pages' queries) runs in a
worker thread, which only the second sees. The rounds alternate hello and portal so that other work on
the machine skews both alike; the median round is printed. Server costs (HTTP parsing, sockets) are left out on purpose: bench_throughput.py measures
those with wrk.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def scope(path: str, cookie: str | None) -> dict:
    headers = [(b"host", b"127.0.0.1"), (b"user-agent", b"bench"), (b"accept", b"*/*")]
    if cookie:
        headers.append((b"cookie", f"portal_session={cookie}".encode()))
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": headers,
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000), "state": {},
    }


async def call(app, sc: dict) -> int:
    status = 0

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(dict(sc), receive, send)
    return status


async def lifespan(app, kind: str) -> None:
    msgs = asyncio.Queue()
    await msgs.put({"type": f"lifespan.{kind}"})

    async def receive() -> dict:
        return await msgs.get()

    done = asyncio.Event()

    async def send(message: dict) -> None:
        if message["type"].endswith(".complete") or message["type"].endswith(".failed"):
            done.set()

    task = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send))
    await done.wait()
    return task


async def cost(app, sc: dict, n: int) -> tuple[float, float]:
    """ms of CPU per request: (the event loop's thread, the whole process)."""
    for _ in range(20):
        status = await call(app, sc)
    if status != 200:
        raise SystemExit(f"{sc['path']}: status {status}")
    t0, p0 = time.thread_time(), time.process_time()
    for _ in range(n):
        await call(app, sc)
    return (time.thread_time() - t0) * 1000 / n, (time.process_time() - p0) * 1000 / n


def training_report_url(db: Path) -> str:
    """The report of the seeded training with the most L1 responses."""
    import sqlite3

    with sqlite3.connect(db) as con:
        (tid,) = con.execute("SELECT training_id FROM invitationcount WHERE status = 'submitted' ORDER BY n DESC LIMIT 1").fetchone()
    return f"/laporan/pelatihan/{tid}"


async def main_async(args) -> None:
    from bench.bench_surveys import seed
    from bench.bench_throughput import akpk_form_url, sessions_for
    from tests import rig

    tmp = Path(tempfile.mkdtemp(prefix="bench-cost-"))
    db = tmp / "bench.db"
    data = seed(db, 50)
    toks = sessions_for(db)
    akpk = akpk_form_url(db)
    os.environ.update(PORTAL_ENV="development", PORTAL_DATABASE_URL=f"sqlite:///{db}", PORTAL_SECRET_KEY=rig.TEST_SECRET)
    import logging

    from bench.hello_app import app as hello
    from portal.app import create_app

    logging.getLogger().handlers.clear()  # the hello app's default logging config took the root logger
    portal = create_app()
    for handler in logging.getLogger().handlers:  # the access log costs its formatting, not a terminal
        handler.setStream(open(os.devnull, "w"))  # noqa: SIM115
    await lifespan(portal, "startup")
    person = data["people"][0]
    cases = [
        ("bare Litestar hello", hello, scope("/", None)),
        ("/healthz", portal, scope("/healthz", None)),
        ("/login (page, no session)", portal, scope("/login", None)),
        ("survey page, 30 questions, draft", portal, scope(f"/survei/{person['invitation']}", person["token"])),
        ("AKPK self-assessment form", portal, scope(akpk, toks["employee"])),
        ("HR dashboard /laporan", portal, scope("/laporan", toks["hr"])),
        ("training report /laporan/pelatihan/N", portal, scope(training_report_url(db), toks["hr"])),
    ]
    rounds: dict[str, list[float]] = {name: [] for name, _a, _s in cases}
    whole: dict[str, list[float]] = {name: [] for name, _a, _s in cases}
    for _ in range(args.rounds):
        for name, app, sc in cases:
            n = args.requests if app is hello else max(50, args.requests // 10)
            loop_ms, process_ms = await cost(app, sc, n)
            rounds[name].append(loop_ms)
            whole[name].append(process_ms)
    base = statistics.median(rounds[cases[0][0]])
    base_whole = statistics.median(whole[cases[0][0]])
    print(f"CPU per request in the app (median of {args.rounds} rounds), ratio = hello / case")
    print(f"  {'':<36} {'event loop thread':>24}   {'whole process':>24}")
    for name, _a, _s in cases:
        ms, pms = statistics.median(rounds[name]), statistics.median(whole[name])
        print(f"  {name:<36} {ms * 1000:8.0f} us   ratio {base / ms:6.3f}   {pms * 1000:8.0f} us   ratio {base_whole / pms:6.3f}")
    print(json.dumps({name: round(statistics.median(v) * 1000) for name, v in rounds.items()}))
    print(json.dumps({name: round(statistics.median(v) * 1000) for name, v in whole.items()}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=5)
    asyncio.run(main_async(ap.parse_args()))


if __name__ == "__main__":
    main()
