"""AKPK through HTTP, on SQLite and PostgreSQL: self-assessment with autosave, submit and lock,
the supervisor's assessment, results, HR cycles and the gap heat map; object-level access
(IDOR sweep) and CSRF.

Demo facts used (portal/services/demo_assessments.py): in the open cycle Putri (demo employee) has a
draft with 4 of 11 levels; Rahmat (same unit) has not started; their supervisor Ratna has not
assessed either; Dian has submitted and Ratna's assessment of her is a draft; Aditya is complete on
both sides with one competency 2 levels apart; Erniwati is in draft.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, update

from portal import clock, scoring
from portal.models import (
    Assessment,
    AssessmentCycle,
    AssessmentGap,
    AssessmentItem,
    AuditEvent,
    Competency,
    Employee,
    PositionStandard,
    Unit,
)
from tests.conftest import DEMO, login, post, text_of

RAHMAT = "198901302011011027"
DIAN = "199204022017012023"
ADITYA = "199308272020121022"
ERNIWATI = "198702242010012025"
KAPUS_SEIJANG = "197803022003121008"  # a supervisor of another team
KADIS_DINKES = "197104101998121003"  # Ratna's own supervisor


# --------------------------------------------------------------------------- helpers


def emp_id(db, nip: str) -> int:
    return db.execute(select(Employee.id).where(Employee.nip == nip)).scalar_one()


def open_cycle(db) -> int:
    return db.execute(
        select(AssessmentCycle.id).where(AssessmentCycle.status == "open").order_by(AssessmentCycle.opens_on.desc())
    ).scalars().first()


def closed_cycle(db) -> int:
    return db.execute(select(AssessmentCycle.id).where(AssessmentCycle.status == "closed")).scalars().first()


def standard(db, nip: str) -> list[int]:
    """Competency ids of the employee's position standard, in form order."""
    rows = db.execute(
        select(Competency.id, Competency.group_name, Competency.code)
        .join(PositionStandard, PositionStandard.competency_id == Competency.id)
        .join(Employee, Employee.position_id == PositionStandard.position_id)
        .where(Employee.nip == nip)
    ).all()
    order = {"manajerial": 0, "sosial_kultural": 1, "teknis": 2}
    return [r[0] for r in sorted(rows, key=lambda r: (order[r[1]], r[2]))]


def assessment(db, cycle_id: int, nip: str, role: str):
    db.expire_all()
    return db.execute(
        select(Assessment).where(
            Assessment.cycle_id == cycle_id, Assessment.subject_id == emp_id(db, nip), Assessment.rater_role == role
        )
    ).scalar_one_or_none()


def items(db, assessment_id: int | None) -> dict[int, tuple[int, str | None]]:
    if assessment_id is None:
        return {}
    rows = db.execute(
        select(AssessmentItem.competency_id, AssessmentItem.level, AssessmentItem.note).where(
            AssessmentItem.assessment_id == assessment_id
        )
    ).all()
    return {cid: (level, note) for cid, level, note in rows}


def snapshot(db) -> list[tuple]:
    """Every assessment and item, to prove that a refused request changed nothing."""
    db.expire_all()
    a = db.execute(
        select(Assessment.id, Assessment.status, Assessment.rater_id, Assessment.version).order_by(Assessment.id)
    ).all()
    i = db.execute(
        select(AssessmentItem.assessment_id, AssessmentItem.competency_id, AssessmentItem.level, AssessmentItem.note).order_by(
            AssessmentItem.id
        )
    ).all()
    return [tuple(r) for r in a] + [tuple(r) for r in i]


def relogin(client, nip: str) -> None:
    client.cookies.clear()
    login(client, nip)


def fill_all(client, base: str, cids: list[int], level: int = 3, **overrides: int):
    """Save every level through the plain (no-JavaScript) form."""
    data = {f"level-{cid}": str(overrides.get(f"c{cid}", level)) for cid in cids}
    data["action"] = "simpan"
    resp = post(client, f"{base}/simpan", data)
    assert resp.status_code == 303, resp.text[:500]
    return resp


# --------------------------------------------------------------------------- the employee's form


def test_form_shows_standard_grouped_with_draft_kept(client, db):
    login(client, DEMO["employee"])
    resp = client.get("/penilaian")
    assert resp.status_code == 200
    page = text_of(resp.text)
    for heading in ("Kompetensi manajerial", "Kompetensi sosial kultural", "Kompetensi teknis"):
        assert heading in page
    assert "Integritas" in page and "Level standar jabatan: 1 · Paham" in page
    cids = standard(db, DEMO["employee"])
    assert len(cids) == 11
    # radio cards inside one fieldset + legend per competency
    assert resp.text.count("<fieldset") == 11 and resp.text.count("<legend") == 11
    assert len(re.findall(r'type="radio"[^>]* checked', resp.text)) == 4
    assert "4 dari 11 kompetensi sudah dinilai" in page
    # autosave wiring: one POST per competency, CSRF from <body hx-headers:inherited>, queue last
    assert f'hx-post="/penilaian/{open_cycle(db)}/kompetensi/{cids[0]}"' in resp.text
    assert 'hx-sync="queue last"' in resp.text and "hx-headers:inherited" in resp.text
    # the plain form for browsers without JavaScript
    assert f'<form id="jawaban" method="post" action="/penilaian/{open_cycle(db)}/simpan"' in resp.text


def test_autosave_upserts_one_item_and_is_idempotent(client, db):
    login(client, DEMO["employee"])
    cycle = open_cycle(db)
    cid = standard(db, DEMO["employee"])[5]  # not answered in the demo draft
    before = assessment(db, cycle, DEMO["employee"], "self")
    n_before = len(items(db, before.id))
    url = f"/penilaian/{cycle}/kompetensi/{cid}"
    for _ in range(2):
        resp = post(client, url, {f"level-{cid}": "3", f"note-{cid}": "Memimpin apel pagi."}, htmx=True)
        assert resp.status_code == 200
        assert "Tersimpan" in resp.text and "WIB" in resp.text
        assert re.search(r'<hx-partial (data-)?hx-target="#progress"', resp.text) and "5 dari 11" in resp.text
    after = assessment(db, cycle, DEMO["employee"], "self")
    assert after.id == before.id and after.status == "draft"
    got = items(db, after.id)
    assert len(got) == n_before + 1
    assert got[cid] == (3, "Memimpin apel pagi.")
    assert db.execute(
        select(func.count()).select_from(AssessmentItem).where(AssessmentItem.assessment_id == after.id, AssessmentItem.competency_id == cid)
    ).scalar_one() == 1
    # a change overwrites the same row; a level-only post keeps the note
    post(client, url, {f"level-{cid}": "4"}, htmx=True)
    assert items(db, after.id)[cid] == (4, "Memimpin apel pagi.")
    # an emptied note is cleared
    post(client, url, {f"level-{cid}": "4", f"note-{cid}": "  "}, htmx=True)
    assert items(db, after.id)[cid] == (4, None)
    assert len(items(db, after.id)) == n_before + 1


def test_autosave_creates_the_draft_when_not_started(client, db):
    login(client, RAHMAT)
    cycle = open_cycle(db)
    assert assessment(db, cycle, RAHMAT, "self") is None
    cid = standard(db, RAHMAT)[0]
    resp = post(client, f"/penilaian/{cycle}/kompetensi/{cid}", {f"level-{cid}": "2"}, htmx=True)
    assert resp.status_code == 200 and "1 dari 11" in resp.text
    a = assessment(db, cycle, RAHMAT, "self")
    assert a.status == "draft" and a.rater_id == a.subject_id == emp_id(db, RAHMAT)
    assert items(db, a.id) == {cid: (2, None)}


def test_autosave_requires_csrf(client, db):
    login(client, DEMO["employee"])
    cycle = open_cycle(db)
    cid = standard(db, DEMO["employee"])[6]
    before = snapshot(db)
    resp = client.post(f"/penilaian/{cycle}/kompetensi/{cid}", data={f"level-{cid}": "3"}, headers={"HX-Request": "true"})
    assert resp.status_code == 403
    resp = client.post(
        f"/penilaian/{cycle}/kompetensi/{cid}", data={f"level-{cid}": "3"}, headers={"HX-Request": "true", "x-csrftoken": "forged"}
    )
    assert resp.status_code == 403
    assert snapshot(db) == before


@pytest.mark.parametrize("level", ["0", "6", "-1", "abc", "3.5", ""])
def test_autosave_rejects_invalid_level(client, db, level):
    login(client, DEMO["employee"])
    cycle = open_cycle(db)
    cid = standard(db, DEMO["employee"])[0]
    before = snapshot(db)
    resp = post(client, f"/penilaian/{cycle}/kompetensi/{cid}", {f"level-{cid}": level}, htmx=True)
    assert resp.status_code == 422
    assert "is-error" in resp.text
    assert snapshot(db) == before


def test_autosave_rejects_competency_outside_standard_and_unknown_ids(client, db):
    login(client, DEMO["employee"])
    cycle = open_cycle(db)
    mine = set(standard(db, DEMO["employee"]))
    other = next(c for c in db.execute(select(Competency.id)).scalars() if c not in mine)
    before = snapshot(db)
    resp = post(client, f"/penilaian/{cycle}/kompetensi/{other}", {f"level-{other}": "3"}, htmx=True)
    assert resp.status_code == 422 and "tidak termasuk standar" in resp.text
    assert post(client, f"/penilaian/{cycle}/kompetensi/999999", {"level-999999": "3"}, htmx=True).status_code == 422
    assert post(client, f"/penilaian/999999/kompetensi/{min(mine)}", {f"level-{min(mine)}": "3"}, htmx=True).status_code == 404
    assert client.get("/penilaian/999999").status_code == 404
    cid = standard(db, DEMO["employee"])[7]
    assert post(client, f"/penilaian/{cycle}/kompetensi/{cid}", {f"level-{cid}": ""}, htmx=True).status_code == 422
    too_long = post(client, f"/penilaian/{cycle}/kompetensi/{cid}", {f"level-{cid}": "2", f"note-{cid}": "x" * 1001}, htmx=True)
    assert too_long.status_code == 422
    assert snapshot(db) == before


def test_plain_form_saves_everything_and_shows_errors(client, db):
    login(client, RAHMAT)
    cycle = open_cycle(db)
    cids = standard(db, RAHMAT)
    resp = post(client, f"/penilaian/{cycle}/simpan", {f"level-{cids[0]}": "2", f"note-{cids[0]}": "Bukti", f"level-{cids[1]}": "4", "action": "simpan"})
    assert resp.status_code == 303 and resp.headers["location"] == f"/penilaian/{cycle}"
    a = assessment(db, cycle, RAHMAT, "self")
    assert items(db, a.id) == {cids[0]: (2, "Bukti"), cids[1]: (4, None)}
    assert "Jawaban tersimpan." in client.get(f"/penilaian/{cycle}").text
    before = snapshot(db)
    bad = post(client, f"/penilaian/{cycle}/simpan", {f"level-{cids[2]}": "9", f"level-{cids[3]}": "1"})
    assert bad.status_code == 422
    assert "error-summary" in bad.text and f'href="#level-{cids[2]}-1"' in bad.text
    assert snapshot(db) == before  # all or nothing


def test_a_note_typed_before_a_level_is_kept_as_a_draft(client, db):
    """The evidence note autosaves while typed, level or not; it is not an answer until a level is chosen,
    choosing a level keeps it, and the submit asks for the level."""
    login(client, DEMO["employee"])
    cycle = open_cycle(db)
    cids = standard(db, DEMO["employee"])
    cid, other = cids[7], cids[8]
    a = assessment(db, cycle, DEMO["employee"], "self")
    before = items(db, a.id if a else None)
    assert cid not in before and other not in before  # the demo draft stops earlier
    resp = post(client, f"/penilaian/{cycle}/kompetensi/{cid}", {f"note-{cid}": "Menyusun SOP antrean"}, htmx=True)
    assert resp.status_code == 200 and "Tersimpan" in resp.text
    a = assessment(db, cycle, DEMO["employee"], "self")
    assert items(db, a.id)[cid] == (None, "Menyusun SOP antrean")
    answered = sum(1 for level, _note in before.values() if level is not None)
    assert f"{answered} dari {len(cids)} kompetensi" in text_of(resp.text)  # a note alone is not an answer
    page = client.get(f"/penilaian/{cycle}").text
    assert "Menyusun SOP antrean</textarea>" in page
    assert f"{answered} dari {len(cids)} kompetensi" in text_of(page)
    # choosing the level afterwards keeps the note; a later note-only save keeps the level
    post(client, f"/penilaian/{cycle}/kompetensi/{cid}", {f"level-{cid}": "3", f"note-{cid}": "Menyusun SOP antrean"}, htmx=True)
    post(client, f"/penilaian/{cycle}/kompetensi/{cid}", {f"note-{cid}": "Menyusun SOP antrean baru"}, htmx=True)
    assert items(db, a.id)[cid] == (3, "Menyusun SOP antrean baru")
    # the plain form keeps a note without a level too, and the submit asks for that level
    resp = post(client, f"/penilaian/{cycle}/simpan", {f"note-{other}": "Catatan dulu", "action": "simpan"})
    assert resp.status_code == 303
    assert items(db, a.id)[other] == (None, "Catatan dulu")
    fill_all(client, f"/penilaian/{cycle}", [c for c in cids if c != other], 2)
    refused = post(client, f"/penilaian/{cycle}/kirim")
    assert refused.status_code == 422 and f'href="#level-{other}-1"' in refused.text
    assert assessment(db, cycle, DEMO["employee"], "self").status == "draft"
    post(client, f"/penilaian/{cycle}/kompetensi/{other}", {f"level-{other}": "4"}, htmx=True)
    assert post(client, f"/penilaian/{cycle}/kirim").status_code == 303
    assert items(db, a.id)[other] == (4, "Catatan dulu")


def test_submit_refuses_while_incomplete(client, db):
    login(client, DEMO["employee"])
    cycle = open_cycle(db)
    cids = standard(db, DEMO["employee"])
    for resp in (client.get(f"/penilaian/{cycle}/kirim"), post(client, f"/penilaian/{cycle}/kirim")):
        assert resp.status_code in (200, 422)
        assert "Ada yang perlu dilengkapi" in resp.text
        assert f'href="#level-{cids[-1]}-1"' in resp.text  # the summary links to the first radio of each missing one
    a = assessment(db, cycle, DEMO["employee"], "self")
    assert a.status == "draft" and a.submitted_at is None
    assert post(client, f"/penilaian/{cycle}/kirim").status_code == 422  # the POST refuses
    # "check and send" from the plain form runs the same check
    resp = post(client, f"/penilaian/{cycle}/simpan", {"action": "periksa"})
    assert resp.status_code == 422 and "Ada yang perlu dilengkapi" in resp.text
    fill_all(client, f"/penilaian/{cycle}", cids, 2)
    resp = post(client, f"/penilaian/{cycle}/simpan", {"action": "periksa"})
    assert resp.status_code == 303 and resp.headers["location"] == f"/penilaian/{cycle}/kirim"
    assert assessment(db, cycle, DEMO["employee"], "self").status == "draft"  # checking is not sending


def test_submit_locks_the_assessment(client, db):
    login(client, DEMO["employee"])
    cycle = open_cycle(db)
    cids = standard(db, DEMO["employee"])
    fill_all(client, f"/penilaian/{cycle}", cids, 2)
    confirm = client.get(f"/penilaian/{cycle}/kirim")
    assert confirm.status_code == 200 and "Yakin kirim?" in confirm.text
    resp = post(client, f"/penilaian/{cycle}/kirim")
    assert resp.status_code == 303 and resp.headers["location"] == f"/penilaian/{cycle}/hasil"
    a = assessment(db, cycle, DEMO["employee"], "self")
    assert a.status == "submitted" and a.submitted_at is not None
    assert db.execute(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "akpk_submit")).scalar_one() == 1
    locked = snapshot(db)
    # every later write is refused with 409 and a clear message, never silently ignored
    r1 = post(client, f"/penilaian/{cycle}/kompetensi/{cids[0]}", {f"level-{cids[0]}": "5"}, htmx=True)
    assert r1.status_code == 409 and "terkunci" in r1.text
    r2 = post(client, f"/penilaian/{cycle}/simpan", {f"level-{cids[0]}": "5"})
    assert r2.status_code == 409 and "terkunci" in r2.text
    assert post(client, f"/penilaian/{cycle}/kirim").status_code == 409
    r3 = post(client, f"/penilaian/{cycle}/kompetensi/{cids[0]}", {f"level-{cids[0]}": "5"})  # without htmx too
    assert r3.status_code == 409
    assert snapshot(db) == locked
    page = client.get(f"/penilaian/{cycle}")
    assert "Terkirim pada" in page.text and 'type="radio"' not in page.text
    # the confirmation page now sends to the result
    assert client.get(f"/penilaian/{cycle}/kirim", follow_redirects=False).headers["location"] == f"/penilaian/{cycle}/hasil"


def test_closed_cycle_refuses_writes(client, db):
    cycle = open_cycle(db)
    login(client, DEMO["hr"])
    assert post(client, f"/akpk/siklus/{cycle}/status", {"status": "closed"}).status_code == 303
    relogin(client, DEMO["employee"])
    cid = standard(db, DEMO["employee"])[5]
    before = snapshot(db)
    resp = post(client, f"/penilaian/{cycle}/kompetensi/{cid}", {f"level-{cid}": "3"}, htmx=True)
    assert resp.status_code == 409 and "ditutup" in resp.text
    assert post(client, f"/penilaian/{cycle}/simpan", {f"level-{cid}": "3"}).status_code == 409
    assert post(client, f"/penilaian/{cycle}/kirim").status_code == 409
    page = client.get(f"/penilaian/{cycle}")
    assert "sudah ditutup oleh BKPSDM" in page.text and 'type="radio"' not in page.text
    relogin(client, DEMO["supervisor"])
    putri = emp_id(db, DEMO["employee"])
    assert post(client, f"/tim/{cycle}/{putri}/kompetensi/{cid}", {f"level-{cid}": "3"}, htmx=True).status_code == 409
    assert snapshot(db) == before


def test_cycle_outside_its_window_is_read_only(client, db):
    cycle = open_cycle(db)
    db.execute(update(AssessmentCycle).where(AssessmentCycle.id == cycle).values(closes_on=clock.today() - timedelta(days=1)))
    db.commit()
    login(client, DEMO["employee"])
    cid = standard(db, DEMO["employee"])[5]
    before = snapshot(db)
    resp = post(client, f"/penilaian/{cycle}/kompetensi/{cid}", {f"level-{cid}": "3"}, htmx=True)
    assert resp.status_code == 409 and "sudah berakhir" in resp.text
    assert "sudah berakhir" in client.get(f"/penilaian/{cycle}").text
    db.execute(
        update(AssessmentCycle)
        .where(AssessmentCycle.id == cycle)
        .values(opens_on=clock.today() + timedelta(days=3), closes_on=clock.today() + timedelta(days=30))
    )
    db.commit()
    resp = post(client, f"/penilaian/{cycle}/kompetensi/{cid}", {f"level-{cid}": "3"}, htmx=True)
    assert resp.status_code == 409 and "baru dibuka" in resp.text
    assert snapshot(db) == before


# --------------------------------------------------------------------------- results


def test_result_page_with_chart_table_and_suggestions(client, db):
    login(client, DEMO["employee"])
    cycle = open_cycle(db)
    cids = standard(db, DEMO["employee"])
    assert client.get(f"/penilaian/{cycle}/hasil", follow_redirects=False).status_code == 303  # not before submitting
    fill_all(client, f"/penilaian/{cycle}", cids, 1)
    post(client, f"/penilaian/{cycle}/kirim")
    resp = client.get(f"/penilaian/{cycle}/hasil")
    assert resp.status_code == 200
    assert '<svg viewBox="0 0 320' in resp.text and 'role="img"' in resp.text
    assert resp.text.count('class="gap-row"') == 11
    page = text_of(resp.text)
    assert "Rincian per kompetensi" in page and "Saran pengembangan" in page
    assert "Atasan Anda belum mengirim penilaiannya" in page
    # Manajemen Antrean Pelayanan is required at level 2 and was self-assessed 1: gap +1, and the
    # trainings linked to it (T-KES-4) are suggested
    assert "Pelatihan Manajemen Antrean Pelayanan" in page
    assert "+1" in page


def test_result_shows_disagreement_flag(client, db):
    login(client, ADITYA)
    cycle = open_cycle(db)
    resp = client.get(f"/penilaian/{cycle}/hasil")
    assert resp.status_code == 200
    s = assessment(db, cycle, ADITYA, "self")
    u = assessment(db, cycle, ADITYA, "supervisor")
    si, ui = items(db, s.id), items(db, u.id)
    flagged = [cid for cid in si if scoring.needs_discussion(si[cid][0], ui[cid][0])]
    assert flagged
    assert resp.text.count("perlu dibicarakan") >= len(flagged)
    svg = resp.text.split("<svg viewBox")[1].split("</svg>")[0]
    assert svg.count('class="chart-flag"') == len(flagged)


# --------------------------------------------------------------------------- the supervisor


def test_team_lists_direct_reports_with_statuses(client, db):
    login(client, DEMO["supervisor"])
    resp = client.get("/tim")
    assert resp.status_code == 200
    page = text_of(resp.text)
    for name in ("Putri Wulandari", "Rahmat Hidayat", "Dian Permata Sari", "Aditya Nugraha", "Erniwati", "Fransiskus"):
        assert name in page
    assert "1 dari 6 bawahan sudah Anda nilai." in page
    cycle = open_cycle(db)
    assert f'href="/tim/{cycle}/{emp_id(db, ADITYA)}/hasil"' in resp.text
    assert f'href="/tim/{cycle}/{emp_id(db, DEMO["employee"])}"' in resp.text
    # the closed cycle of last year can be chosen
    assert "AKPK" in client.get(f"/tim?siklus={closed_cycle(db)}").text


def test_supervisor_assesses_a_report_without_touching_the_self_assessment(client, db):
    cycle = open_cycle(db)
    putri = emp_id(db, DEMO["employee"])
    own_before = items(db, assessment(db, cycle, DEMO["employee"], "self").id)
    login(client, DEMO["supervisor"])
    page = client.get(f"/tim/{cycle}/{putri}")
    assert page.status_code == 200 and "Penilaian atasan untuk Putri Wulandari" in page.text
    assert len(re.findall(r'type="radio"[^>]* checked', page.text)) == 0  # her self levels are not shown
    cids = standard(db, DEMO["employee"])
    resp = post(client, f"/tim/{cycle}/{putri}/kompetensi/{cids[0]}", {f"level-{cids[0]}": "2"}, htmx=True)
    assert resp.status_code == 200 and "1 dari 11" in resp.text
    sup = assessment(db, cycle, DEMO["employee"], "supervisor")
    assert sup.rater_id == emp_id(db, DEMO["supervisor"]) and items(db, sup.id) == {cids[0]: (2, None)}
    assert items(db, assessment(db, cycle, DEMO["employee"], "self").id) == own_before


def test_supervisor_sees_self_levels_only_after_both_submitted(client, db):
    cycle = open_cycle(db)
    marker = "BUKTI-RAHASIA-DIAN"
    dian_self = assessment(db, cycle, DIAN, "self")
    db.execute(update(AssessmentItem).where(AssessmentItem.assessment_id == dian_self.id).values(note=marker))
    db.commit()
    dian = emp_id(db, DIAN)
    login(client, DEMO["supervisor"])
    form = client.get(f"/tim/{cycle}/{dian}")
    assert form.status_code == 200 and marker not in form.text
    assert client.get(f"/tim/{cycle}/{dian}/hasil", follow_redirects=False).status_code == 303
    cids = standard(db, DIAN)
    fill_all(client, f"/tim/{cycle}/{dian}", cids, 4)
    assert post(client, f"/tim/{cycle}/{dian}/kirim").status_code == 303
    result = client.get(f"/tim/{cycle}/{dian}/hasil")
    assert result.status_code == 200 and marker in result.text
    self_levels = items(db, dian_self.id)
    table = result.text.split("Rincian per kompetensi")[1]
    # the "Diri" column now shows her levels next to the supervisor's 4
    first = table.split("<tbody>")[1].split("</tr>")[0]
    cells = re.findall(r'<td class="num">([^<]*)</td>', first)  # standard, self, supervisor, final
    assert cells[1:4] == [str(self_levels[cids[0]][0]), "4", "4"]

    # and the reverse: supervisor submitted while the self-assessment is still a draft
    erni_self = assessment(db, cycle, ERNIWATI, "self")
    db.execute(update(AssessmentItem).where(AssessmentItem.assessment_id == erni_self.id).values(note="BUKTI-RAHASIA-ERNI"))
    db.commit()
    erni = emp_id(db, ERNIWATI)
    fill_all(client, f"/tim/{cycle}/{erni}", standard(db, ERNIWATI), 2)
    post(client, f"/tim/{cycle}/{erni}/kirim")
    result = client.get(f"/tim/{cycle}/{erni}/hasil")
    assert result.status_code == 200
    assert "BUKTI-RAHASIA-ERNI" not in result.text
    assert "Perbandingan dengan penilaian diri tampil setelah Anda berdua mengirim" in text_of(result.text)


def test_employee_sees_supervisor_levels_once_submitted(client, db):
    cycle = open_cycle(db)
    login(client, DIAN)
    resp = client.get(f"/penilaian/{cycle}/hasil")
    assert resp.status_code == 200 and "Atasan Anda belum mengirim" in text_of(resp.text)
    relogin(client, DEMO["supervisor"])
    dian = emp_id(db, DIAN)
    fill_all(client, f"/tim/{cycle}/{dian}", standard(db, DIAN), 5)
    post(client, f"/tim/{cycle}/{dian}/kirim")
    relogin(client, DIAN)
    page = text_of(client.get(f"/penilaian/{cycle}/hasil").text)
    assert "Atasan Anda belum mengirim" not in page
    assert "Penilaian atasan: Terkirim" in page


# --------------------------------------------------------------------------- IDOR sweep


def _team_routes(cycle: int, subject: int, cid: int) -> list[tuple[str, str, dict]]:
    base = f"/tim/{cycle}/{subject}"
    return [
        ("GET", base, {}),
        ("GET", f"{base}/kirim", {}),
        ("GET", f"{base}/hasil", {}),
        ("POST", f"{base}/kompetensi/{cid}", {f"level-{cid}": "3"}),
        ("POST", f"{base}/simpan", {f"level-{cid}": "3"}),
        ("POST", f"{base}/kirim", {}),
    ]


def _call(client, method: str, url: str, data: dict):
    if method == "GET":
        return client.get(url, follow_redirects=False)
    return post(client, url, data, htmx=url.split("/")[-2] == "kompetensi")


def test_idor_employee_cannot_reach_anyone_elses_assessment(client, db):
    cycle = open_cycle(db)
    rahmat = emp_id(db, RAHMAT)
    cid = standard(db, RAHMAT)[0]
    login(client, DEMO["employee"])  # Putri: not a supervisor
    before = snapshot(db)
    for method, url, data in _team_routes(cycle, rahmat, cid):
        resp = _call(client, method, url, data)
        assert resp.status_code == 403, (method, url, resp.status_code)
    # the employee routes take no person id: extra ids in the body are ignored, only her own row changes
    dian_self = assessment(db, cycle, DIAN, "self")
    mine = standard(db, DEMO["employee"])[5]
    resp = post(
        client,
        f"/penilaian/{cycle}/kompetensi/{mine}",
        {f"level-{mine}": "5", "subject_id": str(rahmat), "assessment_id": str(dian_self.id), "rater_role": "supervisor", "rater_id": str(rahmat)},
        htmx=True,
    )
    assert resp.status_code == 200
    after = snapshot(db)
    changed = set(after) - set(before)
    own = assessment(db, cycle, DEMO["employee"], "self")
    assert all(row[0] == own.id for row in changed)  # only her assessment (touched) and her item
    assert assessment(db, cycle, RAHMAT, "self") is None and assessment(db, cycle, RAHMAT, "supervisor") is None
    # HR pages are not for employees
    for url in ("/akpk", "/akpk/siklus", f"/akpk/siklus/{cycle}", "/akpk/kesenjangan", f"/akpk/kesenjangan/sel?siklus={cycle}&baris=1&kompetensi={mine}"):
        assert client.get(url, follow_redirects=False).status_code == 403, url
    assert post(client, f"/akpk/siklus/{cycle}/status", {"status": "closed"}).status_code == 403
    assert post(client, "/akpk/siklus", {"name": "X", "year": "2031", "opens_on": "2031-01-01", "closes_on": "2031-02-01"}).status_code == 403
    assert post(client, f"/akpk/siklus/{cycle}", {"name": "X", "year": "2031", "opens_on": "2031-01-01", "closes_on": "2031-02-01"}).status_code == 403
    db.expire_all()
    assert db.execute(select(AssessmentCycle.status).where(AssessmentCycle.id == cycle)).scalar_one() == "open"


def test_idor_supervisor_cannot_assess_someone_not_a_direct_report(client, db):
    cycle = open_cycle(db)
    putri = emp_id(db, DEMO["employee"])
    cid = standard(db, DEMO["employee"])[0]
    before = snapshot(db)
    login(client, KAPUS_SEIJANG)  # supervises another puskesmas
    for method, url, data in _team_routes(cycle, putri, cid):
        resp = _call(client, method, url, data)
        assert resp.status_code == 404, (method, url, resp.status_code)
    relogin(client, DEMO["supervisor"])
    for subject in (emp_id(db, DEMO["supervisor"]), emp_id(db, KADIS_DINKES), emp_id(db, KAPUS_SEIJANG), 999999):
        for method, url, data in _team_routes(cycle, subject, cid):
            resp = _call(client, method, url, data)
            assert resp.status_code == 404, (subject, method, url, resp.status_code)
    # a direct report of the supervisor's supervisor is not hers either (only direct reports)
    kadis = emp_id(db, KADIS_DINKES)
    login(client, KADIS_DINKES)
    for method, url, data in _team_routes(cycle, putri, cid):
        assert _call(client, method, url, data).status_code == 404
    assert snapshot(db) == before
    assert kadis


def test_idor_former_or_inactive_report_is_404(client, db):
    cycle = open_cycle(db)
    putri = emp_id(db, DEMO["employee"])
    rahmat = emp_id(db, RAHMAT)
    login(client, DEMO["supervisor"])
    assert client.get(f"/tim/{cycle}/{putri}").status_code == 200
    db.execute(update(Employee).where(Employee.id == putri).values(supervisor_id=emp_id(db, KAPUS_SEIJANG)))
    db.execute(update(Employee).where(Employee.id == rahmat).values(is_active=False))
    db.commit()
    cid = standard(db, RAHMAT)[0]
    for subject in (putri, rahmat):
        for method, url, data in _team_routes(cycle, subject, cid):
            assert _call(client, method, url, data).status_code == 404
    assert "Putri Wulandari" not in client.get("/tim").text


# --------------------------------------------------------------------------- HR: cycles


def test_hr_opens_edits_closes_and_reopens_cycles(client, db):
    login(client, DEMO["hr"])
    cycle = open_cycle(db)
    year = db.execute(select(AssessmentCycle.year).where(AssessmentCycle.id == cycle)).scalar_one()
    page = client.get("/akpk/siklus")
    assert page.status_code == 200 and f"AKPK {year}" in page.text and f"AKPK {year - 1}" in page.text
    # only one open cycle per year
    dup = post(client, "/akpk/siklus", {"name": "AKPK tambahan", "year": str(year), "opens_on": f"{year}-06-01", "closes_on": f"{year}-07-01"})
    assert dup.status_code == 422 and "masih terbuka" in dup.text and "error-summary" in dup.text
    bad = post(client, "/akpk/siklus", {"name": "", "year": "20x", "opens_on": "2031-05-01", "closes_on": "2031-04-01"})
    assert bad.status_code == 422
    for field in ("name", "year", "closes_on"):
        assert f'href="#{field}"' in bad.text and f'id="{field}-error"' in bad.text
    ok = post(client, "/akpk/siklus", {"name": "AKPK 2031", "year": "2031", "opens_on": "2031-03-01", "closes_on": "2031-04-30"})
    assert ok.status_code == 303
    new_id = db.execute(select(AssessmentCycle.id).where(AssessmentCycle.name == "AKPK 2031")).scalar_one()
    assert "AKPK 2031" in client.get("/akpk/siklus").text
    # edit
    assert client.get(f"/akpk/siklus/{new_id}").status_code == 200
    edit = post(client, f"/akpk/siklus/{new_id}", {"name": "AKPK 2031 (diperpanjang)", "year": "2031", "opens_on": "2031-03-01", "closes_on": "2031-05-31"})
    assert edit.status_code == 303
    db.expire_all()
    row = db.execute(select(AssessmentCycle).where(AssessmentCycle.id == new_id)).scalar_one()
    assert row.name == "AKPK 2031 (diperpanjang)" and row.closes_on.isoformat() == "2031-05-31"
    # close, then reopen the previous year's cycle while... fine; reopening a second cycle of a year is refused
    assert post(client, f"/akpk/siklus/{cycle}/status", {"status": "closed"}).status_code == 303
    assert post(client, "/akpk/siklus", {"name": "AKPK baru", "year": str(year), "opens_on": f"{year}-06-01", "closes_on": f"{year}-07-01"}).status_code == 303
    post(client, f"/akpk/siklus/{cycle}/status", {"status": "open"})
    db.expire_all()
    assert db.execute(select(AssessmentCycle.status).where(AssessmentCycle.id == cycle)).scalar_one() == "closed"
    assert "masih terbuka" in client.get("/akpk/siklus").text  # the refusal is flashed
    assert post(client, f"/akpk/siklus/{cycle}/status", {"status": "bogus"}).status_code == 303
    assert client.get("/akpk/siklus/999999").status_code == 404
    assert client.get("/akpk", follow_redirects=False).headers["location"] == "/akpk/siklus"


# --------------------------------------------------------------------------- HR: heat map


def _expected_cell(db, cycle: int, unit_code: str, comp_code: str) -> tuple[int, float | None]:
    """Mean gap and n of one heat-map cell, computed by hand from the rows (not the service)."""
    unit_id = db.execute(select(Unit.id).where(Unit.code == unit_code)).scalar_one()
    comp_id = db.execute(select(Competency.id).where(Competency.code == comp_code)).scalar_one()
    gaps = []
    people = db.execute(
        select(Employee.id, PositionStandard.required_level)
        .join(PositionStandard, PositionStandard.position_id == Employee.position_id)
        .where(Employee.unit_id == unit_id, Employee.is_active.is_(True), PositionStandard.competency_id == comp_id)
    ).all()
    for person_id, required in people:
        levels = {}
        for role, status, aid in db.execute(
            select(Assessment.rater_role, Assessment.status, Assessment.id).where(Assessment.cycle_id == cycle, Assessment.subject_id == person_id)
        ):
            if status == "submitted":
                levels[role] = items(db, aid).get(comp_id, (None,))[0]
        final = scoring.final_level(levels.get("self"), levels.get("supervisor"), "supervisor" in levels)
        if final is not None:
            gaps.append(scoring.gap(required, final))
    return len(gaps), (sum(gaps) / len(gaps) if gaps else None)


def test_heatmap_matches_hand_computation(client, db):
    login(client, DEMO["hr"])
    cycle = open_cycle(db)
    resp = client.get(f"/akpk/kesenjangan?siklus={cycle}")
    assert resp.status_code == 200
    page = text_of(resp.text)
    assert "UPTD Puskesmas Batu 10" in page and "Dinas Kependudukan dan Pencatatan Sipil" in page
    for unit_code, comp_code in (("PKM-BATU10", "M1"), ("PKM-BATU10", "T-KES-2"), ("DISDUKCAPIL", "M5"), ("BKPSDM", "T-KPG-1")):
        n, mean = _expected_cell(db, cycle, unit_code, comp_code)
        unit_id = db.execute(select(Unit.id).where(Unit.code == unit_code)).scalar_one()
        comp_id = db.execute(select(Competency.id).where(Competency.code == comp_code)).scalar_one()
        m = re.search(rf'baris={unit_id}&amp;kompetensi={comp_id}"[^>]*>\s*<span class="heat-value"[^>]*>([^<]*)</span>\s*<span class="heat-n"[^>]*>n=(\d+)</span>', resp.text)
        assert m, (unit_code, comp_code)
        shown = "–" if mean is None else f"{mean:.1f}".replace(".", ",").replace("-", "-")
        assert int(m.group(2)) == n
        if mean is not None:
            assert float(m.group(1).replace(",", ".").replace("−", "-")) == pytest.approx(mean, abs=0.051), shown
    # submitted / pending per unit
    assert "penilaian diri terkirim" in page and "belum mengirim" in page


def test_heatmap_filters_via_htmx_and_shareable_url(client, db):
    login(client, DEMO["hr"])
    cycle = open_cycle(db)
    batu = db.execute(select(Unit.id).where(Unit.code == "PKM-BATU10")).scalar_one()
    full = client.get(f"/akpk/kesenjangan?siklus={cycle}&unit={batu}")
    assert full.status_code == 200 and "<html" in full.text and 'hx-push-url="true"' in full.text
    frag = client.get(f"/akpk/kesenjangan?siklus={cycle}&unit={batu}", headers={"HX-Request": "true", "HX-Request-Type": "partial"})
    assert frag.status_code == 200 and "<html" not in frag.text
    assert "UPTD Puskesmas Batu 10" in frag.text and "Dinas Kependudukan" not in frag.text
    assert "HX-Request" in frag.headers.get("vary", "")
    # a history restore (HX-Request-Type: full) needs the whole page
    restore = client.get(f"/akpk/kesenjangan?siklus={cycle}&unit={batu}", headers={"HX-Request": "true", "HX-Request-Type": "full"})
    assert "<html" in restore.text
    pel = client.get(f"/akpk/kesenjangan?siklus={cycle}&kelas=pelaksana&kelompok=teknis", headers={"HX-Request": "true"})
    assert pel.status_code == 200
    assert ">M1<" not in pel.text  # only technical competencies
    # malformed filters are ignored, not errors
    assert client.get("/akpk/kesenjangan?siklus=x&unit=&kelas=bogus&kelompok=").status_code == 200


def test_heatmap_cell_lists_people(client, db):
    login(client, DEMO["hr"])
    cycle = open_cycle(db)
    batu = db.execute(select(Unit.id).where(Unit.code == "PKM-BATU10")).scalar_one()
    m1 = db.execute(select(Competency.id).where(Competency.code == "M1")).scalar_one()
    url = f"/akpk/kesenjangan/sel?siklus={cycle}&baris={batu}&kompetensi={m1}"
    frag = client.get(url, headers={"HX-Request": "true"})
    assert frag.status_code == 200 and "<html" not in frag.text
    text = text_of(frag.text)
    for name in ("Putri Wulandari", "Rahmat Hidayat", "Aditya Nugraha", "drg. Ratna"):
        assert name in text
    assert "perlu dibicarakan" in text  # Aditya's M1
    full = client.get(url)
    assert "<html" in full.text and "Putri Wulandari" in full.text and "heatmap" in full.text
    assert client.get(f"/akpk/kesenjangan/sel?siklus={cycle}&baris=999999&kompetensi={m1}").status_code == 404
    assert client.get(f"/akpk/kesenjangan/sel?siklus={cycle}&baris=abc&kompetensi={m1}").status_code == 404


def test_empty_states_without_cycles(client, db):
    db.execute(delete(AssessmentGap))
    db.execute(delete(AssessmentItem))
    db.execute(delete(Assessment))
    db.execute(delete(AssessmentCycle))
    db.commit()
    login(client, DEMO["employee"])
    assert "Belum ada siklus penilaian" in client.get("/penilaian").text
    relogin(client, DEMO["supervisor"])
    assert "Belum ada siklus penilaian" in client.get("/tim").text
    relogin(client, DEMO["hr"])
    assert "Belum ada siklus AKPK" in client.get("/akpk/kesenjangan").text
    assert "Belum ada siklus AKPK" in client.get("/akpk/siklus").text


def test_home_task_links_to_the_form(client, db):
    login(client, DEMO["employee"])
    home = client.get("/")
    assert 'href="/penilaian"' in home.text and "Lanjutkan penilaian kompetensi diri" in home.text


def test_team_page_lists_due_l3_ratings(client):
    """Tim Saya shows the supervisor's due on-the-job application ratings (issue 5) next to AKPK."""
    from tests.conftest import DEMO as _DEMO
    from tests.conftest import login as _login

    _login(client, _DEMO["supervisor"])
    html = client.get("/tim").text
    assert "Penilaian penerapan hasil pelatihan" in html and "(L3)" not in html  # plain words for supervisors
    assert 'id="penilaian-penerapan"' in html  # the due list, not the empty state
    assert "Putri Wulandari" in html.split('id="penilaian-penerapan"', 1)[1]


# --------------------------------------------------------------------------- code layout


def test_each_akpk_prefix_is_served_by_the_module_named_after_it():
    """Two hops from URL to code: /penilaian -> portal/web/assessments.py, /tim -> portal/web/team.py,
    /akpk -> portal/web/akpk.py (and those modules serve nothing else). No database needed."""
    from portal.app import route_handlers

    owners = {"/penilaian": "portal.web.assessments", "/tim": "portal.web.team", "/akpk": "portal.web.akpk"}
    seen = set()
    for controller in route_handlers():
        path = controller.path.rstrip("/") or "/"
        prefix = next((p for p in owners if path == p or path.startswith(p + "/")), None)
        if prefix is not None:
            assert controller.__module__ == owners[prefix], f"{path} is served by {controller.__module__}"
            seen.add(prefix)
        else:
            assert controller.__module__ not in owners.values(), f"{controller.__module__} serves {path}"
    assert seen == set(owners)
