"""A person's own preferences: the language of the portal and of the e-mails sent to them."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session

from portal import i18n
from portal.models import Employee


def set_locale(session: Session, employee_id: int, locale: str) -> str | None:
    """Remembers the language on the account and commits; None (nothing changed) for an unknown one."""
    chosen = i18n.supported(locale)
    if chosen is None:
        return None
    session.execute(update(Employee).where(Employee.id == employee_id).values(locale=chosen))
    session.commit()
    return chosen


def locale_of(session: Session, employee_id: int) -> str | None:
    """The language chosen on an account (None: the portal's default), for e-mails to that person."""
    return session.get(Employee, employee_id).locale if employee_id else None  # type: ignore[union-attr]
