"""employee locale: the language a person chose for the portal and its e-mails

One nullable column on `employee` ("id", "en"; NULL = the portal's default, PORTAL_LOCALE). A plain
ADD COLUMN (no batch rebuild of a table others point at); no existing row is changed.

Revision ID: 332c1b182723
Revises: df50cc8c1879
Create Date: 2026-12-07 17:27:58.095627

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes


# revision identifiers, used by Alembic.
revision: str = '332c1b182723'
down_revision: Union[str, Sequence[str], None] = 'df50cc8c1879'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column('employee', sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_column('employee', 'locale')
