"""Laporan (HR review) on SQLite and PostgreSQL: every figure of the dashboard and of the training report
equals an independent recomputation from the raw rows (answers, responses, invitations, enrollments);
the minimum group size hides small groups on pages, fragments and charts and cannot be bypassed by
differencing filters; only HR and admin reach the routes; htmx fragments vs full pages; bounded queries.

The survey data is made through the real survey engine (`portal.services.surveys`: attach, save, submit),
so the summaries the reports read are the ones the engine keeps. The clock is frozen in 2031 so that the
test trainings are the only ones in the period (the demo data lives in the real current year)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from portal import clock
from portal.i18n import format_number
from portal.models import (
    Answer,
    ApplicationRating,
    Employee,
    Enrollment,
    ImpactScore,
    Question,
    Questionnaire,
    SurveyInvitation,
    SurveyResponse,
    Training,
)
from portal.rules import l3_schedule
from portal.services import questionnaires as qsvc
from portal.services import reports
from portal.services import surveys as svc
from portal.services import trainings
from portal.services.trainings import enrollments
from tests.conftest import DEMO, login, text_of
from tests.rig import QueryCounter

TODAY = date(2031, 6, 30)
HIDDEN = "Terlalu sedikit tanggapan (n &lt; 5)"  # as it appears in HTML
HIDDEN_TEXT = "Terlalu sedikit tanggapan (n < 5)"

SPEC = (
    ("Materi", "materi", "likert5", "Materi pelatihan jelas.", True, {}),
    ("Materi", "materi", "likert5", "Bahan ajar membantu.", True, {}),
    ("Fasilitator", "fasilitator", "likert5", "Narasumber menguasai materi.", True, {}),
    ("Sarana", "sarana", "likert5", "Ruang kelas nyaman.", True, {}),
    ("Penyelenggaraan", "penyelenggaraan", "likert5", "Jadwal tertata.", True, {}),
    ("Relevansi", "relevansi", "likert5", "Relevan dengan tugas saya.", False, {}),
    ("Rekomendasi", "lainnya", "scale0_10", "Seberapa mungkin Anda merekomendasikan?", True, {}),
    ("Lain", "lainnya", "single", "Bagaimana Anda mengikuti?", True, {"options": ["Tatap muka", "Daring", "Campuran"]}),
    ("Lain", "lainnya", "multi", "Bagian yang berguna?", False, {"options": ["Teori", "Praktik", "Diskusi"]}),
    ("Lain", "lainnya", "text", "Saran Anda?", False, {"max_length": 500}),
)

# demo employees by unit (see portal/demo_content.py)
DISDUKCAPIL = ["197306031999032004", "197609092000031007", "198102272005012009", "199501122019031010", "199406182019032011",
               "199304052020121012", "198407292009011013", "199103162015032014", "198611112010011015", "199010052014032016"]
DISKOMINFO = ["197506142001121004", "198304032008012033", "199601082020121034", "199704222022062035", "199509092019031036",
              "199002122014031037", "199811272022062038"]
KECAMATAN = ["198205192004101039", "197907072005012040", "198408122009011041", "198802232011012042", "198501012009011043",
             "199307192019032044", "199112122015032045"]


# --------------------------------------------------------------------------- building data through the survey engine


@dataclass
class Built:
    training_id: int
    questionnaire_id: int
    structure: Any
    invitations: dict[str, int]
    employees: dict[str, int]
    opens: date
    closes: date
    code: str


def make_questionnaire(db, spec=SPEC, *, anonymous: bool = True) -> int:
    qid = qsvc.create_questionnaire(db, None, qsvc.QuestionnaireForm(title="Evaluasi uji laporan", purpose="reaction", anonymous=anonymous))
    for section, dimension, kind, text, required, extra in spec:
        qsvc.add_question(
            db,
            None,
            qid,
            qsvc.QuestionForm(
                section=section, text=text, kind=kind, required=required, dimension=dimension,
                options_text="\n".join(extra.get("options", [])), max_length=str(extra.get("max_length", "")),
                retrospective=bool(extra.get("retrospective")),
            ),
        )
    return qid


def build_training(
    db,
    code: str,
    ends_on: date,
    nips: list[str],
    *,
    kind: str = "pelatihan",
    anonymous: bool = True,
    jp: int = 8,
    closes: date | None = None,
    spec=SPEC,
    status: str = "completed",
) -> Built:
    qid = make_questionnaire(db, spec, anonymous=anonymous)
    t = Training(code=code, title=f"Pelatihan {code}", kind=kind, mode="klasikal", provider="Penyelenggara Uji",
                 starts_on=ends_on - timedelta(days=1), ends_on=ends_on, jp=jp)
    db.add(t)
    db.flush()
    emp = dict(db.execute(select(Employee.nip, Employee.id).where(Employee.nip.in_(nips))).all())
    for nip in nips:
        enrollments.enrol(db, t.id, emp[nip], status=status, jp_credited=jp if status == "completed" else 0)
    db.commit()
    opens = ends_on + timedelta(days=1)
    closes = closes or ends_on + timedelta(days=14)
    result = trainings.attach(db, None, t.id, qid, opens, closes, today=min(opens, clock.today()))
    assert result.ok, result.errors
    inv = dict(
        db.execute(
            select(Employee.nip, SurveyInvitation.id)
            .join(Employee, Employee.id == SurveyInvitation.employee_id)
            .where(SurveyInvitation.training_id == t.id)
        ).all()
    )
    return Built(t.id, qid, qsvc.load_structure(db, qid), inv, emp, opens, closes, code)


def random_answers(rng: random.Random, structure, *, skip: set[int] = frozenset(), texts: list[str] | None = None) -> dict:
    data: dict = {}
    for q in structure.questions:
        if q.id in skip:
            continue
        if q.kind == "likert5":
            data[f"q{q.id}"] = str(rng.choice([1, 2, 3, 3, 4, 4, 4, 5, 5]))
        elif q.kind == "scale0_10":
            data[f"q{q.id}"] = str(rng.randint(0, 10))
        elif q.kind == "single":
            data[f"q{q.id}"] = str(rng.randrange(len(q.options)))
        elif q.kind == "multi":
            data[f"q{q.id}"] = [str(i) for i in sorted(rng.sample(range(len(q.options)), rng.randint(1, len(q.options))))]
        elif q.kind == "text" and texts:
            data[f"q{q.id}"] = texts.pop(0)
    return data


def submit(db, b: Built, nip: str, data: dict) -> None:
    inv_id = b.invitations[nip]
    emp_id = b.employees[nip]
    inv = svc.load_invitation(db, inv_id, emp_id)[0]
    assert svc.save_many(db, inv, b.structure, data) == {}
    assert svc.submit(db, inv_id, emp_id, b.opens, anonymous=b.structure.anonymous).status == "submitted"


def question_id(b: Built, dimension: str | None = None, kind: str | None = None) -> int:
    for q in b.structure.questions:
        if (dimension is None or q.dimension == dimension) and (kind is None or q.kind == kind):
            return q.id
    raise LookupError((dimension, kind))


@pytest.fixture
def frozen():
    clock.freeze_today(TODAY)
    yield TODAY
    clock.freeze_today(None)


@pytest.fixture
def scenario(db, frozen) -> dict[str, Built]:
    return build_scenario(db)


def build_scenario(db) -> dict[str, Built]:
    """Five trainings in the first half of 2031:
    T1 anonymous, 10 invited (mixed units), 8 answered, closed         -> shown
    T2 anonymous, 6 invited, 3 answered, closed                         -> hidden (n < 5)
    T3 attributed (not anonymous), 5 invited, 4 answered, closed        -> shown (no minimum for attributed data)
    T4 anonymous, 6 invited, 6 answered, window still open              -> hidden until closed
    T5 anonymous, 7 invited, 5 answered, optional 'relevansi' item answered by 3 only -> shown, that item hidden
    """
    rng = random.Random(2031)
    out = {}
    t1 = build_training(db, "LAP-T1", date(2031, 3, 10), DISDUKCAPIL[:6] + DISKOMINFO[:4], jp=24)
    for nip in DISDUKCAPIL[:5] + DISKOMINFO[:3]:
        submit(db, t1, nip, random_answers(rng, t1.structure, texts=[f"Saran peserta T1 nomor {len(nip)}-{nip[-3:]}"]))
    out["T1"] = t1
    t2 = build_training(db, "LAP-T2", date(2031, 4, 20), KECAMATAN[:6], kind="pelatihan", jp=16)
    for nip in KECAMATAN[:3]:
        submit(db, t2, nip, random_answers(rng, t2.structure, texts=["Komentar rahasia dari kelompok kecil"]))
    out["T2"] = t2
    t3 = build_training(db, "LAP-T3", date(2031, 5, 5), DISKOMINFO[2:7], kind="workshop", anonymous=False, jp=12)
    for nip in DISKOMINFO[2:6]:
        submit(db, t3, nip, random_answers(rng, t3.structure, texts=["Saran terbuka T3"]))
    out["T3"] = t3
    t4 = build_training(db, "LAP-T4", date(2031, 6, 20), DISDUKCAPIL[4:10], kind="seminar", closes=date(2031, 7, 15), jp=4)
    for nip in DISDUKCAPIL[4:10]:
        submit(db, t4, nip, random_answers(rng, t4.structure))
    out["T4"] = t4
    t5 = build_training(db, "LAP-T5", date(2031, 5, 25), KECAMATAN[:7], jp=8)
    relevansi = question_id(t5, "relevansi")
    for i, nip in enumerate(KECAMATAN[:5]):
        submit(db, t5, nip, random_answers(rng, t5.structure, skip={relevansi} if i >= 3 else set(), texts=[f"Saran T5 {i}"]))
    out["T5"] = t5
    return out


# --------------------------------------------------------------------------- independent recomputation from raw rows


def raw_l1(db, start: date, end: date, today: date, min_group: int = 5, training_ids: list[int] | None = None) -> dict:
    """Satisfaction per dimension and overall, NPS and per-month index, straight from the answers."""
    trainings = db.execute(
        select(Training.id, Training.ends_on, Training.survey_closes_on, Training.reaction_questionnaire_id, Questionnaire.anonymous)
        .join(Questionnaire, Questionnaire.id == Training.reaction_questionnaire_id)
        .where(Training.ends_on >= start, Training.ends_on <= min(end, today))
    ).all()
    dims: dict[str, list[int]] = {}
    nps: dict[int, int] = {}
    months: dict[tuple[int, int], list[int]] = {}
    shown = []
    per_training = {}
    for tid, ends_on, closes, qid, anonymous in trainings:
        if training_ids is not None and tid not in training_ids:
            continue
        responses = db.execute(
            select(func.count()).select_from(SurveyResponse).where(SurveyResponse.training_id == tid, SurveyResponse.questionnaire_id == qid)
        ).scalar_one()
        if anonymous and (closes is None or closes >= today or responses < min_group):
            continue
        if responses == 0:
            continue
        shown.append(tid)
        rows = db.execute(
            select(Answer.question_id, Question.kind, Question.dimension, Answer.value_num)
            .join(SurveyResponse, SurveyResponse.id == Answer.response_id)
            .join(Question, Question.id == Answer.question_id)
            .where(SurveyResponse.training_id == tid)
        ).all()
        by_q: dict[int, list] = {}
        for qid_, kind, dim, num in rows:
            by_q.setdefault(qid_, []).append((kind, dim, num))
        t_n = t_total = 0
        t_dims: dict[str, list[int]] = {}
        for qid_, answers in by_q.items():
            kind, dim = answers[0][0], answers[0][1]
            if anonymous and len(answers) < min_group:
                continue
            if kind == "likert5":
                values = [a[2] for a in answers if a[2] is not None]
                acc = dims.setdefault(dim, [0, 0])
                acc[0] += len(values)
                acc[1] += sum(values)
                td = t_dims.setdefault(dim, [0, 0])
                td[0] += len(values)
                td[1] += sum(values)
                t_n += len(values)
                t_total += sum(values)
            elif kind == "scale0_10":
                for a in answers:
                    nps[a[2]] = nps.get(a[2], 0) + 1
        per_training[tid] = {"n": t_n, "total": t_total, "dims": t_dims, "responses": responses}
        m = months.setdefault((ends_on.year, ends_on.month), [0, 0])
        m[0] += t_n
        m[1] += t_total
    n = sum(v[0] for v in dims.values())
    total = sum(v[1] for v in dims.values())
    nps_n = sum(nps.values())
    return {
        "shown": sorted(shown),
        "index": (total / n - 1) / 4 * 100 if n else None,
        "dims": {d: (v[1] / v[0] - 1) / 4 * 100 for d, v in dims.items()},
        "dim_n": {d: v[0] for d, v in dims.items()},
        "nps": (sum(c for v, c in nps.items() if v >= 9) - sum(c for v, c in nps.items() if v <= 6)) * 100 / nps_n if nps_n else None,
        "nps_n": nps_n,
        "months": {k: (v[1] / v[0] - 1) / 4 * 100 for k, v in months.items() if v[0]},
        "per_training": per_training,
    }


def raw_counts(db, start: date, end: date, today: date, unit_ids=None) -> dict:
    """Participants, JP, JP compliance and L1 response rate from enrollments and invitations."""
    held = [Training.ends_on >= start, Training.ends_on <= min(end, today)]
    enr = db.execute(
        select(Enrollment.employee_id, Enrollment.status, Enrollment.jp_credited, Employee.unit_id)
        .join(Training, Training.id == Enrollment.training_id)
        .join(Employee, Employee.id == Enrollment.employee_id)
        .where(*held)
    ).all()
    credited = [e for e in enr if e.status in ("attended", "completed") and (unit_ids is None or e.unit_id in unit_ids)]
    year = end.year
    jp_rows = db.execute(
        select(Enrollment.employee_id, Enrollment.jp_credited, Enrollment.status)
        .join(Training, Training.id == Enrollment.training_id)
        .where(Training.ends_on >= date(year, 1, 1), Training.ends_on <= date(year, 12, 31))
    ).all()
    jp_per: dict[int, int] = {}
    for emp_id, jp, status in jp_rows:
        if status in ("attended", "completed"):
            jp_per[emp_id] = jp_per.get(emp_id, 0) + jp
    employees = db.execute(select(Employee.id, Employee.unit_id).where(Employee.is_active.is_(True))).all()
    employees = [e for e in employees if unit_ids is None or e.unit_id in unit_ids]
    reached = sum(1 for e in employees if jp_per.get(e.id, 0) >= 20)
    invs = db.execute(
        select(SurveyInvitation.status, Employee.unit_id)
        .join(Training, Training.id == SurveyInvitation.training_id)
        .join(Employee, Employee.id == SurveyInvitation.employee_id)
        .where(*held, SurveyInvitation.questionnaire_id == Training.reaction_questionnaire_id)
    ).all()
    invs = [i for i in invs if unit_ids is None or i.unit_id in unit_ids]
    return {
        "participants": len({e.employee_id for e in credited}),
        "jp": sum(e.jp_credited for e in credited),
        "jp_percent": reached * 100 / len(employees) if employees else None,
        "reached": reached,
        "employees": len(employees),
        "invited": len(invs),
        "submitted": sum(1 for i in invs if i.status == "submitted"),
    }


def tile(html: str, tile_id: str) -> str:
    m = re.search(rf'id="{tile_id}"><span class="tile-value">(.*?)</span>', html, re.DOTALL)
    assert m, f"tile {tile_id} not found"
    return text_of(m.group(1)).strip()


def f1(value: float | None) -> str:
    return "–" if value is None else format_number(value, 1)


def pct(value: float | None) -> str:
    return "–" if value is None else format_number(value, 0) + "%"


def signed0(value: float | None) -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + format_number(value, 0)


H1 = "periode=rentang&dari=2031-01-01&sampai=2031-06-30"


def hr(client) -> None:
    login(client, DEMO["hr"])


# --------------------------------------------------------------------------- dashboard figures


def test_dashboard_figures_equal_a_recount_from_raw_rows(client, db, scenario):
    hr(client)
    start, end = date(2031, 1, 1), date(2031, 6, 30)
    expected = raw_l1(db, start, end, TODAY)
    counts = raw_counts(db, start, end, TODAY)
    # which trainings count: T1, T3 and T5; T2 (3 answers) and T4 (window open) do not
    ids = {k: b.training_id for k, b in scenario.items()}
    assert expected["shown"] == sorted([ids["T1"], ids["T3"], ids["T5"]])

    units = reports.unit_options(db)
    filters = reports.parse_filters({"periode": "rentang", "dari": "2031-01-01", "sampai": "2031-06-30"}, TODAY, units)
    d = reports.dashboard(db, filters, TODAY, 5)
    assert sorted(t.id for t in d.shown_trainings) == expected["shown"]
    assert d.index == pytest.approx(expected["index"])
    assert {x.key: x.index for x in d.dims} == pytest.approx(expected["dims"])
    assert {x.key: x.n for x in d.dims} == expected["dim_n"]
    assert d.nps.score == pytest.approx(expected["nps"])
    assert d.nps.n == expected["nps_n"]
    assert {(m.month.year, m.month.month): m.index for m in d.months if m.index is not None} == pytest.approx(expected["months"])
    for t in d.trainings:
        if t.shown:
            raw = expected["per_training"][t.id]
            assert t.index == pytest.approx((raw["total"] / raw["n"] - 1) / 4 * 100)
            assert t.submitted_all == raw["responses"]
    assert d.participants == counts["participants"]
    assert d.jp_delivered == counts["jp"]
    assert d.jp.percent == pytest.approx(counts["jp_percent"])
    assert (d.invited, d.submitted) == (counts["invited"], counts["submitted"])
    assert len(d.trainings) == 5

    html = client.get(f"/laporan?{H1}").text
    assert tile(html, "tile-pelatihan") == "5"
    assert tile(html, "tile-peserta") == format_number(counts["participants"])
    assert tile(html, "tile-jp") == format_number(counts["jp"])
    assert tile(html, "tile-20jp") == pct(counts["jp_percent"])
    assert tile(html, "tile-respons") == pct(counts["submitted"] * 100 / counts["invited"])
    assert tile(html, "tile-kepuasan") == f1(expected["index"])
    assert tile(html, "tile-nps") == signed0(expected["nps"])
    assert tile(html, "tile-dampak") == "–"
    assert "Belum ada data penerapan (L3)" in html
    # the dimension chart and its numbers table
    chart = html[html.index('id="grafik-dimensi"'):html.index('id="grafik-bulan"')]
    for key, value in expected["dims"].items():
        assert reports.dimension_label(key) in chart
        assert f1(value) in chart
    # the monthly line chart has a point per month with data
    line = html[html.index('id="grafik-bulan"'):html.index('id="grafik-peringkat"')]
    for value in expected["months"].values():
        assert f1(value) in line


def test_training_list_figures_per_training_equal_the_raw_rows(client, db, scenario):
    hr(client)
    units = reports.unit_options(db)
    filters = reports.parse_filters({"periode": "rentang", "dari": "2031-01-01", "sampai": "2031-06-30"}, TODAY, units)
    d = reports.dashboard(db, filters, TODAY, 5, with_participants=True)
    html = client.get(f"/laporan/pelatihan?{H1}").text
    for t in d.trainings:
        enr = db.execute(select(Enrollment.status, Enrollment.jp_credited).where(Enrollment.training_id == t.id)).all()
        assert t.participants == sum(1 for e in enr if e.status in ("attended", "completed"))
        assert t.jp_delivered == sum(e.jp_credited for e in enr if e.status in ("attended", "completed"))
        inv = db.execute(select(SurveyInvitation.status).where(SurveyInvitation.training_id == t.id)).scalars().all()
        assert (t.invited, t.submitted) == (len(inv), sum(1 for x in inv if x == "submitted"))
        row = re.search(rf'<a href="/laporan/pelatihan/{t.id}">.*?</tr>', html, re.DOTALL).group(0)
        assert f">{t.participants}</td>" in row
        assert f"{t.submitted}/{t.invited}" in row
        if t.shown:
            assert f1(t.index) in row
        else:
            assert reports.state_text(t, 5).replace("<", "&lt;") in row


def test_dashboard_with_a_unit_filter_counts_the_units_staff_but_never_splits_anonymous_l1(client, db, scenario):
    hr(client)
    units = reports.unit_options(db)
    kominfo = db.execute(select(Employee.unit_id).where(Employee.nip == DISKOMINFO[0])).scalar_one()
    start, end = date(2031, 1, 1), date(2031, 6, 30)
    counts = raw_counts(db, start, end, TODAY, unit_ids={kominfo})
    filters = reports.parse_filters({"periode": "rentang", "dari": "2031-01-01", "sampai": "2031-06-30", "unit": str(kominfo)}, TODAY, units)
    d = reports.dashboard(db, filters, TODAY, 5)
    # attributed figures: the unit's own staff
    assert d.participants == counts["participants"]
    assert d.jp_delivered == counts["jp"]
    assert (d.invited, d.submitted) == (counts["invited"], counts["submitted"])
    assert d.jp.percent == pytest.approx(counts["jp_percent"])
    # L1: the trainings the unit attended (T1 and T3), over ALL their respondents
    ids = sorted(t.id for t in d.shown_trainings)
    assert ids == sorted([scenario["T1"].training_id, scenario["T3"].training_id])
    expected = raw_l1(db, start, end, TODAY, training_ids=ids)
    assert d.index == pytest.approx(expected["index"])
    html = client.get(f"/laporan?{H1}&unit={kominfo}").text
    assert "tidak dirinci per unit" in html
    assert tile(html, "tile-kepuasan") == f1(expected["index"])


def test_differencing_two_filters_never_isolates_a_small_group(client, db, scenario):
    """T2 has 3 respondents. Neither the period that contains it nor the unit of its participants may
    change any L1 figure compared with the same view without T2: the difference would be T2's answers."""
    hr(client)
    units = reports.unit_options(db)

    def dash(**raw: str) -> reports.Dashboard:
        return reports.dashboard(db, reports.parse_filters(raw, TODAY, units), TODAY, 5)

    # period [1 Apr .. 30 Apr] holds only T2; [1 Apr .. 10 May] adds T3: the difference must not reveal T2
    only_t2 = dash(periode="rentang", dari="2031-04-01", sampai="2031-04-30")
    with_t3 = dash(periode="rentang", dari="2031-04-01", sampai="2031-05-10")
    just_t3 = dash(periode="rentang", dari="2031-05-01", sampai="2031-05-10")
    assert only_t2.index is None and only_t2.nps.n == 0 and not only_t2.dims
    assert with_t3.index == pytest.approx(just_t3.index)
    assert [(x.key, x.n, x.total) for x in with_t3.dims] == [(x.key, x.n, x.total) for x in just_t3.dims]
    assert with_t3.nps == just_t3.nps
    # the whole half-year vs the half-year without April: identical L1 figures
    half = dash(periode="rentang", dari="2031-01-01", sampai="2031-06-30")
    jan_mar = dash(periode="rentang", dari="2031-01-01", sampai="2031-03-31")
    may_jun = dash(periode="rentang", dari="2031-05-01", sampai="2031-06-30")
    assert half.likert_n == jan_mar.likert_n + may_jun.likert_n
    assert half.likert_total == jan_mar.likert_total + may_jun.likert_total
    # by unit: T2's participants are all in the kecamatan; its L1 is not shown for that unit either
    kec = db.execute(select(Employee.unit_id).where(Employee.nip == KECAMATAN[0])).scalar_one()
    by_unit = dash(periode="rentang", dari="2031-04-01", sampai="2031-04-30", unit=str(kec))
    assert by_unit.index is None and by_unit.nps.n == 0
    # a monthly point with T2 only is empty (and its table row says so)
    html = client.get("/laporan?periode=rentang&dari=2031-04-01&sampai=2031-04-30").text
    assert tile(html, "tile-kepuasan") == "–" and tile(html, "tile-nps") == "–"
    assert "1 pelatihan belum ditampilkan" in html
    listing = client.get("/laporan/pelatihan?periode=rentang&dari=2031-04-01&sampai=2031-04-30").text
    assert HIDDEN in listing and "LAP-T2" in listing  # the list of trainings says why


def test_open_window_results_appear_only_after_the_survey_closes(client, db, scenario):
    hr(client)
    t4 = scenario["T4"].training_id
    page = client.get(f"/laporan/pelatihan/{t4}").text
    assert "hasil tampil setelah ditutup" in page
    assert 'id="grafik-sebaran"' not in page
    clock.freeze_today(date(2031, 7, 20))
    try:
        page = client.get(f"/laporan/pelatihan/{t4}").text
        assert 'id="grafik-sebaran"' in page
        units = reports.unit_options(db)
        d = reports.dashboard(db, reports.parse_filters({"periode": "2031"}, date(2031, 7, 20), units), date(2031, 7, 20), 5)
        assert t4 in {t.id for t in d.shown_trainings}
    finally:
        clock.freeze_today(TODAY)


# --------------------------------------------------------------------------- training report


def _raw_question_counts(db, training_id: int) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    for qid, kind, num, txt in db.execute(
        select(Answer.question_id, Question.kind, Answer.value_num, Answer.value_text)
        .join(SurveyResponse, SurveyResponse.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .where(SurveyResponse.training_id == training_id)
    ):
        c = out.setdefault(qid, {})
        if kind in ("likert5", "scale0_10", "single"):
            c[str(num)] = c.get(str(num), 0) + 1
        elif kind == "multi":
            for part in (txt or "").split(","):
                c[part] = c.get(part, 0) + 1
        c["_n"] = c.get("_n", 0) + 1
    return out


def test_training_report_figures_equal_a_recount_from_raw_rows(client, db, scenario):
    hr(client)
    b = scenario["T1"]
    raw = _raw_question_counts(db, b.training_id)
    expected = raw_l1(db, date(2031, 1, 1), date(2031, 6, 30), TODAY, training_ids=[b.training_id])
    rep = reports.training_report(db, b.training_id, TODAY, 5, 30)
    assert rep.shown
    assert (rep.invited, rep.submitted) == (10, 8)
    assert rep.response_rate == pytest.approx(80.0)
    assert rep.index == pytest.approx(expected["index"])
    assert {d.key: d.index for d in rep.dims} == pytest.approx(expected["dims"])
    for q in rep.questions:
        counts = raw.get(q.id, {})
        assert q.n == counts.get("_n", 0), q.text
        if q.kind == "likert5":
            assert [c.count for c in q.categories] == [counts.get(str(v), 0) for v in range(1, 6)]
            values = [v for v in range(1, 6) for _ in range(counts.get(str(v), 0))]
            assert q.mean == pytest.approx(sum(values) / len(values))
            assert q.agree == pytest.approx((counts.get("4", 0) + counts.get("5", 0)) * 100 / len(values))
        elif q.kind == "scale0_10":
            assert [c.count for c in q.categories] == [counts.get(str(v), 0) for v in range(11)]
        elif q.kind in ("single", "multi"):
            assert [c.count for c in q.categories] == [counts.get(str(i), 0) for i in range(len(q.options))]
            assert [c.percent for c in q.categories] == pytest.approx([counts.get(str(i), 0) * 100 / counts["_n"] for i in range(len(q.options))])
    assert rep.nps.score == pytest.approx(expected["nps"])
    nps_q = next(q for q in rep.questions if q.kind == "scale0_10")
    values = [v for v in range(11) for _ in range(raw[nps_q.id].get(str(v), 0))]
    assert rep.nps.promoters == sum(v >= 9 for v in values)
    assert rep.nps.detractors == sum(v <= 6 for v in values)
    assert rep.nps.passives == sum(7 <= v <= 8 for v in values)

    html = client.get(f"/laporan/pelatihan/{b.training_id}").text
    assert tile(html, "tile-respons") == "80%"
    assert tile(html, "tile-kepuasan") == f1(expected["index"])
    assert tile(html, "tile-nps") == signed0(expected["nps"])
    # the distribution table: per Likert question "count (pct%)" per value
    table = html[html.index('id="grafik-sebaran"'):]
    for q in rep.likert_questions:
        row = re.search(rf"<th scope=\"row\">{q.number}\. {re.escape(q.text)}</th>(.*?)</tr>", table, re.DOTALL)
        assert row, q.text
        cells = [text_of(c).strip() for c in re.findall(r'<td class="num">(.*?)</td>', row.group(1), re.DOTALL)]
        assert cells[0] == str(q.n)
        for v, cell in zip(range(1, 6), cells[1:], strict=True):
            n_v = raw[q.id].get(str(v), 0)
            assert cell == f"{n_v} ({format_number(n_v * 100 / q.n, 0)}%)"


def test_training_report_compares_with_trainings_of_the_same_kind(client, db, scenario):
    hr(client)
    # T1 and T5 are both 'pelatihan' and shown; T2 is 'pelatihan' but hidden: T1's peers are T5 alone
    rep = reports.training_report(db, scenario["T1"].training_id, TODAY, 5, 30)
    expected = raw_l1(db, date(2031, 1, 1), date(2031, 6, 30), TODAY, training_ids=[scenario["T5"].training_id])
    assert rep.peers.count == 1
    assert rep.peers.index == pytest.approx(expected["index"])
    assert {k: d.index for k, d in rep.peers.dims.items()} == pytest.approx(expected["dims"])
    html = client.get(f"/laporan/pelatihan/{scenario['T1'].training_id}").text
    assert f"pelatihan sejenis: {f1(expected['index'])}" in html


def test_small_training_hides_every_figure_and_comment(client, db, scenario):
    hr(client)
    t2 = scenario["T2"].training_id
    html = client.get(f"/laporan/pelatihan/{t2}").text
    assert HIDDEN in html
    assert "Komentar rahasia" not in html
    for chart in ("grafik-dimensi", "grafik-sebaran", "grafik-nps"):
        assert f'id="{chart}"' not in html
    assert tile(html, "tile-kepuasan") == "–"
    assert tile(html, "tile-nps") == "–"
    assert tile(html, "tile-respons") == "50%"  # who answered is not anonymous: 3 of 6
    # the comments fragment (htmx) and its full-page variant hide them too
    q = question_id(scenario["T2"], kind="text")
    frag = client.get(f"/laporan/pelatihan/{t2}/komentar?pertanyaan={q}&cari=rahasia", headers={"HX-Request": "true"})
    assert frag.status_code == 200 and "<html" not in frag.text
    assert "Komentar rahasia" not in frag.text and HIDDEN in frag.text
    full = client.get(f"/laporan/pelatihan/{t2}/komentar?pertanyaan={q}&cari=rahasia").text
    assert "<html" in full and "Komentar rahasia" not in full
    # the print view too
    printable = client.get(f"/laporan/pelatihan/{t2}/cetak").text
    assert HIDDEN in printable and "Komentar rahasia" not in printable
    # and the service itself never reads them
    rep = reports.training_report(db, t2, TODAY, 5, 30)
    assert all(q.hidden and not q.counts and q.total == 0 for q in rep.questions)
    page = reports.comments(db, rep, rep.text_questions[0], "", 1)
    assert page.rows == [] and not page.allowed


def test_a_question_with_fewer_than_five_answers_is_hidden_and_not_pooled(client, db, scenario):
    hr(client)
    b = scenario["T5"]
    rel = question_id(b, "relevansi")
    rep = reports.training_report(db, b.training_id, TODAY, 5, 30)
    q = next(q for q in rep.questions if q.id == rel)
    assert q.hidden and q.counts == {}
    assert "relevansi" not in {d.key for d in rep.dims}
    expected = raw_l1(db, date(2031, 1, 1), date(2031, 6, 30), TODAY, training_ids=[b.training_id])
    assert rep.index == pytest.approx(expected["index"])  # the recount skips the 3-answer item as well
    html = client.get(f"/laporan/pelatihan/{b.training_id}").text
    row = re.search(rf"<th scope=\"row\">{q.number}\. {re.escape(q.text)}</th>(.*?)</tr>", html, re.DOTALL)
    assert row and HIDDEN in row.group(1)


def test_comments_are_paged_searchable_and_escaped(client, db, frozen):
    hr(client)
    nips = DISDUKCAPIL[:10] + DISKOMINFO[:2]
    b = build_training(db, "LAP-KOM", date(2031, 2, 1), nips)
    texts = [f"Komentar nomor {i:02d} tentang ruang kelas" for i in range(9)] + [
        "<script>alert(1)</script>", '=HYPERLINK("http://x","y")', "Proyektor 100% rusak_total",
    ]
    rng = random.Random(1)
    for nip, text in zip(nips, texts, strict=True):
        submit(db, b, nip, random_answers(rng, b.structure, texts=[text]))
    q = question_id(b, kind="text")
    html = client.get(f"/laporan/pelatihan/{b.training_id}").text
    assert "<script>alert(1)</script>" not in html
    assert "12 komentar" in html and "halaman 1 dari 2" in html
    page2 = client.get(f"/laporan/pelatihan/{b.training_id}/komentar?pertanyaan={q}&hal=2", headers={"HX-Request": "true"}).text
    page1 = client.get(f"/laporan/pelatihan/{b.training_id}/komentar?pertanyaan={q}&hal=1", headers={"HX-Request": "true"}).text
    shown = [li for ul in re.findall(r'<ul class="comment-list">(.*?)</ul>', page1 + page2, re.DOTALL) for li in re.findall(r"<li>(.*?)</li>", ul, re.DOTALL)]
    assert len(shown) == 12
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page1 + page2
    assert "<script>alert(1)</script>" not in page1 + page2
    # search: case-insensitive, and % and _ are literal characters, not wildcards
    found = client.get(f"/laporan/pelatihan/{b.training_id}/komentar?pertanyaan={q}&cari=RUANG", headers={"HX-Request": "true"}).text
    assert "9 komentar berisi" in found
    literal = client.get(f"/laporan/pelatihan/{b.training_id}/komentar?pertanyaan={q}&cari=100%25", headers={"HX-Request": "true"}).text
    assert "1 komentar berisi" in literal and "rusak_total" in literal
    underscore = client.get(f"/laporan/pelatihan/{b.training_id}/komentar?pertanyaan={q}&cari=s_k", headers={"HX-Request": "true"}).text
    assert "0 komentar berisi" in underscore
    xss = client.get(f"/laporan/pelatihan/{b.training_id}/komentar?pertanyaan={q}&cari=%3Cscript%3E", headers={"HX-Request": "true"}).text
    assert "<script>" not in xss and "&lt;script&gt;" in xss


# --------------------------------------------------------------------------- JP compliance and response monitoring


def test_jp_compliance_per_unit_and_the_sorted_list_below_20(client, db, scenario):
    hr(client)
    counts = raw_counts(db, date(2031, 1, 1), date(2031, 12, 31), TODAY)
    html = client.get("/laporan/jp?periode=2031").text
    assert tile(html, "tile-capai") == pct(counts["jp_percent"])
    assert tile(html, "tile-pegawai") == format_number(counts["employees"])
    assert tile(html, "tile-kurang") == format_number(counts["employees"] - counts["reached"])
    units = reports.unit_options(db)
    filters = reports.parse_filters({"periode": "2031"}, TODAY, units)
    rep = reports.jp_report(db, filters, "jp", "turun", 1, per_page=200)
    jps = [e.jp for e in rep.below]
    assert jps == sorted(jps, reverse=True) and all(j < 20 for j in jps)
    assert rep.below_total == counts["employees"] - counts["reached"]
    # T1 gave 24 JP to its 10 participants: none of them is below 20
    assert not {e.nip for e in rep.below} & set(DISDUKCAPIL[:6] + DISKOMINFO[:4])
    by_name = reports.jp_report(db, filters, "nama", "naik", 1, per_page=200)
    names = [e.name for e in by_name.below]
    assert names == sorted(names)
    # sorting through htmx returns the fragment only and the link pushes a shareable URL
    frag = client.get("/laporan/jp?periode=2031&urut=nama&arah=turun", headers={"HX-Request": "true"})
    assert "<html" not in frag.text and 'aria-sort="descending"' in frag.text


def test_response_monitoring_counts_and_people_list(client, db, scenario):
    hr(client)
    units = reports.unit_options(db)
    filters = reports.parse_filters({"periode": "rentang", "dari": "2031-01-01", "sampai": "2031-06-30"}, TODAY, units)
    m = reports.monitoring(db, filters, TODAY, 30, "l1", "belum", 1)
    invs = db.execute(
        select(SurveyInvitation.training_id, SurveyInvitation.status, SurveyInvitation.closes_on)
        .where(SurveyInvitation.training_id.in_([b.training_id for b in scenario.values()]))
    ).all()
    by_t: dict[int, list] = {}
    for tid, status, closes in invs:
        by_t.setdefault(tid, []).append((status, closes))
    for row in m.trainings:
        items = by_t[row.key]
        assert row.l1.invited == len(items)
        assert row.l1.submitted == sum(s == "submitted" for s, _c in items)
        assert row.l1.overdue == sum(s != "submitted" and c < TODAY for s, c in items)
        assert row.l1.pending == sum(s != "submitted" and c >= TODAY for s, c in items)
    assert m.people_total == sum(s != "submitted" for items in by_t.values() for s, _c in items)
    html = client.get(f"/laporan/respons?{H1}").text
    assert tile(html, "tile-l1-rate") == pct(m.total_l1.rate)
    assert "Belum ada data penerapan (L3)" in html
    # names are listed, answers never: no question text appears on the page
    assert "Budi Santoso" in html and "Cindy Halim" in html  # invited to T1, did not answer
    assert "Kevin Tanoto" not in html  # answered T1 and T4
    for q in scenario["T1"].structure.questions:
        assert q.text not in html


def test_response_monitoring_pages_its_trainings_and_people_and_links_keep_the_filters(client, db, scenario, monkeypatch):
    hr(client)
    units = reports.unit_options(db)
    filters = reports.parse_filters({"periode": "rentang", "dari": "2031-01-01", "sampai": "2031-06-30"}, TODAY, units)
    whole = reports.monitoring(db, filters, TODAY, 30, "l1", "semua", 1, per_page=10_000, trainings_per_page=10_000)
    assert len(whole.trainings) >= 2 and whole.people_total >= 2
    seen_trainings, seen_people = [], []
    for n in range(1, len(whole.trainings) + 1):
        m = reports.monitoring(db, filters, TODAY, 30, "l1", "semua", n, per_page=1, trainings_page=n, trainings_per_page=1)
        assert (m.trainings_total, m.trainings_pages, m.trainings_page) == (len(whole.trainings), len(whole.trainings), n)
        assert (m.total_l1.invited, m.total_l1.submitted) == (whole.total_l1.invited, whole.total_l1.submitted)  # totals count every page
        seen_trainings += [t.key for t in m.trainings]
        seen_people += [(p.name, p.training_id) for p in m.people]
    assert seen_trainings == [t.key for t in whole.trainings]
    assert len(seen_people) == min(len(whole.trainings), whole.people_total)
    # the page: both lists paged with links that keep the period, the kind and the status
    original = reports.monitoring

    def small_pages(*args, **kwargs):
        return original(*args, **{**kwargs, "per_page": 1, "trainings_per_page": 1})

    monkeypatch.setattr(reports, "monitoring", small_pages)
    html = client.get(f"/laporan/respons?{H1}&status=semua&hal=2").text
    people_nav = re.search(r'<nav class="pagination" aria-label="Halaman daftar">(.*?)</nav>', html, re.DOTALL)
    trainings_nav = re.search(r'<nav class="pagination" aria-label="Halaman pelatihan">(.*?)</nav>', html, re.DOTALL)
    assert people_nav and trainings_nav
    prev = re.search(r'href="([^"]+)" rel="prev"', people_nav.group(1))
    assert prev and "dari=2031-01-01" in prev.group(1) and "status=semua" in prev.group(1) and "jenis=l1" in prev.group(1)
    assert prev.group(1).endswith("hal=1") and 'hx-target="#respons-hasil"' in people_nav.group(1)
    after = re.search(r'href="([^"]+)" rel="next"', trainings_nav.group(1))
    assert after and after.group(1).endswith("hal_pelatihan=2") and "hal=2" in after.group(1)
    people = html[html.index('id="judul-orang"'):]
    assert len(re.findall(r'<tr[^>]*>\s*<th scope="row"', people)) == 1


def test_training_list_is_paged_and_its_links_keep_the_period(client, scenario, monkeypatch):
    from portal.web import reports as reports_web

    def listed(html: str) -> int:
        return len(re.findall(r'<th scope="row"[^>]*><a href="/laporan/pelatihan/\d+"', html))

    hr(client)
    everything = client.get(f"/laporan/pelatihan?{H1}").text
    rows = listed(everything)
    assert rows >= 2 and 'class="pagination"' not in everything
    monkeypatch.setattr(reports_web, "TRAININGS_PER_PAGE", 1)
    second = client.get(f"/laporan/pelatihan?{H1}&hal=2").text
    assert listed(second) == 1
    assert f"Halaman 2 dari {rows}" in text_of(second)
    prev = re.search(r'<nav class="pagination"[^>]*>.*?href="([^"]+)" rel="prev"', second, re.DOTALL)
    assert prev and "dari=2031-01-01" in prev.group(1) and "sampai=2031-06-30" in prev.group(1) and prev.group(1).endswith("hal=1")
    last = client.get(f"/laporan/pelatihan?{H1}&hal=999").text  # past the end: the last page
    assert f"Halaman {rows} dari {rows}" in text_of(last)


def test_l3_monitoring_and_impact_from_rows_inserted_directly(client, db, scenario):
    """The L3 feature is built elsewhere: insert ratings and impact scores as its rows would look."""
    hr(client)
    b = scenario["T1"]
    l3q = make_questionnaire(db, (("Penerapan", "penerapan", "likert5", "Menerapkan hasil pelatihan.", True, {}),), anonymous=False)
    db.execute(Questionnaire.__table__.update().where(Questionnaire.id == l3q).values(purpose="application"))
    # due 30 days after the end (10 Mar) -> 9 Apr, open 30 days -> overdue after 9 May (today is 30 Jun)
    db.execute(Training.__table__.update().where(Training.id == b.training_id).values(application_questionnaire_id=l3q, application_due_days=30))
    enrollments = db.execute(select(Enrollment.id, Enrollment.employee_id).where(Enrollment.training_id == b.training_id).order_by(Enrollment.id)).all()
    hr_id = db.execute(select(Employee.id).where(Employee.nip == DEMO["hr"])).scalar_one()
    scores = [(85.0, "sangat berdampak"), (60.0, "cukup berdampak"), (40.0, "kurang berdampak")]
    for (enr_id, _emp), (index, category) in zip(enrollments, scores, strict=False):
        db.add(ApplicationRating(enrollment_id=enr_id, questionnaire_id=l3q, rater_id=hr_id, rater_role="supervisor", status="submitted"))
        db.add(ImpactScore(enrollment_id=enr_id, application_score=index, impact_index=index, category=category, formula_version="v1"))
    db.add(ApplicationRating(enrollment_id=enrollments[3][0], questionnaire_id=l3q, rater_id=hr_id, rater_role="supervisor", status="draft"))
    db.commit()
    html = client.get(f"/laporan?{H1}").text
    assert tile(html, "tile-dampak") == f1((85 + 60 + 40) / 3)
    assert 'id="grafik-dampak"' in html and b.code in html
    report = client.get(f"/laporan/pelatihan/{b.training_id}").text
    assert tile(report, "tile-dampak") == f1((85 + 60 + 40) / 3)
    assert "3 dari 10 alumni sudah dinilai" in report
    assert "7 lewat batas waktu" in report
    assert "Sangat berdampak" in report
    units = reports.unit_options(db)
    filters = reports.parse_filters({"periode": "rentang", "dari": "2031-01-01", "sampai": "2031-06-30"}, TODAY, units)
    m = reports.monitoring(db, filters, TODAY, 30, "l3", "terlambat", 1)
    assert m.has_l3
    assert (m.total_l3.invited, m.total_l3.submitted, m.total_l3.overdue) == (10, 3, 7)
    assert m.people_total == 7
    assert all(p.state == "overdue" for p in m.people)
    page = client.get(f"/laporan/respons?{H1}&jenis=l3&status=terlambat").text
    assert tile(page, "tile-l3-overdue") == "7"


def test_l3_overdue_starts_the_day_after_the_window_as_in_the_rules(client, db, scenario):
    """HR's monitoring follows rules.l3_schedule, like the supervisor's work list: due 30 days after the
    end (10 Mar -> 9 Apr), expected for 30 days from that day included (9 Apr .. 8 May); on 8 May
    nothing is overdue, from 9 May every rating not submitted is; the counts, the people list, its
    export and the training report agree."""
    hr(client)
    b = scenario["T1"]
    l3q = make_questionnaire(db, (("Penerapan", "penerapan", "likert5", "Menerapkan hasil pelatihan.", True, {}),), anonymous=False)
    db.execute(Questionnaire.__table__.update().where(Questionnaire.id == l3q).values(purpose="application"))
    db.execute(Training.__table__.update().where(Training.id == b.training_id).values(application_questionnaire_id=l3q, application_due_days=30))
    enrollment_ids = db.execute(select(Enrollment.id).where(Enrollment.training_id == b.training_id).order_by(Enrollment.id)).scalars().all()
    hr_id = db.execute(select(Employee.id).where(Employee.nip == DEMO["hr"])).scalar_one()
    for enr_id in enrollment_ids[:3]:
        db.add(ApplicationRating(enrollment_id=enr_id, questionnaire_id=l3q, rater_id=hr_id, rater_role="supervisor", status="submitted"))
    db.commit()
    schedule = l3_schedule(date(2031, 3, 10), 30, 30)
    last_day, first_late = date(2031, 5, 8), date(2031, 5, 9)
    assert (schedule.due_on, schedule.window_ends_on) == (date(2031, 4, 9), last_day)
    assert (schedule.state(last_day), schedule.state(first_late)) == ("due", "overdue")
    units = reports.unit_options(db)
    for today, late in ((last_day, False), (first_late, True)):
        filters = reports.parse_filters({"periode": "rentang", "dari": "2031-01-01", "sampai": "2031-06-30"}, today, units)
        m = reports.monitoring(db, filters, today, 30, "l3", "terlambat", 1)
        assert (m.total_l3.invited, m.total_l3.submitted) == (10, 3)
        assert (m.total_l3.pending, m.total_l3.overdue) == ((0, 7) if late else (7, 0)), today
        row = next(t for t in m.trainings if t.key == b.training_id)
        assert (row.l3_due_on, row.l3_closes_on, row.l3.overdue) == (schedule.due_on, last_day, 7 if late else 0)
        assert m.people_total == len(m.people) == (7 if late else 0)
        assert all(p.state == "overdue" and p.closes_on == last_day for p in m.people)
        waiting = reports.monitoring(db, filters, today, 30, "l3", "belum", 1)
        assert len(waiting.people) == 7 and {p.state for p in waiting.people} == {"overdue" if late else "pending"}
        assert all((p.opens_on, p.closes_on) == (schedule.due_on, last_day) for p in waiting.people)
        rep = reports.training_report(db, b.training_id, today, 5, 30)
        assert (rep.l3_due_on, rep.l3_closes_on, rep.l3.overdue) == (schedule.due_on, last_day, 7 if late else 0)
        clock.freeze_today(today)
        try:
            listed = client.get(f"/laporan/respons/ekspor/csv?{H1}&jenis=l3&status=terlambat").content.decode("utf-8-sig")
            page = client.get(f"/laporan/respons?{H1}&jenis=l3&status=belum").text
        finally:
            clock.freeze_today(TODAY)
        assert len(listed.strip().splitlines()) - 1 == (7 if late else 0)
        assert tile(page, "tile-l3-overdue") == ("7" if late else "0")


def test_empty_database_pages_render(client, db, frozen):
    """No trainings in the period at all (the demo data is in the real current year)."""
    hr(client)
    for url in ("/laporan", "/laporan/jp", "/laporan/respons", "/laporan?periode=2030&unit=999999"):
        resp = client.get(url)
        assert resp.status_code == 200, url
    html = client.get("/laporan").text
    assert "Belum ada pelatihan yang selesai pada periode ini." in html
    assert "Belum ada data penerapan (L3)" in html


# --------------------------------------------------------------------------- filters, fragments, history


def test_filter_request_from_htmx_gets_the_fragment_and_a_history_restore_the_full_page(client, db, scenario):
    hr(client)
    frag = client.get(f"/laporan?{H1}", headers={"HX-Request": "true", "HX-Request-Type": "partial"})
    assert frag.status_code == 200
    assert "<html" not in frag.text and 'id="tile-kepuasan"' in frag.text
    assert re.search(r'<hx-partial (data-)?hx-target="#report-nav"', frag.text) and "HX-Request" in frag.headers.get("vary", "")
    restore = client.get(f"/laporan?{H1}", headers={"HX-History-Restore-Request": "true", "HX-Request-Type": "full"})
    assert "<html" in restore.text and 'id="f-periode"' in restore.text and "hx-partial" not in restore.text
    # the form reflects the filter of the URL (so back/forward shows the right selection)
    assert '<option value="rentang" selected>' in restore.text
    assert 'value="2031-01-01"' in restore.text
    form = re.search(r'<form class="card report-filters"[^>]*>', restore.text).group(0)
    assert 'hx-get="/laporan"' in form and 'hx-push-url="true"' in form and 'hx-target="#dasbor"' in form


def test_invalid_filters_fall_back_with_a_message(client, db, frozen):
    hr(client)
    html = client.get("/laporan?periode=rentang&dari=2031-05-01&sampai=2031-04-01").text
    assert "Tanggal akhir harus sama dengan atau sesudah tanggal awal." in html
    assert "Ditampilkan: tahun 2031." in html
    assert client.get("/laporan?periode=abc&unit=x").status_code == 200


# --------------------------------------------------------------------------- access


def report_routes(training_id: int, attributed_id: int, questionnaire_id: int, text_q: int) -> list[str]:
    return [
        "/laporan",
        f"/laporan?{H1}",
        f"/laporan/pelatihan?{H1}",
        "/laporan/ekspor/csv",
        "/laporan/ekspor/xlsx",
        f"/laporan/jawaban/csv?kuesioner={questionnaire_id}&{H1}",
        f"/laporan/jawaban/xlsx?kuesioner={questionnaire_id}&{H1}",
        f"/laporan/pelatihan/{training_id}",
        f"/laporan/pelatihan/{training_id}/komentar?pertanyaan={text_q}",
        f"/laporan/pelatihan/{training_id}/cetak",
        f"/laporan/pelatihan/{training_id}/ekspor/csv",
        f"/laporan/pelatihan/{training_id}/ekspor/xlsx",
        f"/laporan/pelatihan/{attributed_id}/jawaban/csv",
        f"/laporan/pelatihan/{attributed_id}/jawaban/xlsx",
        "/laporan/jp",
        "/laporan/jp/ekspor/csv",
        "/laporan/jp/ekspor/xlsx",
        "/laporan/respons",
        "/laporan/respons/ekspor/csv",
        "/laporan/respons/ekspor/xlsx",
        f"/laporan/cetak?{H1}",
        "/laporan/jp/cetak",
        f"/laporan/penyelenggara?{H1}",
        f"/laporan/penyelenggara/cetak?{H1}",
        f"/laporan/penyelenggara/ekspor/csv?{H1}",
        f"/laporan/penyelenggara/ekspor/xlsx?{H1}",
        f"/laporan/pengingat?jenis=l1&pelatihan={training_id}",  # the confirmation only: it sends nothing
        f"/laporan/pengingat?jenis=jp&{H1}",
    ]


def _template(path: str) -> str:
    return re.sub(r"/\d+", "/{id}", path.split("?")[0])


def test_role_sweep_over_every_report_route(app, db, scenario):
    from litestar.testing import TestClient

    from portal.models import AuditEvent

    t1, t3 = scenario["T1"], scenario["T3"]
    routes = report_routes(t1.training_id, t3.training_id, t3.questionnaire_id, question_id(t1, kind="text"))
    # every route registered under /laporan is in the sweep
    registered = {re.sub(r"\{[^}]+\}", "{id}", r.path) for r in app.routes if r.path.startswith("/laporan")}
    swept = {re.sub(r"/(csv|xlsx)$", "/{id}", _template(p)) for p in routes}
    assert registered <= swept, registered - swept
    audits_before = db.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    for who, expected in ((None, 303), ("employee", 403), ("supervisor", 403), ("hr", 200), ("admin", 200)):
        with TestClient(app, base_url="http://testserver.local") as c:
            if who:
                login(c, DEMO[who])
            for path in routes:
                resp = c.get(path, follow_redirects=False)
                assert resp.status_code == expected, (who, path, resp.status_code)
                if expected == 303:
                    assert resp.headers["location"].startswith("/login")
                if expected == 403:
                    assert "Rekap" not in resp.text and "Laporan pengembangan" not in resp.text
                    frag = c.get(path, headers={"HX-Request": "true"})
                    assert frag.status_code == 403 and "<html" not in frag.text
    # denied attempts are not exports: only HR's and admin's exports were audited
    exports_per_user = sum(1 for p in routes if "/ekspor/" in p or "/jawaban/" in p)
    audits_after = db.execute(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "report.export")).scalar_one()
    assert audits_after == 2 * exports_per_user
    assert db.execute(select(func.count()).select_from(AuditEvent)).scalar_one() >= audits_before + 2 * exports_per_user


def test_raw_rows_of_an_anonymous_questionnaire_are_refused(client, db, scenario):
    hr(client)
    t1 = scenario["T1"]
    for fmt in ("csv", "xlsx"):
        assert client.get(f"/laporan/pelatihan/{t1.training_id}/jawaban/{fmt}").status_code == 403
        assert client.get(f"/laporan/jawaban/{fmt}?kuesioner={t1.questionnaire_id}").status_code == 403
    assert client.get(f"/laporan/pelatihan/{t1.training_id}/ekspor/pdf").status_code == 404
    assert client.get("/laporan/pelatihan/999999").status_code == 404


# --------------------------------------------------------------------------- bounded queries


def _count_queries(engine, client, url: str) -> int:
    with QueryCounter(engine) as qc:
        assert client.get(url).status_code == 200
    return qc.count


def test_pages_run_a_fixed_number_of_queries_whatever_the_data(client, db, engine, scenario):
    hr(client)
    t1 = scenario["T1"].training_id
    pages = {
        "dashboard": f"/laporan?{H1}",
        "list": f"/laporan/pelatihan?{H1}",
        "training": f"/laporan/pelatihan/{t1}",
        "jp": "/laporan/jp?periode=2031",
        "responses": f"/laporan/respons?{H1}",
    }
    small = {k: _count_queries(engine, client, u) for k, u in pages.items()}
    # more trainings, participants and answers
    rng = random.Random(7)
    for i in range(3):
        b = build_training(db, f"LAP-X{i}", date(2031, 2, 3 + i), DISDUKCAPIL + DISKOMINFO)
        for nip in DISDUKCAPIL + DISKOMINFO[:3]:
            submit(db, b, nip, random_answers(rng, b.structure, texts=["x"]))
    large = {k: _count_queries(engine, client, u) for k, u in pages.items()}
    assert small == large
    assert large["dashboard"] <= 12 and large["list"] <= 12 and large["training"] <= 18 and large["jp"] <= 12 and large["responses"] <= 14, large


def test_dashboard_of_the_current_year_counts_only_trainings_held_so_far(client, db, scenario):
    """A calendar year in progress: participants and JP delivered count the trainings ended by today
    (read from the JP summary while no later training has credited enrollments; counted from the
    enrollments once one has), with and without a unit filter; the 20 JP share is the whole year's."""
    hr(client)
    units = reports.unit_options(db)
    kominfo = db.execute(select(Employee.unit_id).where(Employee.nip == DISKOMINFO[0])).scalar_one()

    def check() -> None:
        for unit in (None, kominfo):
            counts = raw_counts(db, date(2031, 1, 1), date(2031, 12, 31), TODAY, unit_ids={unit} if unit else None)
            raw = {"periode": "2031", **({"unit": str(unit)} if unit else {})}
            d = reports.dashboard(db, reports.parse_filters(raw, TODAY, units), TODAY, 5)
            assert (d.participants, d.jp_delivered) == (counts["participants"], counts["jp"]), unit
            assert (d.jp.reached, d.jp.employees) == (counts["reached"], counts["employees"]), unit
        html = client.get("/laporan?periode=2031").text
        assert tile(html, "tile-peserta") == format_number(raw_counts(db, date(2031, 1, 1), date(2031, 12, 31), TODAY)["participants"])

    later_credited = (
        select(func.count()).select_from(Enrollment).join(Training, Training.id == Enrollment.training_id)
        .where(Training.ends_on > TODAY, Enrollment.status.in_(("attended", "completed")))
    )
    assert db.execute(later_credited).scalar_one() == 0  # the figures come from the JP summary
    check()
    # a training after today whose enrollments are already credited (recorded ahead): not held yet
    later = Training(code="LAP-NANTI", title="Pelatihan nanti", kind="pelatihan", mode="klasikal", starts_on=date(2031, 9, 1),
                     ends_on=date(2031, 9, 3), jp=30)
    db.add(later)
    db.flush()
    newcomers = db.execute(select(Employee.id).where(Employee.nip.in_([*KECAMATAN[:3], DISKOMINFO[1]]))).scalars().all()
    for emp in newcomers:
        enrollments.enrol(db, later.id, emp, status="completed", jp_credited=30)
    db.commit()
    check()
    d = reports.dashboard(db, reports.parse_filters({"periode": "2031"}, TODAY, units), TODAY, 5)
    assert d.participants == raw_counts(db, date(2031, 1, 1), date(2031, 12, 31), TODAY)["participants"]


RETRO_SPEC = (
    ("Materi", "materi", "likert5", "Materi pelatihan jelas.", True, {}),
    ("Penerapan", "relevansi", "likert5", "Kemampuan saya mengelola antrean.", False, {"retrospective": True}),
    ("Lain", "lainnya", "text", "Saran Anda?", False, {"max_length": 500}),
)


def test_a_retrospective_before_mean_is_suppressed_on_its_own_n(client, db, frozen):
    """Seven people answer "after", only three also "before": the before mean is hidden everywhere
    (page, print view, CSV, XLSX) while the after figures show; the comment question with three answers
    is hidden although the training has seven responses."""
    hr(client)
    nips = DISDUKCAPIL[:7]
    b = build_training(db, "LAP-RETRO", date(2031, 2, 1), nips, spec=RETRO_SPEC)
    retro = next(q for q in b.structure.questions if q.retrospective)
    text_q = question_id(b, kind="text")
    plain = next(q for q in b.structure.questions if q.kind == "likert5" and not q.retrospective)
    for i, nip in enumerate(nips):
        data = {f"q{plain.id}": "4", f"q{retro.id}": "5"}
        if i < 3:
            data[f"q{retro.id}_sebelum"] = "1"  # the only three "before" answers: one person's would show
            data[f"q{text_q}"] = f"Komentar kecil {i}"
        submit(db, b, nip, data)
    rep = reports.training_report(db, b.training_id, TODAY, 5, 30)
    q = next(x for x in rep.questions if x.id == retro.id)
    assert not q.hidden and q.n == 7 and q.before_hidden and q.before_mean is None
    html = client.get(f"/laporan/pelatihan/{b.training_id}").text
    assert "sebelum pelatihan: " + HIDDEN in html and "sebelum pelatihan 1,00" not in html
    assert "Komentar kecil" not in html
    printable = client.get(f"/laporan/pelatihan/{b.training_id}/cetak").text
    assert "sebelum pelatihan: " + HIDDEN in printable and "sebelum pelatihan 1,00" not in printable
    csv_text = client.get(f"/laporan/pelatihan/{b.training_id}/ekspor/csv").content.decode("utf-8-sig")
    before_rows = [line for line in csv_text.splitlines() if "Sebelum pelatihan" in line]
    assert before_rows and all(HIDDEN_TEXT in line and ";1,00" not in line and ",1.00" not in line for line in before_rows)
    page = reports.comments(db, rep, next(x for x in rep.questions if x.id == text_q))
    assert page.rows == [] and not page.allowed
    # the control: five "before" answers (and comments) show
    c = build_training(db, "LAP-RETRO5", date(2031, 2, 1), DISKOMINFO[:5], spec=RETRO_SPEC)
    c_retro = next(x for x in c.structure.questions if x.retrospective)
    c_plain = next(x for x in c.structure.questions if x.kind == "likert5" and not x.retrospective)
    c_text = question_id(c, kind="text")
    for i, nip in enumerate(DISKOMINFO[:5]):
        submit(db, c, nip, {f"q{c_plain.id}": "4", f"q{c_retro.id}": "5", f"q{c_retro.id}_sebelum": "2", f"q{c_text}": f"Komentar cukup {i}"})
    shown = text_of(client.get(f"/laporan/pelatihan/{c.training_id}").text)
    assert "sebelum pelatihan 2,00" in shown and "Komentar cukup 0" in shown
