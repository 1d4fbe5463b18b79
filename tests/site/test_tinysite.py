"""The miniature site end to end: it renders only its own assets, and says so in JSON.

``tests/site/tinysite`` holds two pages per language (a page with a figure and a
fragment, and a notebook), one figure module (``tinyfigs.py``, named in its
``mkdocs.yml``) and no results: the ``tiny`` fixture publishes fake runs. The tests
read the build's manifest (:meth:`conftest.Build.report`), not its log.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import mkdocs_build

pytestmark = pytest.mark.slow

TINY_ASSETS = ["tiny-runs[en]", "tiny-runs[ko]", "tiny-val[en]", "tiny-val[ko]"]


def test_the_tiny_site_renders_only_what_it_shows_and_a_title_edit_only_what_shows_it(
    tiny: Path,
) -> None:
    shutil.rmtree(tiny / ".cache", ignore_errors=True)
    build = mkdocs_build(tiny)
    report = build.report()
    assert sorted(report.rendered) == TINY_ASSETS and report.reused == 0
    assert report.skipped == {} and report.waiting == {}
    assert sorted(f.site_path for f in report.files) == ["figures/tiny-val.png"] * 2
    ko = (build.site / "index.html").read_text(encoding="utf-8")
    en = (build.site / "en" / "index.html").read_text(encoding="utf-8")
    assert "figures/tiny-val.png" in ko and "시드 1개" in ko
    assert "figures/tiny-val.png" in en and "1 seed(s)" in en
    assert (build.site / "en" / "figures" / "tiny-val.png").is_file()

    words = tiny / "cnnnotes" / "i18n" / "en.toml"  # the catalogue of the copy
    source = words.read_text(encoding="utf-8")
    edited = source.replace('title = "Baseline"\n', 'title = "Baseline model"\n', 1)
    assert edited != source
    words.write_text(edited, encoding="utf-8")
    try:
        again = mkdocs_build(tiny).report()
    finally:
        words.write_text(source, encoding="utf-8")
    assert again.rendered == ["tiny-val[en]"] and again.reused == len(TINY_ASSETS) - 1
