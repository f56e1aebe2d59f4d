"""RNNForecaster: a pandas series in, timestamped forecasts and intervals out."""

import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, _fit_context, clone
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._forecast_calendar import resolve_calendar
from ._forecast_conformal import conformal_radius
from ._forecast_data import check_covariates, check_series, stack_values
from ._forecast_many import ManySeriesMixin
from ._forecast_model import WindowModel, fit_linear_skip
from ._forecast_panel import check_panel, is_panel
from ._forecast_sequence import fit_forecaster as _fit_sequence
from ._forecast_training import supports_epochs, train_networks, train_networks_best_epochs
from ._forecast_window_set import SeriesWindows, WindowTrainingSet
from ._forecast_windows import WindowScaler
from ._blas_threads import blas_threads
from .estimator import RNNRegressor

__all__ = ["RNNForecaster"]

# window="auto": this many seasonal periods, within these bounds.
_AUTO_SEASONS = 2
_AUTO_WINDOW_NO_SEASON = 10
_AUTO_WINDOW_MAX = 200
# Calibration origins for n_calibration="auto": a quarter of the origins
# whose future is known, within these bounds.
_CALIBRATION_SHARE = 0.25
_CALIBRATION_MIN = 10
_CALIBRATION_MAX = 200
# The default network (see the class docstring).
_DEFAULT_NETWORK = dict(
    cell="gru", hidden_size=32, learning_rate_init=0.005, batch_size=32, max_iter=200,
    n_iter_no_change=10, alpha=1e-4,
)
# Epochs without a better backtest before early stopping gives up, for a
# regressor without an n_iter_no_change parameter.
_PATIENCE = 10


class RNNForecaster(ManySeriesMixin, BaseEstimator):
    """Multi-step forecaster of a time series with recurrent networks.

    ``fit`` cuts the series into trailing windows of ``window`` steps,
    expresses each window relative to its last value (in units of the
    series' standard deviation), and learns to map a window to the next
    ``horizon`` values with a linear skip (ridge regression on the window)
    plus an ensemble of ``n_networks`` GRU networks
    (:class:`~rnnforecast.RNNRegressor`) fitted to what the linear part
    misses. ``predict`` forecasts the ``horizon`` steps after the end of the
    data seen so far, indexed by their timestamps; ``predict_interval`` adds
    split-conformal intervals; ``update`` appends new observations without
    refitting; ``score`` is the negative mean absolute error of a forecast
    against the values that followed, so that scikit-learn's
    ``GridSearchCV`` and ``cross_val_score`` with
    ``TimeSeriesSplit(test_size=horizon)`` run rolling-origin backtests.

    **Many series.** ``fit`` also takes many series, of one frequency but of
    any lengths and start dates, as a dict ``{series_id: Series}`` or as a
    long Series/DataFrame indexed by a two-level MultiIndex ``(series_id,
    timestamp)`` (a Nixtla frame becomes one with
    ``df.set_index(["unique_id", "ds"])["y"]``, a wide frame with one
    column per series ``dict(wide.items())``), and trains ONE global
    model across them: each series is scaled by its own statistics (its
    windows relative to their last value, in units of its own standard
    deviation; its covariates standardised with its own means and standard
    deviations), and the windows of all series are pooled into one training
    set for the linear skip and the networks. The backtest inside fit uses
    the last origins of every series. ``predict()`` then returns a long
    Series indexed by ``(series_id, timestamp)``, ``horizon`` rows per
    series (``.unstack(0)`` gives one column per series), and
    ``predict(series=[...])`` forecasts the series named; ``update`` takes
    new values of some or all series; ``score`` is the mean over series of
    the single-series score. A one-series dict gives exactly the forecasts
    of the Series itself. With many long series, ``max_windows_per_series``
    bounds the fitting time.

    Parameters
    ----------
    window : int or "auto", default="auto"
        Steps of history read for each forecast. ``"auto"`` takes two
        seasonal periods of the index frequency: monthly data 24 (period 12),
        quarterly 8 (4), weekly 104 (52), daily 14 (7, a week), business days
        10 (5), hourly 48 (24, a day), half-hourly 96 (48), other intraday
        data two days; 10 steps when the frequency has no season (yearly
        data, an integer index). It is at most 200 (the cost of
        backpropagation through time grows with it), and at most
        ``(n_rows - horizon + 1) // 3`` so that a short series still has
        twice as many windows as steps per window (for many series, n_rows
        of the longest; a series shorter than ``window + horizon`` is an
        error that names it).
    horizon : int, default=1
        Number of steps to forecast.
    regressor : estimator or None, default=None
        The network: a scikit-learn regressor fitted on normalised windows,
        rows of ``window * n_step_features`` columns, time-major, the target
        then the covariates at each step; a step holding a NaN is a missing
        step. If it has an ``n_step_features`` parameter, it is set to the
        number of features per step. It is cloned, never modified. None uses
        ``RNNRegressor(cell="gru", hidden_size=32, learning_rate_init=0.005,
        batch_size=32, max_iter=200, n_iter_no_change=10, alpha=1e-4)``:
        a larger learning rate than RNNRegressor's default so that few epochs
        suffice, with the epochs chosen by ``early_stopping``. These settings
        were measured on every shipped data set in
        ``benchmarks/bench_accuracy.py`` (hidden sizes 16-64 and learning
        rates 0.002-0.005 were within the noise of each other).
        An RNNRegressor reads the windows a batch at a time, cut from the
        series when the batch is drawn, so fit needs memory in proportion
        to the series, not to the series times the window; any other
        regressor is given the window matrix (n_windows x window x
        n_step_features float64).
    strategy : {"direct", "recursive"}, default="direct"
        ``"direct"``: one network outputs all ``horizon`` steps at once (a
        multi-output regression). ``"recursive"``: a one-step network is fed
        its own forecasts; it cannot use past covariates, whose future is
        unknown.
    target : hashable or None, default=None
        The column to forecast when ``y`` is a DataFrame. Other columns of
        ``y`` are ignored: pass covariates as ``X``.
    freq : str, DateOffset or None, default=None
        The calendar of the forecast timestamps. None takes ``y.index.freq``,
        else ``pd.infer_freq(y.index)``, and raises a ValueError for an index
        without a fixed frequency. For such an index, e.g. stock prices on
        trading days, ``freq="B"`` reads the rows as consecutive steps and
        labels the forecast with the next business days (a market holiday
        may appear among them). It must agree with the frequency of a regular
        index.
    n_calibration : int or "auto", default="auto"
        Forecast origins at the end of the training data used to backtest:
        ``fit`` first trains a calibration model on the windows whose
        targets end before these origins, and records its errors from them,
        which calibrate ``predict_interval`` and choose the epochs (see
        ``early_stopping``). ``"auto"``: a quarter of the origins, between 10
        and 200; if the series is too short for 10, a warning says so and
        ``predict_interval`` is unavailable. ``0`` skips the calibration
        model (half the fitting time): no intervals, no early stopping.
        For many series, the origins of each series (see
        ``calibration_scores_``), whose errors are pooled.
    early_stopping : bool, default=True
        Train each network of the calibration model one epoch at a time
        (``partial_fit``, up to the regressor's ``max_iter``), keep the epoch
        whose forecasts from the calibration origins have the lowest mean
        absolute error, stop after ``n_iter_no_change`` epochs without a
        better one, and train the final networks on all windows for that
        many epochs. This replaces the regressor's own stopping rules; it
        applies to regressors with ``partial_fit`` and ``max_iter`` and is
        ignored for others, which are trained with ``fit``. Unlike
        RNNRegressor's ``early_stopping``, it loses no training windows.
    linear_skip : bool, default=True
        Add a ridge regression on the window (penalty chosen by
        leave-one-out) and fit the networks to its residuals, as in LSTNet's
        autoregressive highway. On the accuracy benchmark it made the small
        networks competitive on short series whose dynamics are mostly linear
        (airline passengers: MASE 0.56 instead of 0.80).
    n_networks : int, default=5
        Networks trained from different random seeds whose forecasts are
        averaged. On the accuracy benchmark five lowered the geometric mean
        of MASE(RNN) / MASE(best baseline) from about 0.97 (one network) to
        0.86, at five times the fitting time. A regressor without a ``random_state`` parameter
        (deterministic) is trained once.
    random_state : int, RandomState instance or None, default=None
        Seeds the networks: network ``i`` gets a seed drawn from it (or,
        when None, from the regressor's own ``random_state``).
    max_windows_per_series : int or None, default=None
        Train on at most this many windows of each series, the most recent
        ones (in the backtest inside fit: the most recent before the
        calibration origins); None uses every window. The fitting time grows
        with the number of windows: 1,000 hourly series of 1,500-2,000
        points (``benchmarks/bench_many_series.py``) have about 1.7 million. On 100
        of those series, 50 and 200 windows per series gave a mean MASE of
        0.783 and 0.777 for 27 and 88 CPU seconds of fitting.
    training : {"window", "sequence"}, default="window"
        ``"window"``: train on every trailing window of ``window`` steps, as
        described above; an epoch costs O(n_rows * window). ``"sequence"``:
        for long series, read the series once per epoch as a recurrent
        language model reads text: at every step the network reads the
        standardised target (and covariates) and outputs the next
        ``horizon`` values relative to the last observed value; the loss is
        taken at every step, the series is cut into chunks of the
        regressor's ``bptt_steps`` (None: two seasonal periods, 48 steps
        without a season, at most 200) read as ``batch_size`` parallel
        streams, and the hidden state is carried from chunk to chunk
        (truncated BPTT). An epoch costs O(n_rows), fit needs no window
        matrix, and ``update`` advances the hidden state over the new rows
        only, O(1) per observation. The regressor must be an
        :class:`~rnnforecast.RNNRegressor` (its cell, hidden_size,
        num_layers, activation, solver, learning_rate_init, momentum,
        batch_size, max_iter, tol, n_iter_no_change, alpha, clip_norm,
        bptt_steps and dtype are used); ``n_calibration``,
        ``early_stopping``, ``n_networks`` and ``random_state`` act as in
        window mode (the backtest forward pass starts 20 chunks before the
        first calibration origin); ``linear_skip`` does not apply. It
        supports one series, with or without covariates, and needs
        ``window="auto"``, ``strategy="direct"`` and
        ``max_windows_per_series=None`` (a ValueError otherwise).

    Attributes
    ----------
    window_ : int or None
        The window used (``window`` resolved when "auto"); None with
        ``training="sequence"``.
    bptt_steps_ : int
        With ``training="sequence"`` only: the chunk length used.
    seasonal_period_ : int
        Steps per season of the index frequency (1 if none).
    freq_ : str or None
        Frequency of the forecast index (None for an integer index).
    regressors_ : list of estimators or None
        The fitted networks (None with ``training="sequence"``, whose
        networks are not regressors).
    linear_ : object or None
        The fitted linear skip: a ridge regression with ``coef_``,
        ``intercept_``, ``alpha_`` (the penalty chosen by leave-one-out, as
        scikit-learn's ``RidgeCV`` chooses it) and ``predict``, fitted a
        block of windows at a time.
    n_epochs_ : list of int or None
        Epochs of each network chosen by early stopping (None when the
        networks were trained with ``fit``).
    calibration_scores_ : ndarray of shape (n_origins, horizon) or None
        Absolute backtest errors at the calibration origins, divided by the
        series' standard deviation (the scale of every window). For many
        series, the origins of every series, one after the other; with
        ``n_calibration="auto"`` each series has the origins a single series
        would have, but at most 2,000 over all series (at least one per
        series), and a series too short to calibrate has none.
    covariate_names_ : list
        Columns of ``X`` seen in fit (empty without covariates).
    cutoff_ : Timestamp, int or pandas Series
        The last timestamp seen (fit or update); forecasts start after it.
        For many series, a Series of each series' last timestamp, indexed
        by series id.
    n_rows_seen_ : int or pandas Series
        Rows seen in fit and update (per series id, for many series).
    series_ids_ : list or None
        The ids of the series fitted, in the order of fit (None after a fit
        on one series).

    See Also
    --------
    RNNRegressor : The network behind the default regressor.
    rnnforecast.windowing.make_supervised : The windows used in fit.

    Notes
    -----
    Scaling statistics (the target's mean and standard deviation, the
    covariates' means and standard deviations) come from the data given to
    ``fit`` only; ``update`` does not change them.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from rnnforecast import RNNRegressor
    >>> from rnnforecast import RNNForecaster
    >>> t = np.arange(96)
    >>> y = pd.Series(10 + 0.1 * t + np.sin(2 * np.pi * t / 12),
    ...               index=pd.date_range("2000-01-01", periods=96, freq="MS"))
    >>> forecaster = RNNForecaster(
    ...     horizon=6, regressor=RNNRegressor(hidden_size=8, max_iter=20), random_state=0)
    >>> forecast = forecaster.fit(y).predict()
    >>> forecast.index[0], len(forecast)
    (Timestamp('2008-01-01 00:00:00'), 6)
    >>> forecaster.window_
    24
    >>> bounds = forecaster.predict_interval(coverage=0.8)
    >>> list(bounds.columns)
    ['forecast', 'lower', 'upper']
    >>> bool((bounds["lower"] < bounds["upper"]).all())
    True

    New observations move the forecast on without refitting:

    >>> y_new = pd.Series([19.7], index=pd.DatetimeIndex(["2008-01-01"]))
    >>> forecaster.update(y_new).predict().index[0]
    Timestamp('2008-02-01 00:00:00')

    Many series, one global model (a dict here; a long frame indexed by
    ``(series_id, timestamp)`` gives the same forecasts):

    >>> days = pd.date_range("2024-01-01", periods=80, freq="D")
    >>> week = np.sin(2 * np.pi * np.arange(80) / 7)
    >>> sensors = {"kitchen": pd.Series(20 + week, index=days),
    ...            "freezer": pd.Series(-18 + 0.1 * week[10:], index=days[10:])}
    >>> forecaster = RNNForecaster(
    ...     horizon=3, regressor=RNNRegressor(hidden_size=4, max_iter=5), n_networks=1,
    ...     random_state=0).fit(sensors)
    >>> forecast = forecaster.predict()
    >>> list(forecast.index.names), len(forecast)
    (['series_id', None], 6)
    >>> forecast.loc["freezer"].index[0]
    Timestamp('2024-03-21 00:00:00')
    >>> forecaster.predict_interval(series=["kitchen"]).shape
    (3, 3)

    A long series, read once per epoch (see ``training``); ``update`` then
    advances the network's state over the new rows only:

    >>> hours = pd.date_range("2024-01-01", periods=1001, freq="h")
    >>> load = pd.Series(np.sin(2 * np.pi * np.arange(1001) / 24), index=hours)
    >>> forecaster = RNNForecaster(
    ...     horizon=3, training="sequence", regressor=RNNRegressor(hidden_size=4, max_iter=3),
    ...     n_networks=1, random_state=0).fit(load[:1000])
    >>> forecaster.bptt_steps_
    48
    >>> forecaster.update(load[1000:]).predict().index[0]
    Timestamp('2024-02-11 17:00:00')
    """

    _parameter_constraints = {
        "window": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "regressor": [HasMethods(["fit", "predict"]), None],
        "strategy": [StrOptions({"direct", "recursive"})],
        "target": "no_validation",
        "freq": [str, pd.offsets.BaseOffset, None],
        "n_calibration": [StrOptions({"auto"}), Interval(Integral, 0, None, closed="left")],
        "early_stopping": ["boolean"],
        "linear_skip": ["boolean"],
        "n_networks": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "max_windows_per_series": [Interval(Integral, 1, None, closed="left"), None],
        "training": [StrOptions({"window", "sequence"})],
    }

    def __init__(
        self,
        window="auto",
        horizon=1,
        regressor=None,
        strategy="direct",
        *,
        target=None,
        freq=None,
        n_calibration="auto",
        early_stopping=True,
        linear_skip=True,
        n_networks=5,
        random_state=None,
        max_windows_per_series=None,
        training="window",
    ):
        self.window = window
        self.horizon = horizon
        self.regressor = regressor
        self.strategy = strategy
        self.target = target
        self.freq = freq
        self.n_calibration = n_calibration
        self.early_stopping = early_stopping
        self.linear_skip = linear_skip
        self.n_networks = n_networks
        self.random_state = random_state
        self.max_windows_per_series = max_windows_per_series
        self.training = training

    # -- public API -------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, y, X=None):
        """Fit the forecaster to the series ``y`` (and past covariates ``X``).

        Parameters
        ----------
        y : pandas Series or DataFrame of shape (n_rows,) or (n_rows, n_columns)
            The series, indexed by a regular DatetimeIndex (or one with
            ``freq`` given) or a RangeIndex, strictly increasing. A DataFrame
            needs ``target``. NaN marks a missing value. It comes first so
            that scikit-learn's ``GridSearchCV(...).fit(y, X)`` splits ``y``
            and ``X`` alike. Many series: a dict ``{series_id: Series}`` (or
            DataFrames with ``target``), or a long Series/DataFrame indexed
            by a MultiIndex ``(series_id, timestamp)``; see the class
            docstring. Series are kept in the order given (of first
            appearance in a long frame).
        X : pandas DataFrame of shape (n_rows, n_covariates), default=None
            Past covariates, observed at the same timestamps as ``y`` (same
            index). The network reads them over the window; their future is
            not needed. For many series: a dict with the ids of ``y`` or a
            long DataFrame, every series with the same columns.

        Returns
        -------
        self : RNNForecaster
            The fitted forecaster.

        Raises
        ------
        ValueError
            If ``y`` is empty, too short for ``window + horizon`` rows, has
            duplicate or unsorted timestamps, inf, or no frequency (and no
            ``freq``); if ``X`` is not aligned with ``y``. For many series,
            the message names the series; also if the series do not share
            one frequency, or ``X`` lacks some of them.
        TypeError
            If ``y`` or ``X`` is not a pandas object or has a non-numeric
            column.
        """
        # One BLAS thread, as in RNNRegressor.fit: on a busy machine the
        # ridge of the linear skip (np.linalg.eigh of a 528 x 528 window Gram
        # matrix, Beijing PM2.5 with covariates) took 8.4 s with two threads
        # and 0.1 s with one.
        self._sequence = None
        with blas_threads(1):
            if self.training == "sequence":
                regressor = (RNNRegressor(**_DEFAULT_NETWORK) if self.regressor is None
                             else self.regressor)
                return _fit_sequence(self, y, X, regressor)
            return self._fit_many(y, X) if is_panel(y) else self._fit_one(y, X)

    def _fit_one(self, y, X):
        target, index, name = check_series(y, self.target, "y")
        covariates, covariate_names = check_covariates(X, index, None, "X")
        if covariates is not None and self.strategy == "recursive":
            raise ValueError(
                "strategy='recursive' feeds the network its own forecasts, so it "
                "cannot use past covariates X (their future values are unknown); use "
                "strategy='direct' or fit without X."
            )
        calendar = resolve_calendar(index, self.freq)
        n_rows = len(target)
        window = self._resolve_window(n_rows, calendar.season)
        needed = window + self._model_horizon
        if n_rows < needed:
            what = "window" if self.window != "auto" else "window='auto' gives window"
            raise ValueError(
                f"y has {n_rows} rows; {what}={window} and horizon={self.horizon} need at "
                f"least {needed}{self._length_note()}. Pass a longer series or a smaller "
                "window or horizon."
            )
        values = stack_values(target, covariates)

        self._scaler = WindowScaler().fit(values)
        windows = SeriesWindows([values], window, self.horizon, [self._scaler])
        self.window_ = window
        self.seasonal_period_ = calendar.season
        self.freq_ = calendar.freqstr
        self.covariate_names_ = covariate_names or []
        self._calendar = calendar
        self._name = name

        origins = windows.origins(0)
        trainable = self._trainable(windows, origins)
        self.calibration_scores_, self.n_epochs_ = self._calibrate(windows, origins, trainable)
        model, data = self._start_model(windows, self._latest(origins[trainable]))
        del origins, trainable  # freed before the epochs (9 bytes a window)
        self._model = train_networks(model, data, self.n_epochs_)
        self.regressors_ = list(model.networks)
        self.linear_ = model.linear
        self._history = values[-window:].copy()
        self.cutoff_ = index[-1]
        self.n_rows_seen_ = n_rows
        self._panel = None
        self.series_ids_ = None
        return self

    def predict(self, series=None):
        """Forecast the ``horizon`` steps after the data seen so far.

        Parameters
        ----------
        series : list of series ids, a series id, or None, default=None
            After a fit on many series: the series to forecast, in this
            order; None forecasts every series, in the order of fit. Not
            accepted after a fit on one series.

        Returns
        -------
        forecast : pandas Series of shape (horizon,) or (n_series * horizon,)
            Named like the target, indexed by the next ``horizon`` timestamps
            (``freq_`` steps after ``cutoff_``). After a fit on many series,
            a long Series indexed by a MultiIndex ``(series_id, timestamp)``,
            ``horizon`` rows per series, series after series (the layout of
            a long ``y``; ``forecast.unstack(0)`` gives one column per series).

        Raises
        ------
        ValueError
            If ``series`` names a series that was not fitted, or is given
            after a fit on one series.
        """
        check_is_fitted(self)
        if self._fitted_on_many(series):
            return self._predict_many(series)
        forecast, _ = self._forecast_now()
        return pd.Series(forecast[0], index=self._future_index(), name=self._name)

    def predict_interval(self, coverage=0.9, series=None):
        """Forecast with split-conformal prediction intervals.

        The half-width at step h is the finite-sample split-conformal
        quantile of the absolute backtest errors at step h recorded in fit
        (see ``n_calibration``): the ``ceil((n + 1) * coverage)``-th smallest
        of the n errors. If the errors to come behave like those of the
        calibration origins (exchangeable), the interval holds the true value
        with probability at least ``coverage``; errors at nearby origins are
        correlated, so this holds on average over origins rather than
        exactly.

        Parameters
        ----------
        coverage : float in (0, 1), default=0.9
            Probability that the interval holds the future value.
        series : list of series ids, a series id, or None, default=None
            After a fit on many series, the series to forecast (see
            :meth:`predict`). Their errors are pooled: the radius at step h
            is the conformal quantile of the errors of every series at step
            h, each in units of its series' scale, times the scale of the
            series forecast.

        Returns
        -------
        intervals : pandas DataFrame of shape (horizon, 3) or (n_series * horizon, 3)
            Columns ``forecast``, ``lower``, ``upper``, indexed like
            :meth:`predict`. Bounds are infinite at a step with fewer than
            ``coverage / (1 - coverage)`` calibration errors.

        Raises
        ------
        ValueError
            If ``coverage`` is not in (0, 1), or the forecaster was fitted
            without calibration (``n_calibration=0`` or too short a series).
        """
        check_is_fitted(self)
        if (
            isinstance(coverage, (bool, np.bool_))
            or not isinstance(coverage, Real)
            or not 0 < coverage < 1
        ):
            raise ValueError(
                f"coverage must be a float strictly between 0 and 1, e.g. 0.9; "
                f"got {coverage!r}."
            )
        if self.calibration_scores_ is None:
            raise ValueError(
                "predict_interval needs backtest errors, which fit did not record: "
                f"{self._no_calibration_reason}. Refit with n_calibration='auto' on a "
                "longer series, or an int >= 1."
            )
        if self._fitted_on_many(series):
            return self._predict_interval_many(coverage, series)
        forecast, scale = self._forecast_now()
        radius = conformal_radius(self.calibration_scores_, coverage) * scale[0]
        return pd.DataFrame(
            {"forecast": forecast[0], "lower": forecast[0] - radius,
             "upper": forecast[0] + radius},
            index=self._future_index(),
        )

    def update(self, y_new, X_new=None):
        """Append observations that follow the data seen so far; no refit.

        The network and its normalisation stay as fitted; the next
        :meth:`predict` starts after the last new timestamp.

        Parameters
        ----------
        y_new : pandas Series or DataFrame of shape (n_new,) or (n_new, n_columns)
            New values of the target, with the target column (as in fit);
            NaN marks a missing value. Its timestamps must continue
            ``cutoff_`` one step at a time (on an irregular calendar with
            ``freq`` given: increasing and on ``freq``). After a fit on many
            series: a dict or long frame (as in fit) of new values of some or
            all series, each continuing its own cutoff; the others stay as
            they are. Every series is checked before any is moved on.
        X_new : pandas DataFrame of shape (n_new, n_covariates), default=None
            The covariates at the same timestamps (after a fit on many
            series: a dict or long frame with the ids of ``y_new``);
            required if fit had ``X``.

        Returns
        -------
        self : RNNForecaster

        Raises
        ------
        ValueError
            If the timestamps do not directly follow ``cutoff_``, the
            covariates do not match those of fit, or a series id is unknown.
        TypeError
            If ``y_new`` holds one series after a fit on many, or many after
            a fit on one.
        """
        check_is_fitted(self)
        if self._fitted_on_many(data=y_new, argument="y_new"):
            return self._update_many(y_new, X_new)
        target, index, _ = check_series(y_new, self.target, "y_new", allow_all_nan=True)
        covariates, _ = check_covariates(X_new, index, self.covariate_names_, "X_new")
        self._calendar.check_continues(self.cutoff_, index, "y_new")
        new = stack_values(target, covariates)
        if getattr(self, "_sequence", None) is not None:
            self._sequence.advance(new)
        else:
            self._history = np.concatenate([self._history, new])[-self.window_:]
        self.cutoff_ = index[-1]
        self.n_rows_seen_ += len(index)
        return self

    def score(self, y_future, X_future=None):
        """Negative mean absolute error of the forecast on ``y_future``.

        Forecasts the ``horizon`` steps after ``cutoff_`` and compares them
        with the first ``min(horizon, len(y_future))`` values of
        ``y_future``, which must start right after ``cutoff_``. Higher is
        better, as scikit-learn expects: with
        ``TimeSeriesSplit(test_size=horizon)``, ``cross_val_score`` and
        ``GridSearchCV`` fit on each past and score on the horizon after it.

        After a fit on many series, ``y_future`` holds the values that
        followed some or all series (a dict or long frame, as in fit), and
        the score is the mean over those series of the single-series score.
        ``TimeSeriesSplit`` splits the rows of a long frame, so for a
        backtest with scikit-learn's tools sort the long frame by time
        (``y.sort_index(level=1, sort_remaining=True)``) and take
        ``TimeSeriesSplit(test_size=horizon * n_series)``: when the series
        end at the same timestamp, each test fold is then the next
        ``horizon`` steps of every series. A dict cannot be split by
        scikit-learn.

        Parameters
        ----------
        y_future : pandas Series or DataFrame of shape (n_future,)
            The values that followed the data seen so far (NaN values are
            left out of the mean). After a fit on many series: a dict or a
            long frame.
        X_future : pandas DataFrame, default=None
            Covariates at the same timestamps. Not needed to forecast; it is
            accepted so that scikit-learn can pass the test rows of ``X``,
            and checked for alignment with ``y_future``.

        Returns
        -------
        score : float
            ``-mean(|y_future - forecast|)`` over the overlapping steps (and
            the mean of that over the series, for many series).

        Examples
        --------
        A rolling-origin backtest with scikit-learn's own tools: each split
        fits on the past and scores the next ``horizon`` steps.

        >>> import numpy as np
        >>> import pandas as pd
        >>> from sklearn.model_selection import TimeSeriesSplit, cross_val_score
        >>> from rnnforecast import RNNRegressor
        >>> from rnnforecast import RNNForecaster
        >>> y = pd.Series(np.sin(np.arange(80) / 3),
        ...               index=pd.date_range("2024-01-01", periods=80, freq="D"))
        >>> forecaster = RNNForecaster(window=12, horizon=4, n_networks=1, random_state=0,
        ...                            regressor=RNNRegressor(hidden_size=4, max_iter=5))
        >>> scores = cross_val_score(forecaster, y, cv=TimeSeriesSplit(3, test_size=4))
        >>> scores.shape, bool((scores <= 0).all())
        ((3,), True)
        """
        check_is_fitted(self)
        if self._fitted_on_many(data=y_future, argument="y_future"):
            return self._score_many(y_future, X_future)
        target, index, _ = check_series(y_future, self.target, "y_future")
        if X_future is not None:
            check_covariates(X_future, index, self.covariate_names_ or None, "X_future")
        n = min(self.horizon, len(target))
        self._calendar.check_continues(self.cutoff_, index[:n], "y_future")
        forecast = self.predict().to_numpy()[:n]
        errors = np.abs(target[:n] - forecast)
        if np.isnan(errors).all():
            raise ValueError(
                f"y_future has no observed value in its first {n} steps (all NaN), so "
                "there is nothing to score."
            )
        return -float(np.nanmean(errors))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.target_tags.required = False
        return tags

    def _fitted_on_many(self, series=None, data=None, argument=None):
        """Whether the forecaster was fitted on many series; checks that
        ``series`` and ``data`` (the argument ``argument``) agree with that."""
        many = getattr(self, "_panel", None) is not None
        if not many and series is not None:
            raise ValueError(
                f"series={series!r} selects among many series, but the forecaster was "
                "fitted on one series; call it without series=, or fit on a dict or a "
                "long frame of series."
            )
        if data is not None and is_panel(data) != many:
            fitted = "many series" if many else "one series"
            expected = (
                "a dict {series_id: Series} or a long frame indexed by (series_id, "
                "timestamp)" if many else "a pandas Series or DataFrame of that series"
            )
            raise TypeError(
                f"the forecaster was fitted on {fitted}, so {argument} must be {expected}; "
                f"got {type(data).__name__}"
                + (" with a MultiIndex." if is_panel(data) and not many else ".")
            )
        return many

    # -- fitting ----------------------------------------------------------
    @property
    def _model_horizon(self):
        """Outputs of the network: all steps (direct) or one (recursive)."""
        return self.horizon if self.strategy == "direct" else 1

    def _length_note(self):
        if self.strategy == "recursive":
            return " (strategy='recursive' trains on one-step windows)"
        return ""

    def _resolve_window(self, n_rows, season):
        if self.window != "auto":
            return self.window
        window = _AUTO_SEASONS * season if season > 1 else _AUTO_WINDOW_NO_SEASON
        largest = (n_rows - self._model_horizon + 1) // 3
        return max(1, min(window, _AUTO_WINDOW_MAX, largest))

    def _trainable(self, windows, rows):
        """Whether the network can learn from the windows of origins ``rows``
        of ``windows``: an observed target in the window and a complete
        future."""
        return windows.observed(rows) & windows.complete(rows, self._model_horizon)

    def _latest(self, rows):
        """The last ``max_windows_per_series`` of the window origins ``rows``."""
        if self.max_windows_per_series is None:
            return rows
        return rows[-self.max_windows_per_series:]

    def _network_seeds(self, regressor):
        """One seed per network, drawn from the forecaster's random_state, else
        from the regressor's; a single network without random_state at all
        keeps the regressor's None."""
        params = regressor.get_params(deep=False)
        if "random_state" not in params:
            return [None]  # deterministic regressor: copies would be identical
        source = self.random_state if self.random_state is not None else params["random_state"]
        if source is None and self.n_networks == 1:
            return [None]
        rng = check_random_state(source)
        return [int(seed) for seed in rng.randint(np.iinfo(np.int32).max, size=self.n_networks)]

    def _new_networks(self, n_step_features):
        """New, unfitted regressors for the ensemble."""
        if self.regressor is None:
            template = RNNRegressor(**_DEFAULT_NETWORK)
        else:
            template = clone(self.regressor)
        if "n_step_features" in template.get_params(deep=False):
            template.set_params(n_step_features=n_step_features)
        networks = []
        for seed in self._network_seeds(template):
            network = clone(template)
            if seed is not None:
                network.set_params(random_state=seed)
            networks.append(network)
        return networks

    def _start_model(self, windows, rows):
        """A :class:`WindowModel` with its linear skip fitted and its networks
        new, and the networks' :class:`WindowTrainingSet`, on the windows of
        origins ``rows``."""
        n_features, steps = windows.n_features, self._model_horizon
        linear = (
            fit_linear_skip(lambda: windows.blocks(rows, steps), n_features)
            if self.linear_skip else None
        )
        model = WindowModel(self._new_networks(n_features), linear, n_features)
        return model, WindowTrainingSet.of(model, windows, rows, steps)

    def _calibrate(self, windows, origins, trainable):
        """Backtest errors at the last origins, and the best numbers of epochs.

        ``origins`` are those of every window of the series (window ``i``
        ends at row ``window - 1 + i``) and ``trainable`` says which the
        networks can learn from; those with a complete ``horizon`` future
        are windows ``0 .. n_complete - 1``. The last ``n_cal`` of them are
        forecast by a model trained only on windows whose targets end at or
        before the first of them. With ``early_stopping`` its networks are
        trained epoch by epoch and each kept at the epoch whose forecasts
        from these origins are best.

        Returns ``(scores, n_epochs)``: the absolute errors divided by the
        scale of each origin window, shape (n_cal, horizon), or None; and the
        chosen number of epochs of each network, or None to let the final
        networks use ``fit``.
        """
        n_complete = len(origins) - self.horizon
        n_cal = self._calibration_size(n_complete)
        if n_cal == 0:
            return None, None
        train_rows, scored = self._split_calibration(windows, origins, trainable, n_cal)
        if len(train_rows) == 0:
            raise ValueError(
                f"n_calibration={self.n_calibration} leaves no window to train the "
                f"calibration model on (y has {len(origins) + self.window_ - 1} rows); use "
                "a smaller n_calibration, n_calibration=0, or a longer series."
            )
        return self._train_backtest(windows, train_rows, scored)

    def _split_calibration(self, windows, origins, trainable, n_cal):
        """The calibration model's training windows and the origins it is
        scored from, for the last ``n_cal`` origins of one series with a
        complete future (see :meth:`_calibrate`): ``(train_rows, scored)``.

        The training windows are those whose targets end before the first
        scored origin (the last ``max_windows_per_series`` of them); the
        scored origins are those whose window holds an observed target (a
        long gap of NaN can leave a window empty).
        """
        n_complete = len(origins) - self.horizon
        first = n_complete - n_cal
        n_train = max(first - self._model_horizon + 1, 0)
        scored = origins[first:n_complete]
        return (self._latest(origins[:n_train][trainable[:n_train]]),
                scored[windows.observed(scored)])

    def _train_backtest(self, windows, train_rows, origin_rows):
        """Train a calibration model on the windows of origins ``train_rows``
        and score it from the origins ``origin_rows``; see :meth:`_calibrate`."""
        origin_inputs, origin_futures = windows.raw(origin_rows), windows.futures(origin_rows)
        origin_scaler = windows.scaler(origin_rows)

        def scores(model):
            forecast, scale = self._forecast(origin_inputs, model, origin_scaler)
            return np.abs(origin_futures - forecast) / scale[:, None]

        model, data = self._start_model(windows, train_rows)
        if not (self.early_stopping and all(map(supports_epochs, model.networks))):
            train_networks(model, data)
            return scores(model), None
        patience = model.networks[0].get_params().get("n_iter_no_change", _PATIENCE)
        n_epochs = train_networks_best_epochs(
            model, data, lambda m: np.nanmean(scores(m)), patience
        )
        return scores(model), n_epochs

    def _calibration_size(self, n_complete):
        if self.n_calibration != "auto":
            self._no_calibration_reason = "it was fitted with n_calibration=0"
            return min(self.n_calibration, max(n_complete, 0))
        n_cal = self._auto_calibration_size(n_complete)
        # The calibration model needs at least as many windows as origins.
        if n_complete - n_cal - self._model_horizon + 1 < n_cal:
            self._no_calibration_reason = (
                f"y was too short: {n_complete} origins with a known future, fewer than "
                f"the {self._min_calibration_origins()} needed to calibrate "
                f"on {_CALIBRATION_MIN} of them"
            )
            warnings.warn(
                f"RNNForecaster: {self._no_calibration_reason}; predict_interval will not "
                "be available.",
                UserWarning,
            )
            return 0
        return n_cal

    @staticmethod
    def _auto_calibration_size(n_complete):
        """``n_calibration="auto"``: a quarter of the origins, within bounds."""
        return min(_CALIBRATION_MAX, max(_CALIBRATION_MIN, int(_CALIBRATION_SHARE * n_complete)))

    def _min_calibration_origins(self):
        """Origins with a known future that ``"auto"`` needs to calibrate."""
        return 2 * _CALIBRATION_MIN + self._model_horizon - 1

    # -- what the networks read (for rnnforecast.diagnostics) -------------
    def _series_values(self, y, X):
        """The series of ``y`` (and their covariates ``X``) as ``[(code, label,
        values)]``: values of shape (n_rows, 1 + n_covariates), checked as fit
        checks them, and the code of the fitted series they are (0 for a
        forecaster fitted on one series)."""
        if not self._fitted_on_many(data=y, argument="y"):
            target, index, _ = check_series(y, self.target, "y")
            covariates, _ = check_covariates(X, index, self.covariate_names_, "X")
            values = stack_values(target, covariates)
            return [(0, "y", values)]
        data = check_panel(y, X, self.target, self.covariate_names_, "y", "X")
        codes = self._panel.codes(data.ids, "y")
        return [(code, f"y[{sid!r}]", values)
                for code, sid, values in zip(codes, data.ids, data.values)]

    def _network_inputs(self, y, X, with_targets):
        """What the networks read from the series ``y`` (and past covariates
        ``X``), built as ``fit`` builds it; :mod:`rnnforecast.diagnostics`
        runs the networks on it.

        Windows are cut, normalised with the fitted scaling of their series
        and, with ``with_targets``, paired with the residuals of the fitted
        linear skip. With targets, only the windows fit trains on are kept
        (an observed target value, a complete future, the last
        ``max_windows_per_series`` of them); without, every window holding an
        observed target value (those the forecaster can forecast from).
        Windows of many series are pooled, series after series.

        Returns ``(features, residual_targets)``; the targets are None without
        ``with_targets``.
        """
        window = self.window_
        needed = window + self._model_horizon if with_targets else window
        series = self._series_values(y, X)
        for _, label, values in series:
            if len(values) < needed:
                what = f"window_={window} needs"
                if with_targets:
                    what = (f"window_={window} and the {self._model_horizon} step(s) its "
                            "networks forecast need")
                raise ValueError(
                    f"{label} has {len(values)} rows; the forecaster's {what} at least {needed}."
                )
        scalers = ([self._scaler] if self._panel is None
                   else [self._panel.scalers[code] for code, _, _ in series])
        windows = SeriesWindows([values for _, _, values in series], window, self.horizon,
                                scalers)
        rows = []
        for i in range(len(series)):
            origins = windows.origins(i)
            if with_targets:
                rows.append(self._latest(origins[self._trainable(windows, origins)]))
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
        return WindowTrainingSet.of(self._model, windows, rows, self._model_horizon).matrices()

    # -- forecasting ------------------------------------------------------
    def _forecast_now(self):
        """The forecast from the data seen so far, shape (1, horizon), and
        its scale, shape (1,)."""
        if getattr(self, "_sequence", None) is not None:
            return self._sequence.forecast()[None], np.array([self._scaler.std])
        return self._forecast(self._history[None])

    def _forecast(self, inputs, model=None, scaler=None):
        """Forecasts of the ``horizon`` steps after each raw window.

        ``model`` defaults to the fitted ``_model``, ``scaler`` to the fitted
        series' ``_scaler`` (a :class:`PooledScaler` for windows of many series).
        Returns ``(forecast, scale)``: arrays of shape (n, horizon) and (n,),
        the scale being that of each origin window.
        """
        model = self._model if model is None else model
        scaler = self._scaler if scaler is None else scaler
        normalised, level, scale = scaler.transform(inputs)
        if np.isnan(level).any():
            raise ValueError(
                f"the last {self.window_} steps hold no observed target value, so there "
                "is nothing to forecast from; update() with observed values first."
            )
        if self.strategy == "direct":
            z = model.predict(normalised.reshape(len(inputs), -1), scaler.offset(level))
            return WindowScaler.from_units(z, level, scale), scale
        window = inputs[:, :, :1].copy()
        forecast = np.empty((len(inputs), self.horizon))
        for step in range(self.horizon):
            normalised, level_now, scale_now = scaler.transform(window)
            z = model.predict(normalised.reshape(len(window), -1), scaler.offset(level_now))
            forecast[:, step] = WindowScaler.from_units(z, level_now, scale_now)[:, 0]
            window = np.concatenate([window[:, 1:], forecast[:, step, None, None]], axis=1)
        return forecast, scale

    def _future_index(self):
        return self._calendar.future(self.cutoff_, self.horizon)
