"""Progress events of a forecaster's fit, for whoever listens (the command line's progress line).

A fit trains its networks in two phases: the calibration networks of the
backtest inside fit (:data:`BACKTEST`), then the final networks
(:data:`FINAL`). The training code (:mod:`.window_training`,
:mod:`.sequence_training`, :mod:`.ensemble`) calls the functions of this
module as it goes; they reach the :class:`Listener` installed with
:func:`reporting`, and cost a function call per epoch when none is.
Listening changes no result.

Events come from the process and thread that installed the listener only.
With ``n_jobs >= 2`` the networks train in joblib's worker processes, whose
epochs cannot be seen from here: progress is then per network, a
``network_done`` as each one's result comes back, with no ``network_started``
or ``epoch_done``. A regressor trained with its own ``fit`` (window training
without ``early_stopping``) reports no epochs either.

>>> import numpy as np
>>> import pandas as pd
>>> from rnnforecast import RNNForecaster, RNNRegressor
>>> from rnnforecast.forecasting import progress
>>> class Phases(progress.Listener):
...     def __init__(self):
...         self.seen = []
...     def phase_started(self, phase, training, n_networks):
...         self.seen.append((phase, training, n_networks))
>>> y = pd.Series(np.sin(np.arange(100) / 3), index=pd.date_range("2024-01-01", periods=100))
>>> listener = Phases()
>>> with progress.reporting(listener):
...     _ = RNNForecaster(horizon=3, regressor=RNNRegressor(hidden_size=4, max_iter=2),
...                       n_networks=2, random_state=0).fit(y)
>>> listener.seen
[('backtest', 'window', 2), ('final', 'window', 2)]
"""

import os
import threading
from contextlib import contextmanager

__all__ = [
    "BACKTEST",
    "FINAL",
    "Listener",
    "SEPARATE",
    "epoch_done",
    "network_done",
    "network_started",
    "phase_started",
    "reporting",
]

# The phases of a fit.
BACKTEST = "backtest"
FINAL = "final"
# Not of one fit: the models of many series fitted apart (many_series; a
# series per joblib process with n_jobs); its "networks" are the series, each
# reported done as its model comes back, their own networks not reported.
SEPARATE = "separate"


class Listener:
    """Receives the events of a fit; each method here does nothing, so a
    listener overrides the ones it needs. Networks are numbered from 0
    within a phase."""

    def phase_started(self, phase, training, n_networks):
        """A phase begins.

        Parameters
        ----------
        phase : {"backtest", "final", "separate"}
            :data:`BACKTEST`: the calibration networks of the backtest inside
            fit; :data:`FINAL`: the networks of the fitted forecaster;
            :data:`SEPARATE`: many series' models fitted apart, counted as
            networks (see the constant).
        training : {"window", "sequence"}
            The forecaster's training mode.
        n_networks : int
            Networks this phase trains.
        """

    def network_started(self, i):
        """Network ``i`` starts training (in this process)."""

    def epoch_done(self, i, epoch, max_epochs):
        """Network ``i`` completed epoch ``epoch`` (from 1) of at most
        ``max_epochs``; early stopping may end it sooner."""

    def network_done(self, i):
        """Network ``i`` is trained."""


# (listener, process id, thread id) of the innermost reporting(), or None.
_active = None


@contextmanager
def reporting(listener):
    """Send the progress events of the fits inside the ``with`` block, in
    this thread, to ``listener`` (a :class:`Listener`); the listener
    installed before is back afterwards."""
    global _active
    previous = _active
    _active = (listener, os.getpid(), threading.get_ident())
    try:
        yield listener
    finally:
        _active = previous


def _listener():
    """The listener of this process and thread, else one that ignores events."""
    active = _active
    if active is None or active[1:] != (os.getpid(), threading.get_ident()):
        # A worker forked while listening, or another thread, must not write
        # into the listener's display.
        return _NOBODY
    return active[0]


_NOBODY = Listener()


def phase_started(phase, training, n_networks):
    """Report that a phase begins (see :meth:`Listener.phase_started`)."""
    _listener().phase_started(phase, training, n_networks)


def network_started(i):
    """Report that network ``i`` starts training."""
    _listener().network_started(i)


def epoch_done(i, epoch, max_epochs):
    """Report that network ``i`` completed epoch ``epoch`` of at most ``max_epochs``."""
    _listener().epoch_done(i, epoch, max_epochs)


def network_done(i):
    """Report that network ``i`` is trained."""
    _listener().network_done(i)
