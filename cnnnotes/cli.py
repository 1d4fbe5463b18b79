"""The ``cnnnotes`` command: parse arguments, call the library, return an exit code.

Library errors meant for users (:class:`cnnnotes.errors.CnnnotesError` and its
subclasses) become a one-line message on stderr and exit status 2, without a
traceback unless ``--debug`` is given or ``CNNNOTES_DEBUG=1`` is set; nothing
else is caught, so bugs still show their traceback. TensorFlow is imported
only by the commands that need it, without its start-up INFO lines.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

from cnnnotes.errors import CnnnotesError

__all__ = ["main", "require_training_extra"]

Handler = Callable[[argparse.Namespace], int]

#: Set to 1 to see the traceback of a user error (as ``--debug`` does).
ENV_DEBUG = "CNNNOTES_DEBUG"
_LOCAL_SOURCE = "set $CNNNOTES_CIFAR10 (or --source) to a local copy of CIFAR-10"
#: What each profile is for; the numbers are read from the profiles themselves.
_PROFILE_PURPOSE = {
    "notes": "the published runs: the notes' own settings",
    "quick": "a smoke test for CI and for trying the commands; never published",
}


class _HelpFormatter(argparse.HelpFormatter):
    """Show each option's default (unless it has none, or its help already says it).

    Descriptions and epilogs keep their line breaks; each line is wrapped, and a
    line indented by two spaces (a list item) wraps under its own text.
    """

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        out = []
        for line in text.splitlines():
            hang = " " * (10 if line.startswith("  ") else 0)
            out.append(
                textwrap.fill(line, width, initial_indent=indent, subsequent_indent=indent + hang)
                or indent
            )
        return "\n".join(out)

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        if (
            not action.option_strings
            or "default" in text
            or default in (None, False, argparse.SUPPRESS)
            or isinstance(default, list)
        ):
            return text
        return f"{text} (default: %(default)s)"


class _Parser(argparse.ArgumentParser):
    """Every (sub)command: the help formatter above, and ``--debug`` wherever it is given."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if self.add_help:
            self.add_argument(
                "--debug",
                action="store_true",
                default=argparse.SUPPRESS,
                help=f"show the traceback of an error (or {ENV_DEBUG}=1)",
            )


def require_training_extra(what: str = "cnnnotes train", otherwise: str = "") -> None:
    """Import TensorFlow and Keras quietly, or raise one line saying how to install them.

    Call it first in any command that trains or reads CIFAR-10 through Keras.
    """
    from cnnnotes._tfimport import import_tensorflow

    import_tensorflow(what, otherwise)


def _cmd_build(args: argparse.Namespace) -> int:
    from cnnnotes.build import build_site_assets

    root = Path(args.root)
    if not (root / "mkdocs.yml").is_file():
        raise CnnnotesError(f"build: {root} holds no mkdocs.yml; give the project root as --root")
    report = build_site_assets(root, isolated=False, progress=print)
    print(report.summary())
    return 0


def _add_build_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="render every figure and executed notebook of the site",
        description="Render every figure, generated table and executed notebook of the site "
        "that is out of date, into <root>/.cache/ (what `mkdocs build` does first). "
        "Needs neither CIFAR-10 nor TensorFlow: the figures come from results/.",
    )
    p.add_argument("--root", default=".", help="project root (the folder holding mkdocs.yml)")
    p.set_defaults(handler=_cmd_build)


# --- data (cnnnotes.data) ------------------------------------------------------------------------


def _uses_keras(source: str | None) -> bool:
    from cnnnotes.data import ENV_SOURCE

    return (source or os.environ.get(ENV_SOURCE) or "keras") == "keras"


def _cmd_data_check(args: argparse.Namespace) -> int:
    from cnnnotes.data import SPLITS, load_cifar10

    if _uses_keras(args.source):
        require_training_extra("the keras source", _LOCAL_SOURCE)
    info = load_cifar10(args.source).info
    status = "official" if info.official else "not official"
    print(f"source: {info.source} ({info.kind}, {status})")
    if info.note:
        print(f"note: {info.note}")
    print(f"fingerprint: {info.fingerprint}")
    print(f"{'class':<12}" + "".join(f"{s:>8}" for s in SPLITS))
    for name in info.counts["train"]:
        print(f"{name:<12}" + "".join(f"{info.counts[s][name]:>8}" for s in SPLITS))
    print(f"{'total':<12}" + "".join(f"{sum(info.counts[s].values()):>8}" for s in SPLITS))
    return 0


def _cmd_data_excerpt(args: argparse.Namespace) -> int:
    from cnnnotes.data import load_cifar10, write_excerpt

    if _uses_keras(args.source):
        require_training_extra("the keras source", _LOCAL_SOURCE)
    data = load_cifar10(args.source)
    for path in write_excerpt(data, Path(args.out)):
        print(f"wrote {path}")
    return 0


def _add_data_commands(sub: argparse._SubParsersAction) -> None:
    """`cnnnotes data ...`: owned by the data layer."""
    data = sub.add_parser(
        "data",
        help="check CIFAR-10 and write the committed excerpt",
        description="Read CIFAR-10 from a source, check it, and write the 100-image excerpt "
        "that the site's sample grids show. Decoded arrays are cached in the user cache "
        "($CNNNOTES_CACHE_DIR, else $XDG_CACHE_HOME/cnnnotes, else ~/.cache/cnnnotes).",
    )
    data_sub = data.add_subparsers(dest="data_command", required=True, metavar="ACTION")
    source_help = (
        "'keras', cifar-10-python.tar.gz, cifar-10-batches-py/, or an image folder "
        "(or .tar.gz of one); default: $CNNNOTES_CIFAR10, else keras (downloads once)"
    )
    check = data_sub.add_parser(
        "check",
        help="load CIFAR-10; print counts and fingerprint",
        description="Load CIFAR-10 from the source and print its kind, per-class counts and "
        "fingerprint (the sha256 that run keys record). Exit status 2 on a bad source.",
    )
    check.add_argument("--source", default=None, help=source_help)
    check.set_defaults(handler=_cmd_data_check)
    excerpt = data_sub.add_parser(
        "excerpt",
        help="write the first 100 training images + info",
        description="Write excerpt.npz (the first 100 training images in the loader's order) "
        "and info.json (counts, fingerprint, the validation split) to the output folder.",
    )
    excerpt.add_argument("--source", default=None, help=source_help)
    excerpt.add_argument("--out", default="results/dataset", help="output folder")
    excerpt.set_defaults(handler=_cmd_data_excerpt)


# --- runs (cnnnotes.cases / cnnnotes.train) ------------------------------------------------------


def _cmd_status(args: argparse.Namespace) -> int:
    from cnnnotes.cases import get_case, get_profile
    from cnnnotes.status import status

    profile = get_profile(args.profile)
    cases = [get_case(name) for name in args.cases] if args.cases else None
    fingerprint = None
    if args.source is not None:
        from cnnnotes.data import load_cifar10

        fingerprint = load_cifar10(args.source).info.fingerprint
    states = status(profile, fingerprint, Path(args.results), cases)
    for state in states:
        print(state.line())
    return 1 if args.check and any(s.state != "fresh" for s in states) else 0


def _cmd_train(args: argparse.Namespace) -> int:
    from cnnnotes.cases import DEFAULT_ORDER, get_case, get_profile
    from cnnnotes.data import load_cifar10
    from cnnnotes.status import status
    from cnnnotes.store import publish
    from cnnnotes.train import train

    profile = get_profile(args.profile)
    cases = [get_case(name) for name in (args.cases or DEFAULT_ORDER)]
    results = Path(args.results)
    data = load_cifar10(args.source)
    states = status(profile, data.info.fingerprint, results, cases)
    todo = [case for case, state in zip(cases, states, strict=True) if state.state != "fresh"]
    for state in states:
        print(state.line(), flush=True)
    for i, case in enumerate(todo, 1):
        print(f"[{i}/{len(todo)}] {profile.name}/{case.name}", flush=True)
        store = Path(args.store) if args.store else None
        run = train(case, profile, data, store=store)
        print(f"published {publish(run, results)}", flush=True)
    print(f"{len(todo)} run(s) trained or taken from the store, {len(cases) - len(todo)} fresh")
    return 0


def _add_run_commands(sub: argparse._SubParsersAction) -> None:
    """`cnnnotes train`, `cnnnotes status`: owned by the run store."""
    from cnnnotes.cases import CASES, PROFILES

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--profile", default="notes", choices=list(PROFILES), help="default: notes")
        p.add_argument(
            "--case",
            dest="cases",
            nargs="+",
            action="extend",
            choices=list(CASES),
            metavar="NAME",
            help=f"cases, in this order ({', '.join(CASES)}; default: all, Case 1 first)",
        )
        p.add_argument(
            "--source",
            help="CIFAR-10 source: keras, the official archive or an image-folder tree/tar.gz "
            "(default: $CNNNOTES_CIFAR10, else keras)",
        )
        p.add_argument("--results", default="results", help="committed results folder")

    p = sub.add_parser("train", help="train the stale or missing runs and publish them to results/")
    common(p)
    p.add_argument(
        "--store",
        help="run cache (checkpoints, weights; default: $CNNNOTES_CACHE_DIR, "
        "else $XDG_CACHE_HOME/cnnnotes, else ~/.cache/cnnnotes)",
    )
    p.set_defaults(handler=_cmd_train)
    p = sub.add_parser("status", help="one line per run: fresh, stale (why) or missing")
    common(p)
    p.add_argument("--check", action="store_true", help="exit 1 if any run is stale or missing")
    p.set_defaults(handler=_cmd_status)


def _profiles_epilog() -> str:
    """What each profile is for and what it trains, read from the profiles."""
    from cnnnotes.cases import PROFILES

    lines = ["profiles:"]
    for name, p in PROFILES.items():
        train = f"the first {p.train_subset:,}" if p.train_subset else "all"
        test = f"the first {p.test_subset:,}" if p.test_subset else "all"
        purpose = _PROFILE_PURPOSE.get(name, "")
        lines.append(
            f"  {name:<7} {purpose + '; ' if purpose else ''}"
            f"{p.epochs} epoch{'s' if p.epochs != 1 else ''}, "
            f"batch {p.batch_size}, {train} training and {test} test images, "
            f"last {p.validation_split:.0%} of the training images held out for validation"
        )
    return "\n".join(lines)


def _describe(sub: argparse._SubParsersAction) -> None:
    """Give each subcommand without a description its one-line help as one."""
    helps = {a.dest: a.help for a in sub._choices_actions}
    for name, parser in sub.choices.items():
        if parser.description is None and helps.get(name):
            parser.description = f"{str(helps[name])[0].upper()}{str(helps[name])[1:]}."


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cnnnotes",
        description="Build and reproduce the cnnnotes CNN study site.",
        formatter_class=_HelpFormatter,
    )
    parser.add_argument(
        "--debug", action="store_true", help=f"show the traceback of an error (or {ENV_DEBUG}=1)"
    )
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )
    _add_build_commands(sub)
    _add_data_commands(sub)
    _add_run_commands(sub)
    _describe(sub)
    for name in ("train", "status"):
        if name in sub.choices:
            sub.choices[name].epilog = _profiles_epilog()
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: ``sys.argv[1:]``) and return the exit status."""
    args = _parser().parse_args(argv)
    debug = args.debug or os.environ.get(ENV_DEBUG, "") not in ("", "0")
    handler: Handler = args.handler
    try:
        if args.command == "train":
            require_training_extra()
        elif args.command == "status" and args.source is not None and _uses_keras(args.source):
            require_training_extra("the keras source", _LOCAL_SOURCE)
        return handler(args)
    except CnnnotesError as exc:
        if debug:
            raise
        print(f"cnnnotes: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("cnnnotes: interrupted", file=sys.stderr)
        return 130


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())
