"""response answers written as CSV at submit

`surveyresponse.csv_answers`: the answer cells of a response of an ATTRIBUTED questionnaire, written
as CSV at submit time (the questionnaire is locked by then, so its questions and option labels cannot
change), so the raw-rows export reads one text per response instead of folding its answers. Anonymous
responses never get one. Responses stored before this revision keep NULL and are exported as before
(the cells computed from their answers); `portal scores fill-export-rows` writes theirs. Derived data:
dropping the column loses nothing (the answers stay in `answer`).

Revision ID: 8e4b6c2d1a90
Revises: 3c1f0a9d2b7e
Create Date: 2026-11-28 11:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '8e4b6c2d1a90'
down_revision: Union[str, Sequence[str], None] = '3c1f0a9d2b7e'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # a plain ADD COLUMN on both databases (no table copy: surveyresponse is WITHOUT ROWID on SQLite,
    # which a batch copy could lose)
    op.add_column("surveyresponse", sa.Column("csv_answers", sa.Text(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE surveyresponse DROP COLUMN csv_answers")
