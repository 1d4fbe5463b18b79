"""The experiments' two halves: ``runs`` works where TensorFlow cannot be imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cnnnotes.experiments.runs.codekey import training_code_key

ROOT = Path(__file__).resolve().parents[2]

_BLOCKED = r"""
import importlib, json, pkgutil, sys
from pathlib import Path

class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"tensorflow", "keras", "ray"}:
            raise ImportError(f"{name} is blocked")
        return None

sys.meta_path.insert(0, Blocker())
import cnnnotes.experiments.runs as runs
names = [m.name for m in pkgutil.walk_packages(runs.__path__, runs.__name__ + ".")]
for name in names:
    importlib.import_module(name)
from cnnnotes.experiments.runs.cases import NOTES
from cnnnotes.experiments.runs.codekey import training_code_key
from cnnnotes.experiments.runs.status import status
states = status(NOTES, None, Path(sys.argv[1]))
print(json.dumps({
    "modules": names,
    "code": training_code_key(),
    "states": sorted({s.state for s in states}),
    "loaded": sorted(m for m in sys.modules if m.split(".")[0] in {"tensorflow", "keras", "ray"}),
}))
"""


def test_the_tensorflow_free_half_imports_and_reads_status_with_tensorflow_blocked():
    out = subprocess.run(
        [sys.executable, "-c", _BLOCKED, str(ROOT / "results")],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    doc = json.loads(out.stdout)
    assert "cnnnotes.experiments.runs.status" in doc["modules"]
    assert doc["code"] == training_code_key()
    assert doc["loaded"] == []
    assert "corrupt" not in doc["states"] and "stale" not in doc["states"]


def test_the_blocker_does_block_tensorflow():
    probe = _BLOCKED.split("import cnnnotes")[0] + "import tensorflow\n"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode != 0 and "tensorflow is blocked" in out.stderr
