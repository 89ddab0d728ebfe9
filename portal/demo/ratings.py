"""Demo data for on-the-job application (L3): the standard supervisor questionnaire and a short alumni
self-report, attached to the finished demo trainings, with ratings submitted through the real service
(so every impact score equals its recomputation) for the trainings whose rating is due or overdue.

Kept fixed for the journeys:
- the demo supervisor (drg. Ratna) has NOT started rating the demo employee (Putri Wulandari) for
  "Pelatihan Manajemen Puskesmas" (ended ~96 days ago, 90 due days: due now); the browser test fills it;
- Putri's rating for the e-learning on integrity is submitted (she sees a result), and her self-report for
  the Puskesmas training is open (a Beranda task);
- "Pelatihan Manajemen Antrean Pelayanan" uses 21 due days, so its ratings are *soon due* for Ratna's team.

Gap closure uses the closed AKPK cycle of last year and the open cycle of this year from portal.demo.assessments.
Idempotent: does nothing when the standard L3 questionnaire exists.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select, update
from sqlmodel import Session

from portal.demo.content import DEMO_ACCOUNTS
from portal.models import (
    Employee,
    Enrollment,
    Questionnaire,
    Training,
)
from portal.rules import L3_WINDOW_DAYS, l3_schedule, took_part
from portal.services import application as svc
from portal.services.questionnaires.standard import QuestionSpec, ensure_questionnaire

STANDARD_L3_TITLE = "Evaluasi Penerapan Hasil Pelatihan oleh Atasan (Standar L3)"
STANDARD_L3_DESCRIPTION = (
    "Diisi oleh atasan langsung sekitar tiga bulan setelah pegawai mengikuti pelatihan. Pada butir "
    "sebelum/sesudah, nilai kinerja pegawai sebelum pelatihan dan saat ini. Penilaian ini tercatat atas nama "
    "Anda (tidak anonim); hasilnya hanya dapat dilihat oleh BKPSDM, Anda, dan pegawai yang dinilai."
)
SELF_REPORT_TITLE = "Laporan Diri Penerapan Hasil Pelatihan (Alumni)"
SELF_REPORT_DESCRIPTION = (
    "Ceritakan bagaimana Anda menerapkan hasil pelatihan dalam pekerjaan. Laporan ini tercatat atas nama Anda "
    "dan melengkapi penilaian atasan Anda."
)

# (section, kind, text, required, retrospective, max_length)
STANDARD_L3: tuple[tuple[str, str, str, bool, bool, int | None], ...] = (
    ("Kinerja sebelum dan sesudah pelatihan", "likert5",
     "Penerapan pengetahuan dan keterampilan dari pelatihan dalam pekerjaan sehari-hari", True, True, None),
    ("Kinerja sebelum dan sesudah pelatihan", "likert5",
     "Mutu hasil kerja (ketelitian, kelengkapan, sedikit kesalahan)", True, True, None),
    ("Kinerja sebelum dan sesudah pelatihan", "likert5",
     "Kecepatan pelayanan kepada masyarakat atau pengguna layanan", True, True, None),
    ("Kinerja sebelum dan sesudah pelatihan", "likert5",
     "Motivasi dan rasa percaya diri dalam menjalankan tugas", True, True, None),
    ("Dampak bagi unit kerja", "likert5",
     "Berbagi pengetahuan dari pelatihan dengan rekan kerja (diskusi, contoh, bimbingan)", True, False, None),
    ("Dampak bagi unit kerja", "likert5",
     "Sumbangan hasil pelatihan bagi perbaikan layanan unit kerja", True, False, None),
    ("Contoh penerapan", "text",
     "Tuliskan satu contoh nyata penerapan hasil pelatihan dalam pekerjaan pegawai ini.", True, False, 1000),
    ("Contoh penerapan", "text",
     "Hambatan penerapan atau dukungan yang masih dibutuhkan", False, False, 1000),
)
SELF_REPORT: tuple[tuple[str, str, str, bool, bool, int | None], ...] = (
    ("Penerapan", "likert5", "Kemampuan saya menerapkan pengetahuan dan keterampilan dari pelatihan", True, True, None),
    ("Penerapan", "likert5", "Kecepatan dan mutu pelayanan yang saya berikan", True, True, None),
    ("Penerapan", "likert5", "Berbagi pengetahuan dari pelatihan dengan rekan kerja", True, False, None),
    ("Penerapan", "text", "Contoh penerapan yang paling Anda banggakan", False, False, 1000),
)

SELF_REPORT_TRAININGS = ("PLT-PPP-01", "PLT-MPKM-01", "BMT-SIAK-01")
DUE_DAYS = {"PLT-ANT-01": 21}
# gain in level (after - before) per training: how much the training moved the work
GAIN = {
    "PLT-PPP-01": 1.6,
    "KRS-ING-01": 0.8,
    "PKP-01": 1.4,
    "WS-AKPK-01": 1.5,
    "SEM-TI-01": 0.4,
    "ELN-AKS-01": 0.9,
    "BMT-SIAK-01": 1.8,
    "PLT-MPKM-01": 1.3,
}
EXAMPLES = {
    "PLT-PPP-01": (
        "Menerapkan standar salam, senyum dan sapa di loket; keluhan warga tercatat di buku dan ditindaklanjuti hari itu juga.",
        "Menyusun papan informasi persyaratan layanan sehingga warga tidak bolak-balik melengkapi berkas.",
        "Menangani warga yang marah dengan tenang dan menawarkan solusi, tidak lagi langsung meneruskan ke atasan.",
    ),
    "KRS-ING-01": (
        "Melayani wisatawan asing yang menanyakan surat keterangan dengan bahasa Inggris sederhana.",
        "Membuat lembar petunjuk layanan dwibahasa untuk loket.",
    ),
    "PKP-01": (
        "Memimpin rapat evaluasi bulanan dengan data capaian, bukan hanya laporan lisan.",
        "Membagi tugas tim berdasarkan kemampuan dan memantau kemajuannya setiap pekan.",
    ),
    "WS-AKPK-01": (
        "Menyusun rencana pengembangan kompetensi unit dari hasil AKPK, lengkap dengan prioritas dan anggaran.",
        "Membimbing operator OPD menginput analisis kebutuhan di portal.",
    ),
    "SEM-TI-01": ("Mengusulkan penggunaan formulir daring untuk pendaftaran layanan.",),
    "ELN-AKS-01": (
        "Menolak pemberian dari pengguna layanan dan menjelaskan aturannya dengan sopan.",
        "Mengingatkan rekan agar mencatat setiap potensi benturan kepentingan.",
    ),
    "BMT-SIAK-01": (
        "Menyelesaikan data ganda penduduk sendiri tanpa menunggu bantuan pusat; antrean perbaikan data turun.",
        "Membantu warga yang datanya tidak ditemukan dengan konsolidasi langsung di SIAK Terpusat.",
    ),
    "PLT-MPKM-01": (
        "Menyiapkan bahan lokakarya mini bulanan dan mencatat tindak lanjutnya.",
        "Mengatur alur pendaftaran pasien sehingga waktu tunggu pagi hari lebih pendek.",
    ),
}
OBSTACLES = (
    "Jaringan internet di kantor sering terputus.",
    "Beban kerja loket tinggi sehingga belum sempat berbagi dengan rekan.",
    "Perlu pendampingan lanjutan untuk kasus yang lebih rumit.",
    "Peralatan pendukung belum tersedia di unit.",
)
PUTRI = DEMO_ACCOUNTS["employee"]
RATNA = DEMO_ACCOUNTS["supervisor"]


def _ensure_questionnaire(session: Session, title: str, description: str, purpose: str, spec) -> int:
    questions = [
        QuestionSpec(section, kind, text, required, "penerapan", retro, max_length) for section, kind, text, required, retro, max_length in spec
    ]
    return ensure_questionnaire(session, title, description, purpose, False, questions)


def ensure_standard_l3(session: Session) -> int:
    """The standard L3 supervisor questionnaire (idempotent; flushes)."""
    return _ensure_questionnaire(session, STANDARD_L3_TITLE, STANDARD_L3_DESCRIPTION, "application", STANDARD_L3)


def ensure_self_report(session: Session) -> int:
    return _ensure_questionnaire(session, SELF_REPORT_TITLE, SELF_REPORT_DESCRIPTION, "self_report", SELF_REPORT)


def _clip(v: float) -> int:
    return max(1, min(5, round(v)))


def _answers(rng: random.Random, structure, code: str, self_report: bool = False) -> dict[str, str]:
    """A plausible set of answers: each person has a level before the training and a personal gain."""
    level = rng.gauss(2.6, 0.55)
    gain = max(-0.5, rng.gauss(GAIN.get(code, 0.8), 0.6)) + (0.2 if self_report else 0.0)
    data: dict[str, str] = {}
    for q in structure.questions:
        if q.kind == "likert5":
            before = level + rng.gauss(0, 0.35)
            after = before + gain + rng.gauss(0, 0.35)
            if q.retrospective:
                data[f"q{q.id}_sebelum"] = str(_clip(before))
            data[f"q{q.id}"] = str(_clip(after if q.retrospective else after - 0.2))
        elif q.kind == "text":
            pool = EXAMPLES.get(code, EXAMPLES["PLT-PPP-01"])
            if q.required:
                data[f"q{q.id}"] = rng.choice(pool)
            elif rng.random() < 0.35:
                data[f"q{q.id}"] = rng.choice(pool if self_report else OBSTACLES)
    return data


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def seed(session: Session, today: date) -> str:
    if session.execute(
        select(Questionnaire.id).where(Questionnaire.title == STANDARD_L3_TITLE, Questionnaire.purpose == "application")
    ).first() is not None:
        return "Data demo penerapan (L3) sudah ada."
    qid = ensure_standard_l3(session)
    self_qid = ensure_self_report(session)
    session.execute(
        update(Training).where(Training.ends_on < today).values(application_questionnaire_id=qid)
    )
    session.execute(update(Training).where(Training.code.in_(SELF_REPORT_TRAININGS)).values(self_report_questionnaire_id=self_qid))
    for code, days in DUE_DAYS.items():
        session.execute(update(Training).where(Training.code == code).values(application_due_days=days))
    session.commit()

    rng = random.Random(3_2026)
    window = L3_WINDOW_DAYS
    rows = session.execute(
        select(Enrollment.id, Training.code, Training.ends_on, Training.application_due_days, Employee.nip, Employee.id, Employee.supervisor_id)
        .join(Training, Training.id == Enrollment.training_id)
        .join(Employee, Employee.id == Enrollment.employee_id)
        .where(Training.application_questionnaire_id == qid, took_part(Enrollment.status), Employee.is_active.is_(True))
        .order_by(Training.ends_on, Enrollment.id)
    ).all()
    counts = {"submitted": 0, "draft": 0, "self": 0}
    ratna_id = session.execute(select(Employee.id).where(Employee.nip == RATNA)).scalar_one_or_none()
    for eid, code, ends_on, due_days, nip, emp_id, sup_id in rows:
        sched = l3_schedule(ends_on, due_days, window)
        state = sched.state(today)
        if state not in ("due", "overdue"):
            continue
        fixed_open = code == "PLT-MPKM-01" and nip == PUTRI
        # supervisor's rating: most overdue ones were done in their window; about half of the open ones so far
        if sup_id is not None and not fixed_open:
            share = 0.8 if state == "overdue" else 0.45
            if code == "ELN-AKS-01" and sup_id == ratna_id:
                share = 1.0  # keeps the demo supervisor's list short: only the Puskesmas training is due
            roll = rng.random()
            ctx = svc.for_supervisor(session, eid, sup_id, window)
            if ctx is not None and roll < share + 0.1:
                structure = svc.structure_for(session, ctx)
                data = _answers(rng, structure, code)
                last = min(today, sched.window_ends_on)
                day = sched.due_on + timedelta(days=rng.randint(0, max(0, (last - sched.due_on).days)))
                when = _at(day, rng.randint(1, 9))
                if roll >= share:  # a draft: only the first half of the answers
                    keys = list(data)[: len(data) // 2]
                    svc.save_many(session, ctx, structure, {k: data[k] for k in keys}, sup_id, now=when)
                    counts["draft"] += 1
                else:
                    svc.save_many(session, ctx, structure, data, sup_id, now=when)
                    ctx = svc.for_supervisor(session, eid, sup_id, window)
                    assert ctx is not None
                    result = svc.submit(session, ctx, structure, sup_id, now=when, today=today)
                    if result.status == "submitted":
                        counts["submitted"] += 1
        # the alumnus' self-report (where asked): about 60 %, never Putri's open one
        if code in SELF_REPORT_TRAININGS and not (code == "PLT-MPKM-01" and nip == PUTRI) and rng.random() < 0.6:
            ctx = svc.for_self(session, eid, emp_id, window)
            if ctx is not None:
                structure = svc.structure_for(session, ctx)
                when = _at(min(today, sched.due_on + timedelta(days=rng.randint(0, 10))), 2)
                svc.save_many(session, ctx, structure, _answers(rng, structure, code, self_report=True), emp_id, now=when)
                ctx = svc.for_self(session, eid, emp_id, window)
                assert ctx is not None
                if svc.submit(session, ctx, structure, emp_id, now=when, today=today).status == "submitted":
                    counts["self"] += 1
    session.commit()
    return (
        f"Data demo penerapan (L3) dimuat: kuesioner atasan standar dan laporan diri alumni; "
        f"{counts['submitted']} penilaian atasan terkirim (dengan skor dampak), {counts['draft']} draf, "
        f"{counts['self']} laporan diri terkirim."
    )
