"""Every fault of ``tests/faults.py`` gives one line and its exit status, or is handled correctly.

Run them all and print the table with ``python scripts/fault_table.py`` (or
``pytest -m faults``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from faults import FAULTS, Fault, by_id, run

pytestmark = [pytest.mark.faults, pytest.mark.slow]


@pytest.mark.parametrize("fault", FAULTS, ids=by_id(FAULTS))
def test_a_fault_gives_one_line_naming_it_or_is_handled(fault: Fault, tmp_path: Path) -> None:
    outcome = run(fault, tmp_path)
    assert outcome.exit == fault.exit, outcome
    assert outcome.one_line, outcome
    if fault.expect:
        assert re.search(fault.expect, outcome.message), outcome
    else:
        assert outcome.message == "", outcome
