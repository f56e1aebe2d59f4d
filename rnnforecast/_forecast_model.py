"""The model behind a forecaster: a linear skip plus networks on what it misses.

On normalised windows (see :mod:`rnnforecast._forecast_windows`) the forecast
in window units is

    z_hat = A x + b  +  mean_i network_i(x)

where ``A x + b`` is a ridge regression on the flattened window and each
network is fitted to the residuals ``z - (A x + b)``. This is the
autoregressive "highway" of LSTNet (Lai et al., 2018): the linear part
carries the scale and the linear dynamics (trend, season) that a small
recurrent network fitted on a few hundred windows learns slowly and noisily,
and the networks add the nonlinear rest. Several networks that differ only in
their random seed are averaged, which removes much of the variance of one
network trained on little data. Without the skip, ``z_hat = mean_i
network_i(x)``.
"""

import numpy as np

from ._forecast_ridge import BlockRidgeCV

__all__ = ["WindowModel", "fit_linear_skip"]

# Ridge penalties tried by efficient leave-one-out cross-validation.
_ALPHAS = np.logspace(-3, 3, 13)


def _absolute(features, offset, n_step_features):
    """Windows in standardised series units: the target channel (every
    ``n_step_features``-th column from 0) shifted by the window's offset,
    and NaN (a missing step) read as 0."""
    absolute = np.nan_to_num(features)
    absolute[:, ::n_step_features] += offset[:, None]
    return absolute


def fit_linear_skip(blocks, n_step_features):
    """Ridge regression on standardised windows; penalty by leave-one-out.

    ``blocks()`` yields blocks ``(features, z, offset)`` of the training
    windows (see :meth:`SeriesWindows.blocks`): features and targets ``z``
    relative to each window's level, and ``offset`` that level in
    standardised series units, so the ridge sees plain standardised values
    and its penalty shrinks towards the series mean (shrinking towards the
    last value instead was worse on mean-reverting series such as sunspots
    and PM2.5 in the accuracy benchmark).
    """
    def absolute():
        for features, z, offset in blocks():
            targets = z + offset[:, None]
            yield (_absolute(features, offset, n_step_features),
                   targets[:, 0] if targets.shape[1] == 1 else targets)

    return BlockRidgeCV(_ALPHAS).fit(absolute)


class WindowModel:
    """Fitted networks whose forecasts are averaged, plus an optional linear skip.

    Parameters
    ----------
    networks : list of regressors
    linear : fitted BlockRidgeCV or None
    n_step_features : int
        Features per time step of the flattened windows.
    """

    def __init__(self, networks, linear, n_step_features):
        self.networks = networks
        self.linear = linear
        self.n_step_features = n_step_features

    def with_networks(self, networks):
        """The same linear skip with other networks."""
        return WindowModel(networks, self.linear, self.n_step_features)

    def _linear(self, features, offset):
        absolute = _absolute(features, offset, self.n_step_features)
        z = np.reshape(self.linear.predict(absolute), (len(features), -1))
        return z - offset[:, None]

    def residual_targets(self, features, targets, offset):
        """What the networks have to learn: ``targets`` minus the linear part."""
        if self.linear is None:
            return targets
        return targets - np.reshape(self._linear(features, offset), targets.shape)

    def predict(self, features, offset):
        """Forecasts in window units, shape (n_samples, n_outputs)."""
        z = sum(
            np.reshape(network.predict(features), (len(features), -1))
            for network in self.networks
        ) / len(self.networks)
        if self.linear is not None:
            z = z + self._linear(features, offset)
        return z
