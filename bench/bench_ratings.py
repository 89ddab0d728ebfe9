"""L3 (on-the-job application) benchmarks (prints numbers; not run by CI).

    .venv/bin/python bench/bench_ratings.py [--participants 2000] [--sizes 10000,100000] [--runs 30] [--pg]

1. The per-training impact page (/dampak/<id>, as HR) for a training with 2,000 participants: 1,800 submitted
   supervisor ratings (8 answers each), 600 self-reports, impact scores, and two AKPK cycles with levels for
   the three trained competencies (gap closure). Measured in process (Litestar TestClient, full middleware
   stack, sessions in the database): median / p95 / max of N requests, SQL statements per request (including
   the session lookup). Target < 100 ms, bounded queries. The gap-closure section (it joins 8,000 AKPK
   assessments / 24,000 levels) is its own htmx fragment, loaded when scrolled into view: measured separately.
2. `portal scores recompute` over 10k and 100k enrollments with submitted ratings (10 % of the stored scores
   made stale first): the command's time in a fresh child process, the child's peak RSS (its own VmHWM) and,
   in a second child, the Python heap peak of the recompute (tracemalloc, started after the imports). "Flat"
   means the peaks hardly move from 10k to 100k.

With --pg the same runs on a throwaway PostgreSQL server as well (tests/rig.py).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHUNK = 20_000


def _chunks(rows, size=CHUNK):
    buf = []
    for r in rows:
        buf.append(r)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def _insert(conn, table, rows) -> int:
    from sqlalchemy import insert

    n = 0
    for chunk in _chunks(rows):
        conn.execute(insert(table), chunk)
        n += len(chunk)
    return n


def _answer_rows(rating_id: int, questions, rng: random.Random, self_report: bool = False):
    level = rng.gauss(2.6, 0.6)
    gain = rng.gauss(1.1, 0.7)
    for q in questions:
        if q.kind == "likert5":
            before = max(1, min(5, round(level + rng.gauss(0, 0.3))))
            after = max(1, min(5, round(level + gain + rng.gauss(0, 0.3))))
            yield {
                "rating_id": rating_id,
                "question_id": q.id,
                "value_num": after,
                "value_before": before if q.retrospective else None,
                "value_text": None,
            }
        elif q.kind == "text" and q.required and not self_report:
            yield {"rating_id": rating_id, "question_id": q.id, "value_num": None, "value_before": None,
                   "value_text": "Menata ulang alur layanan sehingga antrean lebih pendek."}


# --------------------------------------------------------------------------- 1. impact page


def seed_page(url: str, participants: int) -> dict:
    from sqlalchemy import func, select
    from sqlmodel import Session

    from portal import clock
    from portal.db import make_engine
    from portal.models import (
        ApplicationAnswer,
        ApplicationRating,
        Assessment,
        AssessmentCycle,
        AssessmentItem,
        Competency,
        Employee,
        Enrollment,
        Training,
        TrainingCompetency,
        utcnow,
    )
    from portal.demo import ratings as demo_ratings
    from portal.services import impact
    from portal.services import questionnaires as qsvc
    from tests import rig

    rig.build_database(url, demo=True)
    engine = make_engine(rig.test_settings(url))
    rng = random.Random(7)
    today = clock.today()
    with Session(engine) as s:
        qid = demo_ratings.ensure_standard_l3(s)
        sid = demo_ratings.ensure_self_report(s)
        s.commit()
        sup_q = qsvc.load_structure(s, qid).questions
        self_q = qsvc.load_structure(s, sid).questions
        supervisors = s.execute(select(Employee.id).where(Employee.nip.in_(("197905052006042006", "197803022003121008", "198408122009011041")))).scalars().all()
        unit_ids = s.execute(select(Employee.unit_id).distinct().where(Employee.unit_id.is_not(None))).scalars().all()
        t = Training(code="BENCH-L3", title="Pelatihan Bench Dampak", kind="pelatihan", mode="klasikal",
                     starts_on=today - timedelta(days=104), ends_on=today - timedelta(days=100), jp=24,
                     application_questionnaire_id=qid, self_report_questionnaire_id=sid)
        s.add(t)
        s.flush()
        training_id = t.id
        comps = s.execute(select(Competency.id).order_by(Competency.id).limit(3)).scalars().all()
        for c in comps:
            s.add(TrainingCompetency(training_id=t.id, competency_id=c))
        cycles = s.execute(select(AssessmentCycle.id).order_by(AssessmentCycle.opens_on)).scalars().all()
        s.commit()
        conn = s.connection()
        base_nip = 199001012020010000
        first_emp = int(s.execute(select(func.max(Employee.id))).scalar_one()) + 1
        _insert(conn, Employee.__table__, (
            {"id": first_emp + i, "nip": str(base_nip + i), "name": f"Peserta Bench {i:04d}", "email": None,
             "unit_id": unit_ids[i % len(unit_ids)], "position_id": None, "supervisor_id": supervisors[i % len(supervisors)],
             "is_active": True, "is_hr": False, "is_admin": False, "password_hash": None, "created_at": utcnow()}
            for i in range(participants)
        ))
        first_enr = int(s.execute(select(func.max(Enrollment.id))).scalar_one()) + 1
        _insert(conn, Enrollment.__table__, (
            {"id": first_enr + i, "training_id": t.id, "employee_id": first_emp + i, "status": "completed", "jp_credited": 24}
            for i in range(participants)
        ))
        first_rating = int(s.execute(select(func.coalesce(func.max(ApplicationRating.id), 0))).scalar_one()) + 1
        rated = int(participants * 0.9)
        with_self = int(participants * 0.3)
        now = utcnow()
        ratings = []
        for i in range(rated):
            ratings.append({"id": first_rating + i, "enrollment_id": first_enr + i, "questionnaire_id": qid,
                            "rater_id": supervisors[i % len(supervisors)], "rater_role": "supervisor", "status": "submitted",
                            "submitted_at": now, "updated_at": now, "reopen_count": 0})
        for j in range(with_self):
            ratings.append({"id": first_rating + rated + j, "enrollment_id": first_enr + j, "questionnaire_id": sid,
                            "rater_id": first_emp + j, "rater_role": "self", "status": "submitted",
                            "submitted_at": now, "updated_at": now, "reopen_count": 0})
        _insert(conn, ApplicationRating.__table__, ratings)
        answers = (a for i in range(rated) for a in _answer_rows(first_rating + i, sup_q, rng))
        n_answers = _insert(conn, ApplicationAnswer.__table__, answers)
        n_answers += _insert(conn, ApplicationAnswer.__table__,
                             (a for j in range(with_self) for a in _answer_rows(first_rating + rated + j, self_q, rng, True)))
        # AKPK levels in the cycles before and after the training (self and supervisor, both submitted)
        first_a = int(s.execute(select(func.coalesce(func.max(Assessment.id), 0))).scalar_one()) + 1
        assessments, items = [], []
        k = 0
        for ci, cycle in enumerate(cycles[:2]):
            for i in range(participants):
                for role in ("self", "supervisor"):
                    aid = first_a + k
                    k += 1
                    assessments.append({"id": aid, "cycle_id": cycle, "subject_id": first_emp + i,
                                        "rater_id": first_emp + i if role == "self" else supervisors[i % len(supervisors)],
                                        "rater_role": role, "status": "submitted", "submitted_at": now, "updated_at": now, "version": 2})
                    for c in comps:
                        items.append({"assessment_id": aid, "competency_id": c, "level": max(1, min(5, 2 + ci + rng.choice((-1, 0, 0, 1)))),
                                      "note": None, "updated_at": now})
        _insert(conn, Assessment.__table__, assessments)
        _insert(conn, AssessmentItem.__table__, items)
        s.commit()
        if engine.dialect.name == "postgresql":
            from sqlalchemy import text

            for table in ("employee", "enrollment", "applicationrating", "assessment"):
                s.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
            s.commit()
            s.connection().exec_driver_sql("ANALYZE")
        report = impact.recompute_all(s)
        s.commit()
    engine.dispose()
    return {"training_id": training_id, "participants": participants, "rated": rated, "self": with_self, "answers": n_answers,
            "scores": report.created, "assessment_items": len(items)}


def bench_page(url: str, participants: int, runs: int) -> dict:
    from litestar.testing import TestClient
    from sqlalchemy.event import listen

    from portal.app import create_app
    from tests import rig
    from tests.conftest import DEMO, login

    t0 = time.perf_counter()
    info = seed_page(url, participants)
    seed_s = time.perf_counter() - t0
    app = create_app(rig.test_settings(url))
    counter = {"n": 0}
    listen(app.state.engine, "before_cursor_execute", lambda *a: counter.__setitem__("n", counter["n"] + 1))
    times, queries = [], []
    with TestClient(app, base_url="http://testserver.local") as client:
        login(client, DEMO["hr"])
        path = f"/dampak/{info['training_id']}"
        for _ in range(3):
            assert client.get(path).status_code == 200
        for _ in range(runs):
            counter["n"] = 0
            t = time.perf_counter()
            resp = client.get(path)
            times.append((time.perf_counter() - t) * 1000)
            queries.append(counter["n"])
            assert resp.status_code == 200 and "Sebaran kategori dampak" in resp.text
        page2 = client.get(path + "?halaman=40")
        assert page2.status_code == 200
        size = len(resp.content)
        # the gap-closure section, loaded by the page as an htmx fragment when scrolled into view
        gap_times, gap_queries = [], []
        hx = {"HX-Request": "true", "HX-Request-Type": "partial"}
        for _ in range(runs):
            counter["n"] = 0
            t = time.perf_counter()
            frag = client.get(path + "/kompetensi", headers=hx)
            gap_times.append((time.perf_counter() - t) * 1000)
            gap_queries.append(counter["n"])
            assert frag.status_code == 200 and "impact-gap" in frag.text
    times.sort()
    gap_times.sort()
    return {
        "seed_s": round(seed_s, 1),
        **info,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "max_ms": round(times[-1], 1),
        "queries_per_request": sorted(set(queries)),
        "html_kb": round(size / 1024, 1),
        "gap_fragment_median_ms": round(statistics.median(gap_times), 1),
        "gap_fragment_p95_ms": round(gap_times[int(len(gap_times) * 0.95) - 1], 1),
        "gap_fragment_queries": sorted(set(gap_queries)),
    }


# --------------------------------------------------------------------------- 2. recompute


def seed_recompute(url: str, enrollments: int) -> dict:
    from sqlalchemy import select, update
    from sqlmodel import Session

    from portal import clock
    from portal.db import make_engine
    from portal.models import (
        ApplicationAnswer,
        ApplicationRating,
        Employee,
        Enrollment,
        ImpactScore,
        Training,
        utcnow,
    )
    from portal.demo import ratings as demo_ratings
    from portal.services import impact
    from portal.services import questionnaires as qsvc
    from tests import rig

    rig.build_database(url, demo=False)
    engine = make_engine(rig.test_settings(url))
    rng = random.Random(11)
    today = clock.today()
    per_training = 1000
    n_trainings = (enrollments + per_training - 1) // per_training
    with Session(engine) as s:
        qid = demo_ratings.ensure_standard_l3(s)
        sid = demo_ratings.ensure_self_report(s)
        s.commit()
        sup_q = qsvc.load_structure(s, qid).questions
        self_q = qsvc.load_structure(s, sid).questions
        conn = s.connection()
        now = utcnow()
        _insert(conn, Employee.__table__, (
            {"id": i + 1, "nip": str(199001012020010000 + i), "name": f"Pegawai {i}", "email": None, "unit_id": None,
             "position_id": None, "supervisor_id": 1 if i else None, "is_active": True, "is_hr": False, "is_admin": False,
             "password_hash": None, "created_at": now}
            for i in range(per_training)
        ))
        _insert(conn, Training.__table__, (
            {"id": t + 1, "code": f"RC-{t}", "title": f"Pelatihan {t}", "kind": "pelatihan", "mode": "klasikal", "provider": "",
             "description": "", "starts_on": today - timedelta(days=104), "ends_on": today - timedelta(days=100), "jp": 8,
             "application_questionnaire_id": qid, "self_report_questionnaire_id": sid, "application_due_days": 90}
            for t in range(n_trainings)
        ))
        _insert(conn, Enrollment.__table__, (
            {"id": i + 1, "training_id": i // per_training + 1, "employee_id": i % per_training + 1, "status": "completed", "jp_credited": 8}
            for i in range(enrollments)
        ))
        with_self = enrollments * 3 // 10
        _insert(conn, ApplicationRating.__table__, (
            {"id": i + 1, "enrollment_id": i + 1, "questionnaire_id": qid, "rater_id": 1, "rater_role": "supervisor",
             "status": "submitted", "submitted_at": now, "updated_at": now, "reopen_count": 0}
            for i in range(enrollments)
        ))
        _insert(conn, ApplicationRating.__table__, (
            {"id": enrollments + j + 1, "enrollment_id": j * 3 + 1, "questionnaire_id": sid, "rater_id": 2, "rater_role": "self",
             "status": "submitted", "submitted_at": now, "updated_at": now, "reopen_count": 0}
            for j in range(with_self)
        ))
        n_answers = _insert(conn, ApplicationAnswer.__table__, (a for i in range(enrollments) for a in _answer_rows(i + 1, sup_q, rng)))
        n_answers += _insert(conn, ApplicationAnswer.__table__,
                             (a for j in range(with_self) for a in _answer_rows(enrollments + j + 1, self_q, rng, True)))
        s.commit()
        if engine.dialect.name == "postgresql":
            s.connection().exec_driver_sql("ANALYZE")
            s.commit()
        impact.recompute_all(s)  # store every score once
        stale = [i + 1 for i in range(0, enrollments, 10)]
        for chunk in _chunks(stale, 5000):
            s.execute(update(ImpactScore).where(ImpactScore.enrollment_id.in_(chunk)).values(impact_index=0.0, category="tidak_berdampak"))
        s.commit()
        stored = len(s.execute(select(ImpactScore.id)).all())
    engine.dispose()
    return {"enrollments": enrollments, "answers": n_answers, "self_reports": with_self, "stored_scores": stored, "stale": len(stale)}


CHILD = """
import sys, time
sys.path.insert(0, {root!r})
TRACE = {trace!r}
if TRACE:
    # import everything the command needs first, so that the traced peak is the recompute's own working set
    import tracemalloc
    import sqlmodel, portal.db, portal.scoring, portal.services.impact, portal.settings
from portal.cli import main
if TRACE:
    tracemalloc.start()
t = time.perf_counter()
main(["scores", "recompute"], standalone_mode=False)
elapsed = time.perf_counter() - t
peak = tracemalloc.get_traced_memory()[1] if TRACE else 0
# VmHWM of THIS process image (ru_maxrss of a child would include the parent's pages at fork time)
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print("MEASURE", round(elapsed, 2), peak, hwm)
"""


def _run_child(url: str, trace: bool) -> tuple[float, float, int, int, str]:
    """Run `portal scores recompute` (through its click entry point) in a fresh Python process."""
    env = dict(os.environ, PORTAL_DATABASE_URL=url, PORTAL_ENV="test")
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), trace=trace)], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"child failed ({proc.returncode}): {proc.stdout[-1000:]} {proc.stderr[-2000:]}")
    line = next(x for x in proc.stdout.splitlines() if x.startswith("MEASURE"))
    _tag, elapsed, peak, hwm = line.split()
    summary = next((x for x in proc.stdout.splitlines() if x.startswith("Skor dampak")), "")
    return wall, float(elapsed), int(peak), int(hwm), summary


def bench_recompute(url_for, sizes: list[int]) -> list[dict]:
    results = []
    for n in sizes:
        url = url_for(n)
        t0 = time.perf_counter()
        info = seed_recompute(url, n)
        seed_s = time.perf_counter() - t0
        wall, elapsed, _peak, hwm_kb, out = _run_child(url, trace=False)
        _restale(url, n)  # the scores are current now: make the same 10 % stale again, then trace
        _w, traced_s, peak, _hwm, _out = _run_child(url, trace=True)
        results.append({**info, "seed_s": round(seed_s, 1), "process_wall_s": round(wall, 2), "recompute_s": elapsed,
                        "peak_rss_mb": round(hwm_kb / 1024, 1), "traced_s": traced_s,
                        "python_heap_peak_mb": round(peak / 1024 / 1024, 2), "output": out})
    return results


def _restale(url: str, n: int) -> None:
    from sqlalchemy import update
    from sqlmodel import Session

    from portal.db import make_engine
    from portal.models import ImpactScore
    from tests import rig

    engine = make_engine(rig.test_settings(url))
    with Session(engine) as s:
        for chunk in _chunks([i + 1 for i in range(0, n, 10)], 5000):
            s.execute(update(ImpactScore).where(ImpactScore.enrollment_id.in_(chunk)).values(impact_index=0.0, category="tidak_berdampak"))
        s.commit()
    engine.dispose()


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pg", action="store_true", help="also run on a throwaway PostgreSQL server")
    parser.add_argument("--skip-page", action="store_true")
    parser.add_argument("--skip-recompute", action="store_true")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x]
    tmp = Path(tempfile.mkdtemp(prefix="bench-ratings-"))
    backends = ["sqlite"] + (["postgresql"] if args.pg else [])
    pg = None
    try:
        for backend in backends:
            if backend == "postgresql":
                from tests import rig

                pg = rig.start_postgres()

                def url_for(name: str, _pg=pg) -> str:
                    rig.pg_admin(_pg, f"CREATE DATABASE {name}")
                    return _pg.url(name)
            else:
                def url_for(name: str) -> str:
                    return f"sqlite:///{tmp / (name + '.db')}"
            print(f"== {backend}", flush=True)
            if not args.skip_page:
                r = bench_page(url_for("bench_page"), args.participants, args.runs)
                print("impact page:", json.dumps(r), flush=True)
            if not args.skip_recompute:
                for r in bench_recompute(lambda n, f=url_for: f(f"bench_rc_{n}"), sizes):
                    print("recompute:", json.dumps(r), flush=True)
    finally:
        if pg is not None:
            pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
