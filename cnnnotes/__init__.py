"""cnnnotes — bilingual CNN study notes whose figures are regenerated from cached experiments.

The package is organised by role:

- ``ops``        reference numpy implementations of convolution, ReLU and pooling
- ``data``       CIFAR-10 from Keras, the official archive or image folders
- ``cases``      the notes' experiments as frozen data (cases and profiles)
- ``model``      the Keras model of a case
- ``train``      the run store (tier-1 cache): train, resume, evaluate
- ``results``    reading committed results without TensorFlow
- ``figures``    figure functions, one module per part of the site
- ``build``      the single entry point that renders every site asset (tier-2 cache)
- ``cli``        the ``cnnnotes`` command
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
