"""README promises what CI runs: the same install and test commands, the same constraints."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT


def _commands(text: str) -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", text, re.S)
    return [
        line.strip() for b in blocks for line in b.splitlines() if line and not line.startswith("#")
    ]


def test_readme_has_exactly_two_setup_commands_that_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    build, test = _commands(section)
    assert "mkdocs build" in build and "pip install -c constraints.txt -e ." in build
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for part in test.split(" && "):
        assert part in ci, f"README's test step {part!r} is not what .ci/run runs"


def test_constraints_pin_the_site_stack() -> None:
    pins = dict(
        line.split("==", 1)
        for line in (ROOT / "constraints.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    for name in ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "mkdocs-jupyter", "click"):
        assert name in pins, name
    assert pins["mkdocs"].startswith("1.")
    assert tuple(int(x) for x in pins["click"].split(".")[:2]) >= (8, 4)  # mkdocs #4032


def test_pages_workflow_builds_from_committed_results() -> None:
    workflow = (ROOT / ".github" / "workflows" / "pages.yml").read_text()
    assert "mkdocs build --strict" in workflow and "constraints.txt" in workflow
    assert "[train]" not in workflow and "[dev]" not in workflow  # no TensorFlow to publish


def test_readme_and_the_reproduce_pages_give_the_urls_mkdocs_serve_prints() -> None:
    from mkdocs.config import load_config
    from mkdocs.livereload import _serve_url  # what `mkdocs serve` prints and mounts

    config = load_config(str(ROOT / "mkdocs.yml"))
    host, port = config.dev_addr
    korean = _serve_url(host, port, urlsplit(config.site_url or "/").path)
    assert korean == "http://127.0.0.1:8000/"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"{korean} (Korean)" in readme and f"{korean}en/ (English)" in readme
    assert "Korean at `/`, English at `/en/`" in readme
    for page in ("reproduce.md", "reproduce.en.md"):
        text = (ROOT / "docs" / page).read_text(encoding="utf-8")
        assert "mkdocs serve    # " in text and f"{korean} " in text and "/en/" in text, page


def test_readme_says_what_the_browser_tests_check() -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    browser = (ROOT / "tests" / "site" / "test_browser.py").read_text(encoding="utf-8")
    checks = {
        "every image on every page loads": "test_every_image_on_every_page_loads",
        "no request leaves the local server": "test_no_request_leaves_localhost",
        "the language switcher lands on the same page": (
            "test_language_switcher_goes_to_the_same_page"
        ),
        "search finds Korean and English words": "test_search_finds_pages",
        "figures open larger on click": "test_figures_open_larger_on_click_with_their_caption",
    }
    for claim, test in checks.items():
        assert claim in readme and f"def {test}(" in browser, claim
    assert "Only Chromium is looked for" in readme
    conftest = (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
    assert "fc-list" not in conftest and "fonts-noto" not in conftest


@pytest.mark.slow
def test_readme_cluster_commands_train_on_a_fresh_local_head(tmp_path) -> None:
    pytest.importorskip("ray")
    pytest.importorskip("tensorflow")
    from fakedata import write_image_tree

    from cnnnotes.experiments.runs.folder import load_run
    from cnnnotes.experiments.training.executors import default_threads

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Train on a cluster", 1)[1].split("\n## ", 1)[0]
    start, train, stop = _commands(section)
    assert "ray start --head" in start and "--address 127.0.0.1:" in train and stop == "ray stop"
    for flag in ("--include-dashboard=false", "--disable-usage-stats"):
        assert flag in start
    write_image_tree(tmp_path / "data")
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
        "PYTHONPATH": str(ROOT),
        "CNNNOTES_CIFAR10": str(tmp_path / "data"),
        "CNNNOTES_CACHE_DIR": str(tmp_path / "cache"),
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }

    def run(command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, text=True,
                              capture_output=True, timeout=240)  # fmt: skip

    try:
        started = run(start)
        assert started.returncode == 0, started.stderr[-3000:]
        assert "Local node IP: 127.0.0.1" in started.stdout + started.stderr
        trained = run(train)
    finally:
        stopped = run(stop)
    assert trained.returncode == 0, trained.stderr[-3000:] + trained.stdout[-3000:]
    assert stopped.returncode == 0, stopped.stderr[-3000:]
    threads = load_run(tmp_path / "results", "quick", "baseline").provenance.threads
    n = default_threads()
    assert threads == {"intra_op": n, "inter_op": n, "OMP_NUM_THREADS": str(n)}
