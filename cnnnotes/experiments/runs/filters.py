"""How alike a network's first-layer filters are: the notes' "redundant filters" (Case 2).

The notes explain Case 2's lack of gain by "the existing filters are redundant" (ERRATA
37). That is a statement about the learned weights, so it is measured on them:

- **Redundancy of a set** (:func:`redundancy`): for each filter, its highest absolute
  cosine similarity to another filter of the set, averaged over the set. A filter and its
  negative count as alike (a ReLU after them makes them detect opposite edges, but they
  span the same direction).
- **Count-matched.** The measure rises with the number of filters alone: random filters
  give about 0.43 with 32 filters and 0.48 with 64. So a set of 64 is measured as the mean
  over random subsets of 32 (the same subsets for every set of one size: a fixed seed).
- **Against initialisation.** Each run is also measured on its own initial filters,
  which its seed reproduces, and the run's value is trained minus initial: what training
  added, not what the initialiser drew.

The kernels live in a run folder's ``kernels.npz`` (``initial`` and ``trained``, both
``(kh, kw, channels, filters)`` float32), written by :mod:`cnnnotes.experiments.training.kernels`.

Nothing here imports TensorFlow.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "DRAWS",
    "SET_SIZE",
    "max_abs_cosine",
    "redundancy",
    "redundancy_gain",
    "similarity_order",
]

#: Filters per compared set (the baseline's first layer).
SET_SIZE = 32
#: Random subsets averaged for a larger set.
DRAWS = 200


def _unit_rows(kernels: np.ndarray) -> np.ndarray:
    """``(kh, kw, c, F)`` → ``(F, kh·kw·c)`` rows of unit length."""
    k = np.asarray(kernels, dtype=np.float64)
    if k.ndim != 4:
        raise ValueError(f"kernels: expected (kh, kw, channels, filters), got shape {k.shape}")
    rows = k.reshape(-1, k.shape[-1]).T
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    if np.any(norms == 0):
        raise ValueError("kernels: a filter is all zeros (its direction is undefined)")
    unit: np.ndarray = rows / norms
    return unit


def max_abs_cosine(kernels: np.ndarray) -> np.ndarray:
    """Each filter's highest |cosine similarity| to another filter of the set, ``(F,)``."""
    rows = _unit_rows(kernels)
    if len(rows) < 2:
        raise ValueError("kernels: a set needs at least two filters")
    sim = np.abs(rows @ rows.T)
    np.fill_diagonal(sim, -1.0)
    best: np.ndarray = sim.max(axis=1)
    return best


def redundancy(
    kernels: np.ndarray, *, size: int = SET_SIZE, draws: int = DRAWS, seed: int = 0
) -> float:
    """Mean highest |cosine| of a set of ``size`` filters (the mean over random subsets of
    ``size`` when there are more; subsets drawn from ``default_rng(seed)``)."""
    n = np.shape(kernels)[-1]
    if n < size:
        raise ValueError(f"kernels: {n} filters, fewer than a set of {size}")
    if n == size:
        return float(max_abs_cosine(kernels).mean())
    rng = np.random.default_rng(seed)
    k = np.asarray(kernels)
    values = [
        max_abs_cosine(k[..., np.sort(rng.choice(n, size, replace=False))]).mean()
        for _ in range(draws)
    ]
    return float(np.mean(values))


def redundancy_gain(initial: np.ndarray, trained: np.ndarray) -> float:
    """:func:`redundancy` of the trained filters minus that of the same run's initial ones."""
    if np.shape(initial) != np.shape(trained):
        raise ValueError(f"kernels: initial {np.shape(initial)} and trained {np.shape(trained)}")
    return redundancy(trained) - redundancy(initial)


def similarity_order(kernels: np.ndarray) -> np.ndarray:
    """An order of the filters that puts alike ones side by side (for the filters figure).

    Greedy chain: start from the filter with the most alike partner, then repeatedly take
    the unvisited filter most alike to the last one taken.
    """
    rows = _unit_rows(kernels)
    sim = np.abs(rows @ rows.T)
    np.fill_diagonal(sim, -1.0)
    order = [int(np.argmax(sim.max(axis=1)))]
    left = set(range(len(rows))) - set(order)
    while left:
        last = order[-1]
        nxt = max(sorted(left), key=lambda j: sim[last, j])
        order.append(nxt)
        left.remove(nxt)
    return np.asarray(order)
