"""Concurrent clients over real HTTP against a live server that crashes (issue 18, "Crash and load").

Used by tests/test_crash_recovery.py (short) and bench/bench_crash.py (long). Nothing is mocked: the server is
uvicorn in a child process (tests/rig.LiveServer) that `CrashingServer` SIGKILLs at random moments and
starts again on the same database and port; the clients are threads with their own httpx connection, like
phones. Employees autosave answers to an anonymous and an attributed post-training survey and submit most
of them (some twice, as a double tap); supervisors autosave and submit the L3 rating of each report. Some
people log in through the login form (CSRF token from the page), the others carry a session row made in
the database (as tests/test_load.py does).

The people and their work are seeded by tests/load_world.py. Every request's outcome is kept per
client: an expected answer (200 for an autosave, 303 for a submit) is *acknowledged*, and the client
remembers exactly what: the question and the parsed value (`ClientLog.acks`), or the submit
(`ClientLog.submits`). A connection error or a 5xx is *not acknowledged*: the client waits and sends the
same request again, as a phone would after the server is back; the failure is kept with the server
generation it happened in (`Failure`), so a run can show that every kill hit traffic. Any other answer
is `unexpected` (a run with one fails). tests/crash_checks.py then holds the database to what was
acknowledged.
"""

from __future__ import annotations

import itertools
import random
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable

import httpx

from portal.services.questionnaires import QuestionDef, Structure
from portal.services.surveys.answers import AnswerValue, parse_answer
from tests import rig
from tests.conftest import DEMO_PASSWORD, token_in_page
from tests.load_world import Person, Survey, World, seed_world

__all__ = ["CrashingServer", "RunResult", "World", "run", "seed_world"]


# --------------------------------------------------------------------------- the crashing server


class CrashingServer:
    """A LiveServer that can be SIGKILLed and started again on the same database and port. `generation`
    counts the kills: a request records the generation it was sent in."""

    def __init__(self, db_url: str, workers: int = 1) -> None:
        self.db_url, self.workers = db_url, workers
        self.server = rig.LiveServer(db_url, workers=workers)
        self.url = self.server.url
        self.generation = 0
        self.up = True
        self.recoveries: list[float] = []  # seconds from the kill until /healthz answered again
        self.in_flight = 0
        self._lock = threading.Lock()

    def sending(self, delta: int) -> None:
        with self._lock:
            self.in_flight += delta

    def wait_for_traffic(self, finished: Callable[[], bool], at_least: int = 2) -> bool:
        """Wait until `at_least` requests are in flight (a kill then cuts them off); False when the
        clients finished first."""
        while self.in_flight < at_least:
            if finished():
                return False
            time.sleep(0.005)
        return True

    def crash_and_restart(self) -> None:
        killed_at = time.monotonic()
        self.up = False
        self.generation += 1
        self.server.kill()
        self.server = rig.LiveServer(self.db_url, workers=self.workers, port=self.server.port)
        self.up = True
        self.recoveries.append(time.monotonic() - killed_at)

    def stop(self) -> None:
        self.server.stop()


# --------------------------------------------------------------------------- what the clients saw


@dataclass(frozen=True)
class Failure:
    kind: str
    generation: int  # kills before the request was sent
    while_up: bool  # sent while the server was up: the kill ending this generation cut it off
    error: str  # exception name or "HTTP 5xx"


@dataclass
class ClientLog:
    nip: str
    acks: list[tuple[str, int, int, AnswerValue]] = field(default_factory=list)  # (kind, target id, question, value)
    submits: list[tuple[str, int, bool]] = field(default_factory=list)  # (kind, target id, fresh) per acknowledged submit
    failures: list[Failure] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    requests: int = 0

    def latest(self, kind: str) -> dict[int, dict[int, AnswerValue]]:
        """The latest acknowledged value per target and question."""
        out: dict[int, dict[int, AnswerValue]] = {}
        for k, target, qid, value in self.acks:
            if k == kind:
                out.setdefault(target, {})[qid] = value
        return out


class GaveUp(Exception):
    """A request that found no server before the client's deadline."""


def random_answer(q: QuestionDef, rng: random.Random, tag: str) -> dict[str, Any]:
    """A valid posted answer to `q` (every question kind); texts carry a unique tag."""
    name = f"q{q.id}"
    if q.kind == "likert5":
        data: dict[str, Any] = {name: str(rng.randint(1, 5))}
        if q.retrospective:
            data[f"{name}_sebelum"] = str(rng.randint(1, 5))
        return data
    if q.kind == "scale0_10":
        return {name: str(rng.randint(0, 10))}
    if q.kind == "single":
        return {name: str(rng.randrange(len(q.options)))}
    if q.kind == "multi":
        return {name: [str(i) for i in sorted(rng.sample(range(len(q.options)), rng.randint(1, len(q.options))))]}
    return {name: tag[: q.text_limit]}


class Client:
    """One person on a phone: their own connection, think time between requests, retries until the
    server answers (or `deadline`)."""

    def __init__(self, base_url: str, server: CrashingServer, person: Person, rng: random.Random, think: float, deadline: float) -> None:
        self.server, self.person, self.rng, self.think, self.deadline = server, person, rng, think, deadline
        self.http = httpx.Client(base_url=base_url, timeout=30, follow_redirects=False)
        self.log = ClientLog(person.nip)
        self.csrf = ""
        self.n = 0

    def send(self, kind: str, path: str, data: dict | None = None, *, htmx: bool = False, get: bool = False) -> tuple[httpx.Response, bool]:
        """The request until the server answers it (not 5xx); returns the answer and whether an earlier
        try of it went unanswered."""
        retried = False
        for attempt in itertools.count():
            if time.monotonic() > self.deadline:
                raise GaveUp(f"{self.person.nip} {kind} {path}")
            generation, up = self.server.generation, self.server.up
            self.log.requests += 1
            r = self._once(path, data, htmx=htmx, get=get)
            if isinstance(r, httpx.Response) and r.status_code < 500:
                return r, retried
            error = type(r).__name__ if isinstance(r, Exception) else f"HTTP {r.status_code}"
            self.log.failures.append(Failure(kind, generation, up, error))
            retried = True
            time.sleep(self.rng.uniform(0.5, 1.0) * min(2.0, 0.2 * 2**attempt))  # backing off, as a phone app would
        raise AssertionError("unreachable")

    def _once(self, path: str, data: dict | None, *, htmx: bool, get: bool) -> httpx.Response | httpx.TransportError:
        self.server.sending(1)
        try:
            if get:
                return self.http.get(path)
            headers = {"x-csrftoken": self.csrf, "HX-Request": "true"} if htmx else {}
            body = data if htmx else {**(data or {}), "_csrf_token": self.csrf}
            return self.http.post(path, data=body, headers=headers)
        except httpx.TransportError as exc:
            return exc
        finally:
            self.server.sending(-1)

    def pause(self) -> None:
        time.sleep(self.rng.uniform(0, 2 * self.think))

    def unexpected(self, what: str, r: httpx.Response) -> None:
        self.log.unexpected.append(f"{self.person.nip} {what}: HTTP {r.status_code} {r.text[:200]!r}")

    def start_session(self) -> None:
        if self.person.session_token:
            self.http.cookies.set("portal_session", self.person.session_token, domain=httpx.URL(self.http.base_url).host)
            page, _retried = self.send("page", "/", get=True)  # as a browser: the page gives the session's token
            if page.status_code != 200:
                return self.unexpected("home page", page)
            self.csrf = token_in_page(page.text)
            return
        while True:  # the login form, its token, the post, the page it leads to (the session's token)
            self.http.cookies.clear()
            self.csrf = token_in_page(self.send("login", "/login", get=True)[0].text)
            r, _retried = self.send("login", "/login", {"nip": self.person.nip, "password": DEMO_PASSWORD})
            if r.status_code != 303:
                self.unexpected("login", r)
                return
            page, _retried = self.send("login", r.headers["location"], get=True)
            if page.status_code == 200:
                self.csrf = token_in_page(page.text)
                return
            # the session is there, the page is not (e.g. a redirect to /login from a half-done rotation): again

    def autosave(self, kind: str, path: str, target: int, q: QuestionDef) -> None:
        self.pause()
        self.n += 1
        data = random_answer(q, self.rng, f"{self.person.nip[-3:]}-{target}-{q.id}-{self.n}")
        r, _retried = self.send("autosave", path, data, htmx=True)
        if r.status_code != 200:
            return self.unexpected(f"autosave {path}", r)
        value, error = parse_answer(q, data)
        assert value is not None and error is None
        self.log.acks.append((kind, target, q.id, value))

    def answers_plan(self, structure: Structure, submit: bool) -> list[QuestionDef]:
        """Every question (in random order) before a submit, a few otherwise; then some answers changed."""
        qs = list(structure.questions)
        first = self.rng.sample(qs, len(qs) if submit else self.rng.randint(1, len(qs)))
        return first + self.rng.sample(first, self.rng.randint(0, len(first)))

    def survey(self, s: Survey, p_submit: float, p_double: float) -> None:
        inv = s.invitations[self.person.nip]
        submit = self.rng.random() < p_submit
        for q in self.answers_plan(s.structure, submit):
            self.autosave("survey", f"/survei/{inv}/jawaban/{q.id}", inv, q)
        if not submit:
            return
        self.pause()
        confirm, _retried = self.send("confirm", f"/survei/{inv}/kirim", {})
        seen = re.search(r'name="anonim" value="([01])"', confirm.text)
        if confirm.status_code != 200 or not seen:
            return self.unexpected("survey confirmation", confirm)
        for _tap in range(2 if self.rng.random() < p_double else 1):
            r, _retried = self.send("submit", f"/survei/{inv}/kirim", {"konfirmasi": "ya", "anonim": seen.group(1)})
            where = r.headers.get("location", "")
            if r.status_code != 303 or not where.startswith(f"/survei/{inv}/tanda-terima"):
                return self.unexpected("survey submit", r)
            self.log.submits.append(("survey", inv, not where.endswith("?ulang=1")))

    def rating(self, enrollment_id: int, structure: Structure, p_submit: float, p_double: float) -> None:
        base = f"/penerapan/atasan/{enrollment_id}"
        submit = self.rng.random() < p_submit
        for q in self.answers_plan(structure, submit):
            self.autosave("rating", f"{base}/jawaban/{q.id}", enrollment_id, q)
        if not submit:
            return
        self.pause()
        confirm, _retried = self.send("confirm", f"{base}/kirim", {})
        if confirm.status_code != 200 or 'name="konfirmasi"' not in confirm.text:
            return self.unexpected("rating confirmation", confirm)
        done = False
        for _tap in range(2 if self.rng.random() < p_double else 1):
            r, retried = self.send("submit", f"{base}/kirim", {"konfirmasi": "ya"})
            if r.status_code == 303 and r.headers.get("location") == f"/penerapan/hasil/{enrollment_id}":
                self.log.submits.append(("rating", enrollment_id, True))
            elif r.status_code == 409 and (retried or done):
                # submitted by a try whose answer the crash ate, or by the first tap: locked now
                self.log.submits.append(("rating", enrollment_id, False))
            else:
                return self.unexpected("rating submit", r)
            done = True


# --------------------------------------------------------------------------- a run


@dataclass
class RunResult:
    seed: int
    logs: list[ClientLog]
    kills: int
    recoveries: list[float]
    seconds: float
    errors: list[str]  # clients that gave up or raised

    @property
    def requests(self) -> int:
        return sum(log.requests for log in self.logs)

    @property
    def failures(self) -> list[Failure]:
        return [f for log in self.logs for f in log.failures]

    @property
    def acknowledged(self) -> int:
        return sum(len(log.acks) + len(log.submits) for log in self.logs)

    @property
    def unexpected(self) -> list[str]:
        return [u for log in self.logs for u in log.unexpected]

    def kills_that_hit_traffic(self) -> int:
        return len({f.generation for f in self.failures if f.while_up})

    def summary(self) -> str:
        errors = Counter(f.error for f in self.failures)
        submits = Counter((k, fresh) for log in self.logs for k, _t, fresh in log.submits)
        recoveries = ", ".join(f"{r:.1f}" for r in self.recoveries)
        return "\n".join([
            f"seed {self.seed}: {len(self.logs)} clients, {self.seconds:.1f} s",
            f"requests {self.requests}: acknowledged {self.acknowledged}, not acknowledged {len(self.failures)} "
            f"({', '.join(f'{k} {n}' for k, n in errors.most_common())}), unexpected {len(self.unexpected)}",
            f"acknowledged submits: surveys {submits['survey', True]} fresh + {submits['survey', False]} again, "
            f"ratings {submits['rating', True]} + {submits['rating', False]} already",
            f"kills {self.kills} (cut requests off: {self.kills_that_hit_traffic()}), recovery after each restart: {recoveries} s",
        ])


def run(world: World, server: CrashingServer, *, seed: int, kills: int, seconds: float,
        p_submit: float = 0.8, p_double: float = 0.2) -> RunResult:
    """Every person of `world` as a concurrent client for about `seconds`, while the server is killed
    `kills` times at random moments (each only while clients are still at work) and restarted."""
    master = random.Random(seed)
    started = time.monotonic()
    deadline = started + seconds * 3 + 30 * kills + 60  # restarts take seconds on a busy machine
    s_requests = sum(2 * len(s.structure.questions) + 2 for s in world.surveys)
    r_requests = max(len(v) for v in world.reports.values()) * (2 * len(world.l3_structure.questions) + 2)
    people = [(p, "employee") for p in world.employees] + [(p, "supervisor") for p in world.supervisors]
    clients = [
        Client(server.url, server, p, random.Random(master.random()), seconds / (s_requests if role == "employee" else r_requests), deadline)
        for p, role in people
    ]
    def work(client: Client, role: str) -> None:
        client.start_session()
        if role == "employee":
            for s in client.rng.sample(world.surveys, len(world.surveys)):
                client.survey(s, p_submit, p_double)
        else:
            for nip in client.rng.sample(world.reports[client.person.nip], len(world.reports[client.person.nip])):
                client.rating(world.enrollments[nip], world.l3_structure, p_submit, p_double)

    errors: list[str] = []
    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        futures = [pool.submit(work, c, role) for c, (_p, role) in zip(clients, people)]
        # the kill moments: random gaps, each kill only while requests are in flight
        for _kill in range(kills):
            time.sleep(master.uniform(0.3, 1.0) * 0.6 * seconds / kills)  # all kills within 60 % of the up time
            if not server.wait_for_traffic(lambda: all(f.done() for f in futures)):
                break
            server.crash_and_restart()
        for f, c in zip(futures, clients):
            try:
                f.result()
            except Exception as exc:  # noqa: BLE001 - reported, and fails the run
                errors.append(f"{c.person.nip}: {type(exc).__name__}: {exc}")
    for c in clients:
        c.http.close()
    return RunResult(seed, [c.log for c in clients], server.generation, list(server.recoveries), time.monotonic() - started, errors)

