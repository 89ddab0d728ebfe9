"""JP compliance (/laporan/jp): per unit, the active employees, the JP credited in the year and those
who reached the yearly target (`rules.JP_TARGET`); one page of the employees below it, sortable; and the
export of all of them. Read from the JP summary (`employeejp`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from portal import scoring
from portal.i18n import _
from portal.models import Employee, Unit
from portal.rules import JP_TARGET
from portal.services.reports.filters import PER_PAGE, Filters
from portal.services.summaries import jp as jp_summary


@dataclass
class JpUnitRow:
    unit_id: int | None
    unit_name: str
    employees: int
    jp: int
    reached: int

    @property
    def percent(self) -> float | None:
        return scoring.percent(self.reached, self.employees)


@dataclass(frozen=True)
class JpBelowRow:
    """An active employee below the JP target in the year."""

    id: int
    nip: str
    name: str
    unit: str
    jp: int

    @property
    def shortfall(self) -> int:
        return JP_TARGET - self.jp


@dataclass
class JpReport:
    filters: Filters
    year: int
    units: list[JpUnitRow]
    below: list[JpBelowRow]
    below_total: int
    sort: str
    direction: str
    page: int
    pages: int

    @property
    def employees(self) -> int:
        return sum(u.employees for u in self.units)

    @property
    def reached(self) -> int:
        return sum(u.reached for u in self.units)

    @property
    def jp(self) -> int:
        return sum(u.jp for u in self.units)

    @property
    def percent(self) -> float | None:
        return scoring.percent(self.reached, self.employees)


JP_SORTS = {"jp": "jp", "nama": "name", "unit": "unit"}


def jp_sort(raw_sort: str | None, raw_dir: str | None) -> tuple[str, str]:
    sort = raw_sort if raw_sort in JP_SORTS else "jp"
    direction = raw_dir if raw_dir in ("naik", "turun") else "naik"
    return sort, direction


def _jp_below_select(year: int, unit_ids: tuple[int, ...] | None) -> tuple[Any, Any]:
    per_emp = jp_summary.credited_per_employee(year)
    jp = func.coalesce(per_emp.c.jp, 0)
    stmt = (
        select(
            Employee.id,
            Employee.nip,
            Employee.name,
            func.coalesce(Unit.name, "").label("unit"),
            jp.label("jp"),
        )
        .outerjoin(per_emp, per_emp.c.employee_id == Employee.id)
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .where(Employee.is_active.is_(True), jp < JP_TARGET)
    )
    if unit_ids:
        stmt = stmt.where(Employee.unit_id.in_(unit_ids))
    return stmt, jp


def _jp_order(sort: str, direction: str, jp: Any) -> list[Any]:
    col = {"jp": jp, "nama": Employee.name, "unit": func.coalesce(Unit.name, "")}[sort]
    first = col.desc() if direction == "turun" else col.asc()
    return [first, Employee.name.asc(), Employee.id.asc()]


def jp_report(session: Session, filters: Filters, sort: str, direction: str, page: int, per_page: int = PER_PAGE) -> JpReport:
    """Per unit: active employees, JP credited in the year, employees reaching 20 JP; and one page of
    the employees below 20 JP. Three queries."""
    year = filters.year
    per_emp = jp_summary.credited_per_employee(year)
    stmt = (
        select(
            Unit.id.label("unit_id"),
            func.coalesce(Unit.name, _("(tanpa unit)")).label("unit_name"),
            func.count(Employee.id).label("employees"),
            func.coalesce(func.sum(per_emp.c.jp), 0).label("jp"),
            func.coalesce(func.sum(case((per_emp.c.jp >= JP_TARGET, 1), else_=0)), 0).label("reached"),
        )
        .select_from(Employee)
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .outerjoin(per_emp, per_emp.c.employee_id == Employee.id)
        .where(Employee.is_active.is_(True))
        .group_by(Unit.id, Unit.name)
        .order_by(func.coalesce(Unit.name, ""))
    )
    if filters.unit_ids:
        stmt = stmt.where(Employee.unit_id.in_(filters.unit_ids))
    units = [JpUnitRow(r.unit_id, r.unit_name, int(r.employees), int(r.jp or 0), int(r.reached or 0)) for r in session.execute(stmt)]
    below_stmt, jp = _jp_below_select(year, filters.unit_ids)
    total = int(session.execute(select(func.count()).select_from(below_stmt.subquery())).scalar_one())
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    below = [
        JpBelowRow(r.id, r.nip, r.name, r.unit, int(r.jp or 0))
        for r in session.execute(below_stmt.order_by(*_jp_order(sort, direction, jp)).offset((page - 1) * per_page).limit(per_page))
    ]
    return JpReport(filters, year, units, below, total, sort, direction, page, pages)


def jp_export(engine: Engine, filters: Filters, sort: str, direction: str) -> tuple[list[str], Iterator[list[Any]]]:
    """Every active employee below 20 JP in the year, streamed from its own connection."""
    headers = [_("NIP"), _("Nama"), _("Unit kerja"), _("Tahun"), _("JP diperoleh"), _("Kekurangan JP (target 20)")]
    stmt, jp = _jp_below_select(filters.year, filters.unit_ids)
    stmt = stmt.order_by(*_jp_order(sort, direction, jp))

    def rows() -> Iterator[list[Any]]:
        with engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=2000).execute(stmt)
            for r in result:
                yield [r.nip, r.name, r.unit, filters.year, int(r.jp or 0), JP_TARGET - int(r.jp or 0)]

    return headers, rows()
