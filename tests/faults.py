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
import struct
import subprocess
import sys
import tarfile
import time
import zlib
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


_ERROR = re.compile(r"^(cnnnotes: error: |ERROR\s+-\s+)(.*)$")


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


def image_tree(folder: Path) -> Path:
    """A tiny train/test image tree (200 + 50 PNGs)."""
    from fakedata import write_image_tree

    root = folder / "images"
    write_image_tree(root)
    return root


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width``×``height`` RGB pixels and holds one compressed row."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * (1 + 3 * width))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


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


# --- the faults -----------------------------------------------------------------------------------


def _bomb(folder: Path) -> Command:
    root = image_tree(folder)
    (root / "train/cat/0003.png").write_bytes(png_header(20000, 20000))
    return Command(_cli("data", "check", "--source", str(root)), folder)


def _non_utf8_name(folder: Path) -> Command:
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
