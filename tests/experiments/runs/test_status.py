"""Status says which committed runs are fresh, stale (and why) or missing."""

from __future__ import annotations

import dataclasses
import json
import shutil

import pytest
from fakeruns import FP, fake_run, publish_all

import cnnnotes.experiments.runs.status as status_module
from cnnnotes.cli import main
from cnnnotes.experiments.runs.cases import CASES, NOTES, QUICK
from cnnnotes.experiments.runs.folder import run_dir
from cnnnotes.experiments.runs.status import recorded_fingerprint, status, summary
from cnnnotes.experiments.runs.store import publish

BASE = CASES["baseline"]


def test_status_of_freshly_published_runs_is_fresh(tmp_path):
    results = publish_all(tmp_path)
    states = status(QUICK, FP, results)
    assert [s.case for s in states] == list(CASES)
    assert {s.state for s in states} == {"fresh"}
    assert all(s.reasons == () and s.warnings == () for s in states)


def test_editing_one_case_makes_exactly_one_run_stale(tmp_path, monkeypatch):
    results = publish_all(tmp_path)
    edited = {**CASES, "case5": dataclasses.replace(CASES["case5"], dropout=0.3)}
    monkeypatch.setattr(status_module, "CASES", edited)
    stale = [s for s in status(QUICK, FP, results) if s.state != "fresh"]
    assert [(s.case, s.reasons) for s in stale] == [("case5", ("case: dropout 0.2 → 0.3",))]


def test_status_names_the_profile_dataset_or_code_as_the_reason(tmp_path, monkeypatch):
    results = publish_all(tmp_path)
    other = dataclasses.replace(QUICK, epochs=7)
    first = status(other, FP, results)[0]
    assert (first.state, first.reasons) == ("stale", ("profile: epochs 2 → 7",))
    (reason,) = status(QUICK, "0" * 64, results)[0].reasons
    assert reason == "dataset: fingerprint ffffffffffff… → 000000000000…"
    monkeypatch.setattr(status_module, "training_code_key", lambda: "edited")
    states = status(QUICK, FP, results)
    assert {s.state for s in states} == {"outdated"}
    assert {s.reasons for s in states} == {
        ("code: trained with an earlier version of the training code",)
    }


def test_missing_first_seeds_fail_and_missing_later_seeds_are_planned(tmp_path):
    results = tmp_path / "results"
    profile = dataclasses.replace(QUICK, seeds=(0, 1, 2), fewer_seeds=(("case1", 1),))
    publish(fake_run(tmp_path / "store", CASES["case2"], profile), results, profile)
    states = {(s.case, s.seed): s for s in status(profile, FP, results)}
    assert states[("case2", 0)].state == "fresh"
    assert states[("case2", 1)].state == "planned" and not states[("case2", 1)].failing
    assert states[("baseline", 0)].state == "missing" and states[("baseline", 0)].failing
    assert [seed for case, seed in states if case == "case1"] == [0]
    rows = summary(profile, states.values())
    assert rows["case2"] == {"n": 1, "planned": 3, "missing_seeds": [1, 2]}
    assert "missing" in status(NOTES, FP, results)[0].line()


def test_a_deleted_planned_seed_lowers_n_and_status_names_it(tmp_path, capsys):
    results = publish_all(tmp_path, NOTES, all_seeds=True)
    rows = summary(NOTES, status(NOTES, FP, results))
    assert rows["case3"] == {"n": 5, "planned": 5, "missing_seeds": []}
    assert rows["case1"] == {"n": 3, "planned": 3, "missing_seeds": []}
    shutil.rmtree(run_dir(results, "notes", "case3", 3))
    states = status(NOTES, FP, results)
    assert summary(NOTES, states)["case3"] == {"n": 4, "planned": 5, "missing_seeds": [3]}
    (gone,) = [s for s in states if s.case == "case3" and s.seed == 3]
    assert gone.state == "planned" and "seed-3  planned" in gone.line()


def test_cli_status_check_fails_only_on_failing_states(tmp_path, capsys):
    profile = dataclasses.replace(QUICK, seeds=(0, 1))
    results = publish_all(tmp_path, profile)
    args = ["status", "--profile", "quick", "--results", str(results), "--json"]
    # QUICK itself plans seed 0 only: everything committed is fresh
    assert main([*args, "--check"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["cases"]["baseline"] == {"n": 1, "planned": 1, "missing_seeds": []}
    (run_dir(results, "quick", "case3") / "history.json").write_text("{}")
    assert main([*args, "--check"]) == 1
    capsys.readouterr()
    assert main(args) == 0


def test_status_reads_the_fingerprint_committed_with_the_dataset_excerpt(tmp_path):
    results = publish_all(tmp_path)
    assert {s.state for s in status(QUICK, None, results)} == {"fresh"}  # fingerprint recorded
    assert all("unknown" in s.warnings[0] for s in status(QUICK, None, results))
    (results / "dataset").mkdir()
    (results / "dataset" / "info.json").write_text(json.dumps({"fingerprint": "0" * 64}))
    assert {s.state for s in status(QUICK, None, results)} == {"stale"}
    (results / "dataset" / "info.json").write_text(json.dumps({"fingerprint": FP}))
    states = status(QUICK, None, results)
    assert {s.state for s in states} == {"fresh"} and all(s.warnings == () for s in states)


def test_other_library_versions_warn_without_making_a_run_stale(tmp_path):
    results = tmp_path / "results"
    old = {"tensorflow": "1.0.0", "keras": "2.0.0"}
    publish(fake_run(tmp_path / "store", versions=old), results, QUICK)
    (state,) = status(QUICK, FP, results, [BASE])
    assert state.state == "fresh"
    assert any("tensorflow 1.0.0" in w for w in state.warnings)
    assert "warning" in state.line()


@pytest.mark.parametrize(
    ("name", "damage"),
    [("history.json", "edit"), ("predictions.npz", "delete"), ("weights.npz", "delete"),
     ("run.json", "truncate")],
)  # fmt: skip
def test_a_damaged_committed_run_is_corrupt_and_fails(tmp_path, name, damage):
    results = publish_all(tmp_path)
    path = run_dir(results, "quick", "baseline") / name
    if damage == "delete":
        path.unlink()
    elif damage == "truncate":
        path.write_text(path.read_text()[:40])
    else:
        path.write_text(path.read_text().replace("0.5", "0.9", 1))
    (state,) = status(QUICK, FP, results, [BASE])
    assert state.state == "corrupt" and state.failing
    assert "baseline/seed-0" in state.reasons[0] or name in state.reasons[0]


def test_recorded_fingerprint_is_none_without_a_readable_info_file(tmp_path):
    assert recorded_fingerprint(tmp_path) is None
    (tmp_path / "dataset").mkdir()
    (tmp_path / "dataset" / "info.json").write_text("[1, 2]")
    assert recorded_fingerprint(tmp_path) is None


def test_cli_status_text_says_which_runs_of_a_case_are_fresh(tmp_path, capsys):
    results = publish_all(tmp_path)
    (run_dir(results, "quick", "case3") / "history.json").write_text("{}")
    assert main(["status", "--profile", "quick", "--results", str(results)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "quick/baseline  1 of 1 planned seeds usable (1 fresh; missing: none)" in lines
    assert "quick/case3     0 of 1 planned seeds usable (1 corrupt; missing: none)" in lines
