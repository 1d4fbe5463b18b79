"""Execute the site's notebooks once per change, into the tier-2 cache.

MkDocs renders the executed copy (mkdocs-jupyter with ``execute: false``), so a
rebuild executes nothing, and the Korean and English builds never execute the
same notebook twice. A notebook's key covers its own bytes, the code of every
cnnnotes module its cells import (transitively), the result files it reads, the
library versions and the font; a failed execution raises and is never cached.
:mod:`cnnnotes.site.build` decides which notebooks are out of date (:func:`notebook_key`)
and runs them beside the figures (:mod:`cnnnotes.site.render`).

A notebook that reads committed results declares them in its metadata, as paths
or glob patterns relative to the results folder, like a figure's inputs::

    {"metadata": {"cnnnotes": {"inputs": ["runs/notes/baseline/seed-0/weights.npz"]}}}

A notebook whose code mentions ``results`` without declaring its inputs is keyed on
every file under the results folder: it re-executes more often than it needs to,
never less.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from cnnnotes.bounded import RESULT_LIMIT, read_bounded
from cnnnotes.codehash import digest, imported_modules, module_code_key
from cnnnotes.errors import CnnnotesError
from cnnnotes.experiments.runs.provenance import installed_versions
from cnnnotes.files import atomic_write_text

__all__ = [
    "NotebookError",
    "compact_images",
    "execute_notebook",
    "merge_streams",
    "notebook_key",
    "published",
    "site_notebooks",
]

_VERSIONED = ("nbclient", "ipykernel", "matplotlib", "numpy")
#: Bumped when the executed copy's format changes: 2 records no per-cell timing, so the
#: same notebook executed twice (or by two build workers) gives the same bytes; 3 merges
#: the stream outputs that the kernel's timing splits; 4 keeps large output images
#: compacted (:func:`compact_images`), so no page build re-encodes them.
_FORMAT = "4"


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
        parts += [
            f"{p.relative_to(results_dir).as_posix()}\n"
            f"{read_bounded(p, RESULT_LIMIT, 'a results file').hex()}"
            for p in found
        ]
    return parts


def notebook_key(path: Path, results_dir: Path | None = None) -> str:
    """The cache key of notebook ``path``: its bytes, the code it imports, the result files
    it reads (in ``results_dir``), versions, font."""
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
    from cnnnotes.site.style import font_fingerprint

    declared = nb.metadata.get("cnnnotes", {}).get("inputs")
    inputs = _inputs(declared, code, results_dir, path.name)
    versions = [f"{n}={v}" for n, v in installed_versions(_VERSIONED).items()]
    return digest(
        path.read_bytes(),
        module_code_key(modules) if modules else "",
        *inputs,
        *versions,
        font_fingerprint(),
        _FORMAT,
    )


def execute_notebook(src: Path, out: Path) -> None:
    """Execute ``src`` into ``out`` (atomically); a failure raises :class:`NotebookError`.

    No per-cell timing is recorded, so the executed copy depends on the code only.
    """
    import nbclient
    import nbformat
    from jupyter_client.manager import KernelManager

    nb = nbformat.read(src, as_version=4)
    # The kernel talks to this process over local sockets (IPC) in a private folder,
    # not loopback TCP: nothing else can connect, and ipykernel has no unencrypted
    # TCP to warn about. What runs, and how, is the same.
    with tempfile.TemporaryDirectory(prefix="cnnnotes-kernel-") as sockets:
        km = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(sockets) / "k"))
        client = nbclient.NotebookClient(
            nb,
            km=km,
            timeout=600,
            kernel_name="python3",
            record_timing=False,
            resources={"metadata": {"path": str(src.parent)}},
        )
        try:
            client.execute()
        except nbclient.exceptions.CellExecutionError as exc:
            first = str(exc).strip().splitlines()[-1] if str(exc).strip() else "cell failed"
            raise NotebookError(f"{src.name} failed to execute: {first}") from exc
        finally:  # a kernel manager given to the client is the caller's to shut down
            if km.has_kernel:
                km.shutdown_kernel()
    merge_streams(nb)
    compact_images(nb)
    atomic_write_text(out, nbformat.writes(nb))


def compact_images(nb: Any) -> None:
    """Re-encode each large PNG output with a palette, in place (:func:`~cnnnotes.site.\
readability.compact_png`): done once, when the notebook runs, not at every page build."""
    import base64

    from cnnnotes.site.readability import compact_png

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                png = base64.b64decode(_text(data["image/png"]))
                small = compact_png(png)
                if small is not png:
                    data["image/png"] = base64.b64encode(small).decode("ascii")


def merge_streams(nb: Any) -> None:
    """Merge each cell's consecutive outputs on the same stream into one, in place.

    The kernel sends what one ``print`` writes in as many messages as its timing
    cuts it into (``"equal:"``, ``" True"``); merged, the executed copy is the same
    bytes on every run.
    """
    for cell in nb.cells:
        merged: list[Any] = []
        for output in cell.get("outputs", []):
            last = merged[-1] if merged else None
            if (
                output.get("output_type") == "stream"
                and last is not None
                and last.get("output_type") == "stream"
                and last.get("name") == output.get("name")
            ):
                last["text"] = _text(last["text"]) + _text(output["text"])
            else:
                merged.append(output)
        if "outputs" in cell:
            cell["outputs"] = merged


def _text(text: str | list[str]) -> str:
    return text if isinstance(text, str) else "".join(text)


def published(rel: str) -> bool:
    """Whether MkDocs publishes the docs file ``rel`` (POSIX, relative to ``docs/``).

    MkDocs' default ``exclude_docs`` leaves out hidden files and folders (``.*``)
    and a top-level ``templates/`` folder; so do we.
    """
    parts = rel.split("/")
    return not any(p.startswith(".") for p in parts) and parts[0] != "templates"


def site_notebooks(docs_dir: Path) -> list[tuple[str, Path]]:
    """Every notebook the site publishes: (path relative to ``docs_dir``, POSIX; its file).

    Notebooks in hidden folders (``docs/.drafts/``), or otherwise not :func:`published`,
    are never executed.
    """
    found = (
        (src.relative_to(docs_dir).as_posix(), src) for src in sorted(docs_dir.rglob("*.ipynb"))
    )
    return [(rel, src) for rel, src in found if published(rel) and ".ipynb_checkpoints" not in rel]
