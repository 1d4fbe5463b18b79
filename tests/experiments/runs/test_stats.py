"""The statistics over seeds: intervals and verdict rules, on numbers whose answers are known."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from fakeruns import edit_fake_run, write_fake_run

from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.experiments.runs.stats import (
    LAST,
    TOL,
    Interval,
    difference,
    judge,
    judge_quoted,
    paired,
    prediction_interval,
    summarize,
    t_quantile,
)


@pytest.mark.parametrize(
    ("df", "expected"), [(1, 12.7062), (2, 4.3027), (4, 2.7764), (8, 2.3060), (30, 2.0423)]
)
def test_t_quantiles_match_the_tables(df, expected):
    assert t_quantile(0.975, df) == pytest.approx(expected, abs=2e-4)
    assert t_quantile(0.025, df) == pytest.approx(-expected, abs=2e-4)


def test_a_paired_interval_uses_the_seed_by_seed_differences():
    a = {0: 0.70, 1: 0.72, 2: 0.69, 3: 0.71, 4: 0.73}
    b = {s: v - 0.01 + 0.001 * s for s, v in a.items()}
    d = np.array([a[s] - b[s] for s in a])
    got = difference(a, b, pair=True)
    half = 2.7764 * d.std(ddof=1) / math.sqrt(5)
    assert got.method == "paired" and got.n == 5
    assert got.estimate == pytest.approx(d.mean())
    assert (got.low, got.high) == pytest.approx((d.mean() - half, d.mean() + half), abs=1e-6)
    assert got.correlation == pytest.approx(1.0, abs=0.01)


def test_welch_matches_a_hand_computation():
    a, b = {0: 0.60, 1: 0.62, 2: 0.61}, {0: 0.66, 1: 0.70, 2: 0.68, 3: 0.69, 4: 0.67}
    got = difference(a, b, pair=False)
    va, vb = np.var(list(a.values()), ddof=1) / 3, np.var(list(b.values()), ddof=1) / 5
    df = (va + vb) ** 2 / (va**2 / 2 + vb**2 / 4)
    half = t_quantile(0.975, df) * math.sqrt(va + vb)
    assert got.method == "welch"
    assert (got.low, got.high) == pytest.approx((got.estimate - half, got.estimate + half))
    assert got.high < 0  # clearly lower


@pytest.mark.parametrize("n", [1, 2])
def test_too_few_seeds_can_not_tell(n):
    a = {s: 0.7 + 0.01 * s for s in range(n)}
    b = {s: 0.5 for s in range(n)}
    for diff in (difference(a, b, pair=True), difference(a, b, pair=False)):
        assert not diff.defined
        assert judge(diff, "higher", 0.03) == judge(diff, "same", 0.5) == "unclear"
    assert not prediction_interval(list(a.values())).defined
    assert judge_quoted(0.7, 0.7, prediction_interval(list(a.values())), 0.03) == "unclear"


@pytest.mark.parametrize(
    ("low", "high", "claim", "verdict"),
    [
        (-0.01, 0.02, "same", "agree"),
        (-0.05, 0.01, "same", "unclear"),
        (0.04, 0.08, "same", "disagree"),
        (0.01, 0.05, "higher", "agree"),
        (-0.01, 0.05, "higher", "unclear"),
        (-0.05, -0.01, "higher", "disagree"),
        (-0.05, -0.01, "lower", "agree"),
        (0.01, 0.05, "lower", "disagree"),
    ],
)
def test_verdict_rules_by_claim_type(low, high, claim, verdict):
    assert judge(Interval((low + high) / 2, low, high, 5, "paired"), claim, 0.03) == verdict


def test_a_quoted_number_is_judged_against_a_prediction_interval():
    ours = prediction_interval([0.68, 0.69, 0.70, 0.69, 0.68])
    assert ours.low < 0.68 and ours.high > 0.70
    assert judge_quoted(0.69, 0.69, ours, TOL["test_accuracy"]) == "agree"
    assert judge_quoted(0.80, 0.80, ours, TOL["test_accuracy"]) == "disagree"


def test_summaries_use_the_last_epochs_the_best_epoch_and_the_dropout_off_gap(tmp_path):
    run = write_fake_run(tmp_path, "case4")
    s = summarize(run)
    assert s["val_accuracy_last5"] == pytest.approx(run.history["val_accuracy"][-LAST:].mean())
    best = int(np.argmax(run.history["val_accuracy"]))
    assert (s["best_val_accuracy"], s["best_epoch"]) == (
        run.history["val_accuracy"][best],
        best + 1,
    )
    # the gap uses the final model's training accuracy with dropout off, not the dropout-on curve
    edited = edit_fake_run(tmp_path, "case4", history={"accuracy": [0.1] * 20})
    assert summarize(edited)["gap"] == pytest.approx(s["gap"])
    assert s["gap"] == pytest.approx(
        run.metrics["train_accuracy"] - run.history["val_accuracy"][-1]
    )


def test_cases_with_the_same_layer_shapes_are_paired():
    base = CASES["baseline"]
    assert all(paired(base, CASES[c]) for c in ("case3", "case4", "case5"))
    assert not paired(base, CASES["case1"]) and not paired(base, CASES["case2"])
    assert paired(base, dataclasses.replace(base, optimizer="adam", dropout=0.3))
