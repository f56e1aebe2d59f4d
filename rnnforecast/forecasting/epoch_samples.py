"""Epochs of a sample of the windows: a long series trains in epochs of bounded size.

The backtest inside ``fit`` keeps each network at the epoch with the lowest
backtest error and stops after ``n_iter_no_change`` epochs without a better
one (see :func:`.backtest.train_to_best_epoch`). On a long series an epoch
over every window is many updates: a network that is at its best after a
fraction of one still trains ``n_iter_no_change`` whole epochs before it
stops, and its best epoch is found only to the nearest whole pass. With
``max_windows_per_epoch`` an epoch is a sample of at most that many
windows, so the backtest is scored every that many windows and patience
costs that many windows an epoch.

The samples are drawn without replacement from a permutation of the
windows renewed when it runs out, so each window is read once before any
is read twice (the last sample of a permutation is filled from the next
one). They depend only on the seed of the network: the final network
replays the same number of epochs, drawn the same way from its own (larger)
training set. A set of at most ``size`` windows is every epoch whole, as
without sampling.

``max_windows_per_epoch="auto"`` bounds the work of an epoch rather than its
windows: at most ``AUTO_EPOCH_STEPS`` steps of windows (see
:func:`epoch_size`), so an epoch costs about the same whatever the length of
the series and of its windows.
"""

import copy

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["AUTO_EPOCH_STEPS", "EpochSamples", "epoch_size", "samples_epochs"]

# max_windows_per_epoch="auto": window steps an epoch at most, 1,024 windows
# of the longest automatic window (200 steps).
AUTO_EPOCH_STEPS = 204_800


def epoch_size(max_windows_per_epoch, window):
    """Windows an epoch at most (None: every window) for the forecaster's
    ``max_windows_per_epoch`` and windows of ``window`` steps: "auto" gives
    ``AUTO_EPOCH_STEPS // window``, at least one."""
    if max_windows_per_epoch == "auto":
        return max(1, AUTO_EPOCH_STEPS // window)
    return max_windows_per_epoch


def samples_epochs(n_samples, size):
    """Whether epochs of at most ``size`` windows (None: every window) are
    samples of a training set of ``n_samples`` windows rather than all of it."""
    return size is not None and n_samples > size


class EpochSamples:
    """The training set of one network an epoch at a time.

    Parameters
    ----------
    data : batch source
        A :class:`.windows.WindowTrainingSet` (or any batch source whose
        ``subset`` takes an array of sample numbers).
    size : int or None
        Windows per epoch at most; None: every window, every epoch.
    random_state : int, RandomState or None
        The seed of the network (copied, never advanced).
    """

    def __init__(self, data, size, random_state):
        self.data = data
        self.size = size
        self._rng = check_random_state(copy.deepcopy(random_state))
        self._order = np.empty(0, dtype=np.intp)

    @property
    def sampled(self):
        """Whether an epoch is a sample rather than every window."""
        return samples_epochs(self.data.n_samples, self.size)

    def next_epoch(self):
        """The windows of the next epoch, a batch source."""
        if not self.sampled:
            return self.data
        while len(self._order) < self.size:
            self._order = np.concatenate(
                [self._order, self._rng.permutation(self.data.n_samples)])
        epoch, self._order = self._order[:self.size], self._order[self.size:]
        # In the order of the series: the network shuffles its batches itself.
        return self.data.subset(np.sort(epoch))
