"""Exports of the reports (SQLite and PostgreSQL): CSV and XLSX, streamed, Indonesian headers, dated file
names, audited (who, what, when, filters), formula injection neutralised, the minimum group size kept,
names but never answers in the response list, and a 50,000-row export that streams with bounded memory."""

from __future__ import annotations

import csv
import io
import json
import random
import threading
import tracemalloc
from datetime import UTC, date, datetime
from typing import Any

import anyio
import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select, update

from portal import clock
from portal.models import (
    Answer,
    AuditEvent,
    Employee,
    Enrollment,
    Question,
    Questionnaire,
    SurveyResponse,
    Training,
)
from portal.services import reports
from tests.conftest import DEMO, login, text_of
from tests.test_reports import (
    DISDUKCAPIL,
    DISKOMINFO,
    HIDDEN_TEXT,
    TODAY,
    Built,
    build_scenario,
    build_training,
    make_questionnaire,
    random_answers,
    submit,
)

H1 = "periode=rentang&dari=2031-01-01&sampai=2031-06-30"


@pytest.fixture
def frozen():
    clock.freeze_today(TODAY)
    yield TODAY
    clock.freeze_today(None)


@pytest.fixture
def scenario(db, frozen) -> dict[str, Built]:
    """The five trainings of tests/test_reports.py (see build_scenario there)."""
    return build_scenario(db)
DANGEROUS = ['=HYPERLINK("http://x","y")', "<script>alert(1)</script>", "+62 812", "@SUM(A1)", "-1+2", "=1+1"]


def read_csv(resp) -> list[list[str]]:
    assert resp.status_code == 200, resp.text[:500]
    assert resp.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))


def read_xlsx(resp, tmp_path) -> list[list[Any]]:
    assert resp.status_code == 200, resp.text[:500]
    assert resp.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    path = tmp_path / "x.xlsx"
    path.write_bytes(resp.content)
    book = load_workbook(path, read_only=True)
    try:  # a read-only workbook keeps its file open until closed
        return [[c for c in row] for row in book.active.iter_rows(values_only=True)]
    finally:
        book.close()


def hr(client) -> int:
    login(client, DEMO["hr"])
    return 0


# --------------------------------------------------------------------------- formats, names, audit


def test_every_export_has_a_dated_filename_indonesian_headers_and_opens(client, db, scenario, tmp_path):
    hr(client)
    t1, t3 = scenario["T1"], scenario["T3"]
    cases = {
        "/laporan/ekspor/{fmt}?" + H1: ("rekap-pelatihan", "Pelatihan"),
        f"/laporan/pelatihan/{t1.training_id}/ekspor/{{fmt}}": ("laporan-pelatihan-lap-t1", "Bagian"),
        f"/laporan/pelatihan/{t3.training_id}/jawaban/{{fmt}}": ("jawaban-lap-t3", "NIP"),
        f"/laporan/jawaban/{{fmt}}?kuesioner={t3.questionnaire_id}&" + H1: (f"jawaban-kuesioner-{t3.questionnaire_id}", "NIP"),
        "/laporan/jp/ekspor/{fmt}?periode=2031": ("pegawai-di-bawah-20-jp-2031", "Nama"),
        "/laporan/respons/ekspor/{fmt}?" + H1: ("pemantauan-respons-l1", "Nama"),
    }
    for url, (stem, header) in cases.items():
        for fmt in ("csv", "xlsx"):
            resp = client.get(url.format(fmt=fmt))
            assert resp.headers["content-disposition"] == f'attachment; filename="{stem}-{TODAY.isoformat()}.{fmt}"', url
            rows = read_csv(resp) if fmt == "csv" else read_xlsx(resp, tmp_path)
            assert header in rows[0], (url, rows[0])
            assert len(rows) >= 2, url


def test_each_export_is_written_to_the_audit_log(client, db, scenario):
    hr(client)
    hr_id = db.execute(select(Employee.id).where(Employee.nip == DEMO["hr"])).scalar_one()
    kominfo = db.execute(select(Employee.unit_id).where(Employee.nip == DISKOMINFO[0])).scalar_one()
    started = datetime.now(UTC)
    client.get(f"/laporan/jp/ekspor/xlsx?periode=2031&unit={kominfo}&urut=nama&arah=turun")
    client.get(f"/laporan/pelatihan/{scenario['T1'].training_id}/ekspor/csv")
    client.get(f"/laporan/respons/ekspor/csv?{H1}&jenis=l1&status=terlambat")
    rows = db.execute(select(AuditEvent).where(AuditEvent.action == "report.export").order_by(AuditEvent.id)).scalars().all()
    assert len(rows) == 3
    jp, training, monitoring = rows
    assert all(r.actor_id == hr_id for r in rows)
    assert all(r.at.replace(tzinfo=r.at.tzinfo or UTC) >= started.replace(microsecond=0) for r in rows)
    assert jp.target == "laporan:jp" and "format=xlsx" in jp.detail and f"unit={kominfo}" in jp.detail and "tahun=2031" in jp.detail
    assert "urut=nama:turun" in jp.detail
    assert training.target == f"laporan:pelatihan:{scenario['T1'].training_id}" and "format=csv" in training.detail
    assert monitoring.target == "laporan:respons" and "status=terlambat" in monitoring.detail and "2031-01-01..2031-06-30" in monitoring.detail


# --------------------------------------------------------------------------- minimum group size in exports


def test_training_export_hides_small_groups_and_matches_raw_counts(client, db, scenario):
    hr(client)
    small = read_csv(client.get(f"/laporan/pelatihan/{scenario['T2'].training_id}/ekspor/csv"))
    flat = "\n".join(",".join(r) for r in small)
    assert HIDDEN_TEXT in flat
    assert "Distribusi jawaban" not in flat and "Dimensi" not in {r[0] for r in small[1:]}
    assert "Komentar rahasia" not in flat
    # T1: one row per question and value, counts equal to a recount of the answers
    rows = read_csv(client.get(f"/laporan/pelatihan/{scenario['T1'].training_id}/ekspor/csv"))
    header = rows[0]
    col = {h: i for i, h in enumerate(header)}
    raw: dict[tuple[str, str], int] = {}
    for text, kind, num, txt in db.execute(
        select(Question.text, Question.kind, Answer.value_num, Answer.value_text)
        .join(Answer, Answer.question_id == Question.id)
        .join(SurveyResponse, SurveyResponse.id == Answer.response_id)
        .where(SurveyResponse.training_id == scenario["T1"].training_id)
    ):
        if kind == "likert5":
            raw[(text, str(num))] = raw.get((text, str(num)), 0) + 1
    seen = 0
    for r in rows[1:]:
        if r[col["Bagian"]] == "Distribusi jawaban" and r[col["Jenis pertanyaan"]] == "Skala setuju 1–5":
            value = r[col["Nilai/pilihan"]].split(" ")[0]
            assert int(r[col["Jumlah"]]) == raw.get((r[col["Uraian"]], value), 0)
            seen += 1
    assert seen == 6 * 5
    # free text of an anonymous survey is not exported
    assert "Saran peserta T1" not in "\n".join(",".join(r) for r in rows)


def test_dashboard_export_hides_small_groups(client, db, scenario):
    hr(client)
    rows = read_csv(client.get("/laporan/ekspor/csv?" + H1))
    header = rows[0]
    by_code = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_code["LAP-T2"]["Indeks kepuasan (0–100)"] == HIDDEN_TEXT
    assert by_code["LAP-T2"]["NPS"] == HIDDEN_TEXT
    assert "survei dibuka sampai" in by_code["LAP-T4"]["Indeks kepuasan (0–100)"].lower()
    assert float(by_code["LAP-T1"]["Indeks kepuasan (0–100)"]) > 0
    assert by_code["LAP-T2"]["Mengisi survei L1"] == "3"  # who answered is not anonymous


# --------------------------------------------------------------------------- formula injection and escaping


def test_free_text_is_neutralised_in_csv_and_xlsx_and_escaped_on_pages(client, db, frozen, tmp_path):
    hr(client)
    nips = DISDUKCAPIL[:6]
    b = build_training(db, "LAP-INJ", date(2031, 2, 10), nips, anonymous=False)
    rng = random.Random(3)
    for nip, text in zip(nips, DANGEROUS, strict=True):
        submit(db, b, nip, random_answers(rng, b.structure, texts=[text]))
    # a name that a spreadsheet would run, in the name column of the JP list
    db.execute(update(Employee).where(Employee.nip == DISKOMINFO[6]).values(name="=cmd|' /C calc'!A0"))
    db.commit()
    text_col = f"P{next(q.number for q in b.structure.questions if q.kind == 'text')}. Saran Anda?"
    rows = read_csv(client.get(f"/laporan/pelatihan/{b.training_id}/jawaban/csv"))
    col = rows[0].index(text_col)
    written = sorted(r[col] for r in rows[1:])
    expected = sorted(("'" + v) if v.startswith(("=", "+", "-", "@", "\t", "\r")) else v for v in DANGEROUS)
    assert written == expected
    assert "'=HYPERLINK(\"http://x\",\"y\")" in written and "<script>alert(1)</script>" in written
    xrows = read_xlsx(client.get(f"/laporan/pelatihan/{b.training_id}/jawaban/xlsx"), tmp_path)
    xcol = xrows[0].index(text_col)
    values = sorted(str(r[xcol]) for r in xrows[1:])
    assert all(not v.startswith(("=", "+", "-", "@")) for v in values)
    path = tmp_path / "x.xlsx"
    wb = load_workbook(path)  # not read-only: cell types are known
    assert all(cell.data_type != "f" for row in wb.active.iter_rows() for cell in row)
    jp = read_csv(client.get("/laporan/jp/ekspor/csv?periode=2031"))
    assert ["'=cmd|' /C calc'!A0"] == [r[1] for r in jp[1:] if "calc" in r[1]]
    # on the pages the same text is escaped (attributed survey: comments are shown)
    html = client.get(f"/laporan/pelatihan/{b.training_id}").text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = client.get("/laporan/jp?periode=2031&urut=nama").text
    assert "=cmd|&#39; /C calc&#39;!A0" in page or "=cmd|' /C calc'!A0" in text_of(page)


def test_response_list_export_has_names_but_never_answers(client, db, scenario):
    hr(client)
    for status in ("belum", "sudah", "semua"):
        rows = read_csv(client.get(f"/laporan/respons/ekspor/csv?{H1}&jenis=l1&status={status}"))
        assert rows[0] == ["NIP", "Nama", "Unit kerja", "Pelatihan", "Status survei (L1)", "Dibuka", "Batas waktu"]
        flat = "\n".join(",".join(r) for r in rows)
        for q in scenario["T1"].structure.questions:
            assert q.text not in flat
        assert "Saran peserta" not in flat and "Komentar rahasia" not in flat
    done = read_csv(client.get(f"/laporan/respons/ekspor/csv?{H1}&jenis=l1&status=sudah"))
    assert {r[4] for r in done[1:]} == {"Sudah mengisi"}
    assert len(done) - 1 == 8 + 3 + 4 + 6 + 5


def test_jp_export_lists_exactly_the_employees_below_20(client, db, scenario):
    hr(client)
    rows = read_csv(client.get("/laporan/jp/ekspor/csv?periode=2031&urut=jp&arah=naik"))
    assert rows[0] == ["NIP", "Nama", "Unit kerja", "Tahun", "JP diperoleh", "Kekurangan JP (target 20)"]
    per: dict[int, int] = {}
    for emp_id, jp in db.execute(
        select(Enrollment.employee_id, Enrollment.jp_credited)
        .join(Training, Training.id == Enrollment.training_id)
        .where(Enrollment.status.in_(("attended", "completed")), Training.ends_on >= date(2031, 1, 1), Training.ends_on <= date(2031, 12, 31))
    ):
        per[emp_id] = per.get(emp_id, 0) + jp
    active = db.execute(select(Employee.id, Employee.nip).where(Employee.is_active.is_(True))).all()
    expected = {nip: per.get(eid, 0) for eid, nip in active if per.get(eid, 0) < 20}
    assert {r[0]: int(r[4]) for r in rows[1:]} == expected
    jps = [int(r[4]) for r in rows[1:]]
    assert jps == sorted(jps)
    assert all(int(r[5]) == 20 - int(r[4]) for r in rows[1:])


# --------------------------------------------------------------------------- streaming at scale


def _seed_raw_rows(db, n: int) -> tuple[int, int]:
    """n responses of an attributed questionnaire (two questions), bulk-inserted with Core."""
    qid = make_questionnaire(
        db,
        (("A", "materi", "likert5", "Materi jelas.", True, {}), ("B", "lainnya", "text", "Saran?", False, {"max_length": 500})),
        anonymous=False,
    )
    t = Training(code="LAP-BESAR", title="Pelatihan besar", kind="pelatihan", mode="klasikal", starts_on=date(2031, 1, 5), ends_on=date(2031, 1, 6), jp=2, reaction_questionnaire_id=qid)
    db.add(t)
    db.commit()
    qs = db.execute(select(Question.id, Question.kind).where(Question.questionnaire_id == qid).order_by(Question.position)).all()
    people = db.execute(select(Employee.id).order_by(Employee.id)).scalars().all()
    now = datetime(2031, 1, 7, 3, 0, tzinfo=UTC)
    rng = random.Random(5)
    batch = 5000
    for start in range(0, n, batch):
        responses, answers = [], []
        for i in range(start, min(n, start + batch)):
            rid = f"{rng.getrandbits(128):032x}"
            responses.append({"id": rid, "training_id": t.id, "questionnaire_id": qid, "respondent_id": people[i % len(people)], "invitation_id": None, "submitted_at": now})
            answers.append({"response_id": rid, "question_id": qs[0][0], "value_num": rng.randint(1, 5), "value_before": None, "value_text": None})
            answers.append({"response_id": rid, "question_id": qs[1][0], "value_num": None, "value_before": None, "value_text": f"Komentar panjang nomor {i} tentang materi, narasumber dan ruang kelas pelatihan."})
        db.execute(insert(SurveyResponse.__table__), responses)
        db.execute(insert(Answer.__table__), answers)
    db.commit()
    return t.id, qid


def _asgi_get(app, path: str, query: str, cookie: str) -> dict[str, Any]:
    """Call the ASGI app directly and count the body messages without keeping them (the test client
    would buffer the whole body)."""
    out: dict[str, Any] = {"chunks": 0, "bytes": 0, "status": None, "headers": {}, "head": b""}

    async def run() -> None:
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
            "headers": [(b"host", b"testserver.local"), (b"cookie", cookie.encode())],
            "client": ("127.0.0.1", 50000), "server": ("testserver.local", 80), "state": {},
        }

        sent_request = False
        done = anyio.Event()

        async def receive() -> dict:
            nonlocal sent_request
            if not sent_request:
                sent_request = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await done.wait()  # like a server: the client disconnects only after the response
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            if message["type"] == "http.response.start":
                out["status"] = message["status"]
                out["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
            elif message["type"] == "http.response.body":
                body = message.get("body", b"")
                if body:
                    out["chunks"] += 1
                    out["bytes"] += len(body)
                    if len(out["head"]) < 2000:
                        out["head"] += body[:2000]
                if not message.get("more_body", False):
                    done.set()

        await app(scope, receive, send)

    # In a thread of its own: the session's Playwright (sync API) keeps an event loop registered on
    # the main thread, where a second loop cannot start.
    errors: list[BaseException] = []

    def target() -> None:
        try:
            anyio.run(run)
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread, re-raised there
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return out


def test_a_50000_row_export_streams_in_chunks_with_bounded_memory(app, client, db, frozen):
    training_id, _qid = _seed_raw_rows(db, 50_000)
    login(client, DEMO["hr"])
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    tracemalloc.start()
    try:
        result = _asgi_get(app, f"/laporan/pelatihan/{training_id}/jawaban/csv", "", cookie)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result["status"] == 200, result
    assert "content-length" not in result["headers"]  # a stream, not a body built in memory
    lines = result["head"].decode("utf-8-sig").splitlines()
    assert lines[0].startswith("ID tanggapan,NIP,Nama,Unit kerja")
    # 50,000 rows + header, yielded every 500 rows
    assert result["chunks"] >= 50_000 // 500
    assert result["bytes"] > 8_000_000
    # flat memory: a few batches of rows in flight, never the export (12 MB here)
    assert peak < 6_000_000 and peak < result["bytes"] / 2, (peak, result["bytes"])
    # the same through the test client: every row is there
    rows = read_csv(client.get(f"/laporan/pelatihan/{training_id}/jawaban/csv"))
    assert len(rows) == 50_001
    assert len({r[0] for r in rows[1:]}) == 50_000
    assert all(r[-1].startswith("Komentar panjang nomor") for r in rows[1:100])


@pytest.mark.parametrize("fmt", ["xlsx"])
def test_xlsx_export_of_a_report_opens_and_keeps_numbers_numeric(client, db, scenario, tmp_path, fmt):
    hr(client)
    rows = read_xlsx(client.get(f"/laporan/ekspor/{fmt}?{H1}"), tmp_path)
    header = rows[0]
    assert header[:3] == ["Kode", "Pelatihan", "Jenis"]
    by_code = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert isinstance(by_code["LAP-T1"]["Indeks kepuasan (0–100)"], (int, float))
    assert by_code["LAP-T2"]["Indeks kepuasan (0–100)"] == HIDDEN_TEXT
    units = reports.unit_options(db)
    d = reports.dashboard(db, reports.parse_filters({"periode": "rentang", "dari": "2031-01-01", "sampai": "2031-06-30"}, TODAY, units), TODAY, 5, with_participants=True)
    t1 = next(t for t in d.trainings if t.code == "LAP-T1")
    assert by_code["LAP-T1"]["Indeks kepuasan (0–100)"] == pytest.approx(round(t1.index, 1))
    assert by_code["LAP-T1"]["Peserta"] == t1.participants


# --------------------------------------------------------------------------- raw rows written as CSV by the database


ODD_TEXTS = [
    "=SUM(A1)", "+62 812", "-1+2", "@user", "\tindent", "\rstart", "biasa saja", "koma, di tengah", 'kutip "ganda"',
    "baris\nbaru", "baris\r\nwindows", "", "'sudah apostrof", "ünïcödé – ok…", "  spasi  ", "-5", "12", '"', ",", "=", "x\x01y",
]


def _odd_questionnaire(db, *, reversed_positions: bool, plain_labels: bool = True) -> list[Question]:
    """Every kind, labels that a spreadsheet would run or that hold commas and quotes, a multi-choice
    question with more options than `report_training.MULTI_LISTED` (plain labels, or one that needs
    quoting), retrospective items; positions in id order or reversed (column order is position order)."""
    qn = Questionnaire(title="Uji CSV mentah", purpose="reaction", anonymous=False, locked=True)
    db.add(qn)
    db.flush()
    specs = [
        ("likert5", None, True),
        ("scale0_10", None, False),
        ("single", ["=Tatap muka", "Daring, penuh", 'Cam"puran'], False),
        ("multi", ["Teori", "+Praktik", "Diskusi, kelompok", 'Studi "kasus"'], False),
        ("multi", [f"Pilihan {i}" for i in range(9)] + (["Pilihan 9"] if plain_labels else ["Lainnya, sebutkan"]), False),
        ("single", [], False),
        ("text", None, False),
        ("likert5", None, True),
    ]
    out = []
    for i, (kind, options, retro) in enumerate(specs):
        q = Question(
            questionnaire_id=qn.id, section="Bagian", position=len(specs) - i if reversed_positions else i + 1,
            text=f"Butir {i}: {kind}, \"uji\"", kind=kind, required=False, options=None if options is None else json.dumps(options),
            dimension="materi" if kind == "likert5" else "lainnya", retrospective=retro,
        )
        db.add(q)
        out.append(q)
    db.flush()
    return out


def _usual_value(rng: random.Random, q: Question) -> tuple[Any, Any, Any]:
    """(value_num, value_before, value_text) as the survey engine stores an answer."""
    opts = json.loads(q.options) if q.options else []
    if q.kind in ("likert5", "scale0_10"):
        return rng.randint(1, 5), (rng.randint(1, 5) if q.retrospective else None), None
    if q.kind == "single":
        return rng.randrange(max(1, len(opts))), None, None
    if q.kind == "multi":
        return None, None, ",".join(map(str, sorted(rng.sample(range(len(opts)), rng.randint(1, min(4, len(opts)))))))
    return None, None, rng.choice(ODD_TEXTS)


def _odd_value(rng: random.Random, q: Question) -> tuple[Any, Any, Any] | None:
    """Not answered, or stored as the survey engine would not, now and then."""
    roll = rng.random()
    if roll < 0.15:
        return None
    if roll < 0.35:
        return rng.choice(
            [(-3, None, None), (7, -1, None), (None, None, rng.choice(ODD_TEXTS)), (2, 4, "teks juga"), (None, None, None), (None, 3, None)]
        )
    if q.kind == "multi" and roll < 0.6:
        return None, None, rng.choice(["2,0", "0,0", "9", "1,x", "", "0,1,12", "3,", ",1", "0, 1", "=1"])
    return _usual_value(rng, q)


def test_raw_csv_written_by_the_database_matches_the_rows_written_by_python(engine, db, monkeypatch):
    """The CSV of the raw rows comes from SQL-written cells (fast path: a response that answered every
    question, in column order) or from Python (any other response); both must be byte for byte what
    csv_chunks writes from the Python rows that the XLSX export uses."""
    from portal.services import exports, report_training

    rng = random.Random(11)
    people = db.execute(select(Employee.id).order_by(Employee.id)).scalars().all()
    for reversed_positions, plain_labels in ((False, True), (True, True), (False, False)):
        questions = _odd_questionnaire(db, reversed_positions=reversed_positions, plain_labels=plain_labels)
        qn_id = questions[0].questionnaire_id
        other = _odd_questionnaire(db, reversed_positions=False)  # answers to another questionnaire's question
        trainings = []
        for k in range(2):
            t = Training(code=f"=CSV-{int(reversed_positions)}{int(plain_labels)}{k}", title=f"Pelatihan, \"uji\" {k}", kind="pelatihan",
                         mode="klasikal", starts_on=date(2031, 3, 1), ends_on=date(2031, 3, 2), jp=2, reaction_questionnaire_id=qn_id)
            db.add(t)
            trainings.append(t)
        db.flush()
        responses, answers = [], []
        for i in range(240):
            rid = f"{rng.getrandbits(128):032x}"
            respondent = None if i % 37 == 0 else people[i % len(people)]
            when = None if i % 41 == 0 else datetime(2031, 3, 3, rng.randrange(24), rng.randrange(60), rng.randrange(60), tzinfo=UTC)
            responses.append({"id": rid, "training_id": trainings[i % 2].id, "questionnaire_id": qn_id, "respondent_id": respondent,
                              "invitation_id": None, "submitted_at": when})
            usual = i % 3 != 0  # every question answered as the survey engine stores it (the fast path)
            for q in questions:
                if i % 53 == 0:
                    break  # a response without any answer
                value = _usual_value(rng, q) if usual else _odd_value(rng, q)
                if value is not None:
                    num, before, text = value
                    answers.append({"response_id": rid, "question_id": q.id, "value_num": num, "value_before": before, "value_text": text})
            if i % 29 == 0:
                answers.append({"response_id": rid, "question_id": other[0].id, "value_num": 4, "value_before": 1, "value_text": None})
        db.execute(insert(SurveyResponse.__table__), responses)
        db.execute(insert(Answer.__table__), answers)
        db.commit()
        qs = report_training.raw_export_questions(db, qn_id)
        units = reports.unit_options(db)
        period = reports.parse_filters({"periode": "rentang", "dari": "2031-01-01", "sampai": "2031-12-31"}, date(2031, 6, 1), units)
        for kwargs in ({"training_id": trainings[0].id}, {"filters": period, "today": date(2031, 6, 1)}):
            headers, rows = report_training.raw_export(engine, qs, qn_id, **kwargs)
            parsed: list[int] = []  # the rows that took the general path (Python parses the SQL-written cells)
            monkeypatch.setattr(report_training.csv, "reader", lambda lines, _r=csv.reader, _p=parsed: _p.append(1) or _r(lines))
            from_sql = b"".join(exports.csv_chunks(headers, rows))
            monkeypatch.undo()
            from_python = b"".join(exports.csv_chunks(headers, iter(rows)))  # a plain iterator: the rows in Python
            n = 120 if "training_id" in kwargs else 240
            assert len(list(csv.reader(io.StringIO(from_sql.decode("utf-8-sig"))))) == n + 1
            first_diff = next(((x, y) for x, y in zip(from_sql.split(b"\r\n"), from_python.split(b"\r\n"), strict=False) if x != y), None)
            assert from_sql == from_python, (reversed_positions, plain_labels, kwargs, first_diff)
            # column order = question id order: the usual responses took the fast path; else none did
            fast = not reversed_positions and plain_labels
            assert (len(parsed) < n * 0.5) if fast else (len(parsed) > n * 0.9), len(parsed)
        # the same rows from the answer cells stored per response (as submit writes them): the filler
        # writes them for these bulk-loaded responses, odd ones included
        assert report_training.fill_csv_answers(engine, qn_id) == 240
        for kwargs in ({"training_id": trainings[0].id}, {"filters": period, "today": date(2031, 6, 1)}):
            headers, rows = report_training.raw_export(engine, qs, qn_id, **kwargs)
            from_cells = b"".join(exports.csv_chunks(headers, rows))
            from_python = b"".join(exports.csv_chunks(headers, iter(rows)))
            first_diff = next(((x, y) for x, y in zip(from_cells.split(b"\r\n"), from_python.split(b"\r\n"), strict=False) if x != y), None)
            assert from_cells == from_python, (reversed_positions, plain_labels, kwargs, first_diff)


# --------------------------------------------------------------------------- answer cells written at submit

ODD_SPEC = (
    ("Materi", "materi", "likert5", "Materi jelas.", True, {"retrospective": True}),
    ("Rekomendasi", "lainnya", "scale0_10", "Rekomendasi?", True, {}),
    ("Lain", "lainnya", "single", "Cara ikut?", True, {"options": ["=Tatap muka", "Daring, penuh", 'Cam"puran']}),
    ("Lain", "lainnya", "multi", "Bagian berguna?", False, {"options": ["Teori", "+Praktik", "Diskusi, kelompok", 'Studi "kasus"']}),
    ("Lain", "lainnya", "multi", "Banyak pilihan?", False, {"options": [f"Pilihan {i}" for i in range(11)]}),
    ("Lain", "lainnya", "text", "Saran?", False, {"max_length": 500}),
    ("Relevansi", "relevansi", "likert5", "Relevan?", False, {}),
)


def _csv_export(client, training_id: int) -> bytes:
    resp = client.get(f"/laporan/pelatihan/{training_id}/jawaban/csv")
    assert resp.status_code == 200, resp.text[:300]
    return resp.content


def test_submit_writes_each_responses_export_cells_and_the_export_reads_them(client, db, engine, frozen):
    """Attributed: submit stores the response's answer cells as CSV; the export written from them is
    byte for byte the export computed from the answers (cells NULL again: the database writes them),
    and `fill_csv_answers` writes back exactly what submit wrote. Anonymous: never any."""
    from portal.services import report_training

    hr(client)
    nips = DISDUKCAPIL[:7]
    b = build_training(db, "LAP-SEL", date(2031, 2, 10), nips, anonymous=False, spec=ODD_SPEC)
    rng = random.Random(8)
    texts = [*DANGEROUS, "baris\r\nbaru, \"kutip\""]
    for k, nip in enumerate(nips):
        skip = {q.id for q in b.structure.questions if not q.required and k % 3 == 0}  # optional ones left out now and then
        data = random_answers(rng, b.structure, skip=skip, texts=[texts[k]])
        data.update({f"q{q.id}_sebelum": str(rng.randint(1, 5)) for q in b.structure.questions if q.retrospective})
        submit(db, b, nip, data)
    stored = dict(db.execute(select(SurveyResponse.id, SurveyResponse.csv_answers).where(SurveyResponse.training_id == b.training_id)).all())
    assert len(stored) == 7 and all(v for v in stored.values())
    from_cells = _csv_export(client, b.training_id)

    db.execute(update(SurveyResponse).where(SurveyResponse.training_id == b.training_id).values(csv_answers=None))
    db.commit()
    from_answers = _csv_export(client, b.training_id)
    assert from_cells == from_answers
    rows = list(csv.reader(io.StringIO(from_cells.decode("utf-8-sig"))))
    text_col = rows[0].index(next(h for h in rows[0] if h.endswith("Saran?")))
    assert sorted(r[text_col] for r in rows[1:] if r[text_col]) == sorted(
        ("'" + v) if v.startswith(("=", "+", "-", "@")) else v for v in texts if texts.index(v) % 3
    )
    single_col = rows[0].index(next(h for h in rows[0] if h.endswith("Cara ikut?")))
    assert {r[single_col] for r in rows[1:]} <= {"'=Tatap muka", "Daring, penuh", 'Cam"puran'}

    assert report_training.fill_csv_answers(engine) == 7
    db.expire_all()
    refilled = dict(db.execute(select(SurveyResponse.id, SurveyResponse.csv_answers).where(SurveyResponse.training_id == b.training_id)).all())
    assert refilled == stored
    assert report_training.fill_csv_answers(engine) == 0

    # the export reads the stored cells (not the answers) when every response has them
    rid = min(stored)
    db.execute(update(SurveyResponse).where(SurveyResponse.id == rid).values(csv_answers="X,Y"))
    db.commit()
    line = next(r for r in csv.reader(io.StringIO(_csv_export(client, b.training_id).decode("utf-8-sig"))) if r[0] == rid)
    assert line[7:] == ["X", "Y"]

    # anonymous responses never get any, and the filler leaves them alone
    a = build_training(db, "LAP-ANON", date(2031, 2, 10), DISKOMINFO[:5], anonymous=True, spec=ODD_SPEC)
    for nip in DISKOMINFO[:5]:
        data = random_answers(rng, a.structure, texts=["rahasia"])
        data.update({f"q{q.id}_sebelum": "2" for q in a.structure.questions if q.retrospective})
        submit(db, a, nip, data)
    assert report_training.fill_csv_answers(engine) == 0
    anon = db.execute(select(SurveyResponse.csv_answers).where(SurveyResponse.training_id == a.training_id)).scalars().all()
    assert anon == [None] * 5


def test_migration_adds_the_cells_column_without_touching_responses(client, db, db_url, frozen):
    """Down one revision (the column goes, responses and answers stay), then up: the responses have no
    stored cells, the export computes the same bytes from the answers, and the filler stores them."""
    from sqlalchemy import create_engine, func, inspect

    from portal.cli import downgrade_database, upgrade_database
    from portal.services import report_training
    from tests import rig

    hr(client)
    b = build_training(db, "LAP-MIG", date(2031, 2, 10), DISDUKCAPIL[:5], anonymous=False)
    rng = random.Random(4)
    for nip in DISDUKCAPIL[:5]:
        submit(db, b, nip, random_answers(rng, b.structure, texts=["=1+1"]))
    before = _csv_export(client, b.training_id)
    counts = db.execute(select(func.count()).select_from(SurveyResponse)).scalar_one(), db.execute(select(func.count()).select_from(Answer)).scalar_one()
    db.close()
    downgrade_database(rig.test_settings(db_url), "3c1f0a9d2b7e")
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            assert "csv_answers" not in {c["name"] for c in inspect(conn).get_columns("surveyresponse")}
            assert (conn.exec_driver_sql("SELECT count(*) FROM surveyresponse").scalar_one(), conn.exec_driver_sql("SELECT count(*) FROM answer").scalar_one()) == counts
    finally:
        engine.dispose()
    upgrade_database(rig.test_settings(db_url))
    assert db.execute(select(func.count()).where(SurveyResponse.csv_answers.is_not(None))).scalar_one() == 0
    assert _csv_export(client, b.training_id) == before
    assert report_training.fill_csv_answers(client.app.state.engine) == 5
    assert db.execute(select(func.count()).where(SurveyResponse.csv_answers.is_not(None))).scalar_one() == 5
    assert _csv_export(client, b.training_id) == before
