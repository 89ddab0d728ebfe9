"""AKPK: cycles, self- and supervisor assessments of competencies, results and suggested trainings.

Takes a `sqlmodel.Session`, returns plain dataclasses; never imports the web layer. Every function
runs a fixed, small number of queries (no query per row); the numbers are noted per function.

Who may touch what is decided by the caller's choice of subject: the employee's own routes always
pass the logged-in user as subject (`get_subject`), the supervisor's routes pass a subject obtained
through `get_direct_report` (None, hence 404, for anyone who is not a current direct report).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import and_, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased
from sqlmodel import Session

from portal import scoring
from portal.i18n import _, format_date, format_datetime
from portal.models import (
    Assessment,
    AssessmentCycle,
    AssessmentItem,
    Competency,
    CompetencyLevel,
    Employee,
    Enrollment,
    Position,
    PositionStandard,
    Training,
    TrainingCompetency,
    Unit,
    utcnow,
)
from portal.services import summaries
from portal.services.accounts import audit

ROLES = ("self", "supervisor")
GROUP_ORDER = ("manajerial", "sosial_kultural", "teknis")
NOTE_MAX = 1000
CYCLE_LIST_LIMIT = 50
SUGGESTION_LIMIT = 5
SUGGESTION_LINK_LIMIT = 500


# --------------------------------------------------------------------------- errors


class AssessmentError(Exception):
    """A refused request. `status` is the HTTP status the web layer answers with."""

    status = 422

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(AssessmentError):
    status = 404


class Closed(AssessmentError):
    status = 409


class Locked(AssessmentError):
    status = 409


class Invalid(AssessmentError):
    status = 422


class Incomplete(AssessmentError):
    status = 422

    def __init__(self, message: str, missing: list[int]) -> None:
        super().__init__(message)
        self.missing = missing


# --------------------------------------------------------------------------- plain data


@dataclass(frozen=True)
class Cycle:
    id: int
    name: str
    year: int
    opens_on: date
    closes_on: date
    status: str

    def state(self, today: date) -> str:
        """open | not_yet | ended | closed"""
        if self.status != "open":
            return "closed"
        if today < self.opens_on:
            return "not_yet"
        if today > self.closes_on:
            return "ended"
        return "open"

    def writable(self, today: date) -> bool:
        return self.state(today) == "open"

    def closed_message(self, today: date) -> str:
        state = self.state(today)
        if state == "not_yet":
            return _("Siklus %(name)s baru dibuka pada %(date)s. Formulir belum dapat diisi.") % {
                "name": self.name,
                "date": format_date(self.opens_on),
            }
        if state == "ended":
            return _("Siklus %(name)s sudah berakhir pada %(date)s. Jawaban tidak dapat diubah lagi.") % {
                "name": self.name,
                "date": format_date(self.closes_on),
            }
        if state == "closed":
            return _("Siklus %(name)s sudah ditutup oleh BKPSDM. Jawaban tidak dapat diubah lagi.") % {"name": self.name}
        return ""


@dataclass(frozen=True)
class Subject:
    id: int
    name: str
    nip: str
    position_id: int | None
    position_name: str | None
    position_class: str | None
    unit_name: str | None
    supervisor_id: int | None


@dataclass
class Level:
    level: int
    description: str


@dataclass
class Item:
    competency_id: int
    code: str
    name: str
    group: str
    description: str
    required_level: int
    levels: list[Level] = field(default_factory=list)
    level: int | None = None
    note: str | None = None
    updated_at: datetime | None = None


@dataclass
class Group:
    key: str
    items: list[Item]


@dataclass
class Progress:
    answered: int
    total: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.answered >= self.total

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


@dataclass
class State:
    """The stored assessment of one rater role (or 'not_started')."""

    id: int | None = None
    status: str = "not_started"
    submitted_at: datetime | None = None
    updated_at: datetime | None = None
    rater_id: int | None = None

    @property
    def submitted(self) -> bool:
        return self.status == "submitted"


@dataclass
class Form:
    cycle: Cycle
    subject: Subject
    role: str
    state: State
    groups: list[Group]
    progress: Progress

    @property
    def items(self) -> list[Item]:
        return [item for group in self.groups for item in group.items]


@dataclass
class SaveResult:
    competency_id: int
    level: int | None
    note: str | None
    saved_at: datetime
    progress: Progress


# --------------------------------------------------------------------------- prebuilt statements
#
# The autosave path runs on every click, so its statements are built once (Core tables and bind
# parameters; the ON CONFLICT upserts once per dialect) and executed on the session's connection:
# this avoids rebuilding and re-keying ORM statements per request.

_A = Assessment.__table__
_I = AssessmentItem.__table__
_C = AssessmentCycle.__table__
_E = Employee.__table__
_P = Position.__table__
_U = Unit.__table__
_S = PositionStandard.__table__


def _insert(session: Session, model):
    """INSERT with ON CONFLICT support for the session's backend (SQLite or PostgreSQL)."""
    return _dialect_insert(session.get_bind().dialect.name, model)


def _dialect_insert(name: str, model):
    if name == "postgresql":
        return postgresql.insert(model)
    if name == "sqlite":
        return sqlite.insert(model)
    raise RuntimeError(f"unsupported database backend: {name}")


@lru_cache(maxsize=4)
def _upserts(dialect: str):
    """(assessment upsert, item upsert with note, item upsert keeping the note) for a dialect."""
    a = _dialect_insert(dialect, _A).values(
        cycle_id=bindparam("cycle_id"),
        subject_id=bindparam("subject_id"),
        rater_id=bindparam("rater_id"),
        rater_role=bindparam("role"),
        status="draft",
        updated_at=bindparam("now"),
        version=1,
    )
    a = a.on_conflict_do_update(
        index_elements=[_A.c.cycle_id, _A.c.subject_id, _A.c.rater_role],
        set_={"updated_at": a.excluded.updated_at, "rater_id": a.excluded.rater_id, "version": _A.c.version + 1},
        where=_A.c.status == "draft",
    ).returning(_A.c.id)
    items = []
    for with_note in (True, False):
        i = _dialect_insert(dialect, _I)
        set_ = {"level": i.excluded.level, "updated_at": i.excluded.updated_at}
        if with_note:
            set_["note"] = i.excluded.note
        items.append(i.on_conflict_do_update(index_elements=[_I.c.assessment_id, _I.c.competency_id], set_=set_))
    return a, items[0], items[1]


_CYCLE_BY_ID = select(_C.c.id, _C.c.name, _C.c.year, _C.c.opens_on, _C.c.closes_on, _C.c.status).where(
    _C.c.id == bindparam("cycle_id")
)
_SUBJECT = (
    select(
        _E.c.id, _E.c.name, _E.c.nip, _E.c.position_id, _P.c.name, _P.c.position_class, _U.c.name, _E.c.supervisor_id
    )
    .select_from(_E.outerjoin(_P, _P.c.id == _E.c.position_id).outerjoin(_U, _U.c.id == _E.c.unit_id))
    .where(_E.c.is_active.is_(True), _E.c.id == bindparam("subject_id"))
)
_DIRECT_REPORT = _SUBJECT.where(_E.c.supervisor_id == bindparam("supervisor_id"))
_REQUIRED_LEVEL = select(_S.c.required_level).where(
    _S.c.position_id == bindparam("position_id"), _S.c.competency_id == bindparam("competency_id")
)
_PROGRESS = (
    select(func.count(_S.c.id), func.count(_I.c.id))
    .select_from(
        _S.outerjoin(_I, and_(_I.c.competency_id == _S.c.competency_id, _I.c.assessment_id == bindparam("assessment_id")))
    )
    .where(_S.c.position_id == bindparam("position_id"))
)


# --------------------------------------------------------------------------- cycles

_CYCLE_COLUMNS = (
    AssessmentCycle.id,
    AssessmentCycle.name,
    AssessmentCycle.year,
    AssessmentCycle.opens_on,
    AssessmentCycle.closes_on,
    AssessmentCycle.status,
)


def _cycle(row) -> Cycle:
    return Cycle(*row)


def get_cycle(session: Session, cycle_id: int) -> Cycle | None:
    """1 query."""
    row = session.connection().execute(_CYCLE_BY_ID, {"cycle_id": cycle_id}).first()
    return _cycle(row) if row else None


def default_cycle(session: Session, today: date) -> Cycle | None:
    """The cycle an employee lands on: the open one whose window contains today, else the latest
    open one, else the most recent one. 1 query."""
    in_window = (AssessmentCycle.status == "open") & (AssessmentCycle.opens_on <= today) & (AssessmentCycle.closes_on >= today)
    row = session.execute(
        select(*_CYCLE_COLUMNS)
        .order_by(in_window.desc(), (AssessmentCycle.status == "open").desc(), AssessmentCycle.opens_on.desc(), AssessmentCycle.id.desc())
        .limit(1)
    ).first()
    return _cycle(row) if row else None


def list_cycles(session: Session, limit: int = CYCLE_LIST_LIMIT) -> list[Cycle]:
    """The most recent cycles first. 1 query."""
    rows = session.execute(
        select(*_CYCLE_COLUMNS).order_by(AssessmentCycle.opens_on.desc(), AssessmentCycle.id.desc()).limit(limit)
    ).all()
    return [_cycle(r) for r in rows]


# --------------------------------------------------------------------------- subjects

def get_subject(session: Session, employee_id: int) -> Subject | None:
    """1 query."""
    row = session.connection().execute(_SUBJECT, {"subject_id": employee_id}).first()
    return Subject(*row) if row else None


def get_direct_report(session: Session, supervisor_id: int, subject_id: int) -> Subject | None:
    """The subject only when they are an active, current direct report of the supervisor. 1 query."""
    row = session.connection().execute(_DIRECT_REPORT, {"subject_id": subject_id, "supervisor_id": supervisor_id}).first()
    return Subject(*row) if row else None


# --------------------------------------------------------------------------- reading a form


def _standard(session: Session, position_id: int | None) -> list[Item]:
    """Competencies required by the position with their level descriptions. 2 queries."""
    if position_id is None:
        return []
    rows = session.execute(
        select(
            Competency.id,
            Competency.code,
            Competency.name,
            Competency.group_name,
            Competency.description,
            PositionStandard.required_level,
        )
        .join(PositionStandard, PositionStandard.competency_id == Competency.id)
        .where(PositionStandard.position_id == position_id)
    ).all()
    items = [Item(*row) for row in rows]
    items.sort(key=lambda i: (GROUP_ORDER.index(i.group) if i.group in GROUP_ORDER else 9, i.code))
    by_id = {i.competency_id: i for i in items}
    if by_id:
        level_rows = session.execute(
            select(CompetencyLevel.competency_id, CompetencyLevel.level, CompetencyLevel.description)
            .join(PositionStandard, PositionStandard.competency_id == CompetencyLevel.competency_id)
            .where(PositionStandard.position_id == position_id)
            .order_by(CompetencyLevel.competency_id, CompetencyLevel.level)
        ).all()
        for cid, level, description in level_rows:
            by_id[cid].levels.append(Level(level, description))
    for item in items:  # a dictionary without descriptions still offers levels 1-5
        if not item.levels:
            item.levels = [Level(n, "") for n in range(scoring.LEVEL_MIN, scoring.LEVEL_MAX + 1)]
    return items


def _group(items: list[Item]) -> list[Group]:
    groups: list[Group] = []
    for item in items:
        if not groups or groups[-1].key != item.group:
            groups.append(Group(item.group, []))
        groups[-1].items.append(item)
    return groups


def assessment_state(session: Session, cycle_id: int, subject_id: int, role: str) -> State:
    row = session.execute(
        select(Assessment.id, Assessment.status, Assessment.submitted_at, Assessment.updated_at, Assessment.rater_id).where(
            Assessment.cycle_id == cycle_id, Assessment.subject_id == subject_id, Assessment.rater_role == role
        )
    ).first()
    return State(*row) if row else State()


def load_form(session: Session, cycle: Cycle, subject: Subject, role: str) -> Form:
    """The form of one rater role for one subject in one cycle. 4 queries."""
    items = _standard(session, subject.position_id)
    state = assessment_state(session, cycle.id, subject.id, role)
    answered = 0
    if state.id is not None:
        by_id = {i.competency_id: i for i in items}
        for cid, level, note, updated_at in session.execute(
            select(AssessmentItem.competency_id, AssessmentItem.level, AssessmentItem.note, AssessmentItem.updated_at).where(
                AssessmentItem.assessment_id == state.id
            )
        ):
            item = by_id.get(cid)
            if item is not None:
                item.level, item.note, item.updated_at = level, note, updated_at
                answered += 1
    return Form(cycle, subject, role, state, _group(items), Progress(answered, len(items)))


# --------------------------------------------------------------------------- writing


def _parse_level(raw: object) -> int | None:
    """'' or None -> None (no choice); otherwise an int 1-5, else Invalid."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    try:
        level = int(str(raw).strip())
    except ValueError:
        level = 0
    if not scoring.valid_level(level):
        raise Invalid(_("Pilih level 1 sampai 5."), "level")
    return level


def _parse_note(raw: object) -> str | None:
    if raw is None:
        return None
    note = str(raw).strip()
    if len(note) > NOTE_MAX:
        raise Invalid(_("Catatan paling banyak %(n)s karakter.") % {"n": "1.000"}, "note")
    return note or None


def _check_writable(cycle: Cycle, today: date) -> None:
    if not cycle.writable(today):
        raise Closed(cycle.closed_message(today))


def locked_message(state_submitted_at: datetime | None, role: str) -> str:
    when = format_datetime(state_submitted_at) if state_submitted_at else ""
    if role == "supervisor":
        return _("Penilaian atasan ini sudah dikirim%(when)s dan terkunci. Perubahan tidak disimpan.") % {
            "when": f" ({when})" if when else ""
        }
    return _("Penilaian ini sudah dikirim%(when)s dan terkunci. Perubahan tidak disimpan.") % {"when": f" ({when})" if when else ""}


def _raise_locked(session: Session, cycle: Cycle, subject: Subject, role: str) -> None:
    session.rollback()
    state = assessment_state(session, cycle.id, subject.id, role)
    raise Locked(locked_message(state.submitted_at, role))


def _upsert_assessment(session: Session, cycle: Cycle, subject: Subject, role: str, rater_id: int, now: datetime) -> int | None:
    """Create the draft or touch it, in one statement; None when it is already submitted (locked)."""
    stmt = _upserts(session.get_bind().dialect.name)[0]
    params = {"cycle_id": cycle.id, "subject_id": subject.id, "rater_id": rater_id, "role": role, "now": now}
    return session.connection().execute(stmt, params).scalar_one_or_none()


def _upsert_items(session: Session, assessment_id: int, rows: list[dict], now: datetime, with_note: bool) -> None:
    """One INSERT .. ON CONFLICT DO UPDATE for all rows (one row for an autosave)."""
    stmt = _upserts(session.get_bind().dialect.name)[1 if with_note else 2]
    values = [
        {"assessment_id": assessment_id, "competency_id": r["competency_id"], "level": r["level"], "note": r["note"], "updated_at": now}
        for r in rows
    ]
    session.connection().execute(stmt, values if len(values) > 1 else values[0])


def progress(session: Session, assessment_id: int | None, position_id: int | None) -> Progress:
    """Answered / required for an assessment. 1 query."""
    if position_id is None:
        return Progress(0, 0)
    total, answered = session.connection().execute(_PROGRESS, {"assessment_id": assessment_id, "position_id": position_id}).one()
    return Progress(int(answered), int(total))


def autosave(
    session: Session,
    cycle: Cycle,
    subject: Subject,
    role: str,
    rater_id: int,
    competency_id: int,
    level_raw: object,
    note_raw: object,
    today: date,
    *,
    note_given: bool = True,
) -> SaveResult:
    """Save one competency's level (and note): one assessment row and one item row upserted.

    Queries: 1 (is the competency in the standard) + 2 upserts + commit + 1 (progress).
    A note without a level is not stored (an item needs a level); the caller says so."""
    _check_writable(cycle, today)
    level = _parse_level(level_raw)
    note = _parse_note(note_raw) if note_given else None
    if subject.position_id is None or session.connection().execute(
        _REQUIRED_LEVEL, {"position_id": subject.position_id, "competency_id": competency_id}
    ).first() is None:
        raise Invalid(_("Kompetensi ini tidak termasuk standar kompetensi jabatan yang dinilai."), "competency")
    if level is None:
        raise Invalid(_("Pilih level terlebih dahulu; catatan akan tersimpan bersama levelnya."), "level")
    now = utcnow()
    assessment_id = _upsert_assessment(session, cycle, subject, role, rater_id, now)
    if assessment_id is None:
        _raise_locked(session, cycle, subject, role)
    assert assessment_id is not None
    _upsert_items(session, assessment_id, [{"competency_id": competency_id, "level": level, "note": note}], now, note_given)
    session.commit()
    return SaveResult(competency_id, level, note, now, progress(session, assessment_id, subject.position_id))


def save_many(
    session: Session,
    cycle: Cycle,
    subject: Subject,
    role: str,
    rater_id: int,
    form: dict[str, str],
    today: date,
) -> tuple[int, dict[int, str]]:
    """The plain (no-JavaScript) form: every `level-<id>` / `note-<id>` at once, in one transaction.

    Returns (number of items saved, {competency_id: error message}); nothing is saved when there is
    an error. Queries: 1 (standard) + 2 upserts + commit."""
    _check_writable(cycle, today)
    required = {
        cid
        for (cid,) in session.execute(
            select(PositionStandard.competency_id).where(PositionStandard.position_id == subject.position_id)
        )
    } if subject.position_id is not None else set()
    rows: list[dict] = []
    errors: dict[int, str] = {}
    for key, raw in form.items():
        if not key.startswith("level-"):
            continue
        try:
            cid = int(key.removeprefix("level-"))
        except ValueError:
            continue
        if cid not in required:
            errors[cid] = _("Kompetensi ini tidak termasuk standar kompetensi jabatan yang dinilai.")
            continue
        try:
            level = _parse_level(raw)
            note = _parse_note(form.get(f"note-{cid}"))
        except Invalid as exc:
            errors[cid] = exc.message
            continue
        if level is not None:
            rows.append({"competency_id": cid, "level": level, "note": note})
    for key, raw in form.items():  # notes typed without a level
        if key.startswith("note-") and key.removeprefix("note-").isdigit():
            cid = int(key.removeprefix("note-"))
            if cid in required and cid not in errors and (raw or "").strip() and f"level-{cid}" not in form:
                errors[cid] = _("Pilih level untuk kompetensi ini; catatan hanya tersimpan bersama levelnya.")
    if errors:
        return 0, errors
    if not rows:
        return 0, {}
    now = utcnow()
    assessment_id = _upsert_assessment(session, cycle, subject, role, rater_id, now)
    if assessment_id is None:
        _raise_locked(session, cycle, subject, role)
    assert assessment_id is not None
    _upsert_items(session, assessment_id, rows, now, True)
    session.commit()
    return len(rows), {}


def submit(session: Session, cycle: Cycle, subject: Subject, role: str, rater_id: int, today: date) -> datetime:
    """Lock a complete assessment. The completeness check and the status change are one UPDATE,
    so a concurrent change cannot slip between them; the person's rows of the gap summary are
    replaced in the same transaction. Queries: 1-3, plus 2-3 for the summary."""
    _check_writable(cycle, today)
    state = assessment_state(session, cycle.id, subject.id, role)
    if state.submitted:
        raise Locked(locked_message(state.submitted_at, role))
    if state.id is None or subject.position_id is None:
        missing = [
            cid
            for (cid,) in session.execute(
                select(PositionStandard.competency_id).where(PositionStandard.position_id == subject.position_id)
            )
        ] if subject.position_id is not None else []
        raise Incomplete(_("Penilaian belum lengkap."), missing)
    now = utcnow()
    unanswered = (
        select(PositionStandard.competency_id)
        .where(
            PositionStandard.position_id == subject.position_id,
            ~select(AssessmentItem.id)
            .where(AssessmentItem.assessment_id == state.id, AssessmentItem.competency_id == PositionStandard.competency_id)
            .exists(),
        )
    )
    has_standard = select(PositionStandard.id).where(PositionStandard.position_id == subject.position_id).exists()
    result = session.execute(
        update(Assessment)
        .where(Assessment.id == state.id, Assessment.status == "draft", ~unanswered.exists(), has_standard)
        .values(status="submitted", submitted_at=now, updated_at=now, rater_id=rater_id, version=Assessment.version + 1)
    )
    if result.rowcount == 1:
        audit(session, rater_id, "akpk_submit", f"assessment:{state.id}", f"cycle={cycle.id} subject={subject.id} role={role}")
        summaries.gaps.apply(session.connection(), summaries.gaps.Assessed(cycle.id, subject.id))
    if result.rowcount != 1:
        session.rollback()
        state = assessment_state(session, cycle.id, subject.id, role)
        if state.submitted:
            raise Locked(locked_message(state.submitted_at, role))
        missing = [cid for (cid,) in session.execute(unanswered)]
        raise Incomplete(_("Penilaian belum lengkap."), missing)
    session.commit()
    return now


# --------------------------------------------------------------------------- results


@dataclass
class ResultRow:
    competency_id: int
    code: str
    name: str
    group: str
    required_level: int
    self_level: int | None
    supervisor_level: int | None
    final_level: int | None
    gap: int | None
    needs_discussion: bool
    self_note: str | None = None
    supervisor_note: str | None = None


@dataclass
class Suggestion:
    training_id: int
    title: str
    provider: str
    mode: str
    starts_on: date
    ends_on: date
    jp: int
    covers: list[str]
    score: int
    upcoming: bool
    attended: bool


@dataclass
class Result:
    cycle: Cycle
    subject: Subject
    self_state: State
    supervisor_state: State
    show_self: bool
    show_supervisor: bool
    rows: list[ResultRow]
    suggestions: list[Suggestion]

    @property
    def flagged(self) -> list[ResultRow]:
        return [r for r in self.rows if r.needs_discussion]

    @property
    def below_standard(self) -> list[ResultRow]:
        return [r for r in self.rows if r.gap is not None and r.gap > 0]


def result(session: Session, cycle: Cycle, subject: Subject, viewer_role: str, today: date) -> Result:
    """The gap result for one subject in one cycle, as seen by the subject (`self`) or the
    supervisor. What each may see:
      - self: own levels; the supervisor's once the supervisor has submitted;
      - supervisor: own levels; the subject's self levels (and notes) only once BOTH are submitted.
    Queries: 2 (standard) + 1 (both assessments with items) + 1 (suggestions)."""
    items = _standard(session, subject.position_id)
    self_state, sup_state = State(), State()
    levels: dict[tuple[str, int], tuple[int, str | None]] = {}
    rows = session.execute(
        select(
            Assessment.rater_role,
            Assessment.id,
            Assessment.status,
            Assessment.submitted_at,
            Assessment.updated_at,
            Assessment.rater_id,
            AssessmentItem.competency_id,
            AssessmentItem.level,
            AssessmentItem.note,
        )
        .outerjoin(AssessmentItem, AssessmentItem.assessment_id == Assessment.id)
        .where(Assessment.cycle_id == cycle.id, Assessment.subject_id == subject.id)
    ).all()
    for role, aid, status, submitted_at, updated_at, rater_id, cid, level, note in rows:
        st = State(aid, status, submitted_at, updated_at, rater_id)
        if role == "self":
            self_state = st
        else:
            sup_state = st
        if cid is not None:
            levels[(role, cid)] = (level, note)
    both = self_state.submitted and sup_state.submitted
    if viewer_role == "self":
        show_self, show_sup = self_state.submitted, sup_state.submitted
    else:
        show_self, show_sup = both, sup_state.submitted
    out: list[ResultRow] = []
    for item in items:
        s_level, s_note = levels.get(("self", item.competency_id), (None, None)) if show_self else (None, None)
        u_level, u_note = levels.get(("supervisor", item.competency_id), (None, None)) if show_sup else (None, None)
        final = scoring.final_level(s_level, u_level, supervisor_submitted=show_sup)
        out.append(
            ResultRow(
                item.competency_id,
                item.code,
                item.name,
                item.group,
                item.required_level,
                s_level,
                u_level,
                final,
                scoring.gap(item.required_level, final),
                scoring.needs_discussion(s_level, u_level) if (show_self and show_sup) else False,
                s_note,
                u_note,
            )
        )
    gaps = {r.competency_id: r.gap for r in out if r.gap is not None and r.gap > 0}
    names = {r.competency_id: r.name for r in out}
    suggestions = suggest_trainings(session, subject.id, gaps, names, today)
    return Result(cycle, subject, self_state, sup_state, show_self, show_sup, out, suggestions)


def rank_trainings(
    gaps: dict[int, int], links: dict[int, set[int]], limit: int = SUGGESTION_LIMIT
) -> list[tuple[int, int, list[int]]]:
    """Pure ranking: each training scores the sum of the positive gaps it covers.

    `links` maps training id -> competency ids. Returns [(training_id, score, covered ids by gap
    desc)], highest score first; ties broken by more competencies covered, then training id."""
    ranked = []
    for tid, cids in links.items():
        covered = sorted((c for c in cids if gaps.get(c, 0) > 0), key=lambda c: (-gaps[c], c))
        score = sum(gaps[c] for c in covered)
        if score > 0:
            ranked.append((tid, score, covered))
    ranked.sort(key=lambda t: (-t[1], -len(t[2]), t[0]))
    return ranked[:limit]


def suggest_trainings(
    session: Session, subject_id: int, gaps: dict[int, int], names: dict[int, str], today: date, limit: int = SUGGESTION_LIMIT
) -> list[Suggestion]:
    """Trainings whose target competencies cover the largest gaps. 1 query (bounded to the
    SUGGESTION_LINK_LIMIT most recent links)."""
    if not gaps:
        return []
    enrolled = aliased(Enrollment)
    rows = session.execute(
        select(
            Training.id,
            Training.title,
            Training.provider,
            Training.mode,
            Training.starts_on,
            Training.ends_on,
            Training.jp,
            TrainingCompetency.competency_id,
            enrolled.status,
        )
        .join(TrainingCompetency, TrainingCompetency.training_id == Training.id)
        .outerjoin(enrolled, and_(enrolled.training_id == Training.id, enrolled.employee_id == subject_id))
        .where(TrainingCompetency.competency_id.in_(list(gaps)))
        .order_by(Training.starts_on.desc())
        .limit(SUGGESTION_LINK_LIMIT)
    ).all()
    info: dict[int, tuple] = {}
    links: dict[int, set[int]] = {}
    for tid, title, provider, mode, starts_on, ends_on, jp, cid, status in rows:
        info[tid] = (title, provider, mode, starts_on, ends_on, jp, status in ("attended", "completed"))
        links.setdefault(tid, set()).add(cid)
    ranked = rank_trainings(gaps, links, limit=len(links))
    # among equal scores, trainings still to come are more useful than past ones
    ranked.sort(key=lambda t: (-t[1], -len(t[2]), info[t[0]][4] < today, t[0]))
    out = []
    for tid, score, covered in ranked[:limit]:
        title, provider, mode, starts_on, ends_on, jp, attended = info[tid]
        out.append(
            Suggestion(tid, title, provider, mode, starts_on, ends_on, jp, [names[c] for c in covered], score, ends_on >= today, attended)
        )
    return out


# --------------------------------------------------------------------------- supervisor's team


@dataclass
class TeamRow:
    id: int
    name: str
    nip: str
    position: str | None
    self_status: str
    supervisor_status: str
    supervisor_answered: int
    total: int


def team(session: Session, supervisor_id: int, cycle_id: int | None) -> list[TeamRow]:
    """Current direct reports with the status of both assessments. 1 query."""
    self_a = aliased(Assessment)
    sup_a = aliased(Assessment)
    answered = (
        select(func.count(AssessmentItem.id)).where(AssessmentItem.assessment_id == sup_a.id).correlate(sup_a).scalar_subquery()
    )
    total = (
        select(func.count(PositionStandard.id))
        .where(PositionStandard.position_id == Employee.position_id)
        .correlate(Employee)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Employee.id,
            Employee.name,
            Employee.nip,
            Position.name,
            self_a.status,
            sup_a.status,
            answered,
            total,
        )
        .outerjoin(Position, Position.id == Employee.position_id)
        .outerjoin(self_a, and_(self_a.subject_id == Employee.id, self_a.cycle_id == cycle_id, self_a.rater_role == "self"))
        .outerjoin(sup_a, and_(sup_a.subject_id == Employee.id, sup_a.cycle_id == cycle_id, sup_a.rater_role == "supervisor"))
        .where(Employee.supervisor_id == supervisor_id, Employee.is_active.is_(True))
        .order_by(Employee.name)
    ).all()
    return [
        TeamRow(r[0], r[1], r[2], r[3], r[4] or "not_started", r[5] or "not_started", int(r[6] or 0), int(r[7] or 0))
        for r in rows
    ]


# --------------------------------------------------------------------------- cycles (HR)


@dataclass
class CycleRow:
    cycle: Cycle
    self_submitted: int = 0
    self_draft: int = 0
    supervisor_submitted: int = 0


def cycles_overview(session: Session, limit: int = CYCLE_LIST_LIMIT) -> tuple[list[CycleRow], int]:
    """Recent cycles with submission counts, and the number of active employees with a standard.
    3 queries."""
    cycles = list_cycles(session, limit)
    rows = {c.id: CycleRow(c) for c in cycles}
    if rows:
        for cycle_id, role, status, n in session.execute(
            select(Assessment.cycle_id, Assessment.rater_role, Assessment.status, func.count(Assessment.id))
            .where(Assessment.cycle_id.in_(list(rows)))
            .group_by(Assessment.cycle_id, Assessment.rater_role, Assessment.status)
        ):
            row = rows[cycle_id]
            if role == "self" and status == "submitted":
                row.self_submitted = n
            elif role == "self":
                row.self_draft = n
            elif status == "submitted":
                row.supervisor_submitted = n
    employees = session.execute(
        select(func.count(Employee.id)).where(
            Employee.is_active.is_(True),
            select(PositionStandard.id).where(PositionStandard.position_id == Employee.position_id).exists(),
        )
    ).scalar_one()
    return [rows[c.id] for c in cycles], int(employees)


def validate_cycle(session: Session, data: dict[str, str], cycle_id: int | None = None) -> tuple[dict, dict[str, str]]:
    """Parse and check the cycle form. Returns (values, errors by field)."""
    errors: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = _("Masukkan nama siklus, misalnya AKPK 2026.")
    elif len(name) > 200:
        errors["name"] = _("Nama siklus paling banyak 200 karakter.")
    year: int | None = None
    try:
        year = int((data.get("year") or "").strip())
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        errors["year"] = _("Masukkan tahun dengan 4 angka, misalnya 2026.")
        year = None
    dates: dict[str, date | None] = {}
    for key, label in (("opens_on", _("tanggal buka")), ("closes_on", _("tanggal tutup"))):
        raw = (data.get(key) or "").strip()
        try:
            dates[key] = date.fromisoformat(raw)
        except ValueError:
            dates[key] = None
            errors[key] = _("Masukkan %(label)s yang benar.") % {"label": label}
    if dates.get("opens_on") and dates.get("closes_on") and dates["closes_on"] < dates["opens_on"]:
        errors["closes_on"] = _("Tanggal tutup harus sama dengan atau sesudah tanggal buka.")
    values = {"name": name, "year": year, "opens_on": dates.get("opens_on"), "closes_on": dates.get("closes_on")}
    return values, errors


def _open_cycle_of_year(session: Session, year: int, exclude_id: int | None = None) -> Cycle | None:
    stmt = select(*_CYCLE_COLUMNS).where(AssessmentCycle.year == year, AssessmentCycle.status == "open")
    if exclude_id is not None:
        stmt = stmt.where(AssessmentCycle.id != exclude_id)
    row = session.execute(stmt.limit(1)).first()
    return _cycle(row) if row else None


def create_cycle(session: Session, values: dict) -> Cycle:
    """Open a new cycle. Only one cycle per year may be open (Invalid otherwise)."""
    other = _open_cycle_of_year(session, values["year"])
    if other is not None:
        raise Invalid(
            _("Siklus %(name)s untuk tahun %(year)s masih terbuka. Tutup dulu siklus itu.") % {"name": other.name, "year": values["year"]},
            "year",
        )
    cycle = AssessmentCycle(
        name=values["name"], year=values["year"], opens_on=values["opens_on"], closes_on=values["closes_on"], status="open"
    )
    session.add(cycle)
    session.flush()
    assert cycle.id is not None
    return Cycle(cycle.id, cycle.name, cycle.year, cycle.opens_on, cycle.closes_on, cycle.status)


def update_cycle(session: Session, cycle: Cycle, values: dict) -> None:
    if cycle.status == "open":
        other = _open_cycle_of_year(session, values["year"], exclude_id=cycle.id)
        if other is not None:
            raise Invalid(
                _("Siklus %(name)s untuk tahun %(year)s masih terbuka. Hanya satu siklus per tahun yang boleh terbuka.")
                % {"name": other.name, "year": values["year"]},
                "year",
            )
    session.execute(
        update(AssessmentCycle)
        .where(AssessmentCycle.id == cycle.id)
        .values(name=values["name"], year=values["year"], opens_on=values["opens_on"], closes_on=values["closes_on"])
    )


def set_cycle_status(session: Session, cycle: Cycle, status: str) -> None:
    if status not in ("open", "closed"):
        raise Invalid(_("Status siklus tidak dikenal."), "status")
    if status == "open":
        other = _open_cycle_of_year(session, cycle.year, exclude_id=cycle.id)
        if other is not None:
            raise Invalid(
                _("Siklus %(name)s untuk tahun %(year)s masih terbuka. Hanya satu siklus per tahun yang boleh terbuka.")
                % {"name": other.name, "year": cycle.year},
                "status",
            )
    session.execute(update(AssessmentCycle).where(AssessmentCycle.id == cycle.id).values(status=status))
