"""Trainings as HR runs them (/pelatihan). Modules:

- `calendar`: the trainings of a year (with participants and survey state) and of a month;
- `editing`: the training form, creating and editing a training;
- `participants`: the roster, attendance, adding and removing people;
- `enrollments`: every enrolment write (keeps the JP summary);
- `roster`: what attendance means for the reaction survey (`sync_invitations`, `submitted_people`);
- `survey`: the survey window and its rules (`SurveyWindow`), attaching a questionnaire and inviting
  the participants, closing a survey early.
Shapes in `_types`."""

from __future__ import annotations

from portal.services.trainings.survey import (
    AttachResult,
    SurveyWindow,
    attach,
    close_now,
    default_window,
    frozen_message,
    reaction_questionnaires,
    survey_window,
    training_survey,
)

__all__ = [
    "AttachResult",
    "SurveyWindow",
    "attach",
    "close_now",
    "default_window",
    "frozen_message",
    "reaction_questionnaires",
    "survey_window",
    "training_survey",
]
