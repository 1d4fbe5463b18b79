"""The helper scripts take CIFAR-10 only from --source or CNNNOTES_CIFAR10, never a guess."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT

NO_SOURCE = "no CIFAR-10 source: pass --source PATH"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CNNNOTES_CIFAR10"}
    return {**env, "PYTHONPATH": str(ROOT)}


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "scripts/refresh_excerpt.py"],
        [sys.executable, "scripts/bench_train.py", "--pairs", "1"],
        ["bash", "scripts/train_notes.sh", "--case", "baseline"],
    ],
    ids=["refresh_excerpt", "bench_train", "train_notes"],
)
def test_without_a_source_the_script_stops_with_one_line(command: list[str], tmp_path) -> None:
    proc = subprocess.run(
        command, cwd=ROOT, env={**_env(), "PYTHON": sys.executable},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert proc.stderr.count("\n") == 1 and NO_SOURCE in proc.stderr
    name = os.path.basename(command[1])
    assert proc.stderr.startswith(f"{name}: error: ")


def test_refresh_excerpt_takes_its_source_from_the_environment(tmp_path) -> None:
    missing = tmp_path / "nowhere.tar.gz"
    proc = subprocess.run(
        [sys.executable, "scripts/refresh_excerpt.py"], cwd=ROOT,
        env={**_env(), "CNNNOTES_CIFAR10": str(missing), "CNNNOTES_CACHE_DIR": str(tmp_path)},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr == f"cnnnotes: error: source: {missing} does not exist\n"


def test_no_script_names_a_sibling_data_folder() -> None:
    for script in sorted((ROOT / "scripts").iterdir()):
        if script.is_file():
            assert "../shared" not in script.read_text(encoding="utf-8"), script.name
