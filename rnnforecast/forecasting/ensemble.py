"""The ensemble of networks of a window-trained forecaster, trained one network per job.

The networks of the ensemble differ only in their seed and never read each
other, so they train independently: one after the other in this process
(``n_jobs`` None or 1), or in joblib's worker processes. Each network's
result depends only on its seed and data, so the forecasts are the same for
every ``n_jobs``.

Training reports its progress through :mod:`.progress`: every network's
start, epochs and end in this process; with joblib's processes only each
network's end, as its result comes back.
"""

import copy

import joblib
import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.utils import check_random_state

from ..estimator import RNNRegressor
from . import progress
from .backtest import train_to_best_epoch
from .epoch_samples import EpochSamples

__all__ = [
    "DEFAULT_NETWORK",
    "as_they_finish",
    "network_seeds",
    "new_networks",
    "supports_epochs",
    "train_best_epochs",
    "train_each",
    "train_networks",
]

# The default network (see RNNForecaster's regressor parameter).
DEFAULT_NETWORK = dict(
    cell="gru", hidden_size=32, learning_rate_init=0.005, batch_size=32, max_iter=200,
    n_iter_no_change=10, alpha=1e-4,
)
# Set on every network of the ensemble that has these parameters: its windows
# come normalised (relative to their last value, in units of the series'
# scale; its targets are the residuals of the linear skip), so an
# RNNRegressor's own standardisation would only rescale them again.
WINDOW_SETTINGS = {"standardize_target": False, "standardize_inputs": False}
# Epochs without a better backtest before early stopping gives up, for a
# regressor without an n_iter_no_change parameter.
PATIENCE = 10


# joblib returns results as they finish from version 1.4 on.
_UNORDERED = tuple(int(part) for part in joblib.__version__.split(".")[:2]) >= (1, 4)


def train_each(train, n_networks, n_jobs):
    """``[train(i) for i in range(n_networks)]``, in joblib's processes when
    ``n_jobs`` asks for more than one, reporting each network's start and
    end (its end only, from joblib's processes)."""
    if n_jobs in (None, 1) or n_networks < 2:
        results = []
        for i in range(n_networks):
            progress.network_started(i)
            results.append(train(i))
            progress.network_done(i)
        return results

    def indexed(i):
        return i, train(i)

    results = [None] * n_networks
    for i, result in as_they_finish((delayed(indexed)(i) for i in range(n_networks)), n_jobs):
        results[i] = result
        progress.network_done(i)
    return results


def as_they_finish(jobs, n_jobs):
    """The results of joblib's delayed ``jobs`` run in ``n_jobs`` processes,
    in the order they finish, so that each can be reported when it does
    (joblib >= 1.4; older versions return them all at the end, in order).
    Each job should return its index with its result."""
    if _UNORDERED:
        return Parallel(n_jobs=n_jobs, return_as="generator_unordered")(jobs)
    return Parallel(n_jobs=n_jobs)(jobs)  # pragma: no cover - joblib < 1.4


def default_regressor(regressor):
    """The forecaster's ``regressor``, or the default network for None."""
    return RNNRegressor(**DEFAULT_NETWORK) if regressor is None else regressor


def network_seeds(regressor, random_state, n_networks):
    """One seed per network, drawn from ``random_state``, else from the
    regressor's own; ``[None]`` for a regressor without ``random_state``
    (deterministic: copies would be identical), and for a single network
    when neither has a seed."""
    params = regressor.get_params(deep=False)
    if "random_state" not in params:
        return [None]
    source = random_state if random_state is not None else params["random_state"]
    if source is None and n_networks == 1:
        return [None]
    rng = check_random_state(source)
    return [int(seed) for seed in rng.randint(np.iinfo(np.int32).max, size=n_networks)]


def new_networks(regressor, n_step_features, random_state, n_networks):
    """New, unfitted copies of ``regressor`` (None: the default network), one
    per seed, reading ``n_step_features`` features per step and not
    standardising what they read (see ``WINDOW_SETTINGS``); none for
    ``n_networks=0``."""
    if n_networks == 0:
        return []
    template = clone(default_regressor(regressor))
    params = template.get_params(deep=False)
    template.set_params(**{name: value for name, value in
                           {"n_step_features": n_step_features, **WINDOW_SETTINGS}.items()
                           if name in params})
    networks = []
    for seed in network_seeds(template, random_state, n_networks):
        network = clone(template)
        if seed is not None:
            network.set_params(random_state=seed)
        networks.append(network)
    return networks


def supports_epochs(regressor):
    """Whether ``regressor`` can be trained one epoch at a time: it has
    ``partial_fit`` and a ``max_iter`` budget."""
    return hasattr(regressor, "partial_fit") and "max_iter" in regressor.get_params(deep=False)


def fit_network(network, data, incremental=False):
    """``network.fit`` (``partial_fit`` with ``incremental``) on the
    :class:`.windows.WindowTrainingSet` ``data``: an RNNRegressor reads it a
    batch at a time, any other regressor gets its arrays."""
    if isinstance(network, RNNRegressor):
        train = network.partial_fit_batches if incremental else network.fit_batches
        return train(data)
    features, targets = data.matrices()
    return (network.partial_fit if incremental else network.fit)(features, targets)


def _release_buffers(network):
    """``network`` with the buffers of its training freed, when it keeps
    any (:meth:`RNNRegressor.release_buffers`): a trained network of the
    ensemble trains no further, and a forecaster of many series holds five a
    series."""
    release = getattr(network, "release_buffers", None)
    if release is not None:
        release()
    return network


def _epoch_samples(network, data, epoch_size):
    """The :class:`.epoch_samples.EpochSamples` of ``network`` on ``data``,
    drawn with its seed."""
    return EpochSamples(data, epoch_size, network.get_params().get("random_state"))


class _EpochTrainer:
    """Network ``i`` trained an epoch at a time, for at most ``max_epochs``
    (see :func:`.backtest.train_to_best_epoch`), each epoch on at most
    ``epoch_size`` windows of ``data``."""

    def __init__(self, network, data, i, max_epochs, epoch_size=None):
        self.network, self.samples = network, _epoch_samples(network, data, epoch_size)
        self.i, self.max_epochs = i, max_epochs
        self.n_epochs = 0

    def epoch(self):
        fit_network(self.network, self.samples.next_epoch(), incremental=True)
        if getattr(self.network, "diverged_", False):
            return False
        self.n_epochs += 1
        progress.epoch_done(self.i, self.n_epochs, self.max_epochs)
        return True

    def snapshot(self):
        # The copy shares the network's shuffling RNG instead of copying it
        # (copying a RandomState takes about half a millisecond, as long as
        # all the rest of an RNNRegressor): the network kept at its best
        # epoch only forecasts the backtest (see window_training), it trains
        # no further.
        rng = getattr(self.network, "_rng", None)
        return copy.deepcopy(self.network, {} if rng is None else {id(rng): rng})

    def restore(self, snapshot):
        self.network = snapshot


def train_networks(networks, data, n_epochs=None, n_jobs=None, epoch_size=None):
    """The ``networks`` fitted on ``data``: with ``fit`` when ``n_epochs`` is
    None, else network ``i`` for ``n_epochs[i]`` epochs of ``partial_fit``,
    each on at most ``epoch_size`` windows (see :mod:`.epoch_samples`)."""
    def train(i):
        network = networks[i]
        if n_epochs is None:
            fit_network(network, data)
        else:
            samples = _epoch_samples(network, data, epoch_size)
            for epoch in range(1, n_epochs[i] + 1):
                fit_network(network, samples.next_epoch(), incremental=True)
                progress.epoch_done(i, epoch, n_epochs[i])
            _release_buffers(network)
        return network

    return train_each(train, len(networks), n_jobs)


def train_best_epochs(model, data, validation_error, n_jobs=None, epoch_size=None):
    """Train each network of ``model`` epoch by epoch and keep it at its best
    epoch on the backtest.

    Parameters
    ----------
    model : WindowModel
        Its networks have ``partial_fit`` and ``max_iter`` (the epoch budget).
    data : WindowTrainingSet
    validation_error : callable
        ``validation_error(model) -> float`` for a model with one network.
    n_jobs : int or None
    epoch_size : int or None
        Windows of ``data`` in an epoch at most (see :mod:`.epoch_samples`);
        None: all of them.

    Returns
    -------
    networks : list
        The networks at their best epochs.
    n_epochs : list of int
        Their epochs (see :func:`.backtest.train_to_best_epoch`).
    """
    def train(i):
        network = model.networks[i]
        params = network.get_params()
        trainer = _EpochTrainer(network, data, i, params["max_iter"], epoch_size)
        n_epochs = train_to_best_epoch(
            trainer, lambda: validation_error(model.with_networks([trainer.network])),
            params["max_iter"], params.get("n_iter_no_change", PATIENCE),
            params.get("tol", 0.0),
        )
        return _release_buffers(trainer.network), n_epochs

    trained = train_each(train, len(model.networks), n_jobs)
    return [network for network, _ in trained], [n for _, n in trained]
