"""The foundation of the demo data: units, positions and their standards, competencies, employees and
their accounts, trainings and enrolments (content in portal/demo/content/)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlmodel import Session

from portal.demo import content
from portal.models import (
    Competency,
    CompetencyLevel,
    Employee,
    Position,
    PositionStandard,
    Training,
    TrainingCompetency,
    Unit,
)
from portal.security import hash_password
from portal.services.trainings import enrollments

DEMO_PASSWORD = "Demo-Portal-2026"


def seed_foundation(session: Session, today: date) -> str:
    if session.execute(select(Unit.id).where(Unit.code == "PEMKOT")).scalar_one_or_none() is not None:
        return "Data dasar demo sudah ada."
    units: dict[str, Unit] = {}
    for u in content.UNITS:  # parents come before children in the list
        unit = Unit(code=u["code"], name=u["name"], parent_id=units[u["parent_code"]].id if u["parent_code"] else None)
        session.add(unit)
        session.flush()
        units[u["code"]] = unit

    competencies: dict[str, Competency] = {}
    for c in content.COMPETENCIES:
        comp = Competency(code=c["code"], name=c["name"], group_name=c["group"], description=c["description"])
        session.add(comp)
        session.flush()
        competencies[c["code"]] = comp
        for level, text in enumerate(c["levels"], start=1):
            session.add(CompetencyLevel(competency_id=comp.id, level=level, description=text))

    positions: dict[str, Position] = {}
    common = [c for c in content.COMPETENCIES if c["group"] in ("manajerial", "sosial_kultural")]
    for p in content.POSITIONS:
        pos = Position(code="JAB-" + p["key"].upper(), name=p["name"], position_class=p["position_class"], unit_id=units[p["unit_code"]].id)
        session.add(pos)
        session.flush()
        positions[p["key"]] = pos
        default_level = content.MANAGERIAL_DEFAULT_LEVEL[p["position_class"]]
        for c in common:
            session.add(PositionStandard(position_id=pos.id, competency_id=competencies[c["code"]].id, required_level=default_level))
        for code, level in p["technical"]:
            session.add(PositionStandard(position_id=pos.id, competency_id=competencies[code].id, required_level=level))

    password_hash = hash_password(DEMO_PASSWORD)  # one hash shared by the demo accounts (demo only)
    employees: dict[str, Employee] = {}
    position_unit = {p["key"]: p["unit_code"] for p in content.POSITIONS}
    for e in content.EMPLOYEES:
        emp = Employee(
            nip=e["nip"],
            name=e["name"],
            email=e["email"],
            unit_id=units[position_unit[e["position_key"]]].id,
            position_id=positions[e["position_key"]].id,
            is_hr=e["is_hr"],
            is_admin=e["is_admin"],
            password_hash=password_hash,
        )
        session.add(emp)
        employees[e["nip"]] = emp
    session.flush()
    for e in content.EMPLOYEES:
        if e["supervisor_nip"]:
            employees[e["nip"]].supervisor_id = employees[e["supervisor_nip"]].id
    session.flush()

    rng = random.Random(2026)
    n_enrollments = 0
    per_employee: dict[str, int] = {}
    # newest first, and at most 3 activities per person, so that JP totals look like a real year
    for t in sorted(content.TRAININGS, key=lambda t: -t["start_offset_days"]):
        starts_on = today + timedelta(days=t["start_offset_days"])
        ends_on = starts_on + timedelta(days=max(t["duration_days"] - 1, 0))
        training = Training(
            code=t["code"],
            title=t["title"],
            kind=t["kind"],
            mode=t["mode"],
            provider=t["provider"],
            description=t["description"],
            starts_on=starts_on,
            ends_on=ends_on,
            jp=t["jp"],
        )
        session.add(training)
        session.flush()
        for code in t["competency_codes"]:
            session.add(TrainingCompetency(training_id=training.id, competency_id=competencies[code].id))
        eligible = [
            e
            for e in content.EMPLOYEES
            if e["position_key"] in t["participants"] or position_unit[e["position_key"]] in t["participants"]
        ]
        finished = ends_on < today
        always = set(content.DEMO_ACCOUNTS.values())
        # not everyone eligible attends every activity: about 60 % do (the demo accounts always),
        # so that JP compliance shows a realistic mix
        eligible = [
            e for e in eligible if (e["nip"] in always or rng.random() < 0.6) and per_employee.get(e["nip"], 0) < 3
        ]
        rows = []
        for e in eligible:
            per_employee[e["nip"]] = per_employee.get(e["nip"], 0) + 1
            absent = finished and rng.random() < 0.08 and e["nip"] not in content.DEMO_ACCOUNTS.values()
            status = ("absent" if absent else "completed") if finished else "registered"
            rows.append(
                {
                    "training_id": training.id,
                    "employee_id": employees[e["nip"]].id,
                    "status": status,
                    "jp_credited": t["jp"] if status == "completed" else 0,
                }
            )
        enrollments.enrol_many(session, rows)
        n_enrollments += len(rows)
    session.flush()
    return (
        f"Data dasar demo dimuat: {len(units)} unit, {len(positions)} jabatan, {len(competencies)} kompetensi, "
        f"{len(employees)} pegawai, {len(content.TRAININGS)} pelatihan, {n_enrollments} peserta. "
        f"Kata sandi semua akun demo: {DEMO_PASSWORD}"
    )
