#!/usr/bin/env bash
# Train the `notes` profile (the notes' six runs, Case 1 first) and publish each run to results/.
#
# Safe to re-run and to interrupt: finished runs are skipped, an interrupted run resumes
# from its last epoch checkpoint. Runs in the background with
#
#     nohup scripts/train_notes.sh --source PATH &
#
# and logs to logs/train-notes.log (follow it with `tail -f logs/train-notes.log`).
# The data source is --source PATH, else $CNNNOTES_CIFAR10; with neither, the script stops with
# a one-line error. Other arguments go to `cnnnotes train` (e.g. `--case baseline case3`).
set -euo pipefail

die() { echo "train_notes.sh: error: $*" >&2; exit 2; }

source_path="${CNNNOTES_CIFAR10:-}"
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --source) [ $# -ge 2 ] || die "--source needs a path"; source_path="$2"; shift 2 ;;
        --source=*) source_path="${1#--source=}"; shift ;;
        *) args+=("$1"); shift ;;
    esac
done
[ -n "$source_path" ] || die "no CIFAR-10 source: pass --source PATH or set CNNNOTES_CIFAR10"
# A relative path is taken from the folder the script was started in.
[ "$source_path" = keras ] || source_path="$(realpath -m -- "$source_path")"

cd "$(dirname "$0")/.."
python="${PYTHON:-.venv/bin/python}"
[ -x "$python" ] || python=python3
log=logs/train-notes.log
mkdir -p logs

stamp() { date -u +%Y-%m-%dT%H:%M:%SZ; }
{
    echo "=== $(stamp) cnnnotes train --profile notes --source $source_path ${args[*]}"
    status=0
    "$python" -m cnnnotes train --profile notes --source "$source_path" --results results \
        "${args[@]}" || status=$?
    "$python" -m cnnnotes status --profile notes --source "$source_path" --results results || true
    echo "=== $(stamp) finished with exit status $status (re-run this script to resume)"
    exit "$status"
} >>"$log" 2>&1
