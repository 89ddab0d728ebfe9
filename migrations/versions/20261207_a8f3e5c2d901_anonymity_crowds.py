"""anonymity crowds: a submit rewrites a bounded number of rows on PostgreSQL

`surveyresponse.crowd` (NOT NULL, default 0) and an index on (training_id, crowd). Existing responses
stay in crowd 0, which the earlier design had already rewritten to one transaction id per training;
new anonymous responses on PostgreSQL join crowds of rules.ANONYMITY_CROWD (docs/anonymity.md).
No existing value is changed.

Revision ID: a8f3e5c2d901
Revises: e4c17a9b2d60
Create Date: 2026-12-07 20:40:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'a8f3e5c2d901'
down_revision: Union[str, Sequence[str], None] = 'e4c17a9b2d60'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column('surveyresponse', sa.Column('crowd', sa.Integer(), server_default='0', nullable=False))
    op.create_index('ix_surveyresponse_training_crowd', 'surveyresponse', ['training_id', 'crowd'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_surveyresponse_training_crowd', table_name='surveyresponse')
    op.drop_column('surveyresponse', 'crowd')
