"""Demo data for post-training surveys: the standard L1 questionnaire on every finished training, with
realistic response sets submitted through the real submit path (so the summaries are right), a few
trainings with fewer than 5 responses, and open invitations for the demo employee.

Idempotent: does nothing when survey invitations already exist.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from portal.models import Employee, SurveyInvitation, Training
from portal.services import questionnaires as qsvc
from portal.services import surveys as svc
from portal.services import trainings
from portal.services.trainings import enrollments

DEMO_EMPLOYEE = "199706112020122026"  # Putri Wulandari
# People whose open invitations are left untouched (the demo employee and the browser tests' people).
RESERVED = {
    DEMO_EMPLOYEE,
    "198901302011011027",  # Rahmat Hidayat
    "199402242019031031",  # Ahmad Fadli
    "199510302020122032",  # Indah Permatasari
    "199204022017012023",  # Dian Permata Sari
}
RECENT = {
    "code": "PLT-KEP-01",
    "title": "Pelatihan Komunikasi Efektif dan Penanganan Keluhan Pasien",
    "kind": "pelatihan",
    "mode": "klasikal",
    "provider": "Dinas Kesehatan Kota Tanjungpinang",
    "description": (
        "Pelatihan singkat bagi petugas puskesmas tentang komunikasi yang empatik, menyampaikan informasi "
        "antrean dan biaya dengan jelas, serta menangani keluhan pasien sampai tuntas."
    ),
    "start_offset_days": -4,
    "duration_days": 2,
    "jp": 16,
    "positions": (
        "petugas-pendaftaran-batu10",
        "perawat-terampil-batu10",
        "bidan-mahir-batu10",
        "petugas-pendaftaran-seijang",
        "perawat-penyelia-seijang",
    ),
}
# response rate and satisfaction level per training code (others get a random profile)
PROFILES = {
    "SEM-TI-01": (0.2, 3.4),
    "PKP-01": (0.75, 4.4),
    "WS-AKPK-01": (0.75, 4.1),
    "BMT-SIAK-01": (0.85, 3.7),
    "ELN-AKS-01": (0.6, 3.5),
}
DIMENSION_OFFSET = {"materi": 0.1, "fasilitator": 0.25, "sarana": -0.35, "penyelenggaraan": -0.1, "relevansi": 0.05}
USEFUL = (
    "Studi kasus dari puskesmas dan loket lain sangat membantu.",
    "Contoh format dan templat yang langsung bisa dipakai di kantor.",
    "Praktik langsung dengan aplikasi, bukan hanya teori.",
    "Diskusi kelompok membuka wawasan tentang masalah di unit lain.",
    "Penjelasan narasumber tentang aturan terbaru sangat jelas.",
    "Tips menghadapi masyarakat yang marah dengan tetap tenang.",
    "Materi tentang pengelolaan waktu dan prioritas pekerjaan.",
)
SUGGESTIONS = (
    "Waktu praktik sebaiknya ditambah, sesi teori bisa dipersingkat.",
    "Ruangan terlalu dingin dan proyektor kurang terang.",
    "Bahan ajar dibagikan sebelum pelatihan supaya bisa dibaca lebih dulu.",
    "Jaringan internet sering putus saat praktik aplikasi.",
    "Mohon ada sesi lanjutan beberapa bulan lagi untuk evaluasi penerapan.",
    "Undangan sebaiknya dikirim minimal satu minggu sebelumnya.",
    "Konsumsi siang terlambat datang pada hari kedua.",
    "Peserta dari unit yang sama sebaiknya dipisah kelompoknya.",
)


def _ensure_recent_training(session: Session, today: date) -> Training:
    """A training that ended three days ago, so that the demo employee has a second open survey."""
    t = session.execute(select(Training).where(Training.code == RECENT["code"])).scalar_one_or_none()
    if t is not None:
        return t
    from portal.demo import content

    starts_on = today + timedelta(days=RECENT["start_offset_days"])
    t = Training(
        code=RECENT["code"],
        title=RECENT["title"],
        kind=RECENT["kind"],
        mode=RECENT["mode"],
        provider=RECENT["provider"],
        description=RECENT["description"],
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=RECENT["duration_days"] - 1),
        jp=RECENT["jp"],
    )
    session.add(t)
    session.flush()
    nips = [e["nip"] for e in content.EMPLOYEES if e["position_key"] in RECENT["positions"]]
    ids = session.execute(select(Employee.id).where(Employee.nip.in_(nips))).scalars().all()
    # attended; JP is credited when the certificate is issued (status 'completed')
    enrollments.enrol_many(session, [{"training_id": t.id, "employee_id": e, "status": "attended", "jp_credited": 0} for e in ids])
    session.flush()
    return t


def _answers(rng: random.Random, structure: qsvc.Structure, level: float) -> dict[str, str]:
    person = rng.gauss(0, 0.45)  # some people rate everything higher or lower
    data: dict[str, str] = {}
    likert = []
    for q in structure.questions:
        if q.kind == "likert5":
            v = round(level + person + DIMENSION_OFFSET.get(q.dimension, 0) + rng.gauss(0, 0.55))
            v = min(5, max(1, v))
            likert.append(v)
            data[f"q{q.id}"] = str(v)
        elif q.kind == "scale0_10":
            mean = sum(likert) / len(likert) if likert else level
            v = round(2.6 * mean - 3 + rng.gauss(0, 1.1))
            data[f"q{q.id}"] = str(min(10, max(0, v)))
        elif q.kind == "single" and q.options or q.kind == "multi" and q.options:
            data[f"q{q.id}"] = str(rng.randrange(len(q.options)))
        elif q.kind == "text":
            pool = USEFUL if "bermanfaat" in q.text else SUGGESTIONS
            if rng.random() < (0.55 if pool is USEFUL else 0.4):
                data[f"q{q.id}"] = rng.choice(pool)
    return data


def seed(session: Session, today: date) -> str:
    if session.execute(select(func.count()).select_from(SurveyInvitation)).scalar_one():
        return "Data survei demo sudah ada."
    qid = qsvc.ensure_standard_l1(session)
    _ensure_recent_training(session, today)
    session.commit()
    structure = qsvc.load_structure(session, qid)
    rng = random.Random(20261128)
    finished = session.execute(
        select(Training.id, Training.code, Training.ends_on).where(Training.ends_on < today).order_by(Training.ends_on, Training.id)
    ).all()
    n_trainings = n_invitations = n_responses = 0
    demo_answered = False
    for tid, code, ends_on in finished:
        opens_on, closes_on = trainings.default_window(ends_on, 14)
        result = trainings.attach(session, None, tid, qid, opens_on, closes_on, today=min(opens_on, today))
        if not result.ok:
            raise RuntimeError(f"demo: cannot attach the L1 questionnaire to training {code}: {result}")
        n_trainings += 1
        invitations = session.execute(
            select(SurveyInvitation.id, SurveyInvitation.employee_id, Employee.nip)
            .join(Employee, Employee.id == SurveyInvitation.employee_id)
            .where(SurveyInvitation.training_id == tid)
            .order_by(SurveyInvitation.id)
        ).all()
        n_invitations += len(invitations)
        rate, level = PROFILES.get(code, (rng.uniform(0.55, 0.9), rng.uniform(3.6, 4.5)))
        window_open = closes_on >= today
        last_day = min(closes_on, today)
        for inv_id, emp_id, nip in invitations:
            if window_open and nip in RESERVED:
                continue
            if nip == DEMO_EMPLOYEE:
                # the demo employee answered her first closed survey and missed the later ones
                if demo_answered:
                    continue
                demo_answered = True
            elif rng.random() >= (0.5 if window_open else rate):
                continue
            found = svc.load_invitation(session, inv_id, emp_id)
            assert found is not None
            inv = found[0]
            svc.save_many(session, inv, structure, _answers(rng, structure, level))
            day = opens_on + timedelta(days=rng.randint(0, max(0, (last_day - opens_on).days)))
            if svc.submit(session, inv_id, emp_id, day, anonymous=structure.anonymous).status == "submitted":
                n_responses += 1
    # the demo employee has started (not finished) the most recent survey
    recent = session.execute(
        select(SurveyInvitation.id, SurveyInvitation.employee_id)
        .join(Training, Training.id == SurveyInvitation.training_id)
        .join(Employee, Employee.id == SurveyInvitation.employee_id)
        .where(Training.code == RECENT["code"], Employee.nip == DEMO_EMPLOYEE)
    ).first()
    if recent is not None:
        found = svc.load_invitation(session, recent[0], recent[1])
        if found is not None:
            first = structure.questions[:3]
            svc.save_many(session, found[0], structure, {f"q{q.id}": "4" for q in first})
    session.commit()
    return (
        f"Data survei demo dimuat: kuesioner standar L1 ({structure.count} pertanyaan) pada {n_trainings} pelatihan, "
        f"{n_invitations} undangan, {n_responses} jawaban terkirim."
    )
