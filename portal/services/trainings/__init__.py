"""Trainings as HR runs them (/pelatihan): the list with each training's reaction survey, the survey
window and its rules (`SurveyWindow`), attaching a questionnaire and inviting the participants,
closing a survey early. Module: `survey`."""

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
    trainings_overview,
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
    "trainings_overview",
]
