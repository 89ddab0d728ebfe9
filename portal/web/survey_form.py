"""The survey form of a questionnaire revision, rendered once and filled per request.

The form does not change per person, so its HTML is rendered once per (questionnaire id, revision) from
the same partial the builder preview uses (templates/surveys/_question.html), with markers where
per-person state goes (checked radios, typed text, errors, the autosave URL). A page request then fills
those slots from the draft answers: one query, no template work per question. Used by /survei and by
the questionnaire preview (/kuesioner/{id}/pratinjau).
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from markupsafe import Markup, escape

from portal import i18n
from portal.i18n import _
from portal.services import questionnaires as qsvc
from portal.services import surveys as svc
from portal.services.questionnaires import Structure
from portal.services.surveys import AnswerValue
from portal.web.compiled import SLOT, Cache, Slot, split

_HX_MARK = SLOT + "hx" + SLOT  # where a remembered question state takes the request's autosave attributes


class CompiledForm:
    """The rendered questions of one questionnaire revision, split at the per-user slots.

    The slots are grouped by question (each with the literal that follows it). A question without an
    error shows one of few states (no answer, or one of its options chosen), so the filled HTML of each
    state is remembered, with a marker where the request's autosave attributes go: filling a page is
    then one lookup per question. Text answers and questions with an error are filled slot by slot."""

    MAX_STATES = 512  # remembered question states per form (a 30-question Likert form has 180)

    def __init__(self, structure: Structure, html: str, env: Any) -> None:
        self.structure = structure
        literals, slots = split(html)
        self.head = literals[0]
        # (question id, [(slot kind, slot argument, the literal after the slot)]) in page order
        self.questions: list[tuple[int, list[tuple[str, str, str]]]] = []
        for (kind, qid_text, *rest), literal in zip(slots, literals[1:]):
            qid = int(qid_text)
            if not self.questions or self.questions[-1][0] != qid:
                self.questions.append((qid, []))
            self.questions[-1][1].append((kind, rest[0] if rest else "", literal))
        self.free_text = {q.id for q in structure.questions if q.kind == "text"}
        self.env = env
        # the slot contents when a question has no error and no saved status, rendered from the same partials
        err_t = env.get_template("surveys/_question_error.html")
        st_t = env.get_template("surveys/_save_status.html")
        self.empty_error = {q.id: err_t.render(q=q, error=None) for q in structure.questions}
        self.empty_status = {q.id: st_t.render(q=q, error=None, saved_at=None) for q in structure.questions}
        self._states: dict[tuple[int, tuple[Any, ...] | None], list[str]] = {}

    def fill(
        self,
        answers: dict[int, AnswerValue],
        errors: dict[int, str] | None = None,
        autosave_base: str | None = None,
    ) -> Markup:
        errors = errors or {}
        out = [self.head]
        for qid, slots in self.questions:
            v = answers.get(qid)
            hx = "" if autosave_base is None else _autosave_attributes(autosave_base, qid)
            if qid in errors or (v is not None and v.text and qid in self.free_text):
                out.append(self._fill_question(qid, slots, v, errors, hx))
                continue
            key = (qid, None if v is None else (v.num, v.before, v.text))
            pieces = self._states.get(key)
            if pieces is None:
                pieces = self._fill_question(qid, slots, v, errors, _HX_MARK).split(_HX_MARK)
                if len(self._states) < self.MAX_STATES:
                    self._states[key] = pieces
            out.append(hx.join(pieces))
        return Markup("".join(out))

    def _fill_question(
        self, qid: int, slots: list[tuple[str, str, str]], v: AnswerValue | None, errors: dict[int, str], hx: str
    ) -> str:
        out: list[str] = []
        for kind, arg, literal in slots:
            if kind == "c":
                if v is not None and v.num is not None and str(v.num) == arg:
                    out.append(" checked")
            elif kind == "cb":
                if v is not None and v.before is not None and str(v.before) == arg:
                    out.append(" checked")
            elif kind == "m":
                if v is not None and v.text and int(arg) in v.selected:
                    out.append(" checked")
            elif kind == "t":
                if v is not None and v.text:
                    out.append(str(escape(v.text)))
            elif kind == "hx":
                out.append(hx)
            elif kind == "cls":
                if qid in errors:
                    out.append(" has-error")
            elif kind == "err":
                if qid in errors:
                    err_t = self.env.get_template("surveys/_question_error.html")
                    out.append(err_t.render(q=self.structure.by_id[qid], error=errors[qid]))
                else:
                    out.append(self.empty_error[qid])
            elif kind == "st":
                out.append(self.empty_status[qid])
            elif kind == "inv":
                if qid in errors:
                    out.append(' aria-invalid="true"')
            out.append(literal)
        return "".join(out)


def _autosave_attributes(base: str, qid: int) -> str:
    return (
        f' data-hx-post="{base}{qid}" data-hx-target="find .save-status" data-hx-swap="outerHTML"'
        ' data-hx-sync="queue last"'
    )


# keyed by (database, questionnaire, revision, locale): the form's words are in the request's language
_compiled: Cache[CompiledForm] = Cache(64)


def compiled_form(request: Request, structure: Structure) -> CompiledForm:
    def build() -> CompiledForm:
        env = request.app.template_engine.environment()  # the request's locale (LocalisedTemplateEngine)
        html = env.get_template("surveys/_questions.html").render(structure=structure, slot=Slot(), likert_labels=qsvc.LIKERT_LABELS)
        return CompiledForm(structure, html, env)

    key = (structure.db_token, structure.questionnaire_id, structure.revision, i18n.current_locale())
    return _compiled.get_or_build(key, build)


def error_list(structure: Structure, errors: dict[int, str]) -> list[dict[str, Any]]:
    return [
        {"href": f"#q-{q.id}", "text": _("Pertanyaan {n}: {msg}").format(n=q.number, msg=errors[q.id])}
        for q in structure.questions
        if q.id in errors
    ]


def progress(structure: Structure, answers: dict[int, AnswerValue]) -> dict[str, int]:
    return {"answered": svc.count_answered(structure, answers), "total": structure.count}
