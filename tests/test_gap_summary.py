"""The AKPK gap summary behind the HR heat map (table `assessmentgap`), on SQLite and PostgreSQL:
kept by every submit, equal to a fresh recount from the assessments, filled by its migration."""

from __future__ import annotations

import re

from sqlalchemy import create_engine, inspect, select

from portal.cli import downgrade_database, upgrade_database
from portal.models import AssessmentGap, Competency, Unit
from portal.services.summaries import gaps as gap_summary
from tests import rig
from tests.conftest import DEMO, login, post
from tests.test_assessments import (
    DIAN,
    RAHMAT,
    emp_id,
    fill_all,
    open_cycle,
    relogin,
    standard,
)

INITIAL_REVISION = "519770feec2d"


def stored(db) -> list[tuple]:
    db.expire_all()
    return sorted(tuple(r) for r in db.execute(select(*[AssessmentGap.__table__.c[c] for c in gap_summary.COLUMNS])))


def recount(db) -> list[tuple]:
    """Straight from the assessments: the supervisor's submitted levels, else the person's own."""
    return sorted(tuple(r) for r in db.execute(gap_summary.final_gap_rows()))


def heat_cell(html: str, unit_id: int, comp_id: int) -> tuple[str, int]:
    m = re.search(
        rf'baris={unit_id}&amp;kompetensi={comp_id}"[^>]*>\s*<span class="heat-value"[^>]*>([^<]*)</span>\s*'
        rf'<span class="heat-n"[^>]*>n=(\d+)</span>',
        html,
    )
    assert m, (unit_id, comp_id)
    return m.group(1), int(m.group(2))


def test_demo_summary_equals_recount(db):
    rows = stored(db)
    assert len(rows) > 100
    assert rows == recount(db)


def test_submits_keep_the_summary_and_the_heat_map_current(client, db):
    cycle = open_cycle(db)
    rahmat = emp_id(db, RAHMAT)
    cids = standard(db, RAHMAT)
    unit_id = db.execute(select(Unit.id).where(Unit.code == "PKM-BATU10")).scalar_one()
    comp = cids[0]
    login(client, DEMO["hr"])
    _, n_before = heat_cell(client.get(f"/akpk/kesenjangan?siklus={cycle}").text, unit_id, comp)
    assert not [r for r in stored(db) if r[1] == rahmat and r[0] == cycle]

    # Rahmat (not started) fills in and submits his self-assessment: his rows appear at once
    relogin(client, RAHMAT)
    fill_all(client, f"/penilaian/{cycle}", cids, 1)
    assert post(client, f"/penilaian/{cycle}/kirim").status_code == 303
    mine = [r for r in stored(db) if r[1] == rahmat and r[0] == cycle]
    assert len(mine) == len(cids) and stored(db) == recount(db)
    gaps_self = {r[2]: r[5] for r in mine}

    # his supervisor submits: the final level is now hers, the rows are replaced (not added)
    relogin(client, DEMO["supervisor"])
    fill_all(client, f"/tim/{cycle}/{rahmat}", cids, 5)
    assert post(client, f"/tim/{cycle}/{rahmat}/kirim").status_code == 303
    mine = [r for r in stored(db) if r[1] == rahmat and r[0] == cycle]
    assert len(mine) == len(cids) and stored(db) == recount(db)
    assert all({r[2]: r[5] for r in mine}[c] == gaps_self[c] - 4 for c in cids)  # level 5 instead of 1

    relogin(client, DEMO["hr"])
    _, n_after = heat_cell(client.get(f"/akpk/kesenjangan?siklus={cycle}").text, unit_id, comp)
    assert n_after == n_before + 1


def test_supervisor_submit_replaces_a_submitted_self_assessment(client, db):
    """Dian submitted her self-assessment; her supervisor's submit moves her rows to the supervisor's levels."""
    cycle = open_cycle(db)
    dian = emp_id(db, DIAN)
    before = [r for r in stored(db) if r[1] == dian and r[0] == cycle]
    assert before
    login(client, DEMO["supervisor"])
    fill_all(client, f"/tim/{cycle}/{dian}", standard(db, DIAN), 4)
    assert post(client, f"/tim/{cycle}/{dian}/kirim").status_code == 303
    after = [r for r in stored(db) if r[1] == dian and r[0] == cycle]
    assert len(after) == len(before) and after != before
    assert stored(db) == recount(db)


def test_rebuild_recomputes_a_damaged_summary(db):
    db.execute(AssessmentGap.__table__.delete().where(AssessmentGap.competency_id == select(Competency.id).where(Competency.code == "M1").scalar_subquery()))
    db.execute(AssessmentGap.__table__.update().values(gap=AssessmentGap.gap + 7).where(AssessmentGap.competency_id % 2 == 0))
    db.commit()
    assert stored(db) != recount(db)
    count = gap_summary.rebuild(db)
    db.commit()
    assert count == len(recount(db)) and stored(db) == recount(db)


def test_migration_fills_the_summary_from_existing_assessments(db_url, db):
    """Down to the initial schema (the summary table goes, the assessments stay), then up again: the
    migration's backfill equals the service's recount."""
    expected = recount(db)
    db.close()
    settings = rig.test_settings(db_url)
    downgrade_database(settings, INITIAL_REVISION)
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            assert "assessmentgap" not in inspect(conn).get_table_names()
    finally:
        engine.dispose()
    upgrade_database(settings)
    assert stored(db) == expected and len(expected) > 100
