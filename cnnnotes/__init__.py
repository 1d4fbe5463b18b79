"""cnnnotes — bilingual CNN study notes whose figures are regenerated from cached experiments.

The package is organised by role:

- ``ops``        reference numpy implementations of convolution, ReLU and pooling
- ``data``       CIFAR-10 from Keras, the official archive or image folders
- ``notes_ops``  the notes' own loop code, reproduced to show its bugs
- ``cases``      the notes' experiments as frozen data (cases and profiles)
- ``model``      the Keras model of a case
- ``numerics``   the code that decides a run's numbers, and the only code its key hashes
- ``train``      training runs in one loop with exact resume (tier-1 cache); ``store`` keys,
                 keeps, publishes and cleans runs, ``status`` says which are fresh,
                 outdated, planned, stale, corrupt or missing, ``provenance`` records
                 versions and hardware; ``executors`` trains here or as tasks on a
                 Ray cluster
- ``results``    the run folder: its one format, written and verified on every read
- ``stats``      per-run summaries, intervals over seeds and verdict rules, fixed in advance
- ``forward``    a trained run's network in numpy (``ops``), checked against its predictions
- ``testimages`` the committed test images: a per-class excerpt and the confident picks
- ``claims``     the notes' statements judged over every seed with ``stats`` (summaries,
                 intervals, rules fixed in advance); ``_claims_render`` words them
- ``figures``    figure and table functions, one module per part of the site; assets of
                 every case are registered per case (``registry.per_case``), and
                 ``casepage`` generates each case's section of the cases page
- ``build``      the single entry point that renders every site asset (tier-2 cache);
                 ``render`` draws them and ``notebooks`` executes the site's notebooks,
                 side by side in worker processes; ``site`` is the MkDocs glue,
                 ``pagehtml`` rewrites rendered pages (headings, figures, search index)
- ``reads``      values read while drawing an asset, so that its key follows them
- ``codehash``, ``cache``, ``style``, ``labels``, ``errors``: shared helpers
- ``cli``        the ``cnnnotes`` command
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
