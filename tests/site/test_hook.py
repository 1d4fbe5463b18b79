"""The built site: strict, bilingual, complete, offline, and cheap to rebuild."""

from __future__ import annotations

import ast
import html.parser
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import (
    TINY_PARTS,
    TINYSITE,
    Build,
    copy_project,
    mkdocs_build,
    output_times,
    read_only,
    rewritten,
)
from fakeruns import publish_all

from cnnnotes.experiments.runs.cases import NOTES

pytestmark = pytest.mark.slow

LANG_DIRS = {"en"}
NOT_PAGES = {"assets", "search", "en", "stylesheets", "figures", "downloads"}


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def tags(page: Path) -> list[tuple[str, dict[str, str]]]:
    parser = _Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tags


def pages(site: Path, lang: str) -> list[Path]:
    base = site if lang == "ko" else site / lang
    found = []
    for page in sorted(base.rglob("index.html")):
        rel = page.relative_to(base)
        if rel.parts and rel.parts[0] in NOT_PAGES - ({"en"} if lang == "en" else set()):
            continue
        if lang == "ko" and rel.parts and rel.parts[0] in LANG_DIRS:
            continue
        found.append(rel)
    return found


def resolve(page: Path, url: str) -> Path:
    target = (page.parent / unquote(urlparse(url).path)).resolve()
    return target / "index.html" if url.endswith("/") or target.is_dir() else target


def test_every_asset_is_rendered_from_the_committed_results_without_tensorflow(
    built_site: Build,
) -> None:
    # mkdocs_build makes TensorFlow and Keras unimportable; nothing may be skipped either.
    assert "skipped" not in built_site.log, built_site.log[-3000:]
    assert len(built_site.report().rendered) > 50


def test_both_languages_have_the_same_pages(built_site: Build) -> None:
    ko, en = pages(built_site.site, "ko"), pages(built_site.site, "en")
    assert ko == en
    assert len(ko) >= 6


def test_both_languages_have_the_same_figures(built_site: Build) -> None:
    ko = sorted(p.name for p in (built_site.site / "figures").glob("*.png"))
    en = sorted(p.name for p in (built_site.site / "en" / "figures").glob("*.png"))
    assert ko == en and ko
    differ = [n for n in ko if (built_site.site / "figures" / n).read_bytes()
              == (built_site.site / "en" / "figures" / n).read_bytes()]  # fmt: skip
    assert len(differ) < len(ko), "English figures should carry English text"


def test_every_image_exists_and_has_alt_text(built_site: Build) -> None:
    checked = 0
    for page in built_site.site.rglob("*.html"):
        for tag, attrs in tags(page):
            if tag != "img" or attrs.get("src", "").startswith("data:"):
                continue
            assert resolve(page, attrs["src"]).is_file(), f"{page}: {attrs['src']}"
            assert attrs.get("alt", "").strip(), f"{page}: image without alt text {attrs['src']}"
            checked += 1
    assert checked >= 10


def test_every_page_links_to_the_same_page_in_the_other_language(built_site: Build) -> None:
    for rel in pages(built_site.site, "ko"):
        for lang, other in (("ko", "en"), ("en", "ko")):
            page = (built_site.site if lang == "ko" else built_site.site / "en") / rel
            links = [a["href"] for t, a in tags(page) if t == "a" and a.get("hreflang") == other]
            assert links, f"{page}: no link to the {other} version"
            expected = (built_site.site if other == "ko" else built_site.site / "en") / rel
            assert resolve(page, links[0]) == expected.resolve(), f"{page}: {links[0]}"


def test_no_page_loads_anything_from_another_host(built_site: Build) -> None:
    for page in built_site.site.rglob("*.html"):
        for tag, attrs in tags(page):
            url = attrs.get("src") if tag in ("script", "img", "iframe") else None
            if tag == "link":
                url = attrs.get("href")
            if url:
                assert not urlparse(url).netloc, f"{page}: {tag} loads {url}"
                assert url.strip(), f"{page}: {tag} with an empty address"


def test_formulas_are_rendered_to_mathml(built_site: Build) -> None:
    text = (built_site.site / "concepts" / "index.html").read_text(encoding="utf-8")
    assert "<math" in text and 'class="arithmatex"' not in text


def test_notebook_page_is_rendered_with_outputs(built_site: Build) -> None:
    for base in (built_site.site, built_site.site / "en"):
        text = (base / "hand-implementation" / "index.html").read_text(encoding="utf-8")
        assert "jupyter-wrapper" in text
        assert '"cell_type"' not in text  # not the raw notebook JSON
        # executed figure outputs, as files beside the page (not base64 in it)
        assert (
            'src="output-1.png"' in text
            and (base / "hand-implementation" / "output-1.png").is_file()
        )


def test_warm_build_renders_and_executes_nothing(built_site: Build) -> None:
    mkdocs_build(built_site.root)  # warm whatever earlier tests changed
    before = output_times(built_site.root)
    mkdocs_build(built_site.root)
    assert before and rewritten(before, output_times(built_site.root)) == []


def _figure_function(module: Path, name: str) -> ast.FunctionDef:
    for node in ast.parse(module.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef):
            for dec in node.decorator_list:
                if (
                    isinstance(dec, ast.Call)
                    and getattr(dec.func, "id", "") == "figure"
                    and dec.args
                    and getattr(dec.args[0], "value", None) == name
                ):
                    return node
    raise LookupError(name)


def _edit_function(module: Path, name: str, line: str) -> None:
    src = module.read_text(encoding="utf-8").splitlines(keepends=True)
    func = _figure_function(module, name)
    first = func.body[0]
    indent = " " * first.col_offset
    src.insert(first.lineno - 1, f"{indent}{line}\n")
    module.write_text("".join(src), encoding="utf-8")


def test_editing_a_comment_renders_nothing(built_site: Build) -> None:
    module = built_site.root / "cnnnotes" / "site" / "figures" / "concepts.py"
    _edit_function(module, "padding", "# a comment only")
    before = output_times(built_site.root)
    mkdocs_build(built_site.root)
    assert rewritten(before, output_times(built_site.root)) == []


def test_editing_one_figure_function_renders_exactly_that_figure(built_site: Build) -> None:
    module = built_site.root / "cnnnotes" / "site" / "figures" / "concepts.py"
    _edit_function(module, "padding", "_unused = 1")
    before = output_times(built_site.root)
    mkdocs_build(built_site.root)
    assert rewritten(before, output_times(built_site.root)) == ["padding[en]", "padding[ko]"]


# --- the miniature site: static-i18n + mkdocs-jupyter, and `mkdocs serve` ------------------------


def test_tiny_notebook_renders_executed_output_in_both_languages(tiny: Path) -> None:
    shutil.rmtree(tiny / ".cache", ignore_errors=True)
    build = mkdocs_build(tiny)
    ko = (build.site / "notebook" / "index.html").read_text(encoding="utf-8")
    en = (build.site / "en" / "notebook" / "index.html").read_text(encoding="utf-8")
    assert "실행된 출력: 6" in ko and "executed output: 6" in en
    assert '"cell_type"' not in ko + en
    assert not (build.site / "notebook.ipynb").exists()
    report = build.report()  # the rendering build's; the second language's reused it
    assert sorted(report.executed) == ["notebook.en.ipynb", "notebook.ipynb"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_does_not_rebuild_in_a_loop_and_reloads_on_edit(tiny: Path) -> None:
    port = _free_port()
    log = tiny / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=tiny, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(tiny)},
        )  # fmt: skip
        try:
            deadline = time.time() + 120
            while "Serving on" not in log.read_text() and time.time() < deadline:
                time.sleep(0.5)
            assert "Serving on" in log.read_text(), log.read_text()[-3000:]
            time.sleep(6)
            quiet = log.read_text()
            assert "Detected file changes" not in quiet, quiet[-3000:]
            page = tiny / "docs" / "index.md"
            page.write_text(page.read_text() + "\n추가된 문장.\n", encoding="utf-8")
            deadline = time.time() + 60
            while "Detected file changes" not in log.read_text() and time.time() < deadline:
                time.sleep(0.5)
            assert "Detected file changes" in log.read_text(), log.read_text()[-3000:]
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def test_a_warm_build_works_with_a_read_only_cache(built_site: Build, tmp_path: Path) -> None:
    prefix = read_only(built_site.root / ".cache")
    mkdocs_build(built_site.root)  # warm whatever earlier tests changed
    before = output_times(built_site.root)
    mkdocs_build(built_site.root, "-d", str(tmp_path / "site"), prefix=prefix)
    assert rewritten(before, output_times(built_site.root)) == []
    assert (tmp_path / "site" / "en" / "concepts" / "index.html").is_file()


def test_a_build_from_another_folder_with_f_finds_snippets_and_caches(
    built_site: Build, tmp_path: Path
) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(built_site.root / ".no-tensorflow"),
                                                        str(built_site.root)])}  # fmt: skip
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    cmd += ["-f", str(built_site.root / "mkdocs.yml"), "-d", str(tmp_path / "out")]
    proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    assert (tmp_path / "out" / "en" / "cases" / "index.html").is_file()
    assert not (tmp_path / ".cache").exists()  # caches stay beside mkdocs.yml


def test_a_cold_build_says_what_it_is_doing_and_skips_hidden_notebooks(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = tmp_path_factory.mktemp("tiny-hidden")
    copy_project(root, TINY_PARTS, src=TINYSITE)
    copy_project(root, ("hooks", "cnnnotes"))
    publish_all(root, NOTES)
    hidden = root / "docs" / ".hidden"
    hidden.mkdir()
    failing = json.loads((root / "docs" / "notebook.ipynb").read_text(encoding="utf-8"))
    failing["cells"] = [{"cell_type": "code", "metadata": {}, "execution_count": None,
                         "outputs": [], "source": "raise SystemExit('executed')"}]  # fmt: skip
    (hidden / "x.ipynb").write_text(json.dumps(failing), encoding="utf-8")
    build = mkdocs_build(root)
    assert sorted(build.report().executed) == ["notebook.en.ipynb", "notebook.ipynb"]
    assert not (root / ".cache" / "notebooks" / ".hidden").exists()
    for stage in (
        "cnnnotes: loading the figure code",
        "cnnnotes: checking ",
        "cnnnotes: executing 2 notebook(s) beside the figures",
    ):
        assert stage in build.log, stage
    warm = mkdocs_build(root)
    assert "cnnnotes: loading the figure code" not in warm.log  # a warm build stays quiet


def test_hook_takes_its_number_of_jobs_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mkdocs.exceptions import PluginError

    from cnnnotes.site import hook

    monkeypatch.delenv("CNNNOTES_JOBS", raising=False)
    assert hook._jobs() is None  # the default: one per core
    monkeypatch.setenv("CNNNOTES_JOBS", "3")
    assert hook._jobs() == 3
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("CNNNOTES_JOBS", bad)
        with pytest.raises(PluginError, match="CNNNOTES_JOBS"):
            hook._jobs()


def test_build_report_is_json_serialisable(built_site: Build) -> None:
    manifest = json.loads((built_site.root / ".cache" / "manifest.json").read_text())
    assert manifest["report"]["files"]


@pytest.mark.parametrize(("page", "most"), [("concepts", 8), ("cases", 13)])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_corrections_do_not_drown_the_lesson(built_site: Build, page: str, most: int, lang: str):
    # A box is any admonition or <details> in the article; typo fixes are inline markers.
    html = (built_site.site / ("" if lang == "ko" else "en") / page / "index.html").read_text(
        encoding="utf-8"
    )
    article = html[html.index("<article") : html.index("</article>")]
    # the tips that point a case's open question to its answer beyond the notes correct nothing
    boxes = len(re.findall(r'<div class="admonition (?!tip")', article)) + article.count("<details")
    assert 0 < boxes <= most
    assert 'class="fix-mark"' in article or lang == "en"


def test_404_page_speaks_both_languages_from_site_url_path(built_site: Build) -> None:
    # GitHub Pages serves one 404.html at any depth: every local link is absolute from
    # site_url's path, and the language menu goes to each home page.
    config = (built_site.root / "mkdocs.yml").read_text(encoding="utf-8")
    base = urlparse(re.search(r"^site_url: *(\S+)", config, re.M)[1]).path
    page = built_site.site / "404.html"
    html = page.read_text(encoding="utf-8")
    assert "페이지를 찾을 수 없습니다" in html and "Page not found" in html
    links = [a.get("href") or a.get("src") or "" for _t, a in tags(page)]
    local = [u for u in links if u and not u.startswith(("http", "#", "data:", "mailto:"))]
    assert local and all(u.startswith(base) for u in local), [
        u for u in local if not u.startswith(base)
    ]
    menu = {
        a["hreflang"]: a["href"] for t, a in tags(page) if "md-select__link" in a.get("class", "")
    }
    assert menu == {"ko": base, "en": f"{base}en/"}


def test_credits_name_every_script_the_pages_load(built_site: Build) -> None:
    credited = {"bundle": "Material for MkDocs", "glightbox": "GLightbox",
                "errata-filter": "errata-filter.js", "table-sort": "table-sort.js",
                "explorer": "explorer.js", "cnnnotes-data": "cnnnotes-data.js",
                "cnn-net": "cnn-net.js", "cnnnotes-ui": "cnnnotes-ui.js", "picture": "picture.js",
                "theme-fixes": "theme-fixes.js",
                "iframe-worker-shim": "iframe-worker"}  # fmt: skip
    for lang in ("ko", "en"):
        credits = built_site.site / ("" if lang == "ko" else "en") / "credits" / "index.html"
        text = credits.read_text(encoding="utf-8")
        assert "NanumGothic" in text and "Open Font License" in text and "CIFAR-10" in text
        scripts = {
            Path(urlparse(a["src"]).path).name.split(".")[0]
            for rel in pages(built_site.site, lang)
            for t, a in tags((built_site.site if lang == "ko" else built_site.site / "en") / rel)
            if t == "script" and a.get("src")
        }
        assert scripts and scripts <= set(credited), scripts - set(credited)
        for script in scripts:
            assert credited[script] in text, script


def test_data_scripts_exist_once_at_the_root_for_both_languages(built_site: Build) -> None:
    data = built_site.site / "data"
    assert (data / "test-images.js").is_file() and (data / "network-baseline.js").is_file()
    assert not (built_site.site / "en" / "data").exists()
    assert not list(built_site.site.rglob("explorer-*.json"))


_MATH = (
    '<p><span class="arithmatex">\\(O = \\frac{N - F}{S} + 1\\)</span></p>'
    '<div class="arithmatex">\\[a_{ij} &lt; b\\]</div>'
)


def test_formulas_become_mathml_and_a_later_build_reuses_them_without_the_converter(
    tmp_path, monkeypatch
):
    from cnnnotes.site.hook import math_to_mathml

    store = tmp_path / "mathml.json"
    first = math_to_mathml(_MATH, store)
    assert "arithmatex" not in first and first.count("<math") == 2
    assert 'display="block"' in first and "<mo>&#x0003C;</mo>" in first
    assert math_to_mathml(_MATH) == first  # the same without a store
    monkeypatch.setitem(sys.modules, "latex2mathml.converter", None)  # import fails now
    assert math_to_mathml(_MATH, store) == first
    stored = json.loads(store.read_text(encoding="utf-8"))
    stored["version"] = "0"  # written by another version of the converter: not used
    store.write_text(json.dumps(stored), encoding="utf-8")
    with pytest.raises(ImportError):
        math_to_mathml(_MATH, store)
