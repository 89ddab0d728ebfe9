"""The questions of a training's reaction questionnaire as the training report shows them: per question
its answers' distribution (from the summaries), mean, index, NPS and share of agreement; and one page of
the free-text answers to a question (the only raw answers a report page reads)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection
from sqlmodel import Session

from portal import scoring
from portal.i18n import _
from portal.services.questionnaires import LIKERT_LABELS, parse_options
from portal.services.reports import training_statements as statements
from portal.services.reports.labels import QUESTION_KIND_LABELS, dimension_label

if TYPE_CHECKING:
    from portal.services.reports.training import TrainingReport

COMMENTS_PER_PAGE = 10


@dataclass
class Category:
    """One bar of a distribution: a value (1-5, 0-10), an option (its index) or an impact category.
    `group` is the NPS group of a 0-10 value: promoter | passive | detractor."""

    label: str
    count: int
    percent: float | None
    key: str = ""
    group: str = ""


def nps_group(value: int) -> str:
    if value >= scoring.NPS_PROMOTER_FROM:
        return "promoter"
    return "detractor" if value <= scoring.NPS_DETRACTOR_TO else "passive"


@dataclass
class QuestionStat:
    id: int
    number: int
    section: str
    text: str
    kind: str
    dimension: str
    options: tuple[str, ...]
    retrospective: bool
    n: int = 0
    total: int = 0
    n_before: int = 0
    total_before: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    hidden: bool = False
    before_hidden: bool = False  # the retrospective "before" values are too few to show on their own n

    @property
    def kind_label(self) -> str:
        return _(QUESTION_KIND_LABELS.get(self.kind, self.kind))

    @property
    def dimension_label(self) -> str:
        return dimension_label(self.dimension)

    @property
    def mean(self) -> float | None:
        return self.total / self.n if self.n and self.kind in ("likert5", "scale0_10") else None

    @property
    def before_mean(self) -> float | None:
        return self.total_before / self.n_before if self.n_before else None

    @property
    def index(self) -> float | None:
        return scoring.likert_index(self.n, self.total) if self.kind == "likert5" else None

    @property
    def nps(self) -> scoring.NpsResult | None:
        if self.kind != "scale0_10":
            return None
        return scoring.nps({int(k): v for k, v in self.counts.items() if k.isdigit()})

    @property
    def agree(self) -> float | None:
        """Share of 4 and 5 on a Likert item (top-2 box)."""
        if self.kind != "likert5":
            return None
        return scoring.percent(self.counts.get("4", 0) + self.counts.get("5", 0), self.n)

    def _category(self, key: str, label: str, group: str = "") -> Category:
        count = self.counts.get(key, 0)
        return Category(label, count, scoring.percent(count, self.n), key, group)

    @property
    def categories(self) -> list[Category]:
        """The distribution: per value (1-5, 0-10) or per option, with % of the respondents."""
        if self.kind == "likert5":
            return [self._category(str(v), f"{v} · {_(LIKERT_LABELS[v - 1])}") for v in range(1, 6)]
        if self.kind == "scale0_10":
            return [self._category(str(v), str(v), nps_group(v)) for v in range(11)]
        if self.kind in ("single", "multi"):
            return [self._category(str(i), label) for i, label in enumerate(self.options)]
        return []


def load_questions(session: Session | Connection, questionnaire_id: int) -> list[QuestionStat]:
    """The questionnaire's questions in column order (position, then id), numbered from 1. One query."""
    return [
        QuestionStat(q.id, i, q.section, q.text, q.kind, q.dimension, parse_options(q.options), bool(q.retrospective))
        for i, q in enumerate(session.execute(statements.questions(), {"questionnaire_id": questionnaire_id}), start=1)
    ]


# --------------------------------------------------------------------------- free-text comments


@dataclass
class CommentPage:
    question: QuestionStat
    rows: list[str]
    total: int
    page: int
    pages: int
    search: str
    allowed: bool


def _like_pattern(search: str) -> str:
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def comments(
    session: Session, report: TrainingReport, question: QuestionStat, search: str = "", page: int = 1, per_page: int = COMMENTS_PER_PAGE
) -> CommentPage:
    """One page of the free-text answers to a question, in the order of the random response keys (which
    says nothing about who answered or when), optionally filtered by a case-insensitive search.
    Nothing is read when the training's results are hidden (minimum group size, open window)."""
    search = (search or "").strip()[:100]
    # shown only when this question itself has enough answers (a training-level n says nothing about
    # how few wrote a comment)
    if not report.comments_allowed or question.hidden:
        return CommentPage(question, [], 0, 1, 1, search, False)
    count, page_of = statements.comments(bool(search))
    params: dict[str, Any] = {"training_id": report.training.id, "questionnaire_id": report.questionnaire_id, "question_id": question.id}
    if search:
        params["pattern"] = _like_pattern(search)
    conn = session.connection()
    total = int(conn.execute(count, params).scalar_one())
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = list(conn.execute(page_of, {**params, "offset": (page - 1) * per_page, "limit": per_page}).scalars())
    return CommentPage(question, rows, total, page, pages, search, True)
