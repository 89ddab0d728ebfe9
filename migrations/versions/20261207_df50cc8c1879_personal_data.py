"""personal data: correction requests, audit log indexes

The employees' requests to correct their data (`correctionrequest`, Data Saya -> HR's task list) and three
(column, time) indexes on `auditevent` that keep the audit log viewer's filters (who, subject, what) and
Data Saya's "who saw my data" bounded. Only additions: plain CREATE TABLE and CREATE INDEX, no existing
row or column is changed (the downgrade drops what this revision added).

Revision ID: df50cc8c1879
Revises: 4c352e8c4c5a
Create Date: 2026-12-07 16:14:27.226578

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes


# revision identifiers, used by Alembic.
revision: str = 'df50cc8c1879'
down_revision: Union[str, Sequence[str], None] = '4c352e8c4c5a'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('correctionrequest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('section', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('wrong', sa.Text(), nullable=False),
    sa.Column('correct', sa.Text(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('handled_by', sa.Integer(), nullable=True),
    sa.Column('handled_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.CheckConstraint("section IN ('profile', 'akpk', 'surveys', 'application', 'jp', 'other')", name=op.f('ck_correctionrequest_section')),
    sa.CheckConstraint("status IN ('open', 'done')", name=op.f('ck_correctionrequest_status')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_correctionrequest_employee_id_employee')),
    sa.ForeignKeyConstraint(['handled_by'], ['employee.id'], name=op.f('fk_correctionrequest_handled_by_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_correctionrequest'))
    )
    op.create_index('ix_correctionrequest_employee_id', 'correctionrequest', ['employee_id'], unique=False)
    op.create_index('ix_correctionrequest_status_created_at', 'correctionrequest', ['status', 'created_at'], unique=False)
    # plain CREATE INDEX (no table rebuild on SQLite)
    op.create_index('ix_auditevent_action_at', 'auditevent', ['action', 'at'], unique=False)
    op.create_index('ix_auditevent_actor_id_at', 'auditevent', ['actor_id', 'at'], unique=False)
    op.create_index('ix_auditevent_target_at', 'auditevent', ['target', 'at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_auditevent_target_at', table_name='auditevent')
    op.drop_index('ix_auditevent_actor_id_at', table_name='auditevent')
    op.drop_index('ix_auditevent_action_at', table_name='auditevent')
    op.drop_index('ix_correctionrequest_status_created_at', table_name='correctionrequest')
    op.drop_index('ix_correctionrequest_employee_id', table_name='correctionrequest')
    op.drop_table('correctionrequest')
