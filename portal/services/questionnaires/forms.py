"""The builder's forms: a questionnaire's data and a question, parsed and validated (errors per field
in Bahasa Indonesia, what was typed kept)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from portal.i18n import _
from portal.models import (
    DIMENSIONS,
    QUESTION_KINDS,
    Question,
)
from portal.services.questionnaires.structure import (
    MAX_OPTIONS,
    OPTION_MAX_LENGTH,
    PURPOSE_LABELS,
    TEXT_DEFAULT_MAX,
    TEXT_HARD_MAX,
    parse_options,
)

# --------------------------------------------------------------------------- validation of builder forms


@dataclass
class QuestionnaireForm:
    title: str = ""
    description: str = ""
    purpose: str = "reaction"
    anonymous: bool = True


def parse_questionnaire_form(data: dict[str, Any]) -> tuple[QuestionnaireForm, dict[str, str]]:
    form = QuestionnaireForm(
        title=_first(data.get("title")).strip(),
        description=_first(data.get("description")).strip(),
        purpose=_first(data.get("purpose")) or "reaction",
        anonymous=_first(data.get("anonymous")) in ("1", "on", "true", "ya"),
    )
    errors: dict[str, str] = {}
    if not form.title:
        errors["title"] = _("Isi judul kuesioner.")
    elif len(form.title) > 200:
        errors["title"] = _("Judul paling banyak 200 karakter.")
    if len(form.description) > 4000:
        errors["description"] = _("Keterangan paling banyak 4.000 karakter.")
    if form.purpose not in PURPOSE_LABELS:
        errors["purpose"] = _("Pilih tujuan kuesioner.")
    if form.purpose == "application" and form.anonymous:
        errors["anonymous"] = _("Penilaian penerapan oleh atasan selalu tercatat namanya; hapus centang anonim.")
    return form, errors


@dataclass
class QuestionForm:
    section: str = ""
    text: str = ""
    kind: str = "likert5"
    required: bool = True
    dimension: str = "lainnya"
    options_text: str = ""
    max_length: str = ""
    retrospective: bool = False

    @property
    def options(self) -> list[str]:
        return [line.strip() for line in self.options_text.splitlines() if line.strip()]


def question_form_from(q: Question) -> QuestionForm:
    return QuestionForm(
        section=q.section or "",
        text=q.text,
        kind=q.kind,
        required=bool(q.required),
        dimension=q.dimension,
        options_text="\n".join(parse_options(q.options)),
        max_length=str(q.max_length or ""),
        retrospective=bool(q.retrospective),
    )


def _first(value: Any) -> str:
    """One form value as text, without NUL characters: PostgreSQL refuses them in text, and the compiled
    survey form (portal/web/survey_form.py) marks its slots with them."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return "" if value is None else str(value).replace("\x00", "")


def parse_question_form(data: dict[str, Any]) -> tuple[QuestionForm, dict[str, str]]:
    form = QuestionForm(
        section=_first(data.get("section")).strip(),
        text=_first(data.get("text")).strip(),
        kind=_first(data.get("kind")) or "likert5",
        required=_first(data.get("required")) in ("1", "on", "true", "ya"),
        dimension=_first(data.get("dimension")) or "lainnya",
        options_text=_first(data.get("options")).replace("\r\n", "\n"),
        max_length=_first(data.get("max_length")).strip(),
        retrospective=_first(data.get("retrospective")) in ("1", "on", "true", "ya"),
    )
    errors: dict[str, str] = {}
    if not form.text:
        errors["text"] = _("Isi teks pertanyaan.")
    elif len(form.text) > 1000:
        errors["text"] = _("Teks pertanyaan paling banyak 1.000 karakter.")
    if len(form.section) > 200:
        errors["section"] = _("Nama bagian paling banyak 200 karakter.")
    if form.kind not in QUESTION_KINDS:
        errors["kind"] = _("Pilih jenis pertanyaan.")
    if form.dimension not in DIMENSIONS:
        errors["dimension"] = _("Pilih dimensi.")
    if form.kind in ("single", "multi"):
        opts = form.options
        if len(opts) < 2:
            errors["options"] = _("Tulis paling sedikit dua pilihan, satu per baris.")
        elif len(opts) > MAX_OPTIONS:
            errors["options"] = _("Paling banyak {n} pilihan.").format(n=MAX_OPTIONS)
        elif any(len(o) > OPTION_MAX_LENGTH for o in opts):
            errors["options"] = _("Setiap pilihan paling banyak {n} karakter.").format(n=OPTION_MAX_LENGTH)
        elif len({o.casefold() for o in opts}) != len(opts):
            errors["options"] = _("Ada pilihan yang sama; setiap pilihan harus berbeda.")
    if form.kind == "text" and form.max_length:
        if not form.max_length.isdigit() or not 10 <= int(form.max_length) <= TEXT_HARD_MAX:
            errors["max_length"] = _("Batas karakter berupa angka 10 sampai {n}.").format(n=f"{TEXT_HARD_MAX:,}".replace(",", "."))
    if form.retrospective and form.kind not in ("likert5", "scale0_10"):
        errors["retrospective"] = _("Pertanyaan sebelum/sesudah hanya untuk skala 1–5 atau 0–10.")
    return form, errors


def question_values(form: QuestionForm) -> dict[str, Any]:
    return {
        "section": form.section,
        "text": form.text,
        "kind": form.kind,
        "required": form.required,
        "dimension": form.dimension,
        "options": json.dumps(form.options, ensure_ascii=False) if form.kind in ("single", "multi") else None,
        "max_length": (int(form.max_length) if form.max_length else TEXT_DEFAULT_MAX) if form.kind == "text" else None,
        "retrospective": form.retrospective if form.kind in ("likert5", "scale0_10") else False,
    }
