#!/usr/bin/env bash
# Train the `notes` profile (the notes' six runs, Case 1 first) and publish each run to results/.
#
# Safe to re-run and to interrupt: finished runs are skipped, an interrupted run resumes
# from its last epoch checkpoint. Runs in the background with
#
#     nohup scripts/train_notes.sh &
#
# and logs to logs/train-notes.log (follow it with `tail -f logs/train-notes.log`).
# The data source is $CNNNOTES_CIFAR10, else the offline copy ../shared/data/cifar-10-images.tar.gz;
# extra arguments go to `cnnnotes train` (e.g. `--case baseline case3`).
set -euo pipefail

cd "$(dirname "$0")/.."
source_path="${CNNNOTES_CIFAR10:-../shared/data/cifar-10-images.tar.gz}"
python="${PYTHON:-.venv/bin/python}"
[ -x "$python" ] || python=python3
log=logs/train-notes.log
mkdir -p logs
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"

stamp() { date -u +%Y-%m-%dT%H:%M:%SZ; }
{
    echo "=== $(stamp) cnnnotes train --profile notes --source $source_path $*"
    status=0
    "$python" -m cnnnotes train --profile notes --source "$source_path" --results results "$@" \
        || status=$?
    "$python" -m cnnnotes status --profile notes --source "$source_path" --results results || true
    echo "=== $(stamp) finished with exit status $status (re-run this script to resume)"
    exit "$status"
} >>"$log" 2>&1
