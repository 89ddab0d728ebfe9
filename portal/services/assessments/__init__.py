"""AKPK assessments of competencies: the employee's self-assessment (/penilaian) and the supervisor's
assessment of a direct report (/tim), their results and suggested trainings.

Modules:
- `_types`: the shapes (Subject, Scope, Form and its Group, Item, Level, Progress, State; SaveResult;
  Result, ResultRow, Suggestion; TeamRow) and the errors (AssessmentError and its kinds, each with
  the HTTP status the web layer answers with).
- `access`: who may assess whom; every handler reaches an assessment through `own_scope` or
  `report_scope` (NotFound for anyone else's).
- `forms`: reading a form (the position standard, the stored answers, the progress).
- `writes`: autosave, the plain form's save, submit (with the gap summary kept in the same transaction
  through `portal.services.summaries.gaps`).
- `results`: the result with its gaps, and suggested trainings.
- `team`: the supervisor's direct reports with the status of both assessments.

Cycles (and HR's side: cycle management, the gap map) are `portal.services.akpk`. Every function takes
a `sqlmodel.Session`, runs a fixed, small number of queries (noted per function) and returns plain data.
"""

from portal.services.assessments._types import (
    ROLES,
    AssessmentError,
    Closed,
    Form,
    Group,
    Incomplete,
    Invalid,
    Item,
    Level,
    Locked,
    NotFound,
    Progress,
    Result,
    ResultRow,
    SaveResult,
    Scope,
    State,
    Subject,
    Suggestion,
    TeamRow,
)
from portal.services.assessments.access import get_direct_report, get_subject, own_scope, report_scope, self_scope
from portal.services.assessments.forms import assessment_state, load_form, progress, standard
from portal.services.assessments.results import SUGGESTION_LIMIT, rank_trainings, result, suggest_trainings
from portal.services.assessments.team import team
from portal.services.assessments.writes import NOTE_MAX, autosave, locked_message, save_many, submit

__all__ = [
    "NOTE_MAX",
    "ROLES",
    "SUGGESTION_LIMIT",
    "AssessmentError",
    "Closed",
    "Form",
    "Group",
    "Incomplete",
    "Invalid",
    "Item",
    "Level",
    "Locked",
    "NotFound",
    "Progress",
    "Result",
    "ResultRow",
    "SaveResult",
    "Scope",
    "State",
    "Subject",
    "Suggestion",
    "TeamRow",
    "assessment_state",
    "autosave",
    "get_direct_report",
    "get_subject",
    "load_form",
    "locked_message",
    "own_scope",
    "progress",
    "rank_trainings",
    "report_scope",
    "result",
    "save_many",
    "self_scope",
    "standard",
    "submit",
    "suggest_trainings",
    "team",
]
