"""cnnnotes.site.browser without a browser: the pages it lists, the server, the byte count."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

from cnnnotes.site.browser import find_chromium, first_load_bytes, page_paths, serve


def test_page_paths_lists_every_page_folder_but_the_themes(tmp_path: Path) -> None:
    for folder in ("", "en", "concepts", "en/concepts", "assets/x", "search"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "index.html").write_text("<p>page</p>")
    (tmp_path / "404.html").write_text("<p>not a folder's page</p>")
    assert page_paths(tmp_path) == ["", "concepts/", "en/", "en/concepts/"]


def test_serve_serves_the_folder_while_the_block_runs(tmp_path: Path) -> None:
    (tmp_path / "hello.txt").write_text("hello")
    with serve(tmp_path) as url:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        with urllib.request.urlopen(url + "hello.txt", timeout=10) as response:
            assert response.read() == b"hello"
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + "hello.txt", timeout=10)


def test_find_chromium_is_none_when_path_holds_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_chromium() is None


class _Page:
    def __init__(self, loaded: list[tuple[str, int]]) -> None:
        self.loaded = loaded

    def evaluate(self, script: str) -> list[tuple[str, int]]:
        assert "getEntriesByType" in script
        return self.loaded


def test_first_load_bytes_leaves_out_the_theme_folders_only_at_the_sites_root() -> None:
    root = "http://127.0.0.1:8000/"
    page = _Page([
        (root, 100), (root + "assets/bundle.js", 1000), (root + "search/index.json", 500),
        (root + "figures/assets/a.png", 10), (root + "data/net.js", 7),
    ])  # fmt: skip
    assert first_load_bytes(page, root) == 117  # type: ignore[arg-type]
    assert first_load_bytes(page, root, excluded=("assets",)) == 617  # type: ignore[arg-type]
