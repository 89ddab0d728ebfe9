"""employee JP summary

Per employee and calendar year: credited enrollments (attended or completed) in trainings ending in
that year, and their JP, for the JP compliance figures (20 JP a year) of the HR dashboard, the JP
report and HR's Beranda. Kept exact by triggers on `enrollment` (insert, delete, and updates of the
status, JP, person or training) and on `training.ends_on` (a training moved to another year moves its
JP), so every write path keeps it - services, imports, bulk COPY. Filled here from the enrollments
already stored. Derived data: dropping it loses nothing.

Revision ID: 3c1f0a9d2b7e
Revises: f798effdbe1e
Create Date: 2026-11-28 09:20:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '3c1f0a9d2b7e'
down_revision: Union[str, Sequence[str], None] = 'f798effdbe1e'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

CREDITED = "('attended', 'completed')"


def _year(column: str, dialect: str) -> str:
    """The calendar year of a date column (SQLite stores dates as 'YYYY-MM-DD' text)."""
    if dialect == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(substr({column}, 1, 4) AS INTEGER)"


def _statements(dialect: str) -> dict[str, str]:
    """The trigger bodies, the same SQL on both databases but for the year expression. {r} is OLD or
    NEW (an enrollment row); in the training statements OLD/NEW are the training row."""
    year = _year("training.ends_on", dialect)
    return {
        # one enrollment leaves / joins the summary of its person and year
        "sub": f"""UPDATE employeejp SET trainings = trainings - 1, jp = jp - {{r}}.jp_credited
WHERE {{r}}.status IN {CREDITED} AND employee_id = {{r}}.employee_id
  AND year = (SELECT {year} FROM training WHERE training.id = {{r}}.training_id)""",
        "add": f"""INSERT INTO employeejp (employee_id, year, trainings, jp)
SELECT {{r}}.employee_id, {year}, 1, {{r}}.jp_credited FROM training
WHERE training.id = {{r}}.training_id AND {{r}}.status IN {CREDITED}
ON CONFLICT (employee_id, year) DO UPDATE SET trainings = employeejp.trainings + 1, jp = employeejp.jp + excluded.jp""",
        # a training moved to another year takes its participants' JP along
        "move_out": f"""UPDATE employeejp SET
  trainings = trainings - (SELECT count(*) FROM enrollment e
                           WHERE e.training_id = NEW.id AND e.employee_id = employeejp.employee_id AND e.status IN {CREDITED}),
  jp = jp - (SELECT coalesce(sum(e.jp_credited), 0) FROM enrollment e
             WHERE e.training_id = NEW.id AND e.employee_id = employeejp.employee_id AND e.status IN {CREDITED})
WHERE year = {_year("OLD.ends_on", dialect)}
  AND employee_id IN (SELECT e.employee_id FROM enrollment e WHERE e.training_id = NEW.id AND e.status IN {CREDITED})""",
        "move_in": f"""INSERT INTO employeejp (employee_id, year, trainings, jp)
SELECT e.employee_id, {_year("NEW.ends_on", dialect)}, count(*), sum(e.jp_credited) FROM enrollment e
WHERE e.training_id = NEW.id AND e.status IN {CREDITED}
GROUP BY e.employee_id
ON CONFLICT (employee_id, year) DO UPDATE SET trainings = employeejp.trainings + excluded.trainings,
                                              jp = employeejp.jp + excluded.jp""",
        "backfill": f"""INSERT INTO employeejp (employee_id, year, trainings, jp)
SELECT enrollment.employee_id, {year}, count(*), sum(enrollment.jp_credited)
FROM enrollment JOIN training ON training.id = enrollment.training_id
WHERE enrollment.status IN {CREDITED}
GROUP BY enrollment.employee_id, {year}""",
    }


def _create_triggers(dialect: str) -> None:
    s = _statements(dialect)
    if dialect == "postgresql":
        op.execute(f"""
CREATE FUNCTION employeejp_enrollment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    {s["sub"].format(r="OLD")};
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    {s["add"].format(r="NEW")};
  END IF;
  RETURN NULL;
END $$""")
        op.execute("""CREATE TRIGGER employeejp_enrollment
AFTER INSERT OR DELETE OR UPDATE OF status, jp_credited, employee_id, training_id ON enrollment
FOR EACH ROW EXECUTE FUNCTION employeejp_enrollment()""")
        op.execute(f"""
CREATE FUNCTION employeejp_training() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF {_year("OLD.ends_on", dialect)} <> {_year("NEW.ends_on", dialect)} THEN
    {s["move_out"]};
    {s["move_in"]};
  END IF;
  RETURN NULL;
END $$""")
        op.execute("""CREATE TRIGGER employeejp_training AFTER UPDATE OF ends_on ON training
FOR EACH ROW EXECUTE FUNCTION employeejp_training()""")
        return
    # SQLite: a trigger per event; the WHERE clauses inside the statements test the status
    op.execute(f"CREATE TRIGGER employeejp_enrollment_insert AFTER INSERT ON enrollment BEGIN {s['add'].format(r='NEW')}; END")
    op.execute(f"CREATE TRIGGER employeejp_enrollment_delete AFTER DELETE ON enrollment BEGIN {s['sub'].format(r='OLD')}; END")
    op.execute(
        "CREATE TRIGGER employeejp_enrollment_update AFTER UPDATE OF status, jp_credited, employee_id, training_id ON enrollment "
        f"BEGIN {s['sub'].format(r='OLD')}; {s['add'].format(r='NEW')}; END"
    )
    op.execute(
        "CREATE TRIGGER employeejp_training_update AFTER UPDATE OF ends_on ON training "
        f"WHEN {_year('OLD.ends_on', dialect)} <> {_year('NEW.ends_on', dialect)} "
        f"BEGIN {s['move_out']}; {s['move_in']}; END"
    )


def upgrade() -> None:
    """Upgrade schema."""
    dialect = op.get_bind().dialect.name
    op.create_table('employeejp',
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('trainings', sa.Integer(), nullable=False),
    sa.Column('jp', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('employee_id', 'year', name=op.f('pk_employeejp')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('employeejp', schema=None) as batch_op:
        batch_op.create_index('ix_employeejp_year_jp', ['year', 'jp', 'employee_id', 'trainings'], unique=False)
    op.execute(_statements(dialect)["backfill"])
    _create_triggers(dialect)


def downgrade() -> None:
    """Downgrade schema (the summary is derived data: nothing is lost)."""
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER employeejp_training ON training")
        op.execute("DROP TRIGGER employeejp_enrollment ON enrollment")
        op.execute("DROP FUNCTION employeejp_training()")
        op.execute("DROP FUNCTION employeejp_enrollment()")
    else:
        for name in ("employeejp_enrollment_insert", "employeejp_enrollment_delete", "employeejp_enrollment_update", "employeejp_training_update"):
            op.execute(f"DROP TRIGGER {name}")
    with op.batch_alter_table('employeejp', schema=None) as batch_op:
        batch_op.drop_index('ix_employeejp_year_jp')
    op.drop_table('employeejp')
