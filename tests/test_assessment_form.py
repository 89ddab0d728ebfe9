"""The AKPK form compiled once per (competency texts, language) and filled per request
(portal/web/assessment_form.py), on SQLite and PostgreSQL.

The filled form must equal what the full rendering of templates/assessments/_items.html (the same
partials, without slots) gives for the same state: no answers, some, notes with markup in them, errors,
answers saved on an earlier day, both languages; an edit of a competency's texts or of a position's
standard shows on the next page view (the content is the cache key).

Demo facts: Putri (demo employee) has a draft with 4 of 11 levels in the open cycle; Rahmat has not started.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from portal import clock, i18n
from portal.models import AssessmentCycle, Competency, CompetencyLevel, Employee, PositionStandard
from portal.services import assessments as svc
from portal.services.assessments import Group, Item, Level
from portal.web import assessment_form
from portal.web.compiled import SLOT
from tests.conftest import DEMO, login, post

RAHMAT = "198901302011011027"


def open_cycle_id(db) -> int:  # noqa: ANN001
    return db.execute(
        select(AssessmentCycle.id).where(AssessmentCycle.status == "open").order_by(AssessmentCycle.opens_on.desc())
    ).scalars().first()


def own_form(db, nip: str) -> svc.Form:  # noqa: ANN001
    employee_id = db.execute(select(Employee.id).where(Employee.nip == nip)).scalar_one()
    scope = svc.own_scope(db, employee_id, open_cycle_id(db))
    return svc.load_form(db, scope.cycle, scope.subject, scope.role)


def full_rendering(env, groups: list[Group], base: str, today, errors: dict[int, str]) -> str:  # noqa: ANN001
    """The form as the page rendered it before it was compiled: every item through the template."""
    return env.get_template("assessments/_items.html").render(groups=groups, base=base, today=today, errors=errors)


def both(app, locale: str, form: svc.Form, base: str, today, errors: dict[int, str] | None = None) -> tuple[str, str]:  # noqa: ANN001
    env = app.template_engine.environment(locale)
    filled = str(assessment_form.items_html(env, form.groups, base, today, errors))
    return filled, full_rendering(env, form.groups, base, today, errors or {})


# --------------------------------------------------------------------------- filled == full rendering


@pytest.mark.parametrize("locale", ["id", "en"])
def test_the_filled_form_equals_the_full_rendering_without_answers(app, db, locale):
    form = own_form(db, RAHMAT)
    assert form.items and all(i.level is None and i.note is None for i in form.items)
    today = clock.today()
    filled, full = both(app, locale, form, "/penilaian/7", today)
    assert filled == full
    assert " checked" not in filled and 'data-hx-post="/penilaian/7/kompetensi/' in filled
    assert filled.count('class="assessment-item"') == len(form.items)


@pytest.mark.parametrize("locale", ["id", "en"])
def test_the_filled_form_equals_the_full_rendering_of_a_draft(app, db, locale):
    form = own_form(db, DEMO["employee"])
    answered = [i for i in form.items if i.level is not None]
    assert len(answered) == 4 and all(i.updated_at is not None for i in answered)
    today = max(i.updated_at for i in answered).date()  # "saved at 10.15" for the newest, with the date for older ones
    filled, full = both(app, locale, form, "/penilaian/3", today)
    assert filled == full
    assert filled.count(" checked") == 4
    for item in answered:
        assert f'id="level-{item.competency_id}-{item.level}" name="level-{item.competency_id}" value="{item.level}" form="jawaban" checked>' in filled
    # a month later every save shows its date as well
    filled, full = both(app, locale, form, "/penilaian/3", today + timedelta(days=30))
    assert filled == full and filled.count(f"{today.year},") >= 4


@pytest.mark.parametrize("locale", ["id", "en"])
def test_the_filled_form_equals_the_full_rendering_with_notes_errors_and_a_supervisors_url(app, db, locale):
    form = own_form(db, DEMO["employee"])
    items = form.items
    items[0].note = 'Memimpin rapat <b>"koordinasi"</b> & menyusun notulen'  # escaped in the textarea
    items[1].level, items[1].note = None, "catatan tanpa level"  # a note kept before a level
    items[2].level = 9  # a re-shown plain form value outside the levels: nothing checked
    errors = {items[1].competency_id: "Pilih level untuk <Integritas>.", items[3].competency_id: "Level tidak valid."}
    today = clock.today()
    filled, full = both(app, locale, form, "/tim/3/41", today, errors)
    assert filled == full
    assert "&lt;b&gt;&#34;koordinasi&#34;&lt;/b&gt; &amp; menyusun" in filled and "<b>" not in filled
    assert filled.count("field-error") == 2 and f'id="err-{items[1].competency_id}"' in filled
    assert "Pilih level untuk &lt;Integritas&gt;." in filled
    assert filled.count(" open>") == sum(1 for i in items if i.note) >= 2 and 'data-hx-post="/tim/3/41/kompetensi/' in filled


def test_texts_with_a_nul_are_shown_as_a_browser_shows_them(app):
    """A NUL would cut the compiled form at the wrong place; it is replaced as an HTML parser replaces it."""
    item = Item(9001, "T.X", "Nama\x00aneh", "teknis", "Uraian", 2, [Level(n, f"Level\x00{n}") for n in range(1, 6)], level=3)
    env = app.template_engine.environment("id")
    filled = str(assessment_form.items_html(env, [Group("teknis", [item])], "/penilaian/1", clock.today()))
    assert SLOT not in filled and "Nama\ufffdaneh" in filled and filled.count(" checked") == 1
    clean = Item(9001, "T.X", "Nama\ufffdaneh", "teknis", "Uraian", 2, [Level(n, f"Level\ufffd{n}") for n in range(1, 6)], level=3)
    assert filled == full_rendering(env, [Group("teknis", [clean])], "/penilaian/1", clock.today(), {})


# --------------------------------------------------------------------------- the page


def test_the_page_shows_the_filled_form_and_a_standard_edit_at_once(client, db, app):
    login(client, DEMO["employee"])
    cycle_id = open_cycle_id(db)
    url = f"/penilaian/{cycle_id}"
    first = client.get(url)
    assert first.status_code == 200
    form = own_form(db, DEMO["employee"])
    env = app.template_engine.environment("id")
    with i18n.use_locale("id"):
        today = clock.today()
        assert full_rendering(env, form.groups, url, today, {}) in first.text

    # HR edits the texts and the standard (any write path: the content is the key)
    edited = form.items[0]
    db.execute(update(Competency).where(Competency.id == edited.competency_id).values(description="Uraian baru yang diedit BKPSDM."))
    db.execute(
        update(CompetencyLevel)
        .where(CompetencyLevel.competency_id == edited.competency_id, CompetencyLevel.level == 2)
        .values(description="Deskripsi level dua yang baru.")
    )
    position_id = db.execute(select(Employee.position_id).where(Employee.nip == DEMO["employee"])).scalar_one()
    db.execute(
        update(PositionStandard)
        .where(PositionStandard.position_id == position_id, PositionStandard.competency_id == form.items[1].competency_id)
        .values(required_level=5)
    )
    db.commit()
    second = client.get(url).text
    assert "Uraian baru yang diedit BKPSDM." in second and "Deskripsi level dua yang baru." in second
    assert edited.description not in second
    assert second.count("Level standar jabatan: 5 · Ahli") == 1 + first.text.count("Level standar jabatan: 5 · Ahli")
    form = own_form(db, DEMO["employee"])
    assert full_rendering(env, form.groups, url, today, {}) in second


def test_the_page_is_compiled_per_language(client, db, app):
    login(client, DEMO["employee"])
    url = f"/penilaian/{open_cycle_id(db)}"
    indonesian = client.get(url).text
    assert "Catatan bukti (boleh dikosongkan)" in indonesian
    post(client, "/akun/bahasa", {"locale": "en", "next": url})
    english = client.get(url).text
    assert '<html lang="en">' in english
    assert "Catatan bukti (boleh dikosongkan)" not in english and "Level standar jabatan" not in english
    form = own_form(db, DEMO["employee"])
    with i18n.use_locale("en"):
        assert full_rendering(app.template_engine.environment("en"), form.groups, url, clock.today(), {}) in english
    post(client, "/akun/bahasa", {"locale": "id", "next": url})
    assert client.get(url).text.count("Catatan bukti (boleh dikosongkan)") == len(form.items)


def test_errors_of_the_plain_form_are_filled_next_to_their_items(client, db):
    login(client, DEMO["employee"])
    url = f"/penilaian/{open_cycle_id(db)}"
    form = own_form(db, DEMO["employee"])
    missing = [i for i in form.items if i.level is None]
    resp = post(client, f"{url}/simpan", {"action": "periksa"})
    assert resp.status_code == 422
    assert resp.text.count('class="assessment-item field-error"') == len(missing)
    for item in missing:
        assert f'<p class="error-message" id="err-{item.competency_id}">' in resp.text
        assert f'aria-describedby="hint-{item.competency_id} err-{item.competency_id}"' in resp.text
