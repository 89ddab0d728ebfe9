"""Personal data (UU PDP 27/2022): an employee's requests to correct what the portal holds about them,
and the indexes that keep the audit log viewer's filters bounded (who, subject, what; each with time)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Index,
    Text,
)
from sqlmodel import Field, SQLModel

from portal.models._base import _in, utcnow
from portal.models.accounts import AuditEvent

CORRECTION_STATUSES = ("open", "done")
# the part of Data Saya a correction request is about (labels: templates/my_data/_labels.html)
CORRECTION_SECTIONS = ("profile", "akpk", "surveys", "application", "jp", "other")


class CorrectionRequest(SQLModel, table=True):
    """An employee's request to correct their data ("Data Saya", /data-saya), a task for HR
    (/data-master/koreksi) until HR marks it done with a note. Deleted by `portal retention apply`
    some time after it was done (PORTAL_CORRECTION_RETENTION_DAYS)."""

    __table_args__ = (
        CheckConstraint(_in("status", CORRECTION_STATUSES), name="status"),
        CheckConstraint(_in("section", CORRECTION_SECTIONS), name="section"),
        Index("ix_correctionrequest_status_created_at", "status", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="employee.id", index=True)
    section: str = Field(max_length=20)
    wrong: str = Field(sa_column=Column(Text, nullable=False))  # what is wrong
    correct: str = Field(sa_column=Column(Text, nullable=False))  # what it should be
    status: str = Field(default="open", max_length=8)
    created_at: datetime = Field(default_factory=utcnow)
    handled_by: int | None = Field(default=None, foreign_key="employee.id")
    handled_at: datetime | None = None
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


# The audit log viewer (/admin/audit) filters by actor, by subject (the target) and by action, always
# newest first within a period: one (column, time) index each, so a page reads only its own rows.
# Defined here, next to the viewer's other table, so that the accounts area keeps its model as it is.
AUDIT_INDEXES = (
    Index("ix_auditevent_actor_id_at", AuditEvent.actor_id, AuditEvent.at),
    Index("ix_auditevent_target_at", AuditEvent.target, AuditEvent.at),
    Index("ix_auditevent_action_at", AuditEvent.action, AuditEvent.at),
)
