"""Planning and sending a batch of reminders, for the daily job and HR's button alike.

`plan`: who gets one now; skipped: reminded of that kind within `PORTAL_REMINDER_INTERVAL_DAYS` (the
record, 1 query), or without an e-mail address. `deliver`: for each planned recipient, claim the record
row (person, kind, today) in a transaction of its own, send through `portal.mail`, and give the row back
if the message did not go out. The claim is an INSERT that does nothing on the unique index
`ix_remindersend_recent`: when the daily job and HR's button (or two presses) run at once, one of them
gets the row and sends, the other counts the person as recently reminded. A crash between the claim and
the send leaves a row for an e-mail that never went: the rule errs towards one reminder too few, never
one too many.

Nothing of the content is stored or logged: the row holds person, kind, day and number of items; the
audit event of a run holds counts. A refused address, a rejected message or a lost server is a failure
of that recipient (listed with its reason), and the batch goes on.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlmodel import Session

from portal import i18n, mail
from portal.db import dialect
from portal.models import Employee, ReminderSend
from portal.services.reminders import messages
from portal.services.reminders._types import BatchResult, Failure, Plan, Recipient
from portal.settings import Settings


def recently_reminded(session: Session, kinds: Sequence[str], today: date, interval_days: int) -> set[tuple[int, str]]:
    """(employee id, kind) of everyone reminded of these kinds within the interval (today included).
    1 query over the index range of the interval's days."""
    since = today - timedelta(days=max(interval_days, 1) - 1)
    rows = session.execute(
        select(ReminderSend.employee_id, ReminderSend.kind).where(ReminderSend.kind.in_(list(kinds)), ReminderSend.sent_on >= since)
    )
    return {(r.employee_id, r.kind) for r in rows}


def plan(session: Session, recipients: Sequence[Recipient], today: date, interval_days: int, limit: int | None = None) -> Plan:
    """Sort the recipients into to_send (at most `limit`), deferred (beyond it), recent and no_email."""
    kinds = sorted({r.kind for r in recipients})
    recent = recently_reminded(session, kinds, today, interval_days) if kinds else set()
    out = Plan()
    for r in recipients:
        if (r.employee_id, r.kind) in recent:
            out.recent.append(r)
        elif not (r.email or "").strip():
            out.no_email.append(r)
        elif limit is not None and len(out.to_send) >= limit:
            out.deferred.append(r)
        else:
            out.to_send.append(r)
    return out


def _claim(session: Session, r: Recipient, today: date) -> int | None:
    """The record row of this reminder, inserted and committed; None when someone else holds it."""
    insert = dialect.insert(dialect.name_of(session))
    stmt = (
        insert(ReminderSend)
        .values(employee_id=r.employee_id, kind=r.kind, sent_on=today, items=r.count)
        .on_conflict_do_nothing(index_elements=["employee_id", "kind", "sent_on"])
        .returning(ReminderSend.id)
    )
    claimed = session.execute(stmt).scalar_one_or_none()
    session.commit()
    return claimed


def _release(session: Session, row_id: int) -> None:
    session.execute(delete(ReminderSend).where(ReminderSend.id == row_id))
    session.commit()


def locales_of(session: Session, employee_ids: Sequence[int]) -> dict[int, str]:
    """The language chosen on each of these accounts (those without a choice are left out), in chunks of
    500 ids: one query per chunk."""
    ids = sorted(set(employee_ids))
    found: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(Employee.id, Employee.locale).where(Employee.id.in_(ids[start : start + 500]), Employee.locale.isnot(None))
        )
        found.update({r.id: r.locale for r in rows})
    return found


def deliver(session: Session, settings: Settings, the_plan: Plan, today: date, locale: str | None = None) -> BatchResult:
    """Send the planned reminders (commits per recipient), each in the language chosen on the recipient's
    account (else `locale`, else the portal's). Nothing is sent or recorded when SMTP is not configured
    (`not_configured`)."""
    result = BatchResult(the_plan, recent=list(the_plan.recent))
    if not mail.configured(settings):
        result.not_configured = True
        return result
    chosen = locales_of(session, [r.employee_id for r in the_plan.to_send])
    with mail.Mailer(settings) as mailer:
        for r in the_plan.to_send:
            row_id = _claim(session, r, today)
            if row_id is None:
                result.recent.append(r)
                continue
            language = chosen.get(r.employee_id) or locale or settings.locale
            with i18n.use_locale(language):  # anything the composer translates through `_` follows it too
                msg = messages.compose(r, settings, language)
            outcome = mailer.send((r.email or "").strip(), msg.subject, msg.text)
            if outcome.sent:
                result.sent.append(r)
            else:
                _release(session, row_id)
                result.failed.append(Failure(r, outcome.code, outcome.reason))
    return result
