"""The survey form filled from its compiled HTML (portal.web.survey_form) equals the questions partial
rendered directly for the same answers, errors and autosave URL: for every question kind, for states the
form remembers and for ones it fills slot by slot, in any order and after other people's pages."""

from __future__ import annotations

import random
from typing import Any

from markupsafe import Markup, escape

from portal.services import questionnaires as qsvc
from portal.services.questionnaires import QuestionDef, Structure
from portal.services.surveys import AnswerValue
from portal.web.compiled import Slot
from portal.web.survey_form import CompiledForm
from portal.web.templating import build_environment

KINDS = [  # (kind, retrospective, options)
    ("likert5", False, ()),
    ("likert5", True, ()),
    ("scale0_10", False, ()),
    ("single", False, ("Ya", "Tidak", "Ragu-ragu")),
    ("multi", False, ("Materi", "Pengajar", "Tempat", "Waktu")),
    ("text", False, ()),
]


def _structure() -> Structure:
    questions = tuple(
        QuestionDef(
            id=100 + i, number=i + 1, section="Bagian A" if i < 6 else "Bagian B", text=f"Pertanyaan <{i}> & teks",
            kind=kind, required=i % 3 != 0, options=options, dimension="", retrospective=retro, max_length=None,
        )
        for i, (kind, retro, options) in enumerate(KINDS * 2)
    )
    sections = (("Bagian A", questions[:6]), ("Bagian B", questions[6:]))
    return Structure(
        db_token="t", questionnaire_id=1, revision=1, title="Survei", description="", purpose="", version=1,
        anonymous=True, locked=True, questions=questions, sections=sections, by_id={q.id: q for q in questions},
    )


def _reference(env: Any, structure: Structure, answers: dict, errors: dict, base: str | None) -> str:
    """The partial rendered directly, each slot computed from the state (independent of CompiledForm)."""
    err_t = env.get_template("surveys/_question_error.html")
    st_t = env.get_template("surveys/_save_status.html")

    def slot(kind: str, qid: int, arg: Any = None) -> Markup:
        v = answers.get(qid)
        q = structure.by_id[qid]
        if kind == "c":
            return Markup(" checked" if v is not None and v.num == int(arg) else "")
        if kind == "cb":
            return Markup(" checked" if v is not None and v.before == int(arg) else "")
        if kind == "m":
            return Markup(" checked" if v is not None and v.text and int(arg) in v.selected else "")
        if kind == "t":
            return escape(v.text) if v is not None and v.text else Markup("")
        if kind == "hx":
            if base is None:
                return Markup("")
            return Markup(
                f' data-hx-post="{base}{qid}" data-hx-target="find .save-status" data-hx-swap="outerHTML"'
                ' data-hx-sync="queue last"'
            )
        if kind == "cls":
            return Markup(" has-error" if qid in errors else "")
        if kind == "err":
            return Markup(err_t.render(q=q, error=errors.get(qid)))
        if kind == "st":
            return Markup(st_t.render(q=q, error=None, saved_at=None))
        if kind == "inv":
            return Markup(' aria-invalid="true"' if qid in errors else "")
        raise AssertionError(kind)

    return env.get_template("surveys/_questions.html").render(structure=structure, slot=slot, likert_labels=qsvc.LIKERT_LABELS)


def _random_state(rng: random.Random, structure: Structure) -> tuple[dict, dict]:
    answers: dict[int, AnswerValue] = {}
    errors: dict[int, str] = {}
    for q in structure.questions:
        if rng.random() < 0.3:
            continue
        if q.kind == "text":
            answers[q.id] = AnswerValue(text=rng.choice(["Baik sekali", "<script>alert(1)</script> & \"kutip\"", ""]))
        elif q.kind == "multi":
            chosen = sorted(rng.sample(range(len(q.options)), rng.randint(1, len(q.options))))
            answers[q.id] = AnswerValue(text=",".join(map(str, chosen)))
        elif q.kind == "single":
            answers[q.id] = AnswerValue(num=rng.randrange(len(q.options)))
        else:
            lo, hi = (1, 5) if q.kind == "likert5" else (0, 10)
            answers[q.id] = AnswerValue(num=rng.randint(lo, hi), before=rng.randint(lo, hi) if q.retrospective else None)
        if rng.random() < 0.15:
            errors[q.id] = rng.choice(["Pertanyaan ini wajib dijawab.", "Jawaban <terlalu> panjang."])
    return answers, errors


def test_filled_form_equals_the_partial_rendered_directly_in_every_state():
    env = build_environment()
    structure = _structure()
    form = CompiledForm(
        structure,
        env.get_template("surveys/_questions.html").render(structure=structure, slot=Slot(), likert_labels=qsvc.LIKERT_LABELS),
        env,
    )
    rng = random.Random(17)
    for round_ in range(250):
        answers, errors = _random_state(rng, structure)
        base = rng.choice([None, f"/survei/{rng.randint(1, 99)}/jawaban/"])
        filled = str(form.fill(answers, errors, base))
        assert filled == _reference(env, structure, answers, errors, base), f"round {round_}"
    assert "<script>alert(1)</script>" not in filled
    assert len(form._states) <= CompiledForm.MAX_STATES


def test_a_remembered_state_carries_each_pages_own_autosave_url():
    env = build_environment()
    structure = _structure()
    html = env.get_template("surveys/_questions.html").render(structure=structure, slot=Slot(), likert_labels=qsvc.LIKERT_LABELS)
    form = CompiledForm(structure, html, env)
    answers = {100: AnswerValue(num=4)}
    first = str(form.fill(answers, {}, "/survei/1/jawaban/"))
    second = str(form.fill(answers, {}, "/survei/2/jawaban/"))
    assert 'data-hx-post="/survei/1/jawaban/100"' in first and "/survei/2/" not in first
    assert 'data-hx-post="/survei/2/jawaban/100"' in second and "/survei/1/" not in second
    assert 'value="4" form="jawaban" checked' in second
    assert "checked" not in str(form.fill({}, {}, None)) and "data-hx-post" not in str(form.fill({}, {}, None))


def test_the_builder_drops_nul_characters_that_would_cut_the_compiled_form():
    from portal.services.questionnaires.forms import parse_question_form

    form, _errors = parse_question_form(
        {"section": "Bagian\x00A", "text": "Apakah\x00 materi jelas?", "kind": "single", "options": "Ya\x00\nTidak"}
    )
    assert form.text == "Apakah materi jelas?" and form.section == "BagianA"
    assert "\x00" not in form.options_text
