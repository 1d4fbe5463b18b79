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
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cnnnotes.errors import CnnnotesError

if TYPE_CHECKING:
    from cnnnotes.data import Cifar10
    from cnnnotes.experiments.runs.cases import Case, Profile

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
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # argparse's keywords, passed on untyped
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
    from cnnnotes.experiments.training.tfimport import import_tensorflow

    import_tensorflow(what, otherwise)


def _cmd_build(args: argparse.Namespace) -> int:
    from cnnnotes.site.build import build_site_assets

    root = Path(args.root)
    if not (root / "mkdocs.yml").is_file():
        raise CnnnotesError(f"build: {root} holds no mkdocs.yml; give the project root as --root")
    report = build_site_assets(root, isolated=False, jobs=args.jobs, progress=print)
    print(report.summary())
    if args.offline:
        from cnnnotes.site.offline import build_offline

        build_offline(root, Path(args.out) if args.out else None, jobs=args.jobs, progress=print)
    return 0


def _jobs(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _add_build_commands(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser(
        "build",
        help="render every figure and executed notebook of the site",
        description="Render every figure, generated table and executed notebook of the site "
        "that is out of date, into <root>/.cache/ (what `mkdocs build` does first). "
        "Needs neither CIFAR-10 nor TensorFlow: the figures come from results/.",
    )
    p.add_argument("--root", default=".", help="project root (the folder holding mkdocs.yml)")
    p.add_argument(
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help="worker processes (default: one per core; 1: one process; same files either way)",
    )
    p.add_argument(
        "--offline",
        action="store_true",
        help="then build the whole site for reading from a disk (file://) and zip it, the "
        "same bytes every time, into <root>/.cache/offline/cnnnotes-site.zip (or --out); "
        "a later `mkdocs build` offers that zip for download",
    )
    p.add_argument("--out", metavar="ZIP", help="where --offline writes the zip")
    p.set_defaults(handler=_cmd_build)


# --- data (cnnnotes.data) ------------------------------------------------------------------------


# The environment is read here (and in the MkDocs hook) only: the library gets its values.


def _source(given: str | None) -> str:
    """``--source``, else ``$CNNNOTES_CIFAR10``, else ``keras``."""
    from cnnnotes.data import ENV_SOURCE

    return given or os.environ.get(ENV_SOURCE) or "keras"


def _cache_dir() -> Path:
    """The user cache: ``$CNNNOTES_CACHE_DIR``, else ``$XDG_CACHE_HOME/cnnnotes``, else ~/.cache."""
    from cnnnotes.data import user_cache_dir

    return user_cache_dir(os.environ)


def _load(source: str | None) -> Cifar10:
    from cnnnotes.data import load_cifar10

    return load_cifar10(_source(source), cache_dir=_cache_dir())


def _uses_keras(source: str | None) -> bool:
    return _source(source) == "keras"


def _cmd_data_check(args: argparse.Namespace) -> int:
    from cnnnotes.data import SPLITS

    if _uses_keras(args.source):
        require_training_extra("the keras source", _LOCAL_SOURCE)
    info = _load(args.source).info
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
    from cnnnotes.data import write_excerpt
    from cnnnotes.experiments.runs.cases import NOTES
    from cnnnotes.experiments.runs.testimages import runs_fingerprints, write_for_runs

    if _uses_keras(args.source):
        require_training_extra("the keras source", _LOCAL_SOURCE)
    data = _load(args.source)
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


def _add_data_commands(sub: argparse._SubParsersAction[_Parser]) -> None:
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
        help="write the first 100 training images + info, and the test images the site runs "
        "the trained networks on",
        description="Write excerpt.npz (the first 100 training images in the loader's order), "
        "info.json (counts, fingerprint, the validation split) and the test images the site "
        "runs the trained networks on to the output folder. Refuses a source whose dataset "
        "fingerprint differs from the committed runs'.",
    )
    excerpt.add_argument("--source", default=None, help=source_help)
    excerpt.add_argument("--out", default="results/dataset", help="output folder")
    excerpt.add_argument(
        "--results", default="results", help="committed results (their runs choose the picks)"
    )
    excerpt.set_defaults(handler=_cmd_data_excerpt)


# --- runs (experiments.runs.cases / experiments.training) -----------------------------------------


def _fingerprint(source: str | None) -> str | None:
    if source is None:
        return None
    return _load(source).info.fingerprint


def _chosen_cases(names: Sequence[str] | None) -> list[Case]:
    from cnnnotes.experiments.runs.cases import DEFAULT_ORDER, get_case

    return [get_case(name) for name in (names or DEFAULT_ORDER)]


def _cmd_status(args: argparse.Namespace) -> int:
    import json

    from cnnnotes.experiments.runs.cases import get_case, get_profile
    from cnnnotes.experiments.runs.committed import problems
    from cnnnotes.experiments.runs.status import status, summary

    profile = get_profile(args.profile)
    cases = [get_case(name) for name in args.cases] if args.cases else None
    states = status(profile, _fingerprint(args.source), Path(args.results), cases)
    if args.json:
        doc = {
            "profile": profile.name,
            "runs": [s.to_dict() for s in states],
            "cases": summary(profile, states),
        }
        print(json.dumps(doc, indent=1))
    else:
        for state in states:
            print(state.line())
        for case, row in summary(profile, states).items():
            missing = ", ".join(map(str, row["missing_seeds"])) or "none"
            states_of = Counter(s.state for s in states if s.case == case and s.state != "planned")
            held = ", ".join(f"{n} {state}" for state, n in sorted(states_of.items())) or "no run"
            print(
                f"{profile.name}/{case:<9} {row['n']} of {row['planned']} planned seeds "
                f"usable ({held}; missing: {missing})"
            )
    bad_files = problems(Path(args.results))
    for line in bad_files:
        print(f"results: {line}", file=sys.stderr if args.json else sys.stdout)
    return 1 if args.check and (bad_files or any(s.failing for s in states)) else 0


def _cmd_train(args: argparse.Namespace) -> int:
    from cnnnotes.experiments.runs.cases import get_profile

    profile = get_profile(args.profile)
    cases = _chosen_cases(args.cases)
    results = Path(args.results)
    _check_folder(results, "--results")
    if args.store:
        _check_folder(Path(args.store), "--store")
    if args.dry_run:
        from cnnnotes.experiments.training.orchestrate import plan_stale

        todo = plan_stale(
            profile,
            cases,
            results,
            fingerprint=_fingerprint(args.source),
            seeds=args.seeds,
            replace=args.replace,
        )
        print("\n".join(todo.lines()))
        return 0
    from cnnnotes.experiments.training.orchestrate import train_stale

    report = train_stale(
        profile,
        cases,
        results,
        source=_source(args.source),
        cache_dir=_cache_dir(),
        store=Path(args.store) if args.store else None,
        seeds=args.seeds,
        replace=args.replace,
        executor=args.executor,
        threads=args.threads,
        address=args.address,
        data_via=args.data_via,
        log=lambda line: print(line, flush=True),
    )
    print("\n".join(report.lines()))
    return 0


def _check_folder(path: Path, option: str) -> None:
    """Fail before any work when ``path`` is not a folder that can be written."""
    import os

    if path.exists() and not path.is_dir():
        raise CnnnotesError(f"{option}: {path} is not a folder")
    probe = path if path.exists() else next((p for p in path.parents if p.exists()), Path("."))
    if not os.access(probe, os.W_OK | os.X_OK):
        raise CnnnotesError(f"permission denied: {probe} ({option} must be writable)")


def _cmd_clean(args: argparse.Namespace) -> int:
    from cnnnotes.experiments.runs.store import clean

    store = Path(args.store) if args.store else _cache_dir()
    _check_folder(store, "--store")
    orphans = clean(store, dry_run=args.dry_run)
    verb = "would remove" if args.dry_run else "removed"
    for orphan in orphans:
        print(f"{verb} {orphan.path} ({orphan.bytes / 1e6:.1f} MB: {orphan.why})")
    total = sum(o.bytes for o in orphans) / 1e6
    print(f"{verb} {len(orphans)} store entr{'y' if len(orphans) == 1 else 'ies'}, {total:.1f} MB")
    return 0


def _cmd_kernels(args: argparse.Namespace) -> int:
    from cnnnotes.experiments.runs.cases import get_case, get_profile
    from cnnnotes.experiments.training.kernels import KEPT_FOR, ReproductionError, keep_kernels

    profile = get_profile(args.profile)
    results = Path(args.results)
    _check_folder(results, "--results")
    refused = 0
    for name in args.cases or KEPT_FOR:
        case = get_case(name)
        for seed in args.seeds or profile.planned_seeds(name):
            try:
                kept = keep_kernels(
                    case,
                    profile,
                    seed,
                    results,
                    data=lambda: _load(args.source),
                    store=Path(args.store) if args.store else None,
                    log=lambda line: print(line, flush=True),
                )
            except ReproductionError as exc:
                refused += 1
                print(f"refused: {exc}", flush=True)
                continue
            how = "from its weights" if kept.source == "weights" else "retrained, reproduced"
            print(f"{kept.label}: kernels kept ({how})", flush=True)
    return 1 if refused else 0


def _seed_option(p: argparse.ArgumentParser, help: str) -> None:
    """``--seed K [K ...]``: the seeds a command picks among the planned ones."""
    p.add_argument(
        "--seed", dest="seeds", nargs="+", type=int, action="extend", metavar="K", help=help
    )


def _results_option(p: argparse.ArgumentParser) -> None:
    """``--results DIR``: the committed results folder a command reads or publishes to."""
    p.add_argument(
        "--results", default="results", help="committed results folder (default: results)"
    )


def _store_option(p: argparse.ArgumentParser) -> None:
    """``--store DIR``: the run cache, when not the default one."""
    p.add_argument(
        "--store",
        help="run cache (checkpoints, weights; default: $CNNNOTES_CACHE_DIR, "
        "else $XDG_CACHE_HOME/cnnnotes, else ~/.cache/cnnnotes)",
    )


def _add_run_commands(sub: argparse._SubParsersAction[_Parser]) -> None:
    """`cnnnotes train`, `cnnnotes status`, `cnnnotes clean`: owned by the run store."""
    from cnnnotes.experiments.runs.cases import CASES, PROFILES

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--profile",
            default="notes",
            choices=list(PROFILES),
            help="; ".join(_profile_brief(p) for p in PROFILES.values()) + " (default: notes)",
        )
        p.add_argument(
            "--case",
            dest="cases",
            nargs="+",
            action="extend",
            choices=list(CASES),
            metavar="NAME",
            help=f"cases, in this order ({', '.join(CASES)}; default: all, cheapest first)",
        )
        p.add_argument(
            "--source",
            help="CIFAR-10 source: keras, the official archive or an image-folder tree/tar.gz "
            "(default: $CNNNOTES_CIFAR10, else keras)",
        )
        _results_option(p)

    p = sub.add_parser(
        "train",
        help="train the planned runs that are not fresh and publish them to results/",
        description="Train every planned run that is missing, or was trained by earlier "
        "training code, seed by seed (cheap cases first), and publish each to results/ as "
        "it finishes. Resumes after an interruption. Refuses to replace a committed run "
        "of other settings or data unless --replace is given.",
    )
    common(p)
    _seed_option(
        p, "train only these of the planned seeds (default: all planned; Case 1 plans fewer)"
    )
    p.add_argument(
        "--dry-run", action="store_true", help="list what would train, with estimated times"
    )
    p.add_argument(
        "--replace",
        action="store_true",
        help="overwrite committed runs of other settings or data",
    )
    _store_option(p)
    _add_executor_options(p)
    p.set_defaults(handler=_cmd_train)
    p = sub.add_parser(
        "status",
        help="one line per run: fresh, outdated, planned, stale, corrupt or missing",
        description="Verify every committed run and compare it with today's code, cases, "
        "profile and data. Needs neither the dataset nor TensorFlow.",
    )
    common(p)
    p.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if any run is stale, corrupt or missing (outdated and planned only warn)",
    )
    p.add_argument("--json", action="store_true", help="print JSON, with n of planned per case")
    p.set_defaults(handler=_cmd_status)
    p = sub.add_parser(
        "clean",
        help="remove store entries and checkpoints that no current key uses",
        description="Remove run-cache entries made by earlier training code or for runs no "
        "longer planned. Entries of runs training now are left alone.",
    )
    _store_option(p)
    p.add_argument("--dry-run", action="store_true", help="list what would go, and its size")
    p.set_defaults(handler=_cmd_clean)
    p = sub.add_parser(
        "kernels",
        help="keep the first-layer kernels of committed runs (initial and trained)",
        description="Add kernels.npz (the first-layer kernels as initialised and as trained) "
        "to committed runs, by default of the baseline and Case 2. The trained kernels come "
        "from a run's weights, or from a retrain that must reproduce its committed history "
        "bit for bit: a run committed on another CPU is refused before training, a retrain "
        "that differs is refused after it, and nothing is written for either (exit 1).",
    )
    common(p)
    _seed_option(p, "only these seeds (default: every planned seed)")
    _store_option(p)
    p.set_defaults(handler=_cmd_kernels)
    p = sub.add_parser(
        "changes",
        help="list, or record, changes to the published verdicts and headline numbers",
        description="Compare the verdicts and headline numbers of the committed runs with "
        "the last record in results/changes.json. With --record, append the differences "
        "(dated today) and store the new snapshot; the cases page lists them.",
    )
    _results_option(p)
    p.add_argument("--record", action="store_true", help="store the changes and the snapshot")
    p.set_defaults(handler=_cmd_changes)
    p = sub.add_parser(
        "claims",
        help="list every verdict (the notes' claims and our corrections) with its numbers",
        description="Judge every registered claim over the committed runs under the v2 rules "
        "(written after the runs were seen) and list it with its interval, n, method, the v1 "
        "and Bonferroni-view outcomes and, for a can't tell, the seeds that would settle it.",
    )
    _results_option(p)
    p.add_argument("--json", action="store_true", help="print the rows as a JSON list")
    p.set_defaults(handler=_cmd_claims)


def _cmd_claims(args: argparse.Namespace) -> int:
    import json

    from cnnnotes.experiments.runs.verdict_rows import all_rows

    found = all_rows(Path(args.results))
    if args.json:
        print(json.dumps(found, indent=1, ensure_ascii=False))
        return 0
    for r in found:
        est = "" if r["estimate"] is None else f"{r['estimate']:+.3f}"
        ci = "" if r["low"] is None else f" [{r['low']:+.3f}, {r['high']:+.3f}]"
        need = f" (seeds needed: {r['seeds_needed']})" if r["seeds_needed"] is not None else ""
        print(f"{r['id']:<32} {r['outcome']:<11} v1 {r['outcome_v1']!s:<11} {est}{ci}{need}")
    return 0


def _cmd_changes(args: argparse.Namespace) -> int:
    import datetime
    import json

    from cnnnotes.experiments.runs.changes import diff, load, record, snapshot

    results = Path(args.results)
    if args.record:
        found = record(results, datetime.datetime.now(datetime.UTC).date().isoformat())
    else:
        stored = load(results)
        found = [] if stored is None else diff(stored["snapshot"], snapshot(results), "now")
    for c in found:
        print(f"{c.date}  {c.kind:<8} {c.case}/{c.key}: {json.dumps(c.old)} -> {json.dumps(c.new)}")
    if not found:
        print("no change to the published verdicts or headline numbers")
    return 0


def _profiles_epilog() -> str:
    """What each profile is for and what it trains, read from the profiles."""
    from cnnnotes.experiments.runs.cases import PROFILES

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


def _profile_brief(p: Profile) -> str:
    """``notes (20 epochs, all data, seeds 0-4)``, read from the profile."""
    data = f"{p.train_subset:,} images" if p.train_subset else "all data"
    seeds = (
        f"seeds {p.seeds[0]}-{p.seeds[-1]}"
        if p.seeds == tuple(range(p.seeds[0], p.seeds[-1] + 1)) and len(p.seeds) > 1
        else f"seed{'s' if len(p.seeds) > 1 else ''} {', '.join(map(str, p.seeds))}"
    )
    epochs = f"{p.epochs} epoch{'s' if p.epochs != 1 else ''}"
    return f"{p.name} ({epochs}, {data}, {seeds})"


def _describe(sub: argparse._SubParsersAction[_Parser]) -> None:
    """Give each subcommand without a description its one-line help as one."""
    helps = {a.dest: a.help for a in sub._choices_actions}
    for name, parser in sub.choices.items():
        if parser.description is None and helps.get(name):
            parser.description = f"{str(helps[name])[0].upper()}{str(helps[name])[1:]}."


def _add_executor_options(p: argparse.ArgumentParser) -> None:
    """`cnnnotes train --executor ...`: owned by cnnnotes.experiments.training.executors."""
    p.add_argument(
        "--executor",
        choices=("local", "ray"),
        default="local",
        help="local: train here, one run after another (default); ray: one Ray task per run "
        "(needs the cluster extra)",
    )
    p.add_argument(
        "--address",
        help="with --executor ray: a running Ray cluster, HOST:PORT (default: start a local "
        "one on loopback)",
    )
    p.add_argument(
        "--threads",
        type=_positive_int,
        metavar="N",
        help="threads per run, pinned the same way by both executors (TensorFlow's pools, "
        "OMP_NUM_THREADS; with ray also the CPUs a task declares, at most the largest node's); "
        "default: this machine's CPUs",
    )
    p.add_argument(
        "--data-via",
        choices=("object-store", "source"),
        default="object-store",
        help="with --executor ray: object-store sends the loaded data to each node once "
        "(default); source has every worker load --source, a path all nodes must see",
    )


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
            if args.executor == "ray" and not args.dry_run:
                _probe_ray(args.address)  # seconds, before TensorFlow takes as many to load
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


def _probe_ray(address: str | None) -> None:
    """Check that the Ray cluster named by ``--address`` or ``$RAY_ADDRESS`` answers."""
    from cnnnotes.experiments.training.rayprobe import probe, resolve_address

    found, shown = resolve_address(address)
    if found:
        probe(found, shown)


def _positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (``--threads 0`` is no default)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive number")
    return value


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())
