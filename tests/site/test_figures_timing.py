"""Tests of cnnnotes.site.figures.timing: training times computed from the runs' records."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakeruns import SPECS, edit_fake_run, write_fake_run

from cnnnotes.experiments.runs.folder import load_run
from cnnnotes.site.figures import timing


def test_times_are_medians_and_totals_of_the_recorded_wall_times(tmp_path: Path) -> None:
    for k in range(3):
        write_fake_run(tmp_path, "case1", seed=k)
    write_fake_run(tmp_path, "baseline")
    md = timing.training_times("en", results_dir=tmp_path)
    case1 = 20 * SPECS["case1"]["sec"] + 5  # the fake runs' wall time: 20 epochs, first +5 s
    base = 20 * SPECS["baseline"]["sec"] + 5
    assert timing.wall_seconds(load_run(tmp_path, "notes", "case1")) == case1
    row = next(line for line in md.splitlines() if line.startswith("| Case 1 |"))
    one, three = round(case1 / 60), round(3 * case1 / 60)
    assert row.startswith(f"| Case 1 | 3 / 3 | {one // 60} h {one % 60} min | 260 | "
                          f"{three // 60} h {three % 60} min |")  # fmt: skip
    total = round((3 * case1 + base) / 60)
    assert f"**{total // 60} h {total % 60} min**" in md
    # the missing baseline seeds are estimated from the baseline's median
    assert f"about {round(4 * base / 60)} min more" in md
    assert "1시간" in timing.training_times("ko", results_dir=tmp_path)


def test_slow_epochs_are_listed_not_hidden(tmp_path: Path) -> None:
    write_fake_run(tmp_path, "case3")
    seconds = [42.0] * 20
    seconds[12] = 600.0  # a host event
    edit_fake_run(tmp_path, "case3", history={"seconds": seconds})
    run = load_run(tmp_path, "notes", "case3")
    assert timing.slow_epochs(run) == [(13, 600.0)]
    md = timing.training_times("en", results_dir=tmp_path)
    assert "Case 3 seed 0 (median 42 s): epoch 13 (600 s)" in md
    assert timing.slow_epochs(run, factor=20) == []


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_no_run_no_times(tmp_path: Path, lang: str) -> None:
    md = timing.training_times(lang, results_dir=tmp_path)
    assert "|" not in md and md.strip()
