"""The ``cnnnotes`` command: parse arguments, call the library, return an exit code.

Library errors meant for users (:class:`cnnnotes.errors.CnnnotesError` and its
subclasses) become a one-line message on stderr and exit status 2; nothing
else is caught, so bugs still show their traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from cnnnotes.errors import CnnnotesError

__all__ = ["main"]

Handler = Callable[[argparse.Namespace], int]


def _cmd_build(args: argparse.Namespace) -> int:
    from cnnnotes.build import build_site_assets

    report = build_site_assets(Path(args.root), isolated=False)
    print(report.summary())
    return 0


def _add_build_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="render every figure and executed notebook of the site")
    p.add_argument("--root", default=".", help="project root (the folder holding mkdocs.yml)")
    p.set_defaults(handler=_cmd_build)


# --- data (cnnnotes.data) ------------------------------------------------------------------------


def _cmd_data_check(args: argparse.Namespace) -> int:
    from cnnnotes.data import SPLITS, load_cifar10

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
    from cnnnotes.cases import NOTES
    from cnnnotes.data import load_cifar10, write_excerpt
    from cnnnotes.testimages import runs_fingerprints, write_for_runs

    data = load_cifar10(args.source)
    written: list[Path] = []
    if runs_fingerprints(Path(args.results), NOTES.name):
        # first: it refuses a dataset other than the committed runs' before anything is written
        written = write_for_runs(
            data.x_test,
            data.y_test,
            data.info.fingerprint,
            Path(args.results),
            Path(args.out),
            profile=NOTES.name,
            case="baseline",
        )
    else:
        print(f"no committed {NOTES.name} runs in {args.results}: test images not written")
    for path in [*written, *write_excerpt(data, Path(args.out))]:
        print(f"wrote {path}")
    return 0


def _add_data_commands(sub: argparse._SubParsersAction) -> None:
    """`cnnnotes data ...`: owned by the data layer."""
    data = sub.add_parser("data", help="check CIFAR-10 and write the committed excerpt")
    data_sub = data.add_subparsers(dest="data_command", required=True, metavar="ACTION")
    source_help = (
        "'keras', cifar-10-python.tar.gz, cifar-10-batches-py/, or an image folder "
        "(or .tar.gz of one); default: $CNNNOTES_CIFAR10, else keras"
    )
    check = data_sub.add_parser("check", help="load CIFAR-10; print counts and fingerprint")
    check.add_argument("--source", default=None, help=source_help)
    check.set_defaults(handler=_cmd_data_check)
    excerpt = data_sub.add_parser(
        "excerpt",
        help="write the first 100 training images + info, and the test images the site runs "
        "the trained networks on",
    )
    excerpt.add_argument("--source", default=None, help=source_help)
    excerpt.add_argument("--out", default="results/dataset", help="output folder")
    excerpt.add_argument(
        "--results", default="results", help="committed results (their runs choose the picks)"
    )
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cnnnotes", description="Build and reproduce the cnnnotes CNN study site."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_build_commands(sub)
    _add_data_commands(sub)
    _add_run_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: ``sys.argv[1:]``) and return the exit status."""
    args = _parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except CnnnotesError as exc:
        print(f"cnnnotes: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("cnnnotes: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
