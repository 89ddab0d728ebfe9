"""assessmentitem.level nullable: a note typed before a level is kept as a draft

An AKPK evidence note typed before the person chose a level used to be refused (an item needed a
level). It is now kept: the item row exists with its note and no level. Such an item is not an
answer (progress and the submit's completeness check count levels), so a submitted assessment still
has a level for every competency and every reader of submitted data is unchanged.

SQLite cannot change a column's nullability in place: batch mode copies the table (rows kept).
Downgrade refuses while any item has no level, rather than drop what someone typed.

Revision ID: 7b1f0e2a9c34
Revises: cb6d87caa1eb
Create Date: 2026-12-07 17:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '7b1f0e2a9c34'
down_revision: Union[str, Sequence[str], None] = 'cb6d87caa1eb'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("assessmentitem") as batch_op:
        batch_op.alter_column("level", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    drafts = op.get_bind().execute(sa.text("SELECT count(*) FROM assessmentitem WHERE level IS NULL")).scalar_one()
    if drafts:
        raise RuntimeError(
            f"{drafts} AKPK items hold a note without a level (drafts); downgrading would lose them. "
            "Let their owners choose a level, or remove those notes deliberately, then downgrade."
        )
    with op.batch_alter_table("assessmentitem") as batch_op:
        batch_op.alter_column("level", existing_type=sa.Integer(), nullable=False)
