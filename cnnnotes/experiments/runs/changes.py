"""What changed: published verdicts and headline numbers, compared with the last record.

``results/changes.json`` keeps the last *snapshot* of what the site publishes
(every verdict's outcome, and per case n and the mean over seeds of the last-five
validation accuracy and of the test accuracy, at three decimals) and the list of
*changes* between successive snapshots, each with its date and old → new value.
:func:`record` appends the differences to the list and stores the new snapshot;
``cnnnotes changes --record`` calls it after a retrain or a new seed lands. The
cases page shows the list; building the site never writes it.

Nothing here imports matplotlib or TensorFlow.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cnnnotes.bounded import MB, read_bounded
from cnnnotes.errors import CnnnotesError, PathError
from cnnnotes.experiments.runs import stats
from cnnnotes.experiments.runs.cases import CASES, NOTES
from cnnnotes.experiments.runs.claims import verdicts
from cnnnotes.experiments.runs.folder import load_seeds

__all__ = ["FILE", "HEADLINES", "Change", "ChangesError", "diff", "load", "record", "snapshot"]

#: Where the record lives, inside the results folder.
FILE = "changes.json"
#: The headline numbers per case: means over seeds of these ``stats.summarize`` keys.
HEADLINES: tuple[str, ...] = ("val_accuracy_last5", "test_accuracy")


@dataclass(frozen=True)
class Change:
    """One published value that changed: ``kind`` is ``verdict``, ``headline`` or ``n``."""

    date: str
    kind: str
    case: str
    key: str
    old: Any
    new: Any


def snapshot(results_dir: Path, profile: str = NOTES.name) -> dict[str, Any]:
    """What the site publishes now, from the committed runs of ``profile``."""
    seeds = {c: load_seeds(Path(results_dir), profile, c) for c in CASES}
    seeds = {c: runs for c, runs in seeds.items() if runs}
    out: dict[str, Any] = {"verdicts": {}, "headlines": {}}
    for case, runs in seeds.items():
        for v in verdicts(case, seeds):
            out["verdicts"][f"{case}/{v.key}"] = v.outcome
        summaries = [stats.summarize(r) for r in runs.values()]
        row: dict[str, Any] = {"n": len(runs)}
        for key in HEADLINES:
            row[key] = round(float(np.mean([s[key] for s in summaries])), 3)
        out["headlines"][case] = row
    return out


class ChangesError(CnnnotesError):
    """``results/changes.json`` is unreadable or malformed; the message names the file."""


def load(results_dir: Path) -> dict[str, Any] | None:
    """The stored record (``snapshot``, ``date``, ``changes``), or None before the first.

    Raises :class:`ChangesError` (one line naming the file and the field or position)
    when the file is not a regular file, too large, not JSON or not a record.
    """
    path = Path(results_dir) / FILE
    if not os.path.lexists(path):
        return None
    try:
        doc = json.loads(read_bounded(path, 16 * MB, "a changes.json"))
    except PathError as exc:
        raise ChangesError(str(exc)) from None
    except json.JSONDecodeError as exc:
        raise ChangesError(
            f"{path}: not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except ValueError as exc:
        raise ChangesError(f"{path}: not JSON ({exc})") from None
    _check(doc, path)
    return doc  # type: ignore[no-any-return]  # checked by _check


def _check(doc: Any, path: Path) -> None:
    """Refuse a record that lacks a field or holds one of the wrong kind."""

    def need(ok: bool, where: str, what: str) -> None:
        if not ok:
            raise ChangesError(f"{path}: {where} must be {what}")

    need(isinstance(doc, dict), "the file", "an object with date, snapshot and changes")
    need(isinstance(doc.get("date"), str), "date", "a date string")
    snap = doc.get("snapshot")
    need(isinstance(snap, dict), "snapshot", "an object")
    need(isinstance(snap.get("verdicts"), dict), "snapshot.verdicts", "an object")
    headlines = snap.get("headlines")
    need(isinstance(headlines, dict), "snapshot.headlines", "an object")
    for case, row in headlines.items():
        need(isinstance(row, dict), f"snapshot.headlines.{case}", "an object")
    changes = doc.get("changes", [])
    need(isinstance(changes, list), "changes", "a list")
    fields = {f.name for f in dataclasses.fields(Change)}
    for i, change in enumerate(changes):
        need(
            isinstance(change, dict) and fields <= set(change),
            f"changes[{i}]",
            f"an object with {', '.join(sorted(fields))}",
        )


def diff(old: dict[str, Any], new: dict[str, Any], date: str) -> list[Change]:
    """The changes from snapshot ``old`` to snapshot ``new``, dated ``date``."""
    out = []
    for key in sorted(set(old["verdicts"]) | set(new["verdicts"])):
        before, after = old["verdicts"].get(key), new["verdicts"].get(key)
        if before != after:
            case, claim = key.split("/", 1)
            out.append(Change(date, "verdict", case, claim, before, after))
    for case in [c for c in CASES if c in old["headlines"] or c in new["headlines"]]:
        before, after = old["headlines"].get(case, {}), new["headlines"].get(case, {})
        for key in ("n", *HEADLINES):
            if before.get(key) != after.get(key):
                kind = "n" if key == "n" else "headline"
                out.append(Change(date, kind, case, key, before.get(key), after.get(key)))
    return out


def record(results_dir: Path, date: str, profile: str = NOTES.name) -> list[Change]:
    """Compare the runs now with the stored snapshot; store the changes and the new snapshot.

    Returns the changes found (none on the first record, which only stores a snapshot).
    """
    now = snapshot(results_dir, profile)
    stored = load(results_dir)
    found = [] if stored is None else diff(stored["snapshot"], now, date)
    history = [] if stored is None else list(stored.get("changes", []))
    doc = {
        "date": date,
        "snapshot": now,
        "changes": history + [asdict(c) for c in found],
        "since": date if stored is None else stored.get("since", stored["date"]),
    }
    path = Path(results_dir) / FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    return found
