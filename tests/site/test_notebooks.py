"""A notebook's cache key covers the result files it reads, and only those."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from cnnnotes.site.notebooks import NotebookError, execute_notebook, notebook_key


def _notebook(path: Path, code: str, inputs: list[str] | None = None) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    if inputs is not None:
        nb.metadata["cnnnotes"] = {"inputs": inputs}
    nbformat.write(nb, path)
    return path


@pytest.fixture
def results(tmp_path: Path) -> Path:
    folder = tmp_path / "results"
    (folder / "runs" / "a").mkdir(parents=True)
    (folder / "runs" / "a" / "weights.npz").write_bytes(b"w1")
    (folder / "dataset").mkdir()
    (folder / "dataset" / "info.json").write_text("{}")
    return folder


def test_declared_inputs_key_the_notebook_and_other_results_do_not(tmp_path, results):
    nb = _notebook(tmp_path / "n.ipynb", "x = 1", ["runs/*/weights.npz"])
    before = notebook_key(nb, results)
    (results / "dataset" / "info.json").write_text('{"other": 1}')
    assert notebook_key(nb, results) == before
    (results / "runs" / "a" / "weights.npz").write_bytes(b"w2")
    assert notebook_key(nb, results) != before


def test_undeclared_reading_of_results_keys_on_every_result_file(tmp_path, results):
    nb = _notebook(tmp_path / "n.ipynb", "path = '../results/dataset/info.json'")
    before = notebook_key(nb, results)
    (results / "dataset" / "info.json").write_text('{"other": 1}')
    assert notebook_key(nb, results) != before


def test_a_notebook_that_reads_no_results_ignores_them(tmp_path, results):
    nb = _notebook(tmp_path / "n.ipynb", "import numpy as np")
    before = notebook_key(nb, results)
    (results / "runs" / "a" / "weights.npz").write_bytes(b"w2")
    assert notebook_key(nb, results) == before


def test_a_missing_declared_input_names_the_notebook_and_the_file(tmp_path, results):
    nb = _notebook(tmp_path / "n.ipynb", "x = 1", ["runs/b/weights.npz"])
    with pytest.raises(NotebookError, match=r"n.ipynb: input results/runs/b/weights.npz"):
        notebook_key(nb, results)


def test_execution_runs_the_cells_over_local_sockets_without_a_transport_warning(tmp_path, capfd):
    src = tmp_path / "tiny.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import os\nprint(6 * 7, os.getcwd())")]
    nbformat.write(nb, src)
    execute_notebook(src, tmp_path / "out.ipynb")
    (cell,) = nbformat.read(tmp_path / "out.ipynb", as_version=4).cells
    assert cell.outputs[0]["text"] == f"42 {tmp_path}\n"  # ran, in the notebook's folder
    assert "without encryption" not in capfd.readouterr().err  # the kernel's own warning
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ipynb", "tiny.ipynb"]


def test_consecutive_outputs_on_one_stream_merge_into_one_and_others_stay_apart() -> None:
    from cnnnotes.site.notebooks import merge_streams

    def stream(name: str, text: str) -> nbformat.NotebookNode:
        return nbformat.v4.new_output("stream", name=name, text=text)

    cell = nbformat.v4.new_code_cell("print('three feature maps equal:', True)")
    figure = nbformat.v4.new_output("display_data", data={"text/plain": "<Figure>"})
    cell.outputs = [
        stream("stdout", "three feature maps equal:"),
        stream("stdout", " True\n"),
        stream("stderr", "warning\n"),
        figure,
        stream("stdout", "after\n"),
    ]
    nb = nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_markdown_cell("text")])
    merge_streams(nb)
    assert [(o.output_type, o.get("name"), o.get("text")) for o in cell.outputs] == [
        ("stream", "stdout", "three feature maps equal: True\n"),
        ("stream", "stderr", "warning\n"),
        ("display_data", None, None),
        ("stream", "stdout", "after\n"),
    ]
    nbformat.validate(nb)


def test_large_output_images_are_compacted_once_in_the_executed_copy() -> None:
    import base64
    import io

    import numpy as np
    from PIL import Image

    from cnnnotes.site.notebooks import compact_images
    from cnnnotes.site.readability import png_size

    def png(size: int) -> bytes:
        pixels = np.random.default_rng(0).integers(0, 256, (size, size, 3), dtype=np.uint8)
        out = io.BytesIO()
        Image.fromarray(pixels).save(out, format="png")
        return out.getvalue()

    big, small = png(400), png(4)
    cell = nbformat.v4.new_code_cell("plot()")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"image/png": base64.b64encode(b).decode()})
        for b in (big, small)
    ]
    nb = nbformat.v4.new_notebook(cells=[cell])
    compact_images(nb)
    after = [base64.b64decode(o.data["image/png"]) for o in cell.outputs]
    assert len(after[0]) < len(big) and png_size(after[0]) == (400, 400)
    assert after[1] == small
    nbformat.validate(nb)
