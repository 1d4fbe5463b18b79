"""The build refuses corrupt runs and flags runs a page would contradict (site.check_runs)."""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path

import pytest
from fakeruns import FP, fake_run
from mkdocs.exceptions import PluginError

import cnnnotes.experiments.runs.status as status_module
from cnnnotes.experiments.runs.cases import CASES, NOTES
from cnnnotes.experiments.runs.folder import run_dir
from cnnnotes.experiments.runs.store import publish
from cnnnotes.site import hook
from cnnnotes.site.hook import check_runs

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def results(tmp_path: Path, monkeypatch) -> Path:
    """Today's runs of seed 0 for every case of the notes profile, under a made-up dataset."""
    out = tmp_path / "results"
    (out / "dataset").mkdir(parents=True)
    info = json.loads((ROOT / "results" / "dataset" / "info.json").read_text(encoding="utf-8"))
    info["fingerprint"] = FP  # the committed record's fields, the made-up dataset's fingerprint
    (out / "dataset" / "info.json").write_text(json.dumps(info), encoding="utf-8")
    excerpt = ROOT / "results" / "dataset" / "excerpt.npz"
    (out / "dataset" / "excerpt.npz").write_bytes(excerpt.read_bytes())
    for case in CASES.values():
        publish(fake_run(tmp_path / "store", case, NOTES, FP), out, NOTES)
    return out


@pytest.fixture(autouse=True)
def _fresh_check(monkeypatch):
    """Every test checks its own runs (the hook keeps one check per build)."""
    monkeypatch.setattr(hook, "_CHECKED", {})


def test_fresh_runs_pass_and_planned_seeds_are_only_logged(results):
    report = check_runs(results)
    assert report.corrupt == report.contradicted == report.outdated == ()
    assert {s.state for s in report.states} == {"fresh", "planned"}
    assert ("baseline", 1) in {(s.case, s.seed) for s in report.planned}


@pytest.mark.parametrize("name", ["history.json", "predictions.npz", "weights.npz"])
def test_a_corrupt_run_fails_every_build(results, name):
    path = run_dir(results, "notes", "baseline") / name
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(PluginError, match=r"corrupt run, not publishing: notes/baseline"):
        check_runs(results)
    path.unlink()
    with pytest.raises(PluginError, match=rf"{name} is missing"):
        check_runs(results)


def test_a_run_of_other_settings_is_a_warning_that_strict_builds_fail_on(
    results, caplog, monkeypatch
):
    edited = {**CASES, "case1": dataclasses.replace(CASES["case1"], pool_size=2)}
    monkeypatch.setattr(status_module, "CASES", edited)
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.cnnnotes")
    (stale,) = check_runs(results).contradicted
    assert (stale.label, stale.state, stale.reasons) == (
        "notes/case1/seed-0",
        "stale",
        ("case: pool_size 1 → 2",),
    )
    # --strict fails a build on any warning: the stale run must be logged as one
    assert [r.levelno for r in caplog.records if stale.line() in r.getMessage()] == [
        logging.WARNING
    ]


def test_a_run_of_earlier_training_code_is_logged_not_failed(results, monkeypatch):
    monkeypatch.setattr(status_module, "training_code_key", lambda: "edited")
    report = check_runs(results)
    assert report.contradicted == ()
    assert {s.case for s in report.outdated} == set(CASES)


def test_a_missing_first_seed_is_a_warning(results):
    for name in ("run.json", "history.json", "predictions.npz", "weights.npz"):
        (run_dir(results, "notes", "case2") / name).unlink(missing_ok=True)
    (missing,) = check_runs(results).contradicted
    assert (missing.label, missing.state) == ("notes/case2/seed-0", "missing")


def test_the_runs_are_read_once_while_nothing_changes(results):
    first = check_runs(results)
    assert check_runs(results) is first
    (run_dir(results, "notes", "case2") / "history.json").write_text("[]")
    with pytest.raises(PluginError, match=r"corrupt run, not publishing: notes/case2"):
        check_runs(results)


def test_a_later_build_reuses_the_stored_check_of_the_same_bytes(results, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = check_runs(results, cache)
    monkeypatch.setattr(hook, "_CHECKED", {})  # a new build process
    monkeypatch.setattr(status_module, "read_run_dir", _unread)
    assert check_runs(results, cache) == first


def test_a_byte_changed_behind_the_size_and_time_is_still_checked(results, tmp_path, monkeypatch):
    import os

    cache = tmp_path / "cache"
    check_runs(results, cache)
    monkeypatch.setattr(hook, "_CHECKED", {})
    path = run_dir(results, "notes", "baseline") / "history.json"
    stat, data = path.stat(), bytearray(path.read_bytes())
    data[-2] = ord(" ") if data[-2] != ord(" ") else ord("\n")
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(PluginError, match=r"corrupt run, not publishing: notes/baseline"):
        check_runs(results, cache)


def test_a_stored_check_that_does_not_parse_is_made_again(results, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = check_runs(results, cache)
    stored = json.loads((cache / "run-check.json").read_text(encoding="utf-8"))
    stored["states"][0]["state"] = "healthy"
    (cache / "run-check.json").write_text(json.dumps(stored), encoding="utf-8")
    monkeypatch.setattr(hook, "_CHECKED", {})
    assert check_runs(results, cache) == first


def _unread(path):
    raise AssertionError(f"{path} was read again")


def test_a_build_that_reuses_the_stored_check_loads_no_array_library(results, tmp_path):
    import subprocess
    import sys

    cache = tmp_path / "cache"
    check_runs(results, cache)
    code = (
        "import sys; from pathlib import Path; from cnnnotes.site.hook import check_runs; "
        f"check_runs(Path({str(results)!r}), Path({str(cache)!r})); "
        "print([m for m in ('numpy', 'cnnnotes.experiments.runs.folder') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stderr
