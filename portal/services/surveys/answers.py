"""The answers of a survey: one value per question kind, parsed from a form post, checked against
the question (again at submit, for drafts saved under an earlier revision), counted for the progress bar."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.i18n import _
from portal.services.questionnaires import QuestionDef, Structure

MAX_TEXT_INPUT = 20_000  # anything longer is refused before counting characters


@dataclass(frozen=True)
class AnswerValue:
    """One answer as stored: numbers for likert5/scale0_10/single (option index), a comma-separated
    list of option indexes for multi ("0,2"), text for text. `before` for retrospective pairs."""

    num: int | None = None
    before: int | None = None
    text: str | None = None

    @property
    def selected(self) -> tuple[int, ...]:
        if not self.text:
            return ()
        return tuple(int(p) for p in self.text.split(",") if p.isdigit())


def field_name(q: QuestionDef, before: bool = False) -> str:
    return f"q{q.id}_sebelum" if before else f"q{q.id}"


def _values(data: dict[str, Any], name: str) -> list[str]:
    raw = data.get(name)
    if raw is None:
        return []
    if isinstance(raw, list):
        return [str(v) for v in raw]
    return [str(raw)]


def _int_in(raw: str, lo: int, hi: int) -> int | None:
    raw = raw.strip()
    if not raw or not (raw.isdigit() or (raw.startswith("-") and raw[1:].isdigit())) or len(raw) > 6:
        return None
    value = int(raw)
    return value if lo <= value <= hi else None


def _fmt(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def parse_answer(q: QuestionDef, data: dict[str, Any]) -> tuple[AnswerValue | None, str | None]:
    """Validate the posted value(s) of one question. Returns (value or None when empty, error)."""
    if q.kind in ("likert5", "scale0_10"):
        lo, hi = (1, 5) if q.kind == "likert5" else (0, 10)
        out: dict[str, int | None] = {}
        for key, before in (("num", False), ("before", True)):
            if before and not q.retrospective:
                continue
            vals = [v for v in _values(data, field_name(q, before)) if v.strip() != ""]
            if not vals:
                out[key] = None
                continue
            if len(vals) > 1:
                return None, _("Pilih satu jawaban saja.")
            value = _int_in(vals[0], lo, hi)
            if value is None:
                return None, _("Jawaban harus salah satu angka {lo} sampai {hi} pada skala.").format(lo=lo, hi=hi)
            out[key] = value
        if out.get("num") is None and out.get("before") is None:
            return None, None
        return AnswerValue(num=out.get("num"), before=out.get("before")), None
    if q.kind == "single":
        vals = [v for v in _values(data, field_name(q)) if v.strip() != ""]
        if not vals:
            return None, None
        if len(vals) > 1:
            return None, _("Pilih satu jawaban saja.")
        value = _int_in(vals[0], 0, len(q.options) - 1)
        if value is None:
            return None, _("Pilihan tidak dikenal. Pilih salah satu pilihan yang tersedia.")
        return AnswerValue(num=value), None
    if q.kind == "multi":
        vals = [v for v in _values(data, field_name(q)) if v.strip() != ""]
        if not vals:
            return None, None
        picked: set[int] = set()
        for v in vals:
            value = _int_in(v, 0, len(q.options) - 1)
            if value is None:
                return None, _("Pilihan tidak dikenal. Pilih dari pilihan yang tersedia.")
            picked.add(value)
        return AnswerValue(text=",".join(str(i) for i in sorted(picked))), None
    # text
    vals = _values(data, field_name(q))
    raw = vals[0] if vals else ""
    if len(raw) > MAX_TEXT_INPUT:
        return None, _("Jawaban terlalu panjang. Maksimal {max} karakter.").format(max=_fmt(q.text_limit))
    value = raw.replace("\r\n", "\n").replace("\x00", "").strip()
    if not value:
        return None, None
    if len(value) > q.text_limit:
        return None, _("Jawaban terlalu panjang: {n} karakter. Maksimal {max} karakter.").format(
            n=_fmt(len(value)), max=_fmt(q.text_limit)
        )
    return AnswerValue(text=value), None


def check_stored(q: QuestionDef, value: AnswerValue | None) -> str | None:
    """Re-validate a stored draft value against the (possibly edited) question; None when fine."""
    if value is None:
        return None
    if q.kind in ("likert5", "scale0_10"):
        lo, hi = (1, 5) if q.kind == "likert5" else (0, 10)
        for v in (value.num, value.before if q.retrospective else None):
            if v is not None and not lo <= v <= hi:
                return _("Jawaban harus salah satu angka {lo} sampai {hi} pada skala.").format(lo=lo, hi=hi)
        return None
    if q.kind == "single":
        if value.num is None or not 0 <= value.num < len(q.options):
            return _("Pilihan tidak dikenal. Pilih salah satu pilihan yang tersedia.")
        return None
    if q.kind == "multi":
        sel = value.selected
        if not sel or any(not 0 <= i < len(q.options) for i in sel):
            return _("Pilihan tidak dikenal. Pilih dari pilihan yang tersedia.")
        return None
    if value.text is not None and len(value.text) > q.text_limit:
        return _("Jawaban terlalu panjang: {n} karakter. Maksimal {max} karakter.").format(
            n=_fmt(len(value.text)), max=_fmt(q.text_limit)
        )
    return None


def is_answered(q: QuestionDef, value: AnswerValue | None) -> bool:
    if value is None:
        return False
    if q.kind in ("likert5", "scale0_10"):
        return value.num is not None and (not q.retrospective or value.before is not None)
    if q.kind == "single":
        return value.num is not None
    return bool(value.text)


def missing_message(q: QuestionDef) -> str:
    if q.kind == "multi":
        return _("Pilih paling sedikit satu jawaban.")
    if q.kind == "text":
        return _("Isi jawaban untuk pertanyaan ini.")
    if q.retrospective:
        return _("Pilih jawaban untuk sebelum dan sesudah pelatihan.")
    return _("Pilih salah satu jawaban.")


def validate_complete(structure: Structure, answers: dict[int, AnswerValue]) -> dict[int, str]:
    """Errors per question id for a submission: invalid stored values and missing required answers."""
    errors: dict[int, str] = {}
    for q in structure.questions:
        value = answers.get(q.id)
        problem = check_stored(q, value)
        if problem:
            errors[q.id] = problem
        elif q.required and not is_answered(q, value):
            errors[q.id] = missing_message(q)
    return errors


def count_answered(structure: Structure, answers: dict[int, AnswerValue]) -> int:
    return sum(1 for q in structure.questions if is_answered(q, answers.get(q.id)))
