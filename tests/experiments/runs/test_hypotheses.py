"""Tests of experiments.runs.hypotheses: the pre-registered file, read and judged on fake runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fakeruns import write_fake_run

from cnnnotes.experiments.runs import hypotheses, rules
from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.experiments.runs.folder import load_seeds
from cnnnotes.experiments.runs.judged import records
from cnnnotes.experiments.runs.provenance import HYPOTHESES
from cnnnotes.experiments.runs.verdict_rows import hypothesis_rows, row

_BASE = HYPOTHESES.read_text(encoding="utf-8")


def _seeds(results: Path, *cases: str) -> dict[str, dict[int, object]]:
    return {c: load_seeds(results, "notes", c) for c in cases}


def test_committed_file_loads_every_hypothesis_and_names_only_known_or_planned_cases() -> None:
    found = hypotheses.load()
    planned = hypotheses.experiments()
    assert len({h.id for h in found}) == len(found) >= 1
    notes = {c for c in CASES if not CASES[c].beyond}
    assert {c for h in found for c in h.cases} <= notes | set(planned)
    assert all(set(h.seeds) <= set(h.report_seeds) for h in found)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('metric = "gap"', 'metric = "gaps"', "metric"),
        ('expected = "lower"\ntolerance = 0.10', 'expected = "down"\ntolerance = 0.10', "expected"),
        (
            'seeds = [0, 1, 2]\n\n[[hypothesis]]\nid = "case2',
            'seeds = [0, true]\n\n[[hypothesis]]\nid = "case2',
            "seeds",
        ),
        ("doses = [0.0, 0.2, 0.3, 0.5]", "doses = [0.0, 0.2, 0.3]", "cases"),
        ("tolerance = 0.10", "tolerance = -0.1", "tolerance"),
    ],
)
def test_loader_refuses_a_malformed_hypothesis_in_one_line_naming_it_and_the_field(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    assert old in _BASE
    bad = tmp_path / "hypotheses.toml"
    bad.write_text(_BASE.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(hypotheses.HypothesesError) as err:
        hypotheses.load(bad)
    message = str(err.value)
    assert "\n" not in message and f".{field}" in message
    assert re.search(r"hypothesis '\w+'", message)


def test_loader_names_a_missing_field(tmp_path: Path) -> None:
    bad = tmp_path / "hypotheses.toml"
    bad.write_text(_BASE.replace('cause = "learning_rate"\n', "", 1), encoding="utf-8")
    with pytest.raises(
        hypotheses.HypothesesError, match="'learning_rate_helps_case4': missing field 'cause'"
    ):
        hypotheses.load(bad)


def _by_id(hid: str) -> hypotheses.Hypothesis:
    return next(h for h in hypotheses.load() if h.id == hid)


def test_paired_hypothesis_is_supported_when_every_seed_rises_and_names_runs_to_come(
    tmp_path: Path,
) -> None:
    h = _by_id("learning_rate_helps_case4")
    for k, shift in enumerate((0.0, 0.01, -0.01)):
        write_fake_run(tmp_path, "case4", seed=k, shift=shift)
        write_fake_run(tmp_path, "case4_fast", seed=k, shift=shift + 0.02 + 0.002 * k)
    found = hypotheses.judge(h, _seeds(tmp_path, "case4", "case4_fast"))
    assert found.judgement.n == 3 and found.judgement.outcome == "agree"
    assert found.missing == tuple(f"{c}/seed-{k}" for c in ("case4_fast", "case4") for k in (3, 4))
    write_fake_run(tmp_path, "case4_fast", seed=2, shift=-0.2)
    flipped = hypotheses.judge(h, _seeds(tmp_path, "case4", "case4_fast"))
    assert flipped.judgement.outcome != "agree"


def test_fewer_than_three_seeds_can_not_tell(tmp_path: Path) -> None:
    write_fake_run(tmp_path, "case4")
    write_fake_run(tmp_path, "case4_fast")
    found = hypotheses.judge(
        _by_id("learning_rate_helps_case4"), _seeds(tmp_path, "case4", "case4_fast")
    )
    assert found.judgement.n == 1 and found.judgement.outcome == "unclear"


def test_slope_falls_with_the_dropout_dose(tmp_path: Path) -> None:
    h = _by_id("dropout_dose_response")
    offs = dict(zip(h.cases, (0.84, 0.82, 0.79, 0.76), strict=True))
    for k in range(3):
        for case in h.cases:
            run = write_fake_run(tmp_path, case, seed=k, shift=0.001 * k)
            assert run.metrics["train_accuracy"] == pytest.approx(offs[case] + 0.001 * k)
    found = hypotheses.judge(h, _seeds(tmp_path, *h.cases))
    assert found.judgement.outcome == "agree" and found.judgement.estimate < 0


def test_redundancy_waits_for_kernels_and_names_the_runs_without_them(tmp_path: Path) -> None:
    for k in range(5):
        for case in ("baseline", "case2"):
            write_fake_run(tmp_path, case, seed=k)
    found = hypotheses.judge(
        _by_id("case2_filters_redundant"), _seeds(tmp_path, "baseline", "case2")
    )
    assert found.judgement.n == 0 and not found.missing
    assert "case2/seed-1" in found.unmeasured and "baseline/seed-0" in found.unmeasured


def test_hypotheses_join_the_claims_record_as_their_own_family(tmp_path: Path) -> None:
    for case in ("baseline", "case4"):
        write_fake_run(tmp_path, case)
    seeds = _seeds(tmp_path, "baseline", "case4")
    found = hypothesis_rows(seeds)
    assert [r["id"] for r in found] == [f"beyond.{h.id}" for h in hypotheses.load()]
    assert {r["family"] for r in found} == {"beyond"} and {r["kind"] for r in found} == {
        "hypothesis"
    }
    assert {r["bonferroni_m"] for r in found} == {len(found)}
    assert all(
        r["adjusted_level"] == pytest.approx(rules.bonferroni_level(len(found))) for r in found
    )
    flat = row(records(seeds)[0])
    assert set(flat) <= set(found[0])
    assert found[0]["missing_runs"] and found[0]["outcome"] == "can't tell"
