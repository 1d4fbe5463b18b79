"""cnnnotes — bilingual CNN study notes whose figures are regenerated from cached experiments.

The package is organised by role, each layer importing only those below it (no import
cycle, lazy imports included: ``tests/test_imports.py``):

- ``cli``        the ``cnnnotes`` command; with ``site/hook.py`` the only code that reads
                 the environment (the CIFAR-10 source, the cache folder) and passes it on
- ``data/``      CIFAR-10 from Keras, the official archive or image folders: the loader
                 (``data``), its readers (``formats``), errors (``errors``), the decoded
                 cache (``cache``) and the dataset record ``info.DatasetInfo`` (with its
                 ``origin``: jpeg, official or other)
- ``experiments/`` the experiments:

  - ``cases``      the notes' experiments as frozen data (cases and profiles)
  - ``model``      the Keras model of a case
  - ``numerics``   the code that decides a run's numbers, and the only code its key hashes
  - ``results``    the run folder: its one format and file names, the typed records
                   ``RunRecord`` (``run.json``) and ``Provenance``, written and verified on
                   every read
  - ``store``      keys, keeps, publishes and cleans runs; ``status`` says which are fresh,
                   outdated, planned, stale, corrupt or missing; ``provenance`` measures
                   versions and hardware
  - ``train``      training runs in one loop with exact resume (tier-1 cache);
                   ``executors`` trains here or as tasks on a Ray cluster; ``orchestrate``
                   is what ``cnnnotes train`` does (plan the stale runs, train, publish)
  - ``stats``      per-run summaries, intervals over seeds and verdict rules, fixed in advance
  - ``claims``     the notes' statements judged over every seed (``_claims_render`` words
                   them); ``changes`` records changes to verdicts and headline numbers
  - ``forward``    a trained run's network in numpy (``ops``), checked against its predictions
  - ``testimages`` the committed test images: a per-class excerpt and the confident picks
  - ``summary``    a case's layers, output shapes and parameter counts, without TensorFlow
  - ``tfimport``   TensorFlow and Keras imported for the CLI, without start-up noise

- ``site/``      the site: ``figures/`` (one module per part of the site, registered per
                 case where a case has one), ``build`` (the single entry point that renders
                 every asset, tier-2 cache), ``render`` (draws, finishes and stamps each
                 asset in one style context), ``notebooks``, ``casepage`` (each case's
                 generated section of the cases page), ``pagehtml``, ``style``, the MkDocs
                 ``hook`` and ``_compat`` (the plugins' private APIs, behind version checks)
- ``ops``        reference numpy implementations of convolution, ReLU and pooling
- ``notes_ops``  the notes' own loop code, reproduced to show its bugs
- ``i18n``       every word the site and its figures show: ``Lang``, ``LANGS`` and
                 ``t(key, lang, **values)`` over ``i18n/ko.toml`` and ``i18n/en.toml`` (same
                 keys, same placeholders; standard library only), and ``i18n.prose``, which
                 renders generated Markdown (admonitions, the verdict rules) from the
                 per-language Jinja2 templates ``i18n/templates/<lang>/*.md.j2``
- ``reads``      values read while drawing an asset (case fields, words), so that its key
                 follows them
- ``files``      atomic writes, locks and the one deterministic ``.npz`` writer;
                 ``codehash``, ``errors``: shared helpers
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
