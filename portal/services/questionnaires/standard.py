"""The standard L1 questionnaire (reaction), created on demand for the demo and a new installation."""

from __future__ import annotations

from dataclasses import dataclass

from typing import Any

from sqlalchemy import insert, select
from sqlmodel import Session

from portal.models import (
    Question,
    Questionnaire,
    utcnow,
)

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


@dataclass(frozen=True)
class QuestionSpec:
    """A question of a questionnaire defined in code (the standard ones, the demo's)."""

    section: str
    kind: str
    text: str
    required: bool = True
    dimension: str = "lainnya"
    retrospective: bool = False
    max_length: int | None = None


def ensure_questionnaire(
    session: Session, title: str, description: str, purpose: str, anonymous: bool, questions: list[QuestionSpec]
) -> int:
    """The first version of the questionnaire with this title and purpose, created with its questions
    when missing (idempotent; flushes, does not commit)."""
    existing = session.execute(
        select(Questionnaire.id).where(Questionnaire.title == title, Questionnaire.purpose == purpose).order_by(Questionnaire.version).limit(1)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    qn = Questionnaire(title=title, description=description, purpose=purpose, anonymous=anonymous, version=1, created_at=utcnow())
    session.add(qn)
    session.flush()
    assert qn.id is not None
    session.execute(
        insert(Question),
        [
            {
                "questionnaire_id": qn.id, "section": q.section, "position": i, "text": q.text, "kind": q.kind, "required": q.required,
                "options": None, "dimension": q.dimension, "retrospective": q.retrospective, "max_length": q.max_length,
            }
            for i, q in enumerate(questions, start=1)
        ],
    )
    return qn.id


def ensure_standard_l1(session: Session) -> int:
    """Create the standard L1 questionnaire if missing (idempotent; flushes, does not commit)."""
    questions = [
        QuestionSpec(section, kind, text, required, dimension, max_length=extra.get("max_length"))
        for section, dimension, kind, text, required, extra in STANDARD_L1
    ]
    return ensure_questionnaire(session, STANDARD_L1_TITLE, STANDARD_L1_DESCRIPTION, "reaction", True, questions)
