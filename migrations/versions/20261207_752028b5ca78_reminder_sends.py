"""reminder sends

The record of reminder e-mails (portal/services/reminders/): one row per reminder that went out, with
the person, the kind, the day and the number of items it named; never its text, address or the trainings
it named. `ix_remindersend_recent` (unique on person, kind, day) answers "reminded of this kind in the
last N days?" and lets two senders at once claim a person only once. A plain CREATE TABLE: no existing
table is touched (the downgrade drops what this revision added).

Revision ID: 752028b5ca78
Revises: cb6d87caa1eb
Create Date: 2026-12-07 16:15:41.843088

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes


# revision identifiers, used by Alembic.
revision: str = '752028b5ca78'
down_revision: Union[str, Sequence[str], None] = 'cb6d87caa1eb'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('remindersend',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('l1_survey', 'l3_rating', 'akpk_self', 'akpk_team', 'jp_target')", name=op.f('ck_remindersend_kind')),
    sa.CheckConstraint('items >= 0', name=op.f('ck_remindersend_items_nonneg')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_remindersend_employee_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remindersend'))
    )
    op.create_index('ix_remindersend_recent', 'remindersend', ['employee_id', 'kind', 'sent_on'], unique=True)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_remindersend_recent', table_name='remindersend')
    op.drop_table('remindersend')
