"""Tiny CIFAR-shaped datasets for tests: arrays, the same as an image-folder tree, a PNG bomb."""

from __future__ import annotations

import struct
import zlib
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


def image_tree(folder: Path) -> Path:
    """:func:`write_image_tree` at ``folder/images`` (200 + 50 PNGs); that folder."""
    root = folder / "images"
    write_image_tree(root)
    return root


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width``×``height`` RGB pixels and holds one compressed row."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * (1 + 3 * width))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
