"""``RNNForecaster(training="window")``: train on every trailing window of the series.

Each series (one, or many pooled into one global model) is cut into windows
of ``window`` steps (see :mod:`.windows`), each scaled by its own series
(:mod:`.scaling`). The backtest (:mod:`.backtest`) trains a calibration model
on the windows whose targets end before the last origins of every series and
records its errors from those origins; then the final model (:mod:`.window_model`:
linear skip plus the ensemble of :mod:`.ensemble`) trains on every window.

Many series, one global model (``many_series="global"``; a dict here, a long
frame indexed by ``(series_id, timestamp)`` gives the same forecasts):

>>> import numpy as np
>>> import pandas as pd
>>> from rnnforecast import RNNForecaster, RNNRegressor
>>> days = pd.date_range("2024-01-01", periods=80, freq="D")
>>> week = np.sin(2 * np.pi * np.arange(80) / 7)
>>> sensors = {"kitchen": pd.Series(20 + week, index=days),
...            "freezer": pd.Series(-18 + 0.1 * week[10:], index=days[10:])}
>>> forecaster = RNNForecaster(
...     horizon=3, regressor=RNNRegressor(hidden_size=4, max_iter=5), n_networks=1,
...     random_state=0, many_series="global").fit(sensors)
>>> len(forecaster.regressors_)  # one network for both series
1
>>> forecast = forecaster.predict()
>>> list(forecast.index.names), len(forecast)
(['series_id', None], 6)
>>> forecast.loc["freezer"].index[0]
Timestamp('2024-03-21 00:00:00')
>>> forecaster.predict_interval(series=["kitchen"]).shape
(3, 3)
"""

import warnings

import numpy as np
from sklearn.utils import check_random_state

from . import progress
from .backtest import calibration_size, no_calibration_reason
from .ensemble import new_networks, supports_epochs, train_best_epochs, train_networks
from .epoch_samples import epoch_size, samples_epochs
from .future_steps import StepLayout
from .lengths import fewest_rows
from .linear_skip import fit_linear_skip
from .naive_fallback import MODEL, choose, naive_forecast, naive_methods
from .scaling import WindowScaler
from .seasonal_lag import SeasonalLag, resolve_lag
from .state import FitResult
from .window_model import WindowForecast, WindowModel
from .windows import SeriesWindows, WindowTrainingSet
from .zero_shot import COMBINED, ZERO_SHOT, ZeroShot, combined_errors, uses_network

__all__ = ["WindowTraining"]

# window="auto": this many seasonal periods, within these bounds.
AUTO_SEASONS = 2
AUTO_WINDOW_NO_SEASON = 10
AUTO_WINDOW_MAX = 200


class WindowTraining:
    """Window training with the forecaster's parameters ``params`` (its
    ``get_params(deep=False)``): see :class:`~rnnforecast.RNNForecaster`.
    ``future_names``: the covariates known in advance (see
    :mod:`.future_steps`), checked names of ``X``'s columns; ``methods``: what
    the backtest may choose to forecast a series with (see
    :func:`.zero_shot.resolve_methods`; None: the model)."""

    def __init__(self, params, future_names=(), methods=None, shift_guard=False):
        self.params = params
        self.future_names = list(future_names)
        self.horizon = params["horizon"]
        # Outputs of the network: all steps (direct) or one (recursive).
        self.n_outputs = self.horizon if params["strategy"] == "direct" else 1
        # The methods the backtest may choose for a series (see .zero_shot).
        self.methods = [MODEL] if methods is None else list(methods)
        self.zero_shot = None  # the pretrained network, when a method uses it
        # The pretrained network for model series that shifted level (see
        # .zero_shot.guards_level_shifts), when ``shift_guard``.
        self.shift_guard = shift_guard
        self.shift_fallback = None
        self.seasonal_lag = None  # the lagged target column, when there is one
        # Windows in an epoch of a network at most (see .epoch_samples), once
        # the window is known.
        self.epoch_size = None
        # The seed of the pretrained network's fine-tuning, in the backtest
        # and after it, with ``fine_tune``.
        self.fine_tuning_seed = (_fine_tuning_seed(params["random_state"])
                                 if params["fine_tune"] else None)

    @property
    def trains(self):
        """Whether a method the backtest may choose needs a trained model
        (the pretrained network and the naive methods are only scored)."""
        return MODEL in self.methods or COMBINED in self.methods

    # -- what is trained on -------------------------------------------------
    def resolve_window(self, n_rows, season):
        """``window``, or for "auto" two seasonal periods within bounds, and at
        most ``(n_rows - n_outputs + 1) // 3`` windows' worth."""
        if self.params["window"] != "auto":
            return self.params["window"]
        window = AUTO_SEASONS * season if season > 1 else AUTO_WINDOW_NO_SEASON
        largest = (n_rows - self.n_outputs + 1) // 3
        return max(1, min(window, AUTO_WINDOW_MAX, largest))

    def check_lengths(self, data, window):
        """A ValueError naming the first series shorter than ``window`` plus
        the steps the network forecasts; where nothing is trained, shorter
        than one row and the horizon, as a lone series with ``window="auto"``
        (the pretrained network reads what a series has, the window of the
        longest series does not bind the others)."""
        if self.trains:
            needed = fewest_rows(self.horizon, window, "window", self.params["strategy"])
        else:
            needed = fewest_rows(self.horizon, 1)
        lengths = [len(values) for values in data.values]
        short = [(sid, n) for sid, n in zip(data.ids, lengths) if n < needed]
        if not short:
            return
        sid, n = short[0]
        if not self.trains:
            start = "y" if data.single else f"series {sid!r} of y"
            raise ValueError(
                f"{start} has {n} rows; the pretrained network needs at least {needed} "
                f"(one origin with horizon={self.horizon} known steps after it) to be "
                f"scored for the intervals. Pass a longer series or a smaller horizon."
            )
        what = "window" if self.params["window"] != "auto" else "window='auto' gives window"
        note = (" (strategy='recursive' trains on one-step windows)"
                if self.n_outputs < self.horizon else "")
        start = "y" if data.single else f"series {sid!r} of y"
        more = f" ({len(short) - 1} more series are too short)" if len(short) > 1 else ""
        fix = ("Pass a longer series or a smaller window or horizon." if data.single else
               "Pass longer series, leave the short ones out, or use a smaller window or "
               "horizon.")
        raise ValueError(
            f"{start} has {n} rows; {what}={window} and horizon={self.horizon} need at "
            f"least {needed}{note}{more}. {fix}"
        )

    def trainable(self, windows, rows):
        """Whether the network can learn from the windows of origins ``rows``:
        an observed target in the window and a complete future."""
        return windows.observed(rows) & windows.complete(rows, self.n_outputs)

    def latest(self, rows):
        """The last ``max_windows_per_series`` of the window origins ``rows``."""
        limit = self.params["max_windows_per_series"]
        return rows if limit is None else rows[-limit:]

    # -- fit ------------------------------------------------------------------
    def fit(self, data, calendars):
        """Train on the series of ``data`` (a :class:`.panel_inputs.SeriesData`);
        a :class:`.state.FitResult`."""
        past_only = [n for n in data.covariate_names if n not in self.future_names]
        if past_only and self.params["strategy"] == "recursive":
            raise ValueError(
                "strategy='recursive' feeds the network its own forecasts, so it "
                f"cannot use past covariates (X columns {past_only}, whose future values "
                "are unknown); use strategy='direct', fit without them, or name them in "
                "future_covariates if their future values are known."
            )
        lengths = [len(values) for values in data.values]
        self.season = calendars[0].season
        window = self.resolve_window(max(lengths), self.season)
        self.check_lengths(data, window)
        self.epoch_size = epoch_size(self.params["max_windows_per_epoch"], window)
        if uses_network(self.methods):
            self.zero_shot = ZeroShot(self.season, self.horizon)
        if self.shift_guard:
            self.shift_fallback = ZeroShot(self.season, self.horizon)
        known = [1 + data.covariate_names.index(n) for n in self.future_names]
        lag = resolve_lag(self.params["seasonal_lag"], self.season, self.horizon, max(lengths))
        series_values = data.values
        if lag is not None:  # one more column, known in advance (see .seasonal_lag)
            self.seasonal_lag = SeasonalLag(lag)
            series_values = [self.seasonal_lag.append(values) for values in data.values]
            known.append(series_values[0].shape[1] - 1)
        scalers = [WindowScaler().fit(values) for values in series_values]
        layout = StepLayout(series_values[0].shape[1], known, self.n_outputs)
        windows = SeriesWindows(series_values, window, self.horizon, scalers, layout)

        train_rows, errors, n_epochs, reason, methods = self._calibrate(windows, data)
        if self.params["fine_tune"] and uses_network(methods):
            # Only when a series is forecast by the network ("auto" may
            # have chosen the model for all), as the model below.
            self.zero_shot = self.zero_shot.fine_tuned(
                [values[:, 0] for values in data.values], self.fine_tuning_seed)
        epoch_windows = None  # every window, every epoch
        if MODEL not in methods and COMBINED not in methods:
            model = None  # no series needs the trained model: it is not trained
        else:
            model, training_set = self._start_model(windows, train_rows)
            if n_epochs is not None and samples_epochs(training_set.n_samples,
                                                       self.epoch_size):
                epoch_windows = self.epoch_size
            progress.phase_started(progress.FINAL, "window", len(model.networks))
            model.networks = train_networks(model.networks, training_set, n_epochs,
                                            self.params["n_jobs"], self.epoch_size)
        # The pretrained network reads more rows than the window, the lag
        # column the last ``lag`` rows: a shorter series is padded with
        # missing rows before its start.
        keep = max([window]
                   + [z.history_length for z in (self.zero_shot, self.shift_fallback)
                      if z is not None]
                   + ([] if self.seasonal_lag is None else [self.seasonal_lag.lag]))
        histories = [np.concatenate([np.full((max(keep - len(values), 0), values.shape[1]),
                                             np.nan), values[-keep:]])
                     for values in series_values]
        return FitResult(
            WindowForecast(model, scalers, histories, self.horizon, self.season, methods,
                           window, self.zero_shot, self.seasonal_lag, self.shift_fallback),
            errors, reason, n_epochs,
            regressors=[] if model is None else list(model.networks),
            linear=None if model is None else model.linear, window=window, methods=methods,
            epoch_windows=epoch_windows,
        )

    def _calibrate(self, windows, data):
        """The backtest: a calibration model trained on the windows before the
        last origins of every series, scored from them.

        Returns ``(train_rows, errors, n_epochs, reason, methods)``: the
        origins of the final model's training windows; the signed backtest
        errors of the method chosen for each series (see :meth:`_backtest`,
        :mod:`.zero_shot` and :mod:`.naive_fallback`) and the epochs chosen
        (None when no model was trained), or None; why there are no errors,
        or None; and the method of each series. The origins of every window,
        held only here, are freed before the final model's epochs.
        """
        n_series = len(data.ids)
        train, calibration_train, origins = [], [], []
        # The rows of each series before its first calibration origin's
        # future: what a fine-tuned network may learn from in the backtest.
        before = [len(values) for values in data.values]
        gap_at_the_end = False  # origins set aside, but none with an observed window
        trains = self.trains
        for code in range(n_series):
            rows = windows.origins(code)
            trainable = self.trainable(windows, rows)
            train.append(self.latest(rows[trainable]))
            n_complete = len(rows) - self.horizon
            n_cal = calibration_size(self.params["n_calibration"], n_complete,
                                     self.n_outputs, len(data.ids), trains)
            if n_cal == 0:
                # No origins of its own; its windows still train both models.
                calibration_train.append(train[-1])
                continue
            first = n_complete - n_cal  # the first calibration origin
            train_rows, scored = self._split_calibration(windows, rows, trainable, first,
                                                         n_complete)
            before[code] = rows[first] - windows.starts[code] + 1
            calibration_train.append(train_rows)
            if len(scored):
                origins.append(scored)
            else:
                gap_at_the_end = True
        if trains and not any(len(rows) for rows in train):
            self._no_window_to_train(data, windows.window)
        if not origins:
            if gap_at_the_end:
                reason = ("the windows at the calibration origins hold no observed target "
                          "value (a gap at the end of the series)")
                warnings.warn(f"RNNForecaster: {reason}; predict_interval will not be "
                              "available.", UserWarning)
            else:
                n_complete = len(windows.origins(0)) - self.horizon
                reason = no_calibration_reason(self.params["n_calibration"], n_complete,
                                               self.n_outputs, _fitted_name(data))
            # Nothing to choose on: the first method of the mode.
            return np.concatenate(train), None, None, reason, [self.methods[0]] * n_series
        calibration_rows = np.concatenate(calibration_train)
        origins = np.concatenate(origins)
        errors, n_epochs = {}, None
        if trains:
            if len(calibration_rows) == 0 and self.params["n_calibration"] == "auto":
                # "auto" sizes the origins so that complete series keep as many
                # windows before them: only missing values can empty those.
                reason = ("no window before the calibration origins has its future "
                          "observed to train the calibration model on (missing values in y)")
                warnings.warn(f"RNNForecaster: {reason}; predict_interval will not be "
                              "available.", UserWarning)
                return np.concatenate(train), None, None, reason, [self.methods[0]] * n_series
            if len(calibration_rows) == 0:
                longest = "y" if data.single else "the longest series"
                raise ValueError(
                    f"n_calibration={self.params['n_calibration']} leaves no window to train "
                    f"the calibration model on ({longest} has {max(windows.lengths)} rows); "
                    "use a smaller n_calibration, n_calibration=0, or a longer series."
                )
            errors[MODEL], n_epochs = self._backtest(windows, calibration_rows, origins)
        pretrained = self.zero_shot
        if pretrained is not None and self.params["fine_tune"]:
            pretrained = pretrained.fine_tuned(
                [values[:n, 0] for values, n in zip(data.values, before)],
                self.fine_tuning_seed)
        errors.update(self._untrained_errors(windows, origins, pretrained))
        if COMBINED in self.methods:
            errors[COMBINED] = combined_errors(errors[MODEL], errors[ZERO_SHOT])
        allowed = {method: errors[method] for method in self.methods}
        if self.params["naive_fallback"]:
            allowed.update({method: errors[method]
                            for method in naive_methods(self.season, windows.window)})
        methods, chosen = choose(allowed, windows.codes(origins), n_series)
        return np.concatenate(train), chosen, n_epochs, None, methods

    def _no_window_to_train(self, data, window):
        """A ValueError for series whose missing values leave no window with
        ``n_outputs`` observed values after it, which the model needs."""
        n_missing = sum(int(np.isnan(values[:, 0]).sum()) for values in data.values)
        n_rows = sum(len(values) for values in data.values)
        if len(data.ids) == 1:  # one series, or a panel of one
            where, has = data.labels("y")[0], "has no"
        else:
            where, has = "no series of y", "has a"
        raise ValueError(
            f"{where} {has} window of {window} rows followed by {self.n_outputs} observed "
            f"target values, which training needs: the {n_missing} missing values (of "
            f"{n_rows}) break every such stretch. Fill the gaps (for example "
            "y.interpolate()), forecast fewer steps (horizon), or use model='zero_shot', "
            "which trains nothing."
        )

    def _untrained_errors(self, windows, origin_rows, pretrained):
        """``{method: signed errors}`` from ``origin_rows`` of the methods that
        train nothing here (the naive methods, with ``naive_fallback``; the
        pretrained network ``pretrained``, a ZeroShot or None, fine-tuned on
        the rows before the origins with ``fine_tune``), in the units of
        :meth:`_backtest`."""
        inputs = windows.raw(origin_rows)
        futures = windows.futures(origin_rows)
        scale = windows.scaler(origin_rows).stats(inputs[:, :, 0])[1]
        forecasts = {}
        if self.params["naive_fallback"]:
            forecasts.update({method: naive_forecast(method, inputs, self.season, self.horizon)
                              for method in naive_methods(self.season, windows.window)})
        if pretrained is not None:
            contexts = windows.contexts(origin_rows, pretrained.history_length)
            forecasts[ZERO_SHOT] = pretrained.forecast(contexts)
        return {method: (futures - forecast) / scale[:, None]
                for method, forecast in forecasts.items()}

    def _split_calibration(self, windows, origins, trainable, first, n_complete):
        """The calibration model's training windows and the origins it is
        scored from, for the origins ``first`` to ``n_complete - 1`` of one
        series (the last with a complete future): ``(train_rows, scored)``.

        The training windows are those whose targets end before the first
        scored origin (the last ``max_windows_per_series`` of them); the
        scored origins are those whose window holds an observed target (a
        long gap of NaN can leave a window empty).
        """
        n_train = max(first - self.n_outputs + 1, 0)
        scored = origins[first:n_complete]
        if not self.trains and self.zero_shot is not None and not self.params["fine_tune"]:
            scored = self._spread_origins(windows, origins, n_complete, len(scored))
        return (self.latest(origins[:n_train][trainable[:n_train]]),
                scored[windows.observed(scored)])

    def _spread_origins(self, windows, origins, n_complete, n_cal):
        """Where only the pretrained network is scored (nothing is trained
        before the origins), ``n_cal`` origins spread evenly from the first
        whose whole history window lies in the series to the last with a
        complete future, instead of the last ``n_cal``: the last 200 of an
        hourly series are eight days whose 48-step errors overlap, and their
        90% intervals held 83% of the values on Beijing's hourly columns,
        the spread origins' 89% (``benchmarks/bench_zero_shot_calibration.py``).
        A series too short for that keeps its last origins. (A fine-tuned
        network is tuned on the rows before the first origin, so it keeps
        them too.)"""
        start = windows.starts[windows.codes(origins[:1])[0]]
        full = np.flatnonzero(origins[:n_complete] - start + 1
                              >= self.zero_shot.history_length)
        if len(full) < n_cal:
            return origins[n_complete - n_cal:n_complete]
        return origins[np.unique(np.round(
            np.linspace(full[0], n_complete - 1, n_cal)).astype(int))]

    def _start_model(self, windows, rows):
        """A :class:`.window_model.WindowModel` with its linear skip fitted and
        its networks new, and the networks' training set, on the windows of
        origins ``rows``."""
        n_features = windows.n_step_features
        linear = (
            fit_linear_skip(lambda: windows.blocks(rows, self.n_outputs), n_features)
            if self.params["linear_skip"] else None
        )
        networks = new_networks(self.params["regressor"], n_features,
                                self.params["random_state"], self.params["n_networks"])
        model = WindowModel(networks, linear, windows.layout, self.n_outputs)
        return model, WindowTrainingSet.of(model, windows, rows, self.n_outputs)

    def _backtest(self, windows, train_rows, origin_rows):
        """Train a calibration model on the windows of origins ``train_rows``
        and score it from the origins ``origin_rows``: ``(errors, n_epochs)``,
        the signed errors ``(y - forecast) / scale`` of each origin window,
        shape (n_origins, horizon), and the epochs chosen (by the mean
        absolute error; None: the networks were trained with ``fit``)."""
        origin_inputs, origin_futures = windows.raw(origin_rows), windows.futures(origin_rows)
        origin_scaler = windows.scaler(origin_rows)
        # The rows to come, for covariates known in advance.
        rows_after = (windows.rows_after(origin_rows, self.horizon)
                      if windows.layout.future_steps else None)

        def errors(model):
            forecast, scale = model.forecast(origin_inputs, origin_scaler, self.horizon,
                                             rows_after)
            return (origin_futures - forecast) / scale[:, None]

        model, data = self._start_model(windows, train_rows)
        n_jobs = self.params["n_jobs"]
        progress.phase_started(progress.BACKTEST, "window", len(model.networks))
        if not model.networks:  # n_networks=0: the linear skip alone
            return errors(model), None
        if not (self.params["early_stopping"] and all(map(supports_epochs, model.networks))):
            model.networks = train_networks(model.networks, data, None, n_jobs)
            return errors(model), None
        model.networks, n_epochs = train_best_epochs(
            model, data, lambda m: np.nanmean(np.abs(errors(m))), n_jobs, self.epoch_size)
        return errors(model), n_epochs

    # -- what the networks read (rnnforecast.diagnostics) ----------------------
    def network_data(self, forecast, data, codes, with_targets):
        """What the networks of the fitted ``forecast`` (a
        :class:`.window_model.WindowForecast`) read from the series ``data``
        (fitted series ``codes``), built as ``fit`` builds it: ``(features,
        residual_targets)``; see
        :meth:`~rnnforecast.RNNForecaster.network_data`."""
        if forecast.model is None:
            raise ValueError(
                f"every series is forecast by {sorted(map(str, set(forecast.methods)))} "
                "(method_), so the forecaster trained no networks to read data; fit with "
                "model='per_series' and naive_fallback=False to train them."
            )
        window = forecast.window
        needed = window + self.n_outputs if with_targets else window
        for label, values in zip(data.labels("y"), data.values):
            if len(values) < needed:
                what = f"window_={window} needs"
                if with_targets:
                    what = (f"window_={window} and the {self.n_outputs} step(s) its "
                            "networks forecast need")
                raise ValueError(
                    f"{label} has {len(values)} rows; the forecaster's {what} at least {needed}."
                )
        values = data.values
        if forecast.seasonal_lag is not None:
            values = [forecast.seasonal_lag.append(v) for v in values]
        windows = SeriesWindows(values, window, self.horizon,
                                [forecast.scalers[code] for code in codes],
                                forecast.model.layout)
        rows = []
        for i in range(len(data.values)):
            origins = windows.origins(i)
            if with_targets:
                rows.append(self.latest(origins[self.trainable(windows, origins)]))
            else:
                rows.append(origins[windows.observed(origins)])
        rows = np.concatenate(rows)
        if len(rows) == 0:
            needs = "an observed target value and a complete future" if with_targets else (
                "an observed target value")
            raise ValueError(
                f"no window of {window} rows of y has {needs}; pass observed values."
            )
        if not with_targets:
            return windows.features(rows), None
        return WindowTrainingSet.of(forecast.model, windows, rows, self.n_outputs).matrices()


def _fine_tuning_seed(random_state):
    """``random_state`` itself when it is an int or None, else an int drawn
    from it (a RandomState)."""
    if random_state is None or isinstance(random_state, (int, np.integer)):
        return random_state
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


def _fitted_name(data):
    """What ``data`` is, as a message names it: ``"y"`` (one series),
    ``"series 'b' of y"`` (one series of many, fitted alone), or None (many)."""
    if data.single:
        return "y"
    return f"series {data.ids[0]!r} of y" if len(data.ids) == 1 else None
