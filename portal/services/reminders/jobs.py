"""The reminders' scheduled job: `portal reminders send` (run daily from cron; portal/cli.py only calls
`send_reminders`). Every kind of pending task (JOB_KINDS) for everyone, at most one e-mail per person and
kind within the interval; the run is audited with its counts (actor: none)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from portal.services.accounts import audit
from portal.services.reminders import batch, pending
from portal.services.reminders._types import BatchResult
from portal.settings import Settings

JOB_TARGET = "jadwal"  # the audit target of the scheduled run


def send_reminders(session: Session, settings: Settings, today: date, *, dry_run: bool = False) -> BatchResult:
    """Plan (and unless `dry_run`, send) the reminders due today. A dry run reads only: it sends, records
    and audits nothing. Without SMTP nothing is sent or recorded either (`not_configured`)."""
    recipients = pending.for_job(session, today, settings.application_window_days)
    the_plan = batch.plan(session, recipients, today, settings.reminder_interval_days)
    session.rollback()  # end the read transaction before the per-recipient claims
    if dry_run:
        return BatchResult(the_plan, recent=list(the_plan.recent), dry_run=True, not_configured=not settings.smtp_configured)
    result = batch.deliver(session, settings, the_plan, today)
    if not result.not_configured:
        audit(session, None, "reminders.send", JOB_TARGET, result.counts())
        session.commit()
    return result
