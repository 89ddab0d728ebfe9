"""HR's "Kirim pengingat" (web layer: portal.web.reminders): from the response monitoring (pending L1
surveys, or due L3 ratings to the supervisors), from one training's report, and from the JP report
(employees below the yearly target). A confirmation first (`preview`: how many would receive one, how
many are skipped and why, and one example e-mail), then `send`. At most `WEB_LIMIT` e-mails per press,
so that the request ends in seconds; the rest are listed as deferred and go with the next press (those
just reminded are skipped then) or the daily job."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from portal.models import Training
from portal.services.accounts import audit
from portal.services.reminders import batch, messages, pending
from portal.services.reminders._types import BatchResult, Plan, Target
from portal.settings import Settings

WEB_LIMIT = 200


@dataclass(frozen=True)
class Preview:
    target: Target
    plan: Plan
    example: messages.Message | None  # the first planned e-mail, to show HR what people will read
    configured: bool


def training_title(session: Session, training_id: int) -> str | None:
    """The title of the training a reminder is scoped to; None when there is none. 1 query."""
    return session.execute(select(Training.title).where(Training.id == training_id)).scalar_one_or_none()


def _plan(session: Session, settings: Settings, today: date, target: Target) -> Plan:
    recipients = pending.for_target(session, today, settings.application_window_days, target)
    return batch.plan(session, recipients, today, settings.reminder_interval_days, limit=WEB_LIMIT)


def preview(session: Session, settings: Settings, today: date, target: Target) -> Preview:
    """What `send` would do now. Reads only. 2-3 queries."""
    the_plan = _plan(session, settings, today, target)
    example = messages.compose(the_plan.to_send[0], settings) if the_plan.to_send else None
    return Preview(target, the_plan, example, settings.smtp_configured)


def _describe(target: Target) -> str:
    if target.training_id is not None:
        return f"pelatihan={target.training_id}"
    return target.filters.describe() if target.filters is not None else ""


def send(session: Session, settings: Settings, today: date, target: Target, actor_id: int) -> BatchResult:
    """Send the reminders of the target (commits per recipient) and audit the run with its counts."""
    the_plan = _plan(session, settings, today, target)
    session.rollback()  # end the read transaction before the per-recipient claims
    result = batch.deliver(session, settings, the_plan, today)
    if not result.not_configured:
        audit(session, actor_id, "reminders.send", f"pengingat:{target.kind}", f"{result.counts()} {_describe(target)}".strip())
        session.commit()
    return result
