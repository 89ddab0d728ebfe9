"""The employee's side of survey invitations: their own invitation (object-level check), its draft
answers, the grouped list on "Survei Pelatihan", and the receipt's reference number."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from portal.db import connection_of
from portal.models import DraftAnswer, Enrollment, Question, Questionnaire, SurveyDraft, SurveyInvitation, Training
from portal.rules import took_part
from portal.services.surveys.answers import AnswerValue


@dataclass(frozen=True)
class InvitationView:
    id: int
    employee_id: int
    training_id: int
    training_title: str
    training_provider: str
    training_starts_on: date
    training_ends_on: date
    questionnaire_id: int
    revision: int
    anonymous: bool
    status: str
    opens_on: date
    closes_on: date
    draft_id: int | None

    def state(self, today: date) -> str:
        """submitted | upcoming | closed | open"""
        if self.status == "submitted":
            return "submitted"
        if today < self.opens_on:
            return "upcoming"
        if today > self.closes_on:
            return "closed"
        return "open"


def _took_part_in_training() -> Any:
    """Join condition: the invited person's enrolment in the training, only when they took part (an
    invitation of someone later marked absent is not theirs to fill)."""
    return and_(
        Enrollment.training_id == SurveyInvitation.training_id,
        Enrollment.employee_id == SurveyInvitation.employee_id,
        took_part(Enrollment.status),
    )


def _invitation_select():
    return (
        select(
            SurveyInvitation.id,
            SurveyInvitation.employee_id,
            SurveyInvitation.training_id,
            Training.title.label("training_title"),
            Training.provider.label("training_provider"),
            Training.starts_on.label("training_starts_on"),
            Training.ends_on.label("training_ends_on"),
            SurveyInvitation.questionnaire_id,
            Questionnaire.revision,
            Questionnaire.anonymous,
            SurveyInvitation.status,
            SurveyInvitation.opens_on,
            SurveyInvitation.closes_on,
            SurveyDraft.id.label("draft_id"),
        )
        .join(Training, Training.id == SurveyInvitation.training_id)
        .join(Questionnaire, Questionnaire.id == SurveyInvitation.questionnaire_id)
        .join(Enrollment, _took_part_in_training())
        .outerjoin(SurveyDraft, SurveyDraft.invitation_id == SurveyInvitation.id)
    )


# Built once: every survey page, autosave and submit runs them (SQLAlchemy caches their compiled form).
INVITATION_BY_ID = _invitation_select().where(
    SurveyInvitation.id == bindparam("inv"), SurveyInvitation.employee_id == bindparam("emp")
)
DRAFT_ANSWERS = (
    select(DraftAnswer.question_id, DraftAnswer.value_num, DraftAnswer.value_before, DraftAnswer.value_text)
    .join(SurveyDraft, SurveyDraft.id == DraftAnswer.draft_id)
    .where(SurveyDraft.invitation_id == bindparam("inv"))
)


def _view(row: Any) -> InvitationView:
    values = dict(row._mapping)
    values["training_provider"] = values["training_provider"] or ""
    values["anonymous"] = bool(values["anonymous"])
    return InvitationView(**values)


def _answers(conn: Connection, invitation_id: int) -> dict[int, AnswerValue]:
    rows = conn.execute(DRAFT_ANSWERS, {"inv": invitation_id}).all()  # one fetch, not one per row
    return {r.question_id: AnswerValue(num=r.value_num, before=r.value_before, text=r.value_text) for r in rows}


def load_invitation(
    session: Session | Connection, invitation_id: int, employee_id: int, *, with_answers: bool = False
) -> tuple[InvitationView, dict[int, AnswerValue]] | None:
    """The employee's own invitation (None for someone else's, or when they did not take part), and
    its draft answers when asked (a second query; never one per question)."""
    conn = connection_of(session)
    row = conn.execute(INVITATION_BY_ID, {"inv": invitation_id, "emp": employee_id}).first()
    if row is None:
        return None
    view = _view(row)
    if not with_answers or view.draft_id is None:
        return view, {}
    return view, _answers(conn, invitation_id)


def draft_answers(session: Session, invitation_id: int) -> dict[int, AnswerValue]:
    return _answers(session.connection(), invitation_id)


def employee_surveys(session: Session, employee_id: int, today: date) -> dict[str, list[dict[str, Any]]]:
    """The employee's surveys grouped for 'Survei Pelatihan' (one query, bounded)."""
    answered = (
        select(func.count(DraftAnswer.id))
        .join(SurveyDraft, SurveyDraft.id == DraftAnswer.draft_id)
        .where(SurveyDraft.invitation_id == SurveyInvitation.id)
        .scalar_subquery()
    )
    total = (
        select(func.count(Question.id)).where(Question.questionnaire_id == SurveyInvitation.questionnaire_id).scalar_subquery()
    )
    rows = session.execute(
        select(
            SurveyInvitation.id,
            SurveyInvitation.status,
            SurveyInvitation.opens_on,
            SurveyInvitation.closes_on,
            Training.title,
            Training.provider,
            Training.starts_on,
            Training.ends_on,
            Questionnaire.anonymous,
            answered.label("answered"),
            total.label("total"),
        )
        .join(Training, Training.id == SurveyInvitation.training_id)
        .join(Questionnaire, Questionnaire.id == SurveyInvitation.questionnaire_id)
        .join(Enrollment, _took_part_in_training())
        .where(SurveyInvitation.employee_id == employee_id)
        .order_by(SurveyInvitation.closes_on.desc(), SurveyInvitation.id.desc())
        .limit(200)
    ).all()
    groups: dict[str, list[dict[str, Any]]] = {"open": [], "upcoming": [], "submitted": [], "closed": []}
    for r in rows:
        item = dict(r._mapping)
        item["answered"] = int(item["answered"] or 0)
        item["total"] = int(item["total"] or 0)
        if r.status == "submitted":
            key = "submitted"
        elif today < r.opens_on:
            key = "upcoming"
        elif today > r.closes_on:
            key = "closed"
        else:
            key = "open"
            item["days_left"] = (r.closes_on - today).days
        groups[key].append(item)
    groups["open"].sort(key=lambda i: (i["closes_on"], i["id"]))
    groups["upcoming"].sort(key=lambda i: (i["opens_on"], i["id"]))
    return groups


def receipt_code(secret: str, invitation_id: int) -> str:
    """The reference number on the receipt: an HMAC of the invitation id (never of the response key),
    so it can be shown again on the list and proves the submission without pointing at any answer."""
    digest = hmac.new(secret.encode(), f"survei-tanda-terima:{invitation_id}".encode(), hashlib.sha256).digest()
    code = base64.b32encode(digest[:10]).decode().rstrip("=")
    return f"L1-{code[:4]}-{code[4:8]}-{code[8:12]}"
