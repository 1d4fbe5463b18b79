"""cnnnotes.ops against TensorFlow, plus shapes, errors and the notes' pooling bug."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from cnnnotes import ops
from cnnnotes.notes_ops import notes_max_pool2d

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

PROPERTY = settings(deadline=None, max_examples=30)


@pytest.fixture(scope="module")
def tf() -> Any:
    """TensorFlow, imported only here: the package itself never needs it."""
    return pytest.importorskip("tensorflow")


@dataclass(frozen=True)
class Case:
    """One random layer configuration: input, window, stride and padding."""

    x: np.ndarray
    window: tuple[int, int]
    stride: tuple[int, int]
    padding: str

    @property
    def tf_padding(self) -> str:
        return self.padding.upper()


@st.composite
def cases(draw: st.DrawFn, *, max_window: int = 5) -> Case:
    """Random shapes (<= 8 channels), windows incl. even ones, strides 1-3, both paddings."""
    padding = draw(st.sampled_from(["valid", "same"]))
    window = (draw(st.integers(1, max_window)), draw(st.integers(1, max_window)))
    low = (window[0], window[1]) if padding == "valid" else (1, 1)
    height = draw(st.integers(low[0], 12))
    width = draw(st.integers(low[1], 12))
    channels = draw(st.integers(1, 8))
    batch = draw(st.integers(1, 3))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, (batch, height, width, channels)).astype(np.float32)
    return Case(x, window, stride, padding)


def _atol(kh: int, kw: int, channels: int) -> float:
    return 1e-5 * math.sqrt(kh * kw * channels)


def _onednn_wrong_for_batches(case: Case) -> bool:
    """TF 2.21's oneDNN conv2d returns garbage for a batch of N > 1 when the output is one
    column wide, the width stride > 1 and the height stride is 1 (measured on small shapes;
    TF_ENABLE_ONEDNN_OPTS=0 gives the right values). One image at a time is right."""
    out_width = ops.output_size(case.x.shape[2], case.window[1], case.stride[1], case.padding)
    return case.x.shape[0] > 1 and out_width == 1 and case.stride[1] > 1 and case.stride[0] == 1


def _tf_conv2d(tf: Any, case: Case, w: np.ndarray) -> np.ndarray:
    def conv(x: np.ndarray) -> np.ndarray:
        strides = [1, *case.stride, 1]
        return tf.nn.conv2d(x, w, strides=strides, padding=case.tf_padding).numpy()

    if _onednn_wrong_for_batches(case):
        return np.concatenate([conv(image[np.newaxis]) for image in case.x])
    return conv(case.x)


@PROPERTY
@given(case=cases(), filters=st.integers(1, 6), data=st.data())
def test_conv2d_matches_tensorflow(tf: Any, case: Case, filters: int, data: st.DataObject) -> None:
    kh, kw = case.window
    channels = case.x.shape[-1]
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    w = rng.uniform(-1.0, 1.0, (kh, kw, channels, filters)).astype(np.float32)
    b = rng.uniform(-1.0, 1.0, filters).astype(np.float32)
    ours = ops.conv2d(case.x, w, b, stride=case.stride, padding=case.padding)
    theirs = _tf_conv2d(tf, case, w) + b
    assert ours.shape == theirs.shape
    assert_allclose(ours, theirs, rtol=1e-5, atol=_atol(kh, kw, channels))


def test_conv2d_one_column_wide_strided_output_sums_the_first_window() -> None:
    # The configuration TF's oneDNN kernel gets wrong for batches, checked by hand.
    x = np.random.default_rng(6).uniform(-1, 1, (2, 3, 2, 1))
    w = np.array([[[[0.5]], [[-2.0]]]])  # (1, 2, 1, 1)
    out = ops.conv2d(x, w, stride=(1, 3))
    assert out.shape == (2, 3, 1, 1)
    assert_allclose(out[..., 0, 0], 0.5 * x[:, :, 0, 0] - 2.0 * x[:, :, 1, 0])


@PROPERTY
@given(case=cases())
def test_max_pool2d_matches_tensorflow(tf: Any, case: Case) -> None:
    ours = ops.max_pool2d(case.x, case.window, stride=case.stride, padding=case.padding)
    theirs = tf.nn.max_pool2d(
        case.x, case.window, strides=case.stride, padding=case.tf_padding
    ).numpy()
    assert ours.shape == theirs.shape
    assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)


@PROPERTY
@given(case=cases())
def test_avg_pool2d_matches_tensorflow_excluding_padding(tf: Any, case: Case) -> None:
    ours = ops.avg_pool2d(case.x, case.window, stride=case.stride, padding=case.padding)
    theirs = tf.nn.avg_pool2d(
        case.x, case.window, strides=case.stride, padding=case.tf_padding
    ).numpy()
    assert ours.shape == theirs.shape
    assert_allclose(ours, theirs, rtol=1e-5, atol=_atol(*case.window, 1))


@settings(deadline=None, max_examples=25)
@given(case=cases())
def test_global_avg_pool2d_matches_tensorflow_reduce_mean(tf: Any, case: Case) -> None:
    ours = ops.global_avg_pool2d(case.x)
    theirs = tf.reduce_mean(case.x, axis=[1, 2]).numpy()
    assert ours.shape == theirs.shape == (case.x.shape[0], case.x.shape[-1])
    assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)


@settings(deadline=None, max_examples=40)
@given(case=cases(max_window=6))
def test_output_size_matches_conv2d_output_shape(case: Case) -> None:
    x = case.x[0, ..., :1]
    out = ops.conv2d(x, np.ones((*case.window, 1, 1)), stride=case.stride, padding=case.padding)
    expected = tuple(
        ops.output_size(n, k, s, case.padding)
        for n, k, s in zip(x.shape[:2], case.window, case.stride, strict=True)
    )
    assert out.shape[:2] == expected


def test_relu_zeroes_negatives_and_keeps_dtype() -> None:
    x = np.array([[-2.0, -0.0], [0.5, 3.0]], dtype=np.float32)
    out = ops.relu(x)
    assert out.dtype == np.float32
    assert_allclose(out, [[0.0, 0.0], [0.5, 3.0]])


@pytest.mark.parametrize(
    ("n", "k", "stride", "padding", "expected"),
    [
        (32, 3, 1, "valid", 30),  # the notes' first Conv2D
        (30, 2, 2, "valid", 15),
        (13, 2, 2, "valid", 6),  # Keras rounds down: (13, 13, 64) => (6, 6, 64)
        (32, 5, 1, "valid", 28),  # the notes' structure figure
        (13, 2, 2, "same", 7),
        (7, 3, 1, "same", 7),
        (7, 3, 3, "same", 3),
        (5, 5, 1, "valid", 1),
        (1, 4, 2, "same", 1),
    ],
)
def test_output_size_follows_keras_rules(
    n: int, k: int, stride: int, padding: str, expected: int
) -> None:
    assert ops.output_size(n, k, stride, padding) == expected


def test_conv2d_same_padding_keeps_spatial_size() -> None:
    x = np.random.default_rng(0).random((5, 6, 2))
    assert ops.conv2d(x, np.ones((3, 4, 2, 7)), padding="same").shape == (5, 6, 7)


def test_conv2d_same_padding_puts_the_odd_cell_after() -> None:
    # A 2x2 kernel on 3x3 with 'same': TF pads 0 rows on top and 1 at the bottom.
    x = np.arange(9.0).reshape(3, 3, 1)
    w = np.zeros((2, 2, 1, 1))
    w[0, 0] = 1.0  # picks the window's top-left cell, i.e. x itself
    assert_allclose(ops.conv2d(x, w, padding="same")[..., 0], x[..., 0])


def test_conv2d_keeps_batch_axis_only_if_input_had_one() -> None:
    x = np.random.default_rng(1).random((2, 6, 6, 3))
    w = np.random.default_rng(2).random((3, 3, 3, 4))
    batched = ops.conv2d(x, w)
    single = ops.conv2d(x[1], w)
    assert batched.shape == (2, 4, 4, 4)
    assert single.shape == (4, 4, 4)
    assert_allclose(single, batched[1])


@pytest.mark.parametrize("op", [ops.max_pool2d, ops.avg_pool2d], ids=["max_pool2d", "avg_pool2d"])
def test_pooling_keeps_batch_axis_only_if_input_had_one(op: Any) -> None:
    x = np.random.default_rng(3).random((2, 5, 5, 3))
    assert op(x).shape == (2, 2, 2, 3)
    assert op(x[0]).shape == (2, 2, 3)
    assert_allclose(op(x[0]), op(x)[0])


def test_global_avg_pool2d_drops_space_and_keeps_batch() -> None:
    x = np.random.default_rng(4).random((3, 4, 5, 6))
    assert ops.global_avg_pool2d(x).shape == (3, 6)
    assert ops.global_avg_pool2d(x[0]).shape == (6,)
    assert_allclose(ops.global_avg_pool2d(x[0]), x[0].mean(axis=(0, 1)))


def test_max_pool2d_same_padding_never_returns_the_pad() -> None:
    x = -np.ones((3, 3, 1))
    assert_allclose(ops.max_pool2d(x, padding="same")[..., 0], -np.ones((2, 2)))


def test_notes_max_pool2d_zero_pads_negative_map_but_ours_is_right() -> None:
    minus_ones = -np.ones((3, 3))
    # The notes' MaxPooling: the padded zeros win the max (ERRATA 21).
    assert_allclose(notes_max_pool2d(minus_ones), [[-1.0, 0.0], [0.0, 0.0]])
    # Ours, as Keras: 'valid' drops the odd row/column, 'same' pads with -inf.
    assert_allclose(ops.max_pool2d(minus_ones[..., None])[..., 0], [[-1.0]])
    assert_allclose(ops.max_pool2d(minus_ones[..., None], padding="same")[..., 0], -np.ones((2, 2)))


def test_notes_max_pool2d_agrees_with_ours_on_even_sizes() -> None:
    m = np.random.default_rng(5).uniform(-1, 1, (6, 4))
    assert_allclose(notes_max_pool2d(m), ops.max_pool2d(m[..., None])[..., 0])


_X = np.zeros((5, 5, 2))
_W = np.zeros((3, 3, 2, 4))


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: ops.conv2d(np.zeros((5, 5)), _W), "x"),  # ndim 2
        (lambda: ops.conv2d(np.zeros((1, 1, 5, 5, 2)), _W), "x"),  # ndim 5
        (lambda: ops.conv2d(np.zeros((0, 5, 2)), _W), "x"),  # empty axis
        (lambda: ops.conv2d(_X, np.zeros((3, 3, 2))), "w"),  # kernel ndim
        (lambda: ops.conv2d(_X, np.zeros((3, 3, 3, 4))), "w"),  # channel mismatch
        (lambda: ops.conv2d(_X, np.zeros((6, 3, 2, 4))), "w"),  # kernel > valid input
        (lambda: ops.conv2d(_X, _W, np.zeros(3)), "b"),  # bias shape
        (lambda: ops.conv2d(_X, _W, np.zeros((4, 1))), "b"),
        (lambda: ops.conv2d(_X, _W, stride=0), "stride"),
        (lambda: ops.conv2d(_X, _W, stride=(1, -2)), "stride"),
        (lambda: ops.conv2d(_X, _W, stride=(1, 2, 3)), "stride"),  # type: ignore[arg-type]
        (lambda: ops.conv2d(_X, _W, stride=1.5), "stride"),  # type: ignore[arg-type]
        (lambda: ops.conv2d(_X, _W, padding="full"), "padding"),  # type: ignore[arg-type]
        (lambda: ops.max_pool2d(_X, 0), "pool_size"),
        (lambda: ops.max_pool2d(_X, 6), "pool_size"),  # window > valid input
        (lambda: ops.max_pool2d(_X, 2, stride=0), "stride"),
        (lambda: ops.max_pool2d(_X, padding="SAME"), "padding"),  # type: ignore[arg-type]
        (lambda: ops.avg_pool2d(_X, (2, 0)), "pool_size"),
        (lambda: ops.avg_pool2d(_X, padding="causal"), "padding"),  # type: ignore[arg-type]
        (lambda: ops.avg_pool2d(np.zeros(5)), "x"),
        (lambda: ops.global_avg_pool2d(np.zeros((5, 5))), "x"),
        (lambda: ops.output_size(0, 3), "n"),
        (lambda: ops.output_size(5, 0), "k"),
        (lambda: ops.output_size(5, 6), "k"),  # kernel > valid input
        (lambda: ops.output_size(5, 3, 0), "stride"),
        (lambda: ops.output_size(5, 3, True), "stride"),  # type: ignore[arg-type]
        (lambda: ops.output_size(5, 3, 1, "full"), "padding"),
    ],
)
def test_bad_arguments_raise_value_error_naming_the_argument(call: Any, argument: str) -> None:
    with pytest.raises(ValueError, match=rf"^{argument}: "):
        call()
