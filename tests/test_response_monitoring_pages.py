"""Response monitoring (/laporan/respons) reads only the trainings that hold the page of people it shows
(issue 17): every page of the people list, for each kind and status, with and without a unit filter,
equals the same page cut from the whole list sorted at once; the counts per training and per unit equal
a recount from the raw invitations and enrolments; the statements per view stay the same on a larger
page number. On the demo data, SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import and_, select

from portal.models import ApplicationRating, Employee, Enrollment, SurveyInvitation, Training
from portal.rules import l3_schedule, took_part
from portal.services import reports
from portal.services.reports.monitoring import MONITOR_STATUSES, people_select
from tests.rig import QueryCounter

WINDOW = 30
PER_PAGE = 3  # small pages: most pages start or end inside a training


def _filters(db, today: date, unit_id: int | None = None) -> reports.Filters:  # noqa: ANN001
    raw = {"periode": "rentang", "dari": (today - timedelta(days=3 * 365)).isoformat(), "sampai": today.isoformat()}
    if unit_id:
        raw["unit"] = str(unit_id)
    return reports.parse_filters(raw, today, reports.unit_options(db))


def _busiest_unit(db) -> int:  # noqa: ANN001
    rows = db.execute(
        select(Employee.unit_id).join(SurveyInvitation, SurveyInvitation.employee_id == Employee.id).where(Employee.unit_id.is_not(None))
    ).scalars()
    return Counter(rows).most_common(1)[0][0]


def test_every_page_of_people_equals_the_page_of_the_whole_sorted_list(db, engine) -> None:  # noqa: ANN001
    today = date.today()
    dialect = engine.dialect.name
    checked = 0
    for unit_id in (None, _busiest_unit(db)):
        filters = _filters(db, today, unit_id)
        for jenis in ("l1", "l3"):
            for status in MONITOR_STATUSES:
                stmt = people_select(dialect, filters, today, WINDOW, jenis, status)
                whole = [(r.nip, r.training_id, r.status) for r in db.execute(stmt)]
                first = reports.monitoring(db, filters, today, WINDOW, jenis, status, 1, per_page=PER_PAGE)
                assert first.people_total == len(whole), (jenis, status, unit_id)
                for page in range(1, first.pages + 1):
                    m = reports.monitoring(db, filters, today, WINDOW, jenis, status, page, per_page=PER_PAGE)
                    got = [(p.nip, p.training_id, p.status) for p in m.people]
                    want = whole[(page - 1) * PER_PAGE : page * PER_PAGE]
                    assert got == want, (jenis, status, unit_id, page)
                    checked += len(got)
    assert checked > 50  # the demo data has people to list on several pages of each kind


def test_counts_per_training_and_unit_equal_a_recount_of_the_raw_rows(db) -> None:  # noqa: ANN001
    today = date.today()
    filters = _filters(db, today)
    m = reports.monitoring(db, filters, today, WINDOW, trainings_per_page=10_000)
    held = and_(Training.ends_on >= filters.start, Training.ends_on <= today)
    want_t: dict[tuple[str, int], Counter] = {}
    want_u: dict[tuple[str, int | None], Counter] = {}

    def add(kind: str, tid: int, uid: int | None, done: bool, late: bool) -> None:
        for key, table in (((kind, tid), want_t), ((kind, uid), want_u)):
            c = table.setdefault(key, Counter())
            c["invited"] += 1
            c["submitted"] += done
            c["overdue"] += (not done) and late
            c["pending"] += (not done) and not late

    l1 = select(SurveyInvitation.training_id, Employee.unit_id, SurveyInvitation.status, SurveyInvitation.closes_on).join(
        Training, and_(Training.id == SurveyInvitation.training_id, Training.reaction_questionnaire_id == SurveyInvitation.questionnaire_id)
    ).join(Employee, Employee.id == SurveyInvitation.employee_id).where(held)
    for tid, uid, status, closes_on in db.execute(l1):
        add("l1", tid, uid, status == "submitted", closes_on < today)
    l3 = (
        select(Enrollment.training_id, Employee.unit_id, ApplicationRating.status, Training.ends_on, Training.application_due_days)
        .join(Training, Training.id == Enrollment.training_id)
        .join(Employee, Employee.id == Enrollment.employee_id)
        .outerjoin(ApplicationRating, and_(ApplicationRating.enrollment_id == Enrollment.id, ApplicationRating.rater_role == "supervisor"))
        .where(held, took_part(Enrollment.status), Training.application_questionnaire_id.is_not(None))
    )
    for tid, uid, status, ends_on, due_days in db.execute(l3):
        add("l3", tid, uid, status == "submitted", today > l3_schedule(ends_on, due_days, WINDOW).window_ends_on)
    assert any(k == "l3" for k, _ in want_t) and any(k == "l1" for k, _ in want_t)

    def as_counter(c: reports.Counts) -> Counter:
        return Counter({"invited": c.invited, "submitted": c.submitted, "overdue": c.overdue, "pending": c.pending})

    for row in m.trainings:
        assert +as_counter(row.l1) == +want_t.get(("l1", row.key), Counter()), row.label
        assert +as_counter(row.l3) == +want_t.get(("l3", row.key), Counter()), row.label
    assert {r.key for r in m.trainings} == {tid for _, tid in want_t}
    for row in m.units:
        assert +as_counter(row.l1) == +want_u.get(("l1", row.key), Counter()), row.label
        assert +as_counter(row.l3) == +want_u.get(("l3", row.key), Counter()), row.label
    assert {r.key for r in m.units} == {uid for _, uid in want_u}


def test_a_late_page_costs_the_statements_of_the_first(db, engine) -> None:  # noqa: ANN001
    today = date.today()
    filters = _filters(db, today)
    counts = []
    for page in (1, 10_000):  # the last page (clamped)
        with QueryCounter(engine) as qc:
            m = reports.monitoring(db, filters, today, WINDOW, "l1", "semua", page, per_page=PER_PAGE)
        counts.append(qc.count)
        assert m.people
    assert counts[0] == counts[1] <= 5
