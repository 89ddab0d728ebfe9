"""HR's training calendar (/pelatihan): the trainings of a year, a page at a time, with their
participants and survey state; the trainings of a month as an agenda by day and as a month grid.

A training belongs to every year and month it runs in (a training from 29 December to 2 January shows
in both years); its JP is credited in the year it ends (portal.services.summaries.jp). Reads only, a
fixed number of queries per page whatever its length."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlmodel import Session

from portal.models import Enrollment, InvitationCount, Training
from portal.rules import took_part
from portal.services.trainings._types import AgendaDay, GridDay, MonthCalendar, TrainingRow, YearList
from portal.services.trainings.survey import SurveyWindow

PER_PAGE = 25
MONTH_LIMIT = 300  # trainings shown in one month (a month with more says so)
MIN_YEAR, MAX_YEAR = 2000, 2100


def year_or(value: str, default: int) -> int:
    """A year from the query string, `default` when unreadable or out of range."""
    text = (value or "").strip()
    if len(text) == 4 and text.isascii() and text.isdigit() and MIN_YEAR <= int(text) <= MAX_YEAR:
        return int(text)
    return default


def month_or(value: str, default: date) -> date:
    """The first day of a month from "YYYY-MM" (the query string), else of `default`'s month."""
    text = (value or "").strip()
    if len(text) == 7 and text[4] == "-" and text[:4].isascii() and text[:4].isdigit() and text[5:].isascii() and text[5:].isdigit():
        year, month = int(text[:4]), int(text[5:])
        if MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12:
            return date(year, month, 1)
    return default.replace(day=1)


def _running(first: date, last: date) -> Any:
    """SQL: the training runs on at least one day of first..last."""
    return and_(Training.starts_on <= last, Training.ends_on >= first)


_COLUMNS = (
    Training.id,
    Training.code,
    Training.title,
    Training.kind,
    Training.mode,
    Training.provider,
    Training.starts_on,
    Training.ends_on,
    Training.jp,
    Training.reaction_questionnaire_id,
    Training.survey_opens_on,
    Training.survey_closes_on,
)


def _row(m: Any, today: date, counts: dict[int, dict[str, int]] | None = None) -> TrainingRow:
    extra = (counts or {}).get(m["id"], {})
    state = "none"
    if m["reaction_questionnaire_id"] is not None:
        state = SurveyWindow(m["survey_opens_on"], m["survey_closes_on"], False).state(today)
    return TrainingRow(
        id=m["id"], code=m["code"], title=m["title"], kind=m["kind"], mode=m["mode"], provider=m["provider"] or "",
        starts_on=m["starts_on"], ends_on=m["ends_on"], jp=int(m["jp"] or 0), survey_state=state,
        survey_opens_on=m["survey_opens_on"], survey_closes_on=m["survey_closes_on"], **extra,
    )


def participant_counts(session: Session, training_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per training: enrolled, took part (one grouped query)."""
    if not training_ids:
        return {}
    rows = session.execute(
        select(
            Enrollment.training_id,
            func.count().label("enrolled"),
            func.sum(case((took_part(Enrollment.status), 1), else_=0)).label("took_part"),
        )
        .where(Enrollment.training_id.in_(training_ids))
        .group_by(Enrollment.training_id)
    ).mappings()
    return {r["training_id"]: {"enrolled": int(r["enrolled"]), "took_part": int(r["took_part"] or 0)} for r in rows}


def _invitation_counts(session: Session, training_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per training: invitations to its reaction questionnaire and how many were submitted (from the
    invitation counts summary, one grouped query)."""
    if not training_ids:
        return {}
    c = InvitationCount
    rows = session.execute(
        select(
            c.training_id,
            func.sum(c.n).label("invited"),
            func.sum(case((c.status == "submitted", c.n), else_=0)).label("submitted"),
        )
        .join(Training, and_(Training.id == c.training_id, Training.reaction_questionnaire_id == c.questionnaire_id))
        .where(c.training_id.in_(training_ids))
        .group_by(c.training_id)
    ).mappings()
    return {r["training_id"]: {"invited": int(r["invited"] or 0), "submitted": int(r["submitted"] or 0)} for r in rows}


def year_list(session: Session, year: int, page: int, *, today: date, per_page: int = PER_PAGE) -> YearList:
    """The trainings running in `year`, by start date, a page at a time (4 queries)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    running = _running(first, last)
    head = session.execute(
        select(
            func.sum(case((running, 1), else_=0)).label("total"),
            func.min(Training.starts_on).label("earliest"),
            func.max(Training.ends_on).label("latest"),
        )
    ).mappings().one()
    total = int(head["total"] or 0)
    pages = max(1, (total + per_page - 1) // per_page)
    page = min(max(1, page), pages)
    found = session.execute(
        select(*_COLUMNS).where(running).order_by(Training.starts_on, Training.ends_on, Training.id).offset((page - 1) * per_page).limit(per_page)
    ).mappings().all()
    ids = [m["id"] for m in found]
    counts = participant_counts(session, ids)
    for tid, figures in _invitation_counts(session, ids).items():
        counts.setdefault(tid, {}).update(figures)
    low = min(today.year - 1, head["earliest"].year if head["earliest"] else today.year, year)
    high = max(today.year + 1, head["latest"].year if head["latest"] else today.year, year)
    years = list(range(max(low, MIN_YEAR), min(high, MAX_YEAR) + 1))
    return YearList(year=year, rows=[_row(m, today, counts) for m in found], page=page, pages=pages, total=total, years=years)


def _month_after(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_calendar(session: Session, first: date, *, today: date) -> MonthCalendar:
    """The trainings running in the month that starts on `first` (1 query): an agenda by the day each
    starts (those started earlier first) and a month grid, Monday first."""
    first = first.replace(day=1)
    after = _month_after(first)
    last = after - timedelta(days=1)
    found = session.execute(
        select(*_COLUMNS).where(_running(first, last)).order_by(Training.starts_on, Training.ends_on, Training.id).limit(MONTH_LIMIT + 1)
    ).mappings().all()
    trainings = [_row(m, today) for m in found[:MONTH_LIMIT]]
    earlier = [t for t in trainings if t.starts_on < first]
    agenda = [AgendaDay(None, earlier)] if earlier else []
    by_day: dict[date, list[TrainingRow]] = {}
    for t in trainings:
        if t.starts_on >= first:
            by_day.setdefault(t.starts_on, []).append(t)
    agenda += [AgendaDay(day, by_day[day]) for day in sorted(by_day)]
    start = first - timedelta(days=first.weekday())
    weeks: list[list[GridDay]] = []
    day = start
    while day <= last:
        week = []
        for _ in range(7):
            week.append(GridDay(day, day.month == first.month, day == today, [t for t in trainings if t.runs_on(day)]))
            day += timedelta(days=1)
        weeks.append(week)
    previous = (first - timedelta(days=1)).replace(day=1)
    return MonthCalendar(
        first=first, previous=previous, next=after, trainings=trainings, truncated=len(found) > MONTH_LIMIT, agenda=agenda, weeks=weeks
    )

