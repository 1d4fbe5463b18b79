"""Time ``cnnnotes.ops.conv2d`` against a loop version in the notes' style and Keras ``Conv2D``.

Prints a table; it is a benchmark, not a test. Needs the ``train`` extra (TensorFlow)::

    python scripts/bench_ops.py [--repeats 5]

Every timing is the median of ``--repeats`` runs after one warm-up run. The loop
version visits every output pixel and filter in Python, as the notes' ``featuring``
does; where it would take minutes, it is timed on a slice of the work (a few images
or output rows) and scaled up linearly, and the table says so.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from cnnnotes import ops

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@dataclass(frozen=True)
class Setting:
    """One benchmark: input shape, filter count, padding, and how much the loop version runs."""

    label: str
    shape: tuple[int, int, int, int]  # (N, H, W, C)
    filters: int
    padding: ops.Padding
    loop_images: int  # images the loop version runs (then scaled to N)
    loop_rows: int | None = None  # output rows the loop version runs (then scaled), None = all


SETTINGS = (
    Setting("(a) 1 x 32x32x3, 32 filters 3x3, valid", (1, 32, 32, 3), 32, "valid", 1),
    Setting("(b) 256 x 32x32x3, 32 filters 3x3, valid", (256, 32, 32, 3), 32, "valid", 4),
    Setting("(c) 1 x 224x224x3, 64 filters 3x3, same", (1, 224, 224, 3), 64, "same", 1, 8),
)


def loop_conv2d(x: np.ndarray, w: np.ndarray, rows: int | None = None) -> np.ndarray:
    """Convolution written the notes' way: Python loops over images, pixels and filters.

    ``x`` is ``(N, H, W, C)`` already padded; ``w`` is ``(kh, kw, C, F)``; ``rows``
    limits the output rows computed (the rest stay zero).
    """
    kh, kw, _, n_filters = w.shape
    n, height, width, _ = x.shape
    out = np.zeros((n, height - kh + 1, width - kw + 1, n_filters), dtype=x.dtype)
    for b in range(n):
        for i in range(out.shape[1] if rows is None else rows):
            for j in range(out.shape[2]):
                a = x[b, i : i + kh, j : j + kw, :]
                for f in range(n_filters):
                    out[b, i, j, f] = np.sum(a * w[:, :, :, f])
    return out


def _median_seconds(func: Callable[[], object], repeats: int) -> float:
    func()  # warm-up: first-call costs (allocation, graph tracing) are not measured
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _same_pad(x: np.ndarray, k: int) -> np.ndarray:
    """Pad like TensorFlow's 'same' at stride 1 (the loop version has no padding of its own)."""
    before, after = (k - 1) // 2, k - 1 - (k - 1) // 2
    return np.pad(x, ((0, 0), (before, after), (before, after), (0, 0)))


def run(setting: Setting, repeats: int) -> dict[str, float | str]:
    """Time the three implementations on one setting; returns seconds and a note."""
    import keras  # TensorFlow only here: the package itself never imports it

    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, setting.shape).astype(np.float32)
    w = rng.uniform(-1, 1, (3, 3, setting.shape[-1], setting.filters)).astype(np.float32)
    b = np.zeros(setting.filters, dtype=np.float32)

    ours = _median_seconds(lambda: ops.conv2d(x, w, b, padding=setting.padding), repeats)

    layer = keras.layers.Conv2D(setting.filters, 3, padding=setting.padding)
    layer.build(x.shape)
    layer.set_weights([w, b])
    tensor = keras.ops.convert_to_tensor(x)
    theirs = _median_seconds(lambda: np.asarray(layer(tensor)), repeats)
    expected = np.asarray(layer(tensor))
    assert np.allclose(ops.conv2d(x, w, b, padding=setting.padding), expected, atol=1e-4)

    padded = _same_pad(x, 3) if setting.padding == "same" else x
    subset = padded[: setting.loop_images]
    out_rows = padded.shape[1] - 2
    rows = setting.loop_rows
    loops = _median_seconds(lambda: loop_conv2d(subset, w, rows), repeats)
    scale = (setting.shape[0] / setting.loop_images) * (out_rows / (rows or out_rows))
    check = loop_conv2d(subset[:1], w, rows or out_rows)
    assert np.allclose(check[0, : rows or out_rows], expected[0, : rows or out_rows], atol=1e-4)
    note = "measured" if scale == 1 else f"scaled x{scale:g} from {_slice(setting, out_rows)}"
    return {"ours": ours, "keras": theirs, "loops": loops * scale, "note": note}


def _slice(setting: Setting, out_rows: int) -> str:
    images = f"{setting.loop_images}/{setting.shape[0]} images"
    if setting.loop_rows is None:
        return images
    return f"{images}, {setting.loop_rows}/{out_rows} rows"


def main(argv: list[str] | None = None) -> int:
    """Run every setting and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per number (>= 5)")
    args = parser.parse_args(argv)
    repeats = max(args.repeats, 5)
    header = (
        f"{'setting':<44}{'ops.conv2d':>12}{'loops':>12}{'Keras':>12}"
        f"{'loops/ops':>11}{'ops/Keras':>11}  loops timing"
    )
    print(f"conv2d, float32, median of {repeats} runs after one warm-up (seconds)")
    print(header)
    print("-" * len(header))
    for setting in SETTINGS:
        r = run(setting, repeats)
        ours, loops, theirs = float(r["ours"]), float(r["loops"]), float(r["keras"])
        print(
            f"{setting.label:<44}{ours:>12.5f}{loops:>12.3f}{theirs:>12.5f}"
            f"{loops / ours:>10.0f}x{ours / theirs:>10.2f}x  {r['note']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
