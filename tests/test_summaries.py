"""The summaries package (portal/services/summaries) on SQLite and PostgreSQL: one mechanism for every
derived table. Each summary equals the recount from its raw rows on the demo data; `rebuild` (and the
`portal summaries rebuild [NAME]` command) puts a damaged summary back with the same code that keeps it;
and no database trigger keeps anything any more (the migration that dropped them, down and up)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select, text, update

from portal.cli import downgrade_database, main, upgrade_database
from portal.models import AssessmentGap, EmployeeJp, InvitationCount, TrainingL1, TrainingSummary
from portal.services import summaries
from tests import rig
from tests.test_l1_summary import rollup_select

BEFORE_SERVICES = "c4e1a7b9d0f2"  # the revision before the triggers were dropped


def snapshot(db) -> dict[str, list[tuple]]:
    """Every summary as stored (rows with a zero count left out: they may stay behind)."""
    db.expire_all()
    cells, counts = summaries.answers.stored(db)
    return {
        "answers": sorted((*k, *v) for k, v in cells.items()) + sorted((*k, v) for k, v in counts.items()),
        "l1": sorted(tuple(r) for r in db.execute(select(TrainingL1.__table__))),
        "invitations": sorted(tuple(r) for r in db.execute(select(InvitationCount.__table__).where(InvitationCount.n != 0))),
        "jp": sorted(tuple(r) for r in db.execute(select(EmployeeJp.__table__).where(EmployeeJp.trainings > 0))),
        "gaps": sorted(tuple(r) for r in db.execute(select(*[AssessmentGap.__table__.c[c] for c in summaries.gaps.COLUMNS]))),
    }


def recounted(db) -> dict[str, list[tuple]]:
    cells, counts = summaries.answers.recount(db)
    return {
        "answers": sorted((*k, *v) for k, v in cells.items()) + sorted((*k, v) for k, v in counts.items()),
        "l1": sorted(tuple(r) for r in db.execute(rollup_select())),
        "invitations": sorted(tuple(r) for r in db.execute(summaries.invitations.recount_select())),
        "jp": sorted(tuple(r) for r in db.execute(summaries.jp.recount_select())),
        "gaps": sorted(tuple(r) for r in db.execute(summaries.gaps.final_gap_rows())),
    }


def damage(db) -> None:
    db.execute(update(TrainingSummary).values(n=TrainingSummary.n + 1))
    db.execute(update(TrainingL1).values(total=TrainingL1.total + 3))
    db.execute(update(InvitationCount).values(n=InvitationCount.n + 2))
    db.execute(update(EmployeeJp).values(jp=EmployeeJp.jp + 5))
    db.execute(update(AssessmentGap).values(gap=AssessmentGap.gap + 1))
    db.commit()


def triggers(db, backend: str) -> list[str]:
    if backend == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    else:
        sql = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    return sorted(db.execute(text(sql)).scalars())


def test_every_summary_module_keeps_and_rebuilds_its_table():
    """Each registered summary has both halves of the one mechanism; l1 comes after the answers it adds up."""
    assert list(summaries.REGISTRY) == ["answers", "l1", "invitations", "jp", "gaps"]
    assert all(callable(getattr(m, "apply", None)) and callable(getattr(m, "rebuild", None)) for m in summaries.REGISTRY.values())


def test_every_summary_equals_its_recount_on_the_demo_data(db):
    stored = snapshot(db)
    assert all(stored[name] for name in summaries.REGISTRY), "the demo data fills every summary"
    assert stored == recounted(db)


def test_rebuild_repairs_every_summary_with_the_code_that_keeps_it(db):
    expected = snapshot(db)
    damage(db)
    assert all(snapshot(db)[name] != expected[name] for name in summaries.REGISTRY)
    written = summaries.rebuild(db)
    db.commit()
    assert set(written) == set(summaries.REGISTRY) and all(n > 0 for n in written.values())
    assert snapshot(db) == expected


@pytest.mark.parametrize("name", ["answers", "l1", "invitations", "jp", "gaps"])
def test_summaries_rebuild_command_rebuilds_the_one_named(db, db_url, monkeypatch, name):
    expected = snapshot(db)
    damage(db)
    monkeypatch.setenv("PORTAL_DATABASE_URL", db_url)
    monkeypatch.setenv("PORTAL_ENV", "test")
    monkeypatch.setenv("PORTAL_SECRET_KEY", rig.TEST_SECRET)
    result = CliRunner().invoke(main, ["summaries", "rebuild", name])
    assert result.exit_code == 0, result.output
    assert f"Ringkasan {name} dibangun ulang:" in result.output
    after = snapshot(db)
    for other in summaries.REGISTRY:
        # the named one is back; the others are still damaged (the l1 roll-up is computed from the
        # damaged answers summary, so rebuilding l1 alone keeps it consistent with that)
        if other == name:
            assert after[other] == (expected[other] if name != "l1" else sorted(tuple(r) for r in db.execute(rollup_select())))
        else:
            assert after[other] != expected[other]


def test_summaries_rebuild_command_without_a_name_rebuilds_all(db, db_url, monkeypatch):
    expected = snapshot(db)
    damage(db)
    monkeypatch.setenv("PORTAL_DATABASE_URL", db_url)
    monkeypatch.setenv("PORTAL_ENV", "test")
    monkeypatch.setenv("PORTAL_SECRET_KEY", rig.TEST_SECRET)
    result = CliRunner().invoke(main, ["summaries", "rebuild"])
    assert result.exit_code == 0, result.output
    assert result.output.count("dibangun ulang") == len(summaries.REGISTRY)
    assert snapshot(db) == expected
    assert CliRunner().invoke(main, ["summaries", "rebuild", "nothing"]).exit_code != 0


def test_no_trigger_keeps_a_summary_and_the_migration_round_trips(db_url, db, backend):
    """At head there is no trigger at all. Down to the revision before (the triggers come back, the
    summaries are recounted), up again (they go): the summaries still equal their recount."""
    assert triggers(db, backend) == []
    expected = snapshot(db)
    db.close()
    settings = rig.test_settings(db_url)
    downgrade_database(settings, BEFORE_SERVICES)
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            names = triggers(conn, backend)
    finally:
        engine.dispose()
    assert any("employeejp" in n for n in names) and any("invitationcount" in n for n in names)
    upgrade_database(settings)
    assert triggers(db, backend) == []
    assert snapshot(db) == expected == recounted(db)
