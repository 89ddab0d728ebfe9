"""HR's side of a training's reaction survey (/pelatihan/{id}/survei): the survey window and its rules (SurveyWindow: a closed anonymous survey stays closed), attaching a
questionnaire and inviting the participants, closing early."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, not_, select, true, update
from sqlmodel import Session

from portal.db import dialect
from portal.i18n import _, format_date
from portal.models import (
    DraftAnswer,
    Enrollment,
    Questionnaire,
    SurveyDraft,
    SurveyInvitation,
    SurveyResponse,
    Training,
)
from portal.rules import PARTICIPANT_STATUSES, took_part
from portal.services import summaries
from portal.services.accounts import audit


@dataclass(frozen=True)
class SurveyWindow:
    """The survey window of a training and the anonymity of its reaction questionnaire: the one place
    that says when an anonymous survey's window is frozen (docs/anonymity.md, "A closed window stays
    closed"). Once the window of an anonymous survey has closed (by its date, or because HR closed it
    early), its figures are published, and a second published state would differ from the first by the
    responses of the people who came late: so the window can never be reopened, extended, moved or
    given another questionnaire, and nobody can be invited any more."""

    opens_on: date | None
    closes_on: date | None
    anonymous: bool

    def state(self, today: date) -> str:
        """none (no window yet) | upcoming | open | closed"""
        if self.opens_on is None or self.closes_on is None:
            return "none"
        if today > self.closes_on:
            return "closed"
        if today < self.opens_on:
            return "upcoming"
        return "open"

    def frozen(self, today: date) -> bool:
        return self.anonymous and self.state(today) == "closed"


def survey_window(session: Session, training: Training) -> SurveyWindow:
    anonymous = False
    if training.reaction_questionnaire_id:
        anonymous = bool(
            session.execute(
                select(Questionnaire.anonymous).where(Questionnaire.id == training.reaction_questionnaire_id)
            ).scalar_one()
        )
    return SurveyWindow(training.survey_opens_on, training.survey_closes_on, anonymous)


def training_survey(session: Session, training_id: int) -> dict[str, Any] | None:
    training = session.get(Training, training_id)
    if training is None:
        return None
    enrollment = dict(
        session.execute(
            select(Enrollment.status, func.count()).where(Enrollment.training_id == training_id).group_by(Enrollment.status)
        ).all()
    )
    invitations = dict(
        session.execute(
            select(SurveyInvitation.status, func.count())
            .where(
                SurveyInvitation.training_id == training_id,
                SurveyInvitation.questionnaire_id == training.reaction_questionnaire_id,
            )
            .group_by(SurveyInvitation.status)
        ).all()
    ) if training.reaction_questionnaire_id else {}
    responses = int(
        session.execute(
            select(func.count()).select_from(SurveyResponse).where(SurveyResponse.training_id == training_id)
        ).scalar_one()
    )
    return {
        "training": training,
        "window": survey_window(session, training),
        "enrollment": {k: int(v) for k, v in enrollment.items()},
        "attended": sum(int(enrollment.get(s, 0)) for s in PARTICIPANT_STATUSES),
        "invitations": {k: int(v) for k, v in invitations.items()},
        "invited": sum(int(v) for v in invitations.values()),
        "responses": responses,
    }


def reaction_questionnaires(session: Session) -> list[dict[str, Any]]:
    return [
        dict(r._mapping)
        for r in session.execute(
            select(Questionnaire.id, Questionnaire.title, Questionnaire.version, Questionnaire.anonymous, Questionnaire.locked)
            .where(Questionnaire.purpose == "reaction")
            .order_by(Questionnaire.title, Questionnaire.version.desc())
            .limit(200)
        )
    ]


def default_window(ends_on: date, days: int) -> tuple[date, date]:
    return ends_on, ends_on + timedelta(days=days)


@dataclass
class AttachResult:
    ok: bool
    errors: dict[str, str] = field(default_factory=dict)
    created: int = 0
    removed: int = 0


def frozen_message(closes_on: date) -> str:
    return _(
        "Survei anonim ini sudah ditutup pada {d}. Jendela survei dan kuesionernya tidak dapat diubah lagi "
        "dan tidak ada undangan baru: hasilnya sudah terbit, dan hasil kedua yang berbeda beberapa jawaban saja "
        "dapat membuka jawaban orang per orang."
    ).format(d=format_date(closes_on))


def attach(
    session: Session,
    actor_id: int | None,
    training_id: int,
    questionnaire_id: int | None,
    opens_on: date | None,
    closes_on: date | None,
    *,
    today: date,
) -> AttachResult:
    """Set the training's reaction questionnaire and survey window, then invite every participant whose
    enrollment is attended/completed (idempotent). `today` is the day HR acts on (the rules of
    `SurveyWindow` depend on it). Commits."""
    errors: dict[str, str] = {}
    training = session.get(Training, training_id)
    if training is None:
        raise LookupError(training_id)
    current = survey_window(session, training)
    if current.frozen(today):
        session.rollback()
        return _frozen_result(current)
    qn = session.get(Questionnaire, questionnaire_id) if questionnaire_id else None
    if qn is None or qn.purpose != "reaction":
        errors["questionnaire_id"] = _("Pilih kuesioner reaksi (L1).")
    if opens_on is None:
        errors["opens_on"] = _("Isi tanggal survei dibuka (format tahun-bulan-tanggal).")
    if closes_on is None:
        errors["closes_on"] = _("Isi tanggal survei ditutup (format tahun-bulan-tanggal).")
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = _("Tanggal tutup harus sama dengan atau sesudah tanggal buka.")
    elif closes_on and closes_on < today and qn is not None and qn.anonymous:
        # a date in the past would close the survey, and a closed anonymous survey stays closed
        errors["closes_on"] = _past_close_message()
    if errors:
        session.rollback()
        return AttachResult(ok=False, errors=errors)
    assert opens_on is not None and closes_on is not None and qn is not None
    old_qid = training.reaction_questionnaire_id
    # the first write: takes the lock (SQLite) / the training row (PostgreSQL) and re-checks the freeze,
    # so that HR closing the survey at the same moment cannot be undone by this write
    if not _set_window(session, training_id, qn.id, opens_on, closes_on, today=today):
        session.rollback()
        return _frozen_result(survey_window(session, training))
    # the questionnaire's row, shared: its anonymity cannot change while we invite (it is fixed once
    # anyone is invited, see questionnaires.update_questionnaire), and is read again under the lock
    anonymous = bool(
        session.execute(
            select(Questionnaire.anonymous).where(Questionnaire.id == qn.id).with_for_update(read=True)
        ).scalar_one()
    )
    if anonymous and closes_on < today:
        session.rollback()
        return AttachResult(ok=False, errors={"closes_on": _past_close_message()})
    if old_qid and old_qid != qn.id:
        started = {
            status
            for status in session.execute(
                select(SurveyInvitation.status)
                .where(
                    SurveyInvitation.training_id == training_id,
                    SurveyInvitation.questionnaire_id == old_qid,
                    SurveyInvitation.status != "pending",
                )
                .distinct()
            ).scalars()
        }
        if started:
            session.rollback()
            if "submitted" in started:
                message = _("Kuesioner tidak dapat diganti: sudah ada peserta yang mengirim jawaban untuk kuesioner sebelumnya.")
            else:
                # their drafts would be deleted, and they started under the old questionnaire's anonymity
                message = _(
                    "Kuesioner tidak dapat diganti: sudah ada peserta yang mulai mengisi kuesioner sebelumnya, "
                    "dan jawaban mereka akan hilang."
                )
            return AttachResult(ok=False, errors={"questionnaire_id": message})
    removed = 0
    if old_qid and old_qid != qn.id:
        removed += delete_unsubmitted(session, training_id, SurveyInvitation.questionnaire_id == old_qid)
    # participants no longer marked as attended lose their unsubmitted invitation
    attended = select(Enrollment.employee_id).where(Enrollment.training_id == training_id, took_part(Enrollment.status))
    removed += delete_unsubmitted(
        session,
        training_id,
        and_(SurveyInvitation.questionnaire_id == qn.id, SurveyInvitation.employee_id.not_in(attended)),
    )
    created = generate_invitations(session, training_id, qn.id, opens_on, closes_on)
    if created or removed:
        summaries.invitations.apply_training(session.connection(), training_id)
    audit(
        session,
        actor_id,
        "training.survey",
        f"training:{training_id}",
        f"questionnaire:{qn.id} {opens_on.isoformat()}..{closes_on.isoformat()} +{created} -{removed}",
    )
    session.commit()
    return AttachResult(ok=True, created=created, removed=removed)


def _past_close_message() -> str:
    return _(
        "Tanggal tutup survei anonim tidak boleh sebelum hari ini. Untuk menutup survei sekarang, gunakan "
        "tombol \u201cTutup survei sekarang\u201d: survei anonim yang sudah ditutup tidak dapat dibuka lagi."
    )


def _frozen_result(window: SurveyWindow) -> AttachResult:
    assert window.closes_on is not None
    return AttachResult(ok=False, errors={"form": frozen_message(window.closes_on)})


def _frozen_condition(today: date) -> Any:
    """SQL for `SurveyWindow.frozen` on the training row."""
    anonymous = (
        select(Questionnaire.id)
        .where(Questionnaire.id == Training.reaction_questionnaire_id, Questionnaire.anonymous.is_(True))
        .exists()
    )
    return and_(Training.survey_closes_on.is_not(None), Training.survey_closes_on < today, anonymous)


def _set_window(
    session: Session,
    training_id: int,
    questionnaire_id: int,
    opens_on: date,
    closes_on: date,
    *,
    today: date,
    condition: Any = None,
) -> bool:
    """The training's window, and the same window on every unsubmitted invitation (they never differ).
    The training row is updated only while it is not frozen (and `condition` holds); False when it was
    not updated."""
    updated = session.execute(
        update(Training)
        .where(Training.id == training_id, not_(_frozen_condition(today)), condition if condition is not None else true())
        .values(reaction_questionnaire_id=questionnaire_id, survey_opens_on=opens_on, survey_closes_on=closes_on)
    ).rowcount
    if not updated:
        return False
    session.execute(
        update(SurveyInvitation)
        .where(
            SurveyInvitation.training_id == training_id,
            SurveyInvitation.questionnaire_id == questionnaire_id,
            SurveyInvitation.status != "submitted",
        )
        .values(opens_on=opens_on, closes_on=closes_on)
    )
    return True


def close_now(session: Session, actor_id: int | None, training_id: int, *, today: date) -> str | None:
    """Close an open survey window now: nobody can submit any more and, for an anonymous survey, the
    figures are published and frozen (`SurveyWindow`). The window is set to end yesterday, so that
    `today > closes_on` holds at once everywhere the window is read. Returns None on success, else the
    reason in Indonesian. Commits."""
    training = session.get(Training, training_id)
    if training is None:
        raise LookupError(training_id)
    window = survey_window(session, training)
    state = window.state(today)
    if state != "open" or training.reaction_questionnaire_id is None:
        session.rollback()
        if state == "closed":
            return _("Survei ini sudah ditutup.")
        return _("Hanya survei yang sedang dibuka yang dapat ditutup lebih awal.")
    assert window.opens_on is not None
    closes_on = today - timedelta(days=1)
    still_open = and_(Training.survey_opens_on <= today, Training.survey_closes_on >= today)
    if not _set_window(
        session, training_id, training.reaction_questionnaire_id, min(window.opens_on, closes_on), closes_on, today=today, condition=still_open
    ):
        session.rollback()
        return _("Survei ini sudah ditutup.")
    audit(session, actor_id, "training.survey.close", f"training:{training_id}", f"closed early on {today.isoformat()}")
    session.commit()
    return None


def delete_unsubmitted(session: Session, training_id: int, condition: Any) -> int:
    ids = select(SurveyInvitation.id).where(
        SurveyInvitation.training_id == training_id, SurveyInvitation.status != "submitted", condition
    )
    drafts = select(SurveyDraft.id).where(SurveyDraft.invitation_id.in_(ids))
    session.execute(delete(DraftAnswer).where(DraftAnswer.draft_id.in_(drafts)))
    session.execute(delete(SurveyDraft).where(SurveyDraft.invitation_id.in_(ids)))
    result = session.execute(
        delete(SurveyInvitation).where(
            SurveyInvitation.training_id == training_id, SurveyInvitation.status != "submitted", condition
        )
    )
    return int(result.rowcount or 0)


def generate_invitations(session: Session, training_id: int, questionnaire_id: int, opens_on: date, closes_on: date) -> int:
    """One INSERT .. SELECT .. ON CONFLICT DO NOTHING over the attended enrollments. Only `attach` calls it,
    after the `SurveyWindow` rules: no invitation is ever added to a frozen survey."""
    ins = dialect.insert(dialect.name_of(session))
    src = select(
        Enrollment.training_id,
        Enrollment.employee_id,
        bindparam("qid", questionnaire_id),
        bindparam("status", "pending"),
        bindparam("opens", opens_on),
        bindparam("closes", closes_on),
    ).where(Enrollment.training_id == training_id, took_part(Enrollment.status))
    stmt = ins(SurveyInvitation).from_select(
        ["training_id", "employee_id", "questionnaire_id", "status", "opens_on", "closes_on"], src
    )
    stmt = stmt.on_conflict_do_nothing(index_elements=["training_id", "employee_id", "questionnaire_id"])
    return int(session.execute(stmt).rowcount or 0)
