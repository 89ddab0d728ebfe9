"""A small write load over HTTP for the outage and backup tests: one thread per employee autosaves text
answers (each a value of its own, "w<seq>", so the newest can be told from older ones) and submits its
surveys one after another, remembering every write the server acknowledged. `check_acknowledged` then
asserts that each of them is in a database; `summaries_match_recount` that the summary tables equal
their recount from the raw rows.

Real parts only: a live uvicorn server, real HTTP, a real database (SQLite file or PostgreSQL)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import httpx
from sqlalchemy import create_engine, select
from sqlmodel import Session

from portal.models import DraftAnswer, SurveyDraft, SurveyInvitation, SurveyResponse
from portal.models import Answer as ResponseAnswer
from tests.conftest import DEMO, csrf_token, login
from tests.test_summaries import recounted, snapshot
from tests.test_surveys import PEERS, make_survey

PEOPLE = (DEMO["employee"], *PEERS)
TEXT_ONLY = tuple(("Saran", "lainnya", "text", f"Saran {i}?", True, {"max_length": 40}) for i in (1, 2))
PAUSE = 0.01  # seconds between a writer's requests: a steady load, not a benchmark


def prepare(db_url: str, surveys: int = 3) -> dict[str, list[tuple[int, list[int]]]]:
    """`surveys` attributed text-only surveys for every person of PEOPLE: {nip: [(invitation, [question ids])]}."""
    engine = create_engine(db_url)
    try:
        with Session(engine, expire_on_commit=False) as db:
            made = [make_survey(db, nips=PEOPLE, anonymous=False, spec=TEXT_ONLY, code=f"BEBAN-{n}") for n in range(surveys)]
    finally:
        engine.dispose()
    return {nip: [(s["invitations"][nip], [q.id for q in s["structure"].questions]) for s in made] for nip in PEOPLE}


@dataclass
class Writer:
    """One employee's thread: autosaves then submits each of its surveys, until done or stopped."""

    base_url: str
    nip: str
    surveys: list[tuple[int, list[int]]]
    rounds: int = 4
    saved: dict[tuple[int, int], int] = field(default_factory=dict)  # (invitation, question) -> newest acknowledged seq
    submitted: set[int] = field(default_factory=set)
    refused: list[int] = field(default_factory=list)  # statuses of the writes that were not acknowledged
    lock: threading.Lock = field(default_factory=threading.Lock)
    seq: int = 0
    acks: int = 0  # acknowledged writes so far

    def acknowledged(self) -> tuple[dict[tuple[int, int], int], set[int]]:
        with self.lock:
            return dict(self.saved), set(self.submitted)

    def run(self, stop: threading.Event) -> None:
        """Each survey but the last: `rounds` rounds of autosaves, then the submit (again until it is
        acknowledged). The last survey: autosaves until stopped, so that the load lasts as long as needed."""
        with httpx.Client(base_url=self.base_url, timeout=30, follow_redirects=False) as client:
            login(client, self.nip)
            headers = {"x-csrftoken": csrf_token(client), "HX-Request": "true"}
            *to_submit, (last, last_questions) = self.surveys
            for invitation, questions in to_submit:
                while not stop.is_set() and invitation not in self.submitted:
                    for _round in range(self.rounds):
                        for question in questions:
                            self._autosave(client, headers, invitation, question)
                    self._submit(client, headers, invitation)
            while not stop.is_set():
                for question in last_questions:
                    self._autosave(client, headers, last, question)

    def _post(self, client: httpx.Client, url: str, data: dict, headers: dict) -> int:
        time.sleep(PAUSE)
        try:
            return client.post(url, data=data, headers=headers).status_code
        except httpx.TransportError:
            return 0

    def _autosave(self, client: httpx.Client, headers: dict, invitation: int, question: int) -> None:
        self.seq += 1
        status = self._post(client, f"/survei/{invitation}/jawaban/{question}", {f"q{question}": f"w{self.seq}"}, headers)
        self._record(status, 200, lambda: self.saved.__setitem__((invitation, question), self.seq))

    def _submit(self, client: httpx.Client, headers: dict, invitation: int) -> None:
        data = {"konfirmasi": "ya", "anonim": "0"}
        status = self._post(client, f"/survei/{invitation}/kirim", data, {"x-csrftoken": headers["x-csrftoken"]})
        self._record(status, 303, lambda: self.submitted.add(invitation))

    def _record(self, status: int, ok: int, acknowledge) -> None:  # noqa: ANN001
        with self.lock:
            if status == ok:
                acknowledge()
                self.acks += 1
                return
            self.refused.append(status)
        time.sleep(0.05)  # the database is away: do not spin


class Load:
    """The writers of PEOPLE in threads of their own."""

    def __init__(self, base_url: str, plan: dict[str, list[tuple[int, list[int]]]], rounds: int = 4) -> None:
        self.writers = [Writer(base_url, nip, plan[nip], rounds) for nip in plan]
        self.stop = threading.Event()
        self.errors: list[BaseException] = []
        self.threads = [threading.Thread(target=self._guarded(w), daemon=True) for w in self.writers]

    def start(self) -> Load:
        for t in self.threads:
            t.start()
        return self

    def _guarded(self, writer: Writer):  # noqa: ANN202
        def run() -> None:
            try:
                writer.run(self.stop)
            except BaseException as exc:  # noqa: BLE001 - reported by finish()
                self.errors.append(exc)

        return run

    def acknowledged(self) -> tuple[dict[tuple[int, int], int], set[int]]:
        saved: dict[tuple[int, int], int] = {}
        submitted: set[int] = set()
        for w in self.writers:
            s, d = w.acknowledged()
            saved.update(s)
            submitted |= d
        return saved, submitted

    def count(self) -> int:
        """Acknowledged writes so far, of all writers."""
        return sum(w.acks for w in self.writers)

    def wait_for_more(self, than: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count() > than:
                return True
            time.sleep(0.05)
        return False

    def finish(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in self.threads), "a writer did not stop"
        assert not self.errors, f"a writer failed: {self.errors!r}"


def check_acknowledged(db_url: str, saved: dict[tuple[int, int], int], submitted: set[int]) -> None:
    """Every acknowledged write is in the database at `db_url`: a submitted invitation is submitted, with its
    response; an autosaved answer holds the acknowledged value or a newer one of the same writer (a write
    whose answer was lost in the outage may still have been committed), in the draft or in the response."""
    engine = create_engine(db_url)
    try:
        with Session(engine) as db:
            status = dict(db.execute(select(SurveyInvitation.id, SurveyInvitation.status)).all())
            drafts = {
                (row.invitation_id, row.question_id): row.value_text
                for row in db.execute(
                    select(SurveyDraft.invitation_id, DraftAnswer.question_id, DraftAnswer.value_text).join(
                        DraftAnswer, DraftAnswer.draft_id == SurveyDraft.id
                    )
                )
            }
            answered = {
                (row.invitation_id, row.question_id): row.value_text
                for row in db.execute(
                    select(SurveyResponse.invitation_id, ResponseAnswer.question_id, ResponseAnswer.value_text).join(
                        ResponseAnswer, ResponseAnswer.response_id == SurveyResponse.id
                    )
                )
            }
    finally:
        engine.dispose()
    lost = [inv for inv in submitted if status.get(inv) != "submitted"]
    assert not lost, f"acknowledged submits missing: {lost}"
    missing = []
    for key, seq in saved.items():
        value = answered.get(key) if status.get(key[0]) == "submitted" else drafts.get(key)
        if value is None or int(value.removeprefix("w")) < seq:
            missing.append((key, seq, value))
    assert not missing, f"acknowledged autosaves missing or older: {missing[:10]} (of {len(missing)})"


def summaries_match_recount(db_url: str) -> None:
    """Every summary table as stored equals its recount from the raw rows (tests/test_summaries.py)."""
    engine = create_engine(db_url)
    try:
        with Session(engine) as db:
            stored, recount = snapshot(db), recounted(db)
    finally:
        engine.dispose()
    assert all(stored.values()), "a summary is empty: the check would prove little"
    assert stored == recount
