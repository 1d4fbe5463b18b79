"""Reference numpy implementations of the CNN building blocks, in Keras layouts.

Images are ``(H, W, C)`` or batches ``(N, H, W, C)`` (channels last); kernels are
``(kh, kw, C, F)``, exactly what ``keras.layers.Conv2D`` stores. Every function is
pure and vectorized: a window view (:func:`numpy.lib.stride_tricks.sliding_window_view`)
plus one contraction or reduction, with no Python loop over pixels. Padding follows
TensorFlow to the pixel, including the asymmetric 'same' split (the extra row or
column goes to the bottom or right). The tests compare each op with TensorFlow.

Taught on the page "Hand implementation" (``hand-implementation.ipynb``).

The original notes' own numpy code, bugs included, is reproduced separately in
:mod:`cnnnotes.notes_ops`, so that the page can show those bugs next to these ops.
"""

from __future__ import annotations

import operator
from typing import Literal, TypeVar, overload

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "Padding",
    "avg_pool2d",
    "conv2d",
    "global_avg_pool2d",
    "max_pool2d",
    "output_size",
    "relu",
]

Padding = Literal["valid", "same"]
_Scalar = TypeVar("_Scalar", bound=np.generic)
_PADDINGS = ("valid", "same")


def _positive_int(value: object, name: str) -> int:
    """``value`` as a positive ``int``; bools and non-integers are rejected."""
    if isinstance(value, bool):
        raise ValueError(f"{name}: expected a positive integer, got {value!r}")
    try:
        number = operator.index(value)  # type: ignore[arg-type]  # TypeError is the check
    except TypeError:
        raise ValueError(f"{name}: expected a positive integer, got {value!r}") from None
    if number <= 0:
        raise ValueError(f"{name}: expected a positive integer, got {number}")
    return number


def _pair(value: int | tuple[int, int], name: str) -> tuple[int, int]:
    """An int or a pair of ints as ``(rows, cols)``, both positive."""
    if isinstance(value, tuple | list):
        if len(value) != 2:
            raise ValueError(f"{name}: expected an int or a pair (rows, cols), got {value!r}")
        return _positive_int(value[0], name), _positive_int(value[1], name)
    size = _positive_int(value, name)
    return size, size


def _check_padding(padding: str) -> Padding:
    if padding not in _PADDINGS:
        raise ValueError(f"padding: expected 'valid' or 'same', got {padding!r}")
    return padding  # type: ignore[return-value]  # checked against _PADDINGS above


def output_size(n: int, k: int, stride: int = 1, padding: str = "valid") -> int:
    """Length of one spatial axis after a convolution or pooling window, as in Keras.

    Parameters
    ----------
    n : int
        Input length (height or width).
    k : int
        Window (kernel or pool) length along the same axis.
    stride : int
        Step between windows.
    padding : {"valid", "same"}
        ``"valid"``: no padding, ``floor((n - k) / stride) + 1``;
        ``"same"``: zero padding as needed, ``ceil(n / stride)``.

    Returns
    -------
    int
        The output length (at least 1).

    Raises
    ------
    ValueError
        If a size is not a positive integer, the padding is unknown, or ``k > n``
        with ``"valid"`` padding.
    """
    n = _positive_int(n, "n")
    k = _positive_int(k, "k")
    stride = _positive_int(stride, "stride")
    if _check_padding(padding) == "same":
        return -(-n // stride)
    if k > n:
        raise ValueError(f"k: window {k} is larger than the input {n} with 'valid' padding")
    return (n - k) // stride + 1


def _pads(n: int, k: int, stride: int, padding: Padding) -> tuple[int, int]:
    """TensorFlow's (before, after) padding of one axis: the odd cell goes after."""
    if padding == "valid":
        return 0, 0
    total = max((output_size(n, k, stride, "same") - 1) * stride + k - n, 0)
    return total // 2, total - total // 2


def _as_batch(x: ArrayLike, name: str) -> tuple[NDArray[np.floating], bool]:
    """``x`` as a float ``(N, H, W, C)`` array, and whether it came with a batch axis."""
    array = np.asarray(x)
    if array.ndim not in (3, 4):
        raise ValueError(
            f"{name}: expected shape (H, W, C) or (N, H, W, C), got shape {array.shape}"
        )
    if 0 in array.shape:
        raise ValueError(f"{name}: every axis must be non-empty, got shape {array.shape}")
    if not np.issubdtype(array.dtype, np.floating):
        array = array.astype(np.float64)
    batched = array.ndim == 4
    return (array if batched else array[np.newaxis]), batched


def _windows(
    x: NDArray[np.floating],
    window: tuple[int, int],
    stride: tuple[int, int],
    padding: Padding,
    fill: float,
    name: str,
) -> NDArray[np.floating]:
    """Strided window view ``(N, Ho, Wo, C, kh, kw)`` of a padded batch ``(N, H, W, C)``."""
    (kh, kw), (sh, sw) = window, stride
    _, height, width, _ = x.shape
    for n, k in ((height, kh), (width, kw)):
        if padding == "valid" and k > n:
            raise ValueError(
                f"{name}: window {kh}x{kw} is larger than the input {height}x{width} "
                "with 'valid' padding"
            )
    top, bottom = _pads(height, kh, sh, padding)
    left, right = _pads(width, kw, sw, padding)
    if top or bottom or left or right:
        pad = ((0, 0), (top, bottom), (left, right), (0, 0))
        x = np.pad(x, pad, constant_values=fill)
    view = sliding_window_view(x, (kh, kw), axis=(1, 2))
    return view[:, ::sh, ::sw]


def conv2d(
    x: ArrayLike,
    w: ArrayLike,
    b: ArrayLike | None = None,
    *,
    stride: int | tuple[int, int] = 1,
    padding: Padding = "valid",
) -> NDArray[np.floating]:
    """2-D convolution (cross-correlation, as in every CNN library) of one image or a batch.

    Parameters
    ----------
    x : array_like, shape (H, W, C) or (N, H, W, C)
        Input image(s), channels last.
    w : array_like, shape (kh, kw, C, F)
        ``F`` filters, each spanning all ``C`` input channels (Keras' kernel layout).
    b : array_like, shape (F,), optional
        One bias per filter.
    stride : int or (int, int)
        Step ``(sh, sw)`` down and to the right.
    padding : {"valid", "same"}
        TensorFlow's semantics: ``"same"`` pads ``max((out - 1) * s + k - n, 0)``
        zeros per axis, the smaller half before and the larger half after.

    Returns
    -------
    ndarray, shape (Ho, Wo, F) or (N, Ho, Wo, F)
        ``out[n, i, j, f] = b[f] + sum_{u, v, c} x[n, i*sh + u, j*sw + v, c] * w[u, v, c, f]``
        (on the padded input). The batch axis is kept only if ``x`` had one.

    Raises
    ------
    ValueError
        On a bad shape or ndim, a channel mismatch, a bias of the wrong shape,
        non-positive strides, an unknown padding, or a kernel larger than a
        ``"valid"`` input.
    """
    batch, batched = _as_batch(x, "x")
    kernel = np.asarray(w)
    if kernel.ndim != 4 or 0 in kernel.shape:
        raise ValueError(f"w: expected a non-empty shape (kh, kw, C, F), got {kernel.shape}")
    if kernel.shape[2] != batch.shape[-1]:
        raise ValueError(
            f"w: kernel has {kernel.shape[2]} input channels but x has {batch.shape[-1]}"
        )
    strides = _pair(stride, "stride")
    view = _windows(batch, kernel.shape[:2], strides, _check_padding(padding), 0.0, "w")
    # view (N, Ho, Wo, C, kh, kw) as (N, Ho, Wo, kh, kw, C): the im2col copy tensordot makes
    # then moves whole pixels (C contiguous values), about twice as fast as copying taps.
    out = np.tensordot(view.transpose(0, 1, 2, 4, 5, 3), kernel, axes=3)
    if b is not None:
        bias = np.asarray(b)
        if bias.shape != (kernel.shape[3],):
            raise ValueError(f"b: expected shape ({kernel.shape[3]},), got {bias.shape}")
        out = out + bias
    return out if batched else out[0]


@overload
def relu(x: NDArray[_Scalar]) -> NDArray[_Scalar]: ...
@overload
def relu(x: ArrayLike) -> NDArray[np.generic]: ...
def relu(x: ArrayLike) -> NDArray[np.generic]:
    """Rectified linear unit, ``max(x, 0)`` element-wise; any shape, dtype kept."""
    array = np.asarray(x)
    result: NDArray[np.generic] = np.maximum(array, np.zeros((), dtype=array.dtype))
    return result


def _pool_windows(
    x: ArrayLike,
    pool_size: int | tuple[int, int],
    stride: int | tuple[int, int] | None,
    padding: Padding,
    fill: float,
) -> tuple[NDArray[np.floating], bool, tuple[int, int], tuple[int, int], int, int]:
    batch, batched = _as_batch(x, "x")
    window = _pair(pool_size, "pool_size")
    strides = window if stride is None else _pair(stride, "stride")
    padding = _check_padding(padding)
    view = _windows(batch, window, strides, padding, fill, "pool_size")
    return view, batched, window, strides, batch.shape[1], batch.shape[2]


def max_pool2d(
    x: ArrayLike,
    pool_size: int | tuple[int, int] = 2,
    *,
    stride: int | tuple[int, int] | None = None,
    padding: Padding = "valid",
) -> NDArray[np.floating]:
    """Max pooling per channel, as ``keras.layers.MaxPool2D``.

    Parameters
    ----------
    x : array_like, shape (H, W, C) or (N, H, W, C)
        Input map(s).
    pool_size : int or (int, int)
        Window ``(ph, pw)``.
    stride : int or (int, int), optional
        Step; ``None`` means ``pool_size`` (non-overlapping windows).
    padding : {"valid", "same"}
        ``"same"`` pads with ``-inf``, so padding never wins the max.

    Returns
    -------
    ndarray, shape (Ho, Wo, C) or (N, Ho, Wo, C)
        The maximum of each window; the batch axis is kept only if ``x`` had one.
    """
    view, batched, *_ = _pool_windows(x, pool_size, stride, padding, -np.inf)
    out = view.max(axis=(-2, -1))
    result: NDArray[np.floating] = out if batched else out[0]
    return result


def avg_pool2d(
    x: ArrayLike,
    pool_size: int | tuple[int, int] = 2,
    *,
    stride: int | tuple[int, int] | None = None,
    padding: Padding = "valid",
) -> NDArray[np.floating]:
    """Average pooling per channel, as ``keras.layers.AveragePooling2D``.

    Parameters
    ----------
    x, pool_size, stride
        As for :func:`max_pool2d`.
    padding : {"valid", "same"}
        With ``"same"``, padded cells are left out of the mean (TensorFlow's rule):
        a corner window averages only the input cells it covers.

    Returns
    -------
    ndarray, shape (Ho, Wo, C) or (N, Ho, Wo, C)
        The mean of each window; the batch axis is kept only if ``x`` had one.
    """
    view, batched, window, strides, height, width = _pool_windows(
        x, pool_size, stride, padding, 0.0
    )
    out = view.sum(axis=(-2, -1))
    if padding == "same":
        rows = _covered(height, window[0], strides[0])
        cols = _covered(width, window[1], strides[1])
        out = out / np.multiply.outer(rows, cols)[np.newaxis, :, :, np.newaxis]
    else:
        out = out / (window[0] * window[1])
    result: NDArray[np.floating] = out if batched else out[0]
    return result


def _covered(n: int, k: int, stride: int) -> NDArray[np.float64]:
    """How many real (unpadded) cells each 'same' window covers along one axis."""
    before, after = _pads(n, k, stride, "same")
    mask = np.pad(np.ones(n), (before, after))
    result: NDArray[np.float64] = sliding_window_view(mask, k)[::stride].sum(axis=-1)
    return result


def global_avg_pool2d(x: ArrayLike) -> NDArray[np.floating]:
    """Global average pooling: the mean of each whole map.

    Parameters
    ----------
    x : array_like, shape (H, W, C) or (N, H, W, C)

    Returns
    -------
    ndarray, shape (C,) or (N, C)
        One value per channel (per image).
    """
    batch, batched = _as_batch(x, "x")
    out = batch.mean(axis=(1, 2))
    result: NDArray[np.floating] = out if batched else out[0]
    return result
