"""Rows and bytes per table (prints numbers; not run by CI). The input of docs/scale.md.

    .venv/bin/python bench/table_sizes.py URL [URL ...]     # any migrated portal database (SQLite or PostgreSQL)
    .venv/bin/python bench/table_sizes.py --seed-pg         # seed small bench databases on a throwaway PostgreSQL

Per table: rows, heap bytes, index bytes, and bytes per row (heap + indexes (+ TOAST) / rows). PostgreSQL:
pg_relation_size / pg_indexes_size / pg_total_relation_size after VACUUM ANALYZE; SQLite: the dbstat
virtual table over the table and its indexes. Tables under 1,000 rows are printed but their bytes per
row are page granularity (8 KB minimum per relation), not row size.

--seed-pg starts a PostgreSQL server (tests/rig.py) and seeds, each in a database of its own, with the
bench seeders at small sizes: `reports` (bench_reports: 5,000 employees, 1,000 trainings, 100,000
enrolments and invitations, 10,000 responses x 30 answers, plus 2,000 drafts of 15 answers), `akpk`
(bench_assessments: 5,000 employees x 12 competencies), `l3` (bench_ratings: 2,000 participants) and
`activity` (the demo data plus 5,000 sessions, audit events, login failures and reminders written as the
portal writes them). About 5 minutes on the shared 2-core machine.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402

MIN_ROWS = 1_000
UA = "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"

PG_SIZES = """
SELECT c.relname AS name, c.reltuples::bigint AS estimate, pg_relation_size(c.oid) AS heap,
       pg_indexes_size(c.oid) AS indexes, pg_total_relation_size(c.oid) AS total
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname = 'public' AND c.relname <> 'alembic_version' ORDER BY total DESC"""


def sizes(url: str) -> list[dict]:
    engine = create_engine(url)
    out = []
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
            for row in conn.execute(text(PG_SIZES)).mappings():
                rows = conn.execute(text(f'SELECT count(*) FROM "{row["name"]}"')).scalar_one()
                out.append({**row, "rows": rows})
        else:
            tables = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                                       "AND name <> 'alembic_version'")).scalars().all()
            for name in tables:
                idx = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :t"), {"t": name}).scalars().all()
                heap = conn.execute(text("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = :t"), {"t": name}).scalar_one()
                ix = sum(conn.execute(text("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = :t"), {"t": i}).scalar_one() for i in idx)
                rows = conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
                out.append({"name": name, "rows": rows, "heap": heap, "indexes": ix, "total": heap + ix})
            out.sort(key=lambda r: -r["total"])
    engine.dispose()
    return out


def report(label: str, url: str) -> None:
    print(f"\n# {label}\n{'table':<22}{'rows':>10}{'heap KB':>10}{'index KB':>10}{'total KB':>10}{'B/row':>8}")
    for r in sizes(url):
        per_row = f"{r['total'] / r['rows']:.0f}" if r["rows"] >= MIN_ROWS else "-"
        print(f"{r['name']:<22}{r['rows']:>10,}{r['heap'] / 1024:>10,.0f}{r['indexes'] / 1024:>10,.0f}{r['total'] / 1024:>10,.0f}{per_row:>8}")


def seed_drafts(url: str, drafts: int = 2_000, answers: int = 15) -> None:
    """Drafts as autosave leaves them: one per pending invitation, `answers` Likert answers each."""
    from portal.db import make_engine
    from portal.models import DraftAnswer, SurveyDraft, SurveyInvitation, utcnow
    from tests import rig

    engine = make_engine(rig.test_settings(url))
    rng = random.Random(3)
    with engine.begin() as conn:
        pending = conn.execute(select(SurveyInvitation.id, SurveyInvitation.questionnaire_id)
                               .where(SurveyInvitation.status == "pending").limit(drafts)).all()
        questions = conn.execute(text("SELECT id FROM question WHERE questionnaire_id = :q AND kind = 'likert5' ORDER BY position"),
                                 {"q": pending[0].questionnaire_id}).scalars().all()[:answers]
        for inv in pending:
            draft = conn.execute(insert(SurveyDraft).values(invitation_id=inv.id, updated_at=utcnow()).returning(SurveyDraft.id)).scalar_one()
            conn.execute(insert(DraftAnswer), [{"draft_id": draft, "question_id": q, "value_num": rng.randint(1, 5),
                                                "value_before": None, "value_text": None} for q in questions])
            conn.execute(text("UPDATE surveyinvitation SET status = 'draft' WHERE id = :i"), {"i": inv.id})
    engine.dispose()


def seed_activity(url: str, n: int = 5_000) -> None:
    """Sessions, audit events, login failures and reminders with the values the portal writes."""
    from sqlmodel import Session

    from portal.db import make_engine
    from portal.models import Employee, LoginFailure, ReminderSend
    from portal.services.accounts import sessions
    from portal.services.accounts._audit import audit
    from tests import rig

    rig.build_database(url, demo=True)
    engine = make_engine(rig.test_settings(url))
    rng = random.Random(5)
    with Session(engine) as s:
        people = s.execute(select(Employee.id, Employee.nip)).all()
        for i in range(n):
            p = people[i % len(people)]
            sessions.start_session(s, p.id, f"10.{i % 200}.{i % 250}.{i % 240}", UA)
            action = ("login", "survey.submit", "akpk_submit", "logout", "training.update")[i % 5]
            target = {"survey.submit": f"invitation:{100000 + i}", "akpk_submit": f"assessment:{50000 + i}"}.get(action, f"employee:{p.id}")
            detail = {"login": f"ip: 10.{i % 200}.{i % 250}.{i % 240}", "akpk_submit": f"cycle=3 subject={p.id} role=self",
                      "training.update": "jp: 24 → 32; provider: BPSDM Provinsi"}.get(action, "")
            audit(s, p.id, action, target, detail)
            s.add(LoginFailure(nip=p.nip, ip=f"10.{i % 200}.{i % 250}.{i % 240}"))
            s.add(ReminderSend(employee_id=p.id, kind=("l1_survey", "l3_rating", "akpk_self")[i % 3],
                               sent_on=date(2026, 1, 1) + timedelta(days=i // len(people)), items=rng.randint(1, 4)))
        s.commit()
    engine.dispose()


def seed_pg() -> None:
    from bench import bench_assessments, bench_ratings
    from bench.bench_reports import Seeder
    from tests import rig

    pg = rig.start_postgres()
    try:
        for name in ("reports", "akpk", "l3", "activity"):
            rig.pg_admin(pg, f"CREATE DATABASE {name}")
        rig.build_database(pg.url("reports"), demo=False)
        seeder = Seeder(pg.url("reports"))
        seeder.org()
        seeder.grow(300_000)
        seeder.engine.dispose()
        seed_drafts(pg.url("reports"))
        bench_assessments.seed_scale(pg.url("akpk"))
        bench_ratings.seed_page(pg.url("l3"), 2_000)
        seed_activity(pg.url("activity"))
        for name in ("reports", "akpk", "l3", "activity"):
            report(f"postgresql: {name}", pg.url(name))
    finally:
        pg.stop()


if __name__ == "__main__":
    if sys.argv[1:] == ["--seed-pg"]:
        seed_pg()
    elif sys.argv[1:]:
        for u in sys.argv[1:]:
            report(u, u)
    else:
        sys.exit(__doc__)
