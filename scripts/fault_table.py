"""Run the fault suite and print its table: fault | message | exit (and whether it held).

Each fault of ``tests/faults.py`` gets a fresh temporary folder with its tiny
fixture (fake runs, a tiny image tree, a copy of the miniature site; never the
real dataset), and its command runs in a child process:

    python scripts/fault_table.py              # every fault, a Markdown table
    python scripts/fault_table.py --only 8 12  # the faults with these numbers

Needs the ``dev`` extra (the fixtures come from the tests). Exits 1 when a fault
did not hold (another exit status, more than one line, or a traceback).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    """Run the faults, print the table, return 0 when every fault held."""
    parser = argparse.ArgumentParser(prog=Path(__file__).name, description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", metavar="N", help="run the faults with these numbers")
    args = parser.parse_args(argv)
    sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]
    from faults import FAULTS, run

    chosen = [f for f in FAULTS if not args.only or f.number in args.only]
    print("| # | fault | message | exit | s | held |")
    print("|---|---|---|---|---|---|")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="cnnnotes-faults-") as tmp:
        for i, fault in enumerate(chosen):
            outcome = run(fault, Path(tmp) / str(i))
            held = outcome.exit == fault.exit and outcome.one_line
            held = held and bool(re.search(fault.expect, outcome.message) if fault.expect else True)
            failed += not held
            message = (outcome.message or "(none: handled)").replace("|", "\\|")
            print(
                f"| {fault.number} | {fault.name} | {message} | {outcome.exit} "
                f"| {outcome.seconds:.1f} | {'yes' if held else 'NO'} |",
                flush=True,
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
