"""One global model across many series: fit, predict, update and score.

:class:`~rnnforecast.RNNForecaster` inherits these methods and calls them
when it is given many series (:mod:`rnnforecast._forecast_panel`). Each
series keeps its own scaling (its level is each window's last value, its
scale its own standard deviation, its covariates standardised with its own
statistics), and the windows of every series are pooled into one training
set for one linear skip and one ensemble of networks: the model learns the
shapes the series share, in units that make a series at 1e-3 and one at 1e3
alike. The backtest inside fit forecasts from the last origins of every
series with a model trained on the windows before them (each series cut at
its own origins), and its pooled errors, in units of each series' scale,
choose the epochs and calibrate the intervals.

With one series the computation is exactly that of the single-series path:
a one-series dict gives the forecasts of the Series itself.
"""

import warnings

import numpy as np
import pandas as pd

from ._forecast_conformal import conformal_radius
from ._forecast_panel import Panel, check_panel, panel_calendars
from ._forecast_training import train_networks
from ._forecast_window_set import SeriesWindows
from ._forecast_windows import WindowScaler, last_observed

__all__ = ["ManySeriesMixin"]

# n_calibration="auto" with many series: at most this many origins in all
# (each series then gets at least one); more only costs time per epoch.
_PANEL_ORIGINS_MAX = 2000


class ManySeriesMixin:
    """The many-series methods of RNNForecaster (see the module docstring)."""

    # -- fit ----------------------------------------------------------------
    def _fit_many(self, y, X):
        data = check_panel(y, X, self.target, None)
        if data.covariate_names and self.strategy == "recursive":
            raise ValueError(
                "strategy='recursive' feeds the network its own forecasts, so it "
                "cannot use past covariates X (their future values are unknown); use "
                "strategy='direct' or fit without X."
            )
        calendars = panel_calendars(data.ids, data.indexes, self.freq)
        lengths = [len(values) for values in data.values]
        window = self._resolve_window(max(lengths), calendars[0].season)
        self._check_lengths(data.ids, lengths, window)
        scalers = [WindowScaler().fit(values) for values in data.values]
        windows = SeriesWindows(data.values, window, self.horizon, scalers)

        train, calibration_train, origins = [], [], []
        n_series = len(data.ids)
        for code in range(n_series):
            rows = windows.origins(code)
            trainable = self._trainable(windows, rows)
            train.append(self._latest(rows[trainable]))
            n_complete = len(rows) - self.horizon
            n_cal = self._series_calibration_size(n_complete, n_series)
            if n_cal == 0:
                # No origins of its own; its windows still train both models.
                calibration_train.append(train[-1])
                continue
            train_rows, scored = self._split_calibration(windows, rows, trainable, n_cal)
            calibration_train.append(train_rows)
            origins.append(scored)

        self.window_ = window
        self.seasonal_period_ = calendars[0].season
        self.freq_ = calendars[0].freqstr
        self.covariate_names_ = data.covariate_names
        self._name = data.name
        self._scaler = None
        self._history = None
        self._calendar = None

        self.calibration_scores_, self.n_epochs_ = None, None
        if origins:
            calibration_rows = np.concatenate(calibration_train)
            if len(calibration_rows) == 0:
                raise ValueError(
                    f"n_calibration={self.n_calibration} leaves no window to train the "
                    f"calibration model on (the longest series has {max(lengths)} rows); "
                    "use a smaller n_calibration, n_calibration=0, or longer series."
                )
            self.calibration_scores_, self.n_epochs_ = self._train_backtest(
                windows, calibration_rows, np.concatenate(origins)
            )
        elif self.n_calibration == "auto":
            self._no_calibration_reason = (
                "every series of y was too short to set calibration origins aside (one "
                "series needs at least "
                f"{self._min_calibration_origins()} origins with a known future)"
            )
            warnings.warn(
                f"RNNForecaster: {self._no_calibration_reason}; predict_interval will not "
                "be available.",
                UserWarning,
            )
        model, training_set = self._start_model(windows, np.concatenate(train))
        self._model = train_networks(model, training_set, self.n_epochs_)
        self.regressors_ = list(model.networks)
        self.linear_ = model.linear
        self._panel = Panel(
            data.ids, scalers, calendars,
            [values[-window:].copy() for values in data.values],
            [index[-1] for index in data.indexes], lengths, data.level_names,
        )
        self.series_ids_ = list(data.ids)
        self.cutoff_ = self._panel.cutoff_series()
        self.n_rows_seen_ = self._panel.n_rows_series()
        return self

    def _check_lengths(self, ids, lengths, window):
        needed = window + self._model_horizon
        short = [(sid, n) for sid, n in zip(ids, lengths) if n < needed]
        if not short:
            return
        sid, n = short[0]
        what = "window" if self.window != "auto" else "window='auto' gives window"
        more = f" ({len(short) - 1} more series are too short)" if len(short) > 1 else ""
        raise ValueError(
            f"series {sid!r} of y has {n} rows; {what}={window} and horizon="
            f"{self.horizon} need at least {needed}{self._length_note()}{more}. Pass "
            "longer series, leave the short ones out, or use a smaller window or horizon."
        )

    def _series_calibration_size(self, n_complete, n_series):
        """Calibration origins of one series of a panel (0: none).

        An int ``n_calibration`` applies to each series. ``"auto"`` is the
        single-series rule (a quarter of the origins, 10 to 200), with at most
        ``_PANEL_ORIGINS_MAX`` origins over all series; a series too short
        for it has none (its windows still train the calibration model).
        """
        if self.n_calibration != "auto":
            self._no_calibration_reason = "it was fitted with n_calibration=0"
            return min(self.n_calibration, max(n_complete, 0))
        n_cal = min(self._auto_calibration_size(n_complete),
                    max(1, _PANEL_ORIGINS_MAX // n_series))
        if n_complete - n_cal - self._model_horizon + 1 < n_cal:
            return 0
        return n_cal

    # -- forecast -------------------------------------------------------------
    def _forecast_series(self, series, argument="series"):
        """``(codes, forecast (m, horizon), scale (m,))`` of the series named."""
        codes = self._panel.codes(series, argument)
        inputs = self._panel.last_windows(codes)
        empty = np.isnan(last_observed(inputs[:, :, 0]))
        if empty.any():
            names = [self._panel.ids[c] for c in codes[empty]]
            raise ValueError(
                f"the last {self.window_} steps of series {names[:5]} hold no observed "
                "target value, so there is nothing to forecast from; update() them with "
                "observed values first."
            )
        forecast, scale = self._forecast(inputs, scaler=self._panel.scaler(codes))
        return codes, forecast, scale

    def _predict_many(self, series):
        codes, forecast, _ = self._forecast_series(series)
        return pd.Series(
            forecast.ravel(), index=self._panel.future_index(codes, self.horizon),
            name=self._name,
        )

    def _predict_interval_many(self, coverage, series):
        codes, forecast, scale = self._forecast_series(series)
        radius = conformal_radius(self.calibration_scores_, coverage)[None, :] * scale[:, None]
        return pd.DataFrame(
            {"forecast": forecast.ravel(), "lower": (forecast - radius).ravel(),
             "upper": (forecast + radius).ravel()},
            index=self._panel.future_index(codes, self.horizon),
        )

    # -- update and score -----------------------------------------------------
    def _update_many(self, y_new, X_new):
        data = check_panel(
            y_new, X_new, self.target, self.covariate_names_, "y_new", "X_new",
            allow_all_nan=True,
        )
        codes = self._panel.codes(data.ids, "y_new")
        # Check every series before moving any, so that an error leaves the
        # forecaster as it was.
        for code, sid, index in zip(codes, data.ids, data.indexes):
            self._panel.calendars[code].check_continues(
                self._panel.cutoffs[code], index, f"y_new[{sid!r}]"
            )
        for code, values, index in zip(codes, data.values, data.indexes):
            self._panel.append(code, values, index[-1], self.window_)
        self.cutoff_ = self._panel.cutoff_series()
        self.n_rows_seen_ = self._panel.n_rows_series()
        return self

    def _score_many(self, y_future, X_future):
        names = None if X_future is None else (self.covariate_names_ or None)
        data = check_panel(y_future, X_future, self.target, names, "y_future", "X_future")
        codes = self._panel.codes(data.ids, "y_future")
        steps = []
        for code, sid, index in zip(codes, data.ids, data.indexes):
            n = min(self.horizon, len(index))
            self._panel.calendars[code].check_continues(
                self._panel.cutoffs[code], index[:n], f"y_future[{sid!r}]"
            )
            steps.append(n)
        _, forecast, _ = self._forecast_series(data.ids, "y_future")
        scores = []
        for i, (sid, values, n) in enumerate(zip(data.ids, data.values, steps)):
            errors = np.abs(values[:n, 0] - forecast[i, :n])
            if np.isnan(errors).all():
                raise ValueError(
                    f"y_future[{sid!r}] has no observed value in its first {n} steps (all "
                    "NaN), so there is nothing to score; leave that series out."
                )
            scores.append(np.nanmean(errors))
        return -float(np.mean(scores))
