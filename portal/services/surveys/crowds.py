"""PostgreSQL, anonymous questionnaires: the response written in its crowd, in one statement.

Why one statement: the anonymous submit on PostgreSQL inserts the response and its ~30 answers, deletes
the draft, rewrites the rows of its crowd and of the crowd before it so that they all carry this
transaction's id (`xmin`, docs/anonymity.md), and adds the response to the answers summary rewriting every
summary row of the training. As separate statements that was thirteen round trips and statement set-ups,
serialised on the training's row lock; here it is one statement of data-modifying CTEs (the summary's own
CTEs are summaries.answers'), the answers passed as four arrays. All parts see the same snapshot, so the
rewrites touch the rows that were there before (the new response and answers carry this transaction's id
already, as inserted).

The crowd (`surveyresponse.crowd`, rules.ANONYMITY_CROWD responses in arrival order) is the training's
submitted invitations of the questionnaire so far divided by the crowd size, read from the
invitation-count summary inside the statement, before the submit moves that count (the caller moves it
afterwards). Submits of one training run one at a time under the training row's lock, so it is exact.
SQLite keeps no transaction ids: submit.py writes there with plain inserts and no rewrite."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from portal.services import summaries

# data-modifying CTEs, run in the statement of summaries.answers.apply_to_every_row (parameter :t is the
# training there too)
STORE = """
crowd AS (
    SELECT coalesce((SELECT n FROM invitationcount
                     WHERE training_id = :t AND questionnaire_id = :qn AND status = 'submitted'), 0) / :size AS c
), response AS (
    INSERT INTO surveyresponse (id, training_id, questionnaire_id, crowd) SELECT :rid, :t, :qn, c FROM crowd
), answers AS (
    INSERT INTO answer (response_id, question_id, value_num, value_before, value_text)
    SELECT :rid, a.question_id, a.value_num, a.value_before, a.value_text
    FROM unnest(CAST(:a_q AS integer[]), CAST(:a_num AS integer[]), CAST(:a_before AS integer[]), CAST(:a_text AS text[]))
        AS a(question_id, value_num, value_before, value_text)
), draft_answers AS (
    DELETE FROM draftanswer WHERE draft_id IN (SELECT id FROM surveydraft WHERE invitation_id = :inv)
), draft AS (
    DELETE FROM surveydraft WHERE invitation_id = :inv
), crowd_responses AS (
    UPDATE surveyresponse SET submitted_at = submitted_at
    WHERE training_id = :t AND crowd >= (SELECT c - 1 FROM crowd)
), crowd_answers AS (
    UPDATE answer SET value_num = value_num
    WHERE response_id IN (SELECT id FROM surveyresponse WHERE training_id = :t AND crowd >= (SELECT c - 1 FROM crowd))
),
"""


def store(
    conn: Connection, *, response_id: str, questionnaire_id: int, invitation_id: int, crowd_size: int,
    summary: summaries.answers.Submitted,
) -> summaries.answers.TrainingRows:
    """Insert the anonymous response and its answers into their crowd, delete the invitation's draft,
    give the rows of this crowd and the one before it this transaction's id, and add the response to the
    answers summary (every row of the training rewritten), all in one statement (in the submit's
    transaction, after the invitation was claimed and before the invitation counts move). Returns the
    training's summary rows the L1 roll-up reads, as they now are."""
    answers = summary.answers
    params: dict[str, Any] = {
        "qn": questionnaire_id,
        "size": crowd_size,
        "rid": response_id,
        "inv": invitation_id,
        "a_q": list(answers),
        "a_num": [v.num for v in answers.values()],
        "a_before": [v.before for v in answers.values()],
        "a_text": [v.text for v in answers.values()],
    }
    cells_of, values_of = summaries.l1.inputs(summary.structure)
    return summaries.answers.apply_to_every_row(conn, summary, cells_of=cells_of, values_of=values_of, along=(STORE, params))
