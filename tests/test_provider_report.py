"""Trainings by provider and by method (/laporan/penyelenggara), on SQLite and PostgreSQL: the grouped
figures equal a recount from the raw rows (participants, JP, cost, cost per JP, cost per impact point),
a unit filter keeps its staff only, the page runs a fixed number of queries, and a period without
trainings shows the empty state."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from sqlalchemy import select, update

from portal.models import Employee, Enrollment, ImpactScore, Training
from portal.rules import PARTICIPANT_STATUSES
from portal.services import reports
from tests.conftest import DEMO, login, text_of
from tests.rig import QueryCounter

TODAY = date(2026, 12, 31)


def recount(db, year: int, unit_ids=None, key=Training.provider) -> dict[str, dict[str, float]]:
    """Per provider (or `key`), from every participant row: the figures the report must show."""
    out: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    stmt = (
        select(key, Training.cost, Enrollment.jp_credited, ImpactScore.impact_index, Employee.unit_id)
        .join(Enrollment, Enrollment.training_id == Training.id)
        .join(Employee, Employee.id == Enrollment.employee_id)
        .outerjoin(ImpactScore, ImpactScore.enrollment_id == Enrollment.id)
        .where(Training.ends_on >= date(year, 1, 1), Training.ends_on <= min(date(year, 12, 31), TODAY),
               Enrollment.status.in_(PARTICIPANT_STATUSES))
    )
    for provider, cost, jp, index, unit in db.execute(stmt):
        if unit_ids is not None and unit not in unit_ids:
            continue
        f = out[provider or ""]
        f["participants"] += 1
        f["jp"] += jp
        if cost is not None:
            f["cost"] += cost
            f["costed_jp"] += jp
            if index is not None:
                f["impact_cost"] += cost
                f["impact_points"] += index
        if index is not None:
            f["impact_n"] += 1
    return out


def filters_for(db, year: int, unit: int | None = None) -> reports.Filters:
    raw = {"periode": str(year), "unit": str(unit) if unit else None}
    return reports.parse_filters(raw, TODAY, reports.unit_options(db))


@pytest.fixture
def costed(db):
    """Half the demo trainings get a cost (per participant); the others keep none."""
    ids = db.execute(select(Training.id).order_by(Training.id)).scalars().all()
    for i, tid in enumerate(ids):
        db.execute(update(Training).where(Training.id == tid).values(cost=(i % 4 + 1) * 750_000 if i % 2 == 0 else None))
    db.commit()
    return ids


def test_grouped_figures_equal_a_recount_of_the_participants(db, costed):
    year = max(db.execute(select(Training.ends_on)).scalars().all()).year
    year = min(year, TODAY.year)
    rep = reports.provider_report(db, filters_for(db, year), TODAY)
    expected = recount(db, year)
    assert rep.by_provider, "the demo has trainings in that year"
    assert {r.key for r in rep.by_provider} == set(expected)
    for r in rep.by_provider:
        e = expected[r.key]
        assert r.participants == e["participants"] and r.jp == e["jp"]
        assert (r.cost or 0) == e["cost"]
        assert r.cost_per_jp == (pytest.approx(e["cost"] / e["costed_jp"]) if e["cost"] and e["costed_jp"] else None)
        if e["impact_points"]:
            assert r.cost_per_impact_point == pytest.approx(e["impact_cost"] / e["impact_points"])
        assert r.impact_n == e["impact_n"]
    assert sum(r.participants for r in rep.by_kind) == sum(r.participants for r in rep.by_provider) == rep.total.participants
    by_kind = recount(db, year, key=Training.kind)
    assert {r.key for r in rep.by_kind if r.participants} == set(by_kind)
    for r in rep.by_kind:
        e = by_kind.get(r.key, defaultdict(float))
        assert (r.participants, r.jp, r.cost or 0, r.costed_jp, r.impact_n) == (e["participants"], e["jp"], e["cost"], e["costed_jp"], e["impact_n"])
    held = [t for t in db.execute(select(Training.kind, Training.cost, Training.ends_on)).all() if t.ends_on.year == year and t.ends_on <= TODAY]
    assert sum(r.trainings for r in rep.by_kind) == rep.total.trainings == len(held)
    assert rep.total.uncosted_trainings == sum(1 for t in held if t.cost is None)
    assert {r.label for r in rep.by_kind} <= {reports.kind_label(k) for k in db.execute(select(Training.kind)).scalars()}


def test_a_unit_filter_counts_its_staff_only(db, costed):
    year = min(max(db.execute(select(Training.ends_on)).scalars().all()).year, TODAY.year)
    unit = db.execute(select(Employee.unit_id).where(Employee.nip == DEMO["employee"])).scalar_one()
    f = filters_for(db, year, unit)
    rep = reports.provider_report(db, f, TODAY)
    expected = recount(db, year, set(f.unit_ids))
    assert {r.key: r.participants for r in rep.by_provider} == {k: v["participants"] for k, v in expected.items()}


def test_the_page_runs_a_fixed_number_of_queries_and_shows_the_empty_state(client, db, engine, costed):
    login(client, DEMO["hr"])
    client.get("/laporan/penyelenggara?periode=2026")
    with QueryCounter(engine) as qc:
        html = client.get("/laporan/penyelenggara?periode=2026").text
    assert qc.count <= 12, qc.statements
    assert "Per penyelenggara" in html and "Biaya per JP" in html
    empty = client.get("/laporan/penyelenggara?periode=2001").text
    assert "Belum ada pelatihan yang selesai pada periode ini." in text_of(empty)
    assert "/laporan/penyelenggara/ekspor/xlsx" not in empty
    fragment = client.get("/laporan/penyelenggara?periode=2026", headers={"HX-Request": "true"}).text
    assert "<html" not in fragment and 'id="report-nav"' in fragment
