"""Regenerate the committed dataset excerpt ``results/dataset/`` from a local CIFAR-10 copy.

Usage (from anywhere)::

    python scripts/refresh_excerpt.py --source PATH

``--source`` defaults to ``$CNNNOTES_CIFAR10``; a relative path is relative to the
repository root. A thin wrapper over ``cnnnotes data excerpt``: the excerpt is the
first 100 training images in the loader's order plus ``info.json`` (counts,
fingerprint, source), and the test images the site runs the trained networks on
(the first 5 of each class and the baseline's most confident mistakes and correct
answers). A source whose dataset fingerprint differs from the committed runs' is
refused.
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
        default=os.environ.get("CNNNOTES_CIFAR10"),
        required=not os.environ.get("CNNNOTES_CIFAR10"),
        help="CIFAR-10 source, relative to the repository root (default: $CNNNOTES_CIFAR10)",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from cnnnotes.cli import main as cli_main

    os.chdir(ROOT)  # relative sources and the output folder are relative to the repository root
    return cli_main(["data", "excerpt", "--source", args.source, "--out", "results/dataset"])


if __name__ == "__main__":
    sys.exit(main())
