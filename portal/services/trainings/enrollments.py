"""Enrolments: who is registered for a training, whether they took part, the JP credited. Every write
goes through here, so that the JP summary (`summaries.jp`) is kept in the same transaction. None of
these commit: the caller does (one transaction for a whole import, say)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlmodel import Session

from portal.db import dialect
from portal.models import Enrollment, Training
from portal.services import summaries

STATUSES = ("registered", "attended", "completed", "absent")


def _jp(session: Session, employee_ids: list[int], years: list[int] | None = None) -> None:
    summaries.jp.apply(session.connection(), summaries.jp.Enrolled.of(employee_ids, years or ()))


def enrol(session: Session, training_id: int, employee_id: int, *, status: str = "registered", jp_credited: int = 0) -> int:
    """A new enrolment; returns its id."""
    new_id = session.execute(
        insert(Enrollment).values(training_id=training_id, employee_id=employee_id, status=status, jp_credited=jp_credited).returning(Enrollment.id)
    ).scalar_one()
    _jp(session, [employee_id])
    return int(new_id)


def enrol_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """Many new enrolments at once (dicts of training_id, employee_id, status, jp_credited)."""
    if not rows:
        return
    session.execute(insert(Enrollment), rows)
    _jp(session, sorted({r["employee_id"] for r in rows}))


def enrol_missing(session: Session, training_id: int, employee_ids: list[int]) -> list[int]:
    """Register (status registered, no JP) those of `employee_ids` who are not enrolled yet: HR adding
    participants. A person enrolled meanwhile by someone else is skipped, not an error. Returns the
    employees added."""
    ids = sorted(set(employee_ids))
    if not ids:
        return []
    ins = dialect.insert(dialect.name_of(session))
    added: list[int] = []
    for start in range(0, len(ids), 500):
        stmt = (
            ins(Enrollment)
            .values([{"training_id": training_id, "employee_id": e, "status": "registered", "jp_credited": 0} for e in ids[start : start + 500]])
            .on_conflict_do_nothing(index_elements=["training_id", "employee_id"])
            .returning(Enrollment.employee_id)
        )
        added.extend(int(e) for e in session.execute(stmt).scalars())
    _jp(session, added)
    return sorted(added)


def update_enrollment(
    session: Session, training_id: int, employee_id: int, *, status: str | None = None, jp_credited: int | None = None
) -> bool:
    """Change the status and/or the JP credited of an enrolment; False when there is none."""
    values: dict[str, Any] = {}
    if status is not None:
        values["status"] = status
    if jp_credited is not None:
        values["jp_credited"] = jp_credited
    if not values:
        return False
    changed = session.execute(
        update(Enrollment).where(Enrollment.training_id == training_id, Enrollment.employee_id == employee_id).values(**values)
    ).rowcount
    if changed:
        _jp(session, [employee_id])
    return bool(changed)


def update_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """Change many enrolments at once (dicts of id, status, jp_credited), e.g. an attendance import."""
    if not rows:
        return
    stmt = update(Enrollment).where(Enrollment.id == bindparam("_id")).values(status=bindparam("v_status"), jp_credited=bindparam("v_jp"))
    session.connection().execute(stmt, [{"_id": r["id"], "v_status": r["status"], "v_jp": r["jp_credited"]} for r in rows])
    _jp(session, _people_of(session, [r["id"] for r in rows]))


def remove_many(session: Session, enrollment_ids: list[int]) -> None:
    """Delete enrolments by id (an import taken back)."""
    if not enrollment_ids:
        return
    people = _people_of(session, enrollment_ids)
    for start in range(0, len(enrollment_ids), 500):
        session.execute(delete(Enrollment).where(Enrollment.id.in_(enrollment_ids[start : start + 500])))
    _jp(session, people)


def _people_of(session: Session, enrollment_ids: list[int]) -> list[int]:
    people: set[int] = set()
    for start in range(0, len(enrollment_ids), 500):
        people.update(session.execute(select(Enrollment.employee_id).where(Enrollment.id.in_(enrollment_ids[start : start + 500]))).scalars())
    return sorted(people)


def remove_enrollment(session: Session, training_id: int, employee_id: int) -> bool:
    removed = session.execute(
        delete(Enrollment).where(Enrollment.training_id == training_id, Enrollment.employee_id == employee_id)
    ).rowcount
    if removed:
        _jp(session, [employee_id])
    return bool(removed)


def move_training(session: Session, training_id: int, starts_on: date, ends_on: date) -> None:
    """New dates for a training: its participants' JP moves with it when the year changes."""
    session.execute(update(Training).where(Training.id == training_id).values(starts_on=starts_on, ends_on=ends_on))
    _jp(session, summaries.jp.participants(session.connection(), training_id))


__all__ = ["STATUSES", "enrol", "enrol_many", "enrol_missing", "move_training", "remove_enrollment", "remove_many", "update_enrollment", "update_many"]
