"""Response monitoring (/laporan/respons): invited / submitted / pending / overdue for the L1 surveys and
the supervisors' L3 ratings, per training and per unit, and the list of people to follow up (names,
never answers), with its export.

L1 is overdue after the invitation's last day (`surveyinvitation.closes_on`). L3 follows
`rules.l3_schedule`, like the supervisor's own work list: due `application_due_days` after the training
ended, expected within `window_days` from that day (the due day included), overdue from the day after
the window's last day."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select, union_all
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased
from sqlmodel import Session

from portal import scoring
from portal.db import dialect as sql_dialect
from portal.db import in_ids
from portal.i18n import _
from portal.models import ApplicationRating, Employee, Enrollment, SurveyInvitation, Training, Unit
from portal.rules import l3_schedule, took_part
from portal.services.reminders.whatsapp import whatsapp_number
from portal.services.reports.filters import Filters, held
from portal.services.reports.labels import PERSON_STATE_LABELS

MONITOR_KINDS = ("l1", "l3")
MONITOR_STATUSES = ("belum", "terlambat", "sudah", "semua")

# a phone shows one person as a card of about 250 px: 10 of them, not 50 (issue 16: the page was 17,500 px tall)
PEOPLE_PER_PAGE = 10
TRAININGS_PER_PAGE = 10


@dataclass
class Counts:
    invited: int = 0
    submitted: int = 0
    pending: int = 0  # not submitted, still possible (or not yet open)
    overdue: int = 0  # not submitted, past the deadline

    @property
    def rate(self) -> float | None:
        return scoring.percent(self.submitted, self.invited)

    def add(self, other: Counts) -> None:
        self.invited += other.invited
        self.submitted += other.submitted
        self.pending += other.pending
        self.overdue += other.overdue


def l3_counts(invited: int, submitted: int, window_ends_on: date, today: date) -> Counts:
    """The L3 ratings of some alumni: not submitted is pending until the window's last day, then overdue
    (`l3_window_past` says the same in SQL)."""
    open_n = invited - submitted
    late = today > window_ends_on
    return Counts(invited, submitted, 0 if late else open_n, open_n if late else 0)


def l3_window_past(dialect: str, today: date, window_days: int) -> Any:
    """SQL, over Training: the L3 window (rules.l3_schedule: due day + window - 1) ended before today."""
    window_ends_on = sql_dialect.day_number(dialect, Training.ends_on) + Training.application_due_days + (max(window_days, 1) - 1)
    return window_ends_on < sql_dialect.day_number_of(today)


def rolled_up(cells: Any, training_id: Any, unit_id: Any, done: Any, overdue: Any) -> Any:
    """SQL: the rows of `cells` (a select of the joined rows) counted per training and per unit: (per
    "training" | "unit", key, invited, submitted (`done`), `overdue`). The training x unit cells are
    grouped once and both roll-ups read them."""
    grouped = (
        cells.add_columns(
            training_id.label("training_id"),
            unit_id.label("unit_id"),
            func.count().label("n"),
            func.sum(case((done, 1), else_=0)).label("sub"),
            func.sum(case((overdue, 1), else_=0)).label("late"),
        )
        .group_by(training_id, unit_id)
        .cte("cells")
    )
    c = grouped.c
    sums = (func.sum(c.n), func.sum(c.sub), func.sum(c.late))
    return union_all(
        select(literal("training"), c.training_id, *sums).group_by(c.training_id),
        select(literal("unit"), c.unit_id, *sums).group_by(c.unit_id),
    )


@dataclass
class MonitorRow:
    """A training (key: its id; sub: its code; with its dates) or a unit (key: its id or None)."""

    key: int | None
    label: str
    sub: str
    l1: Counts
    l3: Counts
    ends_on: date | None = None
    l1_closes_on: date | None = None
    l3_due_on: date | None = None
    l3_closes_on: date | None = None  # last day of the L3 window


@dataclass(frozen=True)
class Person:
    """One line of the list of people to follow up: an L1 invitation, or the supervisor's L3 rating of
    one alumnus (the rater is the rating's rater, else the current supervisor). `contact` is whom a
    reminder reaches (L1: the participant; L3: the current supervisor, who may fill it) and `whatsapp`
    their number for a wa.me link (reminders.whatsapp_number), only while the task can still be done
    (`remindable`): never for someone who has submitted."""

    nip: str
    name: str
    unit: str
    training_id: int
    training: str
    status: str
    rater: str
    opens_on: date | None
    closes_on: date | None  # the last day (inclusive)
    state: str  # person_state
    contact: str = ""
    whatsapp: str | None = None
    remindable: bool = False


@dataclass
class Monitoring:
    filters: Filters
    trainings: list[MonitorRow]
    units: list[MonitorRow]
    total_l1: Counts
    total_l3: Counts
    people: list[Person]
    people_total: int
    jenis: str
    status: str
    page: int
    pages: int
    has_l3: bool
    trainings_total: int = 0  # trainings with invitations in the period (`trainings` is one page of them)
    trainings_page: int = 1
    trainings_pages: int = 1


def monitoring(
    session: Session,
    filters: Filters,
    today: date,
    window_days: int,
    jenis: str = "l1",
    status: str = "belum",
    page: int = 1,
    per_page: int = PEOPLE_PER_PAGE,
    trainings_page: int = 1,
    trainings_per_page: int = TRAININGS_PER_PAGE,
) -> Monitoring:
    """Invited / submitted / pending / overdue for L1 surveys and L3 ratings, per training (one page of
    them; the totals count all) and per unit, and one page of the people list. Five queries (the list's
    total comes from the counts)."""
    in_period = held(filters, today)
    unit_ids = filters.unit_ids
    dialect = sql_dialect.name_of(session)
    jenis = jenis if jenis in MONITOR_KINDS else "l1"
    status = status if status in MONITOR_STATUSES else "belum"
    training_rows = session.execute(
        select(
            Training.id, Training.title, Training.code, Training.ends_on, Training.survey_closes_on,
            Training.application_due_days, Training.reaction_questionnaire_id,
        )
        .where(*in_period)
        .order_by(Training.ends_on.desc(), Training.id.desc())
    ).all()
    ids = [r.id for r in training_rows]
    by_training: dict[int, list[Counts]] = {}
    by_unit: dict[int | None, list[Counts]] = {}
    # ---- L1 and L3, per training and per unit: the cells (training x unit) grouped once, then rolled up
    # per training and per unit by the database (a few hundred rows, not one per cell)
    rating = aliased(ApplicationRating)
    l1 = (
        select()
        .select_from(SurveyInvitation)
        .join(Training, and_(Training.id == SurveyInvitation.training_id, Training.reaction_questionnaire_id == SurveyInvitation.questionnaire_id))
        .join(Employee, Employee.id == SurveyInvitation.employee_id)
        .where(in_ids(Training.id, ids, dialect))
    )
    l3 = (
        select()
        .select_from(Enrollment)
        .join(Training, Training.id == Enrollment.training_id)
        .join(Employee, Employee.id == Enrollment.employee_id)
        .outerjoin(rating, and_(rating.enrollment_id == Enrollment.id, rating.rater_role == "supervisor"))
        .where(in_ids(Training.id, ids, dialect), took_part(Enrollment.status), Training.application_questionnaire_id.is_not(None))
    )
    has_l3 = False
    l1_open = SurveyInvitation.status != "submitted"
    l3_open = or_(rating.status.is_(None), rating.status != "submitted")  # no rating yet, or not submitted
    for kind, cells, training_id, done, overdue in (
        (0, l1, SurveyInvitation.training_id, SurveyInvitation.status == "submitted", and_(l1_open, SurveyInvitation.closes_on < today)),
        (1, l3, Enrollment.training_id, rating.status == "submitted", and_(l3_open, l3_window_past(dialect, today, window_days))),
    ):
        if not ids:
            break
        if unit_ids:
            cells = cells.where(Employee.unit_id.in_(unit_ids))
        for per, key, n, sub, late in session.execute(rolled_up(cells, training_id, Employee.unit_id, done, overdue)):
            has_l3 = has_l3 or kind == 1
            c = Counts(int(n), int(sub or 0), int(n) - int(sub or 0) - int(late or 0), int(late or 0))
            (by_training if per == "training" else by_unit).setdefault(key, [Counts(), Counts()])[kind].add(c)
    trainings: list[MonitorRow] = []
    for r in training_rows:
        if r.id not in by_training:
            continue
        l1c, l3c = by_training[r.id]
        schedule = l3_schedule(r.ends_on, r.application_due_days, window_days)
        trainings.append(
            MonitorRow(r.id, r.title, r.code, l1c, l3c, r.ends_on, r.survey_closes_on, schedule.due_on, schedule.window_ends_on)
        )
    units: list[MonitorRow] = []
    if by_unit:
        names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_([u for u in by_unit if u is not None]))).all())
        for uid, (l1c, l3c) in by_unit.items():
            units.append(MonitorRow(uid, names.get(uid, _("(tanpa unit)")), "", l1c, l3c))
        units.sort(key=lambda u: u.label)
    total_l1, total_l3 = Counts(), Counts()
    for row in trainings:
        total_l1.add(row.l1)
        total_l3.add(row.l3)
    # ---- the people list (count + one page)
    stmt = people_select(dialect, filters, today, window_days, jenis, status)
    totals = total_l3 if jenis == "l3" else total_l1
    people_total = {
        "belum": totals.pending + totals.overdue,
        "terlambat": totals.overdue,
        "sudah": totals.submitted,
        "semua": totals.invited,
    }[status]
    pages = max(1, -(-people_total // per_page))
    page = min(max(1, page), pages)
    # the list is ordered by training first: the page's people are in the few trainings that hold its
    # rows, which the counts tell, so only their people are sorted (not everyone of the period)
    kind = 1 if jenis == "l3" else 0
    listed = {"belum": lambda c: c.pending + c.overdue, "terlambat": lambda c: c.overdue, "sudah": lambda c: c.submitted, "semua": lambda c: c.invited}[status]
    first, seen, skipped, held_ids = (page - 1) * per_page, 0, 0, []
    for row in trainings:
        n = listed(row.l3 if kind else row.l1)
        if n and seen + n <= first:  # wholly before the page
            seen = skipped = seen + n
        elif n:
            held_ids.append(row.key)
            seen += n
            if seen >= first + per_page:
                break
    people = []
    if held_ids:
        stmt = stmt.where(in_ids(Training.id, held_ids, dialect)).offset(first - skipped).limit(per_page)
        people = [person(r, jenis, today, window_days) for r in session.execute(stmt)]
    t_pages = max(1, -(-len(trainings) // trainings_per_page))
    t_page = min(max(1, trainings_page), t_pages)
    shown = trainings[(t_page - 1) * trainings_per_page : t_page * trainings_per_page]
    return Monitoring(
        filters, shown, units, total_l1, total_l3, people, people_total, jenis, status, page, pages, has_l3,
        len(trainings), t_page, t_pages,
    )


def person_state(status: str, opens_on: date | None, closes_on: date | None, today: date) -> str:
    """submitted | draft | pending | overdue (after the last day) | upcoming (before the first day)"""
    if status == "submitted":
        return "submitted"
    if closes_on and today > closes_on:
        return "overdue"
    if opens_on and today < opens_on:
        return "upcoming"
    return "draft" if status == "draft" else "pending"


def person(row: Any, jenis: str, today: date, window_days: int) -> Person:
    """A row of `people_select` as a Person: the L3 dates from the rating's schedule."""
    if jenis == "l3":
        schedule = l3_schedule(row.ends_on, row.due_days, window_days)
        opens_on, closes_on = schedule.due_on, schedule.window_ends_on
        state = person_state(row.status, opens_on, closes_on, today)
        remindable = state in ("pending", "draft", "overdue") and today <= schedule.closes_on and bool(row.contact)
    else:
        opens_on, closes_on = row.opens_on, row.closes_on
        state = person_state(row.status, opens_on, closes_on, today)
        remindable = state in ("pending", "draft")
    number = whatsapp_number(row.phone) if remindable else None
    return Person(
        row.nip, row.name, row.unit, row.training_id, row.training, row.status, row.rater, opens_on, closes_on, state,
        row.contact or "", number, remindable,
    )


def people_select(dialect: str, filters: Filters, today: date, window_days: int, jenis: str, status: str) -> Any:
    """Who has / has not answered (names, never answers). L1: survey invitations; L3: the supervisor's
    rating per credited enrollment (the rater is the rating's rater, else the current supervisor)."""
    in_period = held(filters, today)
    if jenis == "l3":
        rating = aliased(ApplicationRating)
        supervisor = aliased(Employee)
        rater = aliased(Employee)
        stmt = (
            select(
                Employee.nip,
                Employee.name,
                func.coalesce(Unit.name, "").label("unit"),
                Training.id.label("training_id"),
                Training.title.label("training"),
                func.coalesce(rating.status, "pending").label("status"),
                func.coalesce(rater.name, supervisor.name, "").label("rater"),
                Training.ends_on.label("ends_on"),
                Training.application_due_days.label("due_days"),
                func.coalesce(supervisor.name, "").label("contact"),
                supervisor.phone.label("phone"),
            )
            .select_from(Enrollment)
            .join(Training, Training.id == Enrollment.training_id)
            .join(Employee, Employee.id == Enrollment.employee_id)
            .outerjoin(Unit, Unit.id == Employee.unit_id)
            .outerjoin(rating, and_(rating.enrollment_id == Enrollment.id, rating.rater_role == "supervisor"))
            .outerjoin(rater, rater.id == rating.rater_id)
            .outerjoin(supervisor, supervisor.id == Employee.supervisor_id)
            .where(*in_period, took_part(Enrollment.status), Training.application_questionnaire_id.is_not(None))
        )
        not_done = or_(rating.status.is_(None), rating.status != "submitted")
        past = l3_window_past(dialect, today, window_days)
    else:
        stmt = (
            select(
                Employee.nip,
                Employee.name,
                func.coalesce(Unit.name, "").label("unit"),
                Training.id.label("training_id"),
                Training.title.label("training"),
                SurveyInvitation.status.label("status"),
                literal("").label("rater"),
                SurveyInvitation.opens_on.label("opens_on"),
                SurveyInvitation.closes_on.label("closes_on"),
                Employee.name.label("contact"),
                Employee.phone.label("phone"),
            )
            .select_from(SurveyInvitation)
            .join(Training, and_(Training.id == SurveyInvitation.training_id, Training.reaction_questionnaire_id == SurveyInvitation.questionnaire_id))
            .join(Employee, Employee.id == SurveyInvitation.employee_id)
            .outerjoin(Unit, Unit.id == Employee.unit_id)
            .where(*in_period)
        )
        not_done = SurveyInvitation.status != "submitted"
        past = SurveyInvitation.closes_on < today
    if filters.unit_ids:
        stmt = stmt.where(Employee.unit_id.in_(filters.unit_ids))
    if status == "belum":
        stmt = stmt.where(not_done)
    elif status == "terlambat":
        stmt = stmt.where(not_done, past)
    elif status == "sudah":
        stmt = stmt.where(~not_done)
    return stmt.order_by(Training.ends_on.desc(), Training.id.desc(), func.coalesce(Unit.name, ""), Employee.name, Employee.nip)


def monitoring_export(
    engine: Engine, filters: Filters, today: date, window_days: int, jenis: str, status: str
) -> tuple[list[str], Iterator[list[Any]]]:
    """The people list (all pages), streamed from its own connection."""
    jenis = jenis if jenis in MONITOR_KINDS else "l1"
    status = status if status in MONITOR_STATUSES else "belum"
    if jenis == "l3":
        headers = [_("NIP"), _("Nama alumni"), _("Unit kerja"), _("Pelatihan"), _("Penilai (atasan)"), _("Status penilaian penerapan (L3)"), _("Dibuka"), _("Batas waktu")]
    else:
        headers = [_("NIP"), _("Nama"), _("Unit kerja"), _("Pelatihan"), _("Status survei (L1)"), _("Dibuka"), _("Batas waktu")]

    def rows() -> Iterator[list[Any]]:
        with engine.connect() as conn:
            stmt = people_select(conn.dialect.name, filters, today, window_days, jenis, status)
            for r in conn.execution_options(stream_results=True, yield_per=2000).execute(stmt):
                p = person(r, jenis, today, window_days)
                label = _(PERSON_STATE_LABELS[p.state])
                if jenis == "l3":
                    yield [p.nip, p.name, p.unit, p.training, p.rater, label, p.opens_on, p.closes_on]
                else:
                    yield [p.nip, p.name, p.unit, p.training, label, p.opens_on, p.closes_on]

    return headers, rows()
