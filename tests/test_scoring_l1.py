"""L1 satisfaction formulas (portal/scoring.py, section "L1 satisfaction"): pure functions, checked against
hand-computed values and against a brute-force recomputation from individual answers."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal import scoring


def test_likert_to_100_maps_the_scale_ends_and_middle():
    assert scoring.likert_to_100(1) == 0
    assert scoring.likert_to_100(5) == 100
    assert scoring.likert_to_100(3) == 50
    assert scoring.likert_to_100(4.2) == pytest.approx(80.0)
    assert scoring.likert_to_100(None) is None


def test_likert_index_is_pooled_from_n_and_total():
    # answers 4, 5, 3, 4 -> mean 4 -> 75
    assert scoring.likert_index(4, 16) == pytest.approx(75.0)
    assert scoring.likert_index(0, 0) is None


def test_satisfaction_index_from_counts_ignores_values_outside_the_scale():
    counts = {1: 1, 2: 0, 3: 2, 4: 5, 5: 2}  # 1 + 6 + 20 + 10 = 37 over 10 -> 3.7 -> 67.5
    assert scoring.satisfaction_index(counts) == pytest.approx(67.5)
    assert scoring.satisfaction_index({**counts, 0: 7, 9: 3}) == pytest.approx(67.5)
    assert scoring.satisfaction_index({}) is None


def test_nps_splits_promoters_passives_detractors():
    counts = {10: 3, 9: 1, 8: 2, 7: 1, 6: 1, 3: 2, 0: 1}  # 11 answers: 4 promoters, 3 passives, 4 detractors
    result = scoring.nps(counts)
    assert (result.n, result.promoters, result.passives, result.detractors) == (11, 4, 3, 4)
    assert result.score == pytest.approx(0.0)
    assert scoring.nps({10: 4}).score == 100
    assert scoring.nps({0: 2, 6: 2}).score == -100
    assert scoring.nps({}).score is None
    assert scoring.nps({11: 5, -1: 2}).n == 0
    assert result.share(result.promoters) == pytest.approx(400 / 11)


def test_percent_and_min_group_helpers():
    assert scoring.percent(1, 4) == 25
    assert scoring.percent(1, 0) is None
    assert scoring.meets_min_group(5, 5)
    assert not scoring.meets_min_group(4, 5)
    assert not scoring.meets_min_group(0, 0)  # never show an aggregate of nothing
    assert scoring.meets_min_group(1, 0)
    # a subgroup of a shown total: both it and the rest must meet the minimum (or the rest is empty)
    assert scoring.subgroup_disclosable(5, 5, 5)
    assert scoring.subgroup_disclosable(5, 10, 5)
    assert not scoring.subgroup_disclosable(6, 9, 5)  # 9 - 6 = 3 could be isolated by subtraction
    assert not scoring.subgroup_disclosable(4, 20, 5)


@given(st.lists(st.integers(1, 5), min_size=1, max_size=200))
def test_satisfaction_index_equals_the_mean_of_individual_answers(answers):
    counts: dict[int, int] = {}
    for a in answers:
        counts[a] = counts.get(a, 0) + 1
    expected = (sum(answers) / len(answers) - 1) / 4 * 100
    assert math.isclose(scoring.satisfaction_index(counts), expected, abs_tol=1e-9)
    assert math.isclose(scoring.likert_index(len(answers), sum(answers)), expected, abs_tol=1e-9)


@given(st.lists(st.integers(0, 10), min_size=1, max_size=200))
def test_nps_equals_a_recount_of_individual_answers(answers):
    counts: dict[int, int] = {}
    for a in answers:
        counts[a] = counts.get(a, 0) + 1
    expected = (sum(a >= 9 for a in answers) - sum(a <= 6 for a in answers)) * 100 / len(answers)
    assert math.isclose(scoring.nps(counts).score, expected, abs_tol=1e-9)
    assert -100 <= scoring.nps(counts).score <= 100
