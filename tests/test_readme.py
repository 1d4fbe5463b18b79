"""README promises what CI runs: the same install and test commands, the same constraints."""

from __future__ import annotations

import re

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
