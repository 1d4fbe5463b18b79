"""Execute the site's notebooks once per change, into the tier-2 cache.

MkDocs renders the executed copy (mkdocs-jupyter with ``execute: false``), so a
rebuild executes nothing, and the Korean and English builds never execute the
same notebook twice. A notebook's key covers its own bytes, the code of every
cnnnotes module its cells import (transitively), the library versions and the
font; a failed execution raises and is never cached.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cnnnotes.cache import atomic_write_text
from cnnnotes.codehash import digest, imported_modules, module_code_key
from cnnnotes.errors import CnnnotesError
from cnnnotes.provenance import installed_versions

__all__ = ["NotebookError", "execute_notebooks", "published"]

_VERSIONED = ("nbclient", "ipykernel", "matplotlib", "numpy")


class NotebookError(CnnnotesError):
    """A notebook of the site failed to execute."""


def _key(path: Path) -> str:
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

    versions = [f"{n}={v}" for n, v in installed_versions(_VERSIONED).items()]
    return digest(path.read_bytes(), module_code_key(modules) if modules else "",
                  *versions, font_fingerprint())  # fmt: skip


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


def published(rel: str) -> bool:
    """Whether MkDocs publishes the docs file ``rel`` (POSIX, relative to ``docs/``).

    MkDocs' default ``exclude_docs`` leaves out hidden files and folders (``.*``)
    and a top-level ``templates/`` folder; so do we.
    """
    parts = rel.split("/")
    return not any(p.startswith(".") for p in parts) and parts[0] != "templates"


def execute_notebooks(
    docs_dir: Path, out_dir: Path, progress: Callable[[str], None] | None = None
) -> tuple[dict[str, Path], list[str]]:
    """Execute every out-of-date ``*.ipynb`` that the site publishes into ``out_dir``.

    Notebooks in hidden folders (``docs/.drafts/``), or otherwise not
    :func:`published`, are never executed. ``progress`` is called with a
    notebook's path before it is executed.

    Returns
    -------
    (executed_copies, executed_now)
        ``executed_copies`` maps each notebook's path relative to ``docs_dir``
        (POSIX) to its executed copy; ``executed_now`` names those run this time.
    """
    copies: dict[str, Path] = {}
    executed: list[str] = []
    for src in sorted(docs_dir.rglob("*.ipynb")):
        rel = src.relative_to(docs_dir).as_posix()
        if not published(rel):
            continue
        out = out_dir / rel
        keyfile = out.with_name(out.name + ".key")
        key = _key(src)
        if not (out.is_file() and keyfile.is_file() and keyfile.read_text() == key):
            if progress is not None:
                progress(rel)
            _execute(src, out)
            atomic_write_text(keyfile, key)
            executed.append(rel)
        copies[rel] = out
    return copies, executed
