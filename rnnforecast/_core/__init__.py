"""The NumPy recurrent core: cells, BPTT, optimisers, losses.

Imports neither scikit-learn nor pandas; the estimator layer builds on it.
"""

from .recurrent import RecurrentNetwork
from .training import minibatches, train_epoch

__all__ = ["RecurrentNetwork", "minibatches", "train_epoch"]
