"""cnnnotes.notes_ops reproduces the notes' numpy code, bugs included."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose

from cnnnotes import ops
from cnnnotes.notes_ops import notes_conv2d, notes_max_pool2d


def _notes_featuring(nimg: np.ndarray, filters: np.ndarray) -> np.ndarray:
    """The notes' ``featuring`` + ``conv``, verbatim apart from names (loops and all)."""
    feature = np.zeros((nimg.shape[0] - 2, nimg.shape[1] - 2))
    for i in range(feature.shape[0]):
        for j in range(feature.shape[1]):
            a = nimg[i : i + 3, j : j + 3]
            feature[i, j] = np.sum(np.array(a) * np.array(filters))
    return feature


def _notes_max_pooling(nimg: np.ndarray) -> np.ndarray:
    """The notes' ``MaxPooling``, verbatim apart from names."""
    ning = np.array(nimg)
    i0, j0 = ning.shape
    output = np.zeros((int((i0 + 1) / 2), int((j0 + 1) / 2)))
    if i0 % 2 == 1:
        i0 += 1
        ning = np.concatenate((ning, np.zeros((1, j0))), axis=0)
    if j0 % 2 == 1:
        ning = np.concatenate((ning, np.zeros((i0, 1))), axis=1)
    for i in range(output.shape[0]):
        for j in range(output.shape[1]):
            output[i, j] = ning[2 * i : 2 * i + 2, 2 * j : 2 * j + 2].max()
    return output


@pytest.mark.parametrize("shape", [(3, 3), (4, 5), (7, 7), (10, 10), (1, 6)])
def test_notes_max_pool2d_equals_the_notes_loop_code(shape: tuple[int, int]) -> None:
    m = np.random.default_rng(0).uniform(-1, 1, shape)
    assert_allclose(notes_max_pool2d(m), _notes_max_pooling(m))


def test_notes_max_pool2d_rounds_odd_sizes_up_unlike_keras() -> None:
    m = np.ones((13, 13))
    assert notes_max_pool2d(m).shape == (7, 7)
    assert ops.max_pool2d(m[..., None]).shape == (6, 6, 1)


@pytest.mark.parametrize("shape", [(10, 10), (6, 8, 3), (5, 5, 1)])
def test_notes_conv2d_equals_the_notes_loop_code(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(1)
    m, f = rng.random(shape), rng.uniform(-1, 1, (3, 3))
    assert_allclose(notes_conv2d(m, f), _notes_featuring(m, f))


def test_notes_conv2d_on_2d_map_is_a_correct_valid_convolution() -> None:
    rng = np.random.default_rng(2)
    m, f = rng.random((9, 7)), rng.uniform(-1, 1, (3, 3))
    assert_allclose(notes_conv2d(m, f), ops.conv2d(m[..., None], f[:, :, None, None])[..., 0])


def test_notes_conv2d_on_stacked_maps_differs_from_multichannel_conv() -> None:
    rng = np.random.default_rng(3)
    stacked = rng.random((6, 6, 3))
    # The filter the notes meant: the same 3x3 filter on every channel, summed.
    ones = np.ones((3, 3))
    sobel = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])

    def true_conv(f: np.ndarray) -> np.ndarray:
        return ops.conv2d(stacked, np.repeat(f[:, :, None, None], 3, axis=2))[..., 0]

    assert_allclose(notes_conv2d(stacked, ones), true_conv(ones))  # the bug hides
    assert not np.allclose(notes_conv2d(stacked, sobel), true_conv(sobel))  # and shows


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: notes_max_pool2d(np.zeros((3, 3, 1))), "m"),
        (lambda: notes_max_pool2d(np.zeros((0, 3))), "m"),
        (lambda: notes_conv2d(np.zeros((5, 5)), np.ones((5, 5))), "f"),
        (lambda: notes_conv2d(np.zeros((2, 5)), np.ones((3, 3))), "m"),
        (lambda: notes_conv2d(np.zeros((5, 5, 4)), np.ones((3, 3))), "m"),
    ],
)
def test_notes_ops_reject_bad_arguments_naming_them(call: Any, argument: str) -> None:
    with pytest.raises(ValueError, match=rf"^{argument}: "):
        call()
