"""Tests of site.figures.filters_compared: the mosaic of learned filters, sorted by similarity."""

from __future__ import annotations

import numpy as np

from cnnnotes.site.figures.filters_compared import tiles


def test_mosaic_has_one_tile_per_filter_each_scaled_to_its_own_range() -> None:
    rng = np.random.default_rng(0)
    kernels = rng.normal(size=(3, 3, 3, 10)).astype(np.float32)
    mosaic = tiles(kernels, columns=4)
    assert mosaic.shape == (3 * 4 - 1, 4 * 4 - 1, 3)  # 3 rows of 4 tiles, 1 px apart
    assert mosaic.min() == 0.0 and mosaic.max() == 1.0
    first = mosaic[:3, :3]
    assert first.min() == 0.0 and first.max() == 1.0


def test_alike_filters_end_up_side_by_side() -> None:
    rng = np.random.default_rng(1)
    base = rng.normal(size=(3, 3, 3, 6))
    twin = base[..., 2] * -1.5  # the same direction (a negative counts as alike)
    kernels = np.concatenate([base, twin[..., None]], axis=-1)
    mosaic = tiles(kernels, columns=7)
    cells = [mosaic[:3, 4 * i : 4 * i + 3] for i in range(7)]
    a = (base[..., 2] - base[..., 2].min()) / np.ptp(base[..., 2])
    b = (twin - twin.min()) / np.ptp(twin)
    where = [next(i for i, c in enumerate(cells) if np.allclose(c, x)) for x in (a, b)]
    assert abs(where[0] - where[1]) == 1
