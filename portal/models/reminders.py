"""Reminders sent by e-mail (portal.services.reminders): one row per reminder that went out."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from portal.models._base import _in

# what a reminder is about: pending L1 surveys (to the participant), due or overdue L3 ratings (to the
# supervisor), the open AKPK self-assessment, the supervisor's missing AKPK assessments of direct
# reports, and the yearly JP target not yet reached (sent from HR's JP report only)
REMINDER_KINDS = ("l1_survey", "l3_rating", "akpk_self", "akpk_team", "jp_target")


class ReminderSend(SQLModel, table=True):
    """A reminder that went out: to whom, of which kind, on which day (in PORTAL_TIMEZONE) and about how
    many items. Never its text, the address, the trainings or surveys it named, nor the time of day: a
    reminder only says that someone had something NOT yet done (docs/anonymity.md).

    `ix_remindersend_recent` (unique) answers "reminded of this kind in the last N days?" and is the
    claim that makes two senders running at once (the daily job and HR's button) send one e-mail: the
    sender inserts the row before it sends, and gives the row back when the server refused the message."""

    __table_args__ = (
        Index("ix_remindersend_recent", "employee_id", "kind", "sent_on", unique=True),
        CheckConstraint(_in("kind", REMINDER_KINDS), name="kind"),
        CheckConstraint("items >= 0", name="items_nonneg"),
    )
    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="employee.id")
    kind: str = Field(max_length=20)
    sent_on: date
    items: int = Field(default=0)
