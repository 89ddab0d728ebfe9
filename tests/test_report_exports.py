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
    Unit,
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
    try:
        assert book.worksheets[0].title == "Keterangan"  # the first sheet states filters, period, rule, time
        return [list(row) for row in book.worksheets[1].iter_rows(values_only=True)]
    finally:
        book.close()  # a read-only workbook keeps its file open until closed


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
    # a hidden figure is an empty cell; why, is said in its own column (never across numeric columns)
    assert by_code["LAP-T2"]["Indeks kepuasan (0–100)"] == "" and by_code["LAP-T2"]["NPS"] == ""
    assert by_code["LAP-T2"]["Keterangan"] == HIDDEN_TEXT
    assert by_code["LAP-T4"]["Indeks kepuasan (0–100)"] == ""
    assert "survei dibuka sampai" in by_code["LAP-T4"]["Keterangan"].lower()
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
    values = sorted(str(r[xcol]).replace("_x000D_", "\r") for r in xrows[1:])
    assert values == sorted(DANGEROUS)  # XLSX: as typed, no apostrophe (a string cell is never a formula)
    path = tmp_path / "x.xlsx"
    wb = load_workbook(path)  # not read-only: cell types are known
    assert all(cell.data_type != "f" for ws in wb.worksheets for row in ws.iter_rows() for cell in row)
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
    assert by_code["LAP-T2"]["Indeks kepuasan (0–100)"] is None
    assert by_code["LAP-T2"]["Keterangan"] == HIDDEN_TEXT
    assert isinstance(by_code["LAP-T1"]["Selesai"], datetime)  # a date cell, not text
    units = reports.unit_options(db)
    d = reports.dashboard(db, reports.parse_filters({"periode": "rentang", "dari": "2031-01-01", "sampai": "2031-06-30"}, TODAY, units), TODAY, 5, with_participants=True)
    t1 = next(t for t in d.trainings if t.code == "LAP-T1")
    assert by_code["LAP-T1"]["Indeks kepuasan (0–100)"] == pytest.approx(round(t1.index, 1))
    assert by_code["LAP-T1"]["Peserta"] == t1.participants


# --------------------------------------------------------------------------- the raw export: one mechanism


def _pinned_dataset(db) -> dict[str, int]:
    """A small known dataset for the raw export: an attributed questionnaire whose column order is not
    its question-id order, with a retrospective item (before/after), single and multi choice (labels
    that need quoting or neutralising), free text with commas, quotes and line breaks, values stored as
    the survey engine would not store them, a response without a respondent and without a time, one
    without answers, an answer to another questionnaire's question; names, units and codes that a
    spreadsheet would run or that need quoting; and an anonymous questionnaire beside it."""
    unit = Unit(code="PIN", name='Bidang "Uji", Seksi A')
    db.add(unit)
    db.flush()
    people = [
        Employee(nip="200001012026011001", name='=Budi, "B"', unit_id=unit.id),
        Employee(nip="200001012026011002", name="Citra\nDewi", unit_id=None),
        Employee(nip="200001012026011003", name="@Eka", unit_id=unit.id),
    ]
    db.add_all(people)
    attributed = Questionnaire(title="Uji CSV tersemat", purpose="reaction", anonymous=False, locked=True)
    anonymous = Questionnaire(title="Uji anonim tersemat", purpose="reaction", anonymous=True, locked=True)
    db.add_all([attributed, anonymous])
    db.flush()
    specs = [  # (position, kind, options, retrospective, text)
        (3, "likert5", None, True, 'Materi "jelas", terstruktur?'),
        (1, "scale0_10", None, False, "Rekomendasi?"),
        (2, "single", ["=Tatap muka", "Daring, penuh", 'Cam"puran'], False, "Cara ikut?"),
        (4, "multi", ["Teori", "+Praktik", "Diskusi, kelompok", 'Studi "kasus"'], False, "Bagian berguna?"),
        (5, "text", None, False, "Saran Anda untuk penyelenggaraan pelatihan berikutnya, termasuk jadwal dan tempatnya?"),
        (6, "single", [], False, "Pilihan tanpa label?"),
    ]
    qs = []
    for position, kind, options, retro, text in specs:
        q = Question(questionnaire_id=attributed.id, section="Bagian", position=position, text=text, kind=kind, required=False,
                     options=None if options is None else json.dumps(options), dimension="materi" if kind == "likert5" else "lainnya",
                     retrospective=retro)
        db.add(q)
        qs.append(q)
    other = Question(questionnaire_id=anonymous.id, section="Bagian", position=1, text="Anonim?", kind="likert5", required=True,
                     options=None, dimension="materi", retrospective=False)
    db.add(other)
    db.flush()
    t1 = Training(code="=PIN-1", title='Pelatihan, "uji" satu', kind="pelatihan", mode="klasikal", starts_on=date(2031, 3, 1),
                  ends_on=date(2031, 3, 2), jp=2, reaction_questionnaire_id=attributed.id)
    t2 = Training(code="PIN-2", title="Pelatihan dua", kind="pelatihan", mode="klasikal", starts_on=date(2031, 4, 1),
                  ends_on=date(2031, 4, 2), jp=2, reaction_questionnaire_id=attributed.id)
    t3 = Training(code="PIN-ANON", title="Pelatihan anonim", kind="pelatihan", mode="klasikal", starts_on=date(2031, 4, 1),
                  ends_on=date(2031, 4, 2), jp=2, reaction_questionnaire_id=anonymous.id)
    db.add_all([t1, t2, t3])
    db.flush()
    a, b, c, d, e, f = (q.id for q in qs)
    emp1, emp2, emp3 = (p.id for p in people)

    def at(*parts: int) -> datetime:
        return datetime(*parts, tzinfo=UTC)

    responses = [  # (id, training, questionnaire, respondent, submitted at, {question: (num, before, text)})
        ("5f" + "0" * 30, t2.id, attributed.id, emp2, at(2031, 4, 5, 7, 0, 0), {e: (None, None, "-1+2"), d: (None, None, "x"), c: (7, None, None)}),
        ("0a" + "0" * 30, t1.id, attributed.id, emp1, at(2031, 3, 3, 8, 15, 59),
         {a: (4, 2, None), b: (9, None, None), c: (0, None, None), d: (None, None, "0,2"), e: (None, None, 'baris\nbaru, "kutip"')}),
        ("1b" + "0" * 30, t1.id, attributed.id, emp2, at(2031, 3, 3, 23, 59, 0),
         {a: (5, None, None), b: (0, None, None), c: (2, None, None), d: (None, None, "1,3"), e: (None, None, "=SUM(A1)"), f: (None, None, "teks")}),
        ("2c" + "0" * 30, t1.id, attributed.id, None, None, {b: (10, None, None), e: (None, None, "Windows\r\nbaris; @akhir")}),
        ("3d" + "0" * 30, t2.id, attributed.id, emp3, at(2031, 4, 3, 0, 0, 1), {}),
        ("4e" + "0" * 30, t2.id, attributed.id, emp1, at(2031, 4, 4, 12, 0, 0),
         {a: (1, 5, None), b: (-3, None, None), c: (None, None, "Lainnya, sebutkan"), d: (None, None, "2,0,9"), e: (None, None, "\tindent"),
          other.id: (4, None, None)}),
        ("6a" + "0" * 30, t3.id, anonymous.id, None, None, {other.id: (3, None, None)}),
        ("7b" + "0" * 30, t3.id, anonymous.id, None, None, {other.id: (5, None, None)}),
    ]
    db.execute(insert(SurveyResponse.__table__), [
        {"id": rid, "training_id": tid, "questionnaire_id": qn, "respondent_id": who, "invitation_id": None, "submitted_at": when}
        for rid, tid, qn, who, when, _answers in responses
    ])
    db.execute(insert(Answer.__table__), [
        {"response_id": rid, "question_id": q, "value_num": num, "value_before": before, "value_text": text}
        for rid, _t, _qn, _who, _when, answers in responses for q, (num, before, text) in answers.items()
    ])
    db.commit()
    return {"t1": t1.id, "t2": t2.id, "anonymous_training": t3.id, "questionnaire": attributed.id, "anonymous": anonymous.id}


# written by the export before it lost its stored CSV cells (portal 3ae4138, stored and computed cells
# alike, SQLite and PostgreSQL): the bytes must not change
PINNED_TRAINING_CSV = (
    "\ufeff"
    'ID tanggapan,NIP,Nama,Unit kerja,Kode pelatihan,Pelatihan,Waktu kirim (UTC),P1. Rekomendasi?,P2. Cara ikut?,"P3. Materi ""jelas"", terstruktur?",P3. sebelum,P4. Bagian berguna?,"P5. Saran Anda untuk penyelenggaraan pelatihan berikutnya, term…",P6. Pilihan tanpa label?\r\n'
    '0a000000000000000000000000000000,200001012026011001,"\'=Budi, ""B""","Bidang ""Uji"", Seksi A",\'=PIN-1,"Pelatihan, ""uji"" satu",2031-03-03 08:15,9,\'=Tatap muka,4,2,"Teori; Diskusi, kelompok","baris\nbaru, ""kutip""",\r\n'
    '1b000000000000000000000000000000,200001012026011002,"Citra\nDewi",,\'=PIN-1,"Pelatihan, ""uji"" satu",2031-03-03 23:59,0,"Cam""puran",5,,"\'+Praktik; Studi ""kasus""",\'=SUM(A1),teks\r\n'
    '2c000000000000000000000000000000,,,,\'=PIN-1,"Pelatihan, ""uji"" satu",,10,,,,,"Windows\r\nbaris; @akhir",\r\n'
)
PINNED_PERIOD_CSV = PINNED_TRAINING_CSV + (
    '3d000000000000000000000000000000,200001012026011003,\'@Eka,"Bidang ""Uji"", Seksi A",PIN-2,Pelatihan dua,2031-04-03 00:00,,,,,,,\r\n'
    '4e000000000000000000000000000000,200001012026011001,"\'=Budi, ""B""","Bidang ""Uji"", Seksi A",PIN-2,Pelatihan dua,2031-04-04 12:00,-3,"Lainnya, sebutkan",1,5,"Diskusi, kelompok; Teori; 9",\'\tindent,\r\n'
    '5f000000000000000000000000000000,200001012026011002,"Citra\nDewi",,PIN-2,Pelatihan dua,2031-04-05 07:00,,7,,,,\'-1+2,\r\n'
)


def test_raw_export_is_pinned_byte_for_byte(client, db, frozen, tmp_path):
    """Attributed: the CSV of a known dataset, byte for byte (BOM, headers, quoting, neutralised cells,
    option labels, before/after columns, a response without respondent or time, one without answers),
    for one training and for a period; the XLSX has the same cells. Anonymous: refused, both ways."""
    hr(client)
    ids = _pinned_dataset(db)
    urls = {
        f"/laporan/pelatihan/{ids['t1']}/jawaban/{{fmt}}": PINNED_TRAINING_CSV,
        f"/laporan/jawaban/{{fmt}}?kuesioner={ids['questionnaire']}&periode=rentang&dari=2031-01-01&sampai=2031-06-30": PINNED_PERIOD_CSV,
    }
    for url, expected in urls.items():
        resp = client.get(url.format(fmt="csv"))
        assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
        assert resp.content == expected.encode("utf-8"), url
        cells = list(csv.reader(io.StringIO(expected[1:])))
        xlsx = read_xlsx(client.get(url.format(fmt="xlsx")), tmp_path)
        # (a carriage return is stored as the escape "_x000D_", which Excel reads back and openpyxl does not)
        assert [[_as_csv(v) for v in row] for row in xlsx] == cells, url
    # a unit filter keeps its staff's responses only (the respondent-less one goes too)
    unit = db.execute(select(Employee.unit_id).where(Employee.nip == "200001012026011001")).scalar_one()
    resp = client.get(f"/laporan/jawaban/csv?kuesioner={ids['questionnaire']}&periode=2031&unit={unit}")
    assert [r[0][:2] for r in read_csv(resp)[1:]] == ["0a", "3d", "4e"]
    # anonymous: the responses carry no respondent, and no raw export exists for them
    anonymous = db.execute(select(SurveyResponse.respondent_id).where(SurveyResponse.training_id == ids["anonymous_training"])).scalars().all()
    assert anonymous == [None, None]
    for url in (f"/laporan/pelatihan/{ids['anonymous_training']}/jawaban/{{fmt}}", f"/laporan/jawaban/{{fmt}}?kuesioner={ids['anonymous']}&periode=2031"):
        for fmt in ("csv", "xlsx"):
            assert client.get(url.format(fmt=fmt)).status_code == 403


def _as_csv(value: Any) -> str:
    """An XLSX cell as the CSV writes it (the CSV's formula guard, ISO date and time to the minute)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str):
        value = value.replace("_x000D_", "\r")
        return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) and value != "-" else value
    return str(value)


ODD_TEXTS = [
    "=SUM(A1)", "+62 812", "-1+2", "@user", "\tindent", "\rstart", "biasa saja", "koma, di tengah", 'kutip "ganda"',
    "baris\nbaru", "baris\r\nwindows", "", "'sudah apostrof", "ünïcödé – ok…", "  spasi  ", "-5", "12", '"', ",", "=", "x\x01y",
]


def _odd_questionnaire(db, *, reversed_positions: bool, plain_labels: bool = True) -> list[Question]:
    """Every kind, labels that a spreadsheet would run or that hold commas and quotes, a multi-choice
    question with ten options (plain labels, or one that needs quoting), retrospective items; positions
    in id order or reversed (column order is position order)."""
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


def test_raw_export_of_usual_and_odd_responses_takes_the_same_rules(engine, db, monkeypatch):
    """A response that answered every question (the usual case) is put in its columns by a fixed pick;
    any other response answer by answer. Both must write the same bytes, whatever the column order,
    the labels or the values stored."""
    from portal.services.reports import exports
    from portal.services.reports.raw_export import AnswerLayout

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
            usual = i % 3 != 0  # every question answered as the survey engine stores it
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
        qs = reports.load_questions(db, qn_id)
        units = reports.unit_options(db)
        period = reports.parse_filters({"periode": "rentang", "dari": "2031-01-01", "sampai": "2031-12-31"}, date(2031, 6, 1), units)
        for kwargs in ({"training_id": trainings[0].id}, {"filters": period, "today": date(2031, 6, 1)}):
            general: list[int] = []  # the responses put in their columns answer by answer
            values = AnswerLayout.values
            monkeypatch.setattr(AnswerLayout, "values", lambda self, *a, _v=values, _g=general: _g.append(1) or _v(self, *a))
            headers, rows = reports.raw_export(engine, qs, qn_id, **kwargs)
            usual_way = b"".join(exports.csv_chunks(headers, rows))
            answered_one_by_one = len(general)
            monkeypatch.setattr(AnswerLayout, "unfold", _answer_by_answer)
            headers, rows = reports.raw_export(engine, qs, qn_id, **kwargs)
            every_answer = b"".join(exports.csv_chunks(headers, rows))
            monkeypatch.undo()
            n = 120 if "training_id" in kwargs else 240
            assert len(list(csv.reader(io.StringIO(usual_way.decode("utf-8-sig"))))) == n + 1
            first_diff = next(((x, y) for x, y in zip(usual_way.split(b"\r\n"), every_answer.split(b"\r\n"), strict=False) if x != y), None)
            assert usual_way == every_answer, (reversed_positions, plain_labels, kwargs, first_diff)
            # two thirds answered everything as the engine stores it: they took the fixed pick
            assert answered_one_by_one < n * 0.5, answered_one_by_one


def _answer_by_answer(self, question_ids: str, answers: str, befores: str | None) -> list[Any]:
    """`AnswerLayout.unfold` without its usual-response shortcut."""
    merged = json.loads(answers)
    before_values = json.loads(befores) if befores is not None else [None] * len(merged)
    return self.label(self.values(json.loads(question_ids), merged, before_values))


# --------------------------------------------------------------------------- submitted through the survey engine

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


def test_responses_submitted_through_the_survey_engine_are_exported_from_their_answers(client, db, frozen):
    """Attributed responses submitted the usual way (optional questions left out now and then, before
    values): the export writes every cell from the answers; nothing is stored per response for it."""
    from sqlalchemy import inspect

    hr(client)
    assert "csv_answers" not in {c["name"] for c in inspect(db.connection()).get_columns("surveyresponse")}
    nips = DISDUKCAPIL[:7]
    b = build_training(db, "LAP-SEL", date(2031, 2, 10), nips, anonymous=False, spec=ODD_SPEC)
    rng = random.Random(8)
    texts = [*DANGEROUS, "baris\r\nbaru, \"kutip\""]
    for k, nip in enumerate(nips):
        skip = {q.id for q in b.structure.questions if not q.required and k % 3 == 0}  # optional ones left out now and then
        data = random_answers(rng, b.structure, skip=skip, texts=[texts[k]])
        data.update({f"q{q.id}_sebelum": str(rng.randint(1, 5)) for q in b.structure.questions if q.retrospective})
        submit(db, b, nip, data)
    rows = list(csv.reader(io.StringIO(_csv_export(client, b.training_id).decode("utf-8-sig"))))
    assert len(rows) == 8
    text_col = rows[0].index(next(h for h in rows[0] if h.endswith("Saran?")))
    assert sorted(r[text_col] for r in rows[1:] if r[text_col]) == sorted(
        ("'" + v) if v.startswith(("=", "+", "-", "@")) else v for v in texts if texts.index(v) % 3
    )
    single_col = rows[0].index(next(h for h in rows[0] if h.endswith("Cara ikut?")))
    assert {r[single_col] for r in rows[1:]} <= {"'=Tatap muka", "Daring, penuh", 'Cam"puran'}
    before_col = rows[0].index(next(h for h in rows[0] if h.endswith("sebelum")))
    assert all(r[before_col] in {"1", "2", "3", "4", "5"} for r in rows[1:])
    many_col = rows[0].index(next(h for h in rows[0] if h.endswith("Banyak pilihan?")))
    assert all(all(p.startswith("Pilihan ") for p in r[many_col].split("; ")) for r in rows[1:] if r[many_col])


def test_migration_drops_the_stored_cells_without_touching_responses(client, db, db_url, frozen):
    """Down one revision (the column comes back, empty), then up (it goes): responses and answers stay,
    and the export writes the same bytes at every step."""
    from sqlalchemy import create_engine, func, inspect

    from portal.cli import downgrade_database, upgrade_database
    from tests import rig

    hr(client)
    b = build_training(db, "LAP-MIG", date(2031, 2, 10), DISDUKCAPIL[:5], anonymous=False)
    rng = random.Random(4)
    for nip in DISDUKCAPIL[:5]:
        submit(db, b, nip, random_answers(rng, b.structure, texts=["=1+1"]))
    before = _csv_export(client, b.training_id)
    counts = db.execute(select(func.count()).select_from(SurveyResponse)).scalar_one(), db.execute(select(func.count()).select_from(Answer)).scalar_one()
    db.close()

    def columns_and_counts() -> tuple[set[str], tuple[int, int]]:
        engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
        try:
            with engine.connect() as conn:
                names = {c["name"] for c in inspect(conn).get_columns("surveyresponse")}
                cells = conn.exec_driver_sql("SELECT count(*) FROM surveyresponse").scalar_one(), conn.exec_driver_sql("SELECT count(*) FROM answer").scalar_one()
                if "csv_answers" in names:
                    assert conn.exec_driver_sql("SELECT count(*) FROM surveyresponse WHERE csv_answers IS NOT NULL").scalar_one() == 0
                return names, cells
        finally:
            engine.dispose()

    downgrade_database(rig.test_settings(db_url), "d5a3c8e1f4b6")
    names, cells = columns_and_counts()
    assert "csv_answers" in names and cells == counts
    upgrade_database(rig.test_settings(db_url))
    names, cells = columns_and_counts()
    assert "csv_answers" not in names and cells == counts
    assert _csv_export(client, b.training_id) == before
