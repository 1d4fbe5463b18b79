"""``python -m cnnnotes`` runs the CLI."""

import sys

from cnnnotes.cli import main

sys.exit(main())
