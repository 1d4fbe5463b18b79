"""Crossed seed × image variance decomposition of per-image test correctness.

Every committed seed keeps its test ``labels`` and ``predicted``, so each case has a
seeds × images table of 0/1 correctness x_si = μ + a_s + b_i + e_si (seed, image, and
the seed × image interaction with the Bernoulli noise, which one observation per cell
cannot tell apart). The two-way ANOVA without replication gives three mean squares:

- MS_seed  = N · var_s(row means),          E = σ_e² + N σ_a²;
- MS_image = n · var_i(column means),        E = σ_e² + n σ_b²;
- MS_resid = the rest / ((n − 1)(N − 1)),    E = σ_e².

The variance of the grand mean, generalising to new seeds **and** new images, is
(MS_seed + MS_image − MS_resid) / (nN); its seed part is MS_seed/(nN) (the usual s²/n
of per-seed accuracies) and its image part (MS_image − MS_resid)/(nN). The interaction
is counted once. A paired comparison of two cases that share seeds and images runs
the same decomposition on the per-image differences. Degrees of freedom are
Welch–Satterthwaite over the three mean squares (DESIGN.md "Verdict rules v2").
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from cnnnotes.experiments.runs.record import RunResult

__all__ = ["Decomposition", "correctness", "decompose", "paired_correctness"]


@dataclass(frozen=True)
class Decomposition:
    """The mean squares of one seeds × images table and what follows from them.

    Attributes
    ----------
    mean
        The grand mean (an accuracy, or a difference of accuracies).
    n, n_images
        Seeds (rows) and images (columns).
    ms_seed, ms_image, ms_resid
        The three mean squares of the module docstring.
    """

    mean: float
    n: int
    n_images: int
    ms_seed: float
    ms_image: float
    ms_resid: float

    @property
    def var_seed_part(self) -> float:
        """The seed part of the mean's variance: MS_seed / (nN)."""
        return self.ms_seed / (self.n * self.n_images)

    @property
    def var_image_part(self) -> float:
        """The image part of the mean's variance: (MS_image − MS_resid)/(nN), floored at 0."""
        return max(self.ms_image - self.ms_resid, 0.0) / (self.n * self.n_images)

    @property
    def variance(self) -> float:
        """The variance of the grand mean over new seeds and new images."""
        return self.var_seed_part + self.var_image_part

    @property
    def se(self) -> float:
        """The standard error of the grand mean."""
        return math.sqrt(self.variance)

    @property
    def df(self) -> float:
        """Welch–Satterthwaite degrees of freedom of :attr:`variance`."""
        n, m = self.n, self.n_images
        terms = [
            (self.ms_seed, n - 1),
            (self.ms_image, m - 1),
            (self.ms_resid, (n - 1) * (m - 1)),
        ]
        total = self.ms_seed + max(self.ms_image - self.ms_resid, 0.0)
        denominator = sum(ms * ms / d for ms, d in terms if d > 0)
        return float(n - 1) if denominator == 0 else total * total / denominator

    @property
    def image_variance(self) -> float:
        """σ̂_b²: the variance of the image effects, per image."""
        return max(self.ms_image - self.ms_resid, 0.0) / self.n

    @property
    def interaction_variance(self) -> float:
        """σ̂_e²: the seed × image interaction with the Bernoulli noise, per image."""
        return self.ms_resid

    @property
    def image_share(self) -> float:
        """ρ = σ̂_b² / (σ̂_b² + σ̂_e²): the share of per-image variance due to the images."""
        total = self.image_variance + self.interaction_variance
        return 0.0 if total == 0 else self.image_variance / total


def decompose(table: np.ndarray) -> Decomposition:
    """The crossed decomposition of a seeds × images table (n ≥ 2 rows).

    Raises
    ------
    ValueError
        When the table is not two-dimensional or has fewer than two seeds or images.
    """
    x = np.asarray(table, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 2:
        raise ValueError(f"table: need seeds × images with at least 2 of each, got {x.shape}")
    n, m = x.shape
    grand = float(x.mean())
    rows, cols = x.mean(axis=1), x.mean(axis=0)
    ss_seed = m * float(np.sum((rows - grand) ** 2))
    ss_image = n * float(np.sum((cols - grand) ** 2))
    ss_total = float(np.sum((x - grand) ** 2))
    ss_resid = max(ss_total - ss_seed - ss_image, 0.0)
    return Decomposition(
        grand,
        n,
        m,
        ss_seed / (n - 1),
        ss_image / (m - 1),
        ss_resid / ((n - 1) * (m - 1)),
    )


def correctness(runs: Mapping[int, RunResult]) -> np.ndarray:
    """Per-image test correctness (seeds × images, 0/1), seeds in ascending order."""
    return np.stack([(r.predicted == r.labels).astype(np.float64) for _, r in sorted(runs.items())])


def paired_correctness(a: Mapping[int, RunResult], b: Mapping[int, RunResult]) -> np.ndarray:
    """Per-image differences of correctness, ``a`` − ``b``, over the seeds both have.

    Raises
    ------
    ValueError
        When the two cases' test labels differ (they were not scored on the same images).
    """
    seeds = sorted(set(a) & set(b))
    for s in seeds:
        if not np.array_equal(a[s].labels, b[s].labels):
            raise ValueError(f"seed {s}: the two cases were scored on different test images")
    diff: np.ndarray = correctness({s: a[s] for s in seeds}) - correctness({s: b[s] for s in seeds})
    return diff
