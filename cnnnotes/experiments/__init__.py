"""Tier 1, the experiments, in two halves that ``ls`` shows.

``runs/`` needs no TensorFlow: cases, the run record and folder, the store and keys,
status, statistics, claims, summaries. ``training/`` needs TensorFlow to run: the
keyed unit (numerics and model), the training loop, the executors and the orchestration.
Imports run from ``training`` to ``runs``, never back, except for
:mod:`cnnnotes.experiments.runs.codekey`, which hashes the keyed unit's code.
"""
