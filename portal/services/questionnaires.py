"""Questionnaire builder: questionnaires, sections and questions, ordering, versions and locking.

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

import json
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, literal, select, update
from sqlalchemy.engine import Connection
from sqlmodel import Session

from portal.i18n import _
from portal.models import (
    DIMENSIONS,
    QUESTION_KINDS,
    DraftAnswer,
    Question,
    Questionnaire,
    SurveyInvitation,
    SurveyResponse,
    Training,
    utcnow,
)
from portal.services.accounts import audit

LIKERT_LABELS = ("Sangat tidak setuju", "Tidak setuju", "Netral", "Setuju", "Sangat setuju")
KIND_LABELS = {
    "likert5": "Skala setuju 1–5",
    "scale0_10": "Skala 0–10 (rekomendasi)",
    "single": "Pilihan tunggal",
    "multi": "Pilihan ganda (boleh lebih dari satu)",
    "text": "Isian bebas",
}
DIMENSION_LABELS = {
    "materi": "Materi",
    "fasilitator": "Fasilitator",
    "sarana": "Sarana",
    "penyelenggaraan": "Penyelenggaraan",
    "relevansi": "Relevansi",
    "penerapan": "Penerapan",
    "lainnya": "Lainnya (bebas)",
}
PURPOSE_LABELS = {
    "reaction": "Reaksi peserta (L1)",
    "application": "Penerapan oleh atasan (L3)",
    "self_report": "Laporan diri alumni",
}
TEXT_DEFAULT_MAX = 1000
TEXT_HARD_MAX = 5000
MAX_OPTIONS = 20
OPTION_MAX_LENGTH = 200


class QuestionnaireLocked(Exception):
    """The questionnaire has responses; changes must go into a new version."""


class QuestionnaireNotFound(LookupError):
    pass


class AnonymityFixed(Exception):
    """The questionnaire has invitations: people were told whether it is anonymous, so that can no
    longer change (either way); a new version can have the other setting."""


# --------------------------------------------------------------------------- structure (cached)


@dataclass(frozen=True)
class QuestionDef:
    id: int
    number: int  # 1-based position shown to the participant
    section: str
    text: str
    kind: str
    required: bool
    options: tuple[str, ...]
    dimension: str
    retrospective: bool
    max_length: int | None

    @property
    def numeric(self) -> bool:
        return self.kind in ("likert5", "scale0_10")

    @property
    def text_limit(self) -> int:
        return self.max_length or TEXT_DEFAULT_MAX

    @property
    def kind_label(self) -> str:
        return _(KIND_LABELS[self.kind])

    @property
    def dimension_label(self) -> str:
        return _(DIMENSION_LABELS.get(self.dimension, self.dimension))


@dataclass(frozen=True)
class Structure:
    db_token: str
    questionnaire_id: int
    revision: int
    title: str
    description: str
    purpose: str
    version: int
    anonymous: bool
    locked: bool
    questions: tuple[QuestionDef, ...]
    sections: tuple[tuple[str, tuple[QuestionDef, ...]], ...]
    by_id: dict[int, QuestionDef] = field(hash=False, compare=False)

    @property
    def count(self) -> int:
        return len(self.questions)


_CACHE_SIZE = 128
_cache: OrderedDict[tuple[str, int, int], Structure] = OrderedDict()
_cache_lock = threading.Lock()


def _group_sections(questions: list[QuestionDef]) -> tuple[tuple[str, tuple[QuestionDef, ...]], ...]:
    groups: list[tuple[str, list[QuestionDef]]] = []
    for q in questions:
        if groups and groups[-1][0] == q.section:
            groups[-1][1].append(q)
        else:
            groups.append((q.section, [q]))
    return tuple((name, tuple(qs)) for name, qs in groups)


def _parse_options(raw: str | None) -> tuple[str, ...]:
    if not raw:
        return ()
    try:
        value = json.loads(raw)
    except ValueError:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def db_token(session: Session | Connection) -> str:
    """Identifies the database behind a session (or connection), so that one process serving several
    databases (tests, benches) never mixes their cached structures."""
    bind = session.engine if isinstance(session, Connection) else session.get_bind()
    token = getattr(bind, "_portal_cache_token", None)
    if token is None:
        token = f"{bind.url!r}#{uuid.uuid4().hex}"
        bind._portal_cache_token = token  # type: ignore[union-attr]
    return token


def load_structure(session: Session | Connection, questionnaire_id: int, revision: int | None = None) -> Structure:
    """The questionnaire and its ordered questions, cached per (id, revision) in this process.

    Callers that already know the revision (e.g. from the invitation query) pass it and then no query
    runs on a cache hit. Raises QuestionnaireNotFound."""
    token = db_token(session)
    if revision is not None:
        with _cache_lock:
            hit = _cache.get((token, questionnaire_id, revision))
            if hit is not None:
                _cache.move_to_end((token, questionnaire_id, revision))
                return hit
    qn = session.execute(
        select(
            Questionnaire.id,
            Questionnaire.revision,
            Questionnaire.title,
            Questionnaire.description,
            Questionnaire.purpose,
            Questionnaire.version,
            Questionnaire.anonymous,
            Questionnaire.locked,
        ).where(Questionnaire.id == questionnaire_id)
    ).first()
    if qn is None:
        raise QuestionnaireNotFound(questionnaire_id)
    with _cache_lock:
        hit = _cache.get((token, questionnaire_id, qn.revision))
    if hit is not None and hit.locked == bool(qn.locked):
        return hit
    rows = session.execute(
        select(
            Question.id,
            Question.section,
            Question.text,
            Question.kind,
            Question.required,
            Question.options,
            Question.dimension,
            Question.retrospective,
            Question.max_length,
        )
        .where(Question.questionnaire_id == questionnaire_id)
        .order_by(Question.position, Question.id)
    ).all()
    questions = [
        QuestionDef(
            id=r.id,
            number=i,
            section=r.section or "",
            text=r.text,
            kind=r.kind,
            required=bool(r.required),
            options=_parse_options(r.options),
            dimension=r.dimension,
            retrospective=bool(r.retrospective),
            max_length=r.max_length,
        )
        for i, r in enumerate(rows, start=1)
    ]
    structure = Structure(
        db_token=token,
        questionnaire_id=qn.id,
        revision=qn.revision,
        title=qn.title,
        description=qn.description or "",
        purpose=qn.purpose,
        version=qn.version,
        anonymous=bool(qn.anonymous),
        locked=bool(qn.locked),
        questions=tuple(questions),
        sections=_group_sections(questions),
        by_id={q.id: q for q in questions},
    )
    with _cache_lock:
        _cache[(token, questionnaire_id, qn.revision)] = structure
        _cache.move_to_end((token, questionnaire_id, qn.revision))
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return structure


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


# --------------------------------------------------------------------------- listing


def list_questionnaires(session: Session) -> list[dict[str, Any]]:
    """Every questionnaire with its question count, response count and trainings using it (3 queries)."""
    qcount = (
        select(func.count(Question.id)).where(Question.questionnaire_id == Questionnaire.id).scalar_subquery()
    )
    rows = session.execute(
        select(
            Questionnaire.id,
            Questionnaire.title,
            Questionnaire.purpose,
            Questionnaire.version,
            Questionnaire.anonymous,
            Questionnaire.locked,
            Questionnaire.previous_id,
            Questionnaire.created_at,
            qcount.label("questions"),
        )
        .order_by(Questionnaire.title, Questionnaire.version.desc(), Questionnaire.id.desc())
        .limit(500)
    ).all()
    responses = dict(
        session.execute(
            select(SurveyResponse.questionnaire_id, func.count()).group_by(SurveyResponse.questionnaire_id)
        ).all()
    )
    trainings = dict(
        session.execute(
            select(Training.reaction_questionnaire_id, func.count())
            .where(Training.reaction_questionnaire_id.is_not(None))
            .group_by(Training.reaction_questionnaire_id)
        ).all()
    )
    out = []
    for r in rows:
        d = dict(r._mapping)
        d["responses"] = int(responses.get(r.id, 0))
        d["trainings"] = int(trainings.get(r.id, 0))
        d["purpose_label"] = _(PURPOSE_LABELS.get(r.purpose, r.purpose))
        out.append(d)
    return out


def get(session: Session, questionnaire_id: int) -> Questionnaire:
    qn = session.get(Questionnaire, questionnaire_id)
    if qn is None:
        raise QuestionnaireNotFound(questionnaire_id)
    return qn


def response_count(session: Session, questionnaire_id: int) -> int:
    return int(
        session.execute(
            select(func.count()).select_from(SurveyResponse).where(SurveyResponse.questionnaire_id == questionnaire_id)
        ).scalar_one()
    )


def sections_of(session: Session, questionnaire_id: int) -> list[str]:
    rows = session.execute(
        select(Question.section, func.min(Question.position).label("p"))
        .where(Question.questionnaire_id == questionnaire_id)
        .group_by(Question.section)
        .order_by("p")
    ).all()
    return [r[0] for r in rows if r[0]]


def question_row(session: Session, questionnaire_id: int, question_id: int) -> Question | None:
    q = session.get(Question, question_id)
    if q is None or q.questionnaire_id != questionnaire_id:
        return None
    return q


# --------------------------------------------------------------------------- validation of builder forms


@dataclass
class QuestionnaireForm:
    title: str = ""
    description: str = ""
    purpose: str = "reaction"
    anonymous: bool = True


def parse_questionnaire_form(data: dict[str, Any]) -> tuple[QuestionnaireForm, dict[str, str]]:
    form = QuestionnaireForm(
        title=_first(data.get("title")).strip(),
        description=_first(data.get("description")).strip(),
        purpose=_first(data.get("purpose")) or "reaction",
        anonymous=_first(data.get("anonymous")) in ("1", "on", "true", "ya"),
    )
    errors: dict[str, str] = {}
    if not form.title:
        errors["title"] = _("Isi judul kuesioner.")
    elif len(form.title) > 200:
        errors["title"] = _("Judul paling banyak 200 karakter.")
    if len(form.description) > 4000:
        errors["description"] = _("Keterangan paling banyak 4.000 karakter.")
    if form.purpose not in PURPOSE_LABELS:
        errors["purpose"] = _("Pilih tujuan kuesioner.")
    if form.purpose == "application" and form.anonymous:
        errors["anonymous"] = _("Penilaian penerapan oleh atasan selalu tercatat namanya; hapus centang anonim.")
    return form, errors


@dataclass
class QuestionForm:
    section: str = ""
    text: str = ""
    kind: str = "likert5"
    required: bool = True
    dimension: str = "lainnya"
    options_text: str = ""
    max_length: str = ""
    retrospective: bool = False

    @property
    def options(self) -> list[str]:
        return [line.strip() for line in self.options_text.splitlines() if line.strip()]


def question_form_from(q: Question) -> QuestionForm:
    return QuestionForm(
        section=q.section or "",
        text=q.text,
        kind=q.kind,
        required=bool(q.required),
        dimension=q.dimension,
        options_text="\n".join(_parse_options(q.options)),
        max_length=str(q.max_length or ""),
        retrospective=bool(q.retrospective),
    )


def _first(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return "" if value is None else str(value)


def parse_question_form(data: dict[str, Any]) -> tuple[QuestionForm, dict[str, str]]:
    form = QuestionForm(
        section=_first(data.get("section")).strip(),
        text=_first(data.get("text")).strip(),
        kind=_first(data.get("kind")) or "likert5",
        required=_first(data.get("required")) in ("1", "on", "true", "ya"),
        dimension=_first(data.get("dimension")) or "lainnya",
        options_text=_first(data.get("options")).replace("\r\n", "\n"),
        max_length=_first(data.get("max_length")).strip(),
        retrospective=_first(data.get("retrospective")) in ("1", "on", "true", "ya"),
    )
    errors: dict[str, str] = {}
    if not form.text:
        errors["text"] = _("Isi teks pertanyaan.")
    elif len(form.text) > 1000:
        errors["text"] = _("Teks pertanyaan paling banyak 1.000 karakter.")
    if len(form.section) > 200:
        errors["section"] = _("Nama bagian paling banyak 200 karakter.")
    if form.kind not in QUESTION_KINDS:
        errors["kind"] = _("Pilih jenis pertanyaan.")
    if form.dimension not in DIMENSIONS:
        errors["dimension"] = _("Pilih dimensi.")
    if form.kind in ("single", "multi"):
        opts = form.options
        if len(opts) < 2:
            errors["options"] = _("Tulis paling sedikit dua pilihan, satu per baris.")
        elif len(opts) > MAX_OPTIONS:
            errors["options"] = _("Paling banyak {n} pilihan.").format(n=MAX_OPTIONS)
        elif any(len(o) > OPTION_MAX_LENGTH for o in opts):
            errors["options"] = _("Setiap pilihan paling banyak {n} karakter.").format(n=OPTION_MAX_LENGTH)
        elif len({o.casefold() for o in opts}) != len(opts):
            errors["options"] = _("Ada pilihan yang sama; setiap pilihan harus berbeda.")
    if form.kind == "text" and form.max_length:
        if not form.max_length.isdigit() or not 10 <= int(form.max_length) <= TEXT_HARD_MAX:
            errors["max_length"] = _("Batas karakter berupa angka 10 sampai {n}.").format(n=f"{TEXT_HARD_MAX:,}".replace(",", "."))
    if form.retrospective and form.kind not in ("likert5", "scale0_10"):
        errors["retrospective"] = _("Pertanyaan sebelum/sesudah hanya untuk skala 1–5 atau 0–10.")
    return form, errors


def _question_values(form: QuestionForm) -> dict[str, Any]:
    return {
        "section": form.section,
        "text": form.text,
        "kind": form.kind,
        "required": form.required,
        "dimension": form.dimension,
        "options": json.dumps(form.options, ensure_ascii=False) if form.kind in ("single", "multi") else None,
        "max_length": (int(form.max_length) if form.max_length else TEXT_DEFAULT_MAX) if form.kind == "text" else None,
        "retrospective": form.retrospective if form.kind in ("likert5", "scale0_10") else False,
    }


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
    q = Question(questionnaire_id=questionnaire_id, position=int(last) + 1, **_question_values(form))
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
    values = _question_values(form)
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
            .scalar_subquery(),
            select(func.count())
            .select_from(SurveyInvitation)
            .where(SurveyInvitation.questionnaire_id == questionnaire_id)
            .scalar_subquery(),
            select(func.count())
            .select_from(SurveyResponse)
            .where(SurveyResponse.questionnaire_id == questionnaire_id)
            .scalar_subquery(),
        )
    ).one()
    return {"trainings": int(row[0]), "invitations": int(row[1]), "responses": int(row[2])}


# --------------------------------------------------------------------------- the standard L1 questionnaire

STANDARD_L1_TITLE = "Evaluasi Reaksi Peserta Pelatihan (Standar L1)"
STANDARD_L1_DESCRIPTION = (
    "Kuesioner ini menanyakan pendapat Anda tentang pelatihan yang baru Anda ikuti: materi, fasilitator, "
    "sarana, penyelenggaraan dan manfaatnya. Jawaban Anda anonim: BKPSDM hanya melihat rekap seluruh peserta, "
    "tidak dapat melihat jawaban per orang."
)

# (section, dimension, kind, text, required, extra)
STANDARD_L1: tuple[tuple[str, str, str, str, bool, dict[str, Any]], ...] = (
    ("Materi", "materi", "likert5", "Materi pelatihan sesuai dengan tujuan yang disampaikan di awal.", True, {}),
    ("Materi", "materi", "likert5", "Materi disusun runtut dan mudah dipahami.", True, {}),
    ("Materi", "materi", "likert5", "Bahan ajar (modul, salindia, video) membantu saya memahami materi.", True, {}),
    ("Fasilitator", "fasilitator", "likert5", "Widyaiswara/narasumber menguasai materi yang diajarkan.", True, {}),
    ("Fasilitator", "fasilitator", "likert5", "Widyaiswara/narasumber menyampaikan materi dengan jelas dan menarik.", True, {}),
    ("Fasilitator", "fasilitator", "likert5", "Widyaiswara/narasumber memberi kesempatan bertanya dan menanggapi dengan baik.", True, {}),
    ("Sarana", "sarana", "likert5", "Ruang kelas atau aplikasi daring nyaman dan mendukung belajar.", True, {}),
    ("Sarana", "sarana", "likert5", "Peralatan dan media pembelajaran berfungsi dengan baik.", True, {}),
    ("Sarana", "sarana", "likert5", "Konsumsi dan fasilitas pendukung lainnya memadai.", True, {}),
    ("Penyelenggaraan", "penyelenggaraan", "likert5", "Undangan dan informasi pelatihan saya terima tepat waktu.", True, {}),
    ("Penyelenggaraan", "penyelenggaraan", "likert5", "Jadwal tertata dan waktu pelatihan digunakan dengan efisien.", True, {}),
    ("Penyelenggaraan", "penyelenggaraan", "likert5", "Panitia sigap membantu kebutuhan peserta.", True, {}),
    ("Relevansi dan manfaat", "relevansi", "likert5", "Materi pelatihan relevan dengan tugas saya sehari-hari.", True, {}),
    ("Relevansi dan manfaat", "relevansi", "likert5", "Saya dapat langsung menerapkan hasil pelatihan di tempat kerja.", True, {}),
    ("Relevansi dan manfaat", "relevansi", "likert5", "Pelatihan ini menambah kompetensi yang dibutuhkan jabatan saya.", True, {}),
    (
        "Rekomendasi dan saran",
        "lainnya",
        "scale0_10",
        "Seberapa mungkin Anda merekomendasikan pelatihan ini kepada rekan kerja?",
        True,
        {},
    ),
    (
        "Rekomendasi dan saran",
        "lainnya",
        "text",
        "Apa yang paling bermanfaat dari pelatihan ini bagi pekerjaan Anda?",
        False,
        {"max_length": 1000},
    ),
    (
        "Rekomendasi dan saran",
        "lainnya",
        "text",
        "Apa saran Anda untuk perbaikan pelatihan berikutnya?",
        False,
        {"max_length": 1000},
    ),
)


def standard_l1_id(session: Session) -> int | None:
    return session.execute(
        select(Questionnaire.id)
        .where(Questionnaire.title == STANDARD_L1_TITLE, Questionnaire.purpose == "reaction")
        .order_by(Questionnaire.version)
        .limit(1)
    ).scalar_one_or_none()


def ensure_standard_l1(session: Session) -> int:
    """Create the standard L1 questionnaire if missing (idempotent; flushes, does not commit)."""
    existing = standard_l1_id(session)
    if existing is not None:
        return existing
    qn = Questionnaire(
        title=STANDARD_L1_TITLE,
        description=STANDARD_L1_DESCRIPTION,
        purpose="reaction",
        anonymous=True,
        version=1,
        created_at=utcnow(),
    )
    session.add(qn)
    session.flush()
    assert qn.id is not None
    session.execute(
        insert(Question),
        [
            {
                "questionnaire_id": qn.id,
                "section": section,
                "position": i,
                "text": text,
                "kind": kind,
                "required": required,
                "options": None,
                "dimension": dimension,
                "retrospective": False,
                "max_length": extra.get("max_length"),
            }
            for i, (section, dimension, kind, text, required, extra) in enumerate(STANDARD_L1, start=1)
        ],
    )
    return qn.id
