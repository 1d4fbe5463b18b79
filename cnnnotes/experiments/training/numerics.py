"""The numerics of a run: the code that decides its numbers, and nothing else.

Everything a run's numbers depend on is here or is called from here: the subset,
split and scaling of the data (images ``/255``, one-hot labels, the **last**
``validation_split`` of the training arrays held out, as Keras does), the model
and its initialisation (:func:`cnnnotes.experiments.training.model.build_model`), the order of the
batches, one epoch of training with its validation, the final evaluation, and
which variables a checkpoint must hold for an exact resume.

The run key hashes exactly these functions and what they use
(:func:`cnnnotes.codehash.closure_key` over :data:`__all__`), normalised:
comments, docstrings, layout, annotations and local names don't count, and
neither does the module they live in. Logging, locking, progress, checkpoint
files, the store and publishing live in :mod:`cnnnotes.experiments.training.loop` and
:mod:`cnnnotes.experiments.runs.store`, outside the key; so does validation of cases and profiles
(:mod:`cnnnotes.experiments.runs.cases`).

Training is one continuous loop over Keras' compiled step functions: no
``fit`` per epoch and no ``tf.data`` pipeline (whose tear-down stalled for seconds
at every epoch). Epoch ``e`` visits the training images in the order
``default_rng([seed, e]).permutation(n)``, so a resumed run sees the same batches
as an uninterrupted one. Metrics are Keras' own running means over an epoch, as
``fit`` reports them.

TensorFlow is imported inside the functions that need it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from cnnnotes.experiments.training.model import NUM_CLASSES, build_model

if TYPE_CHECKING:
    import keras

    from cnnnotes.data import Cifar10
    from cnnnotes.experiments.runs.cases import Case, Profile

__all__ = ["evaluate", "prepare", "start", "state_variables", "train_epoch"]


def prepare(profile: Profile, data: Cifar10) -> dict[str, np.ndarray]:
    """Subset, split (last part held out) and scale the data.

    Returns ``x_fit``, ``y_fit``, ``x_val``, ``y_val``, ``x_test``, ``y_test`` (float32
    images in [0, 1], one-hot float32 labels) and ``labels`` (uint8 test labels).
    """
    x, y = data.x_train[: profile.train_subset], data.y_train[: profile.train_subset]
    split_at = int(np.floor(len(x) * (1.0 - profile.validation_split)))
    x_test, y_test = data.x_test[: profile.test_subset], data.y_test[: profile.test_subset]

    def scale(images: np.ndarray) -> np.ndarray:
        return images.astype(np.float32) / np.float32(255.0)

    def one_hot(labels: np.ndarray) -> np.ndarray:
        return np.eye(NUM_CLASSES, dtype=np.float32)[labels]  # type: ignore[no-any-return]  # numpy types fancy indexing as Any

    return {
        "x_fit": scale(x[:split_at]),
        "y_fit": one_hot(y[:split_at]),
        "x_val": scale(x[split_at:]),
        "y_val": one_hot(y[split_at:]),
        "x_test": scale(x_test),
        "y_test": one_hot(y_test),
        "labels": y_test.astype(np.uint8),
    }


def start(case: Case, seed: int) -> keras.Model:
    """The compiled, initialised model of ``case`` for ``seed``, with its optimizer built.

    Weights come from the global Keras seed; the dropout stream from a seed derived
    from ``seed``. TensorFlow's ops are made deterministic.
    """
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    model = build_model(case, seed=int(np.random.default_rng([seed, 1]).integers(2**31)))
    model.optimizer.build(model.trainable_variables)
    return model


def state_variables(model: keras.Model) -> dict[str, list[Any]]:
    """The variables an exact resume needs, by group, in a fixed order.

    The model's variables include the dropout layer's seed-generator state; the
    optimizer's include its iteration count.
    """
    return {"model": list(model.variables), "optimizer": list(model.optimizer.variables)}


def _batches(x: np.ndarray, y: np.ndarray, order: np.ndarray, size: int) -> Any:
    for i in range(0, len(order), size):
        take = order[i : i + size]
        yield x[take], y[take]


def _run(step: Any, model: keras.Model, batches: Any, count: int) -> dict[str, float]:
    model.reset_metrics()
    for _ in range(count):
        step(batches)
    return {k: float(v) for k, v in model.get_metrics_result().items()}


def train_epoch(
    model: keras.Model, arrays: dict[str, np.ndarray], seed: int, epoch: int, batch_size: int
) -> dict[str, float]:
    """Train ``model`` for epoch ``epoch`` (0-based), then validate it.

    Returns ``loss``, ``accuracy`` (running means over the epoch's batches, dropout
    on) and ``val_loss``, ``val_accuracy`` (the validation images, dropout off).
    """
    n, n_val = len(arrays["x_fit"]), len(arrays["x_val"])
    order = np.random.default_rng([seed, epoch]).permutation(n)
    steps, val_steps = -(-n // batch_size), -(-n_val // batch_size)
    model.make_train_function()
    model.make_test_function()
    fitted = _run(
        model.train_function,
        model,
        _batches(arrays["x_fit"], arrays["y_fit"], order, batch_size),
        steps,
    )
    val = _run(
        model.test_function,
        model,
        _batches(arrays["x_val"], arrays["y_val"], np.arange(n_val), batch_size),
        val_steps,
    )
    return {
        "loss": fitted["loss"],
        "accuracy": fitted["accuracy"],
        "val_loss": val["loss"],
        "val_accuracy": val["accuracy"],
    }


def evaluate(
    model: keras.Model, arrays: dict[str, np.ndarray], batch_size: int
) -> tuple[dict[str, float], np.ndarray]:
    """The final model on the training images (dropout off) and the test images.

    Returns the metrics ``train_loss``, ``train_accuracy``, ``test_loss``,
    ``test_accuracy`` and the softmax outputs on the test images ``(N, 10)``.
    """
    model.make_test_function()
    metrics: dict[str, float] = {}
    for part, x, y in (
        ("train", arrays["x_fit"], arrays["y_fit"]),
        ("test", arrays["x_test"], arrays["y_test"]),
    ):
        batches = _batches(x, y, np.arange(len(x)), batch_size)
        got = _run(model.test_function, model, batches, -(-len(x) // batch_size))
        metrics[f"{part}_loss"], metrics[f"{part}_accuracy"] = got["loss"], got["accuracy"]
    x_test = arrays["x_test"]
    probabilities = np.concatenate(
        [
            np.asarray(model.predict_on_batch(x_test[i : i + batch_size]))
            for i in range(0, len(x_test), batch_size)
        ]
    )
    return metrics, probabilities
