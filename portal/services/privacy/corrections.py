"""Requests to correct one's data (UU PDP 27/2022, the right to rectification): an employee sends one from
Data Saya (what is wrong, what it should be); it reaches HR as a task (Beranda, /data-master/koreksi) until
an HR officer marks it done with a note, which the employee then reads on Data Saya.

HR makes the correction itself where the data lives (Data Master, the cycle, the training roster): the
request is the task and its record, not an edit. Both steps are audited with the person as the subject,
without the texts (they stay in this table only, which the retention job empties some time after done)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session

from portal.i18n import _
from portal.models import (
    CORRECTION_SECTIONS,
    CORRECTION_STATUSES,
    CorrectionRequest,
    Employee,
    Unit,
    utcnow,
)
from portal.services.accounts import audit
from portal.services.privacy._types import person_target

TEXT_MAX = 1000
NOTE_MIN = 3
OPEN_LIMIT = 10  # open requests one person may have at a time
PER_PAGE = 30


@dataclass
class CorrectionForm:
    section: str = ""
    wrong: str = ""
    correct: str = ""


@dataclass
class Outcome:
    ok: bool
    form: CorrectionForm = field(default_factory=CorrectionForm)
    errors: dict[str, str] = field(default_factory=dict)
    status: int = 200
    request_id: int | None = None


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if isinstance(value, list):
        value = value[0] if value else ""
    return ("" if value is None else str(value)).replace("\r\n", "\n").strip()


def read_form(data: dict[str, Any]) -> tuple[CorrectionForm, dict[str, str]]:
    """The form as typed and a message per field at fault (keys: bagian, salah, seharusnya)."""
    form = CorrectionForm(_text(data, "bagian"), _text(data, "salah"), _text(data, "seharusnya"))
    errors: dict[str, str] = {}
    if form.section not in CORRECTION_SECTIONS:
        errors["bagian"] = _("Pilih bagian data yang salah.")
    for name, value, empty in (
        ("salah", form.wrong, _("Tulis data yang salah.")),
        ("seharusnya", form.correct, _("Tulis data yang benar menurut Anda.")),
    ):
        if not value:
            errors[name] = empty
        elif len(value) > TEXT_MAX:
            errors[name] = _("Paling banyak %(n)s karakter (sekarang %(m)s).") % {"n": f"{TEXT_MAX:,}".replace(",", "."), "m": len(value)}
    return form, errors


def create(session: Session, employee_id: int, data: dict[str, Any], now: datetime | None = None) -> Outcome:
    """Store a request of the employee (422 with the messages, or 409 with too many still open). Commits."""
    form, errors = read_form(data)
    if errors:
        return Outcome(False, form, errors, 422)
    still_open = session.execute(
        select(func.count()).select_from(CorrectionRequest).where(CorrectionRequest.employee_id == employee_id, CorrectionRequest.status == "open")
    ).scalar_one()
    if still_open >= OPEN_LIMIT:
        message = _("Anda masih punya %(n)s permintaan yang belum diselesaikan BKPSDM. Tunggu sampai ada yang selesai.") % {"n": still_open}
        return Outcome(False, form, {"salah": message}, 409)
    request = CorrectionRequest(
        employee_id=employee_id, section=form.section, wrong=form.wrong, correct=form.correct, created_at=now or utcnow()
    )
    session.add(request)
    session.flush()
    audit(session, employee_id, "correction.create", person_target(employee_id), f"correction:{request.id} section={form.section}")
    session.commit()
    return Outcome(True, form, request_id=request.id)


def open_count(session: Session) -> int:
    """How many requests wait for HR (Beranda's task). One query on (status, created_at)."""
    return int(session.execute(select(func.count()).select_from(CorrectionRequest).where(CorrectionRequest.status == "open")).scalar_one())


@dataclass(frozen=True)
class RequestRow:
    id: int
    employee_id: int
    name: str
    nip: str
    unit: str | None
    section: str
    wrong: str
    correct: str
    status: str
    created_at: datetime
    handled_at: datetime | None
    handler: str | None
    note: str


@dataclass
class RequestList:
    status: str
    rows: list[RequestRow]
    page: int
    has_next: bool
    counts: dict[str, int]


def list_requests(session: Session, status: str, page: int = 1) -> RequestList:
    """HR's list: open ones oldest first (a queue), done ones newest first. Queries: 2."""
    status = status if status in CORRECTION_STATUSES else "open"
    handler = aliased(Employee)
    order = (CorrectionRequest.created_at, CorrectionRequest.id) if status == "open" else (CorrectionRequest.handled_at.desc(), CorrectionRequest.id.desc())
    rows = session.execute(
        select(
            CorrectionRequest.id, CorrectionRequest.employee_id, Employee.name, Employee.nip, Unit.name.label("unit"),
            CorrectionRequest.section, CorrectionRequest.wrong, CorrectionRequest.correct, CorrectionRequest.status,
            CorrectionRequest.created_at, CorrectionRequest.handled_at, handler.name.label("handler"), CorrectionRequest.note,
        )
        .join(Employee, Employee.id == CorrectionRequest.employee_id)
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .outerjoin(handler, handler.id == CorrectionRequest.handled_by)
        .where(CorrectionRequest.status == status)
        .order_by(*order)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE + 1)
    ).all()
    counts = dict.fromkeys(CORRECTION_STATUSES, 0)
    for st, n in session.execute(select(CorrectionRequest.status, func.count()).group_by(CorrectionRequest.status)):
        counts[st] = int(n)
    return RequestList(status, [RequestRow(**r._asdict()) for r in rows[:PER_PAGE]], page, len(rows) > PER_PAGE, counts)


def close(session: Session, request_id: int, actor_id: int, note: str, now: datetime | None = None) -> Outcome:
    """HR marks a request done with a note for the employee: 404 unknown, 422 without a note, 409 when
    it was already done (by someone else a moment ago). The update is conditional. Commits."""
    note = (note or "").replace("\r\n", "\n").strip()
    employee_id = session.execute(select(CorrectionRequest.employee_id).where(CorrectionRequest.id == request_id)).scalar_one_or_none()
    if employee_id is None:
        return Outcome(False, status=404)
    if len(note) < NOTE_MIN:
        return Outcome(False, errors={"catatan": _("Tulis apa yang sudah dikoreksi (untuk pegawai).")}, status=422, request_id=request_id)
    if len(note) > TEXT_MAX:
        return Outcome(False, errors={"catatan": _("Paling banyak %(n)s karakter.") % {"n": f"{TEXT_MAX:,}".replace(",", ".")}}, status=422,
                       request_id=request_id)
    done = session.execute(
        update(CorrectionRequest)
        .where(CorrectionRequest.id == request_id, CorrectionRequest.status == "open")
        .values(status="done", handled_by=actor_id, handled_at=now or utcnow(), note=note)
    ).rowcount
    if not done:
        session.rollback()
        return Outcome(False, errors={"catatan": _("Permintaan ini sudah diselesaikan.")}, status=409, request_id=request_id)
    audit(session, actor_id, "correction.done", person_target(employee_id), f"correction:{request_id}")
    session.commit()
    return Outcome(True, request_id=request_id)
