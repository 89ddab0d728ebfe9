"""The survey answers summary (tables `trainingsummary`, `trainingsummaryvalue`): per training and
question, n, the sum of the values and of the retrospective "before" values, and the count of each
value or option.

Why: the training report and the dashboards read per-question figures from a few rows per training
instead of grouping the raw answers (1M answers: ~1 s of SQL per view).

Kept by `apply` in the survey submit transaction (upserts that add one response); `rebuild` replays
every stored answer through the same `cell` function. Anonymity: on PostgreSQL an anonymous submit uses
`apply_to_every_row` instead, which adds the response and rewrites every row of the training in one
statement, so that they all carry its transaction id (see surveys.submit, docs/anonymity.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.engine import Connection
from sqlmodel import Session

from portal.db import dialect
from portal.db.bulk import BulkWrite
from portal.models import Answer, Question, SurveyResponse, TrainingSummary, TrainingSummaryValue
from portal.services.questionnaires import Structure
from portal.services.surveys.answers import AnswerValue

Cell = tuple[int, int, int, int]  # n, total, n_before, total_before


@dataclass(frozen=True)
class Submitted:
    """One submitted response: its training, the questionnaire revision and the stored answers."""

    training_id: int
    structure: Structure
    answers: dict[int, AnswerValue]


def cell(kind: str, v: AnswerValue) -> tuple[Cell, list[str]] | None:
    """What one answer adds to its question's row, and the values it adds one to (None: nothing)."""
    if not (v.num is not None or v.before is not None or v.text):
        return None
    if kind in ("likert5", "scale0_10"):
        n, total = (1, v.num) if v.num is not None else (0, 0)
        n_before, total_before = (1, v.before) if v.before is not None else (0, 0)
        return (n, total, n_before, total_before), ([str(v.num)] if v.num is not None else [])
    if kind == "single":
        return (1, 0, 0, 0), [str(v.num)]
    if kind == "multi":
        sel = v.selected
        return (1, len(sel), 0, 0), [str(i) for i in sel]
    return (1, 0, 0, 0), []


TOTAL_KEYS = ("training_id", "question_id", "n", "total", "n_before", "total_before")
VALUE_KEYS = ("training_id", "question_id", "value", "count")


def _add_totals(name: str) -> Any:
    ts = TrainingSummary.__table__
    totals = dialect.insert(name)(ts)
    return totals.on_conflict_do_update(
        index_elements=["training_id", "question_id"],
        set_={c: ts.c[c] + totals.excluded[c] for c in ("n", "total", "n_before", "total_before")},
    )


def _add_values(name: str) -> Any:
    tv = TrainingSummaryValue.__table__
    values = dialect.insert(name)(tv)
    return values.on_conflict_do_update(
        index_elements=["training_id", "question_id", "value"], set_={"count": tv.c["count"] + values.excluded["count"]}
    )


# about 70 rows per submitted response: written through the driver's executemany (portal.db.bulk)
ADD_TOTALS = BulkWrite(_add_totals, TOTAL_KEYS)
ADD_VALUES = BulkWrite(_add_values, VALUE_KEYS)


def _write(conn: Connection, totals: list[tuple], values: list[tuple]) -> None:
    ADD_TOTALS.run(conn, totals)
    ADD_VALUES.run(conn, values)


def apply(conn: Connection, change: Submitted) -> None:
    """Add one submitted response (in the submit's transaction)."""
    totals, values = _increments(change)
    t = change.training_id
    _write(conn, [(t, *r) for r in totals], [(t, *r) for r in values])


def _increments(change: Submitted) -> tuple[list[tuple], list[tuple]]:
    """What one response adds: rows (question_id, n, total, n_before, total_before) and (question_id, value, 1)."""
    totals: list[tuple] = []
    values: list[tuple] = []
    for q in change.structure.questions:
        v = change.answers.get(q.id)
        got = cell(q.kind, v) if v is not None else None
        if got is None:
            continue
        totals.append((q.id, *got[0]))
        values.extend((q.id, value, 1) for value in got[1])
    return totals, values


# PostgreSQL: both tables of one training in one statement. Every existing row is updated, by its
# increment (`hit`) or by nothing (`rest`: disjoint from `hit`, so no row is updated twice), the rows of
# values seen for the first time inserted; all rows end up carrying
# this transaction's id, and the statement returns the training's rows as they now are. Submits of one
# training run one at a time (the training row's lock), so the NOT EXISTS inserts cannot race.
_EVERY_ROW_CTES = """
t_inc AS (
    SELECT * FROM unnest(CAST(:q AS integer[]), CAST(:n AS integer[]), CAST(:total AS integer[]),
                         CAST(:n_before AS integer[]), CAST(:total_before AS integer[]))
        AS i(question_id, n, total, n_before, total_before)
), v_inc AS (
    SELECT * FROM unnest(CAST(:vq AS integer[]), CAST(:value AS varchar[]), CAST(:count AS integer[])) AS i(question_id, value, count)
), t_added AS (
    INSERT INTO trainingsummary (training_id, question_id, n, total, n_before, total_before)
    SELECT :t, i.question_id, i.n, i.total, i.n_before, i.total_before FROM t_inc i
    WHERE NOT EXISTS (SELECT 1 FROM trainingsummary s WHERE s.training_id = :t AND s.question_id = i.question_id)
    RETURNING question_id, n, total
), t_hit AS (
    UPDATE trainingsummary s SET n = s.n + i.n, total = s.total + i.total,
        n_before = s.n_before + i.n_before, total_before = s.total_before + i.total_before
    FROM t_inc i WHERE s.training_id = :t AND s.question_id = i.question_id
    RETURNING s.question_id, s.n, s.total
), t_rest AS (
    UPDATE trainingsummary s SET n = s.n
    WHERE s.training_id = :t AND NOT EXISTS (SELECT 1 FROM t_inc i WHERE i.question_id = s.question_id)
    RETURNING s.question_id, s.n, s.total
), v_added AS (
    INSERT INTO trainingsummaryvalue (training_id, question_id, value, "count")
    SELECT :t, i.question_id, i.value, i.count FROM v_inc i
    WHERE NOT EXISTS (SELECT 1 FROM trainingsummaryvalue s
                      WHERE s.training_id = :t AND s.question_id = i.question_id AND s.value = i.value)
    RETURNING question_id, value, "count"
), v_hit AS (
    UPDATE trainingsummaryvalue s SET "count" = s."count" + i.count
    FROM v_inc i WHERE s.training_id = :t AND s.question_id = i.question_id AND s.value = i.value
    RETURNING s.question_id, s.value, s."count"
), v_rest AS (
    UPDATE trainingsummaryvalue s SET "count" = s."count"
    WHERE s.training_id = :t AND NOT EXISTS (SELECT 1 FROM v_inc i WHERE i.question_id = s.question_id AND i.value = s.value)
    RETURNING s.question_id, s.value, s."count"
)"""
_EVERY_ROW_SELECT = """
SELECT question_id, NULL AS value, n, total FROM (
    SELECT question_id, n, total FROM t_added UNION ALL SELECT question_id, n, total FROM t_hit
    UNION ALL SELECT question_id, n, total FROM t_rest) c
WHERE question_id = ANY(CAST(:cells_of AS integer[]))
UNION ALL
SELECT question_id, value, "count", NULL FROM (
    SELECT question_id, value, "count" FROM v_added UNION ALL SELECT question_id, value, "count" FROM v_hit
    UNION ALL SELECT question_id, value, "count" FROM v_rest) v
WHERE question_id = ANY(CAST(:values_of AS integer[]))
"""
_STATEMENTS: dict[str, Any] = {}


@dataclass(frozen=True)
class TrainingRows:
    """Summary rows of a training as they stand: cells {question_id: (n, total)} and value counts
    {question_id: [(value, count), ...]}."""

    cells: dict[int, tuple[int, int]]
    values: dict[int, list[tuple[str, int]]]


def apply_to_every_row(
    conn: Connection, change: Submitted, *, cells_of: list[int], values_of: list[int], along: tuple[str, dict[str, Any]] = ("", {})
) -> TrainingRows:
    """PostgreSQL: add one submitted response and rewrite every summary row of its training, in one
    statement (in the submit's transaction); returns the training's rows as they now are, the cells of
    the questions `cells_of` and the value counts of `values_of` (what the L1 roll-up reads).

    `along`: the caller's own data-modifying CTEs ("name AS (...), " text, a constant, and its parameters,
    named apart from these) run in the same statement, to save a round trip (surveys.crowds)."""
    ctes, extra = along
    stmt = _STATEMENTS.get(ctes)
    if stmt is None:
        stmt = _STATEMENTS[ctes] = text("WITH " + ctes + _EVERY_ROW_CTES + _EVERY_ROW_SELECT)
    totals, values = _increments(change)
    params: dict[str, Any] = {**extra, "t": change.training_id, "cells_of": cells_of, "values_of": values_of}
    for i, key in enumerate(("q", "n", "total", "n_before", "total_before")):
        params[key] = [r[i] for r in totals]
    for i, key in enumerate(("vq", "value", "count")):
        params[key] = [r[i] for r in values]
    cells: dict[int, tuple[int, int]] = {}
    counts: dict[int, list[tuple[str, int]]] = {}
    for r in conn.execute(stmt, params):
        if r.value is None:
            cells[r.question_id] = (r.n, r.total)
        else:
            counts.setdefault(r.question_id, []).append((r.value, r.n))
    return TrainingRows(cells, counts)


def recount(session: Session | Connection, training_id: int | None = None) -> tuple[dict[tuple[int, int], Cell], dict[tuple[int, int, str], int]]:
    """The summary computed from the stored answers (of one training, or all) with `cell`:
    ({(training_id, question_id): cell}, {(training_id, question_id, value): count})."""
    stmt = (
        select(SurveyResponse.training_id, Answer.question_id, Question.kind, Answer.value_num, Answer.value_before, Answer.value_text)
        .join(SurveyResponse, SurveyResponse.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
    )
    if training_id is not None:
        stmt = stmt.where(SurveyResponse.training_id == training_id)
    cells: dict[tuple[int, int], list[int]] = {}
    counts: dict[tuple[int, int, str], int] = {}
    for r in session.execute(stmt.execution_options(yield_per=10_000)):
        got = cell(r.kind, AnswerValue(num=r.value_num, before=r.value_before, text=r.value_text))
        if got is None:
            continue
        key = (r.training_id, r.question_id)
        acc = cells.setdefault(key, [0, 0, 0, 0])
        for i, x in enumerate(got[0]):
            acc[i] += x
        for value in got[1]:
            counts[(*key, value)] = counts.get((*key, value), 0) + 1
    return {k: (v[0], v[1], v[2], v[3]) for k, v in cells.items()}, counts


def stored(session: Session | Connection, training_id: int | None = None) -> tuple[dict[tuple[int, int], Cell], dict[tuple[int, int, str], int]]:
    """The summary as stored, in the shape of `recount`."""
    ts, tv = TrainingSummary, TrainingSummaryValue
    s1 = select(ts.training_id, ts.question_id, ts.n, ts.total, ts.n_before, ts.total_before)
    s2 = select(tv.training_id, tv.question_id, tv.value, tv.count).where(tv.count > 0)
    if training_id is not None:
        s1, s2 = s1.where(ts.training_id == training_id), s2.where(tv.training_id == training_id)
    cells = {(r.training_id, r.question_id): (r.n, r.total, r.n_before, r.total_before) for r in session.execute(s1)}
    counts = {(r.training_id, r.question_id, r.value): r.count for r in session.execute(s2)}
    return cells, counts


def rebuild(session: Session) -> int:
    """Recompute both tables from every stored answer (does not commit). PostgreSQL: answers are locked
    against writes meanwhile. Returns the number of question rows."""
    dialect.lock_tables_against_writes(session, "surveyresponse", "answer")
    cells, counts = recount(session)
    session.execute(delete(TrainingSummaryValue))
    session.execute(delete(TrainingSummary))
    _write(session.connection(), [(t, q, *c) for (t, q), c in cells.items()], [(t, q, v, n) for (t, q, v), n in counts.items()])
    return len(cells)
