"""Does a longer run repeat its parent? Its first epochs against the parent's run, same seed.

A case that trains longer than its parent (``Case.epochs``, with ``parent`` set) starts
from the same initial weights and sees the same batches: on the same kind of CPU with the
same threads its first epochs are the parent's history bit for bit, and its evaluation
after them (``*_at_<n>`` metrics) the parent's final metrics. Across kinds of CPU that is
not guaranteed (floating-point sums may be ordered differently): these pairs are where
the committed runs show whether it held.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from cnnnotes.experiments.runs.cases import CASES
from cnnnotes.experiments.runs.record import HISTORY_KEYS, RunResult

__all__ = ["Repeat", "repeats"]

#: The metrics a longer run also records after its parent's last epoch.
_AT = tuple(f"{part}_{m}" for part in ("train", "test") for m in ("loss", "accuracy"))


@dataclass(frozen=True)
class Repeat:
    """One longer run set against its parent's run of the same seed.

    Attributes
    ----------
    case, parent, seed
        The longer case, the case it extends, and the seed of both runs.
    epochs
        The parent's epochs: how many of the longer run's epochs are compared.
    same
        Whether those epochs' history and the evaluation after them are bit-identical.
    machines
        Each run's CPU and thread count as its provenance records them (longer, parent).
    """

    case: str
    parent: str
    seed: int
    epochs: int
    same: bool
    machines: tuple[str, str]

    @property
    def one_machine(self) -> bool:
        """Whether both runs were trained on the same kind of CPU with the same threads."""
        return self.machines[0] == self.machines[1]


def _machine(run: RunResult) -> str:
    hw, threads = run.provenance.hardware, run.provenance.threads
    where = "unknown CPU" if hw is None else f"{hw.cpu} × {hw.cpu_count}"
    return f"{where}, {threads.get('intra_op', '?')} threads"


def _same(long: RunResult, short: RunResult, n: int) -> bool:
    if any(len(long.history[k]) < n for k in HISTORY_KEYS):
        return False
    if not all(np.array_equal(long.history[k][:n], short.history[k]) for k in HISTORY_KEYS):
        return False
    return all(long.metrics.get(f"{m}_at_{n}") == short.metrics.get(m) for m in _AT)


def repeats(seeds: Mapping[str, Mapping[int, RunResult]]) -> list[Repeat]:
    """Every longer run in ``seeds`` whose parent has a run of the same seed, case by case.

    ``seeds`` maps case names to their runs by seed (the committed runs, say).
    """
    out = []
    for name, runs in seeds.items():
        case = CASES.get(name)
        if case is None or case.epochs is None or case.parent is None:
            continue
        parents = seeds.get(case.parent, {})
        for seed in sorted(set(runs) & set(parents)):
            long, short = runs[seed], parents[seed]
            n = len(short.history["loss"])
            out.append(
                Repeat(
                    name,
                    case.parent,
                    seed,
                    n,
                    _same(long, short, n),
                    (_machine(long), _machine(short)),
                )
            )
    return out
