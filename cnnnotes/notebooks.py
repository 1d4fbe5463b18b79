"""Execute the site's notebooks once per change, into the tier-2 cache.

MkDocs renders the executed copy (mkdocs-jupyter with ``execute: false``), so a
rebuild executes nothing, and the Korean and English builds never execute the
same notebook twice. A notebook's key covers its own bytes, the code of every
cnnnotes module its cells import (transitively), the result files it reads, the
library versions and the font; a failed execution raises and is never cached.

A notebook that reads committed results declares them in its metadata, as paths
or glob patterns relative to the results folder, like a figure's inputs::

    {"metadata": {"cnnnotes": {"inputs": ["runs/notes/baseline/weights.npz"]}}}

A notebook whose code mentions ``results`` without declaring its inputs is keyed on
every file under the results folder: it re-executes more often than it needs to,
never less.
"""

from __future__ import annotations

from pathlib import Path

from cnnnotes.cache import atomic_write_text
from cnnnotes.codehash import digest, imported_modules, module_code_key
from cnnnotes.errors import CnnnotesError
from cnnnotes.provenance import installed_versions

__all__ = ["NotebookError", "execute_notebooks"]

_VERSIONED = ("nbclient", "ipykernel", "matplotlib", "numpy")


class NotebookError(CnnnotesError):
    """A notebook of the site failed to execute."""


def _inputs(declared: object, code: str, results_dir: Path | None, name: str) -> list[str]:
    """Relative path and bytes of each result file a notebook reads (see the module docstring)."""
    if results_dir is None:
        return []
    if declared is None:
        patterns = ["**/*"] if "results" in code else []
    elif isinstance(declared, list) and all(isinstance(p, str) for p in declared):
        patterns = declared
    else:
        raise NotebookError(f"{name}: metadata cnnnotes.inputs must be a list of paths")
    parts: list[str] = []
    for pattern in patterns:
        found = sorted(p for p in results_dir.glob(pattern) if p.is_file())
        if not found and not any(c in pattern for c in "*?["):
            raise NotebookError(f"{name}: input results/{pattern} is missing")
        parts += [f"{p.relative_to(results_dir).as_posix()}\n{p.read_bytes().hex()}" for p in found]
    return parts


def _key(path: Path, results_dir: Path | None = None) -> str:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    code = "\n".join(
        "\n".join(
            line for line in c.source.splitlines() if not line.lstrip().startswith(("%", "!"))
        )
        for c in nb.cells
        if c.cell_type == "code"
    )
    try:
        modules = imported_modules(code)
    except SyntaxError as exc:
        raise NotebookError(f"{path.name}: code cell does not parse: {exc}") from None
    from cnnnotes.style import font_fingerprint

    declared = nb.metadata.get("cnnnotes", {}).get("inputs")
    inputs = _inputs(declared, code, results_dir, path.name)
    versions = [f"{n}={v}" for n, v in installed_versions(_VERSIONED).items()]
    return digest(path.read_bytes(), module_code_key(modules) if modules else "",
                  *inputs, *versions, font_fingerprint())  # fmt: skip


def _execute(src: Path, out: Path) -> None:
    import nbclient
    import nbformat

    nb = nbformat.read(src, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(src.parent)}},
    )
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as exc:
        first = str(exc).strip().splitlines()[-1] if str(exc).strip() else "cell failed"
        raise NotebookError(f"{src.name} failed to execute: {first}") from exc
    atomic_write_text(out, nbformat.writes(nb))


def execute_notebooks(
    docs_dir: Path, out_dir: Path, results_dir: Path | None = None
) -> tuple[dict[str, Path], list[str]]:
    """Execute every out-of-date ``*.ipynb`` under ``docs_dir`` into ``out_dir``.

    ``results_dir`` is the committed results folder whose files a notebook may read
    (``None``: notebooks read no results).

    Returns
    -------
    (executed_copies, executed_now)
        ``executed_copies`` maps each notebook's path relative to ``docs_dir``
        (POSIX) to its executed copy; ``executed_now`` names those run this time.
    """
    copies: dict[str, Path] = {}
    executed: list[str] = []
    for src in sorted(docs_dir.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in src.parts:
            continue
        rel = src.relative_to(docs_dir).as_posix()
        out = out_dir / rel
        keyfile = out.with_name(out.name + ".key")
        key = _key(src, results_dir)
        if not (out.is_file() and keyfile.is_file() and keyfile.read_text() == key):
            _execute(src, out)
            atomic_write_text(keyfile, key)
            executed.append(rel)
        copies[rel] = out
    return copies, executed
