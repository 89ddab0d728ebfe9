"""Writing an assessment: autosave of one competency, the plain form's save of all, and the submit
that locks it (and replaces the person's rows of the gap summary in the same transaction).

Rules: only while the cycle is writable (`Cycle.writable`); only competencies of the subject's
position standard; a level 1-5; a note typed before a level is kept as a draft (an item without a
level, which does not count as answered; the submit asks for the level); a submitted assessment is
locked (Locked, 409).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import bindparam, select, update
from sqlmodel import Session

from portal import scoring
from portal.db import dialect
from portal.i18n import _, format_datetime
from portal.models import Assessment, AssessmentItem, PositionStandard, utcnow
from portal.services import summaries
from portal.services.accounts import audit
from portal.services.akpk import Cycle
from portal.services.assessments._types import Closed, Incomplete, Invalid, Locked, SaveResult, Subject
from portal.services.assessments.forms import assessment_state, progress

NOTE_MAX = 1000

# --------------------------------------------------------------------------- prebuilt statements
#
# The autosave path runs on every click, so its statements are built once (Core tables and bind
# parameters; the ON CONFLICT upserts once per dialect) and executed on the session's connection:
# this avoids rebuilding and re-keying ORM statements per request.

_A = Assessment.__table__
_I = AssessmentItem.__table__
_S = PositionStandard.__table__

_REQUIRED_LEVEL = select(_S.c.required_level).where(
    _S.c.position_id == bindparam("position_id"), _S.c.competency_id == bindparam("competency_id")
)


@lru_cache(maxsize=4)
def _upserts(dialect_name: str):  # noqa: ANN202
    """(assessment upsert, item upsert with note, item upsert keeping the note, note-only item upsert
    keeping the level) for a dialect."""
    insert = dialect.insert(dialect_name)
    a = insert(_A).values(
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
        i = insert(_I)
        set_ = {"level": i.excluded.level, "updated_at": i.excluded.updated_at}
        if with_note:
            set_["note"] = i.excluded.note
        items.append(i.on_conflict_do_update(index_elements=[_I.c.assessment_id, _I.c.competency_id], set_=set_))
    i = insert(_I)
    note_only = i.on_conflict_do_update(
        index_elements=[_I.c.assessment_id, _I.c.competency_id], set_={"note": i.excluded.note, "updated_at": i.excluded.updated_at}
    )
    return a, items[0], items[1], note_only


# --------------------------------------------------------------------------- checks


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


# --------------------------------------------------------------------------- upserts


def _upsert_assessment(session: Session, cycle: Cycle, subject: Subject, role: str, rater_id: int, now: datetime) -> int | None:
    """Create the draft or touch it, in one statement; None when it is already submitted (locked)."""
    stmt = _upserts(dialect.name_of(session))[0]
    params = {"cycle_id": cycle.id, "subject_id": subject.id, "rater_id": rater_id, "role": role, "now": now}
    return session.connection().execute(stmt, params).scalar_one_or_none()


def _upsert_items(session: Session, assessment_id: int, rows: list[dict], now: datetime, with_note: bool) -> None:
    """One INSERT .. ON CONFLICT DO UPDATE for all rows (one row for an autosave)."""
    stmt = _upserts(dialect.name_of(session))[1 if with_note else 2]
    values = [
        {"assessment_id": assessment_id, "competency_id": r["competency_id"], "level": r["level"], "note": r["note"], "updated_at": now}
        for r in rows
    ]
    session.connection().execute(stmt, values if len(values) > 1 else values[0])


def _upsert_notes(session: Session, assessment_id: int, rows: list[dict], now: datetime) -> None:
    """Notes typed before a level: the item is created without a level, or its note alone is changed."""
    stmt = _upserts(dialect.name_of(session))[3]
    values = [
        {"assessment_id": assessment_id, "competency_id": r["competency_id"], "level": None, "note": r["note"], "updated_at": now}
        for r in rows
    ]
    session.connection().execute(stmt, values if len(values) > 1 else values[0])


# --------------------------------------------------------------------------- the writes


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
    A note without a level is kept as a draft (the item's level stays as it was, none at first)."""
    _check_writable(cycle, today)
    level = _parse_level(level_raw)
    note = _parse_note(note_raw) if note_given else None
    if subject.position_id is None or session.connection().execute(
        _REQUIRED_LEVEL, {"position_id": subject.position_id, "competency_id": competency_id}
    ).first() is None:
        raise Invalid(_("Kompetensi ini tidak termasuk standar kompetensi jabatan yang dinilai."), "competency")
    if level is None and not note_given:
        raise Invalid(_("Pilih level 1 sampai 5."), "level")
    now = utcnow()
    assessment_id = _upsert_assessment(session, cycle, subject, role, rater_id, now)
    if assessment_id is None:
        _raise_locked(session, cycle, subject, role)
    assert assessment_id is not None
    row = {"competency_id": competency_id, "level": level, "note": note}
    if level is None:
        _upsert_notes(session, assessment_id, [row], now)
    else:
        _upsert_items(session, assessment_id, [row], now, note_given)
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
    notes: list[dict] = []  # notes of competencies without a level yet
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
        elif note is not None:
            notes.append({"competency_id": cid, "level": None, "note": note})
    for key, raw in form.items():  # notes typed without a level: kept as drafts
        if key.startswith("note-") and key.removeprefix("note-").isdigit():
            cid = int(key.removeprefix("note-"))
            if cid in required and cid not in errors and f"level-{cid}" not in form:
                try:
                    note = _parse_note(raw)
                except Invalid as exc:
                    errors[cid] = exc.message
                    continue
                if note is not None:
                    notes.append({"competency_id": cid, "level": None, "note": note})
    if errors:
        return 0, errors
    if not rows and not notes:
        return 0, {}
    now = utcnow()
    assessment_id = _upsert_assessment(session, cycle, subject, role, rater_id, now)
    if assessment_id is None:
        _raise_locked(session, cycle, subject, role)
    assert assessment_id is not None
    if rows:
        _upsert_items(session, assessment_id, rows, now, True)
    if notes:
        _upsert_notes(session, assessment_id, notes, now)
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
            .where(
                AssessmentItem.assessment_id == state.id,
                AssessmentItem.competency_id == PositionStandard.competency_id,
                AssessmentItem.level.is_not(None),
            )
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

