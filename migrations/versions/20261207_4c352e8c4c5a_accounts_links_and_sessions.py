"""accounts: one-time links, password-reset requests, disabled accounts, where a session started

One-time links to set a password (`accounttoken`: activation of imported accounts, reset of a forgotten
password; only the SHA-256 of a token is stored), the throttle of the "forgotten password" form
(`passwordresetrequest`), an admin's switch that turns an account off without taking the employee out of
the organisation (`employee.account_disabled`), and the address and browser a session started from
(`usersession.ip`, `usersession.user_agent`), shown to the admin. Only additions: two new tables and plain
ADD COLUMNs with defaults (no rebuild of `employee`, which many tables point at); the downgrade drops what
this revision added.

Revision ID: 4c352e8c4c5a
Revises: 752028b5ca78
Create Date: 2026-12-07 16:16:02.773650

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes


# revision identifiers, used by Alembic.
revision: str = '4c352e8c4c5a'
down_revision: Union[str, Sequence[str], None] = '752028b5ca78'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('passwordresetrequest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nip', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('ip', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_passwordresetrequest'))
    )
    op.create_index(op.f('ix_passwordresetrequest_at'), 'passwordresetrequest', ['at'], unique=False)
    op.create_index(op.f('ix_passwordresetrequest_ip'), 'passwordresetrequest', ['ip'], unique=False)
    op.create_index(op.f('ix_passwordresetrequest_nip'), 'passwordresetrequest', ['nip'], unique=False)

    op.create_table('accounttoken',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.CheckConstraint("purpose IN ('activation', 'reset')", name=op.f('ck_accounttoken_purpose')),
    sa.ForeignKeyConstraint(['created_by'], ['employee.id'], name=op.f('fk_accounttoken_created_by_employee')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_accounttoken_employee_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounttoken')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_accounttoken_token_hash'))
    )
    op.create_index(op.f('ix_accounttoken_employee_id'), 'accounttoken', ['employee_id'], unique=False)
    op.create_index(op.f('ix_accounttoken_expires_at'), 'accounttoken', ['expires_at'], unique=False)

    # plain ADD COLUMN with a default (both databases; no table rebuild on SQLite)
    op.add_column('employee', sa.Column('account_disabled', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('usersession', sa.Column('ip', sa.String(length=64), server_default='', nullable=False))
    op.add_column('usersession', sa.Column('user_agent', sa.String(length=200), server_default='', nullable=False))


def downgrade() -> None:
    """Downgrade schema: plain DROP COLUMN (SQLite 3.35+ and PostgreSQL), so that tables other rows point
    at are not rebuilt."""
    op.execute("ALTER TABLE usersession DROP COLUMN user_agent")
    op.execute("ALTER TABLE usersession DROP COLUMN ip")
    op.execute("ALTER TABLE employee DROP COLUMN account_disabled")
    op.drop_index(op.f('ix_accounttoken_expires_at'), table_name='accounttoken')
    op.drop_index(op.f('ix_accounttoken_employee_id'), table_name='accounttoken')
    op.drop_table('accounttoken')
    op.drop_index(op.f('ix_passwordresetrequest_nip'), table_name='passwordresetrequest')
    op.drop_index(op.f('ix_passwordresetrequest_ip'), table_name='passwordresetrequest')
    op.drop_index(op.f('ix_passwordresetrequest_at'), table_name='passwordresetrequest')
    op.drop_table('passwordresetrequest')
