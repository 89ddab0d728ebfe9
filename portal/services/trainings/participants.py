"""A training's participants as HR manages them (/pelatihan/{id}/peserta): the roster, attendance for a
page of it at once, adding people (by NIP or name, or a whole unit) and removing someone who did not
take part.

Every write goes through `enrollments` (the JP summary) and, when attendance changes, `roster`
(survey invitations within the rules of `SurveyWindow`). Attendance: whoever took part
(portal.rules.PARTICIPANT_STATUSES) is credited with the training's JP, everyone else with 0. A person
who already submitted the training's survey stays a participant: a form that would mark them
registered or absent is refused as a whole, with the reason next to their row, and nothing is saved.
Commits."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import Select, and_, func, select, update
from sqlmodel import Session

from portal.i18n import N_, _
from portal.models import Employee, Enrollment, SurveyInvitation, Training, Unit
from portal.rules import PARTICIPANT_STATUSES
from portal.services.accounts import audit
from portal.services.imports.references import referenced_elsewhere
from portal.services.trainings import enrollments, roster
from portal.services.trainings._types import (
    AttendanceResult,
    Candidate,
    Removal,
    Roster,
    RosterRow,
    TrainingFacts,
    UnitPreview,
)

PER_PAGE = 100
# the statuses of an enrolment as HR sees them, in the order of the roster's choices
STATUS_LABELS = {"registered": N_("Terdaftar"), "attended": N_("Hadir"), "completed": N_("Selesai"), "absent": N_("Tidak hadir")}
SEARCH_LIMIT = 20
MIN_SEARCH = 2
CHUNK = 500


def facts(session: Session, training_id: int) -> TrainingFacts | None:
    m = session.execute(
        select(
            Training.id, Training.code, Training.title, Training.kind, Training.mode, Training.provider, Training.starts_on,
            Training.ends_on, Training.jp, Training.reaction_questionnaire_id,
        ).where(Training.id == training_id)
    ).mappings().first()
    if m is None:
        return None
    return TrainingFacts(**{**m, "provider": m["provider"] or "", "jp": int(m["jp"] or 0)})


def _rows_select(t: TrainingFacts) -> Select:
    submitted = (
        select(SurveyInvitation.id)
        .where(
            SurveyInvitation.training_id == t.id,
            SurveyInvitation.employee_id == Enrollment.employee_id,
            SurveyInvitation.questionnaire_id == t.reaction_questionnaire_id,
            SurveyInvitation.status == "submitted",
        )
        .exists()
    )
    return (
        select(
            Enrollment.id.label("enrollment_id"), Enrollment.employee_id, Employee.name, Employee.nip,
            func.coalesce(Unit.name, "").label("unit"), Enrollment.status, Enrollment.jp_credited, submitted.label("submitted"),
        )
        .join(Employee, Employee.id == Enrollment.employee_id)
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .where(Enrollment.training_id == t.id)
    )


def _roster_row(m: Mapping) -> RosterRow:
    return RosterRow(
        enrollment_id=m["enrollment_id"], employee_id=m["employee_id"], name=m["name"], nip=m["nip"], unit=m["unit"],
        status=m["status"], jp_credited=int(m["jp_credited"] or 0), submitted=bool(m["submitted"]),
    )


def roster_page(session: Session, training_id: int, page: int = 1, per_page: int = PER_PAGE) -> Roster | None:
    """The enrolled people by name, a page at a time, with the counts per status (3 queries)."""
    t = facts(session, training_id)
    if t is None:
        return None
    counts = {
        r["status"]: int(r["n"])
        for r in session.execute(
            select(Enrollment.status, func.count().label("n")).where(Enrollment.training_id == training_id).group_by(Enrollment.status)
        ).mappings()
    }
    total = sum(counts.values())
    pages = max(1, (total + per_page - 1) // per_page)
    page = min(max(1, page), pages)
    rows = session.execute(_rows_select(t).order_by(Employee.name, Enrollment.id).offset((page - 1) * per_page).limit(per_page)).mappings()
    return Roster(training=t, rows=[_roster_row(m) for m in rows], page=page, pages=pages, total=total, counts=counts)


def rows_of(session: Session, training_id: int, enrollment_ids: list[int]) -> dict[int, RosterRow]:
    """Rows of the roster by enrolment id (those of this training only)."""
    t = facts(session, training_id)
    if t is None:
        return {}
    found: dict[int, RosterRow] = {}
    ids = sorted(set(enrollment_ids))
    for start in range(0, len(ids), CHUNK):
        for m in session.execute(_rows_select(t).where(Enrollment.id.in_(ids[start : start + CHUNK]))).mappings():
            found[m["enrollment_id"]] = _roster_row(m)
    return found


def _lock(session: Session, training_id: int) -> int:
    """Takes the training row (PostgreSQL) / the write lock (SQLite) before reading what a write
    depends on; returns the training's JP. LookupError for an unknown training."""
    if not session.execute(update(Training).where(Training.id == training_id).values(code=Training.code)).rowcount:
        session.rollback()
        raise LookupError(training_id)
    return int(session.execute(select(Training.jp).where(Training.id == training_id)).scalar_one() or 0)


def submitted_message() -> str:
    return _("Sudah mengirim survei pelatihan ini, jadi tercatat ikut serta: statusnya hanya dapat Hadir atau Selesai.")


def save_attendance(session: Session, actor_id: int | None, training_id: int, wanted: Mapping[int, str], *, today: date) -> AttendanceResult:
    """Set the status of the enrolments in `wanted` (enrolment id -> status; ids of other trainings, or
    removed meanwhile, are ignored) in one transaction, then keep the survey invitations in step.
    Refuses the whole form, saving nothing, when a status is unknown or someone who submitted the
    survey would no longer have taken part. Raises LookupError for an unknown training."""
    errors = {eid: _("Pilih status kehadiran.") for eid, status in wanted.items() if status not in enrollments.STATUSES}
    jp = _lock(session, training_id)
    current = rows_of(session, training_id, list(wanted))
    changes = [(row, wanted[eid]) for eid, row in current.items() if eid not in errors and wanted[eid] != row.status]
    not_taking_part = [(row, status) for row, status in changes if status not in PARTICIPANT_STATUSES]
    submitted = roster.submitted_people(session, training_id, [row.employee_id for row, _status in not_taking_part])
    for row, _status in not_taking_part:
        if row.employee_id in submitted:
            errors[row.enrollment_id] = submitted_message()
    if errors:
        session.rollback()
        return AttendanceResult(ok=False, errors=errors)
    if not changes:
        session.rollback()
        return AttendanceResult(ok=True)
    enrollments.update_many(
        session,
        [{"id": row.enrollment_id, "status": status, "jp_credited": jp if status in PARTICIPANT_STATUSES else 0} for row, status in changes],
    )
    added, removed = roster.sync_invitations(session, [training_id], today).get(training_id, (0, 0))
    audit(
        session, actor_id, "training.attendance", f"training:{training_id}",
        " ".join(f"{row.enrollment_id}:{row.status}->{status}" for row, status in changes) + f" invitations +{added} -{removed}",
    )
    session.commit()
    return AttendanceResult(ok=True, changed=len(changes), invited=added, withdrawn=removed)


# --------------------------------------------------------------------------- adding people


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search(session: Session, training_id: int, q: str, limit: int = SEARCH_LIMIT) -> tuple[list[Candidate], bool]:
    """Active employees whose NIP or name contains `q` (at least 2 characters), by name, whether each is
    enrolled already; and whether there are more than `limit` (1 query)."""
    q = " ".join(q.split())[:100]
    if len(q) < MIN_SEARCH:
        return [], False
    digits = q.replace(" ", "")
    if digits.isascii() and digits.isdigit():
        match = Employee.nip.like(_like(digits), escape="\\")
    else:
        match = func.lower(Employee.name).like(_like(q.lower()), escape="\\")
    rows = session.execute(
        select(Employee.id, Employee.name, Employee.nip, func.coalesce(Unit.name, "").label("unit"), Enrollment.id.label("enrollment_id"))
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .outerjoin(Enrollment, and_(Enrollment.training_id == training_id, Enrollment.employee_id == Employee.id))
        .where(Employee.is_active.is_(True), match)
        .order_by(Employee.name, Employee.id)
        .limit(limit + 1)
    ).mappings().all()
    found = [Candidate(r["id"], r["name"], r["nip"], r["unit"], r["enrollment_id"] is not None) for r in rows[:limit]]
    return found, len(rows) > limit


def add_people(session: Session, actor_id: int | None, training_id: int, employee_ids: list[int]) -> list[str]:
    """Register those of `employee_ids` who are active and not enrolled yet; the names of those added.
    Raises LookupError for an unknown training."""
    _lock(session, training_id)
    active = list(session.execute(select(Employee.id).where(Employee.id.in_(sorted(set(employee_ids))[:CHUNK]), Employee.is_active.is_(True))).scalars())
    added = enrollments.enrol_missing(session, training_id, active)
    if not added:
        session.rollback()
        return []
    names = list(session.execute(select(Employee.name).where(Employee.id.in_(added)).order_by(Employee.name)).scalars())
    audit(session, actor_id, "training.enrol", f"training:{training_id}", "employees " + ",".join(map(str, added)))
    session.commit()
    return names


def units(session: Session) -> list[tuple[int, str]]:
    return [(r["id"], r["name"]) for r in session.execute(select(Unit.id, Unit.name).order_by(Unit.name, Unit.id).limit(2000)).mappings()]


def _unit_missing(training_id: int, unit_id: int) -> Select:
    """Active employees of the unit (itself, not its sub-units) not enrolled in the training."""
    enrolled = select(Enrollment.id).where(Enrollment.training_id == training_id, Enrollment.employee_id == Employee.id).exists()
    return select(Employee.id).where(Employee.unit_id == unit_id, Employee.is_active.is_(True), ~enrolled)


def unit_preview(session: Session, training_id: int, unit_id: int) -> UnitPreview | None:
    """How many active employees of the unit would be added (1 query); None for an unknown unit."""
    name = session.execute(select(Unit.name).where(Unit.id == unit_id)).scalar_one_or_none()
    if name is None:
        return None
    active = select(func.count()).select_from(Employee).where(Employee.unit_id == unit_id, Employee.is_active.is_(True)).scalar_subquery()
    missing = select(func.count()).select_from(_unit_missing(training_id, unit_id).subquery()).scalar_subquery()
    row = session.execute(select(active.label("active"), missing.label("missing"))).mappings().one()
    return UnitPreview(unit_id, name, int(row["active"]), int(row["missing"]))


def add_unit(session: Session, actor_id: int | None, training_id: int, unit_id: int) -> int:
    """Register every active employee of the unit not enrolled yet; how many. Raises LookupError for an
    unknown training."""
    _lock(session, training_id)
    ids = list(session.execute(_unit_missing(training_id, unit_id)).scalars())
    added = enrollments.enrol_missing(session, training_id, ids)
    if not added:
        session.rollback()
        return 0
    audit(session, actor_id, "training.enrol", f"training:{training_id}", f"unit:{unit_id} employees " + ",".join(map(str, added)))
    session.commit()
    return len(added)


# --------------------------------------------------------------------------- removing someone


def removal(session: Session, training_id: int, enrollment_id: int) -> Removal | None:
    """The enrolment and why it cannot be removed (None when it can); None when it is not one of this
    training's."""
    row = rows_of(session, training_id, [enrollment_id]).get(enrollment_id)
    if row is None:
        return None
    problem = None
    if row.status in PARTICIPANT_STATUSES or row.submitted:
        problem = _(
            "Peserta ini tercatat ikut serta (hadir atau selesai), jadi JP dan surveinya bergantung pada data ini. "
            "Bila tercatat keliru, ubah dulu statusnya menjadi Tidak hadir di daftar peserta."
        )
    elif (used := referenced_elsewhere(session, Enrollment.__table__, [enrollment_id])) is not None:
        problem = _("Data peserta ini sudah dipakai (%(w)s), jadi tidak dapat dihapus.") % {"w": used}
    return Removal(row, problem)


def remove(session: Session, actor_id: int | None, training_id: int, enrollment_id: int, *, today: date) -> str | None:
    """Remove an enrolment of someone who did not take part; None when done, else the reason. Raises
    LookupError for an unknown training or enrolment."""
    _lock(session, training_id)
    found = removal(session, training_id, enrollment_id)
    if found is None:
        session.rollback()
        raise LookupError(enrollment_id)
    if found.problem:
        session.rollback()
        return found.problem
    enrollments.remove_enrollment(session, training_id, found.row.employee_id)
    roster.sync_invitations(session, [training_id], today)
    audit(session, actor_id, "training.unenrol", f"training:{training_id}", f"employee:{found.row.employee_id} was {found.row.status}")
    session.commit()
    return None
