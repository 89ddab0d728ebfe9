"""The audit log viewer (/admin/audit, SQLite and PostgreSQL): administrators only (HR refused), filters by
who, what, subject and period, pages of PER_PAGE newest first, the CSV export of what the filters select
(itself audited), unknown actions shown by their code, failed logins audited, and no route of the app
that changes or deletes an event (the log is append-only in the application)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from litestar.routes import HTTPRoute
from sqlalchemy import select

from portal.app import create_app
from portal.models import AuditEvent, Employee
from portal.services.privacy import audit_log
from tests import rig
from tests.conftest import DEMO, login, text_of
from tests.rig import QueryCounter

BULK = "uji.massal"  # an action no area writes: shown by its code


def person(db, nip: str) -> Employee:
    return db.execute(select(Employee).where(Employee.nip == nip)).scalar_one()


def seed(db) -> dict[str, Employee]:
    """Known events: 120 bulk ones by HR about the employee (one a day back from 2026-06-30), one export
    by the supervisor on 2025-01-15, one system event."""
    hr, emp, sup = person(db, DEMO["hr"]), person(db, DEMO["employee"]), person(db, DEMO["supervisor"])
    start = datetime(2026, 6, 30, 5, 0, tzinfo=UTC)
    for i in range(120):
        db.add(AuditEvent(at=start - timedelta(days=i), actor_id=hr.id, action=BULK, target=f"employee:{emp.id}", detail=f"nomor {i}"))
    db.add(AuditEvent(at=datetime(2025, 1, 15, 3, 0, tzinfo=UTC), actor_id=sup.id, action="report.export", target="jp", detail="format=csv"))
    db.add(AuditEvent(at=datetime(2025, 1, 16, 3, 0, tzinfo=UTC), actor_id=None, action="import.apply", target="import:1", detail="<script>x</script>"))
    db.commit()
    return {"hr": hr, "employee": emp, "supervisor": sup}


def test_only_administrators_open_the_viewer_and_its_export(client):
    for role in ("employee", "supervisor", "hr"):
        login(client, DEMO[role])
        for url in ("/admin/audit", "/admin/audit/ekspor"):
            resp = client.get(url)
            assert resp.status_code == 403 and "Akses ditolak" in text_of(resp.text), (role, url)
    login(client, DEMO["admin"])
    assert client.get("/admin/audit").status_code == 200


def test_filters_pages_and_labels(client, db):
    people = seed(db)
    login(client, DEMO["admin"])
    page1 = client.get(f"/admin/audit?aksi={BULK}")
    assert page1.status_code == 200
    assert page1.text.count('<p class="record-title">') == audit_log.PER_PAGE
    assert "nomor 0" in page1.text and "nomor 49" in page1.text and "nomor 50" not in page1.text
    assert 'rel="next"' in page1.text and 'rel="prev"' not in page1.text
    assert f'<p class="record-title">{BULK}</p>' in page1.text, "an unknown action is shown by its code"
    page3 = client.get(f"/admin/audit?aksi={BULK}&hal=3")
    assert page3.text.count('<p class="record-title">') == 20 and 'rel="next"' not in page3.text and "nomor 119" in page3.text

    who = client.get(f"/admin/audit?siapa={DEMO['supervisor']}")
    assert "Mengekspor laporan" in who.text and BULK not in who.text
    by_name = client.get("/admin/audit", params={"siapa": people["supervisor"].name.split()[0].lower()})
    assert "Mengekspor laporan" in by_name.text
    subject = client.get(f"/admin/audit?subjek={DEMO['employee']}&aksi={BULK}&dari=2026-06-01&sampai=2026-06-10")
    assert subject.text.count('<p class="record-title">') == 10 and people["employee"].name in subject.text
    assert "nomor 20" in subject.text and "nomor 29" in subject.text and "nomor 19" not in subject.text
    assert "Tidak ada catatan yang cocok" in client.get(f"/admin/audit?subjek={DEMO['supervisor']}&aksi={BULK}").text
    nobody = client.get("/admin/audit?siapa=zzzz-tidak-ada")
    assert "Tidak ada pegawai yang cocok" in nobody.text
    system = client.get("/admin/audit?aksi=import.apply")
    assert "(sistem)" in system.text and "<script>x</script>" not in system.text and "&lt;script&gt;" in system.text

    bad = client.get("/admin/audit?dari=kemarin&sampai=2026-01-01")
    assert bad.status_code == 200 and "Tanggal awal tidak terbaca" in bad.text and 'value="kemarin"' in bad.text
    backwards = client.get("/admin/audit?dari=2026-02-01&sampai=2026-01-01")
    assert "Tanggal akhir harus sama dengan atau sesudah tanggal awal" in backwards.text


def test_a_page_runs_a_bounded_number_of_queries(client, db, engine):
    seed(db)
    login(client, DEMO["admin"])
    with QueryCounter(engine) as counter:
        assert client.get(f"/admin/audit?siapa={DEMO['hr']}&subjek={DEMO['employee']}&aksi={BULK}&hal=2").status_code == 200
    assert counter.count <= 10, counter.statements


def test_csv_export_holds_what_the_filters_select_and_is_audited(client, db, monkeypatch):
    seed(db)
    monkeypatch.setattr(audit_log, "EXPORT_BATCH", 7)  # several keyset batches
    login(client, DEMO["admin"])
    resp = client.get(f"/admin/audit/ekspor?aksi={BULK}&dari=2026-05-01")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
    assert "attachment" in resp.headers["content-disposition"]
    text = resp.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=next(d for d in ",;" if d in text.splitlines()[0])))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Waktu (Asia/Jakarta)", "NIP pelaku", "Nama pelaku", "Tindakan"]
    assert len(body) == 61  # 2026-05-01 .. 2026-06-30
    assert [r[-1] for r in body] == [f"nomor {i}" for i in range(61)], "newest first, none twice"
    assert {r[1] for r in body} == {DEMO["hr"]} and {r[5] for r in body} == {DEMO["employee"]}
    db.expire_all()
    exported = db.execute(select(AuditEvent).where(AuditEvent.action == "audit.export")).scalar_one()
    assert exported.actor_id == person(db, DEMO["admin"]).id and f"aksi={BULK}" in exported.detail
    assert "Mengekspor log audit" in client.get("/admin/audit?aksi=audit.export").text


def test_failed_logins_are_audited_and_shown(client, db):
    emp = person(db, DEMO["employee"])
    token = client.get("/login").text.split('name="_csrf_token" value="', 1)[1].split('"', 1)[0]
    resp = client.post("/login", data={"nip": DEMO["employee"], "password": "salah-sandi", "_csrf_token": token}, follow_redirects=False)
    assert resp.status_code == 401 and "salah" in text_of(resp.text).lower()
    failed = db.execute(select(AuditEvent).where(AuditEvent.action == "login.failed")).scalar_one()
    assert failed.actor_id is None and failed.target == f"employee:{emp.id}" and "salah-sandi" not in failed.detail
    login(client, DEMO["admin"])
    assert "Gagal masuk" in client.get(f"/admin/audit?subjek={DEMO['employee']}").text
    login(client, DEMO["employee"])
    history = client.get("/data-saya").text.split('id="riwayat-masuk"', 1)[1].split("</section>", 1)[0]
    assert "Gagal masuk" in history and "Masuk" in history


def test_no_route_changes_or_deletes_an_audit_event(tmp_path):
    app = create_app(rig.test_settings(f"sqlite:///{tmp_path / 'unused.db'}"))
    for route in app.routes:
        if isinstance(route, HTTPRoute) and route.path.startswith("/admin/audit"):
            methods = {m for h in route.route_handlers for m in h.http_methods} - {"HEAD", "OPTIONS"}
            assert methods == {"GET"}, f"{route.path}: {methods}"
    # nothing else deletes an event but the retention command (tests/test_retention.py)
