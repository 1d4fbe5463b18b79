"""Tests of cnnnotes.claims: verdicts computed from numbers, with the stated tolerances."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakeruns import edit_fake_run, write_fake_run, write_fake_runs

from cnnnotes.claims import (
    NOISE_ACC,
    TOL_ACC,
    binomial_se,
    check_case,
    compare,
    near,
)
from cnnnotes.results import load_all, run_dir

CASES = ("baseline", "case1", "case2", "case3", "case4", "case5")


def _runs(results: Path) -> dict:
    return load_all(results, "notes", CASES)


def _edit(results: Path, case: str, *, history: dict | None = None, metrics: dict | None = None):
    return edit_fake_run(results, case, history=history, metrics=metrics)


def test_binomial_standard_error_of_an_accuracy_on_10000_images_is_about_half_a_point() -> None:
    assert binomial_se(0.7, 10_000) == pytest.approx(0.00458, abs=1e-5)
    with pytest.raises(ValueError, match="n:"):
        binomial_se(0.5, 0)


def test_near_agrees_within_the_tolerance_of_a_quoted_value_or_range() -> None:
    assert near(0.71, 0.69, 0.69, TOL_ACC) == "agree"
    assert near(0.72, 0.69, 0.69, TOL_ACC) == "agree"  # exactly at the tolerance
    assert near(0.73, 0.69, 0.69, TOL_ACC) == "disagree"
    assert near(1.05, 0.95, 1.0, 0.10) == "agree"
    assert near(0.80, 0.95, 1.0, 0.10) == "disagree"


@pytest.mark.parametrize(
    ("diff", "expect", "verdict"),
    [
        (0.01, "same", "agree"),
        (0.03, "same", "disagree"),
        (0.03, "higher", "agree"),
        (0.01, "higher", "unclear"),
        (-0.03, "higher", "disagree"),
        (-0.03, "lower", "agree"),
        (0.02, "higher", "unclear"),  # a difference equal to the threshold is noise
        (0.01, "not_higher", "agree"),
        (-0.05, "not_higher", "agree"),
        (0.03, "not_higher", "disagree"),
        (-0.03, "not_lower", "disagree"),
    ],
)
def test_compare_judges_a_claimed_relation_against_the_noise_threshold(
    diff: float, expect: str, verdict: str
) -> None:
    assert compare(diff, NOISE_ACC, expect) == verdict  # type: ignore[arg-type]


def test_compare_rejects_an_unknown_relation() -> None:
    with pytest.raises(ValueError, match="expect:"):
        compare(0.0, 0.02, "bigger")  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("case", CASES)
def test_every_case_has_checked_claims_in_both_languages(tmp_path: Path, case: str, lang) -> None:
    write_fake_runs(tmp_path)
    checks = check_case(case, _runs(tmp_path), lang)
    assert len(checks) >= 3
    for c in checks:
        assert c.claim and c.ours and c.why and c.verdict in ("agree", "disagree", "unclear")
        assert "{" not in c.claim + c.ours + c.why, "unformatted placeholder"


def test_baseline_quoted_numbers_agree_and_disagree_by_the_tolerance(tmp_path: Path) -> None:
    write_fake_runs(tmp_path, ("baseline",))
    verdicts = [c.verdict for c in check_case("baseline", _runs(tmp_path), "en")]
    assert verdicts[:5] == ["agree"] * 5  # 0.80, 0.69, 0.60, 0.97, rising late
    acc = json.loads((run_dir(tmp_path, "notes", "baseline") / "history.json").read_text())
    _edit(tmp_path, "baseline", history={"val_accuracy": [*acc["val_accuracy"][:-1], 0.75]})
    checks = check_case("baseline", _runs(tmp_path), "en")
    assert checks[1].verdict == "disagree" and checks[1].ours == "0.750"
    assert "0.03" in checks[1].why


def test_case1_validation_loss_turning_late_disagrees_with_the_notes(tmp_path: Path) -> None:
    write_fake_runs(tmp_path, ("case1",))
    turns = {c.claim: c for c in check_case("case1", _runs(tmp_path), "en")}
    (claim,) = [c for c in turns if "then rises" in c]
    assert turns[claim].verdict == "agree" and "epoch 7" in turns[claim].ours
    loss = [1.4 - 0.04 * e for e in range(15)] + [0.8 + 0.1 * e for e in range(1, 6)]
    _edit(tmp_path, "case1", history={"val_loss": loss})  # lowest at epoch 15
    turns = {c.claim: c for c in check_case("case1", _runs(tmp_path), "en")}
    assert turns[claim].verdict == "disagree" and "epoch 15" in turns[claim].ours


def test_comparisons_with_a_missing_run_cannot_be_told(tmp_path: Path) -> None:
    write_fake_runs(tmp_path, ("case2", "case5"))
    for case in ("case2", "case5"):
        relations = [c for c in check_case(case, _runs(tmp_path), "en") if c.ours == "—"]
        assert relations and all(c.verdict == "unclear" for c in relations)
        assert all("not trained yet" in c.why for c in relations)


def test_case2_no_gain_agrees_inside_the_noise_and_disagrees_beyond(tmp_path: Path) -> None:
    write_fake_runs(tmp_path, ("baseline", "case2"))
    first = check_case("case2", _runs(tmp_path), "en")[0]
    assert first.verdict == "agree"  # 0.695 vs 0.690
    hist = json.loads((run_dir(tmp_path, "notes", "case2") / "history.json").read_text())
    _edit(tmp_path, "case2", history={"val_accuracy": [*hist["val_accuracy"][:-1], 0.74]})
    first = check_case("case2", _runs(tmp_path), "en")[0]
    assert first.verdict == "disagree" and "+0.050" in first.why


def test_case4_underfitting_is_the_dropout_effect_when_dropout_off_fits_better(
    tmp_path: Path,
) -> None:
    write_fake_runs(tmp_path, ("case3", "case4"))
    verdict = check_case("case4", _runs(tmp_path), "en")[-1]
    assert verdict.verdict == "disagree" and "ERRATA 43" in verdict.why
    assert "+0.100" in verdict.ours and "Case 3" in verdict.ours
    _edit(tmp_path, "case4", metrics={"train_accuracy": 0.665})  # dropout off: no lift
    verdict = check_case("case4", _runs(tmp_path), "en")[-1]
    assert verdict.verdict == "agree"


def test_case5_higher_than_case4_is_judged_on_the_noise_threshold(tmp_path: Path) -> None:
    write_fake_runs(tmp_path, ("case3", "case4", "case5"))
    beats4 = check_case("case5", _runs(tmp_path), "en")[0]
    assert beats4.verdict == "unclear"  # 0.720 vs 0.700: exactly the threshold
    write_fake_run(tmp_path, "case4")
    _edit(tmp_path, "case4", history={"val_accuracy": [0.5] * 19 + [0.66]})
    beats4 = check_case("case5", _runs(tmp_path), "en")[0]
    assert beats4.verdict == "agree"


def test_check_case_names_the_missing_argument() -> None:
    with pytest.raises(KeyError, match="case:"):
        check_case("case9", {}, "en")
    with pytest.raises(KeyError, match="runs:"):
        check_case("case1", {}, "en")
