"""Tests of cnnnotes.experiments.runs.seedimage: the crossed seed × image decomposition."""

from __future__ import annotations

import numpy as np
import pytest

from cnnnotes.experiments.runs.seedimage import decompose


def _table(n: int, m: int, seed_sd: float, rng: np.random.Generator) -> np.ndarray:
    difficulty = rng.random(m)  # image effects: some images are hard for every seed
    shift = seed_sd * rng.standard_normal((n, 1))  # seed effects
    return (rng.random((n, m)) < np.clip(difficulty + shift, 0, 1)).astype(float)


def test_the_three_mean_squares_sum_to_the_total_sum_of_squares() -> None:
    x = _table(5, 300, 0.02, np.random.default_rng(0))
    d = decompose(x)
    n, m = x.shape
    total = float(np.sum((x - x.mean()) ** 2))
    parts = d.ms_seed * (n - 1) + d.ms_image * (m - 1) + d.ms_resid * (n - 1) * (m - 1)
    assert parts == pytest.approx(total)


def test_the_seed_part_is_the_variance_of_per_seed_accuracies_over_n() -> None:
    x = _table(5, 400, 0.03, np.random.default_rng(2))
    d = decompose(x)
    assert d.var_seed_part == pytest.approx(float(np.var(x.mean(axis=1), ddof=1)) / 5)


def test_the_variance_counts_the_interaction_once() -> None:
    x = _table(4, 500, 0.01, np.random.default_rng(3))
    d = decompose(x)
    n, m = x.shape
    assert d.variance == pytest.approx((d.ms_seed + d.ms_image - d.ms_resid) / (n * m))
    # the naive sum, seed variance plus the variance of the seed-averaged per-image
    # values over N, holds the interaction twice, so it is larger
    naive = float(np.var(x.mean(axis=1), ddof=1)) / n + float(np.var(x.mean(axis=0), ddof=1)) / m
    assert naive > d.variance


def test_images_that_every_seed_gets_alike_carry_the_image_share() -> None:
    rng = np.random.default_rng(4)
    per_image = (rng.random(1000) < 0.7).astype(float)
    x = np.tile(per_image, (5, 1))  # every seed right on the same images
    d = decompose(x)
    assert d.image_share == pytest.approx(1.0) and d.var_seed_part == pytest.approx(0.0)


def test_a_table_with_one_seed_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        decompose(np.ones((1, 10)))
