"""Tiny CIFAR-shaped datasets for tests: arrays, and the same as an image-folder tree."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cnnnotes.data.labels import CLASS_NAMES


def tiny_arrays(seed: int = 42) -> tuple[np.ndarray, ...]:
    """200 training and 50 test images whose brightness tells the class."""
    rng = np.random.default_rng(seed)
    y_train, y_test = np.arange(200) % 10, np.arange(50) % 10

    # Images whose mean brightness tells the class, so there is something to learn.
    def images(y: np.ndarray) -> np.ndarray:
        noise = rng.integers(0, 100, (len(y), 32, 32, 3))
        return (noise + 15 * y[:, None, None, None]).astype(np.uint8)

    return images(y_train), y_train, images(y_test), y_test


def write_image_tree(root: Path) -> None:
    """Write :func:`tiny_arrays` as ``root/<split>/<class>/NNNN.png``."""
    from PIL import Image

    x_train, y_train, x_test, y_test = tiny_arrays()
    for split, xs, ys in (("train", x_train, y_train), ("test", x_test, y_test)):
        for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
            folder = root / split / CLASS_NAMES[y]
            folder.mkdir(parents=True, exist_ok=True)
            Image.fromarray(x).save(folder / f"{i:04d}.png")
