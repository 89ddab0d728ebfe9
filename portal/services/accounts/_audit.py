"""The audit log's one writer, used by every area: `accounts.audit(session, actor_id, action, target,
detail)`. Actions are `area.verb` (`login.failed`, `account.role_grant`); the target names a row
(`employee:12`); the detail never holds a password, a link's token or an anonymous survey's answer."""

from __future__ import annotations

from sqlmodel import Session

from portal.models import AuditEvent


def audit(session: Session, actor_id: int | None, action: str, target: str = "", detail: str = "") -> None:
    session.add(AuditEvent(actor_id=actor_id, action=action, target=target, detail=detail[:4000]))
