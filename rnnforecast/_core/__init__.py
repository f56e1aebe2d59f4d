"""The NumPy recurrent core: math and training loops, nothing else.

- :mod:`.cells`: Elman, GRU and LSTM cells as step functions;
- :mod:`.recurrent`: :class:`RecurrentNetwork`, one forward loop over time
  and its BPTT backward, for every cell;
- :mod:`.losses`, :mod:`.optimizers` (:func:`make_optimizer`): squared error,
  the L2 penalty, Adam and SGD, global-norm clipping;
- :mod:`.batches`, :mod:`.time_major`: where training batches come from, in
  the time-major layout the network runs on;
- :mod:`.training`: one epoch of mini-batch training, each batch's loss and
  gradient from :func:`batch_gradient` or a replacement with its signature;
- :mod:`.sequence_training`: truncated BPTT with a loss at every step over a
  long series;
- :mod:`.gradcheck`: numerical gradients for the tests.

Imports neither scikit-learn nor pandas, and starts no thread or process:
the estimator layer builds on it.
"""

from .optimizers import make_optimizer
from .recurrent import RecurrentNetwork
from .training import batch_gradient, minibatches, train_epoch

__all__ = ["RecurrentNetwork", "batch_gradient", "make_optimizer", "minibatches", "train_epoch"]
