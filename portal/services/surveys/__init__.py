"""Post-training surveys (Kirkpatrick L1), the employee's side (/survei): invitations, drafts with
autosave, validation per question kind, exactly-once submission with anonymity. HR's side (attaching a
survey to a training, its window) is `portal.services.trainings`; the summaries kept at submit are in
`portal.services.summaries`.

Modules: `answers` (values and their validation), `invitations` (the person's own invitation, the list,
the receipt code), `drafts` (autosave), `submit`.

Anonymity (see docs/anonymity.md): for an anonymous questionnaire the submit transaction
- marks the invitation 'submitted' without a time (`submitted_at` stays NULL),
- inserts the response with a random key and no respondent, invitation or time,
- bulk-inserts the answers, deletes the draft and its answers, updates the summaries,
- writes no audit event and no log line,
- on PostgreSQL rewrites the training's responses, answers and summary rows in place so that they all
  carry the same transaction id (`xmin`), which would otherwise give away the order of submissions.

Exactly once: the first write of the submit transaction is a conditional
`UPDATE surveyinvitation SET status='submitted' WHERE id=? AND status=<as read> AND <window open>`;
a concurrent second submit sees 0 rows updated and reports 'already'. Attributed responses also have the
unique `surveyresponse.invitation_id`.
"""

from portal.services.surveys.answers import (
    MAX_TEXT_INPUT,
    AnswerValue,
    check_stored,
    count_answered,
    field_name,
    is_answered,
    missing_message,
    parse_answer,
    validate_complete,
)
from portal.services.surveys.drafts import SaveResult, save_answer, save_many
from portal.services.surveys.invitations import (
    InvitationView,
    draft_answers,
    employee_surveys,
    load_invitation,
    receipt_code,
)
from portal.services.surveys.submit import SubmitResult, submit

__all__ = [
    "MAX_TEXT_INPUT",
    "AnswerValue",
    "InvitationView",
    "SaveResult",
    "SubmitResult",
    "check_stored",
    "count_answered",
    "draft_answers",
    "employee_surveys",
    "field_name",
    "is_answered",
    "load_invitation",
    "missing_message",
    "parse_answer",
    "receipt_code",
    "save_answer",
    "save_many",
    "submit",
    "validate_complete",
]
