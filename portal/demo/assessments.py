"""Demo AKPK data: a closed cycle of last year (everything submitted, used for "gap closure") and
an open cycle of this year with a realistic mix of submitted, draft and not-started assessments.

Kept fixed for the browser journeys:
- the demo employee (Putri Wulandari) has a DRAFT self-assessment with a few levels filled in, and
  her supervisor (drg. Ratna, the demo supervisor) has NOT started assessing her;
- Rahmat Hidayat (same unit and position) has not started either, and neither has Ratna for him
  (the automated browser test uses him, so that Putri stays available for manual demos);
- in the same team, dr. Aditya Nugraha is complete on both sides (a finished comparison with one
  "perlu dibicarakan" flag), Dian has submitted and waits for Ratna, Erniwati is in draft.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import insert, select
from sqlmodel import Session

from portal.demo.content import DEMO_ACCOUNTS
from portal.models import (
    Assessment,
    AssessmentCycle,
    AssessmentItem,
    Competency,
    Employee,
    PositionStandard,
)
from portal.services import summaries

PUTRI = DEMO_ACCOUNTS["employee"]
RATNA = DEMO_ACCOUNTS["supervisor"]
RAHMAT = "198901302011011027"
ADITYA = "199308272020121022"
DIAN = "199204022017012023"
FRANSISKUS = "199107192015031024"
ERNIWATI = "198702242010012025"

NOTES = {
    "manajerial": [
        "Memimpin briefing pagi tim loket selama tiga bulan terakhir.",
        "Menyusun jadwal piket dan memastikan layanan tetap buka saat rekan cuti.",
        "Menangani keluhan warga di media sosial unit dan mencatat tindak lanjutnya.",
        "Mengusulkan perbaikan alur layanan yang kemudian dipakai di unit.",
        "Membimbing dua pegawai baru pada bulan pertama mereka bekerja.",
    ],
    "sosial_kultural": [
        "Melayani warga dari berbagai latar belakang tanpa membeda-bedakan.",
        "Ikut menjadi panitia kegiatan lintas agama di kelurahan.",
    ],
    "teknis": [
        "Mengoperasikan aplikasi layanan setiap hari tanpa bantuan.",
        "Menjadi narasumber internal untuk fitur baru aplikasi.",
        "Menyelesaikan laporan bulanan tepat waktu sepanjang tahun.",
    ],
}


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.utc)


def _level(rng: random.Random, required: int, ability: float) -> int:
    return max(1, min(5, round(required + ability + rng.uniform(-1.3, 0.7))))


def seed(session: Session, today: date) -> str:
    year = today.year
    current_name = f"AKPK {year}"
    if session.execute(select(AssessmentCycle.id).where(AssessmentCycle.name == current_name)).first() is not None:
        return "Data demo AKPK sudah ada."

    previous = AssessmentCycle(
        name=f"AKPK {year - 1}",
        year=year - 1,
        opens_on=date(year - 1, 3, 1),
        closes_on=date(year - 1, 4, 30),
        status="closed",
    )
    current = AssessmentCycle(
        name=current_name,
        year=year,
        opens_on=today - timedelta(days=28),
        closes_on=today + timedelta(days=35),
        status="open",
    )
    session.add_all([previous, current])
    session.flush()

    employees = session.execute(
        select(Employee.id, Employee.nip, Employee.position_id, Employee.supervisor_id)
        .where(Employee.is_active.is_(True), Employee.position_id.is_not(None))
        .order_by(Employee.id)
    ).all()
    standards: dict[int, list[tuple[int, int, str]]] = {}
    for position_id, cid, required, group in session.execute(
        select(PositionStandard.position_id, PositionStandard.competency_id, PositionStandard.required_level, Competency.group_name)
        .join(Competency, Competency.id == PositionStandard.competency_id)
        .order_by(PositionStandard.position_id, Competency.group_name, Competency.code)
    ):
        standards.setdefault(position_id, []).append((cid, required, group))
    # manajerial, sosial_kultural, teknis: alphabetical group names already give the form's order

    rng = random.Random(20260)
    items: list[dict] = []
    counts = {"submitted": 0, "draft": 0, "not_started": 0, "supervisor": 0}

    def add(cycle: AssessmentCycle, subject_id: int, rater_id: int, role: str, levels: dict[int, int],
            groups: dict[int, str], submitted: datetime | None, updated: datetime) -> None:
        a = Assessment(
            cycle_id=cycle.id,
            subject_id=subject_id,
            rater_id=rater_id,
            rater_role=role,
            status="submitted" if submitted else "draft",
            submitted_at=submitted,
            updated_at=updated,
            version=len(levels) + (1 if submitted else 0),
        )
        session.add(a)
        session.flush()
        for cid, level in levels.items():
            note = rng.choice(NOTES[groups[cid]]) if rng.random() < 0.25 else None
            items.append({"assessment_id": a.id, "competency_id": cid, "level": level, "note": note, "updated_at": updated})

    fixed = {PUTRI, RAHMAT, ADITYA, DIAN, FRANSISKUS, ERNIWATI}
    for emp_id, nip, position_id, supervisor_id in employees:
        std = standards.get(position_id, [])
        if not std:
            continue
        groups = {cid: g for cid, _, g in std}
        ability = rng.gauss(-0.1, 0.7)

        # last year: closed cycle, nearly everyone submitted; levels a little lower than today
        if rng.random() < 0.9 or nip in fixed:
            prev_self = {cid: _level(rng, req, ability - 0.3) for cid, req, _ in std}
            when = _at(previous.opens_on + timedelta(days=rng.randint(3, 40)))
            add(previous, emp_id, emp_id, "self", prev_self, groups, when, when)
            if supervisor_id is not None and rng.random() < 0.85:
                prev_sup = {cid: max(1, min(5, lvl + rng.choice((-1, 0, 0, 0, 1)))) for cid, lvl in prev_self.items()}
                when2 = when + timedelta(days=rng.randint(1, 14))
                add(previous, emp_id, supervisor_id, "supervisor", prev_sup, groups, when2, when2)

        # this year
        self_levels = {cid: _level(rng, req, ability) for cid, req, _ in std}
        sup_levels = {cid: max(1, min(5, lvl + rng.choice((-1, -1, 0, 0, 0, 1)))) for cid, lvl in self_levels.items()}
        day = current.opens_on + timedelta(days=rng.randint(1, max(1, (today - current.opens_on).days - 1)))
        if nip == PUTRI:
            draft = dict(list(self_levels.items())[:4])
            add(current, emp_id, emp_id, "self", draft, groups, None, _at(today - timedelta(days=2), 3))
            counts["draft"] += 1
            continue
        if nip == RAHMAT:
            counts["not_started"] += 1
            continue
        if nip == ADITYA:
            first = next(iter(sup_levels))
            sup_levels[first] = max(1, self_levels[first] - 2) if self_levels[first] >= 3 else min(5, self_levels[first] + 2)
            add(current, emp_id, emp_id, "self", self_levels, groups, _at(day), _at(day))
            add(current, emp_id, supervisor_id, "supervisor", sup_levels, groups, _at(day + timedelta(days=1)), _at(day + timedelta(days=1)))
            counts["submitted"] += 1
            counts["supervisor"] += 1
            continue
        if nip in (DIAN, FRANSISKUS):
            add(current, emp_id, emp_id, "self", self_levels, groups, _at(day), _at(day))
            counts["submitted"] += 1
            if nip == DIAN:
                partial = dict(list(sup_levels.items())[:3])
                add(current, emp_id, supervisor_id, "supervisor", partial, groups, None, _at(day + timedelta(days=1)))
            continue
        if nip == ERNIWATI:
            add(current, emp_id, emp_id, "self", dict(list(self_levels.items())[:6]), groups, None, _at(day))
            counts["draft"] += 1
            continue
        roll = rng.random()
        if roll < 0.45:
            add(current, emp_id, emp_id, "self", self_levels, groups, _at(day), _at(day))
            counts["submitted"] += 1
            if supervisor_id is not None:
                sup_roll = rng.random()
                when = _at(day + timedelta(days=rng.randint(0, 5)))
                if sup_roll < 0.55:
                    add(current, emp_id, supervisor_id, "supervisor", sup_levels, groups, when, when)
                    counts["supervisor"] += 1
                elif sup_roll < 0.7:
                    k = rng.randint(1, max(1, len(sup_levels) - 1))
                    add(current, emp_id, supervisor_id, "supervisor", dict(list(sup_levels.items())[:k]), groups, None, when)
        elif roll < 0.7:
            k = rng.randint(1, max(1, len(self_levels) - 1))
            add(current, emp_id, emp_id, "self", dict(list(self_levels.items())[:k]), groups, None, _at(day))
            counts["draft"] += 1
        else:
            counts["not_started"] += 1

    if items:
        session.execute(insert(AssessmentItem), items)
    session.flush()
    summaries.gaps.rebuild(session)
    return (
        f"Data demo AKPK dimuat: siklus {previous.name} (ditutup) dan {current.name} (terbuka s.d. "
        f"{current.closes_on.isoformat()}): {counts['submitted']} penilaian diri terkirim, {counts['draft']} draf, "
        f"{counts['not_started']} belum mulai; {counts['supervisor']} penilaian atasan terkirim."
    )
