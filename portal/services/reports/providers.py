"""Trainings by provider and by method (/laporan/penyelenggara): per provider (`Training.provider`) and per
kind of training (`Training.kind`: pelatihan, workshop, seminar, kursus...), the trainings held in the
period, their participants and JP, their cost and the impact of those with an L3 score, with cost per
JP and cost per impact point where the master data has costs (`Training.cost`, rupiah per participant).

Definitions (the page says them too):
- cost = the sum, over the participants (who took part: `rules.took_part`), of their training's cost;
  trainings without a cost are left out of every cost figure (and counted in `uncosted_trainings`);
- cost per JP = cost / the JP credited to those same participants;
- cost per impact point = the cost of the participants with an impact score / the sum of their impact
  indexes (0–100): what one point of the index cost.
With a unit filter, the participants are the unit's staff (and the trainings those they attended).

Aggregated in SQL: one query for both groupings, whatever the number of participants; no figure comes
from an anonymous survey (L1 answers are not read here), so the minimum group size has nothing to hide;
the impact figures come from L3 ratings, which are attributed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, case, func, literal, select, union_all
from sqlmodel import Session

from portal.i18n import _
from portal.models import Employee, Enrollment, ImpactScore, Training
from portal.rules import took_part
from portal.services.reports.filters import Filters, held_period
from portal.services.reports.labels import kind_label


@dataclass(frozen=True)
class GroupRow:
    key: str
    label: str
    trainings: int
    uncosted_trainings: int
    participants: int
    jp: int
    costed_participants: int
    cost: int | None
    costed_jp: int
    impact_n: int
    impact_sum: float
    impact_cost: int
    impact_costed_sum: float

    @property
    def impact_index(self) -> float | None:
        return self.impact_sum / self.impact_n if self.impact_n else None

    @property
    def cost_per_jp(self) -> float | None:
        return self.cost / self.costed_jp if self.cost is not None and self.costed_jp else None

    @property
    def cost_per_impact_point(self) -> float | None:
        return self.impact_cost / self.impact_costed_sum if self.impact_costed_sum else None


@dataclass(frozen=True)
class ProviderReport:
    filters: Filters
    by_provider: list[GroupRow]
    by_kind: list[GroupRow]
    total: GroupRow | None


def _grouped(session: Session, filters: Filters, today: date) -> list[Any]:
    """Both groupings, one query (`_grouped_statement`)."""
    start, end = held_period(filters, today)
    params: dict[str, Any] = {"start": start, "end": end}
    if filters.unit_ids:
        params["units"] = list(filters.unit_ids)
    return list(session.connection().execute(_grouped_statement(bool(filters.unit_ids)), params).mappings())


@lru_cache(maxsize=None)
def _grouped_statement(per_unit: bool) -> Any:
    """The held trainings (`start`..`end`, bound) counted one row per training first (their participants,
    JP and impact scores; an integer key, no DISTINCT over the participants), and those rows grouped per
    provider and per kind (column `grouping`); with `per_unit`, the staff of the units bound as `units`.
    Built once (building a statement costs more than running it)."""
    t, e, i = Training, Enrollment, ImpactScore
    per_training = select(
        t.id, t.provider, t.kind, t.cost,
        func.count(e.id).label("participants"),
        func.coalesce(func.sum(e.jp_credited), 0).label("jp"),
        func.count(i.id).label("impact_n"),
        func.coalesce(func.sum(i.impact_index), 0).label("impact_sum"),
    ).where(t.ends_on >= bindparam("start"), t.ends_on <= bindparam("end"))
    joined = and_(e.training_id == t.id, took_part(e.status))
    if per_unit:  # the unit's staff, and the trainings they attended
        units = bindparam("units", expanding=True)
        per_training = per_training.join(e, joined).join(Employee, Employee.id == e.employee_id).where(Employee.unit_id.in_(units))
    else:
        per_training = per_training.outerjoin(e, joined)
    p = per_training.outerjoin(i, i.enrollment_id == e.id).group_by(t.id, t.provider, t.kind, t.cost).cte("per_training")
    costed = p.c.cost.is_not(None)

    def grouping(name: str, column: Any) -> Any:
        return select(
            literal(name).label("grouping"),
            column.label("key"),
            func.count().label("trainings"),
            func.count(case((p.c.cost.is_(None), 1))).label("uncosted"),
            func.sum(p.c.participants).label("participants"),
            func.sum(p.c.jp).label("jp"),
            func.coalesce(func.sum(case((costed, p.c.participants))), 0).label("costed_participants"),
            # a costed training without participants adds no cost (NULL when no participant is costed)
            func.sum(case((and_(costed, p.c.participants > 0), p.c.cost * p.c.participants))).label("cost"),
            func.coalesce(func.sum(case((costed, p.c.jp))), 0).label("costed_jp"),
            func.sum(p.c.impact_n).label("impact_n"),
            func.sum(p.c.impact_sum).label("impact_sum"),
            func.coalesce(func.sum(case((costed, p.c.cost * p.c.impact_n))), 0).label("impact_cost"),
            func.coalesce(func.sum(case((costed, p.c.impact_sum))), 0).label("impact_costed_sum"),
        ).group_by(column)

    return union_all(grouping("provider", p.c.provider), grouping("kind", p.c.kind)).order_by("grouping", "key")


def _row(m: Any, label: str) -> GroupRow:
    return GroupRow(
        key=m["key"] or "", label=label, trainings=int(m["trainings"]), uncosted_trainings=int(m["uncosted"]),
        participants=int(m["participants"]), jp=int(m["jp"]), costed_participants=int(m["costed_participants"]),
        cost=int(m["cost"]) if m["cost"] is not None else None, costed_jp=int(m["costed_jp"]),
        impact_n=int(m["impact_n"]), impact_sum=float(m["impact_sum"]), impact_cost=int(m["impact_cost"]),
        impact_costed_sum=float(m["impact_costed_sum"]),
    )


def _total(rows: list[GroupRow]) -> GroupRow | None:
    if not rows:
        return None
    costs = [r.cost for r in rows if r.cost is not None]
    return GroupRow(
        key="", label=_("Jumlah"), trainings=sum(r.trainings for r in rows), uncosted_trainings=sum(r.uncosted_trainings for r in rows),
        participants=sum(r.participants for r in rows), jp=sum(r.jp for r in rows),
        costed_participants=sum(r.costed_participants for r in rows), cost=sum(costs) if costs else None,
        costed_jp=sum(r.costed_jp for r in rows), impact_n=sum(r.impact_n for r in rows), impact_sum=sum(r.impact_sum for r in rows),
        impact_cost=sum(r.impact_cost for r in rows), impact_costed_sum=sum(r.impact_costed_sum for r in rows),
    )


def provider_report(session: Session, filters: Filters, today: date) -> ProviderReport:
    """Both groupings for the period and unit. One query."""
    rows = _grouped(session, filters, today)
    by_provider = [_row(m, m["key"] or _("(tanpa penyelenggara)")) for m in rows if m["grouping"] == "provider"]
    by_kind = sorted((_row(m, kind_label(m["key"])) for m in rows if m["grouping"] == "kind"), key=lambda r: r.label)
    return ProviderReport(filters, by_provider, by_kind, _total(by_provider))


def provider_export(report: ProviderReport) -> tuple[list[str], Iterator[list[Any]]]:
    """Both groupings in one table: a column says which grouping a row belongs to."""
    headers = [
        _("Pengelompokan"), _("Nama"), _("Pelatihan (jumlah)"), _("Pelatihan tanpa biaya tercatat"), _("Peserta"), _("JP diberikan"),
        _("Peserta dengan biaya"), _("Biaya (Rp)"), _("Biaya per JP (Rp)"), _("Alumni dinilai"), _("Indeks dampak (0–100)"),
        _("Biaya per poin dampak (Rp)"), _("Keterangan"),
    ]

    def figures(r: GroupRow) -> list[Any]:
        note = None
        if r.cost is None:
            note = _("biaya belum tercatat di data master")
        elif r.uncosted_trainings:
            note = _("%(n)s pelatihan tanpa biaya tidak ikut dihitung dalam biaya") % {"n": r.uncosted_trainings}
        index = None if r.impact_index is None else round(r.impact_index, 1)
        per_jp = None if r.cost_per_jp is None else round(r.cost_per_jp)
        per_point = None if r.cost_per_impact_point is None else round(r.cost_per_impact_point)
        return [r.trainings, r.uncosted_trainings, r.participants, r.jp, r.costed_participants, r.cost, per_jp, r.impact_n, index, per_point, note]

    def rows() -> Iterator[list[Any]]:
        for r in report.by_provider:
            yield [_("Penyelenggara"), r.label, *figures(r)]
        for r in report.by_kind:
            yield [_("Jenis pelatihan"), r.label, *figures(r)]
        if report.total is not None:
            yield [_("Semua"), _("Jumlah"), *figures(report.total)]

    return headers, rows()
