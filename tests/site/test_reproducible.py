"""Two cold builds of the miniature site give the same bytes, every file of ``site/``.

The tiny notebook prints one line in two kernel messages (a flush, a pause, the
rest), as the kernel's timing sometimes cut a print of the real site's notebook;
the executed copy must hold it as one output, so the page and the search index
cannot change from build to build.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from conftest import mkdocs_build

from cnnnotes.site.build import site_cache_dir

pytestmark = pytest.mark.slow


def _tree(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_two_cold_builds_give_byte_identical_sites(tiny: Path, monkeypatch) -> None:
    # The sitemap carries the day of the build: fix it, as reproducible builds do.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    trees = []
    for _ in range(2):
        shutil.rmtree(tiny / ".cache", ignore_errors=True)
        shutil.rmtree(tiny / "site", ignore_errors=True)
        trees.append(_tree(mkdocs_build(tiny).site))
    assert trees[0] == trees[1]
    assert any(name.endswith(".html") for name in trees[0])

    executed = site_cache_dir(tiny) / "notebooks" / "notebook.en.ipynb"
    outputs = [o for c in json.loads(executed.read_text())["cells"] for o in c.get("outputs", [])]
    stdout = [o for o in outputs if o.get("name") == "stdout"]
    assert len(stdout) == 1
    assert "two messages, one output: True\n" in "".join(stdout[0]["text"])
