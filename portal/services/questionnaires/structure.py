"""A questionnaire's structure as the survey form and the reports read it (cached per revision), the
vocabulary of its question kinds and dimensions, and the listing for the builder."""

from __future__ import annotations

import json
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from portal.i18n import N_, _
from portal.models import (
    InvitationCount,
    Question,
    Questionnaire,
    Training,
)

LIKERT_LABELS = (N_("Sangat tidak setuju"), N_("Tidak setuju"), N_("Netral"), N_("Setuju"), N_("Sangat setuju"))
KIND_LABELS = {
    "likert5": N_("Skala setuju 1–5"),
    "scale0_10": N_("Skala 0–10 (rekomendasi)"),
    "single": N_("Pilihan tunggal"),
    "multi": N_("Pilihan ganda (boleh lebih dari satu)"),
    "text": N_("Isian bebas"),
}
DIMENSION_LABELS = {
    "materi": N_("Materi"),
    "fasilitator": N_("Fasilitator"),
    "sarana": N_("Sarana"),
    "penyelenggaraan": N_("Penyelenggaraan"),
    "relevansi": N_("Relevansi"),
    "penerapan": N_("Penerapan"),
    "lainnya": N_("Lainnya (bebas)"),
}
PURPOSE_LABELS = {
    "reaction": N_("Reaksi peserta (L1)"),
    "application": N_("Penerapan oleh atasan (L3)"),
    "self_report": N_("Laporan diri alumni"),
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
# one token per engine, kept beside it (not as an attribute set on a library object)
_tokens: WeakKeyDictionary[Engine, str] = WeakKeyDictionary()


def _group_sections(questions: list[QuestionDef]) -> tuple[tuple[str, tuple[QuestionDef, ...]], ...]:
    groups: list[tuple[str, list[QuestionDef]]] = []
    for q in questions:
        if groups and groups[-1][0] == q.section:
            groups[-1][1].append(q)
        else:
            groups.append((q.section, [q]))
    return tuple((name, tuple(qs)) for name, qs in groups)


def parse_options(raw: str | None) -> tuple[str, ...]:
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
    engine = bind if isinstance(bind, Engine) else bind.engine
    token = _tokens.get(engine)  # every survey page asks: no lock once the engine has its token
    if token is None:
        with _cache_lock:
            token = _tokens.setdefault(engine, f"{engine.url!r}#{uuid.uuid4().hex}")
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
            options=parse_options(r.options),
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
    responses = dict(session.execute(_responses_per_questionnaire()).all())
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


def _responses_per_questionnaire() -> Any:
    """Responses per questionnaire = its submitted invitations (exactly one response each; submitted
    invitations are never deleted), read from the invitation-count summary: a few rows per training instead
    of one per response (flat at 3M answers, bench/bench_hr_pages.py)."""
    return (
        select(InvitationCount.questionnaire_id, func.coalesce(func.sum(InvitationCount.n), 0).label("n"))
        .where(InvitationCount.status == "submitted")
        .group_by(InvitationCount.questionnaire_id)
    )


def response_count(session: Session, questionnaire_id: int) -> int:
    row = session.execute(
        _responses_per_questionnaire().where(InvitationCount.questionnaire_id == questionnaire_id)
    ).first()
    return int(row.n) if row else 0


def sections_of(session: Session, questionnaire_id: int) -> list[str]:
    rows = session.execute(
        select(Question.section, func.min(Question.position).label("p"))
        .where(Question.questionnaire_id == questionnaire_id)
        .group_by(Question.section)
        .order_by("p")
    ).all()
    return [r.section for r in rows if r.section]


def question_row(session: Session, questionnaire_id: int, question_id: int) -> Question | None:
    q = session.get(Question, question_id)
    if q is None or q.questionnaire_id != questionnaire_id:
        return None
    return q
