"""The report of one training (/laporan/pelatihan/{id}): response rate, satisfaction overall and per
dimension, the distribution of answers per question, NPS, the comparison with trainings of the same
kind (peers) and the L3 section (the supervisors' ratings and the impact scores); and its aggregate
export. The questions and the free-text comments are in `training_questions`.

Reads the summaries kept at submit time; see the package docstring for the minimum group size rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from portal import scoring
from portal.i18n import _
from portal.models import Training
from portal.rules import l3_schedule
from portal.services.reports import training_statements as statements
from portal.services.reports.l1 import DimRow, TrainingRow, dimension_rows, l1_state, load_l1_sums, pool_l1
from portal.services.reports.exports import rounded
from portal.services.reports.labels import (
    IMPACT_CATEGORIES,
    impact_category_key,
    impact_category_label,
    kind_label,
    state_text,
    suppressed_text,
)
from portal.services.reports.monitoring import Counts, l3_counts
from portal.services.reports.training_questions import Category, QuestionStat, load_questions


@dataclass
class Peers:
    count: int
    dims: dict[str, DimRow]
    likert_n: int
    likert_total: int
    nps: scoring.NpsResult | None

    @property
    def index(self) -> float | None:
        return scoring.likert_index(self.likert_n, self.likert_total)


@dataclass
class ImpactSummary:
    n: int
    total: float
    categories: list[Category]  # key: the impact category (impact_category_key)
    components: list[tuple[str, float | None, int]]  # (label, mean, n)
    versions: list[str]

    @property
    def index(self) -> float | None:
        return self.total / self.n if self.n else None


@dataclass
class TrainingReport:
    training: Training
    questionnaire_id: int | None
    questionnaire_title: str
    anonymous: bool
    min_group: int
    state: str
    invited: int
    submitted: int
    drafts: int
    overdue: int
    questions: list[QuestionStat]
    dims: list[DimRow]
    likert_n: int
    likert_total: int
    nps: scoring.NpsResult | None
    peers: Peers
    impact: ImpactSummary | None
    l3: Counts | None
    l3_due_on: date | None
    l3_closes_on: date | None  # last day of the L3 window

    @property
    def kind_label(self) -> str:
        return kind_label(self.training.kind)

    @property
    def shown(self) -> bool:
        return self.state == "shown"

    @property
    def survey_closes_on(self) -> date | None:
        return self.training.survey_closes_on

    @property
    def response_rate(self) -> float | None:
        return scoring.percent(self.submitted, self.invited)

    @property
    def pending(self) -> int:
        return self.invited - self.submitted - self.overdue

    @property
    def index(self) -> float | None:
        return scoring.likert_index(self.likert_n, self.likert_total) if self.shown else None

    @property
    def state_text(self) -> str:
        return state_text(self, self.min_group)

    @property
    def likert_questions(self) -> list[QuestionStat]:
        return [q for q in self.questions if q.kind == "likert5"]

    @property
    def scale_questions(self) -> list[QuestionStat]:
        return [q for q in self.questions if q.kind == "scale0_10"]

    @property
    def choice_questions(self) -> list[QuestionStat]:
        return [q for q in self.questions if q.kind in ("single", "multi")]

    @property
    def text_questions(self) -> list[QuestionStat]:
        return [q for q in self.questions if q.kind == "text"]

    @property
    def comments_allowed(self) -> bool:
        return self.shown


def training_report(session: Session, training_id: int, today: date, min_group: int, window_days: int) -> TrainingReport | None:
    """Everything on the training report page. About ten queries, none over raw answers."""
    row = session.execute(statements.head(), {"training_id": training_id}).first()
    if row is None:
        return None
    training, q_title, anonymous = row
    conn = session.connection()  # plain rows for the column selects
    qid = training.reaction_questionnaire_id
    anonymous = True if anonymous is None else bool(anonymous)
    # invitations of the reaction questionnaire
    invited = submitted = drafts = overdue = 0
    if qid:
        invited, submitted, drafts, overdue = conn.execute(
            statements.invitations(), {"training_id": training_id, "questionnaire_id": qid, "today": today}
        ).one()
        invited, submitted, drafts, overdue = (int(v or 0) for v in (invited, submitted, drafts, overdue))
    state = l1_state(anonymous, qid, training.survey_closes_on, submitted, today, min_group)
    questions = load_questions(conn, qid) if qid else []
    by_id = {q.id: q for q in questions}
    min_n = max(1, min_group) if anonymous else 1
    if state == "shown" and questions:
        for s in conn.execute(statements.summary(), {"training_id": training_id}):
            q = by_id.get(s.question_id)
            if q is not None:
                q.n, q.total, q.n_before, q.total_before = int(s.n), int(s.total), int(s.n_before), int(s.total_before)
        for qid_, value, count in conn.execute(statements.summary_values(), {"training_id": training_id}):
            q = by_id.get(qid_)
            if q is not None:
                q.counts[str(value)] = int(count)
    per_dim: dict[str, list[int]] = {}
    nps_counts: dict[int, int] = {}
    for q in questions:
        q.hidden = state != "shown" or q.n < min_n
        if q.hidden:
            # nothing of a hidden cell leaves the service
            q.total = q.n_before = q.total_before = 0
            q.counts = {}
            if state != "shown":
                q.n = 0
            continue
        if anonymous and q.retrospective and q.n_before < min_n:
            # the "before" half of a pair is a figure of its own: suppressed on its own n
            q.before_hidden = True
            q.n_before = q.total_before = 0
        if q.kind == "likert5":
            acc = per_dim.setdefault(q.dimension, [0, 0])
            acc[0] += q.n
            acc[1] += q.total
        elif q.kind == "scale0_10":
            for k, v in q.counts.items():
                if k.isdigit():
                    nps_counts[int(k)] = nps_counts.get(int(k), 0) + v
    peers = _peers(session, training, today, min_group)
    impact = _impact(session, training_id)
    l3 = None
    due_on = window_ends_on = None
    if training.application_questionnaire_id:
        schedule = l3_schedule(training.ends_on, training.application_due_days, window_days)
        due_on, window_ends_on = schedule.due_on, schedule.window_ends_on
        counts = dict(conn.execute(statements.l3_ratings(), {"training_id": training_id}).all())
        l3 = l3_counts(sum(int(v) for v in counts.values()), int(counts.get("submitted", 0)), window_ends_on, today)
    return TrainingReport(
        training=training,
        questionnaire_id=qid,
        questionnaire_title=q_title or "",
        anonymous=anonymous,
        min_group=min_group,
        state=state,
        invited=invited,
        submitted=submitted,
        drafts=drafts,
        overdue=overdue,
        questions=questions,
        dims=dimension_rows(per_dim),
        likert_n=sum(v[0] for v in per_dim.values()),
        likert_total=sum(v[1] for v in per_dim.values()),
        nps=scoring.nps(nps_counts) if nps_counts else None,
        peers=peers,
        impact=impact,
        l3=l3,
        l3_due_on=due_on,
        l3_closes_on=window_ends_on,
    )


def _peers(session: Session, training: Training, today: date, min_group: int) -> Peers:
    """The other trainings of the same kind that ended in the same calendar year and whose L1 results
    are shown, pooled. Three queries. The submitted counts come from the invitations summary (a few
    rows per training), not from the peers' invitations."""
    rows: dict[int, TrainingRow] = {}
    year = training.ends_on.year
    params = {"kind": training.kind, "training_id": training.id, "start": date(year, 1, 1), "end": date(year, 12, 31)}
    for r in session.connection().execute(statements.peer_trainings(), params):
        submitted = int(r.submitted or 0)
        state = l1_state(bool(r.anonymous), r.reaction_questionnaire_id, r.survey_closes_on, submitted, today, min_group)
        if state == "shown":
            rows[r.id] = TrainingRow(
                id=r.id, code="", title="", kind=training.kind, provider="", starts_on=today, ends_on=today, jp=0,
                questionnaire_id=r.reaction_questionnaire_id, anonymous=bool(r.anonymous), survey_closes_on=r.survey_closes_on,
                submitted_all=submitted, state=state,
            )
    if rows:
        load_l1_sums(session, rows, list(rows), min_group)
    per_dim, parts = pool_l1(list(rows.values()))
    counted = sum(1 for r in rows.values() if r.likert_n or any(r.nps_parts))
    dims = {d.key: d for d in dimension_rows(per_dim)}
    nps = scoring.NpsResult(sum(parts), *parts)
    return Peers(counted, dims, sum(v[0] for v in per_dim.values()), sum(v[1] for v in per_dim.values()), nps if nps.n else None)


def _impact(session: Session, training_id: int) -> ImpactSummary | None:
    """L3 impact scores of the training's alumni (attributed data): one grouped query."""
    rows = session.connection().execute(statements.impact(), {"training_id": training_id}).all()
    if not rows:
        return None
    n = sum(int(r.n) for r in rows)
    total = sum(float(r.impact_sum or 0) for r in rows)
    per_cat: dict[str, int] = {}
    labels: dict[str, str] = {}
    for r in rows:
        key = impact_category_key(r.category)
        per_cat[key] = per_cat.get(key, 0) + int(r.n)
        labels[key] = impact_category_label(r.category)
    order = [k for k in IMPACT_CATEGORIES if k in per_cat] + sorted(k for k in per_cat if k not in IMPACT_CATEGORIES)
    categories = [Category(labels[k], per_cat[k], scoring.percent(per_cat[k], n), k) for k in order]

    def mean(part: str) -> tuple[float | None, int]:
        """The mean of a component (columns `<part>_sum`, `<part>_n`) and how many scores it has."""
        part_sum = sum(float(getattr(r, f"{part}_sum") or 0) for r in rows)
        part_n = sum(int(getattr(r, f"{part}_n") or 0) for r in rows)
        return (part_sum / part_n if part_n else None), part_n

    components = [
        (_("Penerapan menurut atasan"), *mean("application")),
        (_("Perubahan (sebelum–sesudah)"), *mean("change")),
        (_("Laporan diri alumni"), *mean("self")),
    ]
    versions = sorted({str(r.formula_version) for r in rows if r.formula_version})
    return ImpactSummary(n, total, categories, components, versions)


# --------------------------------------------------------------------------- aggregate export


def aggregate_export(report: TrainingReport) -> tuple[list[str], list[list[Any]]]:
    """The training report as rows (aggregates only; hidden cells say why). Small, built in memory."""
    hidden = suppressed_text(report.min_group)
    headers = [
        _("Bagian"), _("No."), _("Uraian"), _("Dimensi"), _("Jenis pertanyaan"), _("Nilai/pilihan"),
        _("Jumlah"), _("Persen (%)"), _("n"), _("Rata-rata"), _("Indeks (0–100)"), _("Keterangan"),
    ]
    t = report.training
    rows: list[list[Any]] = []
    summary = _("Ringkasan")

    def add(section: str, no: Any, text: str, dim: str = "", kind: str = "", value: Any = None, count: Any = None, pct: Any = None, n: Any = None, mean: Any = None, index: Any = None, note: str | None = None) -> None:
        rows.append([section, no, text, dim, kind, value, count, pct, n, mean, index, note])

    add(summary, None, _("Pelatihan"), value=f"{t.code} · {t.title}")
    add(summary, None, _("Jenis"), value=report.kind_label)
    add(summary, None, _("Penyelenggara"), value=t.provider)
    add(summary, None, _("Mulai"), value=t.starts_on)
    add(summary, None, _("Selesai"), value=t.ends_on)
    anonymity = _("anonim") if report.anonymous else _("tidak anonim")  # never _() inside an f-string: not extracted
    add(summary, None, _("Kuesioner"), value=f"{report.questionnaire_title} ({anonymity})")
    add(summary, None, _("Diundang"), count=report.invited)
    add(summary, None, _("Mengisi"), count=report.submitted, pct=rounded(report.response_rate))
    if not report.shown:
        add(summary, None, _("Hasil survei"), note=report.state_text or hidden)
        return headers, rows
    add(summary, None, _("Indeks kepuasan"), n=report.likert_n, index=rounded(report.index))
    if report.nps:
        add(summary, None, _("NPS"), n=report.nps.n, index=rounded(report.nps.score), note=_("NPS: −100 sampai 100"))
        add(summary, None, _("Promotor (9–10)"), count=report.nps.promoters, pct=rounded(report.nps.share(report.nps.promoters)))
        add(summary, None, _("Pasif (7–8)"), count=report.nps.passives, pct=rounded(report.nps.share(report.nps.passives)))
        add(summary, None, _("Detraktor (0–6)"), count=report.nps.detractors, pct=rounded(report.nps.share(report.nps.detractors)))
    if report.peers.count:
        add(summary, None, _("Rata-rata %(n)s pelatihan sejenis lainnya") % {"n": report.peers.count}, n=report.peers.likert_n, index=rounded(report.peers.index))
    for d in report.dims:
        peer = report.peers.dims.get(d.key)
        add(_("Dimensi"), None, d.label, dim=d.label, n=d.n, mean=rounded(d.total / d.n if d.n else None, 2), index=rounded(d.index))
        if peer:
            add(_("Dimensi (pelatihan sejenis)"), None, d.label, dim=d.label, n=peer.n, index=rounded(peer.index))
    section = _("Distribusi jawaban")
    for q in report.questions:
        if q.kind == "text":
            add(section, q.number, q.text, q.dimension_label, q.kind_label, n=None if q.hidden else q.n, note=_("Isian bebas, tidak diekspor") if report.anonymous else None)
            continue
        if q.hidden:
            add(section, q.number, q.text, q.dimension_label, q.kind_label, note=hidden)
            continue
        mean = rounded(q.mean, 2)
        for c in q.categories:
            add(section, q.number, q.text, q.dimension_label, q.kind_label, value=c.label, count=c.count, pct=rounded(c.percent), n=q.n, mean=mean, index=rounded(q.index))
        if q.retrospective and q.before_mean is not None:
            add(section, q.number, q.text, q.dimension_label, q.kind_label, value=_("Sebelum pelatihan (rata-rata)"), n=q.n_before, mean=rounded(q.before_mean, 2))
        elif q.before_hidden:
            add(section, q.number, q.text, q.dimension_label, q.kind_label, value=_("Sebelum pelatihan (rata-rata)"), note=hidden)
    return headers, rows
