"""HR reports ("Laporan"): the dashboard, JP compliance and response monitoring. The training report
lives in `report_training.py`.

Performance by design: the L1 figures come from the summaries kept at submit time
(`trainingsummary`, `trainingsummaryvalue`), never from the raw answers; response counts come from
the invitations. Every page runs a fixed number of grouped queries, whatever the number of answers.

Minimum group size and differencing (see docs/charts.md). For an ANONYMOUS reaction questionnaire:
- a training's L1 results count only when the survey window has closed (so no figure changes after
  one person submits) and at least `min_group_size` people submitted; a question counts only when it
  has at least `min_group_size` answers. Nothing below that is shown, and nothing below that is
  pooled into a larger figure either, so no difference of two shown figures can isolate a small group:
  every shown L1 figure is a sum of whole "training x question" cells of >= min_group_size answers;
- L1 results are never broken down by unit or by any other property of the respondent (the
  summaries do not even know it). With a unit filter, the L1 figures are those of the trainings that
  the unit's staff attended, over ALL their participants; the page says so.
Attributed data (invitation status, JP, L3 ratings and impact scores) is not anonymous and is shown
per unit and per person.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import and_, case, distinct, func, literal, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased
from sqlmodel import Session

from portal import scoring
from portal.db import in_ids
from portal.i18n import _
from portal.models import (
    ApplicationRating,
    Employee,
    EmployeeJp,
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
    Unit,
)
from portal.rules import JP_TARGET, took_part
from portal.services.summaries import jp as jp_summary
from portal.services.questionnaires import DIMENSION_LABELS

MAIN_DIMENSIONS = ("materi", "fasilitator", "sarana", "penyelenggaraan", "relevansi")
TRAINING_KIND_LABELS = {
    "pelatihan": "Pelatihan",
    "seminar": "Seminar",
    "workshop": "Workshop",
    "kursus": "Kursus",
    "bimtek": "Bimbingan teknis",
    "coaching": "Coaching",
    "mentoring": "Mentoring",
    "e_learning": "E-learning",
    "magang": "Magang",
    "benchmarking": "Benchmarking",
}
IMPACT_CATEGORIES = ("sangat berdampak", "cukup berdampak", "kurang berdampak", "tidak berdampak")
PER_PAGE = 50


def kind_label(kind: str) -> str:
    return _(TRAINING_KIND_LABELS.get(kind, kind.replace("_", " ").capitalize()))


def dimension_label(dimension: str) -> str:
    return _(DIMENSION_LABELS.get(dimension, dimension.replace("_", " ").capitalize()))


def impact_category_key(category: str | None) -> str:
    return (category or "").replace("_", " ").replace("-", " ").strip().lower()


def impact_category_label(category: str | None) -> str:
    key = impact_category_key(category)
    return _(key.capitalize()) if key else _("Tanpa kategori")


def suppressed_text(min_group: int) -> str:
    return _("Terlalu sedikit tanggapan (n < %(n)s)") % {"n": min_group}


# --------------------------------------------------------------------------- units and filters


@dataclass(frozen=True)
class UnitOption:
    id: int
    name: str
    parent_id: int | None
    depth: int


def unit_options(session: Session) -> list[UnitOption]:
    """All units in tree order (parents before children) with their depth. One query."""
    rows = session.execute(select(Unit.id, Unit.name, Unit.parent_id).order_by(Unit.name)).all()
    ids = {r[0] for r in rows}
    children: dict[int | None, list[Any]] = {}
    for r in rows:
        children.setdefault(r[2] if r[2] in ids else None, []).append(r)
    out: list[UnitOption] = []
    stack = [(r, 0) for r in reversed(children.get(None, []))]
    while stack:
        (uid, name, parent_id), depth = stack.pop()
        out.append(UnitOption(uid, name, parent_id, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(uid, [])))
    return out


def subtree(units: Sequence[UnitOption], root_id: int) -> tuple[int, ...]:
    children: dict[int | None, list[int]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u.id)
    out: list[int] = []
    stack = [root_id]
    while stack:
        uid = stack.pop()
        out.append(uid)
        stack.extend(children.get(uid, []))
    return tuple(out)


def year_options(session: Session, today: date) -> list[int]:
    """Years that have trainings (and the current and the previous year), newest first. One query."""
    lo, hi = session.execute(select(func.min(Training.starts_on), func.max(Training.ends_on))).one()
    first = min(lo.year if lo else today.year, today.year - 1)
    last = max(hi.year if hi else today.year, today.year)
    return list(range(last, first - 1, -1))


def _parse_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip()) if raw and raw.strip() else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Filters:
    """The period (a calendar year or a date range) and the unit (with its sub-units)."""

    mode: str  # "tahun" | "rentang"
    year: int  # the selected year; for a range the year of its last day (the year of the JP target)
    start: date
    end: date
    unit_id: int | None = None
    unit_ids: tuple[int, ...] | None = None
    unit_name: str | None = None
    raw_from: str = ""
    raw_to: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def params(self, **extra: Any) -> dict[str, str]:
        out = {"periode": str(self.year) if self.mode == "tahun" else "rentang"}
        if self.mode == "rentang":
            out["dari"] = self.start.isoformat()
            out["sampai"] = self.end.isoformat()
        if self.unit_id:
            out["unit"] = str(self.unit_id)
        for k, v in extra.items():
            if v not in (None, ""):
                out[k] = str(v)
        return out

    def query(self, **extra: Any) -> str:
        return urlencode(self.params(**extra))

    def describe(self) -> str:
        """For the audit log and export file notes."""
        parts = [f"periode={self.start.isoformat()}..{self.end.isoformat()}"]
        parts.append(f"unit={self.unit_id}" if self.unit_id else "unit=semua")
        return " ".join(parts)


def parse_filters(raw: Mapping[str, Any], today: date, units: Sequence[UnitOption]) -> Filters:
    """Query parameters `periode` (a year, or `rentang` with `dari`/`sampai` as YYYY-MM-DD) and `unit`.
    Anything invalid falls back to the current year / all units, with an error for the form."""

    def get(name: str) -> str:
        value = raw.get(name)
        if isinstance(value, list):
            value = value[0] if value else ""
        return str(value or "").strip()[:40]

    errors: dict[str, str] = {}
    periode = get("periode")
    raw_from, raw_to = get("dari"), get("sampai")
    raw_unit = get("unit")
    # ASCII digits only ("²".isdigit() is true, int() refuses it); a huge number just matches no unit
    unit_id = int(raw_unit) if raw_unit.isascii() and raw_unit.isdigit() else None
    by_id = {u.id: u for u in units}
    unit = by_id.get(unit_id) if unit_id else None
    if unit_id and unit is None:
        errors["unit"] = _("Unit kerja tidak ditemukan; menampilkan semua unit.")
    unit_ids = subtree(units, unit.id) if unit else None
    common = {"unit_id": unit.id if unit else None, "unit_ids": unit_ids, "unit_name": unit.name if unit else None}
    if periode == "rentang" or (not periode and (raw_from or raw_to)):
        start, end = _parse_date(raw_from), _parse_date(raw_to)
        if start is None:
            errors["dari"] = _("Isi tanggal awal yang benar.")
        if end is None:
            errors["sampai"] = _("Isi tanggal akhir yang benar.")
        if start and end and end < start:
            errors["sampai"] = _("Tanggal akhir harus sama dengan atau sesudah tanggal awal.")
        if start and end and (end - start).days > 366 * 10:
            errors["sampai"] = _("Rentang paling panjang 10 tahun.")
        if not errors.get("dari") and not errors.get("sampai") and start and end:
            return Filters("rentang", end.year, start, end, raw_from=raw_from, raw_to=raw_to, errors=errors, **common)
        year = today.year
        return Filters("tahun", year, date(year, 1, 1), date(year, 12, 31), raw_from=raw_from, raw_to=raw_to, errors=errors, **common)
    year = today.year
    if periode:
        if periode.isdigit() and 2000 <= int(periode) <= 2100:
            year = int(periode)
        else:
            errors["periode"] = _("Pilih tahun yang tersedia.")
    return Filters("tahun", year, date(year, 1, 1), date(year, 12, 31), errors=errors, **common)


def _held(filters: Filters, today: date) -> list[Any]:
    """Trainings held in the period: ended within it, and not later than today."""
    return [Training.ends_on >= filters.start, Training.ends_on <= min(filters.end, today)]


def _min_answers(min_group: int) -> Any:
    """Per questionnaire: the least number of answers a summary cell needs to count."""
    return case((Questionnaire.anonymous.is_(True), max(1, min_group)), else_=1)


# --------------------------------------------------------------------------- L1 status of a training


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


def state_text(row: Any, min_group: int) -> str:
    """Why a training's L1 results are not shown (for tables and charts)."""
    if row.state == "none":
        return _("Tanpa survei L1")
    if row.state == "open":
        if row.survey_closes_on:
            return _("Survei dibuka sampai %(d)s; hasil tampil setelah ditutup") % {"d": _fmt_date(row.survey_closes_on)}
        return _("Survei belum dijadwalkan")
    if row.state == "empty":
        return _("Belum ada tanggapan")
    if row.state == "few":
        return suppressed_text(min_group)
    return ""


def _fmt_date(d: date) -> str:
    from portal.i18n import format_date

    return format_date(d)


# --------------------------------------------------------------------------- dashboard


@dataclass
class DimRow:
    key: str
    label: str
    n: int
    total: int

    @property
    def index(self) -> float | None:
        return scoring.likert_index(self.n, self.total)


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
    def attributed_questionnaires(self) -> list[tuple[int, str, int]]:
        """Attributed (not anonymous) reaction questionnaires used in the period: (id, title, responses)."""
        out: dict[int, list[Any]] = {}
        for t in self.trainings:
            if t.questionnaire_id and not t.anonymous:
                item = out.setdefault(t.questionnaire_id, [t.questionnaire_id, t.questionnaire_title, 0])
                item[2] += t.submitted_all
        return [tuple(v) for v in out.values()]  # type: ignore[misc]

    @property
    def ranking_satisfaction(self) -> list[TrainingRow]:
        rows = [t for t in self.trainings if t.index is not None]
        return sorted(rows, key=lambda t: (-(t.index or 0), t.title))

    @property
    def ranking_impact(self) -> list[TrainingRow]:
        rows = [t for t in self.trainings if t.impact_n]
        return sorted(rows, key=lambda t: (-(t.impact_index or 0), t.title))


def _dimension_rows(per_dim: Mapping[str, list[int]]) -> list[DimRow]:
    keys = [d for d in MAIN_DIMENSIONS if d in per_dim] + sorted(d for d in per_dim if d not in MAIN_DIMENSIONS)
    return [DimRow(d, dimension_label(d), per_dim[d][0], per_dim[d][1]) for d in keys]


def load_trainings(session: Session, filters: Filters, today: date, min_group: int, *, participants: bool = True) -> list[TrainingRow]:
    """The trainings held in the period (for the unit), with participants, invitations, L1 summary
    sums and impact sums. Six queries, whatever the number of answers."""
    held = _held(filters, today)
    unit_ids = filters.unit_ids
    conn = session.connection()  # plain rows: no ORM loading for these column selects
    dialect = conn.dialect.name
    stmt = (
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
            func.coalesce(Questionnaire.anonymous, True),
            Training.survey_closes_on,
            Questionnaire.title,
        )
        .outerjoin(Questionnaire, Questionnaire.id == Training.reaction_questionnaire_id)
        .where(*held)
        .order_by(Training.ends_on.desc(), Training.id.desc())
    )
    rows = {
        r[0]: TrainingRow(
            id=r[0], code=r[1], title=r[2], kind=r[3], provider=r[4] or "", starts_on=r[5], ends_on=r[6], jp=r[7] or 0,
            questionnaire_id=r[8], anonymous=bool(r[9]), survey_closes_on=r[10], questionnaire_title=r[11] or "",
        )
        for r in conn.execute(stmt).all()
    }
    if not rows:
        return []
    # participants and JP delivered per training: the unit's staff only with a unit filter, and then
    # only the trainings that the unit's staff attended are kept (the dashboard, which shows no
    # per-training participants, skips this query without a unit filter)
    per_training = (
        select(Enrollment.training_id, func.count(), func.coalesce(func.sum(Enrollment.jp_credited), 0))
        .where(in_ids(Enrollment.training_id, rows, dialect), took_part(Enrollment.status))
        .group_by(Enrollment.training_id)
    )
    if unit_ids:
        per_training = per_training.join(Employee, Employee.id == Enrollment.employee_id).where(Employee.unit_id.in_(unit_ids))
    for tid, n, jp in conn.execute(per_training).all() if participants or unit_ids else ():
        rows[tid].participants, rows[tid].jp_delivered = int(n), int(jp or 0)
    if unit_ids:
        rows = {tid: r for tid, r in rows.items() if r.participants}
        if not rows:
            return []
    ids = list(rows)
    # L1 invitations of each training's reaction questionnaire, per training, questionnaire and status
    # (the questionnaire is matched here, not joined), from the counts kept by triggers; with a unit
    # filter, the unit's share grouped from the invitations of its staff
    # columns: training, questionnaire, status, everyone's (for the minimum group), the unit's (or
    # everyone's without a unit filter), count
    ic = InvitationCount
    counts = select(ic.training_id, ic.questionnaire_id, ic.status, literal(True), literal(not unit_ids), ic.n).where(
        in_ids(ic.training_id, ids, dialect), ic.n > 0
    )
    if unit_ids:
        i = SurveyInvitation
        counts = counts.union_all(
            select(i.training_id, i.questionnaire_id, i.status, literal(False), literal(True), func.count())
            .join(Employee, Employee.id == i.employee_id)
            .where(in_ids(i.training_id, ids, dialect), Employee.unit_id.in_(unit_ids))
            .group_by(i.training_id, i.questionnaire_id, i.status)
        )
    for tid, qid, status, everyone, mine, n in conn.execute(counts).all():
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
        _load_l1_sums(session, rows, shown, min_group)
    # L3 impact scores (attributed): per training, the unit's alumni only with a unit filter
    imp = (
        select(Enrollment.training_id, func.count(ImpactScore.id), func.sum(ImpactScore.impact_index))
        .select_from(ImpactScore)
        .join(Enrollment, Enrollment.id == ImpactScore.enrollment_id)
        .where(in_ids(Enrollment.training_id, ids, dialect))
        .group_by(Enrollment.training_id)
    )
    if unit_ids:
        imp = imp.join(Employee, Employee.id == Enrollment.employee_id).where(Employee.unit_id.in_(unit_ids))
    for tid, n, total in conn.execute(imp).all():
        if tid in rows:
            rows[tid].impact_n, rows[tid].impact_sum = int(n or 0), float(total or 0)
    return list(rows.values())


def _load_l1_sums(session: Session, rows: dict[int, TrainingRow], ids: list[int], min_group: int) -> None:
    """Likert sums per training and dimension, and NPS groups per training, from the L1 roll-up
    (`trainingl1`, a few rows per training): only the cells (training x question of its reaction
    questionnaire) with enough answers count (the minimum group for an anonymous questionnaire, one
    otherwise). A roll-up row stands for its cells when its smallest cell reaches that; the trainings with
    a smaller cell are added up from their cells (`_load_l1_cells`)."""
    if not any(rows[t].questionnaire_id for t in ids):
        return
    conn = session.connection()
    least = max(1, min_group)
    l1 = TrainingL1
    found: list[Any] = []
    from_cells: set[int] = set()
    stmt = select(l1.training_id, l1.questionnaire_id, l1.kind, l1.dimension, l1.n, l1.total, l1.promoters, l1.passives, l1.detractors, l1.min_n)
    for row in conn.execute(stmt.where(in_ids(l1.training_id, ids, conn.dialect.name))).all():
        r = rows[row[0]]
        if row[1] != r.questionnaire_id:
            continue
        if r.anonymous and row[9] < least:
            from_cells.add(r.id)
        else:
            found.append(row)
    for tid, _qid, kind, dim, n, total, promoters, passives, detractors, _min in found:
        if tid in from_cells:
            continue
        r = rows[tid]
        if kind == "likert5":
            _add_likert(r, dim, int(n), int(total))
        else:
            _add_nps(r, int(promoters), int(passives), int(detractors))
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


def _load_l1_cells(session: Session, rows: dict[int, TrainingRow], ids: list[int], min_group: int) -> None:
    """As `_load_l1_sums`, from the summary cells themselves (trainings with a cell under the minimum
    group): two queries returning a few rows per training, added up by the database; plain rows."""
    conn = session.connection()
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


def _enrollment_rollup(session: Session, trainings: list[TrainingRow], filters: Filters, today: date) -> tuple[int, int, JpSummary]:
    """Distinct participants and JP delivered in the period, and JP compliance in the year. The compliance
    comes from the JP summary (`employeejp`, kept by triggers). So do the period's figures when the period
    is a calendar year: the summary counts the trainings ending in that year, which are the year's held
    trainings unless a training ending later than today already has credited enrollments (checked in the
    same statement). Otherwise, or for a date range, they are counted from the credited enrollments of
    the held trainings (already known: no join to the trainings). One query, two in that rare case."""
    unit_ids = filters.unit_ids
    conn = session.connection()
    j = EmployeeJp
    active = Employee.is_active.is_(True)
    in_unit = [Employee.unit_id.in_(unit_ids)] if unit_ids else []
    reached = (
        select(func.count())
        .select_from(j)
        .join(Employee, Employee.id == j.employee_id)
        .where(j.year == filters.year, j.jp >= JP_TARGET, active, *in_unit)
        .scalar_subquery()
    )
    employees = select(func.count()).select_from(Employee).where(active, *in_unit).scalar_subquery()
    from_enrollments = select(literal(0), literal(0))
    if trainings:
        from_enrollments = select(func.count(distinct(Enrollment.employee_id)), func.coalesce(func.sum(Enrollment.jp_credited), 0)).where(
            in_ids(Enrollment.training_id, [t.id for t in trainings], conn.dialect.name), took_part(Enrollment.status)
        )
        if unit_ids:
            from_enrollments = from_enrollments.join(Employee, Employee.id == Enrollment.employee_id).where(*in_unit)
    if filters.mode != "tahun":
        participants, jp_delivered, n_reached, n_employees = conn.execute(from_enrollments.add_columns(reached, employees)).one()
    else:
        from_summary = select(func.count(), func.coalesce(func.sum(j.jp), 0)).select_from(j).where(j.year == filters.year, j.trainings > 0)
        if unit_ids:
            from_summary = from_summary.join(Employee, Employee.id == j.employee_id).where(*in_unit)
        credited_later = literal(False)
        if filters.end > today:
            credited_later = (
                select(Enrollment.id)
                .join(Training, Training.id == Enrollment.training_id)
                .where(Training.ends_on > today, Training.ends_on <= filters.end, took_part(Enrollment.status))
                .exists()
            )
        participants, jp_delivered, n_reached, n_employees, later = conn.execute(
            from_summary.add_columns(reached, employees, credited_later)
        ).one()
        if later:
            participants, jp_delivered = conn.execute(from_enrollments).one()
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


def dashboard(session: Session, filters: Filters, today: date, min_group: int, *, with_participants: bool = False) -> Dashboard:
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
        dims=_dimension_rows(per_dim),
        likert_n=sum(v[0] for v in per_dim.values()),
        likert_total=sum(v[1] for v in per_dim.values()),
        nps=scoring.NpsResult(sum(nps_parts), *nps_parts),
        months=months,
        impact_n=sum(t.impact_n for t in trainings),
        impact_sum=sum(t.impact_sum for t in trainings),
    )


def dashboard_export_rows(d: Dashboard) -> tuple[list[str], Iterator[list[Any]]]:
    """Per training: the figures of the dashboard table (aggregates only; suppressed cells say why)."""
    dims = [dim for dim in MAIN_DIMENSIONS]
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
            note = state_text(t, d.min_group)
            hidden = note if t.state in ("few", "open") else ""
            nps = t.nps
            row: list[Any] = [
                t.code, t.title, t.kind_label, t.provider, t.starts_on, t.ends_on, t.jp, t.participants, t.jp_delivered,
                t.invited, t.submitted, _round(t.response_rate),
            ]
            if t.shown:
                row.append(_round(t.index))
                for dim in dims:
                    n_total = t.dims.get(dim)
                    row.append(_round(scoring.likert_index(*n_total)) if n_total else None)
                row += [_round(nps.score), nps.promoters, nps.passives, nps.detractors] if nps else [None] * 4
            else:
                row += [hidden or None] * (1 + len(dims) + 4)
            row += [_round(t.impact_index), t.impact_n or None, note]
            yield row

    return headers, rows()


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


# --------------------------------------------------------------------------- JP compliance


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


@dataclass
class JpReport:
    filters: Filters
    year: int
    units: list[JpUnitRow]
    below: list[dict[str, Any]]
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
            Unit.id,
            func.coalesce(Unit.name, _("(tanpa unit)")),
            func.count(Employee.id),
            func.coalesce(func.sum(per_emp.c.jp), 0),
            func.coalesce(func.sum(case((per_emp.c.jp >= JP_TARGET, 1), else_=0)), 0),
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
    units = [JpUnitRow(r[0], r[1], int(r[2]), int(r[3] or 0), int(r[4] or 0)) for r in session.execute(stmt)]
    below_stmt, jp = _jp_below_select(year, filters.unit_ids)
    total = int(session.execute(select(func.count()).select_from(below_stmt.subquery())).scalar_one())
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    below = [
        dict(r._mapping) | {"shortfall": JP_TARGET - int(r.jp or 0)}
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


# --------------------------------------------------------------------------- response monitoring (L1 and L3)


def add_days(dialect: str, day_col: Any, days_col: Any) -> Any:
    """date + n days as SQL, for the L3 due dates (SQLite has no date arithmetic operator)."""
    if dialect == "sqlite":
        return func.date(day_col, func.printf("%+d days", days_col))
    return day_col + days_col


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


@dataclass
class MonitorRow:
    key: int | None
    label: str
    sub: str
    l1: Counts
    l3: Counts
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Monitoring:
    filters: Filters
    trainings: list[MonitorRow]
    units: list[MonitorRow]
    total_l1: Counts
    total_l3: Counts
    people: list[dict[str, Any]]
    people_total: int
    jenis: str
    status: str
    page: int
    pages: int
    has_l3: bool


L3_WINDOW_DEFAULT = 30


def l3_dates(ends_on: date, due_days: int, window_days: int) -> tuple[date, date]:
    """The supervisor's L3 rating is due `application_due_days` after the training ends and stays
    open for `application_window_days`; after that it is overdue."""
    due = ends_on + timedelta(days=due_days or 0)
    return due, due + timedelta(days=window_days)


MONITOR_STATUSES = ("belum", "terlambat", "sudah", "semua")


def monitoring(
    session: Session,
    filters: Filters,
    today: date,
    window_days: int,
    jenis: str = "l1",
    status: str = "belum",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Monitoring:
    """Invited / submitted / pending / overdue for L1 surveys and L3 ratings, per training and per unit,
    and one page of the people list. Five queries (the list's total comes from the counts)."""
    held = _held(filters, today)
    unit_ids = filters.unit_ids
    dialect = session.get_bind().dialect.name
    jenis = jenis if jenis in ("l1", "l3") else "l1"
    status = status if status in MONITOR_STATUSES else "belum"
    training_rows = session.execute(
        select(
            Training.id, Training.title, Training.code, Training.ends_on, Training.survey_closes_on,
            Training.application_due_days, Training.reaction_questionnaire_id,
        )
        .where(*held)
        .order_by(Training.ends_on.desc(), Training.id.desc())
    ).all()
    ids = [r.id for r in training_rows]
    reaction = {r.id: r.reaction_questionnaire_id for r in training_rows}
    by_training: dict[int, list[Counts]] = {}
    by_unit: dict[int | None, list[Counts]] = {}
    # ---- L1 per training and per unit (invitations of the trainings named by id, grouped)
    submitted = SurveyInvitation.status == "submitted"
    late = and_(~submitted, SurveyInvitation.closes_on < today)
    l1 = (
        select(
            SurveyInvitation.training_id,
            SurveyInvitation.questionnaire_id,
            Employee.unit_id,
            func.count(),
            func.sum(case((submitted, 1), else_=0)),
            func.sum(case((late, 1), else_=0)),
        )
        .join(Employee, Employee.id == SurveyInvitation.employee_id)
        .where(in_ids(SurveyInvitation.training_id, ids, dialect))
        .group_by(SurveyInvitation.training_id, SurveyInvitation.questionnaire_id, Employee.unit_id)
    )
    if unit_ids:
        l1 = l1.where(Employee.unit_id.in_(unit_ids))
    for tid, qid, uid, n, sub, overdue in session.execute(l1):
        if qid != reaction.get(tid):
            continue
        c = Counts(int(n), int(sub or 0), int(n) - int(sub or 0) - int(overdue or 0), int(overdue or 0))
        by_training.setdefault(tid, [Counts(), Counts()])[0].add(c)
        by_unit.setdefault(uid, [Counts(), Counts()])[0].add(c)
    # ---- L3 per training and per unit (credited enrollments x the supervisor's rating, grouped)
    rating = aliased(ApplicationRating)
    l3 = (
        select(
            Enrollment.training_id,
            Employee.unit_id,
            Training.ends_on,
            Training.application_due_days,
            func.count(),
            func.sum(case((rating.status == "submitted", 1), else_=0)),
        )
        .join(Training, Training.id == Enrollment.training_id)
        .join(Employee, Employee.id == Enrollment.employee_id)
        .outerjoin(rating, and_(rating.enrollment_id == Enrollment.id, rating.rater_role == "supervisor"))
        .where(*held, took_part(Enrollment.status), Training.application_questionnaire_id.is_not(None))
        .group_by(Enrollment.training_id, Employee.unit_id, Training.ends_on, Training.application_due_days)
    )
    if unit_ids:
        l3 = l3.where(Employee.unit_id.in_(unit_ids))
    has_l3 = False
    for tid, uid, ends_on, due_days, n, sub in session.execute(l3):
        has_l3 = True
        _due, closes = l3_dates(ends_on, due_days, window_days)
        open_n = int(n) - int(sub or 0)
        c = Counts(int(n), int(sub or 0), 0 if today > closes else open_n, open_n if today > closes else 0)
        by_training.setdefault(tid, [Counts(), Counts()])[1].add(c)
        by_unit.setdefault(uid, [Counts(), Counts()])[1].add(c)
    trainings: list[MonitorRow] = []
    for r in training_rows:
        if r.id not in by_training:
            continue
        l1c, l3c = by_training[r.id]
        due, closes = l3_dates(r.ends_on, r.application_due_days, window_days)
        trainings.append(
            MonitorRow(r.id, r.title, r.code, l1c, l3c, {"ends_on": r.ends_on, "l1_closes_on": r.survey_closes_on, "l3_due_on": due, "l3_closes_on": closes})
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
    people = [_coerce_dates(dict(r._mapping)) for r in session.execute(stmt.offset((page - 1) * per_page).limit(per_page))]
    for p in people:
        p["state"] = _person_state(p, today)
    return Monitoring(filters, trainings, units, total_l1, total_l3, people, people_total, jenis, status, page, pages, has_l3)


def _coerce_dates(p: dict[str, Any]) -> dict[str, Any]:
    """SQLite returns the computed L3 dates as text."""
    for key in ("opens_on", "closes_on"):
        if isinstance(p.get(key), str):
            p[key] = date.fromisoformat(p[key])
    return p


def _person_state(p: Mapping[str, Any], today: date) -> str:
    """submitted | draft | pending | overdue | upcoming"""
    if p["status"] == "submitted":
        return "submitted"
    if p.get("closes_on") and today > p["closes_on"]:
        return "overdue"
    if p.get("opens_on") and today < p["opens_on"]:
        return "upcoming"
    return "draft" if p["status"] == "draft" else "pending"


def people_select(dialect: str, filters: Filters, today: date, window_days: int, jenis: str, status: str) -> Any:
    """Who has / has not answered (names, never answers). L1: survey invitations; L3: the supervisor's
    rating per credited enrollment (the rater is the rating's rater, else the current supervisor)."""
    held = [Training.ends_on >= filters.start, Training.ends_on <= min(filters.end, today)]
    if jenis == "l3":
        rating = aliased(ApplicationRating)
        supervisor = aliased(Employee)
        rater = aliased(Employee)
        due = add_days(dialect, Training.ends_on, Training.application_due_days)
        closes = add_days(dialect, Training.ends_on, Training.application_due_days + window_days)
        state = func.coalesce(rating.status, "pending")
        stmt = (
            select(
                Employee.nip,
                Employee.name,
                func.coalesce(Unit.name, "").label("unit"),
                Training.id.label("training_id"),
                Training.title.label("training"),
                state.label("status"),
                func.coalesce(rater.name, supervisor.name, "").label("rater"),
                due.label("opens_on"),
                closes.label("closes_on"),
            )
            .select_from(Enrollment)
            .join(Training, Training.id == Enrollment.training_id)
            .join(Employee, Employee.id == Enrollment.employee_id)
            .outerjoin(Unit, Unit.id == Employee.unit_id)
            .outerjoin(rating, and_(rating.enrollment_id == Enrollment.id, rating.rater_role == "supervisor"))
            .outerjoin(rater, rater.id == rating.rater_id)
            .outerjoin(supervisor, supervisor.id == Employee.supervisor_id)
            .where(*held, took_part(Enrollment.status), Training.application_questionnaire_id.is_not(None))
        )
        not_done = or_(rating.status.is_(None), rating.status != "submitted")
        past = closes < today if dialect != "sqlite" else closes < today.isoformat()
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
            )
            .select_from(SurveyInvitation)
            .join(Training, and_(Training.id == SurveyInvitation.training_id, Training.reaction_questionnaire_id == SurveyInvitation.questionnaire_id))
            .join(Employee, Employee.id == SurveyInvitation.employee_id)
            .outerjoin(Unit, Unit.id == Employee.unit_id)
            .where(*held)
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


STATE_LABELS = {
    "submitted": "Sudah mengisi",
    "draft": "Sedang mengisi",
    "pending": "Belum mengisi",
    "overdue": "Lewat batas waktu",
    "upcoming": "Belum dibuka",
}


def monitoring_export(
    engine: Engine, filters: Filters, today: date, window_days: int, jenis: str, status: str
) -> tuple[list[str], Iterator[list[Any]]]:
    """The people list (all pages), streamed from its own connection."""
    jenis = jenis if jenis in ("l1", "l3") else "l1"
    status = status if status in MONITOR_STATUSES else "belum"
    if jenis == "l3":
        headers = [_("NIP"), _("Nama alumni"), _("Unit kerja"), _("Pelatihan"), _("Penilai (atasan)"), _("Status penilaian penerapan (L3)"), _("Dibuka"), _("Batas waktu")]
    else:
        headers = [_("NIP"), _("Nama"), _("Unit kerja"), _("Pelatihan"), _("Status survei (L1)"), _("Dibuka"), _("Batas waktu")]

    def rows() -> Iterator[list[Any]]:
        with engine.connect() as conn:
            stmt = people_select(conn.dialect.name, filters, today, window_days, jenis, status)
            for r in conn.execution_options(stream_results=True, yield_per=2000).execute(stmt):
                p = _coerce_dates(dict(r._mapping))
                label = _(STATE_LABELS[_person_state(p, today)])
                if jenis == "l3":
                    yield [p["nip"], p["name"], p["unit"], p["training"], p["rater"], label, p["opens_on"], p["closes_on"]]
                else:
                    yield [p["nip"], p["name"], p["unit"], p["training"], label, p["opens_on"], p["closes_on"]]

    return headers, rows()
