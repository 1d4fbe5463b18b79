"""Faults a hostile or careless user can cause, each with a tiny fixture and the command it breaks.

Each :class:`Fault` builds its fixture in a fresh folder (fake runs, a tiny
image tree, a copy of the miniature site; never the real dataset) and names the
command a user would run. :func:`run` runs it in a child process with a time
limit and returns its :class:`Outcome`: the exit status, the error line, whether
a traceback was printed. ``tests/test_faults.py`` checks every fault (one line,
no traceback, the expected words and exit status); ``scripts/fault_table.py``
prints the table fault | message | exit.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Longer than any fault may take: a hang shows up as a timeout, not a stuck suite.
TIME_LIMIT_S = 180


@dataclass(frozen=True)
class Command:
    """What a user runs: ``argv`` in ``cwd`` with ``env`` added to a clean environment."""

    argv: list[str]
    cwd: Path
    env: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Fault:
    """One fault: its number in the issue's table, what it is, and what must happen now."""

    number: str
    name: str
    setup: Callable[[Path], Command]
    expect: str  # a regular expression the error line must match ("" when it must succeed)
    exit: int  # the exit status it must give (0: handled correctly)
    before: str  # what happened before the fix
    pick: str = ""  # where the command reports per line (status): the line matching this


@dataclass(frozen=True)
class Outcome:
    """What a fault's command did."""

    exit: int
    message: str
    traceback: bool
    seconds: float
    errors: int

    @property
    def one_line(self) -> bool:
        """At most one error line and no traceback."""
        return self.errors <= 1 and not self.traceback


_ERROR = re.compile(r"^(cnnnotes(?: \w+)?: error: |ERROR\s+-\s+)(.*)$")


def run(fault: Fault, folder: Path) -> Outcome:
    """Set ``fault`` up in ``folder`` and run its command; a hang ends at the time limit."""
    folder.mkdir(parents=True, exist_ok=True)
    command = fault.setup(folder)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CNNNOTES_", "RAY_"))}
    env |= {
        "CNNNOTES_CACHE_DIR": str(folder / "user-cache"),
        "CNNNOTES_JOBS": "1",
        "HOME": str(folder / "home"),
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        **command.env,
    }
    start = time.monotonic()
    try:
        proc = subprocess.run(
            command.argv,
            cwd=command.cwd,
            env=env,
            capture_output=True,
            text=True,
            errors="backslashreplace",
            timeout=TIME_LIMIT_S,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return Outcome(-1, f"no answer after {TIME_LIMIT_S} s", False, TIME_LIMIT_S, 0)
    seconds = time.monotonic() - start
    log = proc.stdout + proc.stderr
    errors = [m.group(2) for line in log.splitlines() if (m := _ERROR.match(line))]
    if fault.pick:
        errors += [line.strip() for line in log.splitlines() if re.search(fault.pick, line)]
    if not errors and proc.returncode != 0:
        errors = [log.strip().splitlines()[-1] if log.strip() else "(no output)"]
    return Outcome(
        proc.returncode,
        errors[0] if errors else "",
        "Traceback (most recent call last)" in log,
        seconds,
        len(errors),
    )


# --- fixtures -------------------------------------------------------------------------------------


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "cnnnotes", *args]


def tiny_site(folder: Path) -> Path:
    """A copy of the miniature site with the hook, the package and fake runs beside it."""
    from conftest import TINY_PARTS, TINYSITE, copy_project
    from fakeruns import publish_all

    from cnnnotes.experiments.runs.cases import NOTES

    root = folder / "tiny"
    copy_project(root, TINY_PARTS, src=TINYSITE)
    copy_project(root, ("hooks", "cnnnotes"), src=ROOT)
    publish_all(root, NOTES)
    return root


def _build(root: Path) -> Command:
    argv = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"]
    return Command(argv, root, {"PYTHONPATH": str(root)})


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def results(folder: Path) -> Path:
    """Fake committed runs of the quick profile (one per case) in ``folder/results``."""
    from fakeruns import publish_all

    return publish_all(folder)


def baseline_run(results_dir: Path) -> Path:
    """The folder of the baseline's committed fake run."""
    return results_dir / "runs" / "quick" / "baseline" / "seed-0"


def rewrite_run(run: Path, history: Callable[[dict], None], meta: Callable[[dict], None]) -> None:
    """Edit a run's history and record, then fix the history's sha256: a tamper git would see."""
    import hashlib

    hist = json.loads((run / "history.json").read_text())
    history(hist)
    blob = json.dumps(hist).encode()
    (run / "history.json").write_bytes(blob)
    record = json.loads((run / "run.json").read_text())
    meta(record)
    record["files"]["history.json"] = hashlib.sha256(blob).hexdigest()
    (run / "run.json").write_text(json.dumps(record, indent=2))


def _status(results_dir: Path) -> Command:
    argv = _cli("status", "--profile", "quick", "--results", str(results_dir), "--check")
    return Command(argv, results_dir.parent)


# --- the faults -----------------------------------------------------------------------------------


def _fifo(folder: Path) -> Command:
    res = results(folder)
    (baseline_run(res) / "history.json").unlink()
    os.mkfifo(baseline_run(res) / "history.json")
    return _status(res)


def _dev_zero(folder: Path) -> Command:
    res = results(folder)
    (baseline_run(res) / "predictions.npz").unlink()
    (baseline_run(res) / "predictions.npz").symlink_to("/dev/zero")
    return _status(res)


def _escaping_name(folder: Path) -> Command:
    import hashlib

    res = results(folder)
    secret = folder / "secret.txt"
    secret.write_text("not part of any run\n")
    record = json.loads((baseline_run(res) / "run.json").read_text())
    name = "../../../../../secret.txt"
    assert (baseline_run(res) / name).resolve() == secret.resolve()
    record["files"][name] = hashlib.sha256(secret.read_bytes()).hexdigest()
    (baseline_run(res) / "run.json").write_text(json.dumps(record, indent=2))
    return _status(res)


def _extra_epoch(folder: Path) -> Command:
    res = results(folder)

    def longer(hist: dict) -> None:
        for series in hist.values():
            series.append(series[-1])

    def recorded(record: dict) -> None:
        record["epochs"] += 1

    rewrite_run(baseline_run(res), longer, recorded)
    return _status(res)


def _nan(folder: Path) -> Command:
    res = results(folder)

    def nan(hist: dict) -> None:
        hist["loss"][0] = float("nan")

    rewrite_run(baseline_run(res), nan, lambda record: None)
    return _status(res)


def _changes(text: str, *args: str) -> Callable[[Path], Command]:
    def setup(folder: Path) -> Command:
        res = results(folder)
        (res / "changes.json").write_text(text)
        return Command(_cli("changes", "--results", str(res), *args), folder)

    return setup


def _excerpt(npz: bytes | None, info: str | None) -> Callable[[Path], Command]:
    def setup(folder: Path) -> Command:
        import numpy as np

        from cnnnotes.files import npz_bytes

        res = results(folder)
        (res / "dataset").mkdir()
        good = {"images": np.zeros((10, 32, 32, 3), np.uint8), "labels": np.arange(10)}
        (res / "dataset" / "excerpt.npz").write_bytes(npz_bytes(good) if npz is None else npz)
        if info is not None:
            (res / "dataset" / "info.json").write_text(info)
        return _status(res)

    return setup


def _changes_in_build(folder: Path) -> Command:
    root = tiny_site(folder)
    (root / "results" / "changes.json").write_text("{oops")
    return _build(root)


def _train(folder: Path, *args: str, env: dict[str, str] | None = None) -> Command:
    """``cnnnotes train`` of the quick baseline from a tiny image tree into fake results."""
    from fakedata import image_tree

    res = results(folder)
    argv = _cli("train", "--profile", "quick", "--case", "baseline", "--source",
                str(image_tree(folder)), "--results", str(res), *args)  # fmt: skip
    return Command(argv, folder, env or {})


def _corrupt_then_train(folder: Path) -> Command:
    command = _train(folder)
    (baseline_run(folder / "results") / "history.json").write_text("{}")
    return command


def _two_cold_builds(folder: Path) -> Command:
    root = tiny_site(folder)
    argv = [sys.executable, str(Path(__file__)), "twice", str(root)]
    return Command(argv, folder, {"PYTHONPATH": str(root), "SOURCE_DATE_EPOCH": "1767225600"})


def twice(root: Path) -> int:
    """Build ``root`` twice from cold; print the files that differ (one line); 1 if any."""
    import hashlib

    trees = []
    for _ in range(2):
        for part in (".cache", "site"):
            shutil.rmtree(root / part, ignore_errors=True)
        proc = subprocess.run(_build(root).argv, cwd=root, capture_output=True, text=True)
        if proc.returncode:
            print(f"cnnnotes: error: the build failed: {proc.stderr.strip().splitlines()[-1]}")
            return 1
        site = root / "site"
        trees.append(
            {
                p.relative_to(site): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in site.rglob("*")
                if p.is_file()
            }
        )
    differ = sorted(
        str(k) for k in trees[0].keys() | trees[1].keys() if trees[0].get(k) != trees[1].get(k)
    )
    if differ:
        print(f"cnnnotes: error: {len(differ)} file(s) differ: {', '.join(differ)}")
        return 1
    return 0


def _bomb(folder: Path) -> Command:
    from fakedata import image_tree, png_header

    root = image_tree(folder)
    (root / "train/cat/0003.png").write_bytes(png_header(20000, 20000))
    return Command(_cli("data", "check", "--source", str(root)), folder)


def _non_utf8_name(folder: Path) -> Command:
    from fakedata import image_tree

    root = image_tree(folder)
    cat = os.fsencode(root / "train" / "cat")
    os.rename(cat + b"/0003.png", cat + b"/0003\xff.png")
    return Command(_cli("data", "check", "--source", str(root)), folder)


def _tar_member(folder: Path) -> Command:
    archive = folder / "images.tar.gz"
    member = tarfile.TarInfo("images/train/cat/0001.png")
    member.size = 4 << 30  # declared in the header; inflating it would take 4 GB
    with gzip.open(archive, "wb") as raw:
        raw.write(member.tobuf(format=tarfile.GNU_FORMAT))
    return Command(_cli("data", "check", "--source", str(archive)), folder)


def _toml(folder: Path) -> Command:
    root = tiny_site(folder)
    words = root / "cnnnotes/i18n/en.toml"
    lines = words.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[30] = lines[30].rstrip("\n") + " = =\n"
    words.write_text("".join(lines), encoding="utf-8")
    return _build(root)


def _case(folder: Path) -> Command:
    root = tiny_site(folder)
    _edit(root / "cnnnotes/experiments/runs/cases.py", "dropout=0.2)", "dropout=1.5)")
    return _build(root)


def _missing_word(folder: Path) -> Command:
    root = tiny_site(folder)
    _edit(root / "cnnnotes/i18n/en.toml", 'title = "Baseline"\n', "")
    return _build(root)


FAULTS: list[Fault] = [
    Fault("1", "a run file that is a FIFO", _fifo,
          r"history\.json is a FIFO \(named pipe\), not a regular file", 1, "status hangs forever",
          pick=r"  corrupt \("),
    Fault("2", "a run file linked to /dev/zero", _dev_zero,
          r"run\.json: 'predictions\.npz' leads out of .*\(to /dev/zero\)", 1,
          "reads until memory runs out (MemoryError traceback)", pick=r"  corrupt \("),
    Fault("3", "run.json lists ../../…/secret.txt with its sha256", _escaping_name,
          r"run\.json: '\.\./.*secret\.txt' is not a plain file name", 1,
          "fresh: the reader follows the name out of the run folder", pick=r"  corrupt \("),
    Fault("4", "history extended to 3 epochs, epochs: 3, sha fixed", _extra_epoch,
          r"records 3 epochs, its key's profile 2", 1, "fresh, though the profile says 2",
          pick=r"  corrupt \("),
    Fault("5", "results/changes.json is {oops: cnnnotes changes", _changes("{oops"),
          r"changes\.json: not JSON: .*\(line 1, column 2\)", 2, "traceback"),
    Fault("5", "changes.json is [1,2,3]: changes --record", _changes("[1,2,3]", "--record"),
          r"changes\.json: the file must be an object", 2, "traceback"),
    Fault("5", "results/changes.json is {oops: mkdocs build", _changes_in_build,
          r"changes\.json: not JSON", 1, "traceback"),
    Fault("6", "results/dataset/excerpt.npz is garbage: status --check", _excerpt(b"garbage", None),
          r"excerpt\.npz is not a readable \.npz", 1, "build traceback", pick="^results: "),
    Fault("6", "results/dataset/info.json is {: status --check", _excerpt(None, "{"),
          r"info\.json is not JSON", 1, "build traceback", pick="^results: "),
    Fault("7", "a corrupt committed run of other data, then train", _corrupt_then_train,
          r"quick/baseline/seed-0: the committed run is corrupt \(.*--replace", 2,
          "overwritten without --replace"),
    Fault("13", "train --executor ray --address 127.0.0.1:1",
          lambda f: _train(f, "--executor", "ray", "--address", "127.0.0.1:1"),
          r"--address 127\.0\.0\.1:1: no Ray cluster answers at .*\(connection refused",
          2, "60 warning lines, then one line after 824 s"),
    Fault("+", "RAY_ADDRESS=127.0.0.1:1 set, train --executor ray",
          lambda f: _train(f, "--executor", "ray", env={"RAY_ADDRESS": "127.0.0.1:1"}),
          r"RAY_ADDRESS=127\.0\.0\.1:1: no Ray cluster answers", 2,
          "a misleading message about num_cpus"),
    Fault("+", "train --threads 0", lambda f: _train(f, "--threads", "0"),
          r"--threads: 0 is not a positive number", 2, "silently the default"),
    Fault("+", "train --executor ray --threads 99 (local instance)",
          lambda f: _train(f, "--executor", "ray", "--threads", "99"),
          r"--threads 99: a local Ray instance has this machine's \d+ CPU\(s\)", 2,
          "a Ray instance sized to 99 CPUs"),
    Fault("14", "two cold builds of the tiny site (its notebook prints in two messages)",
          _two_cold_builds, "", 0, "2 of 4 rebuilds differ in 3 files"),
    Fault("+", "NaN in a committed history, sha fixed", _nan,
          r"history\.json: loss of epoch 1 is nan, not a finite number", 1, "fresh",
          pick=r"  corrupt \("),
    Fault("8", "a 20000×20000 PNG (decompression bomb)", _bomb, r"0003\.png .*expected 32×32", 2,
          "DecompressionBombError traceback"),
    Fault("9", "a non-UTF-8 file name in an image folder", _non_utf8_name, "", 0,
          "UnicodeEncodeError traceback"),
    Fault("10", "a .tar.gz member that inflates to 4 GB", _tar_member,
          r"0001\.png is 4 GB, more than the 1 MB an image may be", 2,
          "1.5 GB RSS, MemoryError traceback at 4 GB"),
    Fault("11", "a TOML syntax error in en.toml", _toml,
          r"cnnnotes/i18n/en\.toml: TOML syntax error: .*at line 31", 1,
          "TOMLDecodeError traceback, no file name"),
    Fault("12", "an invalid case during mkdocs build", _case,
          r"cases\.py:\d+: case 'case5'\.dropout: 1\.5", 1, "CaseError traceback"),
    Fault("+", "a word missing from en.toml during mkdocs build", _missing_word,
          r"en\.toml: no words 'case\.baseline\.title'", 1, "about 80 lines of traceback"),
]  # fmt: skip


def by_id(faults: list[Fault]) -> list[str]:
    """Test ids: the issue's number and the fault's first words."""
    return [f"{f.number}-{'-'.join(re.findall(r'[a-z0-9]+', f.name.lower())[:4])}" for f in faults]


def cleanup(folder: Path) -> None:
    """Remove a fault's folder (a FIFO or a link to a device included)."""
    shutil.rmtree(folder, ignore_errors=True)


def as_json(fault: Fault, outcome: Outcome) -> str:
    """One fault's row, as JSON."""
    return json.dumps({"fault": fault.name, "exit": outcome.exit, "message": outcome.message})


if __name__ == "__main__":  # python tests/faults.py twice ROOT (the command of fault 14)
    sys.path.insert(0, str(Path(__file__).parent))
    sys.exit(twice(Path(sys.argv[2])) if sys.argv[1:2] == ["twice"] else 2)
