"""Regenerate the committed dataset excerpt ``results/dataset/`` from a local CIFAR-10 copy.

Usage (from anywhere)::

    python scripts/refresh_excerpt.py --source PATH

``--source`` defaults to ``$CNNNOTES_CIFAR10``; with neither, the script stops with a
one-line error (it never guesses a folder). A thin wrapper over ``cnnnotes data
excerpt``: the excerpt is the first 100 training images in the loader's order plus
``info.json`` (counts, fingerprint, source), and the test images the site runs the
trained networks on (the first 5 of each class and the baseline's most confident
mistakes and correct answers). A source whose dataset fingerprint differs from the
committed runs' is refused.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    """Write ``results/dataset/`` and return the CLI's exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source",
        default=os.environ.get("CNNNOTES_CIFAR10") or None,
        help="CIFAR-10 source (archive, batches folder, image folder or its .tar.gz; "
        "a relative path is taken from the current folder); default: $CNNNOTES_CIFAR10",
    )
    args = parser.parse_args(argv)
    if not args.source:
        print(
            f"{parser.prog}: error: no CIFAR-10 source: pass --source PATH or set CNNNOTES_CIFAR10",
            file=sys.stderr,
        )
        return 2
    source = args.source if args.source == "keras" else os.path.abspath(args.source)
    sys.path.insert(0, str(ROOT))
    from cnnnotes.cli import main as cli_main

    return cli_main(["data", "excerpt", "--source", source, "--out", str(ROOT / "results/dataset")])


if __name__ == "__main__":
    sys.exit(main())
