"""cnnnotes.experiments.runs.repeats: a longer run's first epochs against its parent's run."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from cnnnotes.experiments.runs.record import HISTORY_KEYS, Hardware, Provenance
from cnnnotes.experiments.runs.repeats import repeats

_METRICS = ("train_loss", "train_accuracy", "test_loss", "test_accuracy")


def _run(n: int, *, cpu: str = "cpu A", shift: float = 0.0, at: int | None = None):
    """A run of ``n`` epochs whose history starts as every other's; ``at``: metrics there."""
    rng = np.random.default_rng(0)
    history = {k: rng.random(60)[:n] + shift for k in HISTORY_KEYS}
    metrics = {m: float(i) for i, m in enumerate(_METRICS)}
    if at is not None:
        metrics.update({f"{m}_at_{at}": float(i) for i, m in enumerate(_METRICS)})
    hardware = Hardware(cpu=cpu, cpu_count=2)
    provenance = Provenance(hardware=hardware, threads={"intra_op": 2})
    return SimpleNamespace(history=history, metrics=metrics, provenance=provenance)


def test_a_longer_run_that_extends_its_parent_repeats_it_and_one_that_drifts_does_not():
    short = _run(20)
    (same,) = repeats({"case4": {0: short}, "case4_long": {0: _run(60, at=20)}})
    assert (same.case, same.parent, same.seed, same.epochs, same.same) == (
        "case4_long", "case4", 0, 20, True,
    )  # fmt: skip
    (drifted,) = repeats({"case4": {0: short}, "case4_long": {0: _run(60, shift=1e-7, at=20)}})
    assert not drifted.same
    (unevaluated,) = repeats({"case4": {0: short}, "case4_long": {0: _run(60)}})
    assert not unevaluated.same


def test_machines_are_compared_and_unpaired_seeds_are_left_out():
    short, long = _run(20), _run(60, at=20)
    assert repeats({"case4": {0: short}, "case4_long": {0: long}})[0].one_machine
    elsewhere = _run(60, cpu="cpu B", at=20)
    (other,) = repeats({"case4": {0: short}, "case4_long": {0: elsewhere}})
    assert other.same and not other.one_machine
    assert repeats({"case4": {1: short}, "case4_long": {0: long}}) == []
    assert repeats({"case4": {0: short}}) == []
