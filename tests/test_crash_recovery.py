"""No acknowledged answer is lost when the server crashes (issue 18, "Crash and load"), on SQLite and
PostgreSQL: 50 people (40 employees filling in two surveys each, 10 supervisors rating their reports'
application of a training) work at once over real HTTP while the uvicorn server is SIGKILLed at random
moments at least three times and started again on the same database and port; the clients retry what
went unanswered, as phones do. Then, with the server up, the database is held to every acknowledgement
(tests/crash_checks.py). The random seed is printed (and named in the failure); set PORTAL_CRASH_SEED to
replay one. The long version with more people and kills is bench/bench_crash.py."""

from __future__ import annotations

import os
import random

from sqlalchemy import create_engine, delete, select, update
from sqlmodel import Session

from portal.models import Answer, InvitationCount, SurveyResponse
from tests import crash_checks
from tests.load_clients import CrashingServer, run, seed_world

KILLS = 3
SECONDS = 10  # of traffic, about; the kills fall inside it


def test_every_acknowledged_answer_and_submit_survives_repeated_crashes(db_url):
    seed = int(os.environ.get("PORTAL_CRASH_SEED") or random.randrange(1 << 30))
    print(f"crash seed {seed} (PORTAL_CRASH_SEED={seed} replays it)")
    world = seed_world(db_url, employees=40, supervisors=10, form_logins=15)
    server = CrashingServer(db_url)
    try:
        result = run(world, server, seed=seed, kills=KILLS, seconds=SECONDS)
        print(result.summary())
        where = f"seed {seed}"
        assert not result.errors, f"{where}: clients gave up: {result.errors[:5]}"
        assert not result.unexpected, f"{where}: unexpected answers: {result.unexpected[:5]}"
        # not vacuous: the kills happened mid-traffic, every one of them cost requests their answer
        assert result.kills == KILLS, f"{where}: {result.kills} kills (traffic ended early)"
        assert result.kills_that_hit_traffic() == KILLS, f"{where}: a kill found no request in flight"
        assert not [f for f in result.failures if f.error.startswith("HTTP")], f"{where}: the server answered 5xx"
        submits = [s for log in result.logs for s in log.submits]
        assert {k for k, _t, _f in submits} == {"survey", "rating"} and result.acknowledged > 500
        problems = crash_checks.problems(db_url, world, result)
        assert not problems, f"{where}: " + "\n".join(problems[:20])
        # control: the same checks see a lost answer, a count gone wrong and a response that names its person
        _damage(db_url, world)
        found = "\n".join(crash_checks.problems(db_url, world, result))
        assert "survey attributed:" in found and "summary invitations" in found and "carry a person" in found, found
    finally:
        server.stop()


def _damage(db_url: str, world) -> None:
    anonymous, attributed = (next(s for s in world.surveys if s.anonymous is a) for a in (True, False))
    engine = create_engine(db_url)
    try:
        with Session(engine) as db:
            lost = db.execute(
                select(Answer.response_id, Answer.question_id).join(SurveyResponse, SurveyResponse.id == Answer.response_id)
                .where(SurveyResponse.training_id == attributed.training_id).limit(1)
            ).one()
            db.execute(delete(Answer).where(Answer.response_id == lost.response_id, Answer.question_id == lost.question_id))
            db.execute(update(InvitationCount).where(InvitationCount.training_id == anonymous.training_id).values(n=InvitationCount.n + 1))
            some = db.execute(select(SurveyResponse.id).where(SurveyResponse.training_id == anonymous.training_id).limit(1)).scalar_one()
            db.execute(update(SurveyResponse).where(SurveyResponse.id == some).values(respondent_id=world.employees[0].employee_id))
            db.commit()
    finally:
        engine.dispose()
