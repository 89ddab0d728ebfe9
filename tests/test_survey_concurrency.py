"""Exactly once under real concurrency: many simultaneous submits (double clicks, retries, several tabs,
several people of one training) against a live uvicorn server with two worker processes, on SQLite and
PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import func, select

from portal.models import Answer, SurveyDraft, SurveyInvitation, SurveyResponse
from tests import rig
from tests.conftest import DEMO, csrf_token, login
from tests.test_surveys import PEERS, complete_answers, make_survey, recounted_summary, stored_summary

THREADS_PER_PERSON = 6


def _session(base_url: str, nip: str) -> tuple[httpx.Client, str]:
    """A logged-in client of the live server and its session's CSRF token (bound to the session)."""
    c = httpx.Client(base_url=base_url, timeout=60, follow_redirects=False)
    login(c, nip)
    return c, csrf_token(c)


@pytest.fixture
def live(db_url):
    server = rig.LiveServer(db_url, workers=2)
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("anonymous", [True, False], ids=["anonymous", "attributed"])
def test_concurrent_submits_create_exactly_one_response_per_invitation(db, live, anonymous):
    people = (DEMO["employee"], *PEERS)
    s = make_survey(db, nips=people, anonymous=anonymous, code=f"CONC-{int(anonymous)}")
    answers = complete_answers(s["structure"])
    clients = {}
    for nip in people:
        c, token = _session(live.url, nip)
        inv = s["invitations"][nip]
        for q in s["structure"].questions:
            data = {k: v for k, v in answers.items() if k in (f"q{q.id}", f"q{q.id}_sebelum")}
            r = c.post(f"/survei/{inv}/jawaban/{q.id}", data=data, headers={"x-csrftoken": token, "HX-Request": "true"})
            assert r.status_code == 200, r.text
        clients[nip] = (c, token, inv)

    barrier = threading.Barrier(len(people) * THREADS_PER_PERSON)

    def hit(nip: str) -> tuple[str, int, str]:
        c, token, inv = clients[nip]
        # each thread its own connection, same login (like tabs of one browser)
        with httpx.Client(base_url=live.url, timeout=60, cookies=c.cookies) as own:
            barrier.wait()
            r = own.post(f"/survei/{inv}/kirim", data={"konfirmasi": "ya", "anonim": "1" if anonymous else "0", "_csrf_token": token})
            return nip, r.status_code, r.headers.get("location", "")

    with ThreadPoolExecutor(max_workers=len(people) * THREADS_PER_PERSON) as pool:
        results = list(pool.map(hit, [nip for nip in people for _ in range(THREADS_PER_PERSON)]))

    for nip in people:
        mine = [(status, body) for n, status, body in results if n == nip]
        assert all(status == 303 for status, _ in mine), [status for status, _ in mine]
        assert all(where.startswith(f"/survei/{clients[nip][2]}/tanda-terima") for _, where in mine)
        fresh = [where for _, where in mine if not where.endswith("?ulang=1")]
        assert len(fresh) == 1, f"{nip}: {len(fresh)} fresh receipts"
    db.expire_all()
    t = s["training_id"]
    assert db.execute(select(func.count()).select_from(SurveyResponse).where(SurveyResponse.training_id == t)).scalar_one() == len(people)
    n_answers = db.execute(
        select(func.count()).select_from(Answer).join(SurveyResponse, SurveyResponse.id == Answer.response_id).where(SurveyResponse.training_id == t)
    ).scalar_one()
    assert n_answers == len(people) * len(s["structure"].questions)
    assert db.execute(
        select(func.count()).select_from(SurveyInvitation).where(SurveyInvitation.training_id == t, SurveyInvitation.status == "submitted")
    ).scalar_one() == len(people)
    assert db.execute(
        select(func.count()).select_from(SurveyDraft).join(SurveyInvitation, SurveyInvitation.id == SurveyDraft.invitation_id).where(SurveyInvitation.training_id == t)
    ).scalar_one() == 0
    if not anonymous:
        ids = db.execute(select(SurveyResponse.invitation_id).where(SurveyResponse.training_id == t)).scalars().all()
        assert sorted(ids) == sorted(s["invitations"].values())

    assert stored_summary(db, t) == recounted_summary(db, t)
    for c, _t, _i in clients.values():
        c.close()
