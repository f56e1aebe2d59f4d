"""The model behind a window-trained forecaster: a linear skip plus networks on what it misses.

On normalised windows (see :mod:`.scaling`) the forecast in window units is

    z_hat = A x + b  +  mean_i network_i(x)

where ``A x + b`` is a ridge regression on the flattened window (see
:mod:`.linear_skip`) and each network is fitted to the residuals
``z - (A x + b)``. This is the autoregressive "highway" of LSTNet (Lai et
al., 2018): the linear part carries the scale and the linear dynamics (trend,
season) that a small recurrent network fitted on a few hundred windows learns
slowly and noisily, and the networks add the nonlinear rest. Several networks
that differ only in their random seed are averaged, which removes much of the
variance of one network trained on little data. Without the skip, ``z_hat =
mean_i network_i(x)``.

:class:`WindowForecast` is that model with the last window of every series:
what a fitted forecaster predicts from, and moves on with ``update``.
"""

import warnings

import numpy as np

from .._blas_threads import blas_threads
from ..estimator import RNNRegressor
from .linear_skip import standardised_windows
from .naive_fallback import MODEL, naive_forecast
from .scaling import PooledScaler, WindowScaler, last_observed
from .zero_shot import COMBINED, ZERO_SHOT

__all__ = ["WindowForecast", "WindowModel"]


class WindowModel:
    """Fitted networks whose forecasts are averaged, plus an optional linear skip.

    Parameters
    ----------
    networks : list of regressors
    linear : fitted BlockRidgeCV or None
    layout : StepLayout
        The rows and features of each window the model reads (see
        :mod:`.future_steps`).
    n_outputs : int
        Steps forecast at once: the horizon (direct strategy) or 1
        (recursive strategy: the model is fed its own forecasts).
    """

    def __init__(self, networks, linear, layout, n_outputs):
        self.networks = networks
        self.linear = linear
        self.layout = layout
        self.n_outputs = n_outputs

    def with_networks(self, networks):
        """The same linear skip with other networks."""
        return WindowModel(networks, self.linear, self.layout, self.n_outputs)

    def _linear(self, features, offset):
        absolute = standardised_windows(features, offset, self.layout.n_step_features)
        z = np.reshape(self.linear.predict(absolute), (len(features), -1))
        return z - offset[:, None]

    def residual_targets(self, features, targets, offset):
        """What the networks have to learn: ``targets`` minus the linear part."""
        if self.linear is None:
            return targets
        return targets - np.reshape(self._linear(features, offset), targets.shape)

    def predict(self, features, offset):
        """Forecasts in window units, shape (n_samples, n_outputs)."""
        if not self.networks:  # the linear skip alone
            return self._linear(features, offset)
        with blas_threads(1):  # entered once for the ensemble, not once a network
            z = sum(
                np.reshape(_predict(network, features), (len(features), -1))
                for network in self.networks
            ) / len(self.networks)
        if self.linear is not None:
            z = z + self._linear(features, offset)
        return z

    def forecast(self, inputs, scaler, horizon, future=None):
        """Forecasts of the ``horizon`` steps after each raw window.

        Parameters
        ----------
        inputs : ndarray of shape (n, window, n_features)
            Raw windows, each holding an observed target value.
        scaler : WindowScaler or PooledScaler
            The scaling of each window's series.
        horizon : int
            Steps to forecast. A model with fewer outputs (the recursive
            strategy) is fed its own forecasts.
        future : ndarray of shape (n, horizon, n_features) or None
            The rows after each window, their covariates known in advance
            filled (see :mod:`.future_steps`); None without them.

        Returns
        -------
        forecast : ndarray of shape (n, horizon)
        scale : ndarray of shape (n,)
            The scale of each origin window (intervals are in its units).
        """
        n, window = inputs.shape[:2]
        layout = self.layout
        if future is None:
            future = np.full((n, horizon, inputs.shape[2]), np.nan)
        if self.n_outputs == horizon:
            normalised, level, scale = layout.normalise(scaler, inputs, future)
            z = self.predict(normalised.reshape(n, -1), scaler.offset(level))
            return WindowScaler.from_units(z, level, scale), scale
        # Recursive: each step's forecast becomes the target of the next
        # window's last row (the covariates there are the known future ones;
        # the strategy takes no past covariates).
        rows = np.concatenate([inputs, future], axis=1)
        scale = scaler.stats(inputs[:, :, 0])[1]
        forecast = np.empty((n, horizon))
        for step in range(horizon):
            past, ahead = rows[:, step:step + window], rows[:, step + window:]
            normalised, level_now, scale_now = layout.normalise(scaler, past, ahead)
            z = self.predict(normalised.reshape(n, -1), scaler.offset(level_now))
            forecast[:, step] = WindowScaler.from_units(z, level_now, scale_now)[:, 0]
            rows[:, window + step, 0] = forecast[:, step]
        return forecast, scale


def _predict(network, features):
    """``network.predict(features)``; an RNNRegressor skips checking the
    windows, which are built here."""
    if isinstance(network, RNNRegressor):
        return network._predict_windows(features)
    return network.predict(features)


class WindowForecast:
    """A fitted :class:`WindowModel` and the last rows of every series.

    Parameters
    ----------
    model : WindowModel or None
        None when no series is forecast by it (naive methods, the
        pretrained network alone).
    scalers : list of WindowScaler
        The scaling of each series.
    histories : list of ndarray of shape (n_kept, n_features)
        The last rows of each series, as many for all: ``window``, or as
        many as the pretrained network reads when it forecasts (a shorter
        series padded with missing rows before its start); ``advance``
        keeps that many.
    horizon : int
    season : int, default=1
        The seasonal period of seasonal naive.
    methods : list of str or None, default=None
        What forecasts each series: "model", "zero-shot", "combined" (see
        :mod:`.zero_shot`) or a naive method (see :mod:`.naive_fallback`);
        None: the model, for all.
    window : int or None, default=None
        The rows the model and the naive methods read; None: all of
        ``histories``.
    zero_shot : ZeroShot or None, default=None
        The pretrained network, for the "zero-shot" and "combined" methods.
    seasonal_lag : SeasonalLag or None, default=None
        The lagged target, the last column of ``histories`` (see
        :mod:`.seasonal_lag`): filled in the rows ``advance`` adds and at the
        steps forecast.
    shift_fallback : ZeroShot or None, default=None
        The pretrained network that forecasts, instead of the model, a
        series whose last seasons hold a level shift (see
        :func:`.zero_shot.guards_level_shifts`), with a warning.
    """

    def __init__(self, model, scalers, histories, horizon, season=1, methods=None,
                 window=None, zero_shot=None, seasonal_lag=None, shift_fallback=None):
        self.model = model
        self.scalers = scalers
        self.histories = histories
        self.horizon = horizon
        self.n_kept = histories[0].shape[0]
        self.window = self.n_kept if window is None else window
        self.season = season
        self.methods = np.array([MODEL] * len(histories) if methods is None else methods)
        self.zero_shot = zero_shot
        self.seasonal_lag = seasonal_lag
        self.shift_fallback = shift_fallback

    def scaler(self, codes):
        """The scaling of the series ``codes``: one series' WindowScaler, else
        a PooledScaler."""
        if len(self.scalers) == 1:
            return self.scalers[0]
        return PooledScaler(self.scalers, codes)

    def empty(self, codes):
        """Which of the series ``codes`` hold no observed target value in
        their last window (nothing to forecast from)."""
        inputs = np.stack([self.histories[c][-self.window:, 0] for c in codes])
        return np.isnan(last_observed(inputs))

    def forecast(self, codes, future=None):
        """Forecasts (len(codes), horizon) from the last window of each series
        ``codes``, and each window's scale (len(codes),); ``future``: the
        rows to come (len(codes), horizon, n_features) with the covariates
        known in advance, see :meth:`WindowModel.forecast`."""
        kept = np.stack([self.histories[c] for c in codes])
        inputs = kept[:, -self.window:]
        if self.seasonal_lag is not None:
            future = self._with_lag(kept, future)
        methods = self.methods[codes]
        if (methods == MODEL).all():
            forecast, scale = self.model.forecast(inputs, self.scaler(codes), self.horizon,
                                                  future)
            return self._after_shifts(forecast, kept, methods), scale
        forecast = np.empty((len(codes), self.horizon))
        scale = self.scaler(codes).stats(inputs[:, :, 0])[1]
        for method in np.unique(methods):
            mine = methods == method
            if method in (MODEL, COMBINED):
                forecast[mine], scale[mine] = self.model.forecast(
                    inputs[mine], self.scaler(codes[mine]), self.horizon,
                    None if future is None else future[mine])
            if method in (ZERO_SHOT, COMBINED):
                pretrained = self.zero_shot.forecast(kept[mine, :, 0])
                forecast[mine] = (pretrained if method == ZERO_SHOT
                                  else (forecast[mine] + pretrained) / 2)
            if method not in (MODEL, ZERO_SHOT, COMBINED):
                forecast[mine] = naive_forecast(method, inputs[mine], self.season, self.horizon)
        return self._after_shifts(forecast, kept, methods), scale

    def _after_shifts(self, forecast, kept, methods):
        """``forecast`` with the rows of model series that shifted level in
        their last seasons forecast by ``shift_fallback`` instead, and a
        warning saying so."""
        rows = np.nonzero(self._shifted(methods, kept[:, :, 0]))[0]
        if not len(rows):
            return forecast
        which, them = ((f"{len(rows)} of the {len(methods)} series forecast", "them")
                       if len(self.histories) > 1 else ("the series", "it"))
        warnings.warn(
            f"RNNForecaster: {which} shifted level in the last seasons, after the last "
            f"window the per-series model could train on; the pretrained network forecasts "
            f"{them} from the values since the shift.",
            UserWarning, stacklevel=5)  # the user's predict, predict_interval, ...
        forecast = forecast.copy()
        forecast[rows] = self.shift_fallback.forecast(kept[rows, :, 0])
        return forecast

    def lower_limits(self, codes):
        """The lowest value each forecast of the series ``codes`` can take
        by the model itself: 0 where the pretrained network forecasts alone
        (as the method, or after a level shift) and floors the series at 0
        (never below 0 in the history it reads), else -inf. The forecaster
        floors intervals and quantiles with it, and never-negative series
        at 0 whatever the model (:meth:`.state.SeriesState.floors`)."""
        limits = np.full(len(codes), -np.inf)
        for network, mine in self._network_rows(codes):
            kept = np.stack([self.histories[c][:, 0] for c in codes[mine]])
            limits[mine] = np.where(network.floors_at_zero(kept), 0.0, -np.inf)
        return limits

    def _network_rows(self, codes):
        """``(network, rows)`` pairs: the pretrained network of each use and
        the rows of ``codes`` (a bool mask) it forecasts alone."""
        methods = self.methods[codes]
        pairs = []
        if (methods == ZERO_SHOT).any():
            pairs.append((self.zero_shot, methods == ZERO_SHOT))
        if self.shift_fallback is not None:
            shifted = self._shifted(methods, np.stack([self.histories[c][:, 0] for c in codes]))
            if shifted.any():
                pairs.append((self.shift_fallback, shifted))
        return pairs

    def _shifted(self, methods, targets):
        """Which series, of methods ``methods`` and kept target rows
        ``targets`` (n, n_kept), the model would forecast but
        ``shift_fallback`` does, after a level shift: bool (n,)."""
        shifted = np.zeros(len(methods), dtype=bool)
        model = methods == MODEL
        if self.shift_fallback is not None and model.any():
            shifted[model] = self.shift_fallback.shifted(targets[model])
        return shifted

    def _with_lag(self, kept, future):
        """The rows to come ``future`` (None: no covariate known in advance)
        with the lag column filled from the rows ``kept``."""
        n = len(kept)
        lagged = self.seasonal_lag.future(kept, self.horizon)
        if future is None:
            future = np.full((n, self.horizon, kept.shape[2]), np.nan)
        else:
            future = np.concatenate([future, np.empty((n, self.horizon, 1))], axis=2)
        future[:, :, -1] = lagged
        return future

    def advance(self, code, new_rows):
        """Move series ``code`` on by ``new_rows`` (n_new, n_features; the lag
        column, if any, is added here)."""
        if self.seasonal_lag is not None:
            new_rows = self.seasonal_lag.append_new(self.histories[code], new_rows)
        self.histories[code] = np.concatenate([self.histories[code], new_rows])[-self.n_kept:]
