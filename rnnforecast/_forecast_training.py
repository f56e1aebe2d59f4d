"""Train the networks of a forecaster, choosing epochs on a rolling-origin backtest.

Early stopping inside :class:`~rnnforecast.RNNRegressor` validates on the last
rows and leaves a gap of ``window + horizon - 1`` windows unused, which is
most of a short series. The forecaster instead trains its calibration model
(the one fitted before the calibration origins) one epoch at a time with
``partial_fit``, scores its forecasts from those origins after every epoch,
keeps each network at its best epoch, and then trains the final networks on
all windows for those numbers of epochs.
"""

import copy

import numpy as np

from .estimator import RNNRegressor

__all__ = ["supports_epochs", "train_networks", "train_networks_best_epochs"]


def supports_epochs(regressor):
    """Whether ``regressor`` can be trained one epoch at a time: it has
    ``partial_fit`` and a ``max_iter`` budget."""
    return hasattr(regressor, "partial_fit") and "max_iter" in regressor.get_params(deep=False)


def fit_network(network, data, incremental=False):
    """``network.fit`` (``partial_fit`` with ``incremental``) on the
    :class:`WindowTrainingSet` ``data``: an RNNRegressor reads it a batch at
    a time, any other regressor gets its arrays."""
    if isinstance(network, RNNRegressor):
        return network._fit_batches(data, incremental=incremental, y_2d=data.n_outputs > 1)
    features, targets = data.matrices()
    return (network.partial_fit if incremental else network.fit)(features, targets)


def train_networks(model, data, n_epochs=None):
    """Fit every network of ``model`` on ``data``: with ``fit`` when
    ``n_epochs`` is None, else network ``i`` for ``n_epochs[i]`` epochs of
    ``partial_fit``."""
    for i, network in enumerate(model.networks):
        if n_epochs is None:
            fit_network(network, data)
        else:
            for _ in range(n_epochs[i]):
                fit_network(network, data, incremental=True)
    return model


def train_networks_best_epochs(model, data, validation_error, patience):
    """Train each network epoch by epoch and keep it at its best epoch.

    Parameters
    ----------
    model : WindowModel
        Its networks have ``partial_fit`` and ``max_iter`` (the epoch budget).
    data : WindowTrainingSet
    validation_error : callable
        ``validation_error(model) -> float`` for a model with one network,
        lower is better (NaN is never best).
    patience : int
        Stop a network after this many epochs without a new best.

    Returns
    -------
    n_epochs : list of int
        The best epoch of each network; ``model.networks`` now hold copies
        of the networks at those epochs.
    """
    n_epochs = []
    for i, network in enumerate(model.networks):
        best_error, best_epoch, best = np.inf, 0, None
        for epoch in range(1, network.get_params()["max_iter"] + 1):
            fit_network(network, data, incremental=True)
            error = validation_error(model.with_networks([network]))
            if error < best_error:
                best_error, best_epoch, best = error, epoch, copy.deepcopy(network)
            elif epoch - best_epoch >= patience:
                break
        if best is None:  # every epoch gave NaN: keep the last one
            best, best_epoch = network, epoch
        model.networks[i] = best
        n_epochs.append(best_epoch)
    return n_epochs
