"""Edits of a questionnaire and its questions, each guarded by the lock (see the package docstring),
ordering, copying to a new version, and what uses a questionnaire."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, literal, select, update
from sqlmodel import Session

from portal.models import (
    DraftAnswer,
    Question,
    Questionnaire,
    SurveyInvitation,
    SurveyResponse,
    Training,
)
from portal.services.accounts import audit
from portal.services.questionnaires.forms import (
    QuestionForm,
    QuestionnaireForm,
    question_values,
)
from portal.services.questionnaires.structure import (
    AnonymityFixed,
    QuestionnaireLocked,
    QuestionnaireNotFound,
    get,
)

# --------------------------------------------------------------------------- edits


def _guard_unlocked(session: Session, questionnaire_id: int) -> None:
    """First write of every edit: bump the revision unless locked (see module docstring)."""
    result = session.execute(
        update(Questionnaire)
        .where(Questionnaire.id == questionnaire_id, Questionnaire.locked.is_(False))
        .values(revision=Questionnaire.revision + 1)
    )
    if result.rowcount:
        # belt and braces: a response without the lock flag (e.g. imported data) also locks
        has_response = session.execute(
            select(SurveyResponse.id).where(SurveyResponse.questionnaire_id == questionnaire_id).limit(1)
        ).first()
        if has_response is None:
            return
        session.rollback()
        lock(session, questionnaire_id)
        session.commit()
        raise QuestionnaireLocked(questionnaire_id)
    session.rollback()
    exists = session.execute(select(Questionnaire.id).where(Questionnaire.id == questionnaire_id)).first()
    if exists is None:
        raise QuestionnaireNotFound(questionnaire_id)
    raise QuestionnaireLocked(questionnaire_id)


def lock(session: Session, questionnaire_id: int) -> bool:
    """Mark as locked (idempotent). Returns True when this call locked it."""
    result = session.execute(
        update(Questionnaire)
        .where(Questionnaire.id == questionnaire_id, Questionnaire.locked.is_(False))
        .values(locked=True)
    )
    return bool(result.rowcount)


def create_questionnaire(session: Session, actor_id: int | None, form: QuestionnaireForm) -> int:
    qn = Questionnaire(
        title=form.title,
        description=form.description,
        purpose=form.purpose,
        anonymous=form.anonymous,
        version=1,
    )
    session.add(qn)
    session.flush()
    assert qn.id is not None
    audit(session, actor_id, "questionnaire.create", f"questionnaire:{qn.id}", form.title)
    session.commit()
    return qn.id


def has_invitations(session: Session, questionnaire_id: int) -> bool:
    """Once anyone has been invited to a questionnaire, its anonymity is fixed (`AnonymityFixed`)."""
    return (
        session.execute(select(SurveyInvitation.id).where(SurveyInvitation.questionnaire_id == questionnaire_id).limit(1)).first()
        is not None
    )


def update_questionnaire(session: Session, actor_id: int | None, questionnaire_id: int, form: QuestionnaireForm) -> None:
    """Raises QuestionnaireLocked (it has responses) or AnonymityFixed (the anonymity would change while
    it has invitations). The first write locks the row; `surveys.attach` takes the same row (FOR SHARE)
    before inviting, so the check below, a statement of its own, sees every committed invitation."""
    _guard_unlocked(session, questionnaire_id)
    current = session.execute(select(Questionnaire.anonymous).where(Questionnaire.id == questionnaire_id)).scalar_one()
    if bool(current) != form.anonymous and has_invitations(session, questionnaire_id):
        session.rollback()
        raise AnonymityFixed(questionnaire_id)
    session.execute(
        update(Questionnaire)
        .where(Questionnaire.id == questionnaire_id)
        .values(title=form.title, description=form.description, purpose=form.purpose, anonymous=form.anonymous)
    )
    audit(session, actor_id, "questionnaire.update", f"questionnaire:{questionnaire_id}", form.title)
    session.commit()


def _renumber(session: Session, questionnaire_id: int, order: list[int] | None = None) -> None:
    """Positions 1..n, sections contiguous (ordered by their first question)."""
    rows = session.execute(
        select(Question.id, Question.section, Question.position)
        .where(Question.questionnaire_id == questionnaire_id)
        .order_by(Question.position, Question.id)
    ).all()
    if order is not None:
        rank = {qid: i for i, qid in enumerate(order)}
        rows = sorted(rows, key=lambda r: rank.get(r.id, len(rank)))
    section_rank: dict[str, int] = {}
    for r in rows:
        section_rank.setdefault(r.section or "", len(section_rank))
    ordered = sorted(enumerate(rows), key=lambda t: (section_rank[t[1].section or ""], t[0]))
    params = [
        {"qid": r.id, "pos": i}
        for i, (_idx, r) in enumerate(ordered, start=1)
        if r.position != i
    ]
    if params:
        from sqlalchemy import bindparam

        table = Question.__table__
        session.execute(
            update(table).where(table.c.id == bindparam("qid")).values(position=bindparam("pos")), params
        )


def add_question(session: Session, actor_id: int | None, questionnaire_id: int, form: QuestionForm) -> int:
    _guard_unlocked(session, questionnaire_id)
    last = session.execute(
        select(func.coalesce(func.max(Question.position), 0)).where(Question.questionnaire_id == questionnaire_id)
    ).scalar_one()
    q = Question(questionnaire_id=questionnaire_id, position=int(last) + 1, **question_values(form))
    session.add(q)
    session.flush()
    assert q.id is not None
    _renumber(session, questionnaire_id)
    audit(session, actor_id, "question.create", f"question:{q.id}", form.text[:200])
    session.commit()
    return q.id


def update_question(
    session: Session, actor_id: int | None, questionnaire_id: int, question_id: int, form: QuestionForm
) -> None:
    _guard_unlocked(session, questionnaire_id)
    current = session.execute(
        select(Question.section, Question.position).where(
            Question.id == question_id, Question.questionnaire_id == questionnaire_id
        )
    ).first()
    if current is None:
        session.rollback()
        raise QuestionnaireNotFound(question_id)
    values = question_values(form)
    if (current.section or "") != form.section:
        # moved to another section: put it at the end of that section
        last = session.execute(
            select(func.max(Question.position)).where(
                Question.questionnaire_id == questionnaire_id, Question.section == form.section
            )
        ).scalar_one()
        if last is not None:
            session.execute(
                update(Question)
                .where(Question.questionnaire_id == questionnaire_id, Question.position > int(last))
                .values(position=Question.position + 1)
            )
            values["position"] = int(last) + 1
        else:
            values["position"] = 10**6
    session.execute(update(Question).where(Question.id == question_id).values(**values))
    _renumber(session, questionnaire_id)
    audit(session, actor_id, "question.update", f"question:{question_id}", form.text[:200])
    session.commit()


def delete_question(session: Session, actor_id: int | None, questionnaire_id: int, question_id: int) -> None:
    _guard_unlocked(session, questionnaire_id)
    found = session.execute(
        select(Question.id).where(Question.id == question_id, Question.questionnaire_id == questionnaire_id)
    ).first()
    if found is None:
        session.rollback()
        raise QuestionnaireNotFound(question_id)
    # drafts of invitations in progress may hold an answer to it
    session.execute(delete(DraftAnswer).where(DraftAnswer.question_id == question_id))
    session.execute(delete(Question).where(Question.id == question_id))
    _renumber(session, questionnaire_id)
    audit(session, actor_id, "question.delete", f"question:{question_id}")
    session.commit()


def move_question(session: Session, actor_id: int | None, questionnaire_id: int, question_id: int, direction: str) -> bool:
    """Swap a question with its neighbour in the same section. Returns False when it cannot move."""
    _guard_unlocked(session, questionnaire_id)
    rows = session.execute(
        select(Question.id, Question.section)
        .where(Question.questionnaire_id == questionnaire_id)
        .order_by(Question.position, Question.id)
    ).all()
    ids = [r.id for r in rows]
    if question_id not in ids:
        session.rollback()
        raise QuestionnaireNotFound(question_id)
    i = ids.index(question_id)
    j = i - 1 if direction == "up" else i + 1
    if not 0 <= j < len(ids) or (rows[j].section or "") != (rows[i].section or ""):
        session.rollback()
        return False
    ids[i], ids[j] = ids[j], ids[i]
    _renumber(session, questionnaire_id, ids)
    session.commit()
    return True


def move_section(session: Session, actor_id: int | None, questionnaire_id: int, section: str, direction: str) -> bool:
    """Move a whole section before the previous / after the next one."""
    _guard_unlocked(session, questionnaire_id)
    rows = session.execute(
        select(Question.id, Question.section)
        .where(Question.questionnaire_id == questionnaire_id)
        .order_by(Question.position, Question.id)
    ).all()
    groups: list[tuple[str, list[int]]] = []
    for r in rows:
        name = r.section or ""
        if groups and groups[-1][0] == name:
            groups[-1][1].append(r.id)
        else:
            groups.append((name, [r.id]))
    names = [g[0] for g in groups]
    if section not in names:
        session.rollback()
        return False
    i = names.index(section)
    j = i - 1 if direction == "up" else i + 1
    if not 0 <= j < len(groups):
        session.rollback()
        return False
    groups[i], groups[j] = groups[j], groups[i]
    _renumber(session, questionnaire_id, [qid for _name, ids in groups for qid in ids])
    session.commit()
    return True


def copy_to_new_version(session: Session, actor_id: int | None, questionnaire_id: int) -> int:
    """A new, unlocked version with the same questions (one INSERT .. SELECT for the questions)."""
    src = get(session, questionnaire_id)
    newest = session.execute(
        select(func.max(Questionnaire.version)).where(func.lower(Questionnaire.title) == src.title.lower())
    ).scalar_one()
    new = Questionnaire(
        title=src.title,
        description=src.description,
        purpose=src.purpose,
        anonymous=src.anonymous,
        version=max(int(newest or 0), src.version) + 1,
        previous_id=src.id,
        locked=False,
    )
    session.add(new)
    session.flush()
    assert new.id is not None
    cols = ["section", "position", "text", "kind", "required", "options", "dimension", "retrospective", "max_length"]
    session.execute(
        insert(Question).from_select(
            ["questionnaire_id", *cols],
            select(literal(new.id), *[getattr(Question, c) for c in cols]).where(Question.questionnaire_id == src.id),
        )
    )
    audit(session, actor_id, "questionnaire.copy", f"questionnaire:{new.id}", f"from questionnaire:{src.id}")
    session.commit()
    return new.id


def in_use(session: Session, questionnaire_id: int) -> dict[str, int]:
    """How many trainings and invitations use it (for the builder page)."""
    row = session.execute(
        select(
            select(func.count())
            .select_from(Training)
            .where(Training.reaction_questionnaire_id == questionnaire_id)
            .scalar_subquery()
            .label("trainings"),
            select(func.count())
            .select_from(SurveyInvitation)
            .where(SurveyInvitation.questionnaire_id == questionnaire_id)
            .scalar_subquery()
            .label("invitations"),
            select(func.count())
            .select_from(SurveyResponse)
            .where(SurveyResponse.questionnaire_id == questionnaire_id)
            .scalar_subquery()
            .label("responses"),
        )
    ).one()
    return {"trainings": int(row.trainings), "invitations": int(row.invitations), "responses": int(row.responses)}
