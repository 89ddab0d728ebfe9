"""Upload -> preview -> apply (all rows or only the valid ones) -> undo, the same for every import kind.

- `preview` reads the file, plans every row and records an import batch with the counts, the rejected
  rows (the first `REJECTS_KEPT`) and the file itself, so that any worker on any host can apply it.
  Nothing else changes.
- `apply` plans the file again against the data as it is now (it may have changed since the preview),
  and writes in ONE transaction; its first write is a conditional status change, so a double submit
  applies once. The file is dropped from the database once applied or discarded (it holds personal
  data that the portal then keeps in its own tables).
- `undo` takes an applied import back while nothing depends on it: no created row is used elsewhere,
  no updated row was changed again since.
Re-importing the same file changes nothing: every kind upserts by its key (NIP or code).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlmodel import Session

from portal.i18n import _
from portal.models import Employee, ImportBatch, ImportChange, utcnow
from portal.services.accounts import audit
from portal.services.imports.kinds import KINDS
from portal.services.imports.plan import REJECT, Change, Plan, Planned
from portal.services.imports.reading import read

REJECTS_KEPT = 2000
HISTORY_LIMIT = 50


class ImportRefused(Exception):
    """The batch cannot take this step (already applied, rows rejected, something depends on it...)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def plan_file(session: Session, kind_slug: str, content: bytes, filename: str, today: date, max_bytes: int) -> Plan:
    """Read and plan a file without recording anything (raises ImportFileError for an unreadable file)."""
    kind = KINDS[kind_slug]
    sheet = read(content, filename, kind.columns_for(session), max_bytes)
    rows: list[Planned] = []
    for number, raw in sheet.rows:
        row = kind.parse(raw, today)
        row.number = number
        rows.append(row)
    kind.plan(session, rows, today)
    return Plan(rows, sheet.ignored_headers, sheet.file_format, sheet.sheet_name)


def preview(session: Session, kind_slug: str, content: bytes, filename: str, actor_id: int, today: date, max_bytes: int) -> int:
    """Plan the file and record it as a batch awaiting "Terapkan"; returns the batch id. Commits."""
    plan = plan_file(session, kind_slug, content, filename, today, max_bytes)
    session.rollback()  # planning only read
    counts = plan.counts
    rejects = [[r.number, r.key, r.errors] for r in plan.rows if r.action == REJECT][:REJECTS_KEPT]
    batch_id = session.execute(
        insert(ImportBatch)
        .values(
            kind=kind_slug, file_name=filename[:200], file_format=plan.file_format, sheet_name=(plan.sheet_name or "")[:100] or None,
            status="preview", created_by=actor_id, created_at=utcnow(), content=content,
            n_create=counts["create"], n_update=counts["update"], n_unchanged=counts["unchanged"], n_reject=counts["reject"],
            rejects=json.dumps(rejects, ensure_ascii=False), ignored=json.dumps(plan.ignored_headers, ensure_ascii=False),
        )
        .returning(ImportBatch.id)
    ).scalar_one()
    session.commit()
    return int(batch_id)


@dataclass(frozen=True)
class BatchView:
    id: int
    kind: str
    file_name: str
    file_format: str
    sheet_name: str | None
    status: str
    created_by: str | None
    created_at: Any
    applied_at: Any
    undone_at: Any
    n_create: int
    n_update: int
    n_unchanged: int
    n_reject: int
    only_valid: bool

    @property
    def n_rows(self) -> int:
        return self.n_create + self.n_update + self.n_unchanged + self.n_reject


def _view_select() -> Any:
    return select(
        ImportBatch.id, ImportBatch.kind, ImportBatch.file_name, ImportBatch.file_format, ImportBatch.sheet_name, ImportBatch.status,
        Employee.name.label("created_by"), ImportBatch.created_at, ImportBatch.applied_at, ImportBatch.undone_at,
        ImportBatch.n_create, ImportBatch.n_update, ImportBatch.n_unchanged, ImportBatch.n_reject, ImportBatch.only_valid,
    ).outerjoin(Employee, Employee.id == ImportBatch.created_by)


def batch(session: Session, batch_id: int, kind_slug: str) -> BatchView | None:
    row = session.execute(_view_select().where(ImportBatch.id == batch_id, ImportBatch.kind == kind_slug)).first()
    return BatchView(**row._asdict()) if row else None


def rejected_rows(session: Session, batch_id: int) -> tuple[list[dict[str, Any]], list[str]]:
    """The rejected rows kept with the batch (row number, key, [(column, message)]) and the ignored headers."""
    rejects, ignored = session.execute(select(ImportBatch.rejects, ImportBatch.ignored).where(ImportBatch.id == batch_id)).one()
    rows = [{"number": n, "key": k, "errors": [tuple(e) for e in errs]} for n, k, errs in json.loads(rejects or "[]")]
    return rows, json.loads(ignored or "[]")


def history(session: Session, kind_slug: str, limit: int = HISTORY_LIMIT) -> list[BatchView]:
    rows = session.execute(_view_select().where(ImportBatch.kind == kind_slug).order_by(ImportBatch.id.desc()).limit(limit))
    return [BatchView(**r._asdict()) for r in rows]


def apply(session: Session, batch_id: int, kind_slug: str, only_valid: bool, actor_id: int, today: date, max_bytes: int) -> dict[str, int]:
    """Apply a previewed batch in one transaction; returns the counts written. Commits."""
    content, filename = session.execute(
        select(ImportBatch.content, ImportBatch.file_name).where(ImportBatch.id == batch_id, ImportBatch.kind == kind_slug, ImportBatch.status == "preview")
    ).one_or_none() or (None, None)
    if content is None:
        raise ImportRefused(_("Impor ini sudah diterapkan atau dibatalkan."))
    claimed = session.execute(
        update(ImportBatch).where(ImportBatch.id == batch_id, ImportBatch.status == "preview").values(status="applied", applied_at=utcnow())
    ).rowcount
    if claimed != 1:
        session.rollback()
        raise ImportRefused(_("Impor ini sudah diterapkan atau dibatalkan."))
    plan = plan_file(session, kind_slug, content, filename, today, max_bytes)
    counts = plan.counts
    if counts["reject"] and not only_valid:
        session.rollback()
        raise ImportRefused(
            _("%(n)s baris ditolak. Perbaiki berkasnya lalu unggah lagi, atau terapkan hanya baris yang sah.") % {"n": counts["reject"]}
        )
    kind = KINDS[kind_slug]
    changes = kind.write(session, plan.to_write(), today)
    _record(session, batch_id, changes)
    session.execute(
        update(ImportBatch).where(ImportBatch.id == batch_id).values(
            content=None, only_valid=bool(counts["reject"]), n_create=counts["create"], n_update=counts["update"],
            n_unchanged=counts["unchanged"], n_reject=counts["reject"],
        )
    )
    audit(session, actor_id, "import.apply", f"import:{batch_id}", f"{kind_slug} {filename}: {json.dumps(counts)}")
    session.commit()
    return counts


def discard(session: Session, batch_id: int, kind_slug: str, actor_id: int) -> bool:
    """Drop a batch that was previewed but not applied (its file goes with it). Commits."""
    done = session.execute(
        update(ImportBatch).where(ImportBatch.id == batch_id, ImportBatch.kind == kind_slug, ImportBatch.status == "preview").values(status="discarded", content=None)
    ).rowcount
    session.commit()
    return bool(done)


def _record(session: Session, batch_id: int, changes: list[Change]) -> None:
    if changes:
        session.execute(insert(ImportChange), [
            {"batch_id": batch_id, "seq": i, "row_id": c.row_id, "action": c.action,
             "before": json.dumps(c.before, ensure_ascii=False, default=str) if c.before is not None else None,
             "after": json.dumps(c.after, ensure_ascii=False, default=str) if c.after is not None else None}
            for i, c in enumerate(changes)
        ])


def _changes(session: Session, batch_id: int, kind_slug: str) -> list[Change]:
    kind = KINDS[kind_slug]
    rows = session.execute(
        select(ImportChange.row_id, ImportChange.action, ImportChange.before, ImportChange.after).where(ImportChange.batch_id == batch_id).order_by(ImportChange.seq)
    )
    return [
        Change(r.row_id, r.action, kind.revive(json.loads(r.before) if r.before else None), kind.revive(json.loads(r.after) if r.after else None))
        for r in rows
    ]


def undo_problem(session: Session, batch_id: int, kind_slug: str) -> str | None:
    """Why this applied import cannot be undone now (None: it can)."""
    status = session.execute(select(ImportBatch.status).where(ImportBatch.id == batch_id, ImportBatch.kind == kind_slug)).scalar_one_or_none()
    if status != "applied":
        return _("Hanya impor yang sudah diterapkan yang dapat dibatalkan.")
    return KINDS[kind_slug].undo_problem(session, _changes(session, batch_id, kind_slug))


def undo(session: Session, batch_id: int, kind_slug: str, actor_id: int, today: date) -> None:
    """Take an applied import back in one transaction. Commits; raises ImportRefused."""
    claimed = session.execute(
        update(ImportBatch).where(ImportBatch.id == batch_id, ImportBatch.kind == kind_slug, ImportBatch.status == "applied").values(status="undone", undone_at=utcnow())
    ).rowcount
    if claimed != 1:
        session.rollback()
        raise ImportRefused(_("Hanya impor yang sudah diterapkan yang dapat dibatalkan."))
    kind = KINDS[kind_slug]
    changes = _changes(session, batch_id, kind_slug)
    problem = kind.undo_problem(session, changes)
    if problem:
        session.rollback()
        raise ImportRefused(problem)
    kind.undo(session, list(reversed(changes)), today)
    audit(session, actor_id, "import.undo", f"import:{batch_id}", kind_slug)
    session.commit()


def count_batches(session: Session) -> dict[str, int]:
    """Applied imports per kind (Data Master overview)."""
    return dict(session.execute(select(ImportBatch.kind, func.count()).where(ImportBatch.status == "applied").group_by(ImportBatch.kind)).all())
