"""The original notes' numpy code, reproduced on purpose **with its bugs**.

These are not reference ops (those are in :mod:`cnnnotes.ops`). They compute what
the notes' ``MaxPooling`` and ``featuring`` compute, vectorized, so the page
"Hand implementation" can show each bug next to the correct result:

- :func:`notes_max_pool2d` pads odd sizes with zeros (ERRATA 21);
- :func:`notes_conv2d` broadcasts a 2-D filter over stacked maps (ERRATA 23).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike, NDArray

__all__ = ["notes_conv2d", "notes_max_pool2d"]


def notes_max_pool2d(m: ArrayLike) -> NDArray[np.float64]:
    """The notes' ``MaxPooling``, reproduced on purpose: **wrong for negative inputs**.

    The original pads an odd height or width with a row or column of *zeros*, then
    takes the max of each 2x2 block. A padded zero beats any negative value, so a
    3x3 map of -1 gives ``[[-1, 0], [0, 0]]`` (ERRATA 21), and odd sizes round up
    (13 -> 7) where Keras' 'valid' pooling rounds down (13 -> 6). Use
    :func:`cnnnotes.ops.max_pool2d` instead.

    Parameters
    ----------
    m : array_like, shape (H, W)
        One 2-D map, as in the notes.

    Returns
    -------
    ndarray, shape (ceil(H / 2), ceil(W / 2))
    """
    array = np.asarray(m, dtype=np.float64)
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(f"m: expected a non-empty 2-D map (H, W), got shape {array.shape}")
    height, width = array.shape
    padded = np.pad(array, ((0, height % 2), (0, width % 2)))  # zeros: the notes' bug
    blocks = padded.reshape(padded.shape[0] // 2, 2, padded.shape[1] // 2, 2)
    result: NDArray[np.float64] = blocks.max(axis=(1, 3))
    return result


def notes_conv2d(m: ArrayLike, f: ArrayLike) -> NDArray[np.float64]:
    """The notes' ``featuring``, reproduced on purpose, including on stacked maps.

    Each output cell is ``np.sum(m[i:i+3, j:j+3] * f)`` with a 3x3 filter ``f``.
    On a 2-D map that is a correct 'valid' convolution. On the stacked maps
    ``(H, W, 3)`` that the notes' ``join`` returns, the window has shape ``(3, 3, 3)``
    and numpy broadcasts ``f`` over its (width, channel) axes, not over
    (height, width): ``sum_{u, v, c} m[i+u, j+v, c] * f[v, c]``. No error is raised,
    and with the notes' all-ones filter the result happens to equal a true
    multi-channel convolution (ERRATA 23). Use :func:`cnnnotes.ops.conv2d` instead.

    Parameters
    ----------
    m : array_like, shape (H, W) or (H, W, 3)
        A map, or three stacked maps as the notes feed them back in.
    f : array_like, shape (3, 3)
        The notes' 2-D filter.

    Returns
    -------
    ndarray, shape (H - 2, W - 2)
    """
    array = np.asarray(m, dtype=np.float64)
    kernel = np.asarray(f, dtype=np.float64)
    if kernel.shape != (3, 3):
        raise ValueError(f"f: the notes' code assumes a 3x3 filter, got shape {kernel.shape}")
    if array.ndim not in (2, 3) or array.shape[0] < 3 or array.shape[1] < 3:
        raise ValueError(f"m: expected (H, W) or (H, W, C) with H, W >= 3, got {array.shape}")
    if array.ndim == 3 and array.shape[2] not in (1, 3):
        raise ValueError(
            f"m: numpy cannot broadcast a 3x3 filter over {array.shape[2]} channels "
            "(the notes' code would fail too)"
        )
    view = sliding_window_view(array, (3, 3), axis=(0, 1))  # (Ho, Wo, [C,] 3, 3)
    if array.ndim == 3:
        view = np.moveaxis(view, 2, -1)  # (Ho, Wo, 3, 3, C): the notes' window m[i:i+3, j:j+3]
        channels: NDArray[np.float64] = (view * kernel).sum(axis=(-3, -2, -1))
        return channels
    plain: NDArray[np.float64] = (view * kernel).sum(axis=(-2, -1))
    return plain
