"""AKPK performance: autosave latency under concurrency, heat-map render time at scale, and the
number of SQL queries per page. Prints numbers; not a test.

    .venv/bin/python bench/bench_assessments.py              # everything
    .venv/bin/python bench/bench_assessments.py autosave     # or: heatmap, queries

1. Autosave: the demo database on SQLite, served by uvicorn with ONE worker (tests/rig.LiveServer);
   32 different employees log in, then each client saves one competency level at a time
   (a) back to back (closed loop, the server is saturated) and (b) paced like a fast human
   (one save every ~250 ms per client). Targets: p99 < 25 ms.
2. Heat map: 5,000 employees x 12 competencies (positions, standards, one cycle with self and
   supervisor assessments, ~80k items) bulk-inserted with Core into a temp SQLite file; the page
   is timed in-process (service + template) and over HTTP. Target: < 150 ms.
3. Queries per request, counted with a SQLAlchemy `before_cursor_execute` listener.
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx
from sqlalchemy import delete, insert, select
from sqlmodel import Session

from portal import clock
from portal.models import (
    Assessment,
    AssessmentCycle,
    AssessmentItem,
    Competency,
    CompetencyLevel,
    Employee,
    Position,
    PositionStandard,
    Unit,
)
from tests import rig
from tests.conftest import token_in_page
from tests.rig import QueryCounter

PASSWORD = "Demo-Portal-2026"
CLIENTS = 32


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def summary(label: str, ms: list[float], wall: float | None = None) -> None:
    line = (
        f"  {label:<44} n={len(ms):>5}  p50={pct(ms, 50):6.1f} ms  p95={pct(ms, 95):6.1f} ms  "
        f"p99={pct(ms, 99):6.1f} ms  max={max(ms):6.1f} ms"
    )
    if wall:
        line += f"  ({len(ms) / wall:,.0f} req/s)"
    print(line)


# --------------------------------------------------------------------------- 1. autosave


def login(client, nip: str) -> str:  # noqa: ANN001
    """Log in through the form (an httpx.Client or Litestar's TestClient), as a browser does: the login
    page's CSRF token, then the token of the session (what htmx sends in `x-csrftoken`), returned."""
    token = token_in_page(client.get("/login").text)
    resp = client.post("/login", data={"nip": nip, "password": PASSWORD, "_csrf_token": token}, follow_redirects=False)
    assert resp.status_code == 303, (nip, resp.status_code)
    return token_in_page(client.get("/").text)


def bench_autosave(workdir: Path) -> None:
    print("\n== Autosave: 32 concurrent clients (asyncio + httpx), SQLite, 1 uvicorn worker ==")
    url = f"sqlite:///{workdir / 'autosave.db'}"
    rig.build_database(url, demo=True)
    engine = rig_engine(url)
    with Session(engine) as s:
        # every employee starts the open cycle fresh, so no one is locked by a submitted assessment
        cycle_id = s.execute(select(AssessmentCycle.id).where(AssessmentCycle.status == "open")).scalars().first()
        ids = [a for (a,) in s.execute(select(Assessment.id).where(Assessment.cycle_id == cycle_id))]
        s.execute(delete(AssessmentItem).where(AssessmentItem.assessment_id.in_(ids)))
        s.execute(delete(Assessment).where(Assessment.cycle_id == cycle_id))
        s.commit()
        people = s.execute(select(Employee.id, Employee.nip, Employee.position_id).order_by(Employee.id).limit(CLIENTS)).all()
        standard: dict[int, list[int]] = {}
        for pid, cid in s.execute(select(PositionStandard.position_id, PositionStandard.competency_id)):
            standard.setdefault(pid, []).append(cid)
    engine.dispose()
    server = rig.LiveServer(url, workers=1)
    try:
        asyncio.run(_autosave_runs(server.url, cycle_id, people, standard))
    finally:
        server.stop()


async def _autosave_runs(base_url: str, cycle_id: int, people, standard) -> None:
    clients = []
    for _, nip, position_id in people:
        # idle connections dropped before uvicorn closes them (its keep-alive timeout is 5 s), as browsers do
        c = httpx.AsyncClient(base_url=base_url, timeout=30, limits=httpx.Limits(keepalive_expiry=4))
        token = token_in_page((await c.get("/login")).text)
        r = await c.post("/login", data={"nip": nip, "password": PASSWORD, "_csrf_token": token})
        assert r.status_code == 303, (nip, r.status_code)
        token = token_in_page((await c.get("/")).text)
        clients.append((c, token, standard[position_id]))

    async def one_save(i: int, rng: random.Random) -> float:
        c, token, cids = clients[i]
        cid = rng.choice(cids)
        t0 = time.perf_counter()
        r = await c.post(
            f"/penilaian/{cycle_id}/kompetensi/{cid}",
            data={f"level-{cid}": str(rng.randint(1, 5)), f"note-{cid}": "Bukti kerja."},
            headers={"x-csrftoken": token, "HX-Request": "true"},
        )
        dt = (time.perf_counter() - t0) * 1000
        assert r.status_code == 200, (r.status_code, r.text[:200])
        return dt

    async def paced(label: str, seed: int, saves: int, think: tuple[float, float]) -> None:
        async def client(i: int) -> list[float]:
            rng = random.Random(seed + i)
            await asyncio.sleep(rng.uniform(0, think[1]))
            mine = []
            for _ in range(saves):
                start = time.perf_counter()
                mine.append(await one_save(i, rng))
                await asyncio.sleep(max(0.0, rng.uniform(*think) - (time.perf_counter() - start)))
            return mine

        t0 = time.perf_counter()
        results = await asyncio.gather(*(client(i) for i in range(CLIENTS)))
        summary(label, [x for r in results for x in r], time.perf_counter() - t0)

    await asyncio.gather(*(one_save(i, random.Random(i)) for i in range(CLIENTS) for _ in range(3)))  # warm-up
    # (a) people reading the level descriptions: one choice every 1-3 s per person
    await paced("(a) 32 clients, 1 save every 1-3 s each", 100, 15, (1.0, 3.0))
    # (b) people clicking fast through a form they know: one choice every 0.25-0.75 s
    await paced("(b) 32 clients, 1 save every 0.25-0.75 s", 200, 30, (0.25, 0.75))

    # (c) bursts: all 32 clients save at the same instant, 20 times
    lat: list[float] = []
    rngs = [random.Random(300 + i) for i in range(CLIENTS)]
    for _ in range(20):
        lat.extend(await asyncio.gather(*(one_save(i, rngs[i]) for i in range(CLIENTS))))
        await asyncio.sleep(0.3)
    summary("(c) bursts: all 32 save at the same instant", lat)

    # (d) saturation: back-to-back saves, no think time (capacity, not a latency target)
    async def closed(i: int) -> list[float]:
        rng = random.Random(400 + i)
        return [await one_save(i, rng) for _ in range(30)]

    t0 = time.perf_counter()
    results = await asyncio.gather(*(closed(i) for i in range(CLIENTS)))
    summary("(d) saturation: back-to-back, no think time", [x for r in results for x in r], time.perf_counter() - t0)

    # (e) one client alone: the floor (session lookup + framework + the save)
    rng = random.Random(500)
    summary("(e) a single client, sequential", [await one_save(0, rng) for _ in range(200)])
    for c, _, _ in clients:
        await c.aclose()


def rig_engine(url: str):
    from portal.db import make_engine

    return make_engine(rig.test_settings(url))


# --------------------------------------------------------------------------- 2. heat map at scale

N_EMPLOYEES = 5000
N_COMPETENCIES = 12
N_UNITS = 48
N_POSITIONS = 60


def seed_scale(url: str) -> dict:
    """Bulk-insert an organisation of 5,000 employees with Core inserts. Returns handy ids."""
    from portal.security import hash_password

    rig.build_database(url, demo=False)
    engine = rig_engine(url)
    rng = random.Random(5000)
    today = clock.today()
    t0 = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(insert(Unit), [{"id": 1, "code": "PEMKOT", "name": "Pemerintah Kota", "parent_id": None}])
        units = [{"id": i, "code": f"U{i:03d}", "name": f"Unit Kerja {i:03d}", "parent_id": 1 if i <= 12 else 2 + (i % 11)} for i in range(2, N_UNITS + 1)]
        conn.execute(insert(Unit), units)
        groups = ["manajerial"] * 8 + ["sosial_kultural"] + ["teknis"] * (N_COMPETENCIES - 9)
        conn.execute(
            insert(Competency),
            [{"id": i + 1, "code": f"K{i + 1:02d}", "name": f"Kompetensi {i + 1}", "group_name": groups[i], "description": "Uraian."} for i in range(N_COMPETENCIES)],
        )
        conn.execute(
            insert(CompetencyLevel),
            [{"competency_id": c, "level": lv, "description": f"Perilaku level {lv}."} for c in range(1, N_COMPETENCIES + 1) for lv in range(1, 6)],
        )
        classes = ["administrator", "pengawas", "pelaksana", "fungsional_ahli_pertama", "fungsional_ahli_muda", "fungsional_terampil"]
        conn.execute(
            insert(Position),
            [{"id": p, "name": f"Jabatan {p}", "position_class": classes[p % len(classes)], "unit_id": 1 + p % N_UNITS} for p in range(1, N_POSITIONS + 1)],
        )
        conn.execute(
            insert(PositionStandard),
            [{"position_id": p, "competency_id": c, "required_level": rng.randint(1, 4)} for p in range(1, N_POSITIONS + 1) for c in range(1, N_COMPETENCIES + 1)],
        )
        pw = hash_password(PASSWORD)
        emps = []
        for e in range(1, N_EMPLOYEES + 1):
            unit = 2 + (e % (N_UNITS - 1))
            emps.append(
                {
                    "id": e,
                    "nip": str(199001010000000000 + e),  # 18 digits, unique
                    "name": f"Pegawai {e}",
                    "unit_id": unit,
                    "position_id": 1 + e % N_POSITIONS,
                    "supervisor_id": None if e <= N_UNITS else 1 + (e % N_UNITS),
                    "is_active": True,
                    "is_hr": e == 1,
                    "is_admin": False,
                    "password_hash": pw if e == 1 else None,
                    "created_at": datetime.now(timezone.utc),
                }
            )
        conn.execute(insert(Employee), emps)
        conn.execute(
            insert(AssessmentCycle),
            [{"id": 1, "name": f"AKPK {today.year}", "year": today.year, "opens_on": today - timedelta(days=20), "closes_on": today + timedelta(days=30), "status": "open", "created_at": datetime.now(timezone.utc)}],
        )
        now = datetime.now(timezone.utc)
        assessments, items = [], []
        aid = 0
        for e in emps:
            eid = e["id"]
            roll = rng.random()
            if roll < 0.9:
                aid += 1
                submitted = roll < 0.75
                assessments.append({"id": aid, "cycle_id": 1, "subject_id": eid, "rater_id": eid, "rater_role": "self", "status": "submitted" if submitted else "draft", "submitted_at": now if submitted else None, "updated_at": now, "version": 1})
                items.extend({"assessment_id": aid, "competency_id": c, "level": rng.randint(1, 5), "note": None, "updated_at": now} for c in range(1, N_COMPETENCIES + 1))
            if e["supervisor_id"] and rng.random() < 0.55:
                aid += 1
                assessments.append({"id": aid, "cycle_id": 1, "subject_id": eid, "rater_id": e["supervisor_id"], "rater_role": "supervisor", "status": "submitted", "submitted_at": now, "updated_at": now, "version": 1})
                items.extend({"assessment_id": aid, "competency_id": c, "level": rng.randint(1, 5), "note": None, "updated_at": now} for c in range(1, N_COMPETENCIES + 1))
        conn.execute(insert(Assessment), assessments)
        for i in range(0, len(items), 20000):
            conn.execute(insert(AssessmentItem), items[i : i + 20000])
    seeded = time.perf_counter() - t0
    # the gap summary is kept by the submits; rows inserted behind the portal's back need a rebuild
    t1 = time.perf_counter()
    from portal.services.summaries import gaps as gap_summary

    with Session(engine) as s:
        summary_rows = gap_summary.rebuild(s)
        s.commit()
    rebuilt = time.perf_counter() - t1
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    print(
        f"  seeded {N_EMPLOYEES:,} employees, {N_UNITS} units, {N_COMPETENCIES} competencies, "
        f"{len(assessments):,} assessments, {len(items):,} items in {seeded:.1f} s; "
        f"gap summary rebuilt ({summary_rows:,} rows) in {rebuilt * 1000:.0f} ms"
    )
    return {"hr_nip": emps[0]["nip"], "cycle_id": 1}


def bench_heatmap(workdir: Path) -> None:
    print(f"\n== Heat map: {N_EMPLOYEES:,} employees x {N_COMPETENCIES} competencies (SQLite) ==")
    url = f"sqlite:///{workdir / 'scale.db'}"
    info = seed_scale(url)
    from litestar.testing import TestClient

    from portal.app import create_app
    from portal.services import akpk

    settings = rig.test_settings(url)
    app = create_app(settings)
    engine = app.state.engine
    today = clock.today()

    # service only (SQL), with a query count
    timings = []
    counter = QueryCounter(engine).start()
    for i in range(15):
        with Session(engine) as s:
            counter.reset()
            t0 = time.perf_counter()
            filters, cycles, cycle = akpk.parse_filters(s, {"siklus": "1"}, today)
            hm = akpk.heatmap(s, filters, cycles, cycle)
            timings.append((time.perf_counter() - t0) * 1000)
    service_queries = counter.count
    summary("service: parse filters + heat map (SQL)", timings[3:])
    print(f"  -> {len(hm.rows)} unit rows x {len(hm.columns)} competency columns; {service_queries} queries")

    with TestClient(app, base_url="http://testserver.local") as c:
        login(c, info["hr_nip"])
        for label, path, headers in (
            ("page /akpk/kesenjangan (full, in-process)", "/akpk/kesenjangan?siklus=1", {}),
            ("htmx fragment, class filter", "/akpk/kesenjangan?siklus=1&kelas=pelaksana", {"HX-Request": "true"}),
            ("htmx fragment, unit subtree filter", "/akpk/kesenjangan?siklus=1&unit=2", {"HX-Request": "true"}),
            ("cell drill-down (50 people per page)", "/akpk/kesenjangan/sel?siklus=1&baris=5&kompetensi=3", {"HX-Request": "true"}),
        ):
            ms = []
            for _ in range(15):
                counter.reset()
                t0 = time.perf_counter()
                r = c.get(path, headers=headers)
                ms.append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 200, r.status_code
            summary(label, ms[3:])
            print(f"  -> {counter.count} SQL statements for the whole request (incl. session lookup), {len(r.content) / 1024:.0f} KB HTML")
    counter.stop()
    engine.dispose()

    # over HTTP, one uvicorn worker
    server = rig.LiveServer(url, workers=1)
    try:
        with httpx.Client(base_url=server.url, timeout=60) as c:
            login(c, info["hr_nip"])
            ms = []
            for _ in range(20):
                t0 = time.perf_counter()
                r = c.get("/akpk/kesenjangan?siklus=1")
                ms.append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 200
            summary("page over HTTP (uvicorn, 1 worker)", ms[3:])
    finally:
        server.stop()


# --------------------------------------------------------------------------- 3. queries per page


def bench_queries(workdir: Path) -> None:
    print("\n== SQL statements per request (demo data, SQLite, in-process; includes the session lookup) ==")
    from litestar.testing import TestClient

    from portal.app import create_app

    url = f"sqlite:///{workdir / 'queries.db'}"
    rig.build_database(url, demo=True)
    app = create_app(rig.test_settings(url))
    engine = app.state.engine
    counter = QueryCounter(engine).start()
    with Session(engine) as s:
        cycle = s.execute(select(AssessmentCycle.id).where(AssessmentCycle.status == "open")).scalars().first()
        putri = s.execute(select(Employee.id, Employee.position_id).where(Employee.nip == "199706112020122026")).one()
        aditya = s.execute(select(Employee.id).where(Employee.nip == "199308272020121022")).scalar_one()
        cid = s.execute(select(PositionStandard.competency_id).where(PositionStandard.position_id == putri.position_id)).scalars().all()[-1]

    def measure(c, label: str, method: str, path: str, **kw) -> None:
        counter.reset()
        r = c.request(method, path, **kw)
        print(f"  {label:<48} {counter.count:>3} statements  (HTTP {r.status_code})")

    with TestClient(app, base_url="http://testserver.local") as c:
        token = login(c, "199706112020122026")
        measure(c, "GET /penilaian (form, 11 competencies)", "GET", "/penilaian")
        measure(c, "POST autosave (one competency)", "POST", f"/penilaian/{cycle}/kompetensi/{cid}",
                data={f"level-{cid}": "2"}, headers={"x-csrftoken": token, "HX-Request": "true"})
        c.cookies.clear()
        login(c, "197905052006042006")
        measure(c, "GET /tim (6 reports)", "GET", "/tim")
        measure(c, "GET /tim/{c}/{id} (supervisor form)", "GET", f"/tim/{cycle}/{putri.id}")
        measure(c, "GET /tim/{c}/{id}/hasil (result + suggestions)", "GET", f"/tim/{cycle}/{aditya}/hasil")
        c.cookies.clear()
        login(c, "198807142011012003")
        measure(c, "GET /akpk/siklus", "GET", "/akpk/siklus")
        measure(c, "GET /akpk/kesenjangan", "GET", f"/akpk/kesenjangan?siklus={cycle}")
        measure(c, "GET /akpk/kesenjangan/sel (htmx)", "GET", f"/akpk/kesenjangan/sel?siklus={cycle}&baris=5&kompetensi=1",
                headers={"HX-Request": "true"})
    counter.stop()


def main() -> None:
    which = set(sys.argv[1:]) or {"autosave", "heatmap", "queries"}
    with tempfile.TemporaryDirectory(prefix="bench-akpk-") as tmp:
        workdir = Path(tmp)
        if "queries" in which:
            bench_queries(workdir)
        if "autosave" in which:
            bench_autosave(workdir)
        if "heatmap" in which:
            bench_heatmap(workdir)


if __name__ == "__main__":
    main()
