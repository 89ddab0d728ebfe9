"""The dashboard (/laporan) and the training list (/laporan/pelatihan) of a period: tiles, charts, the
rankings, and the training list's export. The trainings and their L1 figures come from `l1`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from datetime import date
from typing import Any

from sqlalchemy import bindparam, distinct, func, literal, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from portal import scoring
from portal.db import connection_of
from portal.db.dialect import in_ids_param
from portal.i18n import _
from portal.models import Employee, EmployeeJp, Enrollment, Training
from portal.rules import JP_TARGET, took_part
from portal.services.reports.exports import rounded
from portal.services.reports.filters import Filters
from portal.services.reports.l1 import DimRow, TrainingRow, dimension_rows, load_trainings, pool_l1
from portal.services.reports.labels import MAIN_DIMENSIONS, dimension_label, state_text


@dataclass
class MonthPoint:
    month: date
    index: float | None
    trainings: int
    answers: int


@dataclass
class JpSummary:
    year: int
    employees: int
    reached: int

    @property
    def percent(self) -> float | None:
        return scoring.percent(self.reached, self.employees)


@dataclass(frozen=True)
class AttributedQuestionnaire:
    """An attributed (not anonymous) reaction questionnaire used in the period: its raw answers may be
    exported."""

    id: int
    title: str
    responses: int


@dataclass
class Dashboard:
    filters: Filters
    min_group: int
    trainings: list[TrainingRow]
    participants: int
    jp_delivered: int
    jp: JpSummary
    invited: int
    submitted: int
    dims: list[DimRow]
    likert_n: int
    likert_total: int
    nps: scoring.NpsResult
    months: list[MonthPoint]
    impact_n: int
    impact_sum: float

    @property
    def response_rate(self) -> float | None:
        return scoring.percent(self.submitted, self.invited)

    @property
    def index(self) -> float | None:
        return scoring.likert_index(self.likert_n, self.likert_total)

    @property
    def impact_index(self) -> float | None:
        return self.impact_sum / self.impact_n if self.impact_n else None

    @property
    def shown_trainings(self) -> list[TrainingRow]:
        return [t for t in self.trainings if t.shown]

    @property
    def responses_counted(self) -> int:
        return sum(t.submitted_all for t in self.trainings if t.shown)

    @property
    def hidden_trainings(self) -> list[TrainingRow]:
        return [t for t in self.trainings if t.state in ("few", "open")]

    @property
    def attributed_questionnaires(self) -> list[AttributedQuestionnaire]:
        """Attributed (not anonymous) reaction questionnaires used in the period, with their responses."""
        titles: dict[int, str] = {}
        responses: dict[int, int] = {}
        for t in self.trainings:
            if t.questionnaire_id and not t.anonymous:
                titles.setdefault(t.questionnaire_id, t.questionnaire_title)
                responses[t.questionnaire_id] = responses.get(t.questionnaire_id, 0) + t.submitted_all
        return [AttributedQuestionnaire(qid, title, responses[qid]) for qid, title in titles.items()]

    @property
    def ranking_satisfaction(self) -> list[TrainingRow]:
        rows = [t for t in self.trainings if t.index is not None]
        return sorted(rows, key=lambda t: (-(t.index or 0), t.title))

    @property
    def ranking_impact(self) -> list[TrainingRow]:
        rows = [t for t in self.trainings if t.impact_n]
        return sorted(rows, key=lambda t: (-(t.impact_index or 0), t.title))


@lru_cache(maxsize=None)
def _rollup_statements(dialect: str, per_unit: bool, from_summary: bool, maybe_later: bool) -> tuple[Any, Any]:
    """The statements of `_enrollment_rollup`, built once per shape (see `l1`), run with `year`, `ids`,
    `units`, `today` and `end` bound: (counted from the enrollments, with JP compliance | from the
    summary, with JP compliance and whether to count from the enrollments after all)."""
    j = EmployeeJp
    active = Employee.is_active.is_(True)
    in_unit = [Employee.unit_id.in_(bindparam("units", expanding=True))] if per_unit else []
    reached = (
        select(func.count())
        .select_from(j)
        .join(Employee, Employee.id == j.employee_id)
        .where(j.year == bindparam("year"), j.jp >= JP_TARGET, active, *in_unit)
        .scalar_subquery()
    )
    employees = select(func.count()).select_from(Employee).where(active, *in_unit).scalar_subquery()
    from_enrollments = select(func.count(distinct(Enrollment.employee_id)), func.coalesce(func.sum(Enrollment.jp_credited), 0)).where(
        in_ids_param(Enrollment.training_id, "ids", dialect), took_part(Enrollment.status)
    )
    if per_unit:
        from_enrollments = from_enrollments.join(Employee, Employee.id == Enrollment.employee_id).where(*in_unit)
    if not from_summary:
        return from_enrollments, from_enrollments.add_columns(reached, employees)
    summary = select(func.count(), func.coalesce(func.sum(j.jp), 0)).select_from(j).where(j.year == bindparam("year"), j.trainings > 0)
    if per_unit:
        summary = summary.join(Employee, Employee.id == j.employee_id).where(*in_unit)
    credited_later = literal(False)
    if maybe_later:
        credited_later = (
            select(Enrollment.id)
            .join(Training, Training.id == Enrollment.training_id)
            .where(Training.ends_on > bindparam("today"), Training.ends_on <= bindparam("end"), took_part(Enrollment.status))
            .exists()
        )
    return from_enrollments, summary.add_columns(reached, employees, credited_later)


def _enrollment_rollup(session: Session | Connection, trainings: list[TrainingRow], filters: Filters, today: date) -> tuple[int, int, JpSummary]:
    """Distinct participants and JP delivered in the period, and JP compliance in the year. The compliance
    comes from the JP summary (`employeejp`). So do the period's figures when the period is a calendar
    year: the summary counts the trainings ending in that year, which are the year's held trainings
    unless a training ending later than today already has credited enrollments (checked in the same
    statement). Otherwise, or for a date range, they are counted from the credited enrollments of the
    held trainings (already known: no join to the trainings). One query, two in that rare case."""
    conn = connection_of(session)
    per_unit = bool(filters.unit_ids)
    from_summary = filters.mode == "tahun"
    maybe_later = from_summary and filters.end > today
    from_enrollments, first = _rollup_statements(conn.dialect.name, per_unit, from_summary, maybe_later)
    params: dict[str, Any] = {"year": filters.year, "ids": [t.id for t in trainings]}
    if per_unit:
        params["units"] = list(filters.unit_ids or ())
    if maybe_later:
        params.update(today=today, end=filters.end)
    if not from_summary:
        participants, jp_delivered, n_reached, n_employees = conn.execute(first, params).one()
    else:
        participants, jp_delivered, n_reached, n_employees, later = conn.execute(first, params).one()
        if later:
            participants, jp_delivered = conn.execute(from_enrollments, params).one()
    return int(participants or 0), int(jp_delivered or 0), JpSummary(filters.year, int(n_employees or 0), int(n_reached or 0))


def _months(filters: Filters, today: date) -> list[date]:
    last = min(filters.end, today) if filters.start <= today else filters.end
    if filters.mode == "tahun":
        last = filters.end
    out = []
    d = date(filters.start.year, filters.start.month, 1)
    while d <= last and len(out) < 120:
        out.append(d)
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


def dashboard(session: Session | Connection, filters: Filters, today: date, min_group: int, *, with_participants: bool = False) -> Dashboard:
    """Tiles and charts of the dashboard (and, with `with_participants`, the figures of the training
    list and of its export)."""
    trainings = load_trainings(session, filters, today, min_group, participants=with_participants)
    participants, jp_delivered, jp = _enrollment_rollup(session, trainings, filters, today)
    shown = [t for t in trainings if t.shown]
    per_dim, nps_parts = pool_l1(shown)
    per_month: dict[date, list[int]] = {}
    for t in shown:
        if t.likert_n:
            m = per_month.setdefault(date(t.ends_on.year, t.ends_on.month, 1), [0, 0, 0])
            m[0] += t.likert_n
            m[1] += t.likert_total
            m[2] += 1
    months = []
    for m in _months(filters, today):
        n, total, count = per_month.get(m, (0, 0, 0))
        months.append(MonthPoint(m, scoring.likert_index(n, total), count, n))
    return Dashboard(
        filters=filters,
        min_group=min_group,
        trainings=trainings,
        participants=int(participants or 0),
        jp_delivered=int(jp_delivered or 0),
        jp=jp,
        invited=sum(t.invited for t in trainings),
        submitted=sum(t.submitted for t in trainings),
        dims=dimension_rows(per_dim),
        likert_n=sum(v[0] for v in per_dim.values()),
        likert_total=sum(v[1] for v in per_dim.values()),
        nps=scoring.NpsResult(sum(nps_parts), *nps_parts),
        months=months,
        impact_n=sum(t.impact_n for t in trainings),
        impact_sum=sum(t.impact_sum for t in trainings),
    )


def dashboard_export_rows(d: Dashboard) -> tuple[list[str], Iterator[list[Any]]]:
    """Per training: the figures of the dashboard table (aggregates only). A suppressed figure is an empty
    cell; why it is empty is said in the last column (Keterangan), so every numeric column holds numbers."""
    dims = list(MAIN_DIMENSIONS)
    headers = [
        _("Kode"), _("Pelatihan"), _("Jenis"), _("Penyelenggara"), _("Mulai"), _("Selesai"), _("JP"),
        _("Peserta"), _("JP diberikan"), _("Diundang survei L1"), _("Mengisi survei L1"), _("Tingkat respons (%)"),
        _("Indeks kepuasan (0–100)"),
        *[_("Indeks %(d)s") % {"d": dimension_label(dim).lower()} for dim in dims],
        _("NPS"), _("Promotor"), _("Pasif"), _("Detraktor"), _("Indeks dampak L3 (0–100)"), _("Jumlah skor dampak"),
        _("Keterangan"),
    ]

    def rows() -> Iterator[list[Any]]:
        for t in d.trainings:
            note = state_text(t, d.min_group)  # why a figure is empty: in its own column, never in a numeric one
            nps = t.nps
            row: list[Any] = [
                t.code, t.title, t.kind_label, t.provider, t.starts_on, t.ends_on, t.jp, t.participants, t.jp_delivered,
                t.invited, t.submitted, rounded(t.response_rate),
            ]
            if t.shown:
                row.append(rounded(t.index))
                for dim in dims:
                    n_total = t.dims.get(dim)
                    row.append(rounded(scoring.likert_index(*n_total)) if n_total else None)
                row += [rounded(nps.score), nps.promoters, nps.passives, nps.detractors] if nps else [None] * 4
            else:
                row += [None] * (1 + len(dims) + 4)
            row += [rounded(t.impact_index), t.impact_n or None, note]
            yield row

    return headers, rows()
