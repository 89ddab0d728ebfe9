"""The statements of the training report (`training`, `training_questions`), built once and run with
their values bound by name: building a statement costs more Python than running a built one
(SQLAlchemy keeps its cache key and compiled form on the object), see `l1`. Names bound: `training_id`,
`questionnaire_id`, `today`, `kind`, `start`, `end`, `question_id`, `pattern`, `offset`, `limit`."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, case, func, select
from sqlalchemy.orm import aliased

from portal.models import (
    Answer,
    ApplicationRating,
    Enrollment,
    ImpactScore,
    InvitationCount,
    Question,
    Questionnaire,
    SurveyInvitation,
    SurveyResponse,
    Training,
    TrainingSummary,
    TrainingSummaryValue,
)
from portal.rules import took_part


@lru_cache(maxsize=None)
def head() -> Any:
    """The training (an ORM object) with its reaction questionnaire's title and anonymity."""
    return (
        select(Training, Questionnaire.title, Questionnaire.anonymous)
        .outerjoin(Questionnaire, Questionnaire.id == Training.reaction_questionnaire_id)
        .where(Training.id == bindparam("training_id"))
    )


@lru_cache(maxsize=None)
def invitations() -> Any:
    """Invited, submitted, drafts and overdue of the reaction questionnaire."""
    status = SurveyInvitation.status
    return select(
        func.count(),
        func.sum(case((status == "submitted", 1), else_=0)),
        func.sum(case((status == "draft", 1), else_=0)),
        func.sum(case((and_(status != "submitted", SurveyInvitation.closes_on < bindparam("today")), 1), else_=0)),
    ).where(SurveyInvitation.training_id == bindparam("training_id"), SurveyInvitation.questionnaire_id == bindparam("questionnaire_id"))


@lru_cache(maxsize=None)
def summary() -> Any:
    ts = TrainingSummary
    return select(ts.question_id, ts.n, ts.total, ts.n_before, ts.total_before).where(ts.training_id == bindparam("training_id"))


@lru_cache(maxsize=None)
def summary_values() -> Any:
    tv = TrainingSummaryValue
    return select(tv.question_id, tv.value, tv.count).where(tv.training_id == bindparam("training_id"), tv.count > 0)


@lru_cache(maxsize=None)
def peer_trainings() -> Any:
    """The other trainings of a kind that ended in a period, with their submitted L1 count."""
    ic = InvitationCount
    return (
        select(
            Training.id,
            Training.reaction_questionnaire_id,
            func.coalesce(Questionnaire.anonymous, True).label("anonymous"),
            Training.survey_closes_on,
            ic.n.label("submitted"),
        )
        .join(Questionnaire, Questionnaire.id == Training.reaction_questionnaire_id)
        .join(ic, and_(ic.training_id == Training.id, ic.questionnaire_id == Training.reaction_questionnaire_id, ic.status == "submitted"))
        .where(
            Training.kind == bindparam("kind"),
            Training.id != bindparam("training_id"),
            Training.ends_on >= bindparam("start"),
            Training.ends_on <= bindparam("end"),
        )
    )


@lru_cache(maxsize=None)
def impact() -> Any:
    """The L3 impact scores of the training's alumni, per category and formula version."""
    i = ImpactScore
    return (
        select(
            i.category,
            i.formula_version,
            func.count().label("n"),
            func.sum(i.impact_index).label("impact_sum"),
            func.sum(i.application_score).label("application_sum"),
            func.count(i.application_score).label("application_n"),
            func.sum(i.change_score).label("change_sum"),
            func.count(i.change_score).label("change_n"),
            func.sum(i.self_score).label("self_sum"),
            func.count(i.self_score).label("self_n"),
        )
        .join(Enrollment, Enrollment.id == i.enrollment_id)
        .where(Enrollment.training_id == bindparam("training_id"))
        .group_by(i.category, i.formula_version)
    )


@lru_cache(maxsize=None)
def l3_ratings() -> Any:
    """The supervisors' L3 ratings of the participants, counted per status (NULL: none yet)."""
    rating = aliased(ApplicationRating)
    return (
        select(rating.status, func.count())
        .select_from(Enrollment)
        .outerjoin(rating, and_(rating.enrollment_id == Enrollment.id, rating.rater_role == "supervisor"))
        .where(Enrollment.training_id == bindparam("training_id"), took_part(Enrollment.status))
        .group_by(rating.status)
    )


@lru_cache(maxsize=None)
def questions() -> Any:
    """A questionnaire's questions in column order (position, then id)."""
    return (
        select(Question.id, Question.section, Question.text, Question.kind, Question.dimension, Question.options, Question.retrospective)
        .where(Question.questionnaire_id == bindparam("questionnaire_id"))
        .order_by(Question.position, Question.id)
    )


@lru_cache(maxsize=None)
def comments(searched: bool) -> tuple[Any, Any]:
    """(how many, one page of) the non-empty free-text answers to a question of a training, in the order
    of the random response keys; with `searched`, only those matching `pattern` (ILIKE, escaped)."""
    stmt = (
        select(Answer.value_text)
        .join(SurveyResponse, SurveyResponse.id == Answer.response_id)
        .where(
            SurveyResponse.training_id == bindparam("training_id"),
            SurveyResponse.questionnaire_id == bindparam("questionnaire_id"),
            Answer.question_id == bindparam("question_id"),
            Answer.value_text.is_not(None),
            Answer.value_text != "",
        )
    )
    if searched:
        stmt = stmt.where(Answer.value_text.ilike(bindparam("pattern"), escape="\\"))
    count = select(func.count()).select_from(stmt.subquery())
    return count, stmt.order_by(Answer.response_id).offset(bindparam("offset")).limit(bindparam("limit"))
