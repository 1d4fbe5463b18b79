"""The code key of a run: the one place where this half names the training half.

A run's key includes a hash of the code that decides its numbers, the keyed unit
:mod:`cnnnotes.experiments.training.numerics` and what it calls
(:func:`~cnnnotes.experiments.training.model.build_model`). Status, the store and the
site compare recorded keys with today's, so they need that hash without training.
The keyed unit imports TensorFlow only inside its functions, so importing it to
hash its source is cheap and works where TensorFlow is not installed (a test
imports this half with TensorFlow blocked). This module is the only one of
:mod:`cnnnotes.experiments.runs` that imports :mod:`cnnnotes.experiments.training`,
and it imports nothing else from it.

Hashing takes a noticeable fraction of a second, and a build asks for the key more
than once: it is computed again only when a source file of the experiments changed
(its size or time), so an edit is still seen by a long-running ``mkdocs serve``.
"""

from __future__ import annotations

import functools
from pathlib import Path

from cnnnotes.codehash import closure_key

__all__ = ["training_code_key"]

_EXPERIMENTS = Path(__file__).resolve().parents[1]


def training_code_key() -> str:
    """Hash of the code that decides a run's numbers: the keyed unit and what it calls.

    The case *table* is not part of it (its values enter the key as case fields), so
    editing one case makes exactly that case's runs stale.
    """
    from cnnnotes.experiments.training import numerics

    sources = tuple(
        (str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(_EXPERIMENTS.rglob("*.py"))
    )
    return _hash(tuple(numerics.__all__), sources)


@functools.lru_cache(maxsize=4)
def _hash(roots: tuple[str, ...], sources: tuple[tuple[str, int, int], ...]) -> str:
    """The hash of ``roots`` of the keyed unit, for the experiments' ``sources`` as they are."""
    from cnnnotes.experiments.training import numerics

    return closure_key([getattr(numerics, name) for name in roots])
