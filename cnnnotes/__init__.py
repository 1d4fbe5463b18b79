"""cnnnotes — bilingual CNN study notes whose figures are regenerated from cached experiments.

The package is organised by role:

- ``ops``        reference numpy implementations of convolution, ReLU and pooling
- ``data``       CIFAR-10 from Keras, the official archive or image folders
- ``notes_ops``  the notes' own loop code, reproduced to show its bugs
- ``cases``      the notes' experiments as frozen data (cases and profiles)
- ``model``      the Keras model of a case
- ``train``      training with exact resume (tier-1 cache); ``store`` keeps finished runs,
                 ``status`` says which are fresh, stale (and why) or missing,
                 ``provenance`` records versions and hardware; ``executors`` trains
                 here or as tasks on a Ray cluster
- ``results``    reading committed results without TensorFlow
- ``claims``     the notes' statements checked against our runs
- ``figures``    figure and table functions, one module per part of the site
- ``build``      the single entry point that renders every site asset (tier-2 cache);
                 ``notebooks`` executes the site's notebooks, ``site`` is the MkDocs glue
- ``codehash``, ``cache``, ``style``, ``labels``, ``errors``: shared helpers
- ``cli``        the ``cnnnotes`` command
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
