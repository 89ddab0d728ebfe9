"""L1 roll-up per training and questionnaire

The summary cells of each training added up for the HR dashboard: per Likert dimension (n, total) and
for the 0-10 items (n, promoters, passives, detractors), each row with the smallest n of its cells so that
the reader can tell whether the minimum group of an anonymous questionnaire holds for all of them. Kept
in the submit transaction (portal.services.l1_summary.refresh); filled here from the summaries already
stored. Derived data: dropping it loses nothing.

Revision ID: c4e1a7b9d0f2
Revises: b7d2e5f4c3a1
Create Date: 2026-11-28 11:50:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'c4e1a7b9d0f2'
down_revision: Union[str, Sequence[str], None] = 'b7d2e5f4c3a1'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BACKFILL = """INSERT INTO trainingl1 (training_id, questionnaire_id, kind, dimension, n, total, promoters, passives, detractors, min_n)
SELECT ts.training_id, q.questionnaire_id, 'likert5', q.dimension, sum(ts.n), sum(ts.total), 0, 0, 0, min(ts.n)
FROM trainingsummary ts JOIN question q ON q.id = ts.question_id
WHERE q.kind = 'likert5' AND ts.n > 0
GROUP BY ts.training_id, q.questionnaire_id, q.dimension
UNION ALL
SELECT ts.training_id, q.questionnaire_id, 'scale0_10', '', sum(ts.n), sum(ts.total),
       coalesce(sum(b.p), 0), coalesce(sum(b.pa), 0), coalesce(sum(b.d), 0), min(ts.n)
FROM trainingsummary ts JOIN question q ON q.id = ts.question_id
LEFT JOIN (SELECT training_id, question_id,
                  sum(CASE WHEN value IN ('9', '10') THEN "count" ELSE 0 END) AS p,
                  sum(CASE WHEN value IN ('7', '8') THEN "count" ELSE 0 END) AS pa,
                  sum(CASE WHEN value IN ('0', '1', '2', '3', '4', '5', '6') THEN "count" ELSE 0 END) AS d
           FROM trainingsummaryvalue GROUP BY training_id, question_id) b
       ON b.training_id = ts.training_id AND b.question_id = ts.question_id
WHERE q.kind = 'scale0_10' AND ts.n > 0
GROUP BY ts.training_id, q.questionnaire_id"""


def upgrade() -> None:
    op.create_table('trainingl1',
    sa.Column('training_id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('dimension', sa.String(length=40), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('promoters', sa.Integer(), nullable=False),
    sa.Column('passives', sa.Integer(), nullable=False),
    sa.Column('detractors', sa.Integer(), nullable=False),
    sa.Column('min_n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('training_id', 'questionnaire_id', 'kind', 'dimension', name=op.f('pk_trainingl1')),
    sqlite_with_rowid=False
    )
    op.execute(BACKFILL)


def downgrade() -> None:
    """The roll-up is derived data: nothing is lost."""
    op.drop_table('trainingl1')
