"""Tests of cnnnotes.site.figures.verdict_downloads: what a reader can download to check."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from fakeruns import write_fake_run

from cnnnotes.experiments.runs.folder import load_seeds
from cnnnotes.site.figures import load_all

ASSETS = load_all(["cnnnotes.site.figures.verdict_downloads"])


def _write(results: Path) -> None:
    for case in ("baseline", "case3"):
        for k, shift in enumerate((-0.01, 0.0, 0.01)):
            write_fake_run(results, case, seed=k, shift=shift)


def test_the_per_image_table_has_a_column_per_seed_that_adds_up_to_its_test_accuracy(
    tmp_path: Path,
) -> None:
    _write(tmp_path)
    text = ASSETS["per-image"].func("en", results_dir=tmp_path)
    table = list(csv.DictReader(io.StringIO(text)))
    runs = load_seeds(tmp_path, "notes", "case3")
    for seed, run in runs.items():
        right = sum(int(row[f"case3/seed-{seed}"]) for row in table)
        assert right == int((run.predicted == run.labels).sum())
    assert [int(row["label"]) for row in table] == [int(x) for x in runs[0].labels]


def test_the_verdicts_download_holds_every_row_and_every_seed(tmp_path: Path) -> None:
    _write(tmp_path)
    doc = json.loads(ASSETS["verdicts"].func("en", results_dir=tmp_path))
    claims = [r for r in doc["verdicts"] if r["kind"] != "hypothesis"]
    assert {r["case"] for r in claims} == {"baseline", "case3"}
    # every pre-registered hypothesis is a row, judged on what exists or naming runs to come
    beyond = [r for r in doc["verdicts"] if r["kind"] == "hypothesis"]
    assert beyond and {r["family"] for r in beyond} == {"beyond"}
    assert all(r["n"] or r["missing_runs"] or r["unmeasured_runs"] for r in beyond)
    assert sorted((s["case"], s["seed"]) for s in doc["per_seed"]) == [
        (c, k) for c in ("baseline", "case3") for k in range(3)
    ]
    assert doc["rules"] == "v2"
