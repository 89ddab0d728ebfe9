"""Every route of the app x every role: the guard and the object-level check each route promises (issue 12).

ROUTES is the expectation table: one line per (method, path template) of the running app, saying who may
use the route and how its path ids are filled. test_route_table_lists_every_route_of_the_app fails when the
app has a route the table lacks (a new route states its guard here before CI passes) or when the table
names a route the app no longer has. Adding a route is one line, e.g.
    ("POST", "/pelatihan/{tid:int}/peserta"): Rule("hr", "training"),

Access levels: "public" (anyone, anonymous too), "employee" (any logged-in user), "supervisor" (has active
direct reports), "hr" (HR or admin), "admin". For each route x role (anonymous, employee, supervisor, hr,
admin: the demo people of tests.conftest.DEMO):
- anonymous on a non-public route: 303 to /login, or 401 with HX-Redirect to /login for htmx;
- a role without access: 403 with the normal error page;
- a role with access: a status of Rule.ok (never 401/403/5xx); POSTs carry a valid CSRF token (the
  conftest helpers) and a minimal body.
Per POST route the same request without a CSRF token is refused with 403 and changes no row. Per route
whose ids name an object owned by a person (OBJECTS with an `other`), someone else's object answers 404
(or 403), changes no row and does not show the owner's name.

Ids come from the demo data (OBJECTS: queries, no hard-coded ids): the acting person's own object; a role
with access that owns no such object gets someone else's, which must answer 404.

Backends: the table check needs no database and runs once: the guards are decided from the route table
and the session, never from the SQL dialect. The requests run on SQLite and on PostgreSQL: ids, ownership
and the pages behind the guards are queries. One database, and one app with a client logged in once per
role, per backend, serve the whole module (module-scoped fixture: hundreds of requests, five logins), so
no test here relies on another's writes: bodies are minimal and ids are resolved again in every test.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import pytest
from litestar.routes import HTTPRoute
from litestar.testing import TestClient
from sqlalchemy import select, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

import portal.models  # noqa: F401  (every table, for the snapshots)
from portal.app import create_app
from tests import rig
from tests.conftest import BACKENDS, DEMO, _fresh_database, login, post, text_of

ROLES = ("anonymous", "employee", "supervisor", "hr", "admin")
LOGGED_IN = ROLES[1:]
ACCESS_LEVELS = ("public", "employee", "supervisor", "hr", "admin")
# what each demo person may reach (test_demo_people_hold_the_roles_the_table_assumes checks the data)
ROLE_ACCESS = {
    "anonymous": {"public"},
    "employee": {"public", "employee"},
    "supervisor": {"public", "employee", "supervisor"},
    "hr": {"public", "employee", "hr"},
    "admin": {"public", "employee", "hr", "admin"},
}
GET_OK = (200,)
POST_OK = (200, 303, 409, 422)  # an empty or minimal form: done, redirected, refused by state, invalid
SKIPPED_METHODS = {"HEAD", "OPTIONS"}
STATIC_PREFIX = "/static/"
FMT = {"fmt": "csv"}
TOOK_PART = "('attended', 'completed')"  # enrolment statuses of people who took part (portal.rules)
VOLATILE = {("usersession", "last_seen_at")}  # touched by any request at most once a minute


@dataclass(frozen=True)
class Rule:
    access: str  # "public" | "employee" | "supervisor" | "hr" | "admin"
    ids: str = "none"  # key of OBJECTS: how the path ids (and query, body) are filled
    ok: tuple[int, ...] = ()  # what a role with access may get (default GET_OK / POST_OK)
    query: str = ""  # query string, formatted with the ids
    sees_all: str | None = None  # access level that sees everyone's objects here (no object check)
    ends_session: bool = False  # the request logs the user out: log in again afterwards

    def allowed(self, method: str) -> tuple[int, ...]:
        return self.ok or (GET_OK if method == "GET" else POST_OK)


_TIM = "/tim/{cycle_id:int}/{subject_id:int}"
_SURVEY = "/survei/{invitation_id:int}"
_QN = "/kuesioner/{qid:int}"
_L3_SUP = "/penerapan/atasan/{enrollment_id:int}"
_L3_SELF = "/penerapan/diri/{enrollment_id:int}"
_REPORT = "/laporan/pelatihan/{training_id:int}"
_IMPORT = "/data-master/impor"
_GAP_ENROL = "?siklus={cycle_id}&baris={unit_id}&kompetensi={competency_id}"
_BATCH = _IMPORT + "/{kind:str}/{batch_id:int}"
_PERSON = "/data-master/pegawai/{employee_id:int}"
_ACCOUNT = "/admin/akun/{account_id:int}"

ROUTES: dict[tuple[str, str], Rule] = {
    # login, logout, Beranda, health (web/auth.py, web/home.py)
    ("GET", "/login"): Rule("public", ok=(200, 303)),  # logged in: 303 to Beranda
    ("POST", "/login"): Rule("public", ok=(422,)),  # empty form: nobody logged in or out
    ("POST", "/logout"): Rule("public", ok=(303,), ends_session=True),
    ("POST", "/akun/bahasa"): Rule("public", ok=(303,)),  # empty form: nothing changed, back to Beranda
    ("GET", "/healthz"): Rule("public"),
    ("GET", "/"): Rule("employee"),
    # AKPK self-assessment (web/assessments.py): the subject is always the user, the path has no person id
    ("GET", "/penilaian"): Rule("employee"),
    ("GET", "/penilaian/{cycle_id:int}"): Rule("employee", "cycle"),
    ("POST", "/penilaian/{cycle_id:int}/kompetensi/{competency_id:int}"): Rule("employee", "own_competency"),
    ("POST", "/penilaian/{cycle_id:int}/simpan"): Rule("employee", "cycle"),
    ("GET", "/penilaian/{cycle_id:int}/kirim"): Rule("employee", "cycle", ok=(200, 303)),
    ("POST", "/penilaian/{cycle_id:int}/kirim"): Rule("employee", "cycle"),
    ("GET", "/penilaian/{cycle_id:int}/hasil"): Rule("employee", "cycle", ok=(200, 303)),
    # AKPK: the supervisor's current direct reports
    ("GET", "/tim"): Rule("supervisor"),
    ("GET", _TIM): Rule("supervisor", "report"),
    ("POST", _TIM + "/kompetensi/{competency_id:int}"): Rule("supervisor", "report_competency"),
    ("POST", _TIM + "/simpan"): Rule("supervisor", "report"),
    ("GET", _TIM + "/kirim"): Rule("supervisor", "report", ok=(200, 303)),
    ("POST", _TIM + "/kirim"): Rule("supervisor", "report"),
    ("GET", _TIM + "/hasil"): Rule("supervisor", "report", ok=(200, 303)),
    # AKPK: HR
    ("GET", "/akpk"): Rule("hr", ok=(303,)),
    ("GET", "/akpk/siklus"): Rule("hr"),
    ("POST", "/akpk/siklus"): Rule("hr"),
    ("GET", "/akpk/siklus/{cycle_id:int}"): Rule("hr", "cycle"),
    ("POST", "/akpk/siklus/{cycle_id:int}"): Rule("hr", "cycle"),
    ("POST", "/akpk/siklus/{cycle_id:int}/status"): Rule("hr", "cycle"),
    ("GET", "/akpk/kesenjangan"): Rule("hr"),
    ("GET", "/akpk/kesenjangan/cetak"): Rule("hr"),
    ("GET", "/akpk/kesenjangan/ekspor/{fmt:str}"): Rule("hr"),
    ("GET", "/akpk/kesenjangan/sel"): Rule("hr", "gap_cell", query="?siklus={cycle_id}&baris={unit_id}&kompetensi={competency_id}"),
    ("GET", "/akpk/kesenjangan/daftarkan"): Rule("hr", "gap_training", query=_GAP_ENROL + "&pelatihan={training_id}"),
    ("POST", "/akpk/kesenjangan/daftarkan"): Rule("hr", "gap_training", query=_GAP_ENROL),
    # L1 surveys (web/surveys.py): the employee's own invitations
    ("GET", "/survei"): Rule("employee"),
    ("GET", _SURVEY): Rule("employee", "invitation"),
    ("POST", _SURVEY + "/jawaban/{question_id:int}"): Rule("employee", "invitation_question"),
    ("POST", _SURVEY + "/kirim"): Rule("employee", "invitation"),
    ("GET", _SURVEY + "/kirim"): Rule("employee", "invitation", ok=(303,)),
    ("GET", _SURVEY + "/tanda-terima"): Rule("employee", "invitation", ok=(200, 303)),
    # questionnaire builder (HR)
    ("GET", "/kuesioner"): Rule("hr"),
    ("GET", "/kuesioner/baru"): Rule("hr"),
    ("POST", "/kuesioner/baru"): Rule("hr"),
    ("GET", _QN): Rule("hr", "question"),
    ("POST", _QN): Rule("hr", "question"),
    ("POST", _QN + "/pertanyaan"): Rule("hr", "question"),
    ("GET", _QN + "/pertanyaan/{pid:int}"): Rule("hr", "question"),
    ("POST", _QN + "/pertanyaan/{pid:int}"): Rule("hr", "question"),
    ("POST", _QN + "/pertanyaan/{pid:int}/hapus"): Rule("hr", "question"),
    ("POST", _QN + "/pertanyaan/{pid:int}/pindah"): Rule("hr", "question"),
    ("POST", _QN + "/bagian/pindah"): Rule("hr", "question"),
    ("GET", _QN + "/pratinjau"): Rule("hr", "question"),
    ("POST", _QN + "/salin"): Rule("hr", "question"),
    # HR's trainings area (web/trainings.py, web/trainings_roster.py): calendar, training form, roster
    ("GET", "/pelatihan"): Rule("hr"),
    ("GET", "/pelatihan/kalender"): Rule("hr"),
    ("GET", "/pelatihan/baru"): Rule("hr"),
    ("POST", "/pelatihan/baru"): Rule("hr"),  # empty form: 422
    ("GET", "/pelatihan/{tid:int}/ubah"): Rule("hr", "training"),
    ("POST", "/pelatihan/{tid:int}/ubah"): Rule("hr", "training"),  # empty form: 422
    ("GET", "/pelatihan/{tid:int}/peserta"): Rule("hr", "training"),
    ("POST", "/pelatihan/{tid:int}/peserta"): Rule("hr", "training"),  # no statuses: nothing changes, 303
    ("GET", "/pelatihan/{tid:int}/peserta/tambah"): Rule("hr", "training"),
    ("POST", "/pelatihan/{tid:int}/peserta/tambah"): Rule("hr", "training"),  # nobody chosen: 422
    ("GET", "/pelatihan/{tid:int}/peserta/unit"): Rule("hr", "training", ok=(200, 422)),  # no unit: the add page, 422
    ("POST", "/pelatihan/{tid:int}/peserta/unit"): Rule("hr", "training"),  # not confirmed: the question again
    ("GET", "/pelatihan/{tid:int}/peserta/{eid:int}/hapus"): Rule("hr", "enrollment"),
    ("POST", "/pelatihan/{tid:int}/peserta/{eid:int}/hapus"): Rule("hr", "enrollment"),  # not confirmed: the question again
    # a training's survey (HR)
    ("GET", "/pelatihan/{tid:int}/survei"): Rule("hr", "training"),
    ("POST", "/pelatihan/{tid:int}/survei"): Rule("hr", "training"),
    ("POST", "/pelatihan/{tid:int}/survei/tutup"): Rule("hr", "training"),
    # L3 (web/application.py, web/impact.py): the supervisor rates current direct reports, the alumnus reports on themself
    ("GET", "/penerapan"): Rule("employee"),
    ("GET", _L3_SUP): Rule("supervisor", "rated_report", ok=(200, 303)),
    ("POST", _L3_SUP + "/jawaban/{question_id:int}"): Rule("supervisor", "rated_report_question"),
    ("POST", _L3_SUP + "/kirim"): Rule("supervisor", "rated_report"),
    ("GET", _L3_SELF): Rule("employee", "self_report", ok=(200, 303)),
    ("POST", _L3_SELF + "/jawaban/{question_id:int}"): Rule("employee", "self_report_question"),
    ("POST", _L3_SELF + "/kirim"): Rule("employee", "self_report"),
    ("GET", "/penerapan/hasil/{enrollment_id:int}"): Rule("employee", "result", sees_all="hr"),
    ("POST", "/penerapan/{rating_id:int}/buka-kembali"): Rule("hr", "rating"),
    ("GET", "/dampak"): Rule("employee"),
    ("GET", "/dampak/cetak"): Rule("hr"),
    ("GET", "/dampak/ekspor/{fmt:str}"): Rule("hr"),
    ("GET", "/dampak/{training_id:int}"): Rule("employee", "impact_training", sees_all="hr"),
    ("GET", "/dampak/{training_id:int}/kompetensi"): Rule("hr", "training"),
    # reports (web/reports.py, HR); raw answers only of an attributed questionnaire (else 403 by design)
    ("GET", "/laporan"): Rule("hr"),
    ("GET", "/laporan/ekspor/{fmt:str}"): Rule("hr"),
    ("GET", "/laporan/cetak"): Rule("hr"),
    ("GET", "/laporan/jawaban/{fmt:str}"): Rule("hr", "attributed_questionnaire", query="?kuesioner={qid}"),
    ("GET", "/laporan/pelatihan"): Rule("hr"),
    ("GET", _REPORT): Rule("hr", "training"),
    ("GET", _REPORT + "/komentar"): Rule("hr", "training"),
    ("GET", _REPORT + "/cetak"): Rule("hr", "training"),
    ("GET", _REPORT + "/ekspor/{fmt:str}"): Rule("hr", "training"),
    ("GET", _REPORT + "/jawaban/{fmt:str}"): Rule("hr", "training_raw", ok=(200, 404)),
    ("GET", "/laporan/jp"): Rule("hr"),
    ("GET", "/laporan/jp/ekspor/{fmt:str}"): Rule("hr"),
    ("GET", "/laporan/jp/cetak"): Rule("hr"),
    ("GET", "/laporan/penyelenggara"): Rule("hr"),
    ("GET", "/laporan/penyelenggara/cetak"): Rule("hr"),
    ("GET", "/laporan/penyelenggara/ekspor/{fmt:str}"): Rule("hr"),
    ("GET", "/laporan/respons"): Rule("hr"),
    ("GET", "/laporan/respons/ekspor/{fmt:str}"): Rule("hr"),
    # reminders (web/reminders.py, HR): the confirmation, and the send (no SMTP in these tests: nothing sent, 200)
    ("GET", "/laporan/pengingat"): Rule("hr"),
    ("POST", "/laporan/pengingat"): Rule("hr"),
    # master data (web/master/: lists, people, organisation; HR)
    ("GET", "/data-master"): Rule("hr"),
    ("GET", "/data-master/pegawai"): Rule("hr"),
    ("GET", "/data-master/unit"): Rule("hr"),
    ("GET", "/data-master/pegawai/baru"): Rule("hr"),
    ("POST", "/data-master/pegawai/baru"): Rule("hr"),  # empty form: 422, nobody added
    ("GET", _PERSON): Rule("hr", "employee"),
    ("GET", _PERSON + "/ubah"): Rule("hr", "employee"),
    ("POST", _PERSON + "/ubah"): Rule("hr", "employee"),  # empty form: 422, nothing changed
    ("GET", "/data-master/unit/baru"): Rule("hr"),
    ("POST", "/data-master/unit/baru"): Rule("hr"),
    ("GET", "/data-master/unit/{unit_id:int}"): Rule("hr", "unit"),
    ("POST", "/data-master/unit/{unit_id:int}"): Rule("hr", "unit"),
    ("GET", "/data-master/jabatan"): Rule("hr"),
    ("GET", "/data-master/jabatan/baru"): Rule("hr"),
    ("POST", "/data-master/jabatan/baru"): Rule("hr"),
    ("GET", "/data-master/jabatan/{position_id:int}"): Rule("hr", "position"),
    ("POST", "/data-master/jabatan/{position_id:int}"): Rule("hr", "position"),
    ("GET", "/data-master/kompetensi"): Rule("hr"),
    ("GET", "/data-master/pelatihan"): Rule("hr", ok=(303,)),  # moved to /pelatihan
    # imports (web/master/imports.py, HR); no batch exists in the demo data: a batch id answers 404 to HR
    ("GET", _IMPORT): Rule("hr"),
    ("GET", _IMPORT + "/{kind:str}"): Rule("hr", "import_kind"),
    ("POST", _IMPORT + "/{kind:str}"): Rule("hr", "import_kind"),  # no file: the form again, 422
    ("GET", _IMPORT + "/{kind:str}/templat/{fmt:str}"): Rule("hr", "import_kind"),
    ("GET", _BATCH): Rule("hr", "import_batch", ok=(404,)),
    ("POST", _BATCH + "/terapkan"): Rule("hr", "import_batch", ok=(404,)),
    ("POST", _BATCH + "/buang"): Rule("hr", "import_batch", ok=(404,)),
    ("GET", _BATCH + "/batalkan"): Rule("hr", "import_batch", ok=(404,)),
    ("POST", _BATCH + "/batalkan"): Rule("hr", "import_batch", ok=(404,)),
    # correction requests, HR's side (web/master/corrections.py); none in the demo data: an id answers 404
    ("GET", "/data-master/koreksi"): Rule("hr"),
    ("POST", "/data-master/koreksi/{request_id:int}"): Rule("hr", "correction", ok=(404,)),
    # Data Saya (web/my_data.py): always the user's own data, no person id in any path
    ("GET", "/data-saya"): Rule("employee"),
    ("GET", "/data-saya/unduh/{fmt:str}"): Rule("employee", "my_data_format"),
    ("POST", "/data-saya/koreksi"): Rule("employee"),  # empty form: 422, nothing stored
    # the audit log viewer (web/admin/audit.py, administrators), read only
    ("GET", "/admin/audit"): Rule("admin"),
    ("GET", "/admin/audit/ekspor"): Rule("admin"),
    # accounts (issue 15): one's own password, one-time links, the admin's accounts
    ("GET", "/akun/sandi"): Rule("employee"),
    ("POST", "/akun/sandi"): Rule("employee", ok=(422,)),  # empty form: nothing checked, nothing changed
    ("GET", "/aktivasi"): Rule("public"),
    ("GET", "/aktivasi/{code:str}"): Rule("public", "unknown_code", ok=(404,)),
    ("POST", "/aktivasi/{code:str}"): Rule("public", "unknown_code", ok=(404,)),
    ("GET", "/lupa-sandi"): Rule("public"),
    ("POST", "/lupa-sandi"): Rule("public"),  # e-mail off: the "ask HR" page again
    ("POST", _PERSON + "/aktivasi"): Rule("hr", "link_target"),  # the printable link (HR may not for an admin)
    ("GET", "/data-master/aktivasi"): Rule("hr"),
    ("POST", "/data-master/aktivasi"): Rule("hr", ok=(422,)),  # no unit chosen
    ("GET", "/admin/akun"): Rule("admin"),
    ("POST", "/admin/akun/buka-kunci"): Rule("admin", ok=(422,)),  # no NIP
    ("GET", _ACCOUNT): Rule("admin", "account"),
    # Bantuan (web/help.py): per role for the logged-in, and the public page the login page links to
    ("GET", "/bantuan"): Rule("employee"),
    ("GET", "/bantuan/masuk"): Rule("public"),
    ("POST", _ACCOUNT + "/peran"): Rule("admin", "account", ok=(422,)),  # no role or action
    ("POST", _ACCOUNT + "/status"): Rule("admin", "account", ok=(422,)),
    ("POST", _ACCOUNT + "/sesi"): Rule("admin", "account", ok=(422,)),
}


# --------------------------------------------------------------------------- demo objects behind the ids


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    is_hr: bool
    is_admin: bool
    reports: int


@dataclass(frozen=True)
class Ids:
    params: dict[str, Any]
    body: dict[str, str] = field(default_factory=dict)
    owner: str | None = None  # whose object it is (must not show on someone else's refusal)


Finder = Callable[[Connection, Person], Ids | None]


@dataclass(frozen=True)
class Objects:
    """`own`: the acting person's object (None when they have none); `other`: someone else's that its
    owner could open (only for objects owned by a person)."""

    own: Finder
    other: Finder | None = None


def _row(conn: Connection, sql: str, **params: Any) -> dict[str, Any] | None:
    row = conn.execute(text(sql), params).mappings().first()
    return dict(row) if row else None


def _found(sql: str, *, mine: bool | None = None, question: str | None = None, body: Callable[[dict], dict] | None = None) -> Finder:
    """A finder from one query with `:me` (the acting person); `{mine}` becomes its own-or-other filter
    when `mine` is given. The id columns are named like the path parameters; `owner` names the owner;
    `question`: the column of a questionnaire whose first Likert question fills `question_id`."""

    def find(conn: Connection, me: Person) -> Ids | None:
        found = _row(conn, sql.replace("{mine}", "=" if mine else "<>"), me=me.id)
        if found is None:
            return None
        owner = found.pop("owner", None)
        if question is not None:
            q = _row(conn, "SELECT id FROM question WHERE questionnaire_id = :qn AND kind = 'likert5' ORDER BY position, id", qn=found.pop(question))
            if q is None:
                return None
            found["question_id"] = q["id"]
        return Ids(found | FMT, body(found) if body else {}, owner)

    return find


def _both(sql: str, **kwargs: Any) -> Objects:
    return Objects(_found(sql, mine=True, **kwargs), _found(sql, mine=False, **kwargs))


_CYCLE = "(SELECT id FROM assessmentcycle WHERE status = 'open' ORDER BY opens_on DESC, id DESC LIMIT 1)"
_STANDARD = "(SELECT min(ps.competency_id) FROM positionstandard ps WHERE ps.position_id = e.position_id)"
_INVITATION = f"""SELECT i.id AS invitation_id, i.questionnaire_id AS qn, e.name AS owner FROM surveyinvitation i
    JOIN employee e ON e.id = i.employee_id
    JOIN enrollment en ON en.training_id = i.training_id AND en.employee_id = i.employee_id AND en.status IN {TOOK_PART}
    WHERE i.employee_id {{mine}} :me
    ORDER BY CASE i.status WHEN 'draft' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, i.closes_on DESC, i.id LIMIT 1"""
# a direct report: own = of the acting supervisor; other = of another supervisor
_REPORT_OF = f"""SELECT {_CYCLE} AS cycle_id, e.id AS subject_id, {_STANDARD} AS competency_id, e.name AS owner
    FROM employee e WHERE e.is_active AND e.supervisor_id IS NOT NULL AND e.supervisor_id {{mine}} :me AND e.id <> :me
    ORDER BY e.id LIMIT 1"""
# an L3 rating a supervisor owes: not yet submitted and of the earliest training first (most likely due)
_RATED = f"""SELECT en.id AS enrollment_id, t.application_questionnaire_id AS qn, e.name AS owner FROM enrollment en
    JOIN employee e ON e.id = en.employee_id JOIN training t ON t.id = en.training_id
    LEFT JOIN applicationrating r ON r.enrollment_id = en.id AND r.rater_role = 'supervisor'
    WHERE e.is_active AND e.supervisor_id IS NOT NULL AND e.supervisor_id {{mine}} :me AND e.id <> :me
      AND en.status IN {TOOK_PART} AND t.application_questionnaire_id IS NOT NULL
    ORDER BY CASE WHEN r.status = 'submitted' THEN 1 ELSE 0 END, t.ends_on, en.id LIMIT 1"""
_SELF_REPORT = f"""SELECT en.id AS enrollment_id, t.self_report_questionnaire_id AS qn, e.name AS owner FROM enrollment en
    JOIN employee e ON e.id = en.employee_id JOIN training t ON t.id = en.training_id
    WHERE en.employee_id {{mine}} :me AND en.status IN {TOOK_PART} AND t.self_report_questionnaire_id IS NOT NULL
    ORDER BY en.id LIMIT 1"""
_RESULT_OWN = f"""SELECT en.id AS enrollment_id, e.name AS owner FROM enrollment en JOIN employee e ON e.id = en.employee_id
    WHERE (e.id = :me OR e.supervisor_id = :me) AND en.status IN {TOOK_PART}
    ORDER BY CASE WHEN e.id = :me THEN 0 ELSE 1 END, en.id LIMIT 1"""
# someone the acting person neither is, supervises, nor rated
_RESULT_OTHER = f"""SELECT en.id AS enrollment_id, e.name AS owner FROM enrollment en JOIN employee e ON e.id = en.employee_id
    WHERE e.id <> :me AND (e.supervisor_id IS NULL OR e.supervisor_id <> :me) AND en.status IN {TOOK_PART}
      AND NOT EXISTS (SELECT 1 FROM applicationrating r WHERE r.enrollment_id = en.id AND r.rater_id = :me)
    ORDER BY en.id LIMIT 1"""
_TRAINING_OWN = f"""SELECT en.training_id AS training_id FROM enrollment en JOIN employee e ON e.id = en.employee_id
    WHERE (e.id = :me OR e.supervisor_id = :me) AND en.status IN {TOOK_PART} ORDER BY en.training_id LIMIT 1"""
_TRAINING_OTHER = f"""SELECT t.id AS training_id FROM training t
    WHERE EXISTS (SELECT 1 FROM enrollment en WHERE en.training_id = t.id AND en.status IN {TOOK_PART})
      AND NOT EXISTS (SELECT 1 FROM enrollment en JOIN employee e ON e.id = en.employee_id
        LEFT JOIN applicationrating r ON r.enrollment_id = en.id
        WHERE en.training_id = t.id AND (e.id = :me OR e.supervisor_id = :me OR r.rater_id = :me))
    ORDER BY t.id LIMIT 1"""
_TRAINING = """SELECT t.id AS training_id, t.id AS tid FROM training t WHERE t.reaction_questionnaire_id IS NOT NULL
    ORDER BY (SELECT count(*) FROM surveyinvitation i WHERE i.training_id = t.id AND i.status = 'submitted') DESC, t.id LIMIT 1"""
# the raw-answers export: an attributed questionnaire's training, else one without a questionnaire (404)
_TRAINING_RAW = """SELECT t.id AS training_id FROM training t LEFT JOIN questionnaire q ON q.id = t.reaction_questionnaire_id
    ORDER BY CASE WHEN q.id IS NULL THEN 1 WHEN q.anonymous THEN 2 ELSE 0 END, t.id LIMIT 1"""
_GAP_TRAINING = """SELECT g.cycle_id, g.unit_id, g.competency_id, t.id AS training_id FROM assessmentgap g
    JOIN trainingcompetency tc ON tc.competency_id = g.competency_id JOIN training t ON t.id = tc.training_id
    WHERE t.starts_on >= CURRENT_DATE AND g.gap > 0 ORDER BY g.cycle_id DESC, g.unit_id, g.competency_id, t.id LIMIT 1"""
_LEVEL = {"level": "2"}


def _level(_ids: dict) -> dict:
    return _LEVEL


def _answer(ids: dict) -> dict:
    return {f"q{ids['question_id']}": "4"}


OBJECTS: dict[str, Objects] = {
    "none": Objects(lambda conn, me: Ids(dict(FMT))),
    "cycle": Objects(_found(f"SELECT {_CYCLE} AS cycle_id")),
    "own_competency": Objects(_found(f"SELECT {_CYCLE} AS cycle_id, {_STANDARD} AS competency_id FROM employee e WHERE e.id = :me", body=_level)),
    "report": _both(_REPORT_OF),
    "report_competency": _both(_REPORT_OF, body=_level),
    "gap_cell": Objects(_found("SELECT cycle_id, unit_id, competency_id FROM assessmentgap ORDER BY cycle_id DESC, unit_id, competency_id LIMIT 1")),
    "invitation": _both(_INVITATION),
    "invitation_question": _both(_INVITATION, question="qn", body=_answer),
    "question": Objects(_found("SELECT questionnaire_id AS qid, min(id) AS pid FROM question GROUP BY questionnaire_id ORDER BY questionnaire_id LIMIT 1")),
    "training": Objects(_found(_TRAINING)),
    "training_raw": Objects(_found(_TRAINING_RAW)),
    # an enrolment of someone who did not take part (what the roster can remove)
    "enrollment": Objects(_found(f"SELECT training_id AS tid, id AS eid FROM enrollment WHERE status NOT IN {TOOK_PART} ORDER BY id LIMIT 1")),
    # raw answers of one questionnaire: an attributed one (the demo has no attributed reaction questionnaire)
    "attributed_questionnaire": Objects(_found("SELECT id AS qid FROM questionnaire WHERE NOT anonymous ORDER BY CASE purpose WHEN 'reaction' THEN 0 ELSE 1 END, id LIMIT 1")),
    "rated_report": _both(_RATED),
    "rated_report_question": _both(_RATED, question="qn", body=_answer),
    "self_report": _both(_SELF_REPORT),
    "self_report_question": _both(_SELF_REPORT, question="qn", body=_answer),
    "result": Objects(_found(_RESULT_OWN), _found(_RESULT_OTHER)),
    "rating": Objects(_found("SELECT id AS rating_id FROM applicationrating WHERE status = 'submitted' ORDER BY id LIMIT 1")),
    "impact_training": Objects(_found(_TRAINING_OWN), _found(_TRAINING_OTHER)),
    # a cell of the gap map whose competency a training still to come targets (the demo has one)
    "gap_training": Objects(_found(_GAP_TRAINING, body=lambda ids: {"pelatihan": str(ids["training_id"])})),
    "employee": Objects(_found("SELECT id AS employee_id FROM employee ORDER BY id LIMIT 1")),
    "unit": Objects(_found("SELECT id AS unit_id FROM unit ORDER BY id LIMIT 1")),
    "position": Objects(_found("SELECT id AS position_id FROM position ORDER BY id LIMIT 1")),
    "import_kind": Objects(_found("SELECT 'pegawai' AS kind")),
    "correction": Objects(_found("SELECT coalesce(max(id), 0) + 1000000 AS request_id FROM correctionrequest")),
    "my_data_format": Objects(lambda conn, me: Ids({"fmt": "json"})),
    "import_batch": Objects(_found("SELECT 'pegawai' AS kind, coalesce(max(id), 0) + 1000000 AS batch_id FROM importbatch")),
    # a code of the right shape that no link has
    "unknown_code": Objects(_found("SELECT 'K7QM-3XRT-9D2F-HV6B-1NCP' AS code")),
    # someone HR may issue a link for: active, not an administrator
    "link_target": Objects(_found("SELECT id AS employee_id FROM employee WHERE is_active AND NOT is_admin ORDER BY id LIMIT 1")),
    "account": Objects(_found("SELECT id AS account_id FROM employee ORDER BY id LIMIT 1")),
}


# --------------------------------------------------------------------------- the app, clients and requests


def app_routes(app: Any) -> set[tuple[str, str]]:
    """(method, path template) of every route handler, without the static files and HEAD/OPTIONS."""
    found = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(STATIC_PREFIX):
            continue
        for handler in route.route_handlers:
            found.update((method, route.path) for method in handler.http_methods if method not in SKIPPED_METHODS)
    return found


@dataclass
class Site:
    engine: Engine
    clients: dict[str, TestClient]
    people: dict[str, Person]


@pytest.fixture(scope="module", params=BACKENDS)
def site(request: pytest.FixtureRequest, work_dir: Any) -> Iterator[Site]:
    for url in _fresh_database(request, request.param, "demo", work_dir):
        settings = rig.test_settings(url)
        with ExitStack() as stack:
            clients = {}
            for role in ROLES:  # an app per person, as separate browsers (and workers) would be
                client = stack.enter_context(TestClient(create_app(settings), base_url="http://testserver.local"))
                if role != "anonymous":
                    login(client, DEMO[role])
                clients[role] = client
            engine = clients["anonymous"].app.state.engine
            with engine.connect() as conn:
                people = {role: _person(conn, DEMO[role]) for role in LOGGED_IN}
            yield Site(engine, clients, people)


def _person(conn: Connection, nip: str) -> Person:
    row = _row(
        conn,
        """SELECT e.id, e.name, e.is_hr, e.is_admin,
           (SELECT count(*) FROM employee r WHERE r.supervisor_id = e.id AND r.is_active) AS reports
           FROM employee e WHERE e.nip = :nip""",
        nip=nip,
    )
    assert row is not None, f"demo person {nip} missing"
    return Person(row["id"], row["name"], bool(row["is_hr"]), bool(row["is_admin"]), int(row["reports"]))


def ids_for(site: Site, rule: Rule, role: str) -> tuple[Ids, bool]:
    """The acting person's own object (True), else the first demo person's who has one (False)."""
    objects = OBJECTS[rule.ids]
    with site.engine.connect() as conn:
        if role != "anonymous":
            mine = objects.own(conn, site.people[role])
            if mine is not None:
                return mine, True
        for owner in LOGGED_IN:
            theirs = objects.own(conn, site.people[owner])
            if theirs is not None:
                return theirs, False
    pytest.fail(f"the demo data has no object for ids={rule.ids!r}")


def url_of(path: str, ids: Ids, query: str = "") -> str:
    filled = re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: str(ids.params[m.group(1)]), path)
    return filled + query.format(**ids.params)


def send(client: TestClient, method: str, url: str, body: dict[str, str], *, htmx: bool = False, csrf: bool = True) -> Any:
    headers = {"HX-Request": "true"} if htmx else {}
    if method == "GET":
        return client.get(url, headers=headers, follow_redirects=False)
    if csrf:
        return post(client, url, dict(body), htmx=htmx)
    return client.post(url, data=body, headers=headers, follow_redirects=False)


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table (the columns any request may touch left out), in a stable order."""
    out = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            cols = [c for c in table.columns if (table.name, c.name) not in VOLATILE]
            out[table.name] = [tuple(r) for r in conn.execute(select(*cols).order_by(*cols))]
    return out


def assert_unchanged(before: dict[str, list[tuple]], engine: Engine, where: str) -> None:
    after = snapshot(engine)
    changed = sorted(name for name in before if before[name] != after.get(name))
    assert not changed, f"{where} changed rows of {changed}"


# --------------------------------------------------------------------------- the tests


def test_route_table_lists_every_route_of_the_app(tmp_path: Any) -> None:
    app = create_app(rig.test_settings(f"sqlite:///{tmp_path / 'unused.db'}"))
    routes = app_routes(app)
    missing = sorted(routes - ROUTES.keys(), key=lambda r: (r[1], r[0]))
    stale = sorted(ROUTES.keys() - routes, key=lambda r: (r[1], r[0]))
    assert not missing, (
        "routes without an entry in ROUTES of tests/test_route_guards.py: add one line each, saying who may "
        'use the route and how its ids are filled, e.g. ("POST", "/x/{id:int}"): Rule("hr", "training"): '
        + ", ".join(f"{m} {p}" for m, p in missing)
    )
    assert not stale, "ROUTES names routes the app no longer has, remove them: " + ", ".join(f"{m} {p}" for m, p in stale)
    for (method, path), rule in ROUTES.items():
        assert rule.access in ACCESS_LEVELS, f"{method} {path}: unknown access level {rule.access!r}"
        assert rule.ids in OBJECTS, f"{method} {path}: no OBJECTS entry {rule.ids!r}"


def test_demo_people_hold_the_roles_the_table_assumes(site: Site) -> None:
    for role, person in site.people.items():
        flags = {"supervisor": person.reports > 0, "hr": person.is_hr or person.is_admin, "admin": person.is_admin}
        held = {"public", "employee"} | {level for level, has in flags.items() if has}
        assert held == ROLE_ACCESS[role], f"demo {role} ({person.name}) holds {sorted(held)}"


GUARD_CASES = [(m, p, r) for (m, p) in ROUTES for r in ROLES]


@pytest.mark.parametrize(("method", "path", "role"), GUARD_CASES, ids=[f"{m} {p} as {r}" for m, p, r in GUARD_CASES])
def test_route_answers_each_role_as_its_guard_promises(site: Site, method: str, path: str, role: str) -> None:
    rule = ROUTES[(method, path)]
    ids, own = ids_for(site, rule, role)
    url = url_of(path, ids, rule.query)
    client = site.clients[role]
    where = f"{method} {url} as {role}"
    try:
        resp = send(client, method, url, ids.body)
        if role == "anonymous" and rule.access != "public":
            assert resp.status_code == 303 and resp.headers["location"].startswith("/login"), f"{where}: {resp.status_code}"
            hx = send(client, method, url, ids.body, htmx=True)
            assert hx.status_code == 401 and hx.headers.get("hx-redirect", "").startswith("/login"), f"{where} (htmx): {hx.status_code}"
        elif rule.access not in ROLE_ACCESS[role]:
            assert resp.status_code == 403, f"{where}: {resp.status_code}, a role without access must be refused"
            assert resp.headers["content-type"].startswith("text/html") and "Akses ditolak" in text_of(resp.text), where
        elif not own and OBJECTS[rule.ids].other is not None:
            # may use the route, but owns no such object: someone else's is not found
            assert resp.status_code == 404, f"{where}: {resp.status_code} for someone else's object"
        else:
            assert resp.status_code in rule.allowed(method), f"{where}: {resp.status_code}, expected one of {rule.allowed(method)}"
    finally:
        if rule.ends_session and role != "anonymous":
            login(client, DEMO[role])


CSRF_CASES = [p for (m, p) in ROUTES if m == "POST"]


def csrf_actor(site: Site, rule: Rule) -> tuple[str, Ids]:
    """A logged-in role that may use the route, with an object of its own when one has any."""
    allowed = [r for r in LOGGED_IN if rule.access in ROLE_ACCESS[r]]
    for role in allowed:
        ids, own = ids_for(site, rule, role)
        if own:
            return role, ids
    return allowed[0], ids_for(site, rule, allowed[0])[0]


@pytest.mark.parametrize("path", CSRF_CASES)
def test_post_without_csrf_token_is_refused_and_changes_nothing(site: Site, path: str) -> None:
    rule = ROUTES[("POST", path)]
    role, ids = csrf_actor(site, rule)
    url = url_of(path, ids, rule.query)
    before = snapshot(site.engine)
    resp = send(site.clients[role], "POST", url, ids.body, csrf=False)
    assert resp.status_code == 403, f"POST {url} as {role} without a CSRF token: {resp.status_code}"
    assert_unchanged(before, site.engine, f"POST {url} as {role} without a CSRF token")


OWNED_CASES = [
    (m, p, r)
    for (m, p), rule in ROUTES.items()
    if OBJECTS[rule.ids].other is not None
    for r in LOGGED_IN
    if rule.access in ROLE_ACCESS[r] and (rule.sees_all is None or rule.sees_all not in ROLE_ACCESS[r])
]


@pytest.mark.parametrize(("method", "path", "role"), OWNED_CASES, ids=[f"{m} {p} as {r}" for m, p, r in OWNED_CASES])
def test_someone_elses_object_is_not_found_and_stays_untouched(site: Site, method: str, path: str, role: str) -> None:
    rule = ROUTES[(method, path)]
    with site.engine.connect() as conn:
        other = OBJECTS[rule.ids].other(conn, site.people[role])  # type: ignore[misc]
    assert other is not None, f"the demo data has no object of someone else for ids={rule.ids!r} and {role}"
    url = url_of(path, other, rule.query)
    before = snapshot(site.engine) if method == "POST" else None
    resp = send(site.clients[role], method, url, other.body)
    where = f"{method} {url} as {role} (the object of {other.owner or 'someone else'})"
    assert resp.status_code in (403, 404), f"{where}: {resp.status_code}"
    if other.owner:
        assert other.owner not in resp.text, f"{where}: the page names the owner"
    if before is not None:
        assert_unchanged(before, site.engine, where)
