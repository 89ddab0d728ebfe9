"""The L1 roll-up (table `trainingl1`): per training and questionnaire, the summary cells of the Likert
items added up per dimension, and those of the 0-10 items as promoters / passives / detractors, each row
with the smallest n of its cells (`min_n`).

Why: the HR dashboard added up every summary cell of the period's trainings on each view (5,000 cells and
their 0-10 value rows for a year of 180 trainings: 15-20 ms of PostgreSQL); the roll-up gives a few rows
per training.

The minimum group: for an anonymous questionnaire a cell counts only with n >= the minimum group (a
setting that may change), so a row stands for its cells only when `min_n` reaches it; the dashboard adds
up the cells of the other trainings itself. For an attributed questionnaire every answered cell counts.

Kept in the submit transaction (`refresh`, after the summary cells): the training's rows of the
questionnaire are rewritten from its cells, so they are exact whatever the order of submits (on
PostgreSQL, submit locks the training row first - FOR NO KEY UPDATE - so the submits of one training run
one after the other and each reads the cells the previous ones committed; SQLite has one writer), and
every one of them carries the latest submit's transaction id (no order to read from `xmin`). `rebuild`
recomputes the table (`portal scores rebuild-l1`, e.g. after summaries were loaded in bulk).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    and_,
    bindparam,
    case,
    delete,
    func,
    literal,
    select,
    text,
    union_all,
)
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Connection
from sqlmodel import Session

from portal import scoring
from portal.db import RawInsertMany, RawSelect
from portal.models import Question, TrainingL1, TrainingSummary, TrainingSummaryValue
from portal.services.questionnaires import Structure

COLUMNS = ["training_id", "questionnaire_id", "kind", "dimension", "n", "total", "promoters", "passives", "detractors", "min_n"]
PROMOTER_VALUES = tuple(str(v) for v in range(scoring.NPS_PROMOTER_FROM, 11))
PASSIVE_VALUES = tuple(str(v) for v in range(scoring.NPS_DETRACTOR_TO + 1, scoring.NPS_PROMOTER_FROM))
DETRACTOR_VALUES = tuple(str(v) for v in range(scoring.NPS_DETRACTOR_TO + 1))


def rollup_select(training: Any = None) -> Any:
    """The roll-up rows, straight from the summary cells: of every training, or of `training` (an id or a
    bound parameter)."""
    ts, q, tv = TrainingSummary, Question, TrainingSummaryValue
    where = [] if training is None else [ts.training_id == training]
    likert = (
        select(
            ts.training_id, q.questionnaire_id, literal("likert5").label("kind"), q.dimension,
            func.sum(ts.n), func.sum(ts.total), literal(0), literal(0), literal(0), func.min(ts.n),
        )
        .join(q, q.id == ts.question_id)
        .where(q.kind == "likert5", ts.n > 0, *where)
        .group_by(ts.training_id, q.questionnaire_id, q.dimension)
    )

    def bucket(values: tuple[str, ...]) -> Any:
        return func.coalesce(func.sum(case((tv.value.in_(values), tv.count), else_=0)), 0)

    per_cell = (
        select(tv.training_id, tv.question_id, bucket(PROMOTER_VALUES).label("p"), bucket(PASSIVE_VALUES).label("pa"),
               bucket(DETRACTOR_VALUES).label("d"))
        .group_by(tv.training_id, tv.question_id)
    )
    if training is not None:
        per_cell = per_cell.where(tv.training_id == training)
    b = per_cell.subquery()
    scale = (
        select(
            ts.training_id, q.questionnaire_id, literal("scale0_10"), literal(""),
            func.sum(ts.n), func.sum(ts.total), func.coalesce(func.sum(b.c.p), 0), func.coalesce(func.sum(b.c.pa), 0),
            func.coalesce(func.sum(b.c.d), 0), func.min(ts.n),
        )
        .join(q, q.id == ts.question_id)
        .outerjoin(b, and_(b.c.training_id == ts.training_id, b.c.question_id == ts.question_id))
        .where(q.kind == "scale0_10", ts.n > 0, *where)
        .group_by(ts.training_id, q.questionnaire_id)
    )
    return union_all(likert, scale)


_CELLS = RawSelect(select(TrainingSummary.question_id, TrainingSummary.n, TrainingSummary.total).where(
    TrainingSummary.training_id == bindparam("t"), TrainingSummary.n > 0))
_VALUES = RawSelect(select(TrainingSummaryValue.value, TrainingSummaryValue.count).where(
    TrainingSummaryValue.training_id == bindparam("t"), TrainingSummaryValue.question_id == bindparam("q")))
_UPSERT: dict[str, RawInsertMany] = {}
_GROUPS = {v: k for k, values in enumerate((PROMOTER_VALUES, PASSIVE_VALUES, DETRACTOR_VALUES)) for v in values}


def refresh(conn: Connection, training_id: int, structure: Structure) -> None:
    """Rewrite the roll-up rows of the training and the submitted questionnaire from its summary cells
    (in the caller's transaction, after the cells): the same rows as `rollup_select`, from a read of the
    training's cells and of the value counts of its 0-10 items, added up here (a few dozen plain rows:
    cheaper than having the database group and join them on every submit)."""
    groups: dict[tuple[str, str], list[int]] = {}  # (kind, dimension) -> n, total, promoters, passives, detractors, min_n
    scale: list[int] = []
    for question_id, n, total in _CELLS.all(conn, t=training_id):
        q = structure.by_id.get(question_id)
        if q is None or q.kind not in ("likert5", "scale0_10"):
            continue
        g = groups.get((q.kind, q.dimension if q.kind == "likert5" else ""))
        if g is None:
            groups[(q.kind, q.dimension if q.kind == "likert5" else "")] = [n, total, 0, 0, 0, n]
        else:
            g[0] += n
            g[1] += total
            g[5] = min(g[5], n)
        if q.kind == "scale0_10":
            scale.append(question_id)
    for question_id in scale:
        g = groups[("scale0_10", "")]
        for value, count in _VALUES.all(conn, t=training_id, q=question_id):
            k = _GROUPS.get(value)
            if k is not None:
                g[2 + k] += count
    if not groups:
        return
    upsert = _UPSERT.get(conn.dialect.name)
    if upsert is None:
        ins = pg_dialect.insert if conn.dialect.name == "postgresql" else sqlite_dialect.insert
        stmt = ins(TrainingL1.__table__)
        stmt = stmt.on_conflict_do_update(
            index_elements=["training_id", "questionnaire_id", "kind", "dimension"],
            set_={c: getattr(stmt.excluded, c) for c in COLUMNS[4:]},
        )
        upsert = _UPSERT[conn.dialect.name] = RawInsertMany(stmt, conn.dialect, COLUMNS)
    upsert.run(conn, [(training_id, structure.questionnaire_id, kind, dim, *g) for (kind, dim), g in groups.items()])


def rebuild(session: Session) -> int:
    """Recompute the whole roll-up (the caller commits). PostgreSQL: the summaries are locked against
    writes meanwhile."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE trainingsummary, trainingsummaryvalue IN SHARE MODE"))
    session.execute(delete(TrainingL1))
    session.execute(TrainingL1.__table__.insert().from_select(COLUMNS, rollup_select()))
    return int(session.execute(select(func.count()).select_from(TrainingL1)).scalar_one())
