"""Questionnaires (/kuesioner): their structure as the form and reports read it, the builder's forms and
edits, sections and ordering, versions and locking, the standard L1 questionnaire. Modules: `structure`,
`forms`, `edits`, `standard`.

Rules:
- A questionnaire is *locked* once it has a response (set in the submit transaction, see
  `portal.services.surveys.submit`). Every edit first runs a conditional
  `UPDATE questionnaire SET revision = revision + 1 WHERE id = ? AND NOT locked`; zero rows means
  locked (or missing) and the edit is refused with `QuestionnaireLocked`. Running the guard as the
  first write of the transaction makes it race-free on SQLite (single writer) and PostgreSQL (row lock).
- `revision` changes on every edit, so the rendered form can be cached per (id, revision).
- Changes to a locked questionnaire go into a new version (`copy_to_new_version`), so old answers keep
  their meaning.
- Sections are a label on each question; sections are ordered by their first question and positions
  are renumbered 1..n after every change so that a section's questions are contiguous.
"""

from __future__ import annotations

from portal.services.questionnaires.edits import (
    add_question,
    copy_to_new_version,
    create_questionnaire,
    delete_question,
    has_invitations,
    in_use,
    lock,
    move_question,
    move_section,
    update_question,
    update_questionnaire,
)
from portal.services.questionnaires.forms import (
    QuestionForm,
    QuestionnaireForm,
    parse_question_form,
    parse_questionnaire_form,
    question_form_from,
    question_values,
)
from portal.services.questionnaires.standard import (
    STANDARD_L1,
    STANDARD_L1_DESCRIPTION,
    STANDARD_L1_TITLE,
    ensure_standard_l1,
    standard_l1_id,
)
from portal.services.questionnaires.structure import (
    DIMENSION_LABELS,
    KIND_LABELS,
    LIKERT_LABELS,
    MAX_OPTIONS,
    OPTION_MAX_LENGTH,
    PURPOSE_LABELS,
    TEXT_DEFAULT_MAX,
    TEXT_HARD_MAX,
    AnonymityFixed,
    QuestionDef,
    QuestionnaireLocked,
    QuestionnaireNotFound,
    Structure,
    clear_cache,
    db_token,
    get,
    list_questionnaires,
    load_structure,
    parse_options,
    question_row,
    response_count,
    sections_of,
)

__all__ = [
    "AnonymityFixed",
    "DIMENSION_LABELS",
    "KIND_LABELS",
    "LIKERT_LABELS",
    "MAX_OPTIONS",
    "OPTION_MAX_LENGTH",
    "PURPOSE_LABELS",
    "QuestionDef",
    "QuestionForm",
    "QuestionnaireForm",
    "QuestionnaireLocked",
    "QuestionnaireNotFound",
    "STANDARD_L1",
    "STANDARD_L1_DESCRIPTION",
    "STANDARD_L1_TITLE",
    "Structure",
    "TEXT_DEFAULT_MAX",
    "TEXT_HARD_MAX",
    "add_question",
    "clear_cache",
    "copy_to_new_version",
    "create_questionnaire",
    "db_token",
    "delete_question",
    "ensure_standard_l1",
    "get",
    "has_invitations",
    "in_use",
    "list_questionnaires",
    "load_structure",
    "lock",
    "move_question",
    "move_section",
    "parse_options",
    "parse_question_form",
    "parse_questionnaire_form",
    "question_form_from",
    "question_row",
    "question_values",
    "response_count",
    "sections_of",
    "standard_l1_id",
    "update_question",
    "update_questionnaire",
]
