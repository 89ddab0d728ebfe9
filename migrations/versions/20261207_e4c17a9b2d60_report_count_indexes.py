"""report count indexes: invitations and enrollments counted per training from an index alone

Response monitoring, the training report, the training list and the provider report count each
training's invitations (per status, deadline and unit) and participants (per status, JP and unit); the
open invitations of Beranda and the reminders are found by their last day. Indexes only: no row or
column changes.

Revision ID: e4c17a9b2d60
Revises: 332c1b182723
Create Date: 2026-12-07 20:10:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes


# revision identifiers, used by Alembic.
revision: str = 'e4c17a9b2d60'
down_revision: Union[str, Sequence[str], None] = '332c1b182723'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index('ix_surveyinvitation_training_counts', 'surveyinvitation',
                    ['training_id', 'questionnaire_id', 'status', 'closes_on', 'employee_id'], unique=False)
    op.create_index('ix_surveyinvitation_closes_on_status', 'surveyinvitation', ['closes_on', 'status'], unique=False)
    op.create_index('ix_enrollment_training_counts', 'enrollment', ['training_id', 'status', 'jp_credited', 'employee_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_enrollment_training_counts', table_name='enrollment')
    op.drop_index('ix_surveyinvitation_closes_on_status', table_name='surveyinvitation')
    op.drop_index('ix_surveyinvitation_training_counts', table_name='surveyinvitation')
