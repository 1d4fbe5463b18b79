"""Image sources refuse what could exhaust memory, in one line, before decoding or inflating."""

from __future__ import annotations

import gzip
import os
import tarfile
from pathlib import Path

import pytest
from fakedata import image_tree, png_header

from cnnnotes.bounded import human_size
from cnnnotes.cli import main
from cnnnotes.data import ImageFormatError, load_cifar10
from cnnnotes.data.formats import BATCH_LIMIT, IMAGE_LIMIT


@pytest.mark.parametrize(("width", "height"), [(20000, 20000), (4000, 3000), (64, 64)])
def test_an_oversized_image_is_refused_undecoded_in_one_line(tmp_path, width, height) -> None:
    root = image_tree(tmp_path)
    (root / "train/cat/0003.png").write_bytes(png_header(width, height))
    with pytest.raises(ImageFormatError, match=r"cat/0003\.png .*expected 32×32"):
        load_cifar10(root, cache_dir=tmp_path / "cache")


def test_a_decompression_bomb_exits_2_with_one_line(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("CNNNOTES_CACHE_DIR", str(tmp_path / "cache"))
    root = image_tree(tmp_path)
    (root / "train/cat/0003.png").write_bytes(png_header(20000, 20000))
    code = main(["data", "check", "--source", str(root)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "0003.png" in err


def test_an_image_file_over_its_limit_is_refused_before_reading(tmp_path: Path) -> None:
    root = image_tree(tmp_path)
    with (root / "train/cat/0003.png").open("r+b") as fh:
        fh.truncate(IMAGE_LIMIT + 1)
    with pytest.raises(Exception, match=r"0003\.png is .*more than the 1 MB an image may be"):
        load_cifar10(root, cache_dir=tmp_path / "cache")


def test_a_file_name_that_is_not_utf8_is_read_like_any_other(tmp_path: Path) -> None:
    root = image_tree(tmp_path)
    plain = load_cifar10(root, cache_dir=tmp_path / "c1")
    cat = os.fsencode(root / "train" / "cat")
    os.rename(cat + b"/0003.png", cat + b"/0003\xff.png")  # sorts where 0003.png did
    odd = load_cifar10(root, cache_dir=tmp_path / "c2")
    assert odd.info.fingerprint == plain.info.fingerprint


@pytest.mark.parametrize(
    ("name", "limit"),
    [("images/train/cat/0001.png", IMAGE_LIMIT), ("cifar-10-batches-py/data_batch_1", BATCH_LIMIT)],
    ids=["image", "batch"],
)
def test_a_tar_member_over_its_limit_is_refused_from_its_header(tmp_path, name, limit) -> None:
    archive = tmp_path / "bomb.tar.gz"
    member = tarfile.TarInfo(name)
    member.size = 4 << 30  # 4 GB declared, none of it present: reading would hit the end
    with gzip.open(archive, "wb") as raw:
        raw.write(member.tobuf(format=tarfile.GNU_FORMAT))
    with pytest.raises(
        ImageFormatError,
        match=rf"{name.rsplit('/')[-1]} is 4 GB, more than the {human_size(limit)}",
    ):
        load_cifar10(archive, cache_dir=tmp_path / "cache")
