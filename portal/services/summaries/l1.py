"""The L1 roll-up (table `trainingl1`): per training and questionnaire, the answer-summary cells of the
Likert items added up per dimension, and those of the 0-10 items as promoters / passives / detractors,
each row with the smallest n of its cells (`min_n`).

Why: the HR dashboard added up every summary cell of the period's trainings on each view (5,000 cells
and their 0-10 value rows for a year of 180 trainings: 15-20 ms of PostgreSQL); the roll-up gives a few
rows per training.

The minimum group: for an anonymous questionnaire a cell counts only with n >= the minimum group (a
setting that may change), so a row stands for its cells only when `min_n` reaches it; the dashboard adds
up the cells of the other trainings itself. For an attributed questionnaire every answered cell counts.

Kept by `apply` in the submit transaction, after the answers summary: the training's rows of the
questionnaire are recomputed from its cells, so they are exact whatever the order of submits (on
PostgreSQL submit locks the training row first, so the submits of one training run one after the other;
SQLite has one writer), and every one of them carries the latest submit's transaction id (no order to
read from `xmin`). `rebuild` runs the same computation for every training with cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from portal import scoring
from portal.db import dialect
from portal.models import Question, TrainingL1, TrainingSummary, TrainingSummaryValue
from portal.services import questionnaires
from portal.services.questionnaires import Structure

COLUMNS = ["training_id", "questionnaire_id", "kind", "dimension", "n", "total", "promoters", "passives", "detractors", "min_n"]
PROMOTER_VALUES = tuple(str(v) for v in range(scoring.NPS_PROMOTER_FROM, 11))
PASSIVE_VALUES = tuple(str(v) for v in range(scoring.NPS_DETRACTOR_TO + 1, scoring.NPS_PROMOTER_FROM))
DETRACTOR_VALUES = tuple(str(v) for v in range(scoring.NPS_DETRACTOR_TO + 1))
_GROUPS = {v: k for k, values in enumerate((PROMOTER_VALUES, PASSIVE_VALUES, DETRACTOR_VALUES)) for v in values}

_CELLS = select(TrainingSummary.question_id, TrainingSummary.n, TrainingSummary.total).where(
    TrainingSummary.training_id == bindparam("t"), TrainingSummary.n > 0
)
_VALUES = select(TrainingSummaryValue.value, TrainingSummaryValue.count).where(
    TrainingSummaryValue.training_id == bindparam("t"), TrainingSummaryValue.question_id == bindparam("q")
)
_UPSERT: dict[str, Any] = {}


@dataclass(frozen=True)
class Submitted:
    """A response to `structure` was added to the answers summary of the training."""

    training_id: int
    structure: Structure


def apply(conn: Connection, change: Submitted) -> None:
    """Rewrite the roll-up rows of the training and questionnaire from its summary cells (in the
    caller's transaction, after the cells): a read of the cells and of the value counts of its 0-10
    items, added up here (a few dozen plain rows: cheaper than grouping them in SQL on every submit)."""
    if not _rolls_up(change.structure):
        return
    cells = {c.question_id: (c.n, c.total) for c in conn.execute(_CELLS, {"t": change.training_id})}
    scale = [qid for qid in cells if _is_scale(change.structure, qid)]
    values = {qid: [(v.value, v.count) for v in conn.execute(_VALUES, {"t": change.training_id, "q": qid})] for qid in scale}
    _write(conn, change, cells, values)


def apply_rows(conn: Connection, change: Submitted, cells: dict[int, tuple[int, int]], values: dict[int, list[tuple[str, int]]]) -> None:
    """The same as `apply`, from the training's summary rows as the caller already has them
    (summaries.answers.apply_to_every_row returns them): cells {question_id: (n, total)}, value counts
    {question_id: [(value, count), ...]}, at least those of `inputs(structure)`."""
    if _rolls_up(change.structure):
        _write(conn, change, {q: c for q, c in cells.items() if c[0] > 0}, values)


def inputs(structure: Structure) -> tuple[list[int], list[int]]:
    """The questions whose cells, and those whose value counts, the roll-up reads (for `apply_rows`)."""
    return [q.id for q in structure.questions if q.kind in ("likert5", "scale0_10")], [q.id for q in structure.questions if q.kind == "scale0_10"]


def _rolls_up(structure: Structure) -> bool:
    return any(q.kind in ("likert5", "scale0_10") for q in structure.questions)


def _is_scale(structure: Structure, question_id: int) -> bool:
    q = structure.by_id.get(question_id)
    return q is not None and q.kind == "scale0_10"


def _write(conn: Connection, change: Submitted, cells: dict[int, tuple[int, int]], values: dict[int, list[tuple[str, int]]]) -> None:
    """Add up the cells (n > 0) per (kind, dimension) and the 0-10 value counts, and upsert the rows."""
    structure = change.structure
    groups: dict[tuple[str, str], list[int]] = {}  # (kind, dimension) -> n, total, promoters, passives, detractors, min_n
    for question_id, (n, total) in cells.items():
        q = structure.by_id.get(question_id)
        if q is None or q.kind not in ("likert5", "scale0_10"):
            continue
        key = (q.kind, q.dimension if q.kind == "likert5" else "")
        g = groups.get(key)
        if g is None:
            g = groups[key] = [n, total, 0, 0, 0, n]
        else:
            g[0] += n
            g[1] += total
            g[5] = min(g[5], n)
        if q.kind == "scale0_10":
            for value, count in values.get(question_id, ()):
                k = _GROUPS.get(value)
                if k is not None:
                    g[2 + k] += count
    if not groups:
        return
    name = conn.dialect.name
    upsert = _UPSERT.get(name)
    if upsert is None:
        stmt = dialect.insert(name)(TrainingL1.__table__)
        upsert = _UPSERT[name] = stmt.on_conflict_do_update(
            index_elements=["training_id", "questionnaire_id", "kind", "dimension"],
            set_={c: stmt.excluded[c] for c in COLUMNS[4:]},
        )
    conn.execute(upsert, [dict(zip(COLUMNS, (change.training_id, structure.questionnaire_id, kind, dim, *g), strict=True))
                          for (kind, dim), g in groups.items()])


def rebuild(session: Session) -> int:
    """Recompute the whole roll-up with `apply`, for every training and questionnaire that has summary
    cells (does not commit). PostgreSQL: the answer summaries are locked against writes meanwhile."""
    dialect.lock_tables_against_writes(session, "trainingsummary", "trainingsummaryvalue")
    session.execute(delete(TrainingL1))
    pairs = session.execute(
        select(TrainingSummary.training_id, Question.questionnaire_id)
        .join(Question, Question.id == TrainingSummary.question_id)
        .group_by(TrainingSummary.training_id, Question.questionnaire_id)
    ).all()
    conn = session.connection()
    for pair in pairs:
        apply(conn, Submitted(pair.training_id, questionnaires.load_structure(session, pair.questionnaire_id)))
    return int(session.execute(select(func.count()).select_from(TrainingL1)).scalar_one())
