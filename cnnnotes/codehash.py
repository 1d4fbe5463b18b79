"""Hashes of code that ignore comments, docstrings and formatting.

Both cache tiers key their entries on the code that produced them. The code is
normalised through :mod:`ast` first, so that editing a comment or a docstring
never invalidates hours of training or a figure.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib
import inspect
import sys
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import ModuleType

__all__ = [
    "closure_key",
    "digest",
    "function_code_key",
    "imported_modules",
    "module_code_key",
    "normalized_source",
    "source_digests",
    "tree_digests",
]

_PACKAGE = "cnnnotes"


def digest(*parts: str | bytes) -> str:
    """Return the sha256 hex digest of ``parts``, each length-prefixed."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _strip_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                node.body = body[1:] or [ast.Pass()]
    return tree


def normalized_source(source: str) -> str:
    """Return ``source`` re-printed from its AST, without comments and docstrings."""
    return ast.unparse(_strip_docstrings(ast.parse(source)))


@functools.cache
def _module_tree(name: str) -> ast.Module:
    module = importlib.import_module(name)
    tree = ast.parse(inspect.getsource(module))
    _strip_docstrings(tree)
    return tree


def _traced_data(tree: ast.Module) -> set[str]:
    """The names a module lists in ``__traced_data__`` (see :mod:`cnnnotes.reads`)."""
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__traced_data__" for t in node.targets)
            and isinstance(node.value, ast.Tuple | ast.List)
        ):
            return {
                e.value
                for e in node.value.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            }
    return set()


def _without_traced_data(tree: ast.Module) -> ast.Module:
    """``tree`` less the top-level assignments of its traced data (their reads are keyed)."""
    names = _traced_data(tree)
    if not names:
        return tree

    def data(node: ast.stmt) -> bool:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        return bool(targets) and all(isinstance(t, ast.Name) and t.id in names for t in targets)

    return ast.Module(body=[n for n in tree.body if not data(n)], type_ignores=[])


def _imports_in_tree(tree: ast.AST, package: str) -> set[str]:
    """Modules of ``package``'s top-level package imported anywhere in ``tree``."""
    top = package.split(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == top)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            if base.split(".")[0] != top:
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if _is_module(sub) else base)
    return found


def _cnnnotes_imports(name: str) -> set[str]:
    """Modules of the same top-level package that module ``name`` imports directly."""
    package = name if _is_package(name) else name.rpartition(".")[0]
    return _imports_in_tree(_module_tree(name), package) - {name}


def imported_modules(source: str) -> list[str]:
    """The cnnnotes modules that ``source`` (e.g. a notebook's code) uses, transitively."""
    return _closure(_imports_in_tree(ast.parse(source), _PACKAGE))


def _is_module(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


def _is_package(name: str) -> bool:
    return hasattr(sys.modules.get(name) or importlib.import_module(name), "__path__")


def _closure(roots: Iterable[str], exclude: frozenset[str] = frozenset()) -> list[str]:
    seen: set[str] = set()
    todo = [r for r in roots if r not in exclude]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(m for m in _cnnnotes_imports(name) if m not in seen and m not in exclude)
    return sorted(seen)


def module_code_key(
    modules: Iterable[str | ModuleType], *, follow_imports: bool = False, traced: bool = False
) -> str:
    """Hash the normalised source of ``modules`` (optionally with the modules they import).

    Parameters
    ----------
    modules
        Module objects or dotted names.
    follow_imports
        Also hash every cnnnotes module these import, transitively.
    traced
        Leave out each module's ``__traced_data__``: the caller keys the values read
        from it instead (:mod:`cnnnotes.reads`).
    """
    names = [m.__name__ if isinstance(m, ModuleType) else m for m in modules]
    if follow_imports:
        names = _closure(names)
    strip = _without_traced_data if traced else (lambda tree: tree)
    return digest(*(f"{n}\n{ast.unparse(strip(_module_tree(n)))}" for n in sorted(set(names))))


def _top_level(tree: ast.Module) -> dict[str, ast.stmt]:
    table: dict[str, ast.stmt] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            table[node.name] = node
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                for n in ast.walk(target):
                    if isinstance(n, ast.Name):
                        table[n.id] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            table[node.target.id] = node
    return table


def function_code_key(func: Callable[..., object], *, traced: bool = False) -> str:
    """Hash what a function's output depends on, and nothing more.

    That is: the function's own source; the module-level definitions of its own
    module that it uses, transitively (private helpers, constants); and every
    other cnnnotes module its module imports, transitively (style, labels, ops).
    Sibling functions of the same module that it does not use are left out, so
    editing one figure function changes the key of that figure only. With ``traced``,
    the other modules' ``__traced_data__`` is left out too (see :mod:`cnnnotes.reads`).
    """
    func = inspect.unwrap(func)
    module_name = func.__module__
    table = _top_level(_module_tree(module_name))
    if func.__name__ not in table:
        raise ValueError(f"func: {func.__qualname__} is not a top-level definition")
    used: dict[str, ast.stmt] = {}
    todo = [func.__name__]
    while todo:
        name = todo.pop()
        node = table.get(name)
        if node is None or name in used:
            continue
        used[name] = node
        todo.extend(n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in table)
    own = sorted({ast.unparse(node) for node in used.values()})
    imported = _closure(_cnnnotes_imports(module_name), exclude=frozenset({module_name}))
    return digest(*own, module_code_key(imported, traced=traced) if imported else "")


# --- the run key's code: a closure of functions, normalised, independent of where they live ------


class _Locals(ast.NodeTransformer):
    """Rename a definition's local names to ``_0``, ``_1`` … in order of first binding."""

    def __init__(self, bound: list[str]) -> None:
        self.names = {name: f"_{i}" for i, name in enumerate(bound)}

    def visit_Name(self, node: ast.Name) -> ast.Name:
        node.id = self.names.get(node.id, node.id)
        return node

    def visit_arg(self, node: ast.arg) -> ast.arg:
        node.arg = self.names.get(node.arg, node.arg)
        return node

    def visit_alias(self, node: ast.alias) -> ast.alias:
        bound = node.asname or node.name.split(".")[0]
        if bound in self.names and node.name != "*":
            node.asname = self.names[bound]
        return node

    def _rename_definition(self, node: ast.AST) -> ast.AST:
        node.name = self.names.get(node.name, node.name)  # type: ignore[attr-defined]  # a def or class node
        self.generic_visit(node)
        return node

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _rename_definition

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> ast.ExceptHandler:
        if node.name:
            node.name = self.names.get(node.name, node.name)
        self.generic_visit(node)
        return node


def _bound_names(node: ast.AST) -> list[str]:
    """Names a definition binds (parameters, assignments, imports, loop targets), in order."""
    names: list[str] = []
    inner = list(ast.walk(node))[1:]  # the definition's own name is not local
    for n in inner:
        found: list[str] = []
        if isinstance(n, ast.arg):
            found = [n.arg]
        elif isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store | ast.Del):
            found = [n.id]
        elif isinstance(n, ast.alias) and n.name != "*":
            found = [n.asname or n.name.split(".")[0]]
        elif (
            isinstance(n, ast.ExceptHandler | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and n.name  # an ExceptHandler's is None without ``as``; a definition's is never empty
        ):
            found = [n.name]
        names.extend(f for f in found if f not in names)
    return names


def _drop_annotations(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            node.returns = None
        elif isinstance(node, ast.arg):
            node.annotation = None
        elif isinstance(node, ast.AnnAssign):
            node.annotation = ast.Constant(None)
    return tree


def _definition(obj: object) -> ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef:
    # any object: getsource raises TypeError itself for one that has no source
    tree = ast.parse(textwrap.dedent(inspect.getsource(obj)))  # type: ignore[arg-type]  # see above
    node = tree.body[0]
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        raise TypeError(f"obj: {obj!r} is not a function or class")  # pragma: no cover
    return node


def _is_ours(obj: object) -> bool:
    return (getattr(obj, "__module__", None) or "").split(".")[0] == _PACKAGE


_CONSTANT_TYPES = (int, float, str, bytes, bool, type(None), tuple, frozenset)


def _normalised_definition(obj: object) -> tuple[str, set[str], list[ast.Attribute]]:
    """The normalised text of ``obj``, the global names it loads and its attribute chains."""
    node = _definition(obj)
    _strip_docstrings(node)
    _drop_annotations(node)
    node.decorator_list = []
    bound = _bound_names(node)
    loaded = {
        n.id
        for n in ast.walk(node)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id not in bound
    }
    attributes = [
        n for n in ast.walk(node) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
    ]
    attributes = [a for a in attributes if isinstance(a.value, ast.Name) and a.value.id in loaded]
    text = ast.unparse(_Locals(bound).visit(node))
    return text, loaded, attributes


def closure_key(roots: Iterable[Callable[..., object] | type]) -> str:
    """Hash the code that ``roots`` run: their definitions and every cnnnotes definition they use.

    Each definition is normalised (no docstrings, comments, annotations or decorators;
    local names renamed by position), and the module it lives in is not part of the
    hash, so moving code between modules or renaming a local variable changes nothing.
    Global names are resolved in the defining module: cnnnotes functions and classes
    are followed transitively, plain constants (numbers, strings, tuples) enter by
    value, and everything else (numpy, Keras, builtins) is left to the recorded
    library versions.
    """
    parts: set[str] = set()
    seen: set[int] = set()
    todo: list[object] = [inspect.unwrap(r) if callable(r) else r for r in roots]
    while todo:
        obj = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        text, loaded, attributes = _normalised_definition(obj)
        parts.add(text)
        module = sys.modules[obj.__module__]
        space = vars(module)
        for name in sorted(loaded):
            value = space.get(name)
            if isinstance(value, ModuleType):
                continue
            if inspect.isfunction(value) or inspect.isclass(value):
                if _is_ours(value):
                    todo.append(value)
            elif isinstance(value, _CONSTANT_TYPES) and " at 0x" not in repr(value):
                parts.add(f"{name} = {value!r}")
        for attr in attributes:
            if not isinstance(attr.value, ast.Name):
                continue
            base = space.get(attr.value.id)
            if isinstance(base, ModuleType) and base.__name__.split(".")[0] == _PACKAGE:
                value = getattr(base, attr.attr, None)
                if (inspect.isfunction(value) or inspect.isclass(value)) and _is_ours(value):
                    todo.append(value)
                elif isinstance(value, _CONSTANT_TYPES) and " at 0x" not in repr(value):
                    parts.add(f"{attr.value.id}.{attr.attr} = {value!r}")
    return digest(*sorted(parts))


# --- source trees, hashed without importing them (the build's fast key) -------------------------


def tree_digests(
    base: Path, pattern: str = "*", keep: Callable[[str], bool] = lambda rel: True
) -> list[str]:
    """Each file under ``base`` matching ``pattern`` (and ``keep``, on its POSIX path
    relative to ``base``) as two flat parts, its path and the sha256 of its bytes,
    sorted by path; ``__pycache__`` is skipped and a missing ``base`` gives ``[]``."""
    parts: list[str] = []
    if base.is_dir():
        for path in sorted(base.rglob(pattern)):
            rel = path.relative_to(base).as_posix()
            if path.is_file() and "__pycache__" not in path.parts and keep(rel):
                parts += [rel, hashlib.sha256(path.read_bytes()).hexdigest()]
    return parts


def source_digests(
    directory: Path, known: Mapping[str, Sequence[str]] | None = None
) -> dict[str, tuple[str, str]]:
    """Hash every ``*.py`` file under ``directory``: raw bytes and normalised code.

    The normalised digest is the sha256 of :func:`normalized_source`, the same
    normalisation the asset keys use, so a comment, docstring or layout edit
    changes a file's raw digest but not its code digest. Nothing is imported.

    Parameters
    ----------
    directory
        A source tree (``__pycache__`` folders are skipped).
    known
        A previous result: a file whose raw digest is unchanged keeps its code
        digest without being parsed again, so only edited files are normalised.

    Returns
    -------
    dict
        POSIX path relative to ``directory`` -> ``(raw_sha256, code_sha256)``,
        sorted by path. A file that does not parse keeps its raw digest as its
        code digest (it will fail where it is imported, not here).
    """
    known = known or {}
    out: dict[str, tuple[str, str]] = {}
    for path in sorted(Path(directory).rglob("*.py")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        rel = path.relative_to(directory).as_posix()
        data = path.read_bytes()
        raw = hashlib.sha256(data).hexdigest()
        previous = known.get(rel)
        if isinstance(previous, list | tuple) and len(previous) == 2 and previous[0] == raw:
            out[rel] = (raw, str(previous[1]))
            continue
        try:
            code = normalized_source(data.decode("utf-8"))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            out[rel] = (raw, raw)
        else:
            out[rel] = (raw, hashlib.sha256(code.encode("utf-8")).hexdigest())
    return out
