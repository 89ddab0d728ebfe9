"""Data Saya, the records the work produced about ONE employee: profile, AKPK assessments (their own
levels, and their supervisor's once submitted), survey invitations and the answers of attributed surveys,
L3 ratings about them and their impact scores, and the JP ledger. Each section is one select (labelled
columns, newest first, restricted to the logged-in user's id, never to anything in the URL) and one
`shape` that turns a row into the values the page, the JSON and the XLSX show, so the three cannot
disagree (`portal.services.privacy.my_data` puts the sections together).

Anonymous survey answers are not here and cannot be: an anonymous response has no link to its
respondent (docs/anonymity.md). The answers section reads only responses whose `respondent_id` is the user
AND whose questionnaire is not anonymous (belt and braces); the invitations say that the person answered
an anonymous survey, never what."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from portal.db import dialect
from portal.i18n import _
from portal.models import Answer as SurveyAnswer
from portal.models import (
    ApplicationAnswer,
    ApplicationRating,
    Assessment,
    AssessmentCycle,
    AssessmentGap,
    AssessmentItem,
    Competency,
    Employee,
    Enrollment,
    ImpactScore,
    Position,
    Question,
    Questionnaire,
    SurveyInvitation,
    SurveyResponse,
    Training,
    Unit,
)
from portal.rules import POSITION_CLASS_LABELS
from portal.services.impact import category_label
from portal.services.privacy._types import (
    ENROLLMENT_STATUS,
    INVITATION_STATUS,
    RATER_ROLE,
    RATING_STATUS,
    Labels,
    Me,
    Section,
    label_of,
)
from portal.services.questionnaires import parse_options
from portal.services.reports import kind_label


def answer_text(kind: str, options: str | None, num: int | None, text: str | None) -> str:
    """One stored answer in words: the option's label for a choice, the number of a scale, the text."""
    opts = parse_options(options)
    if kind == "single" and num is not None:
        return opts[num] if 0 <= num < len(opts) else str(num)
    if kind == "multi":
        picked = [int(p) for p in (text or "").split(",") if p.isdigit()]
        return "; ".join(opts[i] if i < len(opts) else str(i) for i in picked)
    if kind == "text":
        return text or ""
    return "" if num is None else str(num)


# --------------------------------------------------------------------------- profile


def _profile(me: Me, _cap: int | None) -> Any:
    sup, rep = aliased(Employee), aliased(Employee)
    has_reports = select(rep.id).where(rep.supervisor_id == Employee.id, rep.is_active.is_(True)).exists()
    return (
        select(
            Employee.nip, Employee.name, Employee.email, Employee.phone, Employee.golongan, Employee.is_active,
            Employee.is_hr, Employee.is_admin, Employee.created_at, Unit.name.label("unit"), Position.name.label("position"),
            Position.position_class, sup.name.label("supervisor"), sup.nip.label("supervisor_nip"), has_reports.label("is_supervisor"),
        )
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .outerjoin(Position, Position.id == Employee.position_id)
        .outerjoin(sup, sup.id == Employee.supervisor_id)
        .where(Employee.id == me.id)
    )


def _profile_shape(r: dict[str, Any], _labels: Labels) -> dict[str, Any]:
    roles = [_("Pegawai")]
    roles += [_(word) for flag, word in (("is_supervisor", "Atasan langsung"), ("is_hr", "BKPSDM"), ("is_admin", "Administrator")) if r[flag]]
    return r | {
        "roles": ", ".join(roles),
        "position_class_label": POSITION_CLASS_LABELS.get(r["position_class"], r["position_class"] or ""),
        "active": _("Aktif") if r["is_active"] else _("Nonaktif"),
    }


PROFILE = Section(
    "profil", "Profil",
    (("nip", "NIP"), ("name", "Nama"), ("unit", "Unit kerja"), ("position", "Jabatan"), ("position_class_label", "Kelas jabatan"),
     ("golongan", "Golongan"), ("supervisor", "Atasan langsung"), ("supervisor_nip", "NIP atasan"), ("email", "Email"),
     ("phone", "Telepon"), ("roles", "Peran di portal"), ("active", "Status akun"), ("created_at", "Tercatat sejak")),
    _profile, _profile_shape, single=True,
)


# --------------------------------------------------------------------------- AKPK


def _akpk(me: Me, cycles: int | None) -> Any:
    def pick(col: Any, role: str, submitted_only: bool = False) -> Any:
        cond = and_(Assessment.rater_role == role, Assessment.status == "submitted") if submitted_only else Assessment.rater_role == role
        return func.max(case((cond, col)))

    rater = aliased(Employee)
    stmt = (
        select(
            AssessmentCycle.id.label("cycle_id"), AssessmentCycle.name.label("cycle"), AssessmentCycle.year, AssessmentCycle.opens_on,
            Competency.code, Competency.name.label("competency"), AssessmentGap.gap,
            pick(AssessmentItem.level, "self").label("self_level"), pick(AssessmentItem.note, "self").label("self_note"),
            pick(Assessment.status, "self").label("self_status"), pick(Assessment.submitted_at, "self").label("self_submitted_at"),
            pick(AssessmentItem.level, "supervisor", True).label("supervisor_level"),
            pick(AssessmentItem.note, "supervisor", True).label("supervisor_note"),
            pick(Assessment.submitted_at, "supervisor", True).label("supervisor_submitted_at"),
            pick(rater.name, "supervisor", True).label("supervisor_name"),
        )
        .select_from(Assessment)
        .join(AssessmentCycle, AssessmentCycle.id == Assessment.cycle_id)
        .join(AssessmentItem, AssessmentItem.assessment_id == Assessment.id)
        .join(Competency, Competency.id == AssessmentItem.competency_id)
        .join(rater, rater.id == Assessment.rater_id)
        .outerjoin(AssessmentGap, and_(AssessmentGap.cycle_id == Assessment.cycle_id, AssessmentGap.subject_id == me.id,
                                       AssessmentGap.competency_id == AssessmentItem.competency_id))
        .where(Assessment.subject_id == me.id)
        .group_by(AssessmentCycle.id, AssessmentCycle.name, AssessmentCycle.year, AssessmentCycle.opens_on,
                  Competency.id, Competency.code, Competency.name, AssessmentGap.gap)
        .order_by(AssessmentCycle.opens_on.desc(), AssessmentCycle.id.desc(), Competency.code)
    )
    if cycles is not None:  # the page: the latest cycles (one more, to know there are more)
        latest = (
            select(AssessmentCycle.id).join(Assessment, Assessment.cycle_id == AssessmentCycle.id).where(Assessment.subject_id == me.id)
            .group_by(AssessmentCycle.id, AssessmentCycle.opens_on).order_by(AssessmentCycle.opens_on.desc(), AssessmentCycle.id.desc())
            .limit(cycles + 1)
        )
        stmt = stmt.where(Assessment.cycle_id.in_(latest.scalar_subquery()))
    return stmt


def _akpk_shape(r: dict[str, Any], _labels: Labels) -> dict[str, Any]:
    return r | {"self_status_label": label_of({"draft": "Draf", "submitted": "Terkirim"}, r["self_status"], _("Belum diisi"))}


AKPK = Section(
    "akpk", "Penilaian kompetensi",
    (("cycle", "Siklus"), ("year", "Tahun"), ("code", "Kode kompetensi"), ("competency", "Kompetensi"),
     ("self_level", "Level penilaian diri"), ("self_status_label", "Status penilaian diri"), ("self_submitted_at", "Penilaian diri dikirim"),
     ("self_note", "Catatan bukti (diri)"), ("supervisor_level", "Level penilaian atasan"), ("supervisor_name", "Atasan penilai"),
     ("supervisor_submitted_at", "Penilaian atasan dikirim"), ("supervisor_note", "Catatan atasan"), ("gap", "Kesenjangan")),
    _akpk, _akpk_shape,
)


# --------------------------------------------------------------------------- surveys


def _invitations(me: Me, cap: int | None) -> Any:
    stmt = (
        select(
            Training.title.label("training"), Questionnaire.title.label("questionnaire"), Questionnaire.anonymous,
            SurveyInvitation.status, SurveyInvitation.opens_on, SurveyInvitation.closes_on, SurveyInvitation.submitted_at,
        )
        .join(Training, Training.id == SurveyInvitation.training_id)
        .join(Questionnaire, Questionnaire.id == SurveyInvitation.questionnaire_id)
        .where(SurveyInvitation.employee_id == me.id)
        .order_by(SurveyInvitation.closes_on.desc(), SurveyInvitation.id.desc())
    )
    return stmt if cap is None else stmt.limit(cap + 1)


def _invitation_shape(r: dict[str, Any], _labels: Labels) -> dict[str, Any]:
    return r | {
        "status_label": label_of(INVITATION_STATUS, r["status"]),
        "anonymous_label": _("Ya") if r["anonymous"] else _("Tidak"),
        "submitted_at": None if r["anonymous"] else r["submitted_at"],
    }


SURVEYS = Section(
    "survei", "Undangan survei",
    (("training", "Pelatihan"), ("questionnaire", "Kuesioner"), ("anonymous_label", "Anonim"), ("status_label", "Status"),
     ("opens_on", "Dibuka"), ("closes_on", "Ditutup"), ("submitted_at", "Dikirim (survei tidak anonim)")),
    _invitations, _invitation_shape,
)


def _survey_answers(me: Me, cap: int | None) -> Any:
    stmt = (
        select(
            Training.title.label("training"), Questionnaire.title.label("questionnaire"), SurveyResponse.submitted_at,
            Question.section, Question.text.label("question"), Question.kind, Question.options,
            SurveyAnswer.value_num, SurveyAnswer.value_before, SurveyAnswer.value_text,
        )
        .select_from(SurveyResponse)
        .join(Questionnaire, and_(Questionnaire.id == SurveyResponse.questionnaire_id, Questionnaire.anonymous.is_(False)))
        .join(Training, Training.id == SurveyResponse.training_id)
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .join(Question, Question.id == SurveyAnswer.question_id)
        .where(SurveyResponse.respondent_id == me.id)
        .order_by(SurveyResponse.submitted_at.desc(), SurveyResponse.id, Question.position, Question.id)
    )
    return stmt if cap is None else stmt.limit(cap + 1)


def _answer_shape(r: dict[str, Any], _labels: Labels) -> dict[str, Any]:
    return r | {"answer": answer_text(r["kind"], r["options"], r["value_num"], r["value_text"]), "before": r["value_before"]}


SURVEY_ANSWERS = Section(
    "jawaban_survei", "Jawaban survei",
    (("training", "Pelatihan"), ("questionnaire", "Kuesioner"), ("submitted_at", "Dikirim"), ("section", "Bagian"),
     ("question", "Pertanyaan"), ("answer", "Jawaban"), ("before", "Jawaban sebelum pelatihan")),
    _survey_answers, _answer_shape,
)


# --------------------------------------------------------------------------- L3 ratings and impact


def _ratings(me: Me, cap: int | None) -> Any:
    rater = aliased(Employee)
    stmt = (
        select(
            Training.title.label("training"), Training.ends_on, ApplicationRating.rater_role, rater.name.label("rater"),
            ApplicationRating.submitted_at, Question.text.label("question"), Question.kind, Question.options,
            ApplicationAnswer.value_num, ApplicationAnswer.value_before, ApplicationAnswer.value_text,
        )
        .select_from(ApplicationRating)
        .join(Enrollment, and_(Enrollment.id == ApplicationRating.enrollment_id, Enrollment.employee_id == me.id))
        .join(Training, Training.id == Enrollment.training_id)
        .join(rater, rater.id == ApplicationRating.rater_id)
        .join(ApplicationAnswer, ApplicationAnswer.rating_id == ApplicationRating.id)
        .join(Question, Question.id == ApplicationAnswer.question_id)
        .where(ApplicationRating.status == "submitted")
        .order_by(Training.ends_on.desc(), Enrollment.id, ApplicationRating.rater_role, Question.position, Question.id)
    )
    return stmt if cap is None else stmt.limit(cap + 1)


def _rating_shape(r: dict[str, Any], _labels: Labels) -> dict[str, Any]:
    return r | {
        "role_label": label_of(RATER_ROLE, r["rater_role"]),
        "answer": answer_text(r["kind"], r["options"], r["value_num"], r["value_text"]),
        "before": r["value_before"],
    }


RATINGS = Section(
    "penerapan", "Penilaian penerapan",
    (("training", "Pelatihan"), ("role_label", "Penilai"), ("rater", "Nama penilai"), ("submitted_at", "Dikirim"),
     ("question", "Pertanyaan"), ("answer", "Jawaban"), ("before", "Sebelum pelatihan")),
    _ratings, _rating_shape,
)


def _impact(me: Me, cap: int | None) -> Any:
    sup, own = aliased(ApplicationRating), aliased(ApplicationRating)
    stmt = (
        select(
            Enrollment.id.label("enrollment_id"), Training.title.label("training"), Training.ends_on,
            sup.status.label("supervisor_status"), own.status.label("self_status"), ImpactScore.impact_index,
            ImpactScore.category, ImpactScore.application_score, ImpactScore.change_score, ImpactScore.self_score,
            ImpactScore.formula_version, ImpactScore.computed_at,
        )
        .join(Training, Training.id == Enrollment.training_id)
        .outerjoin(sup, and_(sup.enrollment_id == Enrollment.id, sup.rater_role == "supervisor"))
        .outerjoin(own, and_(own.enrollment_id == Enrollment.id, own.rater_role == "self"))
        .outerjoin(ImpactScore, ImpactScore.enrollment_id == Enrollment.id)
        .where(Enrollment.employee_id == me.id, or_(sup.id.is_not(None), own.id.is_not(None), ImpactScore.id.is_not(None)))
        .order_by(Training.ends_on.desc(), Enrollment.id.desc())
    )
    return stmt if cap is None else stmt.limit(cap + 1)


def _impact_shape(r: dict[str, Any], _labels: Labels) -> dict[str, Any]:
    return r | {
        "supervisor_label": label_of(RATING_STATUS, r["supervisor_status"], _("Belum ada")),
        "self_label": label_of(RATING_STATUS, r["self_status"], _("Belum ada")),
        "category_label": category_label(r["category"]) if r["category"] else "",
    }


IMPACT = Section(
    "dampak", "Skor dampak",
    (("training", "Pelatihan"), ("ends_on", "Selesai"), ("supervisor_label", "Penilaian atasan"), ("self_label", "Laporan diri"),
     ("impact_index", "Indeks dampak"), ("category_label", "Kategori"), ("application_score", "Skor penerapan"),
     ("change_score", "Skor perubahan"), ("self_score", "Skor laporan diri"), ("formula_version", "Versi rumus"),
     ("computed_at", "Dihitung")),
    _impact, _impact_shape,
)


# --------------------------------------------------------------------------- JP ledger


def _jp(me: Me, cap: int | None) -> Any:
    stmt = (
        select(
            dialect.year_of(Training.ends_on).label("year"), Training.code, Training.title.label("training"), Training.kind,
            Training.provider, Training.starts_on, Training.ends_on, Training.jp, Enrollment.status, Enrollment.jp_credited,
        )
        .join(Training, Training.id == Enrollment.training_id)
        .where(Enrollment.employee_id == me.id)
        .order_by(Training.ends_on.desc(), Training.id.desc())
    )
    return stmt if cap is None else stmt.limit(cap + 1)


def _jp_shape(r: dict[str, Any], _labels: Labels) -> dict[str, Any]:
    return r | {"kind_label": kind_label(r["kind"]), "status_label": label_of(ENROLLMENT_STATUS, r["status"])}


JP = Section(
    "jp", "Riwayat JP",
    (("year", "Tahun"), ("code", "Kode"), ("training", "Pelatihan"), ("kind_label", "Bentuk"), ("provider", "Penyelenggara"),
     ("starts_on", "Mulai"), ("ends_on", "Selesai"), ("status_label", "Status"), ("jp", "JP pelatihan"), ("jp_credited", "JP diakui")),
    _jp, _jp_shape,
)
