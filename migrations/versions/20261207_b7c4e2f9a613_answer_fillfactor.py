"""answer fillfactor: room in each page for the anonymity rewrite (PostgreSQL)

An anonymous submit on PostgreSQL rewrites the answers of its crowd and the crowd before it in place
(docs/anonymity.md). With full pages (fillfactor 100) about half of those updates found no room on the
row's page: a new page, an index entry per row version, a table several times its live size. With 30 %
of each page left free the updates stay on their page (HOT: no index entry, old versions pruned in
place). Applies to pages written from now on; SQLite: nothing to do.

Revision ID: b7c4e2f9a613
Revises: a8f3e5c2d901
Create Date: 2026-12-07 23:00:00

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = 'b7c4e2f9a613'
down_revision: Union[str, Sequence[str], None] = 'a8f3e5c2d901'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE answer SET (fillfactor = 70)')


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE answer RESET (fillfactor)')
