"""Demo data: a fictional slice of Pemerintah Kota Tanjungpinang, loaded by `portal demo` (refused in
production) and by the test rig. Written through the services where a service owns the write (survey
submits, assessment submits, enrolments), so the summaries are right.

`seed()` is idempotent: each part checks whether it was already loaded. Parts, in order: `foundation`
(organisation, people, trainings), `assessments` (AKPK cycles), `surveys` (L1), `ratings` (L3).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from portal import clock
from portal.demo import assessments, foundation, ratings, surveys
from portal.demo.foundation import DEMO_PASSWORD
from portal.models import Employee

__all__ = ["DEMO_PASSWORD", "has_employees", "seed"]


def has_employees(session: Session) -> bool:
    return bool(session.execute(select(func.count()).select_from(Employee)).scalar_one())


PARTS = ("organisasi dan pelatihan", "AKPK", "survei pelatihan", "penerapan (L3)")


def seed(session: Session, today: date | None = None, progress: Callable[[str], None] | None = None) -> str:
    """Load the demo data; `progress(label)` is called as each of the PARTS is done (the CLI's bar)."""
    today = today or clock.today()
    lines = [foundation.seed_foundation(session, today)]
    if progress:
        progress(PARTS[0])
    for label, part in zip(PARTS[1:], (assessments, surveys, ratings), strict=True):
        session.flush()
        lines.append(part.seed(session, today))
        if progress:
            progress(label)
    session.flush()
    return "\n".join(line for line in lines if line)
