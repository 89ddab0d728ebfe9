"""summaries kept by the services, not by triggers

The JP summary (`employeejp`) and the invitation counts (`invitationcount`) were kept by database
triggers (revisions 3c1f0a9d2b7e and b7d2e5f4c3a1); every summary is now kept by the service code of
the transaction that changes its inputs (portal/services/summaries/), one mechanism for all of them.
This revision drops the triggers (and their PostgreSQL functions) and nothing else: the tables and
their rows stay as they are (the triggers kept them exact up to this point). Downgrade puts the
triggers back, built by the revisions that created them, and recounts both tables.

Revision ID: d5a3c8e1f4b6
Revises: c4e1a7b9d0f2
Create Date: 2026-12-07 10:00:00

"""
import importlib.util
from pathlib import Path
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = 'd5a3c8e1f4b6'
down_revision: Union[str, Sequence[str], None] = 'c4e1a7b9d0f2'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

HERE = Path(__file__).resolve().parent


def _revision(stem: str):
    """An earlier revision's module (its trigger definitions)."""
    spec = importlib.util.spec_from_file_location(stem, HERE / f"{stem}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS invitationcount_invitation ON surveyinvitation")
        op.execute("DROP FUNCTION IF EXISTS invitationcount_invitation()")
        op.execute("DROP TRIGGER IF EXISTS employeejp_training ON training")
        op.execute("DROP TRIGGER IF EXISTS employeejp_enrollment ON enrollment")
        op.execute("DROP FUNCTION IF EXISTS employeejp_training()")
        op.execute("DROP FUNCTION IF EXISTS employeejp_enrollment()")
        return
    for name in (
        "invitationcount_insert",
        "invitationcount_delete",
        "invitationcount_update",
        "employeejp_enrollment_insert",
        "employeejp_enrollment_delete",
        "employeejp_enrollment_update",
        "employeejp_training_update",
    ):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    jp = _revision("20261128_3c1f0a9d2b7e_employee_jp_summary")
    counts = _revision("20261128_b7d2e5f4c3a1_invitation_counts")
    op.execute("DELETE FROM employeejp")
    op.execute(jp._statements(dialect)["backfill"])
    jp._create_triggers(dialect)
    op.execute("DELETE FROM invitationcount")
    op.execute(counts.BACKFILL)
    counts._create_triggers(dialect)
