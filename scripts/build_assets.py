"""Render every out-of-date figure, generated fragment and notebook of the site.

The same entry point the MkDocs hook calls (``cnnnotes.site.build.build_site_assets``);
useful to refresh figures without building the site:

    python scripts/build_assets.py            # project root = this repository
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    """Parse this script's options and run ``cnnnotes build``; return its exit status."""
    parser = argparse.ArgumentParser(
        prog=Path(__file__).name,
        description=__doc__.split("\n\n")[0] + " Same as `cnnnotes build`.",
    )
    parser.add_argument("--root", default=str(ROOT), help="project root (default: this repository)")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from cnnnotes.cli import main as cli_main

    return cli_main([*(["--debug"] if args.debug else []), "build", "--root", args.root])


if __name__ == "__main__":
    sys.exit(main())
