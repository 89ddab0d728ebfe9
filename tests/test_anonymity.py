"""Anonymity that holds in the database (SQLite and PostgreSQL).

After an anonymous submission nothing in the database joins the employee to the answers: the tests
inspect the schema generically (every table with a question/answer-like column, every foreign key,
every time column), search the row graph from the employee outwards, and check the correlations the
issue names: no time on either side, no sequential key, no insertion order (WITHOUT ROWID on SQLite,
one shared xmin on PostgreSQL), no audit entry and no log line. A control case with an attributed
questionnaire proves the search does find a link when there is one."""

from __future__ import annotations

import logging
import re
import time
from collections import deque
from pathlib import Path

import pytest

from sqlalchemy import Date, DateTime, func, inspect, select, text
from sqlmodel import SQLModel

from portal import clock
from portal.models import AuditEvent, Employee, SurveyInvitation, SurveyResponse
from portal.services import surveys as svc
from tests.conftest import DEMO, login, post
from tests.test_surveys import PEERS, complete_answers, fill_all, make_survey, submit

SECRET_TEXT = "Narasumber kurang siap, saya Putri dari loket dua"
# Shared "dimension" tables: many people and many answers point at the same row, so a path through
# them (e.g. employee -> enrollment -> training <- response) identifies nobody.
HUBS = {"training", "questionnaire", "question", "unit", "position", "competency", "competencylevel", "assessmentcycle"}


def _answer_like_tables() -> list:
    """Every table holding answers or answer-derived values: a question_id column, or value columns."""
    out = []
    for table in SQLModel.metadata.sorted_tables:
        names = {c.name for c in table.columns}
        if "question_id" in names or any(n.startswith("value") for n in names):
            out.append(table)
    return out


def _rows_reachable_from_employee(db, employee_id: int) -> set[tuple[str, tuple]]:
    """Breadth-first search over actual rows along every foreign key, in both directions, starting at
    the employee and never entering a hub table."""
    tables = {t.name: t for t in SQLModel.metadata.sorted_tables}
    edges = []  # (child table, child column, parent table, parent column)
    for t in tables.values():
        for fk in t.foreign_keys:
            edges.append((t.name, fk.parent.name, fk.column.table.name, fk.column.name))
    seen: set[tuple[str, tuple]] = set()
    queue = deque([("employee", "id", employee_id)])
    while queue:
        tname, col, value = queue.popleft()
        table = tables[tname]
        rows = db.execute(select(table).where(table.c[col] == value)).mappings().all()
        for row in rows:
            key = (tname, tuple(row[c.name] for c in table.primary_key.columns))
            if key in seen:
                continue
            seen.add(key)
            for child, ccol, parent, pcol in edges:
                if child == tname and row[ccol] is not None and parent not in HUBS:
                    queue.append((parent, pcol, row[ccol]))
                if parent == tname and child not in HUBS:
                    queue.append((child, ccol, row[pcol]))
    return seen


def _submit_as(client, s: dict, nip: str, extra_text: str | None = None, *, do_login: bool = True) -> int:
    inv = s["invitations"][nip]
    if do_login:
        login(client, nip)
    fill_all(client, inv, s["structure"])
    if extra_text:
        q = [q for q in s["structure"].questions if q.kind == "text"][0]
        assert post(client, f"/survei/{inv}/jawaban/{q.id}", {f"q{q.id}": extra_text}, htmx=True).status_code == 200
    resp = submit(client, inv)
    assert resp.status_code == 200 and "Terima kasih" in resp.text
    return inv


def test_no_row_links_the_employee_to_anonymous_answers(client, db, caplog):
    s = make_survey(db, nips=(DEMO["employee"], *PEERS), code="ANON-1")
    employee_id = s["employees"][DEMO["employee"]]
    audit_before = None
    with caplog.at_level(logging.DEBUG):
        login(client, DEMO["employee"])
        audit_before = db.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
        caplog.clear()
        inv = _submit_as(client, s, DEMO["employee"], SECRET_TEXT, do_login=False)
        submit_logs = [r.getMessage() for r in caplog.records]
    db.expire_all()
    response_ids = set(db.execute(select(SurveyResponse.id).where(SurveyResponse.training_id == s["training_id"])).scalars())
    assert len(response_ids) == 1

    # 1. the generic graph search from the employee never reaches a response, an answer or a summary
    reachable = _rows_reachable_from_employee(db, employee_id)
    reached_tables = {t for t, _ in reachable}
    for table in _answer_like_tables():
        if table.name in ("draftanswer",):
            continue
        for name, pk in reachable:
            assert name != table.name or not set(pk) & response_ids, f"{table.name} row {pk} reachable from the employee"
    assert "surveyresponse" not in reached_tables and "answer" not in reached_tables
    from portal.models import SurveyDraft

    assert db.execute(select(func.count()).select_from(SurveyDraft).where(SurveyDraft.invitation_id == inv)).scalar_one() == 0, "draft deleted"

    # 2. every answer-like table: no column pointing at a person or an invitation holds a value for this training
    for table in _answer_like_tables():
        person_cols = [c for c in table.columns for fk in c.foreign_keys if fk.column.table.name in ("employee", "surveyinvitation", "surveydraft")]
        if table.name == "draftanswer":  # drafts of other, unsubmitted invitations (the draft of this one is gone)
            continue
        for col in person_cols:
            cnt = db.execute(select(func.count()).select_from(table).where(col.is_not(None))).scalar_one()
            assert cnt == 0, f"{table.name}.{col.name} links answers to a person"
    response_table = SurveyResponse.__table__
    row = db.execute(select(response_table).where(response_table.c.training_id == s["training_id"])).mappings().one()
    for c in response_table.columns:
        fk_targets = {fk.column.table.name for fk in c.foreign_keys}
        if fk_targets & {"employee", "surveyinvitation"}:
            assert row[c.name] is None, c.name
        if isinstance(c.type, (DateTime, Date)):
            assert row[c.name] is None, f"the response records a time in {c.name}"

    # 3. no time on the person side either: the invitation says "submitted", never when
    inv_row = db.execute(select(SurveyInvitation.__table__).where(SurveyInvitation.id == inv)).mappings().one()
    assert inv_row["status"] == "submitted"
    for c in SurveyInvitation.__table__.columns:
        if isinstance(c.type, DateTime):
            assert inv_row[c.name] is None, f"surveyinvitation.{c.name} records when"

    # 4. no time on the answer side: no datetime column in any answer-like table has a value for the training
    for table in [*_answer_like_tables(), response_table]:
        for c in table.columns:
            if isinstance(c.type, DateTime) and "training_id" in table.c:
                cnt = db.execute(
                    select(func.count()).select_from(table).where(table.c.training_id == s["training_id"], c.is_not(None))
                ).scalar_one()
                assert cnt == 0, f"{table.name}.{c.name}"

    # 5. no audit event and no log line for the anonymous submission
    audit_after = db.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    assert audit_after == audit_before
    for line in submit_logs:
        assert DEMO["employee"] not in line and "Putri" not in line and f"invitation:{inv}" not in line, line

    # 6. the key is random, not a sequence
    key = next(iter(response_ids))
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    pk = list(response_table.primary_key.columns)
    assert len(pk) == 1 and not pk[0].autoincrement is True and str(pk[0].type).startswith("VARCHAR")


def test_control_attributed_questionnaire_is_found_by_the_same_search(client, db):
    s = make_survey(db, nips=(DEMO["employee"],), anonymous=False, code="ATTR-1")
    _submit_as(client, s, DEMO["employee"])
    reachable = _rows_reachable_from_employee(db, s["employees"][DEMO["employee"]])
    assert "surveyresponse" in {t for t, _ in reachable} and "answer" in {t for t, _ in reachable}


def test_no_insertion_order_on_the_response_side(client, db, backend):
    s = make_survey(db, nips=(DEMO["employee"], *PEERS), code="ANON-ORDER")
    for nip in (DEMO["employee"], *PEERS):
        _submit_as(client, s, nip)
    keys = db.execute(select(SurveyResponse.id).where(SurveyResponse.training_id == s["training_id"])).scalars().all()
    assert len(set(keys)) == 4 and all(re.fullmatch(r"[0-9a-f]{32}", k) for k in keys)
    if backend == "sqlite":
        # no rowid: rows are stored in random-key order, so file order says nothing about submission order
        for name in ("surveyresponse", "answer", "trainingsummary", "trainingsummaryvalue"):
            sql = db.execute(text("SELECT sql FROM sqlite_master WHERE type='table' AND name=:n"), {"n": name}).scalar_one()
            assert "WITHOUT ROWID" in sql.upper(), name
    else:
        # every response-side row of the training carries the same transaction id (xmin), so xmin gives no order
        t = s["training_id"]
        for sql in (
            "SELECT count(DISTINCT xmin::text) FROM surveyresponse WHERE training_id = :t",
            "SELECT count(DISTINCT a.xmin::text) FROM answer a JOIN surveyresponse r ON r.id = a.response_id WHERE r.training_id = :t",
            "SELECT count(DISTINCT xmin::text) FROM trainingsummary WHERE training_id = :t",
            "SELECT count(DISTINCT xmin::text) FROM trainingsummaryvalue WHERE training_id = :t",
            "SELECT count(DISTINCT xmin::text) FROM trainingl1 WHERE training_id = :t",
        ):
            assert db.execute(text(sql), {"t": t}).scalar_one() == 1, sql


def test_transaction_ids_are_shared_in_crowds_and_a_submit_rewrites_a_bounded_number_of_rows(db, backend):
    """PostgreSQL: with crowds of 3, ten anonymous submits leave every xmin on responses and answers shared
    by at least 3 responses, and the tenth submit leaves the first crowd's rows alone (its cost does not
    grow with the responses before it). SQLite keeps no transaction ids: every response stays in crowd 0."""
    nips = db.execute(select(Employee.nip).where(Employee.is_active.is_(True)).order_by(Employee.id).limit(10)).scalars().all()
    s = make_survey(db, nips=nips, code="ANON-CROWD")
    today = clock.today()
    t = s["training_id"]
    xmins = "SELECT r.crowd, r.xmin::text AS x, count(*) AS n FROM surveyresponse r WHERE r.training_id = :t GROUP BY 1, 2"
    first_crowd_before_last = None
    for i, nip in enumerate(nips):
        inv_id, emp_id = s["invitations"][nip], s["employees"][nip]
        inv = svc.load_invitation(db, inv_id, emp_id)[0]
        assert svc.save_many(db, inv, s["structure"], complete_answers(s["structure"])) == {}
        if i == len(nips) - 1 and backend == "postgresql":
            first_crowd_before_last = db.execute(text(xmins + " HAVING r.crowd = 0"), {"t": t}).all()
        assert svc.submit(db, inv_id, emp_id, today, anonymous=True, crowd_size=3).status == "submitted"
    crowds = db.execute(select(SurveyResponse.crowd, func.count()).where(SurveyResponse.training_id == t).group_by(SurveyResponse.crowd)).all()
    if backend == "sqlite":
        assert crowds == [(0, 10)]
        return
    assert sorted(crowds) == [(0, 3), (1, 3), (2, 3), (3, 1)]
    groups = db.execute(text("SELECT x, sum(n) FROM (" + xmins + ") g GROUP BY x"), {"t": t}).all()
    assert min(n for _x, n in groups) >= 3, groups  # no xmin names fewer than a crowd of responses
    # the newest crowd (1 response) shares its xmin with the full crowd before it
    assert len(groups) == 3
    answer_groups = db.execute(
        text(
            "SELECT a.xmin::text, count(DISTINCT a.response_id) FROM answer a JOIN surveyresponse r ON r.id = a.response_id "
            "WHERE r.training_id = :t GROUP BY 1"
        ),
        {"t": t},
    ).all()
    assert min(n for _x, n in answer_groups) >= 3, answer_groups
    # the last submit did not touch the first crowd: bounded work
    assert db.execute(text(xmins + " HAVING r.crowd = 0"), {"t": t}).all() == first_crowd_before_last


def test_employee_cannot_see_submitted_answers_back(client, db):
    s = make_survey(db, nips=(DEMO["employee"],), code="ANON-SEE")
    inv = _submit_as(client, s, DEMO["employee"], SECRET_TEXT)
    pages = [
        client.get("/survei"),
        client.get(f"/survei/{inv}"),
        submit(client, inv),
        post(client, f"/survei/{inv}/kirim", complete_answers(s["structure"])),
        post(client, f"/survei/{inv}/jawaban/{s['structure'].questions[0].id}", {}, htmx=True),
        client.get("/"),
    ]
    for resp in pages:
        assert SECRET_TEXT not in resp.text
        assert " checked" not in resp.text, "no answer is shown back"
    receipt = pages[1].text
    assert "Terima kasih" in receipt and "tidak dapat ditampilkan kembali" in receipt
    # the reference number derives from the invitation, not the response key
    code = svc.receipt_code(client.app.state.settings.secret_key, inv)
    assert code in receipt
    key = db.execute(select(SurveyResponse.id).where(SurveyResponse.training_id == s["training_id"])).scalar_one()
    assert key not in receipt and key[:8] not in code.replace("-", "").lower()


def test_demo_responses_are_anonymous(db):
    assert db.execute(select(func.count()).select_from(SurveyResponse)).scalar_one() > 0
    assert db.execute(
        select(func.count()).select_from(SurveyResponse).where(
            (SurveyResponse.respondent_id.is_not(None)) | (SurveyResponse.invitation_id.is_not(None)) | (SurveyResponse.submitted_at.is_not(None))
        )
    ).scalar_one() == 0
    assert db.execute(
        select(func.count()).select_from(SurveyInvitation).where(SurveyInvitation.submitted_at.is_not(None))
    ).scalar_one() == 0
    assert clock.today()
    assert inspect(db.get_bind()).has_table("surveyresponse")


@pytest.mark.parametrize("backend", ["sqlite"])  # the -wal file is SQLite's; PostgreSQL: see docs/anonymity.md
def test_no_earlier_draft_value_stays_on_disk_after_an_anonymous_submit(client, db, backend, settings):
    """Within moments of the submit (portal.db.wal, at most half a second after the last anonymous submit
    of a busy moment), the draft's earlier values are gone from the database file and its -wal file."""
    s = make_survey(db, nips=(DEMO["employee"], *PEERS), code="ANON-WAL")
    inv = s["invitations"][DEMO["employee"]]
    text_q = [q for q in s["structure"].questions if q.kind == "text"][0]
    login(client, DEMO["employee"])
    fill_all(client, inv, s["structure"])
    earlier = "Versi-pertama-yang-dihapus-7Q2"
    final = "Versi-akhir-yang-dikirim-9K4"
    for value in (earlier, final):
        assert post(client, f"/survei/{inv}/jawaban/{text_q.id}", {f"q{text_q.id}": value}, htmx=True).status_code == 200
    path = Path(settings.database_url.removeprefix("sqlite:///"))
    wal = Path(f"{path}-wal")

    def on_disk() -> bytes:
        return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

    assert earlier.encode() in on_disk(), "control: the draft's earlier value is on disk before the submit"
    scrubber = client.app.state.wal  # portal.db.wal: truncates the log soon after anonymous submits
    runs = scrubber.runs
    resp = submit(client, inv)
    assert resp.status_code == 200 and "Terima kasih" in resp.text
    deadline = time.monotonic() + 10
    while earlier.encode() in on_disk() and time.monotonic() < deadline:
        time.sleep(0.05)
    data = on_disk()
    assert earlier.encode() not in data, "an earlier draft value lingers in the database or its -wal file"
    assert scrubber.runs > runs, "the running portal's scrubber truncated the log (not the submit itself)"
    assert final.encode() in data, "the submitted (anonymous) answer is stored"
    assert not wal.exists() or wal.stat().st_size == 0
