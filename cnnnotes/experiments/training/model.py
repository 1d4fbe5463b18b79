"""The Keras model of a case, exactly as the notes build it (with ``keras.Input``).

Keras is imported inside :func:`build_model` only, so that reading results and
checking their status never needs TensorFlow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cnnnotes.experiments.runs.cases import Case

if TYPE_CHECKING:
    import keras

__all__ = ["INPUT_SHAPE", "NUM_CLASSES", "build_model"]

INPUT_SHAPE: tuple[int, int, int] = (32, 32, 3)
NUM_CLASSES = 10


def build_model(case: Case, *, seed: int | None = None) -> keras.Model:
    """Build and compile the CNN of ``case``.

    Layers are named ``conv1``, ``pool1``, ``conv2``, ``pool2``, ``conv3``, ``flatten``,
    ``dense1``, [``dropout``,] ``dense2``, so exported weights read as ``conv1/kernel``.

    Parameters
    ----------
    case
        The experiment (architecture and optimizer).
    seed
        Seed of the Dropout layer's random stream (weights are initialised from the
        global Keras seed, see :func:`keras.utils.set_random_seed`).

    Returns
    -------
    keras.Model
        Compiled with categorical cross-entropy and accuracy; input ``(32, 32, 3)`` floats
        in [0, 1], output 10 softmax probabilities.
    """
    import keras
    from keras import layers

    # --8<-- [start:layers]
    k = (case.kernel_size, case.kernel_size)
    p = (case.pool_size, case.pool_size)
    stack: list[keras.Layer] = [
        keras.Input(shape=INPUT_SHAPE),
        layers.Conv2D(case.filters[0], k, activation="relu", name="conv1"),
        layers.MaxPool2D(pool_size=p, name="pool1"),
        layers.Conv2D(case.filters[1], k, activation="relu", name="conv2"),
        layers.MaxPool2D(pool_size=p, name="pool2"),
        layers.Conv2D(case.filters[2], k, activation="relu", name="conv3"),
        layers.Flatten(name="flatten"),
        layers.Dense(case.dense_units, activation="relu", name="dense1"),
    ]
    if case.dropout > 0:
        stack.append(layers.Dropout(case.dropout, seed=seed, name="dropout"))
    stack.append(layers.Dense(NUM_CLASSES, activation="softmax", name="dense2"))
    model = keras.Sequential(stack, name=case.name)
    optimizer = (
        keras.optimizers.Adam(learning_rate=case.learning_rate)
        if case.optimizer == "adam"
        else keras.optimizers.RMSprop(learning_rate=case.learning_rate)
    )
    model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])
    # --8<-- [end:layers]
    return model
