"""Tests of cnnnotes.experiments.runs.judged and verdict_rows over committed and fake runs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from fakeruns import write_fake_run

from cnnnotes.cli import main
from cnnnotes.experiments.runs import judged, rules, stats
from cnnnotes.experiments.runs.folder import load_seeds
from cnnnotes.experiments.runs.judged import REGISTRY, Spec, records, register
from cnnnotes.experiments.runs.verdict_rows import all_rows, load

ROOT = Path(__file__).resolve().parents[3]
RESULTS = ROOT / "results"
FIELDS = {
    "id", "family", "case", "kind", "key", "metric", "summary", "estimate", "low", "high",
    "adjusted_low", "adjusted_high", "method", "n", "outcome", "outcome_v1", "outcome_bonferroni",
    "quoted_low", "quoted_high", "seeds_needed",
}  # fmt: skip


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return all_rows(RESULTS)


def test_claims_json_lists_every_verdict_with_flat_fields(capsys: pytest.CaptureFixture) -> None:
    assert main(["claims", "--json", "--results", str(RESULTS)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out) >= 32 and all(set(r) >= FIELDS for r in out)
    assert {r["kind"] for r in out} <= {"quoted", "relation", "shape", "hypothesis"}
    allowed = {"consistent", "close", "agree", "disagree", "can't tell"}
    assert {r["outcome"] for r in out} <= allowed
    assert all(not isinstance(v, dict) for r in out for v in r.values())


def test_no_quoted_number_is_consistent_when_its_plain_interval_excludes_it(rows) -> None:
    quoted = [r for r in rows if r["kind"] == "quoted" and r["low"] is not None]
    assert quoted
    for r in quoted:
        inside = r["quoted_high"] >= r["low"] and r["quoted_low"] <= r["high"]
        if not inside:
            assert r["outcome"] not in ("agree", "consistent"), r["id"]


def test_quoted_numbers_use_the_summary_their_wording_names(rows) -> None:
    by_id = {r["id"]: r for r in rows}
    assert by_id["case1.val_060"]["summary"] == "last5"  # "roughly 0.6 to 0.65"
    finals = [r for r in rows if r["kind"] == "quoted" and r["id"] != "case1.val_060"]
    assert finals and all(r["summary"] == "final" for r in finals)


def test_a_paired_v2_verdict_is_the_mean_of_per_seed_differences() -> None:
    seeds = load(RESULTS)
    (rec,) = [r for r in records(seeds, case="case3") if r.spec.id == "case3.lower_val_loss"]
    a = {s: float(np.mean(r.history["val_loss"][-5:])) for s, r in seeds["case3"].items()}
    b = {s: float(np.mean(r.history["val_loss"][-5:])) for s, r in seeds["baseline"].items()}
    diffs = [a[s] - b[s] for s in sorted(a)]
    assert rec.v2 is not None and rec.v2.estimate == pytest.approx(np.mean(diffs))
    assert rec.v2.method == "paired"


def test_every_cant_tell_says_what_would_settle_it(rows) -> None:
    unclear = [r for r in rows if r["outcome"] == "can't tell" and r["kind"] != "hypothesis"]
    assert unclear and all(r["seeds_needed"] is not None for r in unclear)
    assert all(r["seeds_needed"] is None for r in rows if r["outcome"] != "can't tell")


def test_the_test_accuracy_comparison_shows_its_seed_and_image_parts(rows) -> None:
    split = [r for r in rows if r["metric"] == "test_accuracy" and r["method"] == "seed-image"]
    assert split and all(r["seed_se"] > 0 and r["image_se"] > 0 for r in split)


def test_each_family_has_its_own_bonferroni_size(rows) -> None:
    for family in {r["family"] for r in rows}:
        m = judged.family_size(family)
        fam = [r for r in rows if r["family"] == family and r["adjusted_level"] is not None]
        assert all(r["adjusted_level"] == pytest.approx(rules.bonferroni_level(m)) for r in fam)


def test_a_new_family_registers_without_touching_the_judge(tmp_path: Path) -> None:
    for k, shift in enumerate((-0.01, 0.0, 0.01)):
        write_fake_run(tmp_path, "baseline", seed=k, shift=shift)
        write_fake_run(tmp_path, "case2", seed=k, shift=shift + 0.1)
    spec = Spec("beyond.test_only", "beyond", "case2", "test_only", "hypothesis")
    register(spec)
    try:
        seeds = {c: load_seeds(tmp_path, "notes", c) for c in ("baseline", "case2")}
        found = [r for r in records(seeds, family="beyond") if r.spec.id == "beyond.test_only"]
        assert len(found) == 1 and found[0].outcome == "unclear"
        with pytest.raises(ValueError, match="duplicate"):
            register(spec)
    finally:
        REGISTRY.remove(spec)


def test_a_clearly_better_case2_disagrees_with_our_no_measurable_difference(
    tmp_path: Path,
) -> None:
    for k, shift in enumerate((-0.01, -0.005, 0.0, 0.005, 0.01)):
        write_fake_run(tmp_path, "baseline", seed=k, shift=shift)
        write_fake_run(tmp_path, "case2", seed=k, shift=shift + 0.08)
    seeds = {c: load_seeds(tmp_path, "notes", c) for c in ("baseline", "case2")}
    (rec,) = [r for r in records(seeds, family="ours") if r.spec.case == "case2"]
    assert rec.outcome == "disagree" and rec.v2 is not None
    assert rec.v2.low is not None and rec.v2.low > stats.TOL["gap"]
