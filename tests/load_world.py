"""The people and work of a crash-and-load run (tests/load_clients.py): new employees and supervisors on
a demo database, two surveys to fill in (anonymous and attributed) and an L3 rating due for each report.
Made with the survey and rating tests' own helpers (tests/test_surveys.make_survey,
tests/test_ratings.make_training), so the run drives the same questionnaires those tests check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import create_engine, insert
from sqlmodel import Session

from portal import clock, security
from portal.models import Employee, UserSession, utcnow
from portal.services import questionnaires as qsvc
from portal.services import summaries
from portal.services.questionnaires import Structure
from tests.conftest import DEMO_PASSWORD
from tests.test_ratings import make_training
from tests.test_surveys import make_survey

NIP_BASE = 198501012010011000  # + serial: 18 digits, clear of the demo NIPs


@dataclass(frozen=True)
class Person:
    nip: str
    employee_id: int
    session_token: str | None  # None: logs in through the form


@dataclass(frozen=True)
class Survey:
    training_id: int
    anonymous: bool
    structure: Structure
    invitations: dict[str, int]  # nip -> invitation id


@dataclass(frozen=True)
class World:
    employees: list[Person]
    supervisors: list[Person]
    surveys: list[Survey]  # one anonymous, one attributed
    l3_training_id: int
    l3_structure: Structure
    enrollments: dict[str, int]  # employee nip -> enrollment id of the L3 training
    reports: dict[str, list[str]]  # supervisor nip -> the nips of their reports


def seed_world(db_url: str, employees: int = 40, supervisors: int = 10, form_logins: int = 15) -> World:
    """New people on a demo database: `supervisors` supervisors with `employees` reports between them,
    every report invited to two surveys (the test helpers' all-kinds questionnaire, anonymous and
    attributed) and enrolled in a finished training whose L3 rating is due now. The first
    `form_logins` people (supervisors first) log in through the form; the others get session rows."""
    engine = create_engine(db_url)
    password_hash = security.hash_password(DEMO_PASSWORD)
    try:
        with Session(engine, expire_on_commit=False) as db:
            sups = [Employee(nip=str(NIP_BASE + i), name=f"Atasan Uji {i}", password_hash=password_hash) for i in range(supervisors)]
            db.add_all(sups)
            db.flush()
            emps = [
                Employee(nip=str(NIP_BASE + 500 + i), name=f"Pegawai Uji {i}", supervisor_id=sups[i % supervisors].id, password_hash=password_hash)
                for i in range(employees)
            ]
            db.add_all(emps)
            db.commit()
            nips = tuple(e.nip for e in emps)
            surveys = []
            for anonymous in (True, False):
                s = make_survey(db, nips=nips, anonymous=anonymous, code=f"CRASH-{'ANON' if anonymous else 'ATTR'}")
                surveys.append(Survey(s["training_id"], anonymous, s["structure"], s["invitations"]))
            # ended 95 days ago, due after 90: inside the 30-day window today
            l3 = make_training(db, clock.today() - timedelta(days=95), nips=nips)
            summaries.rebuild(db, ["jp"])  # make_training enrols behind the services' back
            l3_structure = qsvc.load_structure(db, l3["qid"])
            people = [*sups, *emps]
            tokens = {p.id: (None if i < form_logins else security.new_session_token()) for i, p in enumerate(people)}
            now = utcnow()
            rows = [{"id": security.session_key(t), "employee_id": e, "created_at": now, "last_seen_at": now} for e, t in tokens.items() if t]
            if rows:
                db.execute(insert(UserSession), rows)
            db.commit()
    finally:
        engine.dispose()
    person = {p.nip: Person(p.nip, p.id, tokens[p.id]) for p in people}
    return World(
        employees=[person[e.nip] for e in emps],
        supervisors=[person[s.nip] for s in sups],
        surveys=surveys,
        l3_training_id=l3["training_id"],
        l3_structure=l3_structure,
        enrollments=l3["enrollments"],
        reports={s.nip: [e.nip for e in emps if e.supervisor_id == s.id] for s in sups},
    )
