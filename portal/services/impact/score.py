"""The stored impact score of an enrollment (docs/scoring.md has the formula): computed from the answers
of its SUBMITTED ratings, stored in `impactscore` in the transaction that changes them (submit, reopen,
the self-report's submit) and recomputed in bulk by `portal scores recompute`.

The score exists exactly when the supervisor rating is submitted, and always equals `scoring.impact_score`
over the stored answers (`expected_score` recomputes it for checks and tests).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import and_, bindparam, delete, select
from sqlmodel import Session

from portal import scoring
from portal.db import dialect
from portal.i18n import _
from portal.models import ApplicationAnswer, ApplicationRating, ImpactScore, Question, utcnow

RECOMPUTE_BATCH = 2000
# the categories from the highest to the lowest (distribution charts)
CATEGORY_ORDER = ("sangat_berdampak", "cukup_berdampak", "kurang_berdampak", "tidak_berdampak")

# one submitted answer as the formula sees it: (rater_role, question kind, retrospective, value_num, value_before)
AnswerTuple = tuple[str, str, bool, int | None, int | None]


def category_label(key: str | None) -> str:
    """The Indonesian label of an impact category ("–" when there is none)."""
    if key is None:
        return "–"
    return _(scoring.IMPACT_CATEGORY_LABELS.get(key, key))


class StoredScore(NamedTuple):
    """An enrollment's impact score as stored (or as it must be stored)."""

    application: float | None
    change: float | None
    self_report: float | None
    index: float | None
    category: str | None
    version: str

    @classmethod
    def of(cls, result: scoring.ImpactResult) -> StoredScore:
        return cls(result.application, result.change, result.self_report, result.index, result.category, result.version)


def compute(rows: Iterable[AnswerTuple], version: str = scoring.FORMULA_VERSION) -> scoring.ImpactResult:
    """Score from the answers of an enrollment's SUBMITTED ratings: rows of
    (rater_role, question kind, retrospective, value_num, value_before). Only likert5 items count."""
    sup_after: list[int | None] = []
    pairs: list[tuple[int | None, int | None]] = []
    self_after: list[int | None] | None = None
    for role, kind, retro, num, before in rows:
        if kind != "likert5":
            continue
        if role == "supervisor":
            sup_after.append(num)
            if retro:
                pairs.append((before, num))
        elif role == "self":
            if self_after is None:
                self_after = []
            self_after.append(num)
    return scoring.impact_score(sup_after, pairs, self_after, version)


@dataclass(frozen=True)
class _Statements:
    upsert: Any  # insert or update one score (executemany with a list)
    delete: Any  # the enrollment's score, if any


@lru_cache(maxsize=4)
def _statements(dialect_name: str) -> _Statements:
    s = ImpactScore.__table__
    upsert = dialect.insert(dialect_name)(s)
    upsert = upsert.on_conflict_do_update(
        index_elements=["enrollment_id"],
        set_={
            "application_score": upsert.excluded.application_score,
            "change_score": upsert.excluded.change_score,
            "self_score": upsert.excluded.self_score,
            "impact_index": upsert.excluded.impact_index,
            "category": upsert.excluded.category,
            "formula_version": upsert.excluded.formula_version,
            "computed_at": upsert.excluded.computed_at,
        },
    )
    return _Statements(upsert=upsert, delete=delete(s).where(s.c.enrollment_id == bindparam("eid")))


def _score_rows_stmt(where: Any) -> Any:
    """The answers of submitted ratings: enrollment_id, rater_role, kind, retrospective, value_num, value_before."""
    r = ApplicationRating.__table__
    a = ApplicationAnswer.__table__
    q = Question.__table__
    return (
        select(r.c.enrollment_id, r.c.rater_role, q.c.kind, q.c.retrospective, a.c.value_num, a.c.value_before)
        .select_from(a.join(r, r.c.id == a.c.rating_id).join(q, q.c.id == a.c.question_id))
        .where(r.c.status == "submitted", where)
    )


def _answer_tuples(rows: Iterable[Any]) -> Iterable[AnswerTuple]:
    return ((role, kind, bool(retro), num, before) for _eid, role, kind, retro, num, before in rows)


def _has_submitted_supervisor(session: Session, enrollment_id: int) -> bool:
    return (
        session.execute(
            select(ApplicationRating.id).where(
                ApplicationRating.enrollment_id == enrollment_id,
                ApplicationRating.rater_role == "supervisor",
                ApplicationRating.status == "submitted",
            )
        ).first()
        is not None
    )


def _score_params(enrollment_id: int, result: scoring.ImpactResult, now: datetime) -> dict[str, Any]:
    return {
        "enrollment_id": enrollment_id,
        "application_score": result.application,
        "change_score": result.change,
        "self_score": result.self_report,
        "impact_index": result.index,
        "category": result.category,
        "formula_version": result.version,
        "computed_at": now,
    }


def recompute_enrollment(
    session: Session, enrollment_id: int, version: str = scoring.FORMULA_VERSION, now: datetime | None = None
) -> scoring.ImpactResult | None:
    """Recompute and store (or delete) the enrollment's impact score. Does not commit. Queries: 3."""
    stmts = _statements(dialect.name_of(session))
    conn = session.connection()
    if not _has_submitted_supervisor(session, enrollment_id):
        conn.execute(stmts.delete, {"eid": enrollment_id})
        return None
    rows = conn.execute(_score_rows_stmt(ApplicationRating.__table__.c.enrollment_id == enrollment_id)).all()
    result = compute(_answer_tuples(rows), version)
    if result.index is None:  # a supervisor rating without any likert5 answer: no index
        conn.execute(stmts.delete, {"eid": enrollment_id})
        return None
    conn.execute(stmts.upsert, _score_params(enrollment_id, result, now or utcnow()))
    return result


def stored_score(session: Session, enrollment_id: int) -> StoredScore | None:
    """The enrollment's stored impact score, or None (1 query)."""
    row = session.execute(
        select(
            ImpactScore.application_score.label("application"),
            ImpactScore.change_score.label("change"),
            ImpactScore.self_score.label("self_report"),
            ImpactScore.impact_index.label("index"),
            ImpactScore.category,
            ImpactScore.formula_version.label("version"),
        ).where(ImpactScore.enrollment_id == enrollment_id)
    ).first()
    return StoredScore(**row._mapping) if row is not None else None


def expected_score(session: Session, enrollment_id: int, version: str = scoring.FORMULA_VERSION) -> StoredScore | None:
    """What the stored score must be, recomputed from the stored answers (for checks and tests)."""
    if not _has_submitted_supervisor(session, enrollment_id):
        return None
    rows = session.execute(_score_rows_stmt(ApplicationRating.__table__.c.enrollment_id == enrollment_id)).all()
    result = compute(_answer_tuples(rows), version)
    if result.index is None:
        return None
    return StoredScore.of(result)


@dataclass
class RecomputeReport:
    scanned: int = 0
    changed: int = 0
    created: int = 0
    unchanged: int = 0
    deleted: int = 0
    batches: int = 0


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) < 1e-9


def _unchanged(old: StoredScore, new: StoredScore) -> bool:
    numbers_same = all(
        _same(x, y)
        for x, y in (
            (old.application, new.application),
            (old.change, new.change),
            (old.self_report, new.self_report),
            (old.index, new.index),
        )
    )
    return numbers_same and (old.category, old.version) == (new.category, new.version)


def recompute_all(
    session: Session,
    version: str = scoring.FORMULA_VERSION,
    batch_size: int = RECOMPUTE_BATCH,
    now: datetime | None = None,
    progress: Any = None,
) -> RecomputeReport:
    """Recompute every stored impact score (e.g. for a new formula version), streaming over the enrollments
    with a submitted supervisor rating in keyset batches (memory stays flat); writes only the scores that
    changed and deletes scores without a submitted supervisor rating. Commits per batch.
    Queries per batch: 3 selects + at most 1 bulk upsert."""
    if version not in scoring.IMPACT_WEIGHTS:
        raise ValueError(version)
    now = now or utcnow()
    report = RecomputeReport()
    r = ApplicationRating.__table__
    s = ImpactScore.__table__
    stmts = _statements(dialect.name_of(session))
    submitted_sup = select(r.c.enrollment_id).where(r.c.rater_role == "supervisor", r.c.status == "submitted")
    report.deleted = int(session.execute(delete(s).where(s.c.enrollment_id.not_in(submitted_sup))).rowcount or 0)
    session.commit()
    ids_stmt = (
        select(r.c.enrollment_id)
        .where(r.c.rater_role == "supervisor", r.c.status == "submitted", r.c.enrollment_id > bindparam("after"))
        .order_by(r.c.enrollment_id)
        .limit(bindparam("n"))
    )
    rows_stmt = _score_rows_stmt(and_(r.c.enrollment_id >= bindparam("lo"), r.c.enrollment_id <= bindparam("hi")))
    stored_stmt = select(
        s.c.enrollment_id,
        s.c.application_score.label("application"),
        s.c.change_score.label("change"),
        s.c.self_score.label("self_report"),
        s.c.impact_index.label("index"),
        s.c.category,
        s.c.formula_version.label("version"),
    ).where(s.c.enrollment_id >= bindparam("lo"), s.c.enrollment_id <= bindparam("hi"))
    after = 0
    while True:
        conn = session.connection()
        ids = conn.execute(ids_stmt, {"after": after, "n": batch_size}).scalars().all()
        if not ids:
            break
        lo, hi = ids[0], ids[-1]
        wanted = set(ids)
        per: dict[int, list[AnswerTuple]] = {eid: [] for eid in ids}
        for eid, role, kind, retro, num, before in conn.execute(rows_stmt, {"lo": lo, "hi": hi}):
            if eid in wanted:
                per[eid].append((role, kind, bool(retro), num, before))
        stored = {
            row.enrollment_id: StoredScore(row.application, row.change, row.self_report, row.index, row.category, row.version)
            for row in conn.execute(stored_stmt, {"lo": lo, "hi": hi})
        }
        upserts: list[dict[str, Any]] = []
        unscore: list[int] = []
        for eid in ids:
            res = compute(per[eid], version)
            old = stored.get(eid)
            if res.index is None:
                if old is not None:
                    unscore.append(eid)
                continue
            if old is not None and _unchanged(old, StoredScore.of(res)):
                report.unchanged += 1
                continue
            if old is None:
                report.created += 1
            else:
                report.changed += 1
            upserts.append(_score_params(eid, res, now))
        if upserts:
            conn.execute(stmts.upsert, upserts)
        if unscore:
            report.deleted += int(conn.execute(delete(s).where(s.c.enrollment_id.in_(unscore))).rowcount or 0)
        session.commit()
        report.scanned += len(ids)
        report.batches += 1
        after = hi
        if progress is not None:
            progress(report)
        del per, stored, upserts
    return report
