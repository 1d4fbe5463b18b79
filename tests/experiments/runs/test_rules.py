"""Tests of cnnnotes.experiments.runs.rules: v2 outcomes, seeds needed, the Bonferroni level."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cnnnotes.experiments.runs import rules, stats
from cnnnotes.experiments.runs.seedimage import decompose

TOL = 0.03


def test_the_reusable_judgement_of_per_seed_values_matches_a_t_interval() -> None:
    values = [0.010, 0.020, -0.005, 0.030, 0.000]
    j = rules.judge_values(values, "same", TOL)
    half = stats.t_quantile(0.975, 4) * float(np.std(values, ddof=1)) / math.sqrt(5)
    assert j.low == pytest.approx(np.mean(values) - half)
    assert j.high == pytest.approx(np.mean(values) + half)
    assert j.n == 5 and j.outcome == "agree"


@pytest.mark.parametrize(
    ("claim", "low", "high", "outcome"),
    [
        ("same", -0.01, 0.02, "agree"),
        ("same", 0.04, 0.06, "disagree"),
        ("same", 0.01, 0.05, "unclear"),
        ("higher", 0.001, 0.02, "agree"),
        ("higher", -0.02, -0.001, "disagree"),
        ("lower", -0.02, -0.001, "agree"),
        ("null", 0.001, 0.02, "disagree"),
        ("null", -0.01, 0.02, "agree"),
        ("null", -0.01, 0.05, "unclear"),
    ],
)
def test_relation_outcomes_follow_the_interval(
    claim: rules.Claim, low: float, high: float, outcome: str
) -> None:
    assert rules.decide(claim, low, high, TOL) == outcome


@pytest.mark.parametrize(
    ("low", "high", "outcome"),
    [
        (0.77, 0.80, "consistent"),  # 0.79 inside
        (0.75, 0.78, "close"),  # 0.01 outside, within the tolerance
        (0.70, 0.75, "disagree"),  # 0.04 outside
        (0.70, 0.78, "unclear"),  # half-width 0.04 > tolerance, 0.01 outside
    ],
)
def test_a_quoted_number_has_four_outcomes_and_never_agrees(
    low: float, high: float, outcome: str
) -> None:
    assert rules.decide("quoted", low, high, TOL, (0.79, 0.79)) == outcome


def test_a_quoted_number_outside_its_plain_interval_is_never_consistent() -> None:
    rng = np.random.default_rng(0)
    for _ in range(200):
        values = list(0.75 + 0.01 * rng.standard_normal(5))
        q = float(0.7 + 0.1 * rng.random())
        j = rules.judge_quoted(values, (q, q), TOL, 0.0)
        assert j.low is not None and j.high is not None
        if not j.low <= q <= j.high:
            assert j.outcome != "consistent"


def test_the_bonferroni_view_widens_and_only_widens() -> None:
    values = [0.02, 0.025, 0.03, 0.015, 0.022]
    plain = rules.judge_values(values, "higher", TOL)
    wide = rules.judge_values(values, "higher", TOL, level=rules.bonferroni_level(30))
    assert rules.bonferroni_level(30) == pytest.approx(1 - 0.05 / 30)
    assert wide.low < plain.low and wide.high > plain.high  # type: ignore[operator]


def test_a_wider_bonferroni_interval_makes_a_quoted_number_consistent_not_unclear() -> None:
    values = [0.770, 0.772, 0.774, 0.771, 0.773]
    plain = rules.judge_quoted(values, (0.78, 0.78), TOL, 0.0)
    wide = rules.judge_quoted(values, (0.78, 0.78), TOL, 0.0, level=rules.bonferroni_level(40))
    assert plain.outcome == "close" and wide.outcome == "consistent"


def test_seeds_needed_settle_a_direction_at_the_observed_spread() -> None:
    values = [0.01, -0.005, 0.02, 0.0, 0.012]
    j = rules.judge_values(values, "higher", TOL)
    assert j.outcome == "unclear" and j.seeds_needed is not None and j.seeds_needed > 5
    sd, est = float(np.std(values, ddof=1)), float(np.mean(values))
    k = j.seeds_needed
    assert stats.t_quantile(0.975, k - 1) * sd / math.sqrt(k) < est
    assert stats.t_quantile(0.975, k - 2) * sd / math.sqrt(k - 1) >= est


def test_same_beyond_the_tolerance_can_never_be_settled_by_more_seeds() -> None:
    j = rules.judge_values([0.02, 0.05, 0.03, 0.045, 0.04], "same", TOL)
    assert j.outcome == "unclear" and j.seeds_needed == rules.NO_SEEDS


def test_a_quoted_number_whose_image_floor_is_wider_than_the_tolerance_needs_no_number() -> None:
    j = rules.judge_quoted([0.70, 0.75, 0.72, 0.68, 0.77], (0.72, 0.72), TOL, image_term=0.0004)
    assert j.outcome == "unclear" and j.seeds_needed == rules.NO_SEEDS


def test_fewer_than_three_seeds_cannot_tell_and_say_how_many_would() -> None:
    j = rules.judge_values([0.05, 0.06], "higher", TOL)
    assert j.outcome == "unclear" and not j.defined
    assert j.seeds_needed is not None and j.seeds_needed >= stats.MIN_N


def test_a_seed_image_interval_is_wider_than_the_seed_part_alone() -> None:
    rng = np.random.default_rng(1)
    easy = rng.random(2000)
    table = (rng.random((5, 2000)) < easy).astype(float)
    dec = decompose(table)
    j = rules.judge_seed_image(dec, "higher", TOL)
    seed_only = stats.t_quantile(0.975, dec.df) * math.sqrt(dec.var_seed_part)
    assert j.high - j.estimate > seed_only  # type: ignore[operator]
