"""invitation counts per training, questionnaire and status

How many survey invitations each training has per questionnaire and status, for the response rates of
the HR dashboard and training list (which grouped every invitation of the period on each view). Kept
exact by triggers on `surveyinvitation` (insert, delete, and updates of the training, questionnaire or
status), so every write path keeps it - submit, autosave, attaching a survey, imports, bulk loads.
Filled here from the invitations already stored. Derived data: dropping it loses nothing.

Revision ID: b7d2e5f4c3a1
Revises: 8e4b6c2d1a90
Create Date: 2026-11-28 11:10:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'b7d2e5f4c3a1'
down_revision: Union[str, Sequence[str], None] = '8e4b6c2d1a90'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# {r} is OLD or NEW (an invitation row)
SUB = """UPDATE invitationcount SET n = n - 1
WHERE training_id = {r}.training_id AND questionnaire_id = {r}.questionnaire_id AND status = {r}.status"""
ADD = """INSERT INTO invitationcount (training_id, questionnaire_id, status, n)
VALUES ({r}.training_id, {r}.questionnaire_id, {r}.status, 1)
ON CONFLICT (training_id, questionnaire_id, status) DO UPDATE SET n = invitationcount.n + 1"""
CHANGED = "(OLD.training_id <> NEW.training_id OR OLD.questionnaire_id <> NEW.questionnaire_id OR OLD.status <> NEW.status)"
BACKFILL = """INSERT INTO invitationcount (training_id, questionnaire_id, status, n)
SELECT training_id, questionnaire_id, status, count(*) FROM surveyinvitation GROUP BY training_id, questionnaire_id, status"""


def _create_triggers(dialect: str) -> None:
    if dialect == "postgresql":
        op.execute(f"""
CREATE FUNCTION invitationcount_invitation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NOT {CHANGED} THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    {SUB.format(r="OLD")};
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    {ADD.format(r="NEW")};
  END IF;
  RETURN NULL;
END $$""")
        op.execute("""CREATE TRIGGER invitationcount_invitation
AFTER INSERT OR DELETE OR UPDATE OF training_id, questionnaire_id, status ON surveyinvitation
FOR EACH ROW EXECUTE FUNCTION invitationcount_invitation()""")
        return
    op.execute(f"CREATE TRIGGER invitationcount_insert AFTER INSERT ON surveyinvitation BEGIN {ADD.format(r='NEW')}; END")
    op.execute(f"CREATE TRIGGER invitationcount_delete AFTER DELETE ON surveyinvitation BEGIN {SUB.format(r='OLD')}; END")
    op.execute(
        "CREATE TRIGGER invitationcount_update AFTER UPDATE OF training_id, questionnaire_id, status ON surveyinvitation "
        f"WHEN {CHANGED} BEGIN {SUB.format(r='OLD')}; {ADD.format(r='NEW')}; END"
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table('invitationcount',
    sa.Column('training_id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('training_id', 'questionnaire_id', 'status', name=op.f('pk_invitationcount')),
    sqlite_with_rowid=False
    )
    op.execute(BACKFILL)
    _create_triggers(dialect)


def downgrade() -> None:
    """The counts are derived data: nothing is lost."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER invitationcount_invitation ON surveyinvitation")
        op.execute("DROP FUNCTION invitationcount_invitation()")
    else:
        for name in ("invitationcount_insert", "invitationcount_delete", "invitationcount_update"):
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table('invitationcount')
