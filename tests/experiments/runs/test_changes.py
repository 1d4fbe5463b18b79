"""Tests of experiments.runs.changes and the "What changed" list: dated old → new entries."""

from __future__ import annotations

import json
from pathlib import Path

from fakeruns import write_fake_run

from cnnnotes.cli import main
from cnnnotes.experiments.runs.changes import FILE, load, record, snapshot
from cnnnotes.site.figures.whatchanged import what_changed

JITTER = (-0.01, -0.005, 0.0, 0.005, 0.01)


def _seeds(results: Path, case: str, seeds: range, offset: float = 0.0) -> None:
    for k in seeds:
        write_fake_run(results, case, seed=k, shift=offset + JITTER[k])


def test_first_record_stores_a_snapshot_and_no_change(tmp_path: Path) -> None:
    _seeds(tmp_path, "baseline", range(1))
    _seeds(tmp_path, "case2", range(1))
    assert what_changed("en", results_dir=tmp_path).startswith("No change has been recorded")
    assert record(tmp_path, "2026-01-01") == []
    doc = load(tmp_path)
    assert doc["snapshot"] == snapshot(tmp_path) and doc["changes"] == []
    assert doc["snapshot"]["verdicts"]["case2/no_gain_acc"] == "unclear"
    assert doc["snapshot"]["headlines"]["case2"]["n"] == 1
    text = what_changed("en", results_dir=tmp_path)
    assert "has changed since 2026-01-01" in text


def test_new_seeds_that_change_a_verdict_and_the_headlines_are_listed(tmp_path: Path) -> None:
    _seeds(tmp_path, "baseline", range(1))
    _seeds(tmp_path, "case2", range(1), offset=0.08)
    record(tmp_path, "2026-01-01")
    before = snapshot(tmp_path)["headlines"]["case2"]["test_accuracy"]
    _seeds(tmp_path, "baseline", range(1, 5))
    _seeds(tmp_path, "case2", range(1, 5), offset=0.08)
    found = {(c.kind, c.case, c.key): c for c in record(tmp_path, "2026-02-01")}
    verdict = found[("verdict", "case2", "no_gain_acc")]
    assert (verdict.old, verdict.new, verdict.date) == ("unclear", "disagree", "2026-02-01")
    assert (found[("n", "case2", "n")].old, found[("n", "case2", "n")].new) == (1, 5)
    after = snapshot(tmp_path)["headlines"]["case2"]["test_accuracy"]
    assert after == round(before + 0.01, 3)  # seed 0 sat 0.01 below the five seeds' mean
    assert found[("headline", "case2", "test_accuracy")].old == before
    assert found[("headline", "case2", "test_accuracy")].new == after
    en = what_changed("en", results_dir=tmp_path)
    assert "**2026-02-01 · verdicts**" in en and "can't tell → disagree" in en
    assert "- Case 2, verdict on “No gain" in en
    assert "**2026-02-01 · seeds trained**" in en and "- Case 2: 1 → 5" in en
    assert "since 2026-01-01" in en
    ko = what_changed("ko", results_dir=tmp_path)
    assert "판단 불가 → 불일치" in ko and "학습한 시드 수: 1 → 5" in ko
    # recording again with nothing new adds nothing, and keeps the history
    assert record(tmp_path, "2026-03-01") == []
    assert len(json.loads((tmp_path / FILE).read_text())["changes"]) == len(found)


def test_cli_changes_lists_without_writing_and_records_with_record(tmp_path: Path, capsys) -> None:
    _seeds(tmp_path, "baseline", range(1))
    assert main(["changes", "--results", str(tmp_path)]) == 0
    assert not (tmp_path / FILE).exists()
    assert main(["changes", "--results", str(tmp_path), "--record"]) == 0
    _seeds(tmp_path, "baseline", range(1, 3))
    capsys.readouterr()
    assert main(["changes", "--results", str(tmp_path)]) == 0
    assert "n        baseline/n: 1 -> 3" in capsys.readouterr().out
    assert json.loads((tmp_path / FILE).read_text())["changes"] == []


def test_each_claims_history_is_folded_into_one_line_under_its_last_day(tmp_path: Path) -> None:
    def change(date: str, old: object, new: object, kind: str = "n", key: str = "n") -> dict:
        return {"date": date, "kind": kind, "case": "case2", "key": key, "old": old, "new": new}

    changes = [
        change("2026-01-02", 1, 3),
        change("2026-01-02", 0.61, 0.6, "headline", "test_accuracy"),
        change("2026-01-05", 3, 5),
    ]
    snap = {"verdicts": {}, "headlines": {}}
    doc = {"date": "2026-01-05", "since": "2026-01-01", "snapshot": snap, "changes": changes}
    (tmp_path / FILE).write_text(json.dumps(doc))
    en = what_changed("en", results_dir=tmp_path)
    assert en.count("- Case 2: ") == 1
    assert "- Case 2: 1 → 3 → 5 (first changed 2026-01-02)" in en
    assert en.index("**2026-01-05 · seeds trained**") < en.index("**2026-01-02 · headline")
    assert "0.610 → 0.600" in en
