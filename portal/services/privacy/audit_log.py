"""The audit log viewer (/admin/audit, administrators): filters (who: the actor's name or NIP; what: the
action; subject: the person an event is about; period), one page at a time, and the streamed export.

Bounded: a page is at most 4 queries (the people a name/NIP matches, for actor and subject; the page of
events, newest first, read through a (column, time) index; the names of the subjects on the page). The
export reads EXPORT_BATCH events at a time by keyset (time, id) with the same two queries per batch, so
neither its memory nor any single query grows with the log. The log is append-only in the application:
nothing here (nor anywhere but the retention job, portal/services/privacy/jobs.py) changes or deletes
an event."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import aliased
from sqlmodel import Session

from portal.clock import parse_iso_date
from portal.db import dialect
from portal.i18n import _
from portal.models import AuditEvent, Employee
from portal.services.privacy._types import (
    AuditPage,
    AuditRow,
    PeopleMatch,
    person_of,
    person_target,
)

PER_PAGE = 50
EXPORT_BATCH = 1000
MATCH_LIMIT = 200  # people a name/NIP filter may stand for
TEXT_MAX = 100


@dataclass(frozen=True)
class AuditFilters:
    who: str = ""  # the actor's name or NIP (part of it)
    action: str = ""  # an action, exactly ("login", "report.export", "view.person" ...)
    subject: str = ""  # the subject's name or NIP (part of it)
    start: date | None = None
    end: date | None = None
    page: int = 1

    def params(self, **extra: Any) -> dict[str, str]:
        """The query string of a link that keeps these filters (empty ones left out)."""
        values = {
            "siapa": self.who,
            "aksi": self.action,
            "subjek": self.subject,
            "dari": self.start.isoformat() if self.start else "",
            "sampai": self.end.isoformat() if self.end else "",
        }
        values.update({k: str(v) for k, v in extra.items()})
        return {k: v for k, v in values.items() if v}

    @property
    def any(self) -> bool:
        return bool(self.who or self.action or self.subject or self.start or self.end)


def parse_filters(raw: dict[str, str | None], page: int = 1) -> tuple[AuditFilters, dict[str, str], dict[str, str]]:
    """The filters from the query string, the messages for fields that could not be read (those are
    left out of the filter), and the values as typed (to show them again)."""
    typed = {k: (raw.get(k) or "").strip()[:TEXT_MAX] for k in ("siapa", "aksi", "subjek", "dari", "sampai")}
    errors: dict[str, str] = {}
    start, end = parse_iso_date(typed["dari"]), parse_iso_date(typed["sampai"])
    if typed["dari"] and start is None:
        errors["dari"] = _("Tanggal awal tidak terbaca; tulis seperti 2026-12-31.")
    if typed["sampai"] and end is None:
        errors["sampai"] = _("Tanggal akhir tidak terbaca; tulis seperti 2026-12-31.")
    if start and end and end < start:
        errors["sampai"] = _("Tanggal akhir harus sama dengan atau sesudah tanggal awal.")
        end = None
    filters = AuditFilters(typed["siapa"], typed["aksi"], typed["subjek"], start, end, max(1, page))
    return filters, errors, typed


# --------------------------------------------------------------------------- queries


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def match_people(conn: Connection | Session, text: str) -> PeopleMatch:
    """The people whose NIP starts with `text` (digits) or whose name contains it; at most MATCH_LIMIT.
    One query over the employee table."""
    text = text.strip()
    if not text:
        return PeopleMatch()
    if text.isdigit():
        cond = Employee.nip.like(text + "%")
    else:
        cond = func.lower(Employee.name).like(_like(text), escape="\\")
    ids = list(conn.execute(select(Employee.id).where(cond).order_by(Employee.id).limit(MATCH_LIMIT + 1)).scalars())
    return PeopleMatch(ids[:MATCH_LIMIT], truncated=len(ids) > MATCH_LIMIT)


def _period(filters: AuditFilters, zone: str) -> list[Any]:
    """The period as UTC bounds: from the start of the first local day to the end of the last."""
    tz = ZoneInfo(zone)
    conds = []
    if filters.start:
        conds.append(AuditEvent.at >= datetime.combine(filters.start, time.min, tz).astimezone(UTC))
    if filters.end:
        conds.append(AuditEvent.at < datetime.combine(filters.end + timedelta(days=1), time.min, tz).astimezone(UTC))
    return conds


def _conditions(conn: Connection | Session, filters: AuditFilters, zone: str) -> tuple[list[Any] | None, PeopleMatch, PeopleMatch]:
    """The WHERE of the filters, or None when a name/NIP filter matched nobody (no event can match)."""
    name = dialect.name_of(conn)
    who, subject = match_people(conn, filters.who), match_people(conn, filters.subject)
    conds = _period(filters, zone)
    if filters.action:
        conds.append(AuditEvent.action == filters.action)
    if who.ids is not None:
        if not who.ids:
            return None, who, subject
        conds.append(dialect.in_ids(AuditEvent.actor_id, who.ids, name))
    if subject.ids is not None:
        if not subject.ids:
            return None, who, subject
        conds.append(AuditEvent.target.in_([person_target(i) for i in subject.ids]))
    return conds, who, subject


def _select(conds: list[Any]):
    actor = aliased(Employee)
    return (
        select(
            AuditEvent.id,
            AuditEvent.at,
            AuditEvent.action,
            AuditEvent.target,
            AuditEvent.detail,
            AuditEvent.actor_id,
            actor.name.label("actor_name"),
            actor.nip.label("actor_nip"),
        )
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .where(*conds)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )


def _with_subjects(conn: Connection | Session, rows: list[Any]) -> list[AuditRow]:
    """The rows with the name and NIP of the person each names as its subject (one query)."""
    ids = sorted({pid for r in rows if (pid := person_of(r.target)) is not None})
    people: dict[int, Any] = {}
    if ids:
        found = conn.execute(select(Employee.id, Employee.name, Employee.nip).where(dialect.in_ids(Employee.id, ids, dialect.name_of(conn))))
        people = {p.id: p for p in found}
    out = []
    for r in rows:
        row = AuditRow(**r._asdict())
        pid = person_of(r.target)
        if pid is not None:
            p = people.get(pid)
            row = replace(row, subject_id=pid, subject_name=p.name if p else None, subject_nip=p.nip if p else None)
        out.append(row)
    return out


def audit_page(session: Session, filters: AuditFilters, zone: str) -> AuditPage:
    """One page of events, newest first (PER_PAGE, and whether there is a next page). Queries: <= 4."""
    conds, who, subject = _conditions(session, filters, zone)
    if conds is None:
        return AuditPage(page=filters.page, who=who, subject=subject)
    rows = session.execute(_select(conds).offset((filters.page - 1) * PER_PAGE).limit(PER_PAGE + 1)).all()
    return AuditPage(_with_subjects(session, rows[:PER_PAGE]), filters.page, len(rows) > PER_PAGE, who, subject)


def export(
    engine: Engine, filters: AuditFilters, zone: str, action_label: Callable[[str], str]
) -> tuple[list[str], Iterator[list[Any]]]:
    """Every event the filters select, newest first, for a CSV: read EXPORT_BATCH at a time by keyset on
    (time, id) from a connection of its own, with the subjects' names per batch. Times in `zone`."""
    headers = [
        _("Waktu (%(zone)s)") % {"zone": zone}, _("NIP pelaku"), _("Nama pelaku"), _("Tindakan"), _("Kode tindakan"),
        _("NIP subjek"), _("Nama subjek"), _("Sasaran"), _("Rincian"),
    ]
    tz = ZoneInfo(zone)

    def rows() -> Iterator[list[Any]]:
        with engine.connect() as conn:
            conds, _who, _subject = _conditions(conn, filters, zone)
            if conds is None:
                return
            last: tuple[datetime, int] | None = None
            while True:
                page_conds = list(conds)
                if last is not None:
                    page_conds.append(or_(AuditEvent.at < last[0], and_(AuditEvent.at == last[0], AuditEvent.id < last[1])))
                batch = conn.execute(_select(page_conds).limit(EXPORT_BATCH)).all()
                if not batch:
                    return
                for r in _with_subjects(conn, batch):
                    yield [
                        r.at.astimezone(tz).replace(tzinfo=None), r.actor_nip or "", r.actor_name or _("(sistem)"),
                        action_label(r.action), r.action, r.subject_nip or "", r.subject_name or "", r.target, r.detail,
                    ]
                last = (batch[-1].at, batch[-1].id)
                if len(batch) < EXPORT_BATCH:
                    return

    return headers, rows()
