"""Views of a person's individual results by someone else, written to the audit log as one event
"view.person" whose target is the person viewed (so it appears in the audit log viewer under that
subject and in the person's own Data Saya). The areas that show such pages call `record_person_view`
from their service (AKPK result of a direct report, an L3 result, a Data Master person page).

A repeat of the same view (same viewer, person and page) within REPEAT_MINUTES adds nothing: reloading
a page is not a new fact about who saw what."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from portal.models import AuditEvent, utcnow
from portal.services.accounts import audit
from portal.services.privacy._types import VIEW_ACTION, person_target

REPEAT_MINUTES = 10


def record_person_view(session: Session, viewer_id: int, subject_id: int, page: str, now: datetime | None = None) -> bool:
    """Audit that `viewer_id` saw `subject_id`'s data on `page` (e.g. "akpk.result cycle=3"), unless it is
    their own or the same view was recorded a moment ago. Commits. Queries: 1, plus the insert."""
    if viewer_id == subject_id:
        return False
    now = now or utcnow()
    target = person_target(subject_id)
    recent = session.execute(
        select(AuditEvent.id)
        .where(
            AuditEvent.target == target,
            AuditEvent.at >= now - timedelta(minutes=REPEAT_MINUTES),
            AuditEvent.actor_id == viewer_id,
            AuditEvent.action == VIEW_ACTION,
            AuditEvent.detail == page,
        )
        .limit(1)
    ).first()
    if recent is not None:
        return False
    audit(session, viewer_id, VIEW_ACTION, target, page)
    session.commit()
    return True
