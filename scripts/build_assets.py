"""Render every out-of-date figure, generated fragment and notebook of the site.

The same entry point the MkDocs hook calls (``cnnnotes.build.build_site_assets``);
useful to refresh figures without building the site:

    python scripts/build_assets.py            # project root = this repository
"""

from __future__ import annotations

import sys
from pathlib import Path

from cnnnotes.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", "--root", str(Path(__file__).resolve().parents[1]), *sys.argv[1:]]))
