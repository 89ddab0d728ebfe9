"""`portal retention apply` (SQLite and PostgreSQL): a dry run counts what is past its retention period and
changes nothing; --apply deletes exactly that (old audit events, ended sessions, old failed logins,
correction requests handled long ago) and keeps everything else; a period of 0 keeps data forever."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import select

from portal.cli import main
from portal.models import (
    AuditEvent,
    CorrectionRequest,
    Employee,
    LoginFailure,
    UserSession,
    utcnow,
)
from tests.conftest import DEMO


def ids(db, table) -> set:
    db.expire_all()
    return set(db.execute(select(table.id)).scalars())


def run(args: list[str]) -> str:
    result = CliRunner().invoke(main, ["retention", "apply", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_dry_run_changes_nothing_and_apply_removes_exactly_what_is_past_its_period(db, db_url, monkeypatch):
    monkeypatch.setenv("PORTAL_DATABASE_URL", db_url)
    monkeypatch.setenv("PORTAL_ENV", "test")
    monkeypatch.setenv("PORTAL_AUDIT_RETENTION_DAYS", "365")
    monkeypatch.setenv("PORTAL_CORRECTION_RETENTION_DAYS", "180")
    now = utcnow()
    emp = db.execute(select(Employee.id).where(Employee.nip == DEMO["employee"])).scalar_one()
    db.add_all([
        AuditEvent(at=now - timedelta(days=400), actor_id=emp, action="login", target=f"employee:{emp}", detail="lama"),
        AuditEvent(at=now - timedelta(days=366), actor_id=None, action="login.failed", target=f"employee:{emp}", detail="lama"),
        AuditEvent(at=now - timedelta(days=300), actor_id=emp, action="login", target=f"employee:{emp}", detail="baru"),
        LoginFailure(nip=DEMO["employee"], ip="10.0.0.1", at=now - timedelta(days=45)),
        LoginFailure(nip=DEMO["employee"], ip="10.0.0.1", at=now - timedelta(days=2)),
        LoginFailure(nip=DEMO["employee"], ip="10.0.0.1", at=now - timedelta(minutes=1)),  # still counted by the lock
        UserSession(id="a" * 64, employee_id=emp, created_at=now - timedelta(days=3), last_seen_at=now - timedelta(days=3)),
        UserSession(id="b" * 64, employee_id=emp, created_at=now - timedelta(minutes=5), last_seen_at=now - timedelta(minutes=1)),
        CorrectionRequest(employee_id=emp, section="profile", wrong="a", correct="b", status="done",
                          created_at=now - timedelta(days=400), handled_at=now - timedelta(days=200), note="ok"),
        CorrectionRequest(employee_id=emp, section="profile", wrong="a", correct="b", status="done",
                          created_at=now - timedelta(days=100), handled_at=now - timedelta(days=90), note="ok"),
        CorrectionRequest(employee_id=emp, section="jp", wrong="a", correct="b", status="open", created_at=now - timedelta(days=400)),
    ])
    db.commit()
    cut = {
        AuditEvent: set(db.execute(select(AuditEvent.id).where(AuditEvent.at < now - timedelta(days=365))).scalars()),
        LoginFailure: set(db.execute(select(LoginFailure.id).where(LoginFailure.at < now - timedelta(days=1))).scalars()),
        UserSession: {"a" * 64},
        CorrectionRequest: set(db.execute(select(CorrectionRequest.id).where(CorrectionRequest.handled_at < now - timedelta(days=180))).scalars()),
    }
    assert len(cut[AuditEvent]) >= 2 and len(cut[LoginFailure]) == 2 and len(cut[CorrectionRequest]) == 1
    before = {table: ids(db, table) for table in cut}

    dry = run([])
    assert "Uji coba retensi" in dry
    assert f"Peristiwa log audit lebih lama dari 365 hari: {len(cut[AuditEvent])} baris akan dihapus" in dry
    assert "Sesi masuk yang sudah berakhir: 1 baris akan dihapus" in dry
    assert "Catatan gagal masuk yang tidak lagi dihitung untuk penguncian: 2 baris akan dihapus" in dry
    assert "Permintaan koreksi yang selesai lebih dari 180 hari lalu: 1 baris akan dihapus" in dry
    assert {table: ids(db, table) for table in cut} == before, "a dry run changes nothing"

    applied = run(["--apply"])
    assert "Retensi data diterapkan" in applied and f"{len(cut[AuditEvent])} baris dihapus" in applied
    for table, gone in cut.items():
        assert ids(db, table) == before[table] - gone, table.__name__
    again = run([])
    assert "365 hari: 0 baris" in again and "berakhir: 0 baris" in again


def test_a_period_of_zero_keeps_data_forever(db, db_url, monkeypatch):
    monkeypatch.setenv("PORTAL_DATABASE_URL", db_url)
    monkeypatch.setenv("PORTAL_ENV", "test")
    monkeypatch.setenv("PORTAL_AUDIT_RETENTION_DAYS", "0")
    db.add(AuditEvent(at=utcnow() - timedelta(days=4000), actor_id=None, action="uji", target="", detail="sangat lama"))
    db.commit()
    before = ids(db, AuditEvent)
    out = run(["--apply"])
    assert "Peristiwa log audit: disimpan tanpa batas" in out
    assert ids(db, AuditEvent) == before
    monkeypatch.setenv("PORTAL_AUDIT_RETENTION_DAYS", "-1")
    bad = CliRunner().invoke(main, ["retention", "apply"])
    assert bad.exit_code != 0 and "PORTAL_AUDIT_RETENTION_DAYS" in bad.output
