"""The raw answers of an ATTRIBUTED reaction questionnaire (/laporan/jawaban/{fmt} for the trainings
held in a period, /laporan/pelatihan/{id}/jawaban/{fmt} for one training): one row per response, who
and when, then a column per question (a second one for the 'before' value of a retrospective item),
choice answers written with their option labels. Never for an anonymous questionnaire: the web layer
refuses before calling this.

One mechanism for CSV and XLSX, in constant memory: ONE query walks the responses in key order with
their answers joined and folded per response (`dialect.json_list_agg`: the question ids and the values
as JSON lists, so that 100,000 rows cross into Python instead of 3,000,000 answers), Python puts each
response's answers in their columns (`AnswerLayout`), and the writers of `exports` stream the rows
(`csv.writer`; xlsxwriter in constant-memory mode). The respondents' and the trainings' cells are read
first, once each (as many as the people and trainings in the export, not the responses).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from operator import itemgetter
from typing import Any

from sqlalchemy import null, select
from sqlalchemy.engine import Connection, Engine

from portal.db import dialect as sql_dialect
from portal.db.read_ahead import read_ahead
from portal.i18n import _
from portal.models import Answer, Employee, SurveyResponse, Training, Unit
from portal.services.reports.filters import Filters
from portal.services.reports.training_questions import QuestionStat

ROWS_PER_FETCH = 500  # responses
NOBODY = (None, None, None)  # the NIP, name and unit of a response without a respondent
NO_TRAINING = (None, None)
MULTI_REMEMBERED = 4096  # multi-choice answers whose labels are remembered during one export


class AnswerLayout:
    """The answer columns of a questionnaire's raw export and how one response fills them: a column per
    question in question order (position, then id), a second one for the 'before' value of a
    retrospective item; choice answers written with their option labels. `questions` are objects with
    `id`, `kind`, `options` (labels) and `retrospective`, in column order."""

    def __init__(self, questions: Sequence[Any]) -> None:
        self.slots: dict[int, tuple[int, int | None]] = {}  # question id -> (its column, its 'before' column)
        self.labels: dict[int, tuple[str, ...]] = {}  # column -> option labels (single/multi choice)
        self.multi: set[int] = set()
        width = 0
        for q in questions:
            column = width
            if q.kind in ("single", "multi") and q.options:
                self.labels[column] = tuple(q.options)
                if q.kind == "multi":
                    self.multi.add(column)
            width += 1
            before = None
            if q.retrospective:
                before = width
                width += 1
            self.slots[q.id] = (column, before)
        self.width = width
        self.retrospective = any(before is not None for _column, before in self.slots.values())
        # the usual response answers every question, its answers folded in key (question id) order:
        # its columns are then a fixed pick from the folded values followed by the folded 'befores'
        self.usual_ids = sorted(self.slots)
        n = len(self.usual_ids)
        pick = [0] * width
        for k, q_id in enumerate(self.usual_ids):
            column, before = self.slots[q_id]
            pick[column] = k
            if before is not None:
                pick[before] = n + k
        self._pick = itemgetter(*pick) if width > 1 else (lambda seq: tuple(seq[k] for k in pick))
        self._usual_text: str | None = None  # the text of the usual list of question ids, once seen
        self._multi_seen: dict[tuple[int, Any], str] = {}

    def values(self, ids: Iterable[Any], values: Iterable[Any], befores: Iterable[Any]) -> list[Any]:
        """One response's answer columns from its answers (question ids, values, 'before' values, side
        by side), unlabelled; answers to questions not in the layout (or None) are left out."""
        out: list[Any] = [None] * self.width
        slots = self.slots
        for q_id, value, before in zip(ids, values, befores, strict=True):
            slot = slots.get(q_id)
            if slot is None:
                continue
            column, before_column = slot
            out[column] = value
            if before_column is not None:
                out[before_column] = before
        return out

    def unfold(self, question_ids: str, answers: str, befores: str | None) -> list[Any]:
        """One response's answer columns, labelled, from its answers folded as JSON lists (see
        `raw_export`): the question ids, the answers (the number, else the text), the 'before' values
        (None without retrospective questions). A response without answers has one item of NULLs."""
        loads = json.loads
        merged = loads(answers)
        before_values = loads(befores) if befores is not None else None
        ids = None
        if question_ids != self._usual_text:
            ids = loads(question_ids)
            if self._usual_text is None and ids == self.usual_ids:
                self._usual_text = question_ids  # the usual list, recognised by its text from now on
                ids = None
        if ids is None:  # the usual response
            values = list(self._pick(merged + before_values if before_values is not None else merged))
        else:
            values = self.values(ids, merged, before_values if before_values is not None else [None] * len(merged))
        return self.label(values)

    def label(self, values: list[Any]) -> list[Any]:
        """Choice answers replaced by their option labels, in place: a single choice's stored index (when
        it is one), a multi choice's stored list of indexes ("0,2" -> "A; C"; an index without a label
        stays a number, anything not a number is dropped)."""
        for i, options in self.labels.items():
            v = values[i]
            if v is None:
                continue
            if i in self.multi:
                values[i] = self._multi_label(i, options, v)
            elif type(v) is int and 0 <= v < len(options):
                values[i] = options[v]
        return values

    def _multi_label(self, column: int, options: tuple[str, ...], value: Any) -> str:
        """The labels of a multi choice's stored list of indexes; the lists seen are remembered (a
        questionnaire's few options make few lists: the same ones come again and again)."""
        key = (column, value)
        found = self._multi_seen.get(key)
        if found is None:
            found = "; ".join(options[int(p)] if int(p) < len(options) else p for p in str(value).split(",") if p.isdigit())
            if len(self._multi_seen) < MULTI_REMEMBERED:
                self._multi_seen[key] = found
        return found


def headers(questions: Sequence[QuestionStat]) -> list[str]:
    out = [_("ID tanggapan"), _("NIP"), _("Nama"), _("Unit kerja"), _("Kode pelatihan"), _("Pelatihan"), _("Waktu kirim (UTC)")]
    before = _("sebelum")  # outside the f-string: the extraction does not look inside one
    for q in questions:
        out.append(f"P{q.number}. {_short(q.text)}")
        if q.retrospective:
            out.append(f"P{q.number}. {before}")
    return out


def response_conditions(
    dialect: str, questionnaire_id: int, training_id: int | None, filters: Filters | None, today: date | None
) -> list[Any]:
    """SQL: the responses of the export. For a period (which may hold every response) the columns are
    compared through `dialect.without_index`, so that SQLite walks the responses in key order, as the
    export reads them, instead of sorting all that an index found; one training's responses are found
    by their index."""
    r = SurveyResponse

    def col(c: Any) -> Any:
        return sql_dialect.without_index(dialect, c) if filters is not None else c

    conds: list[Any] = [col(r.questionnaire_id) == questionnaire_id]
    if training_id is not None:
        conds.append(col(r.training_id) == training_id)
    if filters is not None:
        held = select(Training.id).where(Training.ends_on >= filters.start, Training.ends_on <= min(filters.end, today or filters.end))
        conds.append(col(r.training_id).in_(held))
        if filters.unit_ids:
            conds.append(col(r.respondent_id).in_(select(Employee.id).where(Employee.unit_id.in_(filters.unit_ids))))
    return conds


def raw_export(
    engine: Engine,
    questions: list[QuestionStat],
    questionnaire_id: int,
    *,
    training_id: int | None = None,
    filters: Filters | None = None,
    today: date | None = None,
) -> tuple[list[str], Iterator[list[Any]]]:
    """Every response of an ATTRIBUTED questionnaire as one row (who, when, then the answer columns of
    `AnswerLayout`), for one training or for the trainings held in the period (and unit). The caller
    must have checked that the questionnaire is not anonymous. The rows are read lazily, on their own
    connection, when the writer asks for the first one."""
    layout = AnswerLayout(questions)
    dialect = engine.dialect.name
    conds = response_conditions(dialect, questionnaire_id, training_id, filters, today)
    r, a = SurveyResponse, Answer

    def folded(name: str, *columns: Any) -> Any:
        return sql_dialect.json_list_agg(dialect, *columns).label(name)

    walk = (
        select(
            r.id, r.respondent_id, r.training_id, r.submitted_at,
            folded("question_ids", a.question_id), folded("answers", a.value_num, a.value_text),
            folded("befores", a.value_before) if layout.retrospective else null().label("befores"),
        )
        .outerjoin(a, a.response_id == r.id)
        .where(*conds)
        .group_by(r.id)
        .order_by(r.id)
    )
    people_stmt = select(Employee.id, Employee.nip, Employee.name, Unit.name.label("unit")).outerjoin(Unit, Unit.id == Employee.unit_id)
    trainings_stmt = select(Training.id, Training.code, Training.title)

    def batches() -> Iterator[list[Any]]:
        """The responses in batches, with the people and trainings they name (read by `read_ahead`'s
        thread, which alone uses this connection)."""
        with engine.connect() as conn:
            people = _people(conn, people_stmt.where(Employee.id.in_(select(r.respondent_id).where(*conds))))
            trainings = _trainings(conn, trainings_stmt.where(Training.id.in_(select(r.training_id).where(*conds))))
            result = conn.execution_options(stream_results=True, yield_per=ROWS_PER_FETCH).execute(walk)
            for batch in result.partitions(ROWS_PER_FETCH):
                late_people = {row.respondent_id for row in batch if row.respondent_id is not None and row.respondent_id not in people}
                if late_people:  # answered after the people were read
                    people.update(_people(conn, people_stmt.where(Employee.id.in_(late_people))))
                late_trainings = {row.training_id for row in batch if row.training_id not in trainings}
                if late_trainings:  # the same, for a training
                    trainings.update(_trainings(conn, trainings_stmt.where(Training.id.in_(late_trainings))))
                yield [(row, people.get(row.respondent_id, NOBODY), trainings.get(row.training_id, NO_TRAINING)) for row in batch]

    def rows() -> Iterator[list[Any]]:
        # the next batches are fetched while this one is written out (portal.db.read_ahead)
        for batch in read_ahead(batches):
            for (rid, _respondent, _tid, submitted_at, question_ids, answers, befores), who, what in batch:
                yield [rid, *who, *what, submitted_at, *layout.unfold(question_ids, answers, befores)]

    return headers(questions), rows()


def _people(conn: Connection, stmt: Any) -> dict[int, tuple[Any, Any, Any]]:
    return {p.id: (p.nip, p.name, p.unit) for p in conn.execute(stmt)}


def _trainings(conn: Connection, stmt: Any) -> dict[int, tuple[Any, Any]]:
    return {t.id: (t.code, t.title) for t in conn.execute(stmt)}


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
