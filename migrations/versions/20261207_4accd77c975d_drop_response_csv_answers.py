"""drop surveyresponse.csv_answers (the raw export writes its cells itself)

`surveyresponse.csv_answers` held the answer cells of an attributed response as CSV text, written at
submit time (revision 8e4b6c2d1a90) so that the raw-rows export could read one text per response. It
was derived data: the answers themselves stay in `answer`, and the export now always writes its cells
from them, in Python, for CSV and XLSX alike (portal/services/reports/raw_export.py). Dropping the
column loses nothing.

Batch mode, without a table copy: SQLite (3.35 and later) drops a plain column in place, which keeps
the table WITHOUT ROWID and leaves the foreign key of `answer` alone (a copy would have to drop the
referenced table). Downgrade adds the column back, nullable and empty; nothing fills it any more.

Revision ID: 4accd77c975d
Revises: d5a3c8e1f4b6
Create Date: 2026-12-07 14:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '4accd77c975d'
down_revision: Union[str, Sequence[str], None] = 'd5a3c8e1f4b6'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("surveyresponse", recreate="never") as batch_op:
        batch_op.drop_column("csv_answers")


def downgrade() -> None:
    with op.batch_alter_table("surveyresponse", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("csv_answers", sa.Text(), nullable=True))
