"""L3 impact formulas (portal.scoring, L3 section) with hand-computed cases. No database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal import scoring
from portal.services.impact import compute

likert = st.integers(min_value=1, max_value=5)


# --------------------------------------------------------------------------- components


def test_application_component_is_likert_to_100_of_the_mean_after_value():
    assert scoring.application_component([4, 4, 5, 3, 4]) == 75.0  # mean 4.0 -> (4 - 1) / 4 x 100
    assert scoring.application_component([1, 1]) == 0.0
    assert scoring.application_component([5]) == 100.0
    assert scoring.application_component([3, None, 4]) == pytest.approx(62.5)  # missing values are skipped
    assert scoring.application_component([]) is None
    assert scoring.application_component([None]) is None


def test_change_component_is_the_clipped_mean_difference_times_25():
    assert scoring.change_component([(2, 4), (3, 4), (2, 5)]) == 50.0  # diffs 2, 1, 3 -> mean 2 -> 50
    assert scoring.change_component([(1, 5)]) == 100.0  # the largest change possible
    assert scoring.change_component([(3, 3), (2, 2)]) == 0.0
    assert scoring.change_component([(2, None), (None, 3)]) is None  # half-answered pairs do not count
    assert scoring.change_component([]) is None


def test_negative_change_is_clipped_to_zero():
    # before > after on every pair: mean -1.5, clipped to 0
    assert scoring.change_component([(4, 3), (5, 3)]) == 0.0
    # mixed: the MEAN is clipped, not each pair: (+2 - 2 + 1) / 3 = 1/3 -> 8.33
    assert scoring.change_component([(2, 4), (5, 3), (3, 4)]) == pytest.approx(25 / 3)


def test_all_components_present():
    # A = 75 (mean after 4), C = 50 (mean change 2), S = (4 + 5 + 4) / 3 = 4.333 -> 83.333
    r = scoring.impact_score([4, 4, 4, 4], [(2, 4), (3, 4), (2, 5)], [4, 5, 4])
    assert (r.application, r.change, r.self_report) == (75.0, 50.0, 83.33)
    # 0.5 x 75 + 0.3 x 50 + 0.2 x 83.333 = 37.5 + 15 + 16.667 = 69.1667 -> 69.2
    assert r.index == 69.2
    assert r.category == "cukup_berdampak"
    assert r.version == "v1"


def test_missing_self_report_renormalises_over_application_and_change():
    r = scoring.impact_score([4, 4, 5, 3, 4], [(2, 4), (3, 4), (2, 5)], None)
    assert r.self_report is None
    # (0.5 x 75 + 0.3 x 50) / 0.8 = 52.5 / 0.8 = 65.625 -> 65.6 (half-up)
    assert r.index == 65.6
    assert scoring.effective_weights(True, False) == pytest.approx({"application": 0.625, "change": 0.375})
    # an empty self-report (no likert answers) counts as absent too
    assert scoring.impact_score([4, 4, 5, 3, 4], [(2, 4), (3, 4), (2, 5)], []).index == 65.6


def test_missing_change_renormalises_over_application_and_self():
    # no retrospective items: (0.5 x 75 + 0.2 x 100) / 0.7 = 57.5 / 0.7 = 82.14 -> 82.1
    r = scoring.impact_score([4, 4], [], [5, 5])
    assert r.change is None and r.index == 82.1 and r.category == "sangat_berdampak"
    # application only: the index is the application component
    assert scoring.impact_score([3, 3], [], None).index == 50.0


def test_no_supervisor_answers_means_no_index():
    r = scoring.impact_score([], [], [5, 5])
    assert r.index is None and r.category is None
    assert scoring.impact_index(None, 50.0, 80.0) is None


def test_before_greater_than_after_gives_no_change_credit():
    # supervisor: after 3,3 (A = 50); before 5,4 (mean change -1.5 -> 0)
    r = scoring.impact_score([3, 3], [(5, 3), (4, 3)], None)
    assert r.change == 0.0
    assert r.index == pytest.approx(31.3)  # (0.5 x 50 + 0.3 x 0) / 0.8 = 31.25 -> 31.3 (half-up)
    assert r.category == "kurang_berdampak"


def test_rounding_is_half_up_not_bankers():
    assert scoring.round_half_up(62.25, 1) == 62.3
    assert scoring.round_half_up(62.35, 1) == 62.4
    assert scoring.round_half_up(0.05, 1) == 0.1
    assert scoring.round_half_up(None) is None


@pytest.mark.parametrize(
    ("index", "category"),
    [
        (0.0, "tidak_berdampak"),
        (24.9, "tidak_berdampak"),
        (24.99, "tidak_berdampak"),
        (25.0, "kurang_berdampak"),
        (49.9, "kurang_berdampak"),
        (50.0, "cukup_berdampak"),
        (74.9, "cukup_berdampak"),
        (75.0, "sangat_berdampak"),
        (100.0, "sangat_berdampak"),
        (None, None),
    ],
)
def test_category_boundaries_belong_to_the_higher_category(index, category):
    assert scoring.impact_category(index) == category


def test_boundary_indexes_reached_by_real_answers():
    # A = 25 (mean after 2), no retrospective items, no self: index exactly 25 -> kurang
    assert scoring.impact_score([2, 2], [], None).index == 25.0
    assert scoring.impact_score([2, 2], [], None).category == "kurang_berdampak"
    # a zero change is a component (it pulls the index down), not a missing one: 0.5 x 25 / 0.8 = 15.6
    assert scoring.impact_score([2, 2], [(2, 2)], None).category == "tidak_berdampak"
    # A = 50, C = 50, S = 50 -> 50 -> cukup
    r = scoring.impact_score([3, 3], [(1, 3)], [3])
    assert (r.index, r.category) == (50.0, "cukup_berdampak")
    # A = 75, C = 75, S = 75 -> 75 -> sangat
    r = scoring.impact_score([4, 4], [(1, 4), (2, 5)], [4])
    assert (r.index, r.category) == (75.0, "sangat_berdampak")
    # A = 0 (all 1), no change -> 0 -> tidak
    assert scoring.impact_score([1, 1], [(1, 1)], [1]).category == "tidak_berdampak"


def test_unknown_formula_version_is_refused():
    with pytest.raises(ValueError):
        scoring.impact_score([4], [], None, version="v0")


def test_compute_from_stored_rows_uses_likert_items_only():
    rows = [
        # role, kind, retrospective, value_num, value_before
        ("supervisor", "likert5", True, 4, 2),
        ("supervisor", "likert5", True, 5, 3),
        ("supervisor", "likert5", False, 3, None),
        ("supervisor", "text", False, None, None),
        ("supervisor", "scale0_10", False, 9, None),  # not part of v1
        ("self", "likert5", True, 5, 2),
        ("self", "likert5", False, 4, None),
    ]
    r = compute(rows)
    # A: after 4, 5, 3 -> mean 4 -> 75; C: diffs 2, 2 -> 50; S: 5, 4 -> 4.5 -> 87.5
    assert (r.application, r.change, r.self_report) == (75.0, 50.0, 87.5)
    assert r.index == pytest.approx(round(0.5 * 75 + 0.3 * 50 + 0.2 * 87.5, 1))  # 70.0


@given(
    after=st.lists(likert, min_size=1, max_size=8),
    pairs=st.lists(st.tuples(likert, likert), max_size=6),
    self_after=st.one_of(st.none(), st.lists(likert, min_size=1, max_size=4)),
)
def test_index_is_a_weighted_mean_within_0_100(after, pairs, self_after):
    r = scoring.impact_score(after, pairs, self_after)
    assert r.index is not None and 0 <= r.index <= 100
    parts = [x for x in (r.application, r.change, r.self_report) if x is not None]
    assert min(parts) - 0.06 <= r.index <= max(parts) + 0.06
    assert r.category == scoring.impact_category(r.index)


def test_worked_example_of_docs_scoring_md():
    after = [4, 4, 5, 3, 4, 4]
    pairs = [(2, 4), (3, 4), (2, 5), (3, 3)]
    r = scoring.impact_score(after, pairs, None)
    assert (r.application, r.change, r.index, r.category) == (75.0, 37.5, 60.9, "cukup_berdampak")
    r = scoring.impact_score(after, pairs, [5, 4, 4])
    assert (r.self_report, r.index, r.category) == (83.33, 65.4, "cukup_berdampak")
    worse = [(2, 4), (3, 4), (5, 2), (3, 3)]
    assert scoring.impact_score(after, worse, None).change == 0.0
