"""Data Saya, the trail of ONE employee's account: their logins (the audit log's login, logout and
session events they made, and the failed logins for their NIP), their sessions, who else saw or changed
their data (audit events whose subject is them, by anyone else; failed logins are in the login history), and their correction requests. Same
shape as `data_records`: one select per section, restricted to the logged-in user."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from portal.i18n import _
from portal.models import AuditEvent, CorrectionRequest, Employee, UserSession
from portal.services.privacy._types import (
    CORRECTION_SECTION,
    CORRECTION_STATUS,
    Labels,
    Me,
    Section,
    label_of,
    login_action,
    person_target,
)


def _logins(me: Me, cap: int | None) -> Any:
    """The user's own login, logout and session events, and the failed logins for their NIP (audited
    with them as the subject and no actor: whoever typed the password is not known)."""
    stmt = (
        select(AuditEvent.at, AuditEvent.action, AuditEvent.detail)
        .where(
            login_action(AuditEvent.action),
            or_(AuditEvent.actor_id == me.id, and_(AuditEvent.actor_id.is_(None), AuditEvent.target == person_target(me.id))),
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    return stmt if cap is None else stmt.limit(cap + 1)


def _event_shape(r: dict[str, Any], labels: Labels) -> dict[str, Any]:
    return r | {"label": labels(r["action"], r.get("detail") or "")}


LOGINS = Section("riwayat_masuk", "Riwayat masuk", (("at", "Waktu"), ("label", "Kejadian")), _logins, _event_shape)


def _sessions(me: Me, cap: int | None) -> Any:
    stmt = select(UserSession.created_at, UserSession.last_seen_at).where(UserSession.employee_id == me.id).order_by(UserSession.created_at.desc())
    return stmt if cap is None else stmt.limit(cap + 1)


SESSIONS = Section("sesi", "Sesi masuk", (("created_at", "Dimulai"), ("last_seen_at", "Terakhir aktif")), _sessions, lambda r, _l: r)


def _access(me: Me, cap: int | None) -> Any:
    actor = aliased(Employee)
    stmt = (
        select(AuditEvent.at, AuditEvent.action, AuditEvent.detail, actor.name.label("actor"))
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .where(
            AuditEvent.target == person_target(me.id),
            or_(AuditEvent.actor_id.is_(None), AuditEvent.actor_id != me.id),
            ~login_action(AuditEvent.action),
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    return stmt if cap is None else stmt.limit(cap + 1)


def _access_shape(r: dict[str, Any], labels: Labels) -> dict[str, Any]:
    return r | {"label": labels(r["action"], r["detail"] or ""), "actor": r["actor"] or _("(sistem)")}


ACCESS = Section(
    "akses", "Akses oleh orang lain",
    (("at", "Waktu"), ("actor", "Oleh"), ("label", "Tindakan"), ("action", "Kode tindakan"), ("detail", "Rincian")),
    _access, _access_shape,
)


def _corrections(me: Me, cap: int | None) -> Any:
    handler = aliased(Employee)
    stmt = (
        select(
            CorrectionRequest.id, CorrectionRequest.created_at, CorrectionRequest.section, CorrectionRequest.wrong,
            CorrectionRequest.correct, CorrectionRequest.status, CorrectionRequest.handled_at, handler.name.label("handler"),
            CorrectionRequest.note,
        )
        .outerjoin(handler, handler.id == CorrectionRequest.handled_by)
        .where(CorrectionRequest.employee_id == me.id)
        .order_by(CorrectionRequest.created_at.desc(), CorrectionRequest.id.desc())
    )
    return stmt if cap is None else stmt.limit(cap + 1)


def _correction_shape(r: dict[str, Any], _labels: Labels) -> dict[str, Any]:
    return r | {"section_label": label_of(CORRECTION_SECTION, r["section"]), "status_label": label_of(CORRECTION_STATUS, r["status"])}


CORRECTIONS = Section(
    "koreksi", "Permintaan koreksi",
    (("created_at", "Diajukan"), ("section_label", "Bagian"), ("wrong", "Yang salah"), ("correct", "Seharusnya"),
     ("status_label", "Status"), ("handled_at", "Diselesaikan"), ("handler", "Oleh"), ("note", "Catatan BKPSDM")),
    _corrections, _correction_shape,
)
