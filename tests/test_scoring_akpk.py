"""AKPK score formulas (portal.scoring, AKPK section) and the pure helpers built on them, with
hand-computed cases. No database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal import scoring
from portal.services.akpk import gap_band
from portal.services.assessments import Progress, rank_trainings

levels = st.integers(min_value=1, max_value=5)


# --------------------------------------------------------------------------- final level


@pytest.mark.parametrize(
    ("self_level", "supervisor_level", "submitted", "expected"),
    [
        (3, 2, True, 2),  # the supervisor's submitted level counts
        (3, 5, True, 5),
        (3, 2, False, 3),  # supervisor still in draft: the self level counts
        (3, None, True, 3),  # no supervisor level at all
        (None, 4, True, 4),  # supervisor submitted, self not (yet)
        (None, None, True, None),
        (None, 4, False, None),
    ],
)
def test_final_level(self_level, supervisor_level, submitted, expected):
    assert scoring.final_level(self_level, supervisor_level, submitted) == expected


def test_final_level_default_assumes_supervisor_submitted():
    assert scoring.final_level(1, 4) == 4


# --------------------------------------------------------------------------- gap


@pytest.mark.parametrize(
    ("required", "final", "expected"),
    [
        (3, 1, 2),  # two levels short: needs development
        (3, 3, 0),
        (2, 4, -2),  # above the standard
        (5, 1, 4),
        (1, 5, -4),
        (3, None, None),
        (None, 3, None),
    ],
)
def test_gap(required, final, expected):
    assert scoring.gap(required, final) == expected


def test_gap_of_a_whole_result_by_hand():
    # required, self, supervisor (submitted) -> final, gap, flag
    rows = [(3, 2, 2), (3, 4, 2), (2, 1, 3), (4, 4, None)]
    out = []
    for required, s, u in rows:
        final = scoring.final_level(s, u, u is not None)
        out.append((final, scoring.gap(required, final), scoring.needs_discussion(s, u)))
    assert out == [(2, 1, False), (2, 1, True), (3, -1, True), (4, 0, False)]


# --------------------------------------------------------------------------- disagreement flag


@pytest.mark.parametrize(
    ("self_level", "supervisor_level", "expected"),
    [
        (3, 3, False),
        (3, 4, False),
        (4, 3, False),
        (3, 5, True),  # exactly 2 apart: flagged
        (5, 3, True),
        (1, 5, True),
        (2, None, False),
        (None, 2, False),
        (None, None, False),
    ],
)
def test_needs_discussion(self_level, supervisor_level, expected):
    assert scoring.needs_discussion(self_level, supervisor_level) is expected


def test_needs_discussion_threshold_is_a_parameter():
    assert scoring.needs_discussion(2, 3, threshold=1) is True
    assert scoring.DISAGREEMENT_THRESHOLD == 2


@given(levels, levels)
def test_flag_is_symmetric(a, b):
    assert scoring.needs_discussion(a, b) == scoring.needs_discussion(b, a)
    assert scoring.needs_discussion(a, b) == (abs(a - b) >= 2)


@given(levels, levels, levels, st.booleans())
def test_gap_is_bounded_and_consistent(required, s, u, submitted):
    final = scoring.final_level(s, u, submitted)
    g = scoring.gap(required, final)
    assert -4 <= g <= 4
    assert final == (u if submitted else s)
    assert g == required - final


@pytest.mark.parametrize(("value", "ok"), [(1, True), (5, True), (0, False), (6, False), (True, False), ("3", False), (None, False)])
def test_valid_level(value, ok):
    assert scoring.valid_level(value) is ok


# --------------------------------------------------------------------------- helpers built on the formulas


def test_rank_trainings_prefers_the_largest_gaps():
    gaps = {1: 2, 2: 1, 3: 3}  # competency -> positive gap
    links = {
        10: {1, 2},  # covers 2 + 1 = 3
        11: {3},  # covers 3, fewer competencies: after 10 on a tie
        12: {4, 5},  # nothing with a gap: left out
        13: {3, 1},  # covers 3 + 2 = 5: first
    }
    ranked = rank_trainings(gaps, links)
    assert [(tid, score) for tid, score, _ in ranked] == [(13, 5), (10, 3), (11, 3)]
    assert ranked[0][2] == [3, 1]  # covered competencies, largest gap first
    assert rank_trainings(gaps, links, limit=1)[0][0] == 13
    assert rank_trainings({}, links) == []


@pytest.mark.parametrize(
    ("mean", "band"),
    [(None, None), (-1.5, 0), (0.0, 0), (0.1, 1), (0.5, 1), (0.51, 2), (1.0, 2), (1.5, 3), (2.0, 4), (2.01, 5), (4.0, 5)],
)
def test_gap_band(mean, band):
    assert gap_band(mean) == band


def test_progress():
    assert Progress(0, 11).percent == 0 and not Progress(0, 11).complete
    assert Progress(4, 11).percent == 36
    assert Progress(11, 11).complete
    assert not Progress(0, 0).complete  # nothing to assess is not "complete"
