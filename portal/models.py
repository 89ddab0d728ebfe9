"""SQLModel tables for the whole domain (DESIGN.md §3).

Conventions: timestamps are timezone-aware UTC (`utcnow()`), shown in the configured zone; enumerations are
short strings guarded by CHECK constraints; every table name is singular snake_case.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timezone

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)

POSITION_CLASSES = (
    "jpt_madya",
    "jpt_pratama",
    "administrator",
    "pengawas",
    "pelaksana",
    "fungsional_ahli_utama",
    "fungsional_ahli_madya",
    "fungsional_ahli_muda",
    "fungsional_ahli_pertama",
    "fungsional_penyelia",
    "fungsional_mahir",
    "fungsional_terampil",
)
COMPETENCY_GROUPS = ("manajerial", "sosial_kultural", "teknis")
QUESTION_KINDS = ("likert5", "scale0_10", "single", "multi", "text")
DIMENSIONS = ("materi", "fasilitator", "sarana", "penyelenggaraan", "relevansi", "penerapan", "lainnya")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def random_key() -> str:
    """A random, non-sequential primary key (128 bits, hex)."""
    return secrets.token_hex(16)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


# --------------------------------------------------------------------------- organisation


class Unit(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(40), unique=True, nullable=False))
    name: str = Field(max_length=200)
    parent_id: int | None = Field(default=None, foreign_key="unit.id", index=True)


class Position(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(_in("position_class", POSITION_CLASSES), name="position_class"),
        Index("ix_position_code", "code", unique=True),
    )
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    position_class: str = Field(max_length=40)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    # the key of imports (SIASN or HR's own list); unique when given (ix_position_code)
    code: str | None = Field(default=None, max_length=40)


class Employee(SQLModel, table=True):
    __table_args__ = (CheckConstraint("length(nip) = 18", name="nip_length"),)
    id: int | None = Field(default=None, primary_key=True)
    nip: str = Field(sa_column=Column(String(18), unique=True, nullable=False))
    name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=20)
    golongan: str | None = Field(default=None, max_length=10)  # PNS III/a .. IV/e, PPPK I .. XVII
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    position_id: int | None = Field(default=None, foreign_key="position.id", index=True)
    supervisor_id: int | None = Field(default=None, foreign_key="employee.id", index=True)
    is_active: bool = Field(default=True)
    is_hr: bool = Field(default=False)
    is_admin: bool = Field(default=False)
    password_hash: str | None = Field(default=None, max_length=255)
    created_at: datetime = Field(default_factory=utcnow)


# --------------------------------------------------------------------------- competencies


class Competency(SQLModel, table=True):
    __table_args__ = (CheckConstraint(_in("group_name", COMPETENCY_GROUPS), name="group_name"),)
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(40), unique=True, nullable=False))
    name: str = Field(max_length=200)
    group_name: str = Field(max_length=20)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class CompetencyLevel(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("competency_id", "level"),
        CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
    )
    id: int | None = Field(default=None, primary_key=True)
    competency_id: int = Field(foreign_key="competency.id", index=True)
    level: int
    description: str = Field(sa_column=Column(Text, nullable=False))


class PositionStandard(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("position_id", "competency_id"),
        CheckConstraint("required_level BETWEEN 1 AND 5", name="required_level_range"),
    )
    id: int | None = Field(default=None, primary_key=True)
    position_id: int = Field(foreign_key="position.id", index=True)
    competency_id: int = Field(foreign_key="competency.id", index=True)
    required_level: int


# --------------------------------------------------------------------------- AKPK assessments


class AssessmentCycle(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(_in("status", ("open", "closed")), name="status"),
        CheckConstraint("closes_on >= opens_on", name="window"),
    )
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    year: int = Field(index=True)
    opens_on: date
    closes_on: date
    status: str = Field(default="open", max_length=10)
    created_at: datetime = Field(default_factory=utcnow)


class Assessment(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("cycle_id", "subject_id", "rater_role"),
        CheckConstraint(_in("rater_role", ("self", "supervisor")), name="rater_role"),
        CheckConstraint(_in("status", ("draft", "submitted")), name="status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="assessmentcycle.id", index=True)
    subject_id: int = Field(foreign_key="employee.id", index=True)
    rater_id: int = Field(foreign_key="employee.id", index=True)
    rater_role: str = Field(max_length=12)
    status: str = Field(default="draft", max_length=12)
    submitted_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class AssessmentItem(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("assessment_id", "competency_id"),
        CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
    )
    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True)
    competency_id: int = Field(foreign_key="competency.id", index=True)
    level: int
    note: str | None = Field(default=None, max_length=1000)
    updated_at: datetime = Field(default_factory=utcnow)



class AssessmentGap(SQLModel, table=True):
    """Per cycle, person and competency: the gap (required - final level) of the person's FINAL
    assessment (the supervisor's when submitted, else their own), with the unit and position they
    held when it was submitted. Kept at submit time (services/summaries/gaps.py) so that the HR heat
    map groups one covering index instead of joining every assessment item."""

    __table_args__ = (
        Index("ix_assessmentgap_cell", "cycle_id", "unit_id", "competency_id", "position_id", "gap"),
        {"sqlite_with_rowid": False},
    )
    cycle_id: int = Field(foreign_key="assessmentcycle.id", primary_key=True)
    subject_id: int = Field(foreign_key="employee.id", primary_key=True)
    competency_id: int = Field(foreign_key="competency.id", primary_key=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    position_id: int | None = Field(default=None, foreign_key="position.id")
    gap: int

# --------------------------------------------------------------------------- trainings


class Questionnaire(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(_in("purpose", ("reaction", "application", "self_report")), name="purpose"),
    )
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    purpose: str = Field(default="reaction", max_length=20)
    version: int = Field(default=1)
    previous_id: int | None = Field(default=None, foreign_key="questionnaire.id")
    anonymous: bool = Field(default=True)
    locked: bool = Field(default=False)
    # bumped on every edit of the questionnaire or its questions: the key of the rendered-form cache
    revision: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    created_at: datetime = Field(default_factory=utcnow)


class Question(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(_in("kind", QUESTION_KINDS), name="kind"),
        Index("ix_question_questionnaire_position", "questionnaire_id", "position"),
    )
    id: int | None = Field(default=None, primary_key=True)
    questionnaire_id: int = Field(foreign_key="questionnaire.id")
    section: str = Field(default="", max_length=200)
    position: int = Field(default=0)
    text: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(max_length=12)
    required: bool = Field(default=True)
    options: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # JSON list of labels
    dimension: str = Field(default="lainnya", max_length=40)
    retrospective: bool = Field(default=False)
    max_length: int | None = None


class Training(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(_in("mode", ("klasikal", "non_klasikal")), name="mode"),
        CheckConstraint("ends_on >= starts_on", name="dates"),
        CheckConstraint("jp >= 0", name="jp_nonneg"),
    )
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(40), unique=True, nullable=False))
    title: str = Field(max_length=250)
    kind: str = Field(max_length=20)
    mode: str = Field(max_length=20)
    provider: str = Field(default="", max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    starts_on: date = Field(index=True)
    ends_on: date
    jp: int = Field(default=0)
    cost: int | None = Field(default=None)  # per participant, in rupiah
    reaction_questionnaire_id: int | None = Field(default=None, foreign_key="questionnaire.id")
    survey_opens_on: date | None = None
    survey_closes_on: date | None = None
    application_questionnaire_id: int | None = Field(default=None, foreign_key="questionnaire.id")
    self_report_questionnaire_id: int | None = Field(default=None, foreign_key="questionnaire.id")
    application_due_days: int = Field(default=90)


class TrainingCompetency(SQLModel, table=True):
    training_id: int = Field(foreign_key="training.id", primary_key=True)
    competency_id: int = Field(foreign_key="competency.id", primary_key=True)


class Enrollment(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("training_id", "employee_id"),
        CheckConstraint(_in("status", ("registered", "attended", "completed", "absent")), name="status"),
        CheckConstraint("jp_credited >= 0", name="jp_nonneg"),
    )
    id: int | None = Field(default=None, primary_key=True)
    training_id: int = Field(foreign_key="training.id", index=True)
    employee_id: int = Field(foreign_key="employee.id", index=True)
    status: str = Field(default="registered", max_length=12)
    jp_credited: int = Field(default=0)


class EmployeeJp(SQLModel, table=True):
    """Per employee and calendar year: the credited enrollments (status attended or completed) in
    trainings that END in that year, and their JP. Kept in the transaction of every enrolment write
    (portal.services.summaries.jp, through portal.services.trainings.enrollments); the JP compliance
    figures (20 JP a year) read it instead of grouping every enrollment of the year per employee. Rows
    may stay behind with trainings = 0 (read with `trainings > 0`). Derived data:
    `portal summaries rebuild jp` recomputes it."""

    __table_args__ = (
        Index("ix_employeejp_year_jp", "year", "jp", "employee_id", "trainings"),
        {"sqlite_with_rowid": False},
    )
    employee_id: int = Field(primary_key=True)
    year: int = Field(primary_key=True)
    trainings: int = Field(default=0)
    jp: int = Field(default=0)


# --------------------------------------------------------------------------- surveys (L1)


class SurveyInvitation(SQLModel, table=True):
    """Who owes which survey. For anonymous questionnaires `submitted_at` stays NULL: the row says
    that the person answered, never when."""

    __table_args__ = (
        UniqueConstraint("training_id", "employee_id", "questionnaire_id"),
        CheckConstraint(_in("status", ("pending", "draft", "submitted")), name="status"),
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

    __table_args__ = ({"sqlite_with_rowid": False},)
    id: str = Field(default_factory=random_key, sa_column=Column(String(32), primary_key=True))
    training_id: int = Field(foreign_key="training.id", index=True)
    questionnaire_id: int = Field(foreign_key="questionnaire.id", index=True)
    # attributed questionnaires only:
    respondent_id: int | None = Field(default=None, foreign_key="employee.id", index=True)
    invitation_id: int | None = Field(
        default=None, foreign_key="surveyinvitation.id", sa_column_kwargs={"unique": True}
    )
    submitted_at: datetime | None = None


class Answer(SQLModel, table=True):
    __table_args__ = ({"sqlite_with_rowid": False},)
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


# --------------------------------------------------------------------------- application (L3)


class ApplicationRating(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("enrollment_id", "rater_role"),
        CheckConstraint(_in("rater_role", ("supervisor", "self")), name="rater_role"),
        CheckConstraint(_in("status", ("draft", "submitted")), name="status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    enrollment_id: int = Field(foreign_key="enrollment.id", index=True)
    questionnaire_id: int = Field(foreign_key="questionnaire.id")
    rater_id: int = Field(foreign_key="employee.id", index=True)
    rater_role: str = Field(default="supervisor", max_length=12)
    status: str = Field(default="draft", max_length=12)
    submitted_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)
    reopen_count: int = Field(default=0)


class ApplicationAnswer(SQLModel, table=True):
    rating_id: int = Field(foreign_key="applicationrating.id", primary_key=True)
    question_id: int = Field(foreign_key="question.id", primary_key=True)
    value_num: int | None = None
    value_before: int | None = None
    value_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class ImpactScore(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("impact_index BETWEEN 0 AND 100", name="index_range"),
    )
    id: int | None = Field(default=None, primary_key=True)
    enrollment_id: int = Field(foreign_key="enrollment.id", sa_column_kwargs={"unique": True})
    application_score: float | None = None
    change_score: float | None = None
    self_score: float | None = None
    impact_index: float
    category: str = Field(max_length=30)
    formula_version: str = Field(max_length=10)
    computed_at: datetime = Field(default_factory=utcnow)


# --------------------------------------------------------------------------- security & audit


class AuditEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key="employee.id", index=True)
    action: str = Field(max_length=60)
    target: str = Field(default="", max_length=200)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class UserSession(SQLModel, table=True):
    """Server-side login session. `id` is the SHA-256 of the cookie token (the token itself is
    never stored), so a database reader cannot hijack sessions."""

    id: str = Field(sa_column=Column(String(64), primary_key=True))
    employee_id: int = Field(foreign_key="employee.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    flash: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class LoginFailure(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    nip: str = Field(max_length=40, index=True)
    ip: str = Field(default="", max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, index=True)


# --------------------------------------------------------------------------- imports


class ImportBatch(SQLModel, table=True):
    """One uploaded file of an import kind (portal.services.imports): previewed, then applied (or
    discarded), possibly undone. The file itself is kept only until it is applied or discarded."""

    __table_args__ = (CheckConstraint(_in("status", ("preview", "applied", "discarded", "undone")), name="status"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20, index=True)
    file_name: str = Field(max_length=200)
    file_format: str = Field(max_length=10)
    sheet_name: str | None = Field(default=None, max_length=100)
    status: str = Field(default="preview", max_length=12)
    created_by: int | None = Field(default=None, foreign_key="employee.id")
    created_at: datetime = Field(default_factory=utcnow)
    applied_at: datetime | None = None
    undone_at: datetime | None = None
    n_create: int = Field(default=0)
    n_update: int = Field(default=0)
    n_unchanged: int = Field(default=0)
    n_reject: int = Field(default=0)
    only_valid: bool = Field(default=False)
    content: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    rejects: str = Field(default="[]", sa_column=Column(Text, nullable=False, server_default="[]"))  # JSON
    ignored: str = Field(default="[]", sa_column=Column(Text, nullable=False, server_default="[]"))  # JSON


class ImportChange(SQLModel, table=True):
    """What applying a batch did to one row (created, or updated from `before` to `after`, JSON), so
    that it can be undone."""

    __table_args__ = ({"sqlite_with_rowid": False},)
    batch_id: int = Field(foreign_key="importbatch.id", primary_key=True)
    seq: int = Field(primary_key=True)
    row_id: int
    action: str = Field(max_length=8)
    before: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    after: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
