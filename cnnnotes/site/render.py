"""Render site assets and execute notebooks, in this process or in worker processes.

:mod:`cnnnotes.site.build` decides *what* is out of date (it computes every key); this
module does the work. Each :class:`Job` is independent: it writes its output and
then its key file, both atomically, so a job that fails or is killed leaves
either the old entry or a file whose key does not match (rebuilt next time),
never a half-written figure. :func:`run_jobs` runs the jobs one by one
(``jobs=1``) or on a pool of worker processes; the outputs are the same bytes
either way.

Figures are encoded by :func:`encode_png`: an opaque figure is stored as RGB
(a quarter less data than matplotlib's RGBA) with zlib's fast strategy. Measured
on the site's 46 figures: the same pixels, 0.4 % more bytes in all, and between a
quarter and 45 % less encoding time (drawing, not encoding, is most of a figure's cost).
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any, Literal

from cnnnotes import reads
from cnnnotes.files import atomic_write_bytes, atomic_write_text

__all__ = [
    "DPI",
    "PNG_FORMAT",
    "Job",
    "asset_is_current",
    "asset_key_record",
    "default_jobs",
    "draw",
    "encode_png",
    "run_job",
    "run_jobs",
]

#: Resolution of every site figure.
DPI = 150
#: Names the encoding below; part of every PNG's cache key, so changing it re-renders.
PNG_FORMAT = "png-rgb-z2"
#: zlib's fast strategy: on RGB, as many bytes as matplotlib's RGBA at level 6 (its default)
#: in half the time; RGB at level 6 would be ~9 % smaller but no faster than before.
_COMPRESS_LEVEL = 2


@dataclasses.dataclass(frozen=True)
class Job:
    """One unit of work: draw asset ``name`` in ``lang``, or execute notebook ``name``.

    ``key`` is written to ``out``'s key file (``<out>.key``) after ``out`` itself; for an
    asset, with the values the drawing read (:func:`asset_key_record`).
    """

    kind: Literal["asset", "notebook"]
    name: str
    lang: str
    out: Path
    key: str
    source: Path  # the results folder of an asset, the notebook file of a notebook
    #: The figure module of an asset outside :mod:`cnnnotes.site.figures` (a small site's own).
    module: str | None = None

    @property
    def label(self) -> str:
        return f"{self.name}[{self.lang}]" if self.kind == "asset" else self.name


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def encode_png(fig: Any, dpi: int = DPI) -> bytes:
    """Draw ``fig`` as matplotlib's ``savefig`` does and encode it as PNG.

    The pixels are exactly those of ``fig.savefig(..., format="png", dpi=dpi)``;
    an image without transparency is stored as RGB, and deflated with zlib's
    fast strategy (``compress_level=2``).
    """
    import numpy as np
    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="rgba", dpi=dpi)
    raw = np.frombuffer(buf.getbuffer(), dtype=np.uint8)
    # matplotlib truncates the canvas size, computed in floating point: 959.9999 or 960.0001
    # pixels may become 959 or 960, so accept either rounding of each side.
    w_in, h_in = fig.get_size_inches() * dpi
    sizes = [(w, h) for w in {int(w_in), round(w_in)} for h in {int(h_in), round(h_in)}]
    fits = [(w, h) for w, h in sizes if w * h * 4 == raw.size]
    if not fits:
        raise ValueError(f"fig: drew {raw.size} bytes, not {w_in:.1f}×{h_in:.1f} RGBA pixels")
    width, height = fits[0]
    rgba = raw.reshape(height, width, 4)
    opaque = bool((rgba[..., 3] == 255).all())
    image = Image.fromarray(np.ascontiguousarray(rgba[..., :3]) if opaque else rgba)
    out = io.BytesIO()
    image.save(out, format="png", compress_level=_COMPRESS_LEVEL, dpi=(dpi, dpi))
    return out.getvalue()


def _draw_asset(job: Job) -> bytes:
    from cnnnotes.site.figures import load_all
    from cnnnotes.site.style import figure_context

    with reads.quiet():  # which assets exist is the plan's business, not this asset's reads
        spec = load_all(None if job.module is None else [job.module])[job.name]
    call_lang = "en" if job.lang == "all" else job.lang
    if spec.kind != "png":
        return str(draw(spec, call_lang, job.source)).encode("utf-8")
    with figure_context():  # one style context: drawing, finishing, encoding
        return encode_png(draw(spec, call_lang, job.source))


def draw(spec: Any, lang: str, results_dir: Path | None = None) -> Any:
    """Draw asset ``spec`` in ``lang`` as the build does: a fragment's text, or a finished figure.

    A figure function only draws (returning a :class:`~cnnnotes.site.style.Drawn` with its
    provenance line, or a bare figure); this is where every site figure is finished
    (:func:`~cnnnotes.site.style.finish`). Call it inside
    :func:`~cnnnotes.site.style.figure_context` for a figure.
    """
    from cnnnotes.site.style import finish

    kwargs = dict(spec.params)
    if spec.inputs:
        kwargs["results_dir"] = results_dir
    drawn = spec.func(lang, **kwargs)
    if spec.kind != "png":
        return drawn
    return finish(drawn, f"cnnnotes · {spec.func.__module__}.{spec.func.__name__}")


def asset_key_record(key: str, read: set[reads.Read]) -> str:
    """An asset's key file: its key over code, inputs and settings, and what its drawing read.

    The build reuses the asset while the key is the same and the values of those reads
    are (:func:`asset_is_current`): editing a case's title re-renders only what shows it.
    """
    return json.dumps(
        {"key": key, "reads": sorted(map(list, read)), "values": reads.values_digest(read)}
    )


def asset_is_current(keyfile: Path, key: str) -> bool:
    """Whether the asset whose key file is ``keyfile`` was drawn with ``key`` and today's values."""
    try:
        record = json.loads(keyfile.read_text(encoding="utf-8"))
        return bool(
            record["key"] == key
            and record["values"] == reads.values_digest(tuple(r) for r in record["reads"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return False


def run_job(job: Job) -> float:
    """Do ``job`` here and now; return the seconds it took."""
    start = time.perf_counter()
    if job.kind == "asset":
        with reads.trace() as read:
            data = _draw_asset(job)
        atomic_write_bytes(job.out, data)
        key = asset_key_record(job.key, read)
    else:
        from cnnnotes.site.notebooks import execute_notebook

        execute_notebook(job.source, job.out)
        key = job.key
    atomic_write_text(job.out.with_name(job.out.name + ".key"), key)
    return time.perf_counter() - start


_WATCH = "cnnnotes-parent-watch"


def _exit_with_parent(parent: int) -> None:
    """Worker initialiser: leave when the build that started us is gone (e.g. killed).

    Without this, a worker whose parent was killed would wait for work forever.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name=_WATCH, daemon=True).start()


def _pool_context() -> Any:
    """fork where it is safe: workers start with the figure modules already imported.

    A process that runs other Python threads (whose locks a forked child could
    inherit held), and every platform but Linux, spawns fresh interpreters instead;
    each then imports the figure modules once.
    """
    import multiprocessing

    # the parent watch (a renderer started by a build) holds no lock a child could inherit
    others = [t for t in threading.enumerate() if t.name != _WATCH]
    fork = sys.platform.startswith("linux") and len(others) == 1
    return multiprocessing.get_context("fork" if fork else "spawn")


def run_jobs(
    jobs: Sequence[Job], workers: int, *, done: Callable[[Job, float], None] | None = None
) -> None:
    """Do every job, on ``workers`` processes (1: in this process, in order).

    The first failure is raised once the jobs already running have finished;
    jobs not yet started are cancelled. ``done(job, seconds)`` is called for
    each job that succeeded, in this process.
    """
    workers = max(1, min(workers, len(jobs)))
    if workers == 1:
        for job in jobs:
            seconds = run_job(job)
            if done:
                done(job, seconds)
        return
    sys.stdout.flush()
    sys.stderr.flush()
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_pool_context(),
        initializer=_exit_with_parent,
        initargs=(os.getpid(),),
    )
    try:
        futures: dict[Future[float], Job] = {pool.submit(run_job, job): job for job in jobs}
        finished, _ = wait(futures, return_when=FIRST_EXCEPTION)
        failed = [f for f in finished if f.exception() is not None]
        if failed:
            for future in futures:
                future.cancel()
            wait(futures)
            raise failed[0].exception()  # type: ignore[misc]  # not None: filtered above
        for future, job in futures.items():
            if done:
                done(job, future.result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
