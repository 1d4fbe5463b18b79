"""The package's import graph, every ``import`` counted (inside functions too), has no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "cnnnotes"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package modules ``name`` imports, anywhere in its body (not under TYPE_CHECKING)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if _type_checking_only(node):
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    # `import a.b.c` names a.b.c; the nearest package module counts
    edges = set()
    for target in found:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name:
            edges.add(target)
    return edges


def import_graph() -> dict[str, set[str]]:
    """Module → the package modules it imports."""
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return out


def test_the_graph_sees_lazy_imports_and_package_inits():
    graph = import_graph()
    assert (
        "cnnnotes.experiments.training.loop" in graph["cnnnotes.experiments.training.executors"]
    )  # in a function
    assert "cnnnotes.data.formats" in graph["cnnnotes.data"]  # a package importing its module


def test_the_package_has_no_import_cycle():
    assert _cycles(import_graph()) == []


def test_a_cycle_would_be_found():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


_BOTTOM = (
    "cnnnotes.errors",
    "cnnnotes.files",
    "cnnnotes.bounded",
    "cnnnotes.ops",
    "cnnnotes.codehash",
)


def test_imports_point_down_the_layers():
    """cli/hook → site build, experiments train → figures, store → results, cases, model →
    ops, files, errors: nothing imports the entry points, the library no site module, and
    the bottom helpers nothing above them."""
    graph = import_graph()
    for module, targets in graph.items():
        if module == "cnnnotes.__main__":  # `python -m cnnnotes`: the command itself
            continue
        assert "cnnnotes.cli" not in targets, module
        assert "cnnnotes.site.hook" not in targets, module
        if module.startswith(("cnnnotes.experiments", "cnnnotes.data", "cnnnotes.i18n")):
            assert not {t for t in targets if t.startswith("cnnnotes.site")}, module
        if module in _BOTTOM:
            assert targets <= {"cnnnotes.errors"}, module
    assert graph["cnnnotes.i18n"] == {"cnnnotes.errors"}  # the words: on their error only
    assert graph["cnnnotes.i18n.prose"] == {"cnnnotes.i18n"}
    folder = graph["cnnnotes.experiments.runs.folder"]
    assert {t for t in folder if t.startswith("cnnnotes.experiments")} == {
        "cnnnotes.experiments.runs.record",
        "cnnnotes.experiments.runs.runcheck",
    }
    for types in ("record", "runcheck"):
        found = graph[f"cnnnotes.experiments.runs.{types}"]
        assert not {t for t in found if t.startswith("cnnnotes.experiments")}, found
    # a build that reuses a stored run check loads the check's types and no array library
    assert graph["cnnnotes.experiments.runs.runcheck"] == set()


_RUNS, _TRAINING = "cnnnotes.experiments.runs", "cnnnotes.experiments.training"


def test_the_tensorflow_free_half_names_the_training_half_only_for_the_code_key():
    graph = import_graph()
    into_training = {
        module: {t for t in targets if t.startswith(_TRAINING)}
        for module, targets in graph.items()
        if module.startswith(_RUNS)
    }
    assert {m: t for m, t in into_training.items() if t} == {
        f"{_RUNS}.codekey": {f"{_TRAINING}.numerics"}
    }


def test_the_site_never_imports_the_training_half():
    graph = import_graph()
    for module, targets in graph.items():
        if module.startswith(("cnnnotes.site", "cnnnotes.data", "cnnnotes.i18n")):
            assert not {t for t in targets if t.startswith(_TRAINING)}, module
