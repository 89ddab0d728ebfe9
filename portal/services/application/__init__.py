"""On-the-job application of a training (Kirkpatrick L3), the raters' side (/penerapan): about three months
after a training the employee's current direct supervisor rates how its results are applied at work, and
the alumnus may add a self-report; the result page shows the impact score and HR may reopen a submitted
rating. The impact score itself, HR's overview and the per-training impact are `portal.services.impact`.

Modules:
- `schedule`: when a rating is due, in SQL (the twin of `portal.rules.l3_schedule`), and the state labels;
- `context`: one rating's context (`RatingContext`), who may fill it (`for_supervisor`, `for_self`) or see
  its result (`may_view`), its questionnaire and stored answers;
- `writes`: autosave (`save_answer`), the no-JavaScript save (`save_many`), `submit` exactly once (the
  impact score is stored in the same transaction) and HR's `reopen`;
- `work_lists`: the supervisor's and the alumnus' lists (`supervisor_groups`, `due_ratings`,
  `employee_groups`, `own_results`) and the Beranda tasks (`home_tasks`);
- `result`: one enrollment's result page (`result_view`) and its reopen history.

Takes a Session, returns dataclasses; never imports the web layer. Query counts are noted per function.
"""

from portal.services.application.context import (
    ROLES,
    SCALE_LABELS,
    RatingContext,
    for_self,
    for_supervisor,
    load_answers,
    load_context,
    may_view,
    structure_for,
)
from portal.services.application.result import AnswerRow, HistoryEntry, ResultView, ScoreView, reopen_history, result_view
from portal.services.application.schedule import STATE_LABELS, state_label
from portal.services.application.work_lists import (
    DueItem,
    Groups,
    HomeTask,
    OwnResult,
    due_ratings,
    employee_groups,
    home_tasks,
    own_results,
    supervisor_groups,
)
from portal.services.application.writes import (
    ReopenResult,
    SaveResult,
    SubmitResult,
    reopen,
    save_answer,
    save_many,
    submit,
    validate_reason,
)

__all__ = [
    "ROLES",
    "SCALE_LABELS",
    "STATE_LABELS",
    "AnswerRow",
    "DueItem",
    "Groups",
    "HistoryEntry",
    "HomeTask",
    "OwnResult",
    "RatingContext",
    "ReopenResult",
    "ResultView",
    "SaveResult",
    "ScoreView",
    "SubmitResult",
    "due_ratings",
    "employee_groups",
    "for_self",
    "for_supervisor",
    "home_tasks",
    "load_answers",
    "load_context",
    "may_view",
    "own_results",
    "reopen",
    "reopen_history",
    "result_view",
    "save_answer",
    "save_many",
    "state_label",
    "structure_for",
    "submit",
    "supervisor_groups",
    "validate_reason",
]
