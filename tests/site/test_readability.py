"""Page rewrites for readers: image sizes, stacked tables, focusable code, quiet marks."""

from __future__ import annotations

import io

from PIL import Image

from cnnnotes.site import readability


def _png(width: int, height: int, noise: bool = False) -> bytes:
    import numpy as np

    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (height, width, 3), dtype=np.uint8) if noise else None
    image = Image.fromarray(pixels) if pixels is not None else Image.new("RGB", (width, height))
    out = io.BytesIO()
    image.save(out, format="png")
    return out.getvalue()


def test_png_size_reads_the_header_and_refuses_other_bytes():
    assert readability.png_size(_png(7, 3)) == (7, 3)
    assert readability.png_size(b"GIF89a" + b"\0" * 30) is None


def test_images_get_their_size_and_all_but_the_first_load_lazily():
    page = '<p><img alt="a" src="a.png"></p><p><img alt="b" src="b.png" /></p><img src="c.svg">'
    sizes = {"a.png": (10, 20), "b.png": (30, 40)}
    out = readability.size_images(page, sizes.get)
    first, second, third = out.split("<img")[1:]
    assert 'width="10" height="20"' in first and "loading" not in first
    assert 'width="30" height="40"' in second and 'loading="lazy"' in second
    assert "width=" not in third and 'loading="lazy"' in third


def test_images_that_say_their_size_are_left_alone():
    page = '<img src="a.png" width="5" loading="eager">'
    assert readability.size_images(page, lambda src: (1, 1), eager=0) == page


def test_table_cells_are_labelled_with_their_column_and_the_results_table_is_not():
    table = (
        "<table>\n<thead>\n<tr>\n<th>No.</th>\n<th>Handled <em>in</em></th>\n</tr>\n</thead>\n"
        '<tbody>\n<tr>\n<td align="right">1</td>\n<td><a href="x">X</a></td>\n</tr>\n</tbody>\n'
        "</table>"
    )
    out = readability.stack_tables(table)
    assert out.startswith("<table data-stack>")
    assert '<td data-label="No." align="right">1</td>' in out
    assert '<td data-label="Handled in"><a href="x">X</a></td>' in out
    kept = f'<div class="results-table">\n{table}\n</div>'
    assert readability.stack_tables(kept) == kept


def test_every_pre_becomes_focusable_once():
    page = '<pre><code>x</code></pre><pre tabindex="-1">y</pre><prefix>'
    out = readability.focusable_code(page)
    assert out.count('tabindex="0"') == 1 and '<pre tabindex="-1">' in out and "<prefix>" in out


def test_fix_marks_are_kept_out_of_the_search_index():
    out = readability.quiet_fix_marks('<h3>Analysis<sup class="fix-mark"><a>47</a></sup></h3>')
    assert '<sup class="fix-mark" data-search-exclude>' in out
    assert readability.quiet_fix_marks(out) == out


def test_large_style_blocks_move_to_one_file_named_by_content():
    css = "x{color:red}" * 300
    page = f"<style>a{{}}</style><p>1</p><style>{css}</style><p>2</p><style>{css}</style>"
    ko, name, text = readability.shared_styles(page, "hand-implementation/")
    en, name_en, _ = readability.shared_styles(page, "en/hand-implementation.html")
    assert name == name_en and name.startswith("stylesheets/notebook-") and text == css
    assert "<style>a{}</style>" in ko and css not in ko and ko.count("<link") == 1
    assert f'href="../{name}"' in ko and f'href="../{name}"' in en
    assert readability.shared_styles("<p>no style</p>", "x/") == ("<p>no style</p>", "", "")


def test_page_dir_of_folder_and_file_urls():
    assert readability.page_dir("en/x/") == "en/x"
    assert readability.page_dir("en/x.html") == "en"
    assert readability.page_dir("") == ""


def test_large_pngs_are_re_encoded_smaller_with_the_same_size_and_small_ones_kept():
    big = _png(400, 400, noise=True)
    out = readability.compact_png(big, limit=1000)
    assert len(out) < len(big) and readability.png_size(out) == (400, 400)
    small = _png(4, 4)
    assert readability.compact_png(small) is small
