"""Tests of experiments.runs.claims and its words: verdicts over seeds, from runs.stats only."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fakeruns import edit_fake_run, write_fake_run

import cnnnotes.site.figures.tables
import cnnnotes.site.figures.verdicts  # noqa: F401  (registers the fragments)
from cnnnotes.experiments.runs import stats
from cnnnotes.experiments.runs._claims_render import check_case, describe
from cnnnotes.experiments.runs._judged_render import box_line, describe2
from cnnnotes.experiments.runs.claims import MEASURES, binomial_se, measure, verdicts
from cnnnotes.experiments.runs.folder import load_seeds, run_dir
from cnnnotes.experiments.runs.judged import records
from cnnnotes.site.figures.registry import REGISTRY

CASES = ("baseline", "case1", "case2", "case3", "case4", "case5")
#: Seed-to-seed jitter added to accuracies: sd ≈ 0.008, as between real seeds.
JITTER = (-0.01, -0.005, 0.0, 0.005, 0.01)


def _write(results: Path, case: str, n: int, offset: float = 0.0) -> None:
    for k in range(n):
        write_fake_run(results, case, seed=k, shift=offset + JITTER[k])


def _seeds(results: Path, cases=CASES) -> dict:
    out = {c: load_seeds(results, "notes", c) for c in cases}
    return {c: v for c, v in out.items() if v}


def _one(case: str, key: str, results: Path):
    (v,) = [v for v in verdicts(case, _seeds(results)) if v.key == key]
    return v


def _render(name: str, lang: str, results: Path) -> str:
    spec = REGISTRY[name]
    return spec.func(lang, results_dir=results, **spec.params)


def _row(md: str, claim: str) -> str:
    (line,) = [line for line in md.splitlines() if line.startswith(f"| {claim} |")]
    return line


def test_binomial_standard_error_of_an_accuracy_on_10000_images_is_about_half_a_point() -> None:
    assert binomial_se(0.7, 10_000) == pytest.approx(0.00458, abs=1e-5)
    with pytest.raises(ValueError, match="n:"):
        binomial_se(0.5, 0)


def test_the_unmeasured_thresholds_are_gone() -> None:
    import cnnnotes.experiments.runs.claims as claims

    for name in ("NOISE_ACC", "NOISE_LOSS", "TOL_ACC", "TOL_LOSS"):
        assert not hasattr(claims, name)


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("case", CASES)
def test_every_case_has_judged_claims_in_both_languages(tmp_path: Path, case: str, lang) -> None:
    for c in CASES:
        _write(tmp_path, c, 3)
    checks = check_case(case, _seeds(tmp_path), lang)
    assert len(checks) >= 3
    for c in checks:
        assert c.claim and c.ours and c.why and c.verdict in ("agree", "disagree", "unclear")
        assert "{" not in c.claim + c.ours + c.why, "unformatted placeholder"


def test_verdict_numbers_are_those_of_stats_over_every_seed(tmp_path: Path) -> None:
    _write(tmp_path, "baseline", 5)
    _write(tmp_path, "case3", 5, offset=0.05)
    v = _one("case3", "same_as_rmsprop", tmp_path)
    seeds = _seeds(tmp_path)
    a = measure("val_accuracy_last5", seeds["case3"])
    b = measure("val_accuracy_last5", seeds["baseline"])
    expected = stats.difference(a, b, pair=True)
    assert v.interval == expected and v.interval.method == "paired" and v.n == 5
    assert v.outcome == stats.judge(expected, "same", stats.TOL["val_accuracy_last5"])
    assert v.outcome == "disagree" and v.interval.low > stats.TOL["val_accuracy_last5"]
    c = describe(v, "en")
    assert "paired by seed, n = 5" in c.ours and "measurably higher" in c.why
    # Case 2 has other layer shapes than the baseline: Welch, not paired
    _write(tmp_path, "case2", 5)
    assert _one("case2", "no_gain_acc", tmp_path).interval.method == "welch"


def test_case2_clearly_better_the_box_and_the_row_both_say_so(tmp_path: Path) -> None:
    _write(tmp_path, "baseline", 5)
    _write(tmp_path, "case2", 5, offset=0.08)
    v = _one("case2", "no_gain_acc", tmp_path)
    assert v.outcome == "disagree" and v.interval.low > stats.TOL["val_accuracy_last5"]
    for lang, positive in (("en", "measurably higher"), ("ko", "측정할 만큼 높음")):
        row = _row(_render("case-claims-case2", lang, tmp_path), describe(v, lang).claim)
        box = _render("case2-box", lang, tmp_path)
        assert positive in row and positive in box
        recs = {r.spec.id: r for r in records(_seeds(tmp_path), case="case2")}
        line = box_line(recs["case2.no_gain_acc"], lang)
        assert line in box and describe2(recs["case2.no_gain_acc"], lang).ours in row
        assert box_line(recs["ours.no_measurable_difference"], lang) in box
    box = _render("case2-box", "en", tmp_path)
    assert "**agree**" not in box and box.count("**disagree**") == 2


def test_equal_runs_show_no_measurable_difference(tmp_path: Path) -> None:
    _write(tmp_path, "baseline", 5)
    _write(tmp_path, "case2", 5)
    _write(tmp_path, "case3", 5)
    for case, key in (("case2", "no_gain_acc"), ("case3", "same_as_rmsprop")):
        v = _one(case, key, tmp_path)
        assert v.outcome == "agree"
        assert "no measurable difference" in describe(v, "en").why
    box = _render("case2-box", "en", tmp_path)
    assert "no measurable difference" in box and "**agree**" in box


@pytest.mark.parametrize("n", [1, 2])
def test_one_or_two_seeds_cannot_tell_wherever_an_interval_is_needed(
    tmp_path: Path, n: int
) -> None:
    for c in CASES:
        _write(tmp_path, c, n, offset=0.2 if c == "case2" else 0.0)  # even a huge gap
    seeds = _seeds(tmp_path)
    for case in CASES:
        for v in verdicts(case, seeds):
            assert v.outcome == "unclear", (case, v.key)
            if v.interval is not None:
                assert not v.interval.defined and v.interval.n == n
                assert f"n = {n}" in describe(v, "en").why
    box = _render("case2-box", "en", tmp_path)
    assert "**can't tell**" in box and f"(n = {n})" in box


def test_only_dropout_off_values_enter_the_gap(tmp_path: Path) -> None:
    _write(tmp_path, "case3", 5)
    _write(tmp_path, "case5", 5)
    _write(tmp_path, "case4", 5)
    before = _one("case5", "ideal_curve", tmp_path)
    # dropout-on training curves of Case 5 diverge wildly; dropout-off metrics stay
    for k in range(5):
        hist = json.loads((run_dir(tmp_path, "notes", "case5", k) / "history.json").read_text())
        edit_fake_run(tmp_path, "case5", seed=k,
                      history={"accuracy": [a - 0.3 for a in hist["accuracy"]]})  # fmt: skip
    after = _one("case5", "ideal_curve", tmp_path)
    assert after.interval == before.interval and after.outcome == before.outcome
    # the dropout-off training accuracy does move it, by exactly its change
    for k in range(5):
        run = load_seeds(tmp_path, "notes", "case5")[k]
        edit_fake_run(tmp_path, "case5", seed=k,
                      metrics={"train_accuracy": run.metrics["train_accuracy"] + 0.1})  # fmt: skip
    moved = _one("case5", "ideal_curve", tmp_path)
    assert moved.interval.estimate == pytest.approx(before.interval.estimate + 0.1)
    assert MEASURES["gap"](load_seeds(tmp_path, "notes", "case5")[0]) == pytest.approx(
        stats.summarize(load_seeds(tmp_path, "notes", "case5")[0])["gap"]
    )


def test_case4_underfitting_compares_dropout_off_training_accuracy_with_case3(
    tmp_path: Path,
) -> None:
    _write(tmp_path, "case3", 5)
    _write(tmp_path, "case4", 5)
    v = _one("case4", "underfitting", tmp_path)
    assert v.measure == "train_accuracy_off" and v.cases == ("case4", "case3")
    assert v.outcome == "agree"  # 0.76 vs 0.84 with dropout off on both sides
    assert "matter of degree (ERRATA 43)" in describe(v, "en").why  # not more than the box says
    assert "(ERRATA 43)" in describe(v, "ko").why
    md = _render("case4-dropout-block", "en", tmp_path)
    (rec,) = [r for r in records(_seeds(tmp_path), case="case4") if r.spec.key == "underfitting"]
    assert rec.outcome == v.outcome and describe2(rec, "en").ours in md
    assert describe2(rec, "en").why in md and "matter of degree (ERRATA 43)" in md


def test_quoted_numbers_are_judged_against_a_prediction_interval(tmp_path: Path) -> None:
    _write(tmp_path, "baseline", 5)
    v = _one("baseline", "val_acc_069", tmp_path)
    values = list(measure("val_accuracy_last5", _seeds(tmp_path)["baseline"]).values())
    assert v.interval == stats.prediction_interval(values)
    assert v.outcome == "agree" and "JPEG copy" in describe(v, "en").why
    _write(tmp_path, "baseline", 5, offset=0.1)  # ours far above the notes' 0.69
    v = _one("baseline", "val_acc_069", tmp_path)
    assert v.outcome == "disagree" and "more than 0.03 outside" in describe(v, "en").why


def test_comparisons_with_a_missing_case_cannot_be_told(tmp_path: Path) -> None:
    _write(tmp_path, "case2", 3)
    _write(tmp_path, "case5", 3)
    for case in ("case2", "case5"):
        missing = [v for v in verdicts(case, _seeds(tmp_path)) if v.kind == "missing"]
        assert missing and all(v.outcome == "unclear" for v in missing)
        assert all("not trained yet" in describe(v, "en").why for v in missing)


def test_a_deleted_planned_seed_lowers_n_and_the_page_names_it(tmp_path: Path) -> None:
    _write(tmp_path, "baseline", 5)
    _write(tmp_path, "case3", 5)
    assert _one("case3", "same_as_rmsprop", tmp_path).n == 5
    shutil.rmtree(run_dir(tmp_path, "notes", "case3", 3))
    v = _one("case3", "same_as_rmsprop", tmp_path)
    assert v.n == 4 and v.ns == (4, 5)
    table = _render("results-table", "en", tmp_path)
    assert "| 4 of 5 |" in table and "Case 3 seed 3" in table
    block = _render("case-figure-case3", "en", tmp_path)
    assert "4 of 5 planned seeds" in block and "not trained yet: seed 3" in block
    assert "시드 3" in _render("case-figure-case3", "ko", tmp_path)


def test_verdicts_name_the_missing_argument() -> None:
    with pytest.raises(KeyError, match="case:"):
        verdicts("case9", {})
    with pytest.raises(KeyError, match="seeds:"):
        verdicts("case1", {})
