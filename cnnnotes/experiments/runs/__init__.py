"""The half of the experiments that needs no TensorFlow: cases, records, what runs say.

The table of cases and profiles (:mod:`~cnnnotes.experiments.runs.cases`), the run
record (:mod:`~cnnnotes.experiments.runs.record`) and its folder
(:mod:`~cnnnotes.experiments.runs.folder`), the run store and keys
(:mod:`~cnnnotes.experiments.runs.store`), status, statistics, claims, summaries,
changes, the committed test images and the numpy forward pass. Nothing here imports
TensorFlow; the one import of the training half is the code key
(:mod:`~cnnnotes.experiments.runs.codekey`).
"""
