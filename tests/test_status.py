"""Status says which committed runs are fresh, stale (and why) or missing."""

from __future__ import annotations

import dataclasses
import json

from fakeruns import FP, fake_run, publish_all

import cnnnotes.status as status_module
from cnnnotes.cases import CASES, NOTES, QUICK
from cnnnotes.results import run_dir
from cnnnotes.status import recorded_fingerprint, status
from cnnnotes.store import publish

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
    other = dataclasses.replace(QUICK, seed=7)
    assert status(other, FP, results)[0].reasons == ("profile: seed 0 → 7",)
    (reason,) = status(QUICK, "0" * 64, results)[0].reasons
    assert reason == "dataset: fingerprint ffffffffffff… → 000000000000…"
    monkeypatch.setattr(status_module, "training_code_key", lambda: "edited")
    assert {s.reasons for s in status(QUICK, FP, results)} == {("code: training code changed",)}


def test_status_reports_missing_runs(tmp_path):
    results = tmp_path / "results"
    publish(fake_run(tmp_path / "store", CASES["case2"]), results)
    states = {s.case: s.state for s in status(QUICK, FP, results)}
    assert states == {c: "fresh" if c == "case2" else "missing" for c in CASES}
    assert "missing" in status(NOTES, FP, results)[0].line()


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
    publish(fake_run(tmp_path / "store", versions=old), results)
    (state,) = status(QUICK, FP, results, [BASE])
    assert state.state == "fresh"
    assert any("tensorflow 1.0.0" in w for w in state.warnings)
    assert "warning" in state.line()


def test_an_unreadable_committed_run_is_stale(tmp_path):
    results = publish_all(tmp_path)
    (run_dir(results, "quick", "case1") / "history.json").write_text("{")
    (state,) = status(QUICK, FP, results, [CASES["case1"]])
    assert state.state == "stale" and state.reasons[0].startswith("unreadable")


def test_recorded_fingerprint_is_none_without_a_readable_info_file(tmp_path):
    assert recorded_fingerprint(tmp_path) is None
    (tmp_path / "dataset").mkdir()
    (tmp_path / "dataset" / "info.json").write_text("[1, 2]")
    assert recorded_fingerprint(tmp_path) is None
