"""The half of the experiments that needs TensorFlow: the keyed unit, the loop, executors.

:mod:`~cnnnotes.experiments.training.numerics` and
:mod:`~cnnnotes.experiments.training.model` are the *keyed unit*: their normalised
code is part of every run key. They, and every module here, import TensorFlow only
inside the functions that train, so :mod:`cnnnotes.experiments.runs.codekey` can hash
the keyed unit where TensorFlow is not installed.
:mod:`~cnnnotes.experiments.training.loop` trains one run (resume, checkpoints,
publish), :mod:`~cnnnotes.experiments.training.executors` runs a plan locally or on
Ray (:mod:`~cnnnotes.experiments.training.rayprobe` checks a cluster's address first),
:mod:`~cnnnotes.experiments.training.orchestrate` is ``cnnnotes train`` as library calls.
"""
