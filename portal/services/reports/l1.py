"""The trainings held in a period with their L1 (reaction survey) figures, as the dashboard, the training
list and the peers of a training report need them: participants, invitations, whether the L1 results
may be shown (`l1_state`, the minimum group size), the Likert sums per dimension, the NPS groups and
the L3 impact sums. Read from the summaries kept at submit time, never from the raw answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from typing import Any

from sqlalchemy import and_, bindparam, case, func, literal, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from portal import scoring
from portal.db import connection_of, in_ids
from portal.db.dialect import in_ids_param
from portal.models import (
    Employee,
    Enrollment,
    ImpactScore,
    InvitationCount,
    Question,
    Questionnaire,
    SurveyInvitation,
    Training,
    TrainingL1,
    TrainingSummary,
    TrainingSummaryValue,
)
from portal.rules import took_part
from portal.services.reports.filters import Filters, held_period
from portal.services.reports.labels import MAIN_DIMENSIONS, dimension_label, kind_label


@dataclass
class TrainingRow:
    id: int
    code: str
    title: str
    kind: str
    provider: str
    starts_on: date
    ends_on: date
    jp: int
    questionnaire_id: int | None
    anonymous: bool
    survey_closes_on: date | None
    questionnaire_title: str = ""
    participants: int = 0
    jp_delivered: int = 0
    invited: int = 0
    submitted: int = 0  # by the unit's staff when a unit filter is set
    submitted_all: int = 0  # by everyone: what the minimum group size looks at
    overdue: int = 0
    state: str = "none"  # none | open | empty | few | shown
    likert_n: int = 0
    likert_total: int = 0
    dims: dict[str, list[int]] = field(default_factory=dict)  # dimension -> [n, total]
    nps_parts: list[int] = field(default_factory=lambda: [0, 0, 0])  # promoters, passives, detractors
    impact_n: int = 0
    impact_sum: float = 0.0

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def shown(self) -> bool:
        return self.state == "shown"

    @property
    def response_rate(self) -> float | None:
        return scoring.percent(self.submitted, self.invited)

    @property
    def index(self) -> float | None:
        return scoring.likert_index(self.likert_n, self.likert_total) if self.shown else None

    @property
    def nps(self) -> scoring.NpsResult | None:
        if not self.shown:
            return None
        result = scoring.NpsResult(sum(self.nps_parts), *self.nps_parts)
        return result if result.n else None

    @property
    def impact_index(self) -> float | None:
        return self.impact_sum / self.impact_n if self.impact_n else None


def l1_state(anonymous: bool, questionnaire_id: int | None, closes_on: date | None, submitted: int, today: date, min_group: int) -> str:
    """none (no reaction survey) | open (anonymous, window not closed yet) | empty | few (below the
    minimum group size) | shown."""
    if questionnaire_id is None:
        return "none"
    if anonymous:
        if closes_on is None or closes_on >= today:
            return "open"
        if submitted == 0:
            return "empty"
        return "shown" if scoring.meets_min_group(submitted, min_group) else "few"
    return "shown" if submitted > 0 else "empty"


@dataclass
class DimRow:
    key: str
    label: str
    n: int
    total: int

    @property
    def index(self) -> float | None:
        return scoring.likert_index(self.n, self.total)


def dimension_rows(per_dim: Mapping[str, list[int]]) -> list[DimRow]:
    keys = [d for d in MAIN_DIMENSIONS if d in per_dim] + sorted(d for d in per_dim if d not in MAIN_DIMENSIONS)
    return [DimRow(d, dimension_label(d), per_dim[d][0], per_dim[d][1]) for d in keys]


def pool_l1(trainings: Sequence[TrainingRow]) -> tuple[dict[str, list[int]], list[int]]:
    """The L1 figures of several trainings pooled: Likert [n, total] per dimension, and the NPS groups
    (promoters, passives, detractors)."""
    per_dim: dict[str, list[int]] = {}
    parts = [0, 0, 0]
    for t in trainings:
        for dim, (n, total) in t.dims.items():
            acc = per_dim.setdefault(dim, [0, 0])
            acc[0] += n
            acc[1] += total
        for k, c in enumerate(t.nps_parts):
            parts[k] += c
    return per_dim, parts


# The statements below are built once per dialect and shape (a unit filter or not) and run with their
# values bound by name: building a statement costs ~0.3 ms of Python, running a built one a fraction of
# that (SQLAlchemy keeps its cache key and compiled form on the object). Names bound: `start`, `end`
# (the held period), `ids` (training ids), `units` (unit ids), `least` (the minimum group).


@lru_cache(maxsize=None)
def _held_trainings() -> Any:
    return (
        select(
            Training.id,
            Training.code,
            Training.title,
            Training.kind,
            Training.provider,
            Training.starts_on,
            Training.ends_on,
            Training.jp,
            Training.reaction_questionnaire_id,
            func.coalesce(Questionnaire.anonymous, True).label("anonymous"),
            Training.survey_closes_on,
            Questionnaire.title.label("questionnaire_title"),
        )
        .outerjoin(Questionnaire, Questionnaire.id == Training.reaction_questionnaire_id)
        .where(Training.ends_on >= bindparam("start"), Training.ends_on <= bindparam("end"))
        .order_by(Training.ends_on.desc(), Training.id.desc())
    )


@lru_cache(maxsize=None)
def _participants(dialect: str, per_unit: bool) -> Any:
    """Participants and JP delivered per training: the unit's staff only with a unit filter."""
    stmt = (
        select(Enrollment.training_id, func.count(), func.coalesce(func.sum(Enrollment.jp_credited), 0))
        .where(in_ids_param(Enrollment.training_id, "ids", dialect), took_part(Enrollment.status))
        .group_by(Enrollment.training_id)
    )
    if per_unit:
        stmt = stmt.join(Employee, Employee.id == Enrollment.employee_id).where(Employee.unit_id.in_(bindparam("units", expanding=True)))
    return stmt


@lru_cache(maxsize=None)
def _invitation_counts(dialect: str, per_unit: bool) -> Any:
    """L1 invitations per training, questionnaire and status, from the counts kept by the invitations
    summary; with a unit filter, the unit's share grouped from the invitations of its staff. Columns:
    training, questionnaire, status, everyone's (for the minimum group), the unit's (or everyone's
    without a unit filter), count."""
    ic = InvitationCount
    counts = select(ic.training_id, ic.questionnaire_id, ic.status, literal(True), literal(not per_unit), ic.n).where(
        in_ids_param(ic.training_id, "ids", dialect), ic.n > 0
    )
    if per_unit:
        i = SurveyInvitation
        counts = counts.union_all(
            select(i.training_id, i.questionnaire_id, i.status, literal(False), literal(True), func.count())
            .join(Employee, Employee.id == i.employee_id)
            .where(in_ids_param(i.training_id, "ids", dialect), Employee.unit_id.in_(bindparam("units", expanding=True)))
            .group_by(i.training_id, i.questionnaire_id, i.status)
        )
    return counts


@lru_cache(maxsize=None)
def _impact(dialect: str, per_unit: bool) -> Any:
    """L3 impact scores (attributed) per training: the unit's alumni only with a unit filter."""
    imp = (
        select(Enrollment.training_id, func.count(ImpactScore.id), func.sum(ImpactScore.impact_index))
        .select_from(ImpactScore)
        .join(Enrollment, Enrollment.id == ImpactScore.enrollment_id)
        .where(in_ids_param(Enrollment.training_id, "ids", dialect))
        .group_by(Enrollment.training_id)
    )
    if per_unit:
        imp = imp.join(Employee, Employee.id == Enrollment.employee_id).where(Employee.unit_id.in_(bindparam("units", expanding=True)))
    return imp


def load_trainings(session: Session | Connection, filters: Filters, today: date, min_group: int, *, participants: bool = True) -> list[TrainingRow]:
    """The trainings held in the period (for the unit), with participants, invitations, L1 summary
    sums and impact sums. Six queries, whatever the number of answers."""
    unit_ids = filters.unit_ids
    per_unit = bool(unit_ids)
    units = list(unit_ids or ())
    conn = connection_of(session)  # plain rows: no ORM loading for these column selects
    dialect = conn.dialect.name
    start, end = held_period(filters, today)
    rows = {
        r.id: TrainingRow(
            id=r.id, code=r.code, title=r.title, kind=r.kind, provider=r.provider or "", starts_on=r.starts_on, ends_on=r.ends_on,
            jp=r.jp or 0, questionnaire_id=r.reaction_questionnaire_id, anonymous=bool(r.anonymous), survey_closes_on=r.survey_closes_on,
            questionnaire_title=r.questionnaire_title or "",
        )
        for r in conn.execute(_held_trainings(), {"start": start, "end": end}).all()
    }
    if not rows:
        return []
    # with a unit filter only the trainings that the unit's staff attended are kept (the dashboard,
    # which shows no per-training participants, skips this query without a unit filter)
    if participants or per_unit:
        for tid, n, jp in conn.execute(_participants(dialect, per_unit), {"ids": list(rows), "units": units} if per_unit else {"ids": list(rows)}):
            rows[tid].participants, rows[tid].jp_delivered = int(n), int(jp or 0)
    if per_unit:
        rows = {tid: r for tid, r in rows.items() if r.participants}
        if not rows:
            return []
    params: dict[str, Any] = {"ids": list(rows), "units": units} if per_unit else {"ids": list(rows)}
    # the questionnaire is matched here, not joined
    for tid, qid, status, everyone, mine, n in conn.execute(_invitation_counts(dialect, per_unit), params).all():
        r = rows.get(tid)
        if r is None or qid != r.questionnaire_id:
            continue
        n = int(n)
        submitted = status == "submitted"
        if everyone and submitted:
            r.submitted_all += n
        if mine:
            r.invited += n
            if submitted:
                r.submitted += n
    for r in rows.values():
        r.state = l1_state(r.anonymous, r.questionnaire_id, r.survey_closes_on, r.submitted_all, today, min_group)
    shown = [tid for tid, r in rows.items() if r.shown]
    if shown:
        load_l1_sums(session, rows, shown, min_group)
    for tid, n, total in conn.execute(_impact(dialect, per_unit), params).all():
        if tid in rows:
            rows[tid].impact_n, rows[tid].impact_sum = int(n or 0), float(total or 0)
    return list(rows.values())


@lru_cache(maxsize=None)
def _l1_rollup(dialect: str) -> Any:
    l1 = TrainingL1
    return select(
        l1.training_id, l1.questionnaire_id, l1.kind, l1.dimension, l1.n, l1.total, l1.promoters, l1.passives, l1.detractors, l1.min_n
    ).where(in_ids_param(l1.training_id, "ids", dialect))


def load_l1_sums(session: Session | Connection, rows: dict[int, TrainingRow], ids: list[int], min_group: int) -> None:
    """Likert sums per training and dimension, and NPS groups per training, from the L1 roll-up
    (`trainingl1`, a few rows per training): only the cells (training x question of its reaction
    questionnaire) with enough answers count (the minimum group for an anonymous questionnaire, one
    otherwise). A roll-up row stands for its cells when its smallest cell reaches that; the trainings with
    a smaller cell are added up from their cells (`_load_l1_cells`)."""
    if not any(rows[t].questionnaire_id for t in ids):
        return
    conn = connection_of(session)
    least = max(1, min_group)
    found: list[Any] = []
    from_cells: set[int] = set()
    for row in conn.execute(_l1_rollup(conn.dialect.name), {"ids": list(ids)}).all():
        r = rows[row.training_id]
        if row.questionnaire_id != r.questionnaire_id:
            continue
        if r.anonymous and row.min_n < least:
            from_cells.add(r.id)
        else:
            found.append(row)
    for row in found:
        if row.training_id in from_cells:
            continue
        r = rows[row.training_id]
        if row.kind == "likert5":
            _add_likert(r, row.dimension, int(row.n), int(row.total))
        else:
            _add_nps(r, int(row.promoters), int(row.passives), int(row.detractors))
    if from_cells:
        _load_l1_cells(session, rows, sorted(from_cells), min_group)


def _add_likert(r: TrainingRow, dimension: str, n: int, total: int) -> None:
    acc = r.dims.setdefault(dimension, [0, 0])
    acc[0] += n
    acc[1] += total
    r.likert_n += n
    r.likert_total += total


def _add_nps(r: TrainingRow, promoters: int, passives: int, detractors: int) -> None:
    parts = r.nps_parts
    parts[0] += promoters
    parts[1] += passives
    parts[2] += detractors


def _load_l1_cells(session: Session | Connection, rows: dict[int, TrainingRow], ids: list[int], min_group: int) -> None:
    """As `load_l1_sums`, from the summary cells themselves (trainings with a cell under the minimum
    group): two queries returning a few rows per training, added up by the database; plain rows."""
    conn = connection_of(session)
    ts, q, t, qn, tv = TrainingSummary, Question, Training, Questionnaire, TrainingSummaryValue
    cells = (
        select()
        .select_from(ts)
        .join(t, t.id == ts.training_id)
        .join(q, and_(q.id == ts.question_id, q.questionnaire_id == t.reaction_questionnaire_id))
        .join(qn, qn.id == q.questionnaire_id)
        .where(in_ids(ts.training_id, ids, conn.dialect.name), ts.n >= case((qn.anonymous.is_(False), 1), else_=max(1, min_group)))
    )
    likert = (
        cells.add_columns(ts.training_id, q.dimension, func.sum(ts.n), func.sum(ts.total))
        .where(q.kind == "likert5")
        .group_by(ts.training_id, q.dimension)
    )
    for tid, dim, n, total in conn.execute(likert).all():
        _add_likert(rows[tid], dim, int(n), int(total))
    nps = (
        cells.add_columns(tv.training_id, tv.value, func.sum(tv.count))
        .join(tv, and_(tv.training_id == ts.training_id, tv.question_id == ts.question_id))
        .where(q.kind == "scale0_10", tv.count > 0)
        .group_by(tv.training_id, tv.value)
    )
    per_training: dict[int, dict[int, int]] = {}
    for tid, value, count in conn.execute(nps).all():
        if value.isdigit():
            counts = per_training.setdefault(tid, {})
            counts[int(value)] = counts.get(int(value), 0) + int(count)
    for tid, counts in per_training.items():
        result = scoring.nps(counts)
        _add_nps(rows[tid], result.promoters, result.passives, result.detractors)
