"""Post-training surveys (L1): invitations, drafts, anonymous or attributed responses, and their summaries."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from portal.models._base import _in, random_key, utcnow


class SurveyInvitation(SQLModel, table=True):
    """Who owes which survey. For anonymous questionnaires `submitted_at` stays NULL: the row says
    that the person answered, never when."""

    __table_args__ = (
        UniqueConstraint("training_id", "employee_id", "questionnaire_id"),
        CheckConstraint(_in("status", ("pending", "draft", "submitted")), name="status"),
        # response monitoring and the training report count a training's invitations per status and
        # deadline (and unit, through the employee) from this index alone
        Index("ix_surveyinvitation_training_counts", "training_id", "questionnaire_id", "status", "closes_on", "employee_id"),
        # the open invitations (Beranda, reminders): those whose last day is today or later
        Index("ix_surveyinvitation_closes_on_status", "closes_on", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    training_id: int = Field(foreign_key="training.id", index=True)
    employee_id: int = Field(foreign_key="employee.id", index=True)
    questionnaire_id: int = Field(foreign_key="questionnaire.id", index=True)
    status: str = Field(default="pending", max_length=12)
    opens_on: date
    closes_on: date
    submitted_at: datetime | None = None


class InvitationCount(SQLModel, table=True):
    """Per training, questionnaire and status: how many survey invitations. Kept in the transactions that
    write invitations (portal.services.summaries.invitations); the HR dashboard and training list read
    their response rates from it instead of grouping every invitation of the period. Rows may stay
    behind with n = 0. Derived data: `portal summaries rebuild invitations`."""

    __table_args__ = ({"sqlite_with_rowid": False},)
    training_id: int = Field(primary_key=True)
    questionnaire_id: int = Field(primary_key=True)
    status: str = Field(primary_key=True, max_length=12)
    n: int = Field(default=0)


class SurveyDraft(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    invitation_id: int = Field(foreign_key="surveyinvitation.id", sa_column_kwargs={"unique": True})
    updated_at: datetime = Field(default_factory=utcnow)


class DraftAnswer(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("draft_id", "question_id"),)
    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="surveydraft.id", index=True)
    question_id: int = Field(foreign_key="question.id")
    value_num: int | None = None
    value_before: int | None = None
    value_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class SurveyResponse(SQLModel, table=True):
    """A submitted response. Anonymous: random key, no respondent, no invitation, no time; stored
    WITHOUT ROWID on SQLite so that not even insertion order is kept."""

    __table_args__ = (Index("ix_surveyresponse_training_crowd", "training_id", "crowd"), {"sqlite_with_rowid": False})
    id: str = Field(default_factory=random_key, sa_column=Column(String(32), primary_key=True))
    training_id: int = Field(foreign_key="training.id", index=True)
    questionnaire_id: int = Field(foreign_key="questionnaire.id", index=True)
    # attributed questionnaires only:
    respondent_id: int | None = Field(default=None, foreign_key="employee.id", index=True)
    invitation_id: int | None = Field(
        default=None, foreign_key="surveyinvitation.id", sa_column_kwargs={"unique": True}
    )
    submitted_at: datetime | None = None
    # PostgreSQL only, anonymous responses: the crowd (rules.ANONYMITY_CROWD responses in arrival order)
    # whose rows share one transaction id; always 0 on SQLite, which keeps no such id
    crowd: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class Answer(SQLModel, table=True):
    # PostgreSQL: pages kept 30 % free, so that the anonymity rewrite of a crowd's answers (docs/anonymity.md)
    # writes each new row version into the same page (a HOT update: no index entry, pruned in place)
    __table_args__ = ({"sqlite_with_rowid": False, "postgresql_with": {"fillfactor": 70}},)
    response_id: str = Field(sa_column=Column(String(32), ForeignKey("surveyresponse.id"), primary_key=True))
    question_id: int = Field(foreign_key="question.id", primary_key=True)
    value_num: int | None = None
    value_before: int | None = None
    value_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class TrainingSummary(SQLModel, table=True):
    """Per training and question totals, kept current at submit time. WITHOUT ROWID on SQLite so that
    the order in which rows first appeared (i.e. the order of answers) is not kept."""

    __table_args__ = ({"sqlite_with_rowid": False},)
    training_id: int = Field(foreign_key="training.id", primary_key=True)
    question_id: int = Field(foreign_key="question.id", primary_key=True)
    n: int = Field(default=0)
    total: int = Field(default=0)
    n_before: int = Field(default=0)
    total_before: int = Field(default=0)


class TrainingSummaryValue(SQLModel, table=True):
    """Per training, question and answered value (e.g. '4', '10', an option index): a count.
    WITHOUT ROWID on SQLite (see TrainingSummary)."""

    __table_args__ = ({"sqlite_with_rowid": False},)
    training_id: int = Field(foreign_key="training.id", primary_key=True)
    question_id: int = Field(foreign_key="question.id", primary_key=True)
    value: str = Field(sa_column=Column(String(40), primary_key=True))
    count: int = Field(default=0)


class TrainingL1(SQLModel, table=True):
    """Per training and questionnaire, the L1 summary cells rolled up for the HR dashboard: one row per
    dimension of the Likert items (kind 'likert5': answers n and their total) and one for the 0-10 items
    (kind 'scale0_10', dimension '': answers n, promoters 9-10, passives 7-8, detractors 0-6), each with
    `min_n`, the smallest n of the cells it adds up. A row stands for its cells only when min_n reaches the
    minimum group of an anonymous questionnaire; otherwise the reader adds up the cells themselves.
    Rewritten from the training's summary cells in the submit transaction (portal.services.summaries.l1);
    derived data: `portal summaries rebuild l1`."""

    __table_args__ = ({"sqlite_with_rowid": False},)
    training_id: int = Field(primary_key=True)
    questionnaire_id: int = Field(primary_key=True)
    kind: str = Field(primary_key=True, max_length=12)
    dimension: str = Field(primary_key=True, max_length=40)
    n: int = Field(default=0)
    total: int = Field(default=0)
    promoters: int = Field(default=0)
    passives: int = Field(default=0)
    detractors: int = Field(default=0)
    min_n: int = Field(default=0)
