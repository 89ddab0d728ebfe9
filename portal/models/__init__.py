"""SQLModel tables for the whole domain (docs/dev/domain.md), one module per area; import them from here
(`from portal.models import Employee`).

Conventions: timestamps are timezone-aware UTC (`utcnow()`), shown in the configured zone; enumerations are
short strings guarded by CHECK constraints; every table name is singular snake_case.
"""

from portal.models._base import (
    COMPETENCY_GROUPS,
    DIMENSIONS,
    NAMING_CONVENTION,
    POSITION_CLASSES,
    QUESTION_KINDS,
    random_key,
    utcnow,
)
from portal.models.accounts import (
    TOKEN_PURPOSES,
    AccountToken,
    AuditEvent,
    LoginFailure,
    PasswordResetRequest,
    UserSession,
)
from portal.models.application import (
    ApplicationAnswer,
    ApplicationRating,
    ImpactScore,
)
from portal.models.assessments import (
    Assessment,
    AssessmentCycle,
    AssessmentGap,
    AssessmentItem,
)
from portal.models.competencies import (
    Competency,
    CompetencyLevel,
    PositionStandard,
)
from portal.models.imports import (
    ImportBatch,
    ImportChange,
)
from portal.models.organisation import (
    Employee,
    Position,
    Unit,
)
from portal.models.privacy import (
    CORRECTION_SECTIONS,
    CORRECTION_STATUSES,
    CorrectionRequest,
)
from portal.models.reminders import (
    REMINDER_KINDS,
    ReminderSend,
)
from portal.models.surveys import (
    Answer,
    DraftAnswer,
    InvitationCount,
    SurveyDraft,
    SurveyInvitation,
    SurveyResponse,
    TrainingL1,
    TrainingSummary,
    TrainingSummaryValue,
)
from portal.models.trainings import (
    EmployeeJp,
    Enrollment,
    Question,
    Questionnaire,
    Training,
    TrainingCompetency,
)

__all__ = [
    "AccountToken",
    "Answer",
    "ApplicationAnswer",
    "ApplicationRating",
    "Assessment",
    "AssessmentCycle",
    "AssessmentGap",
    "AssessmentItem",
    "AuditEvent",
    "COMPETENCY_GROUPS",
    "CORRECTION_SECTIONS",
    "CORRECTION_STATUSES",
    "Competency",
    "CompetencyLevel",
    "CorrectionRequest",
    "DIMENSIONS",
    "DraftAnswer",
    "Employee",
    "EmployeeJp",
    "Enrollment",
    "ImpactScore",
    "ImportBatch",
    "ImportChange",
    "InvitationCount",
    "LoginFailure",
    "NAMING_CONVENTION",
    "POSITION_CLASSES",
    "PasswordResetRequest",
    "Position",
    "PositionStandard",
    "QUESTION_KINDS",
    "TOKEN_PURPOSES",
    "Question",
    "Questionnaire",
    "REMINDER_KINDS",
    "ReminderSend",
    "SurveyDraft",
    "SurveyInvitation",
    "SurveyResponse",
    "Training",
    "TrainingCompetency",
    "TrainingL1",
    "TrainingSummary",
    "TrainingSummaryValue",
    "Unit",
    "UserSession",
    "random_key",
    "utcnow",
]
