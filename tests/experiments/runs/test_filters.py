"""The redundancy of first-layer filters: count-matched, signs ignored, alike ones side by side."""

from __future__ import annotations

import numpy as np
import pytest

from cnnnotes.experiments.runs.filters import (
    max_abs_cosine,
    redundancy,
    redundancy_gain,
    similarity_order,
)


def _random(n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.normal(size=(3, 3, 3, n))


def test_count_matching_removes_what_the_number_of_filters_alone_adds():
    rng = np.random.default_rng(1)
    raw32, raw64, matched64 = [], [], []
    for _ in range(10):
        k32, k64 = _random(32, rng), _random(64, rng)
        raw32.append(max_abs_cosine(k32).mean())
        raw64.append(max_abs_cosine(k64).mean())
        matched64.append(redundancy(k64))
    assert np.mean(raw64) - np.mean(raw32) > 0.03  # more filters, more alike by chance
    assert abs(np.mean(matched64) - np.mean(raw32)) < 0.01


def test_a_filter_and_its_negative_count_as_alike():
    rng = np.random.default_rng(2)
    k = _random(2, rng)
    k[..., 1] = -3.0 * k[..., 0]
    assert np.allclose(max_abs_cosine(k), 1.0)


def test_orthogonal_filters_are_not_alike():
    k = np.eye(27).reshape(3, 3, 3, 27)
    assert np.allclose(max_abs_cosine(k), 0.0)
    assert redundancy(k, size=27) == pytest.approx(0.0)


def test_the_gain_is_trained_minus_initial_on_the_same_subsets():
    rng = np.random.default_rng(3)
    initial = _random(64, rng)
    trained = initial.copy()
    trained[..., 1] = trained[..., 0]  # training made two filters identical
    gain = redundancy_gain(initial, trained)
    assert gain > 0
    assert redundancy_gain(initial, initial) == 0.0


def test_similarity_order_puts_duplicates_side_by_side():
    rng = np.random.default_rng(4)
    k = _random(8, rng)
    k[..., 6] = 0.5 * k[..., 2]
    order = list(similarity_order(k))
    assert sorted(order) == list(range(8))
    i, j = order.index(2), order.index(6)
    assert abs(i - j) == 1


@pytest.mark.parametrize(
    ("kernels", "message"),
    [
        (np.zeros((3, 3, 3, 32)), "all zeros"),
        (np.ones((27, 32)), "expected"),
        (np.ones((3, 3, 3, 8)), "fewer than a set"),
    ],
)
def test_malformed_kernels_are_refused_with_the_reason(kernels, message):
    with pytest.raises(ValueError, match=message):
        redundancy(kernels)
