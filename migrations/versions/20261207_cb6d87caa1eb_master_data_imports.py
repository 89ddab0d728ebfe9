"""master data imports

Imports of units, positions, employees, trainings and enrolments (portal/services/imports/): the import
batches and the change log that lets an import be undone; the key of positions (`position.code`, existing
positions get JAB-<id> so that HR can name them in a file); an employee's phone and golongan; a training's
cost per participant. Only additions: no existing row or column is changed or dropped (the downgrade
drops what this revision added).

Revision ID: cb6d87caa1eb
Revises: 4accd77c975d
Create Date: 2026-12-07 13:48:19.496726

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes


# revision identifiers, used by Alembic.
revision: str = 'cb6d87caa1eb'
down_revision: Union[str, Sequence[str], None] = '4accd77c975d'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('importbatch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('file_format', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('sheet_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('applied_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('undone_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('n_create', sa.Integer(), nullable=False),
    sa.Column('n_update', sa.Integer(), nullable=False),
    sa.Column('n_unchanged', sa.Integer(), nullable=False),
    sa.Column('n_reject', sa.Integer(), nullable=False),
    sa.Column('only_valid', sa.Boolean(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('rejects', sa.Text(), server_default='[]', nullable=False),
    sa.Column('ignored', sa.Text(), server_default='[]', nullable=False),
    sa.CheckConstraint("status IN ('preview', 'applied', 'discarded', 'undone')", name=op.f('ck_importbatch_status')),
    sa.ForeignKeyConstraint(['created_by'], ['employee.id'], name=op.f('fk_importbatch_created_by_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_importbatch'))
    )
    with op.batch_alter_table('importbatch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_importbatch_kind'), ['kind'], unique=False)

    op.create_table('importchange',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('before', sa.Text(), nullable=True),
    sa.Column('after', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['importbatch.id'], name=op.f('fk_importchange_batch_id_importbatch')),
    sa.PrimaryKeyConstraint('batch_id', 'seq', name=op.f('pk_importchange')),
    sqlite_with_rowid=False
    )
    # plain ADD COLUMN (both databases; no table rebuild on SQLite)
    op.add_column('employee', sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
    op.add_column('employee', sa.Column('golongan', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))
    op.add_column('position', sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
    op.execute("UPDATE position SET code = 'JAB-' || CAST(id AS VARCHAR) WHERE code IS NULL")
    op.create_index('ix_position_code', 'position', ['code'], unique=True)
    op.add_column('training', sa.Column('cost', sa.Integer(), nullable=True))


def downgrade() -> None:
    """Downgrade schema: plain DROP COLUMN (SQLite 3.35+ and PostgreSQL), so that tables other rows point
    at are not rebuilt."""
    op.execute("ALTER TABLE training DROP COLUMN cost")
    op.drop_index('ix_position_code', table_name='position')
    op.execute("ALTER TABLE position DROP COLUMN code")
    op.execute("ALTER TABLE employee DROP COLUMN golongan")
    op.execute("ALTER TABLE employee DROP COLUMN phone")
    op.drop_table('importchange')
    op.drop_index('ix_importbatch_kind', table_name='importbatch')
    op.drop_table('importbatch')
