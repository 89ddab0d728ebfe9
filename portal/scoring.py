"""Score formulas as pure functions (no I/O, no framework imports). See DESIGN.md §4.

Each area keeps its formulas in its own section below; callers import the functions they need.
"""

from __future__ import annotations

# --- AKPK (competency gap) -------------------------------------------------------------------
#
# Levels are proficiency levels 1-5. For one person and one competency in one AKPK cycle:
#   final level = the supervisor's level when the supervisor's assessment is submitted,
#                 else the self level (None when neither is available);
#   gap         = required level - final level (positive: needs development; negative: above
#                 the standard of the position);
#   flag "perlu dibicarakan" when |self - supervisor| >= 2 (both levels present).

LEVEL_MIN = 1
LEVEL_MAX = 5
DISAGREEMENT_THRESHOLD = 2


def valid_level(level: object) -> bool:
    """True for an int proficiency level 1-5 (bool is not a level)."""
    return isinstance(level, int) and not isinstance(level, bool) and LEVEL_MIN <= level <= LEVEL_MAX


def final_level(self_level: int | None, supervisor_level: int | None, supervisor_submitted: bool = True) -> int | None:
    """The level that counts: the supervisor's when submitted (and given), else the self level."""
    if supervisor_submitted and supervisor_level is not None:
        return supervisor_level
    return self_level


def gap(required_level: int | None, final: int | None) -> int | None:
    """required - final; None when either is unknown."""
    if required_level is None or final is None:
        return None
    return required_level - final


def needs_discussion(self_level: int | None, supervisor_level: int | None, threshold: int = DISAGREEMENT_THRESHOLD) -> bool:
    """True when self and supervisor differ by `threshold` (2) levels or more; False if one is missing."""
    if self_level is None or supervisor_level is None:
        return False
    return abs(self_level - supervisor_level) >= threshold


# --- L1 satisfaction (Kirkpatrick level 1) ---------------------------------------------------
#
# Computed from the per-training summaries kept at submit time (answer counts per value, n, totals):
#   Likert to 0-100    = (mean - 1) / 4 x 100, for a mean on the 1-5 scale;
#   satisfaction index = Likert to 0-100 of the pooled mean over ALL answered likert5 items
#                        (sum of the values / number of answers), for a training, a dimension or a
#                        group of trainings alike;
#   NPS                = % of the 0-10 answers that are 9-10 (promoters) minus % that are 0-6
#                        (detractors), from -100 to 100;
#   minimum group size = an aggregate of an anonymous questionnaire is shown only when it rests on at
#                        least `minimum` responses (setting PORTAL_MIN_GROUP_SIZE, default 5); a
#                        subgroup of a shown total only when its complement is empty or also >= minimum.

from collections.abc import Mapping  # noqa: E402
from typing import NamedTuple  # noqa: E402

LIKERT_LOW = 1
LIKERT_HIGH = 5
NPS_PROMOTER_FROM = 9
NPS_DETRACTOR_TO = 6
MIN_GROUP_SIZE = 5


def likert_to_100(mean: float | None) -> float | None:
    """(mean - 1) / 4 x 100 for a 1-5 mean; None for None."""
    if mean is None:
        return None
    return (mean - LIKERT_LOW) / (LIKERT_HIGH - LIKERT_LOW) * 100


def likert_index(n: int, total: float) -> float | None:
    """Satisfaction index 0-100 from the number of likert5 answers and the sum of their values."""
    if not n:
        return None
    return likert_to_100(total / n)


def satisfaction_index(counts: Mapping[int, int]) -> float | None:
    """Satisfaction index 0-100 from answer counts per Likert value ({1: 3, 4: 10, 5: 7}); values
    outside 1-5 are ignored. None without answers."""
    n = total = 0
    for value, count in counts.items():
        if LIKERT_LOW <= int(value) <= LIKERT_HIGH and count > 0:
            n += count
            total += int(value) * count
    return likert_index(n, total)


class NpsResult(NamedTuple):
    n: int
    promoters: int
    passives: int
    detractors: int

    @property
    def score(self) -> float | None:
        """% promoters - % detractors (-100..100), None without answers."""
        if not self.n:
            return None
        return (self.promoters - self.detractors) * 100 / self.n

    def share(self, part: int) -> float | None:
        return percent(part, self.n)


def nps(counts: Mapping[int, int]) -> NpsResult:
    """Net Promoter Score parts from answer counts per 0-10 value; values outside 0-10 are ignored."""
    promoters = passives = detractors = 0
    for value, count in counts.items():
        v = int(value)
        if count <= 0 or not 0 <= v <= 10:
            continue
        if v >= NPS_PROMOTER_FROM:
            promoters += count
        elif v <= NPS_DETRACTOR_TO:
            detractors += count
        else:
            passives += count
    return NpsResult(promoters + passives + detractors, promoters, passives, detractors)


def percent(part: float, whole: float) -> float | None:
    """part / whole x 100; None when whole is 0."""
    if not whole:
        return None
    return part * 100 / whole


def meets_min_group(n: int, minimum: int = MIN_GROUP_SIZE) -> bool:
    """True when an aggregate over n responses may be shown (n >= minimum, and never n = 0)."""
    return n > 0 and n >= max(1, minimum)


def subgroup_disclosable(subgroup: int, total: int, minimum: int = MIN_GROUP_SIZE) -> bool:
    """A subgroup of a shown total may be shown only when it meets the minimum and the rest of the total
    (which anyone could get by subtraction) is empty or meets the minimum too."""
    rest = total - subgroup
    return meets_min_group(subgroup, minimum) and (rest == 0 or meets_min_group(rest, minimum))


# --- L3 impact (Kirkpatrick level 3) ---------------------------------------------------------
#
# Per enrollment, from the submitted L3 ratings (docs/scoring.md has a worked example). Only likert5
# items count; "after" is the stored value (value_num), "before" the retrospective value (value_before).
#   application A = Likert to 0-100 of the mean of the supervisor's "after" values over all answered
#                   likert5 items of the supervisor's rating;
#   change      C = mean(after - before) over the supervisor's retrospective likert5 pairs, the MEAN
#                   clipped to 0..4, x 25 (a negative mean change counts as 0);
#   self-report S = Likert to 0-100 of the mean of the alumnus' "after" values (self-report rating);
#   index       I = sum(w_k x k) / sum(w_k) over the components k present, with the weights the formula
#                   version declares (v1: A 0.5, C 0.3, S 0.2). Without a self-report (the training does
#                   not ask for one, or it has not arrived) this renormalises to A 0.625, C 0.375.
#                   No application component (no submitted supervisor rating): no index.
#   The index is rounded half-up to one decimal; the category is taken from the rounded index:
#   < 25 tidak berdampak, 25-<50 kurang berdampak, 50-<75 cukup berdampak, >= 75 sangat berdampak.

from collections.abc import Iterable as _Iterable
from dataclasses import dataclass as _dataclass
from decimal import ROUND_HALF_UP as _ROUND_HALF_UP
from decimal import Decimal as _Decimal
from portal.i18n import N_

FORMULA_VERSION = "v1"
IMPACT_WEIGHTS: dict[str, dict[str, float]] = {
    "v1": {"application": 0.5, "change": 0.3, "self": 0.2},
}
CHANGE_MAX = 4  # the largest possible change on a 1-5 scale
# (lower bound, key); checked from the top
IMPACT_CATEGORIES: tuple[tuple[float, str], ...] = (
    (75.0, "sangat_berdampak"),
    (50.0, "cukup_berdampak"),
    (25.0, "kurang_berdampak"),
    (0.0, "tidak_berdampak"),
)
IMPACT_CATEGORY_LABELS = {
    "tidak_berdampak": N_("Tidak berdampak"),
    "kurang_berdampak": N_("Kurang berdampak"),
    "cukup_berdampak": N_("Cukup berdampak"),
    "sangat_berdampak": N_("Sangat berdampak"),
}


def round_half_up(value: float | None, digits: int = 1) -> float | None:
    """Round like people do by hand (62.25 -> 62.3), via the shortest decimal repr of the float."""
    if value is None:
        return None
    quantum = _Decimal(1).scaleb(-digits)
    return float(_Decimal(repr(value)).quantize(quantum, rounding=_ROUND_HALF_UP))


def _likert_values(values: _Iterable[int | None]) -> list[int]:
    return [int(v) for v in values if v is not None and LIKERT_LOW <= int(v) <= LIKERT_HIGH]


def application_component(after_values: _Iterable[int | None]) -> float | None:
    """Likert to 0-100 of the mean "after" value; None without answers."""
    vals = _likert_values(after_values)
    if not vals:
        return None
    return likert_to_100(sum(vals) / len(vals))


def change_component(pairs: _Iterable[tuple[int | None, int | None]]) -> float | None:
    """mean(after - before) over complete (before, after) pairs, clipped to 0..4, x 25; None without pairs."""
    diffs = [
        int(after) - int(before)
        for before, after in pairs
        if before is not None and after is not None
        and LIKERT_LOW <= int(before) <= LIKERT_HIGH and LIKERT_LOW <= int(after) <= LIKERT_HIGH
    ]
    if not diffs:
        return None
    mean = sum(diffs) / len(diffs)
    return min(max(mean, 0.0), float(CHANGE_MAX)) * 100 / CHANGE_MAX


def self_component(after_values: _Iterable[int | None]) -> float | None:
    """The alumnus' self-report: Likert to 0-100 of the mean "after" value; None without a self-report."""
    return application_component(after_values)


def impact_index(
    application: float | None,
    change: float | None,
    self_report: float | None,
    version: str = FORMULA_VERSION,
) -> float | None:
    """Weighted mean of the components present (weights renormalised over them), 0-100, rounded half-up
    to one decimal. None when the application component (the supervisor's rating) is missing."""
    if application is None:
        return None
    weights = IMPACT_WEIGHTS[version]
    parts = {"application": application, "change": change, "self": self_report}
    used = {k: w for k, w in weights.items() if parts.get(k) is not None}
    total_weight = sum(used.values())
    raw = sum(w * float(parts[k]) for k, w in used.items()) / total_weight  # type: ignore[arg-type]
    return round_half_up(min(max(raw, 0.0), 100.0), 1)


def impact_category(index: float | None) -> str | None:
    """Category key of an index: boundaries belong to the higher category (25 -> kurang, 50 -> cukup,
    75 -> sangat)."""
    if index is None:
        return None
    for lower, key in IMPACT_CATEGORIES:
        if index >= lower:
            return key
    return "tidak_berdampak"


def effective_weights(has_change: bool, has_self: bool, version: str = FORMULA_VERSION) -> dict[str, float]:
    """The weights actually applied (summing to 1) for the components present; shown on the pages."""
    weights = IMPACT_WEIGHTS[version]
    present = {"application": True, "change": has_change, "self": has_self}
    used = {k: w for k, w in weights.items() if present[k]}
    total = sum(used.values())
    return {k: w / total for k, w in used.items()}


@_dataclass(frozen=True)
class ImpactResult:
    application: float | None
    change: float | None
    self_report: float | None
    index: float | None
    category: str | None
    version: str


def impact_score(
    supervisor_after: _Iterable[int | None],
    supervisor_pairs: _Iterable[tuple[int | None, int | None]],
    self_after: _Iterable[int | None] | None = None,
    version: str = FORMULA_VERSION,
) -> ImpactResult:
    """All components, the index and the category of one enrollment.

    `supervisor_after`: the supervisor's "after" values of every likert5 item; `supervisor_pairs`:
    (before, after) of the retrospective likert5 items; `self_after`: the alumnus' "after" values, or
    None when there is no submitted self-report."""
    if version not in IMPACT_WEIGHTS:
        raise ValueError(f"unknown impact formula version {version!r}; known: {', '.join(IMPACT_WEIGHTS)}")
    a = application_component(supervisor_after)
    c = change_component(supervisor_pairs)
    s = self_component(self_after) if self_after is not None else None
    index = impact_index(a, c, s, version)
    return ImpactResult(
        application=round_half_up(a, 2),
        change=round_half_up(c, 2),
        self_report=round_half_up(s, 2),
        index=index,
        category=impact_category(index),
        version=version,
    )
