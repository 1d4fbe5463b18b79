"""The command line: help that explains itself, one-line errors, TensorFlow only where needed."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT

from cnnnotes import cli
from cnnnotes.errors import CnnnotesError
from cnnnotes.experiments.runs.cases import PROFILES
from cnnnotes.experiments.training.tfimport import strip_startup_info


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as done:
        cli.main([*argv, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    "argv", [("build",), ("data",), ("data", "check"), ("data", "excerpt"), ("train",), ("status",)]
)
def test_every_subcommand_has_a_description(capsys, argv: tuple[str, ...]) -> None:
    text = _help(capsys, *argv)
    usage, description = text.split("\n\n")[:2]
    assert usage.startswith(f"usage: cnnnotes {' '.join(argv)}")
    assert len(description.split()) >= 5 and not description.lstrip().startswith("options")


def test_defaults_are_shown(capsys) -> None:
    assert "(default: .)" in _help(capsys, "build")
    assert "(default: results/dataset)" in " ".join(_help(capsys, "data", "excerpt").split())
    assert "(default: results)" in " ".join(_help(capsys, "status").split())


@pytest.mark.parametrize("command", ["train", "status"])
def test_the_profiles_are_explained_with_their_own_numbers(capsys, command: str) -> None:
    text = " ".join(_help(capsys, command).split())
    assert "profiles:" in text
    for name, profile in PROFILES.items():
        assert f"{name} " in text
        assert f"{profile.epochs} epoch" in text and f"batch {profile.batch_size}," in text
        if profile.train_subset:
            assert f"the first {profile.train_subset:,} training" in text


def test_the_profile_option_reads_its_numbers_from_the_profiles(capsys, monkeypatch) -> None:
    import dataclasses

    from cnnnotes.experiments.runs import cases

    edited = dataclasses.replace(PROFILES["notes"], epochs=37, seeds=(0, 1, 2))
    monkeypatch.setitem(cases.PROFILES, "notes", edited)
    text = " ".join(_help(capsys, "train").split())
    assert "notes (37 epochs, all data, seeds 0-2)" in text


def _raise(args) -> int:
    raise CnnnotesError("source: x does\nnot exist")


def test_a_user_error_is_one_line_and_exit_2(monkeypatch, capsys) -> None:
    monkeypatch.delenv(cli.ENV_DEBUG, raising=False)
    monkeypatch.setattr(cli, "_cmd_build", _raise)
    assert cli.main(["build"]) == 2
    assert capsys.readouterr().err == "cnnnotes: error: source: x does not exist\n"


@pytest.mark.parametrize(
    ("argv", "env"),
    [(["--debug", "build"], None), (["build", "--debug"], None), (["build"], "1")],
    ids=["before", "after", "env"],
)
def test_debug_shows_the_traceback(monkeypatch, argv: list[str], env: str | None) -> None:
    monkeypatch.delenv(cli.ENV_DEBUG, raising=False)
    if env:
        monkeypatch.setenv(cli.ENV_DEBUG, env)
    monkeypatch.setattr(cli, "_cmd_build", _raise)
    with pytest.raises(CnnnotesError, match="source: x does"):
        cli.main(argv)


_ROOT_REMEDY = "give the project root as --root"


def test_build_outside_a_project_is_one_line(tmp_path: Path, capsys) -> None:
    assert cli.main(["build", "--root", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err == f"cnnnotes: error: build: {tmp_path} holds no mkdocs.yml; {_ROOT_REMEDY}\n"
    assert not (tmp_path / ".cache").exists()


def _run(*argv: str, path: list[Path] = (), env: dict[str, str] | None = None):
    environ = {**os.environ, **(env or {})}
    environ["PYTHONPATH"] = os.pathsep.join([*map(str, path), str(ROOT)])
    return subprocess.run(
        [sys.executable, *argv], capture_output=True, text=True, timeout=120, env=environ
    )


def test_build_assets_script_help_names_the_script() -> None:
    proc = _run(str(ROOT / "scripts" / "build_assets.py"), "--help")
    assert proc.returncode == 0 and proc.stdout.startswith("usage: build_assets.py ")


def _blocked(tmp_path: Path) -> Path:
    """A folder that makes TensorFlow and Keras unimportable, as in a site-only install."""
    for name in ("tensorflow", "keras"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text(
            f"raise ModuleNotFoundError({'No module named ' + repr(name)!r}, name={name!r})\n"
        )
    return tmp_path


def test_train_without_tensorflow_says_how_to_install_it(tmp_path: Path) -> None:
    proc = _run("-m", "cnnnotes", "train", "--source", str(tmp_path / "none"),
                path=[_blocked(tmp_path)])  # fmt: skip
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == (
        "cnnnotes: error: cnnnotes train needs TensorFlow and Keras, which cannot be imported "
        """(tensorflow); install them with pip install -c constraints.txt -e ".[train]"\n"""
    )


def test_data_check_with_keras_but_no_tensorflow_offers_both_remedies(tmp_path: Path) -> None:
    proc = _run("-m", "cnnnotes", "data", "check", path=[_blocked(tmp_path)],
                env={"CNNNOTES_CIFAR10": ""})  # fmt: skip
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert '".[train]"' in proc.stderr and "CNNNOTES_CIFAR10" in proc.stderr


_NOISY = """\
WARNING: All log messages before absl::InitializeLog() is called are written to STDERR
I0000 00:00:1796058222.436769   17094 port.cc:153] oneDNN custom operations are on.
I0000 00:00:1796058222.711543   17094 cpu_feature_guard.cc:227] This TensorFlow binary is optimized.
To enable the following instructions: AVX2 FMA, in other operations, rebuild TensorFlow.
W0000 00:00:1796058222.8   17094 gpu.cc:10] a real warning
E0000 00:00:1796058222.9   17094 io.cc:20] a real error
  with a second line
"""


def test_startup_info_lines_go_and_warnings_and_errors_stay() -> None:
    assert strip_startup_info(_NOISY) == (
        "W0000 00:00:1796058222.8   17094 gpu.cc:10] a real warning\n"
        "E0000 00:00:1796058222.9   17094 io.cc:20] a real error\n"
        "  with a second line\n"
    )


def test_importing_tensorflow_filters_what_its_import_writes_to_fd_2(tmp_path: Path) -> None:
    for name in ("tensorflow", "keras"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text(
            textwrap.dedent(f"""\
                import os
                os.write(2, {_NOISY.encode()!r})
                os.write(2, b"from {name}\\n")
            """)
        )
    code = (
        "from cnnnotes.experiments.training.tfimport import import_tensorflow; "
        "import_tensorflow('x')"
    )
    proc = _run("-c", code, path=[tmp_path], env={"TF_CPP_MIN_LOG_LEVEL": ""})
    assert proc.returncode == 0, proc.stderr
    assert "oneDNN" not in proc.stderr and "absl" not in proc.stderr
    assert "AVX2" not in proc.stderr
    assert "a real warning" in proc.stderr and "a real error" in proc.stderr
    assert "from tensorflow" in proc.stderr and "from keras" in proc.stderr


def test_status_reads_keras_only_through_the_quiet_import(tmp_path: Path) -> None:
    proc = _run("-m", "cnnnotes", "status", "--source", "keras", path=[_blocked(tmp_path)])
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("cnnnotes: error: the keras source needs TensorFlow")
