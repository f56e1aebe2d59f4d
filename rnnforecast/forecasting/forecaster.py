"""RNNForecaster: pandas series in, timestamped forecasts and intervals out.

The public estimator: it checks its arguments, hands the series to a
training mode (:mod:`.window_training` or :mod:`.sequence_training`), keeps
what it returns in one place (:meth:`RNNForecaster._set_fitted`), and lays the
forecasts out as the data came in (:mod:`.state`). What it forecasts from is
one fitted model object, whichever way fit went: a
:class:`.pooled_model.PooledModel` (one model over the series), or
:class:`.separate_models.SeparateModels` (many series, each fitted alone).
"""

import inspect
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, _fit_context, clone
from sklearn.utils._param_validation import HasMethods, Interval, Options, StrOptions
from sklearn.utils.validation import check_is_fitted

import pandas as pd

from .._blas_threads import blas_threads
from ..scoring import check_metric, forecast_error
from .calendar import resolve_calendars
from .future_inputs import check_future_names, future_rows
from .outliers import DEFAULT_THRESHOLD, OutlierFilter, read_as_missing, warn_outliers
from .intervals import (check_coverages, check_quantiles, conformal_quantiles, interval_names,
                        interval_offsets, quantile_names)
from .panel_inputs import check_covariates_observed, check_data
from .pooled_model import PooledModel
from .seasonal_adjustment import fit_adjustment
from .separate_models import SeparateModels, covariate_parts, fit_each, target_parts
from .sequence_training import SequenceTraining
from .state import SeriesState, id_index
from .target_scale import check_for_scale, to_model_scale
from .window_training import WindowTraining
from .zero_shot import (COMBINED, FINE_TUNED, MODEL, MODES, ZERO_SHOT,
                        guards_level_shifts, resolve_methods, uses_network,
                        warn_unused_fine_tune, warn_unused_settings)

__all__ = ["RNNForecaster"]


class RNNForecaster(BaseEstimator):
    """Multi-step forecaster of a time series with recurrent networks.

    ``fit`` cuts the series into trailing windows of ``window`` steps,
    expresses each window relative to its last value (in units of the
    series' standard deviation), and learns to map a window to the next
    ``horizon`` values with a linear skip (ridge regression on the window)
    plus an ensemble of ``n_networks`` GRU networks
    (:class:`~rnnforecast.RNNRegressor`) fitted to what the linear part
    misses. ``predict`` forecasts the ``horizon`` steps after the end of the
    data seen so far, indexed by their timestamps; ``predict_interval`` and
    ``predict_quantiles`` add split-conformal intervals and quantiles from
    the errors of a backtest inside ``fit`` (asymmetric on request);
    ``update`` appends new observations without
    refitting; ``score`` is the negative mean absolute error of a forecast
    against the values that followed, so that scikit-learn's
    ``GridSearchCV`` and ``cross_val_score`` with
    ``TimeSeriesSplit(test_size=horizon)`` run rolling-origin backtests.

    **Hourly and half-hourly data.** By default (``model="by_frequency"``)
    series of those calendars are forecast by a GRU pretrained on synthetic
    series, zero-shot: ``fit`` trains nothing and only backtests it for the
    intervals, in a fraction of a second. Where it cannot serve (a
    horizon over 48, covariates in ``X`` or a ``seasonal_lag`` to read,
    sequence training) and on every other calendar, the per-series model
    above is trained. ``method_`` says which forecasts;
    ``model="per_series"`` always trains.

    **Never-negative series.** A series none of whose observed values so
    far (in ``fit`` and ``update``) is below 0, such as counts, demand or
    pollution, is forecast at or above 0, and its interval bounds and
    quantiles are floored at 0 too, whatever the model; the first negative
    value lifts the floor. The backtest errors inside ``fit`` are those of
    the model's own forecasts, unfloored (except the pretrained network's,
    which floors its own).

    **Many series.** ``fit`` also takes many series of one frequency (any
    lengths and starts), as a dict ``{series_id: Series}``, a long
    Series/DataFrame indexed by ``(series_id, timestamp)``, or a Nixtla frame
    with columns ``unique_id``, ``ds`` and ``y`` (forecasts then come back
    with those columns; polars frames are converted). By default
    (``many_series="auto"``) wherever it trains it fits a forecaster to each
    series alone (``forecasters_``), whose forecasts, intervals and updates
    are exactly those of that series fitted alone; ``many_series="global"``
    trains ONE model: each series is scaled by its own statistics and the
    windows of all series train one linear skip and one ensemble.
    ``predict()`` then returns a long Series indexed by ``(series_id,
    timestamp)`` (``.unstack(0)``: one column per series),
    ``predict(series=[...])`` forecasts the series named, ``update`` takes
    new values of some or all series (each checked before any moves), and
    ``score`` is the mean over series of the single-series score. One series
    is a panel of one: a one-series dict gives exactly the forecasts of the
    Series itself.

    Parameters
    ----------
    window : int or "auto", default="auto"
        Steps of history read for each forecast. ``"auto"`` takes two
        seasonal periods of the index frequency (monthly 24, quarterly 8,
        daily 14, hourly 48, ...; 10 steps without a season), at most 200,
        and at most ``(n_rows - horizon + 1) // 3`` so that a short series
        still has twice as many windows as steps per window (for many
        series, n_rows of the longest).
    horizon : int, default=1
        Number of steps to forecast.
    regressor : estimator or None, default=None
        The network: a scikit-learn regressor fitted on normalised windows,
        rows of ``window * n_step_features`` columns, time-major, the target
        then the covariates at each step; a step holding a NaN is a missing
        step. If it has an ``n_step_features`` parameter, it is set to the
        number of features per step, and ``standardize_target`` and
        ``standardize_inputs`` to False (the windows are already
        normalised). It is cloned, never modified. None uses
        ``RNNRegressor(cell="gru", hidden_size=32, learning_rate_init=0.005,
        batch_size=32, max_iter=200, n_iter_no_change=10, alpha=1e-4)``:
        a larger learning rate than RNNRegressor's default so that few epochs
        suffice, with the epochs chosen by ``early_stopping``. An
        RNNRegressor reads windows cut from the series a batch at a time
        (memory in proportion to the series); any other regressor is given
        the window matrix.
    strategy : {"direct", "recursive"}, default="direct"
        ``"direct"``: one network outputs all ``horizon`` steps at once (a
        multi-output regression). ``"recursive"``: a one-step network is fed
        its own forecasts; it cannot use past covariates, whose future is
        unknown (covariates known in advance, ``future_covariates``, it can).
    target : hashable or None, default=None
        The column to forecast when ``y`` is a DataFrame. Other columns of
        ``y`` are ignored: pass covariates as ``X``.
    target_transform : {"log"} or None, default=None
        ``"log"``: fit every model on the logarithm of the target and turn
        each forecast, bound and quantile back with ``exp``, for a season or
        noise that grows with the level (airline passengers, sales); the
        intervals, symmetric on the log scale, are then wider above the
        forecast than below, and above 0. Every target value must be above
        0 (a ValueError names the first that is not); gross outliers are
        found on the series as given, before the logarithm. Fitted
        attributes that hold the series' values or errors
        (``calibration_errors_``, ``linear_``) are on the log scale;
        ``score`` compares on the series' own. Not the default: a trend
        fitted on the log scale grows exponentially once turned back (the
        README measures both); ``GridSearchCV`` over ``[None, "log"]``
        chooses on a backtest.
    future_covariates : list of column names, "all" or None, default=None
        Columns of ``X`` whose future values are known when forecasting
        (calendar features, holidays, planned prices, a weather forecast),
        as darts' ``future_covariates``, Nixtla's ``futr_exog_list`` and
        skforecast's ``exog``; "all": every column of ``X``. Each window is
        then followed by the steps it forecasts, on which the networks and
        the linear skip read these columns (the target and the other,
        past-only, covariates are unknown there; see
        :mod:`rnnforecast.forecasting.future_steps`), and ``predict``,
        ``predict_interval``, ``predict_quantiles`` and ``score`` need their
        values at the ``horizon`` steps forecast, as ``X``. Works with both
        strategies, for one series and many; not with
        ``training="sequence"``. ``update`` takes them as ``X_new`` with
        the other covariates.
    freq : str, DateOffset or None, default=None
        The calendar of the forecast timestamps. None takes ``y.index.freq``,
        else ``pd.infer_freq(y.index)``, and raises a ValueError for an index
        without a fixed frequency, which says how to fix it. For such an
        index, e.g. stock prices on trading days, ``freq="B"`` (or another
        business-day calendar: ``"C"``, ``"bh"``) reads the rows as
        consecutive steps and labels the forecast with the next business
        days (a market holiday may appear among them). Any other ``freq``
        must be followed by every step: timestamps it lacks are missing
        observations, to insert as missing values first (``y =
        y.asfreq(freq)``); reading past them would shift every cycle. It must
        agree with the frequency of a regular index. A PeriodIndex (sktime's
        default) sets its own calendar: leave ``freq=None`` (or pass the
        periods' own, e.g. ``"M"``); its forecasts are indexed by the next
        periods, and every period must be present (missing ones inserted as
        NaN with ``y.reindex(pd.period_range(...))``).
    outlier_threshold : float or None, default=20.0
        A target value more than this many robust standard deviations from
        the median of its three observed neighbours on each side (of the
        one side that has them, at the ends) is a gross outlier (a glitch,
        a unit error) and is read as missing, with an ``OutlierWarning``
        (a ``UserWarning``; one for every series of a panel); see
        :mod:`rnnforecast.forecasting.outliers`. Fit sets the scale; new
        values in ``update`` are judged with it. The default leaves every
        value of the shipped data sets' targets alone; None keeps every
        value.
    n_calibration : int or "auto", default="auto"
        Forecast origins at the end of each series used to backtest: ``fit``
        first trains a calibration model on what precedes them and records
        its errors from them, which calibrate ``predict_interval`` and choose
        the epochs. ``"auto"``: a quarter of the origins, 10 to 200; a
        short series gets fewer, as many as leave the calibration model as
        many windows (a warning when that is under 4). Where nothing is
        trained (the pretrained network alone) nothing needs those windows:
        a short series keeps as many of the 10 origins as it has, and a
        series long enough takes its origins spread evenly over those with a
        whole history window of the network before them, not the last ones
        (unless ``fine_tune``), so its errors are less alike. ``0``
        skips the calibration model (half the fitting time): no intervals,
        no early stopping.
    early_stopping : bool, default=True
        Train each calibration network one epoch at a time (up to the
        regressor's ``max_iter``), keep the epoch whose forecasts from the
        calibration origins have the lowest mean absolute error, stop after
        ``n_iter_no_change`` epochs without one better by more than the
        regressor's ``tol`` (in units of the series' scale; as
        ``MLPRegressor`` stops on its validation score), and train the final
        networks on all windows for that many epochs. It applies to
        regressors with ``partial_fit`` and ``max_iter``; others are trained
        with ``fit``.
    seasonal_adjustment : {"auto"} or None, default=None
        ``"auto"``: where the per-series model forecasts one series (each
        series of a fit on many, ``many_series="auto"`` or ``"separate"``)
        of a calendar that is not sub-daily with window training, and the
        season of ``seasonal_period_`` steps is strong (a strength of at
        least 0.64 in a classical decomposition, of ``log(y)`` for a series
        above 0), the model trains on the seasonally adjusted series and
        each forecast, bound and quantile gets the season back (see
        :mod:`rnnforecast.forecasting.seasonal_adjustment`):
        ``seasonal_adjustment_`` holds the indices. None: never. Fitted
        attributes that hold the series' values or errors
        (``calibration_errors_``, ``linear_``) are then of the adjusted
        series. Not the default: better on the dev and shipped series
        (0.984 times), worse on synthetic series whose season drifts
        (1.130 times where it adjusts) and on airline passengers at four
        yearly origins (see the module).
    seasonal_lag : "auto", int or None, default=None
        Add the target ``seasonal_lag`` steps earlier as a covariate known
        in advance, read at every step forecast (see
        :mod:`rnnforecast.forecasting.seasonal_lag`): the longer cycle the
        window of two seasons misses. ``"auto"``: the calendar's second
        period (a week of hourly and half-hourly data, a year of daily
        data, 261 business days) when the horizon is no longer and the
        longest series holds three of them; else none. An int must be at
        least ``horizon``. Window training only.
    model : {"by_frequency", "per_series", "zero_shot", "combined", "auto"}, \
default="by_frequency"
        What forecasts each series (see
        :mod:`rnnforecast.forecasting.zero_shot`): ``"per_series"`` the
        model trained in ``fit``, as described above; ``"zero_shot"`` the
        GRU pretrained on synthetic series
        (:func:`rnnforecast.pretrained.shipped_model`) as it is, so ``fit``
        trains nothing (it scores the network from the calibration origins,
        for the intervals) and warns if a setting of the per-series model
        was changed from its default; ``"combined"`` the mean of the two forecasts;
        ``"auto"`` whichever of the three had the lowest backtest error on
        the series (``method_`` says which), the model alone where the
        network cannot serve (a horizon over 48, sequence training, no
        calibration origins). ``"by_frequency"``: ``"zero_shot"`` for
        sub-daily data of a period the network was pretrained on (hourly,
        half-hourly) where it can serve (horizon at most 48, window
        training) and reads all it is given (no covariates in ``X``, no
        ``seasonal_lag``), else ``"per_series"``; where the pretrained
        network forecasts, the settings of the per-series model
        (``regressor``, ``n_networks``, ``strategy``, ...) are not used, and
        ``fit`` warns if any was changed from its default. Its per-series
        forecasts of a series that shifted level in its last seasons, after
        the last window the model could train on, are the network's, with a
        warning (see :func:`~rnnforecast.forecasting.zero_shot.guards_level_shifts`). The
        pretrained network reads the target alone and forecasts at most 48
        steps. The README's Accuracy section compares them: the rule of
        ``"by_frequency"`` was chosen on the design panel of
        ``benchmarks/bench_accuracy.py`` (daily series were checked and stay
        per-series), and "auto" was not better than "per_series" on
        average.
    fine_tune : bool, default=False
        Fine-tune the pretrained network on the series of ``y`` before it
        forecasts them, wherever ``model`` uses it (``"zero_shot"``,
        ``"combined"``, ``"auto"``, ``"by_frequency"`` on hourly and
        half-hourly data): a copy of its weights is trained 100 minibatches
        further on examples cut from every origin of the series (see
        :mod:`rnnforecast.pretrained.fine_tuning`), seeded by
        ``random_state``. The backtest inside ``fit`` scores a copy
        fine-tuned on the rows before its calibration origins, so intervals
        and ``"auto"``'s choice see the error of a network that has not seen
        them. ``method_`` then says "fine-tuned" where it said "zero-shot".
        Many series are each fine-tuned alone (``many_series="auto"``), or
        one copy on all of them (``many_series="global"``).
        A fine-tuning costs about the same whatever the length of the series,
        and ``fit`` runs two (the backtest's copy and the final one);
        ``update`` does not fine-tune again. Off by default: its gain on the
        design panel of ``benchmarks/bench_accuracy.py`` did not hold on the
        dev panel, and fit is slower (README, Accuracy).
    naive_fallback : bool, default=False
        Also score naive (the last value) and seasonal naive (the value one
        season earlier) from the calibration origins of the backtest inside
        ``fit``, and forecast each series whose backtest one of them wins
        with it instead of the model (``method_`` says which; its intervals
        then come from its own backtest errors). When they win on every
        series the final networks are not trained. Needs calibration origins
        (not with ``n_calibration=0`` or too short a series) and window
        training (sequence training raises a ValueError); see
        :mod:`rnnforecast.forecasting.naive_fallback`. Off by
        default: it made the forecasts of ``benchmarks/bench_accuracy.py``
        worse (README, Accuracy), because the calibration model, trained
        without the last origins, is weaker than the final model it stands
        for.
    linear_skip : bool, default=True
        Add a ridge regression on the window (penalty chosen by
        leave-one-out) and fit the networks to its residuals, as in LSTNet's
        autoregressive highway.
    n_networks : int, default=5
        Networks trained from different random seeds whose forecasts are
        averaged, which lowers the variance of one network trained on little
        data, at ``n_networks`` times the fitting time (see ``n_jobs``). A
        regressor without a ``random_state`` parameter (deterministic) is
        trained once. ``0`` forecasts with the linear skip alone (it needs
        ``linear_skip=True`` and window training; ``fit`` warns if
        ``regressor``, ``early_stopping`` or ``max_windows_per_epoch``, which
        only the networks use, was changed): what the networks add is the
        difference from the default. Fewer networks fit faster, and
        their forecasts depend more on the seed (README, Accuracy).
    random_state : int, RandomState instance or None, default=None
        Seeds the networks: network ``i`` gets a seed drawn from it (or,
        when None, from the regressor's own ``random_state``).
    max_windows_per_series : int or None, default=None
        Train on at most this many windows of each series, the most recent
        ones (in the backtest inside fit: the most recent before the
        calibration origins); None uses every window. The fitting time grows
        with the number of windows.
    max_windows_per_epoch : int, "auto" or None, default="auto"
        With ``early_stopping`` (and a regressor it applies to), each epoch
        of a network is a sample of at most this many of its training
        windows: a long series is scored every that many windows, and
        stops after ``n_iter_no_change`` such epochs without a better
        backtest, instead of as many passes over every window. The samples
        are drawn without replacement (each window once before any twice)
        and depend on the network's seed; the final networks replay the
        epochs chosen, drawn the same way from all windows. Fewer windows
        than this train whole each epoch, so it changes nothing on shorter
        series. ``"auto"``: at most 204,800 window steps an epoch
        (``204_800 // window`` windows: 1,024 windows of 200 steps, 4,266 of
        48), so that an epoch costs about the same whatever the length of
        the series. None: every window every epoch, for a network that
        learns slowly, which a sample can stop early (the README measures
        both, "Epochs of a sample"). See
        :mod:`rnnforecast.forecasting.epoch_samples`.
    training : {"window", "sequence"}, default="window"
        ``"window"``: train on every trailing window, as described above; an
        epoch costs O(n_rows * window). ``"sequence"``, for long series: read
        the series once per epoch as a recurrent language model reads text,
        with the loss at every step and truncated BPTT over chunks of the
        regressor's ``bptt_steps`` (see
        :mod:`rnnforecast.forecasting.sequence_training`); an epoch costs
        O(n_rows) and ``update`` advances the hidden state, O(1) per row. It
        needs an RNNRegressor (or None), one series, ``window="auto"``,
        ``strategy="direct"`` and ``max_windows_per_series=None``;
        ``linear_skip`` does not apply.
    many_series : {"auto", "separate", "global"}, default="auto"
        How ``fit`` treats many series (one series: no difference).
        ``"separate"``: a forecaster of its own for each series, a clone of
        this one fitted to ``{series_id: y[series_id]}`` alone (see
        :mod:`rnnforecast.forecasting.separate_models`): its own window,
        scaling, networks and backtest errors, so each series' intervals
        come from its own errors, and a series too short for them gets
        infinite bounds (with a warning naming it). ``"global"``: one model
        trained on the windows of every series, whose intervals pool the
        errors of all (in units of each series' scale); far cheaper on
        many long series. ``"auto"``: "separate" wherever ``fit`` trains
        (the model, or a fine-tuning of the pretrained network), else
        "global": the pretrained network alone forecasts every series as it
        would alone, in one pass. The README ("Many series") compares the
        two: a model each was the more accurate on real panels, one global
        model far cheaper on many alike series.
    n_jobs : int or None, default=None
        Processes that train the networks of the ensemble (those of the
        backtest inside ``fit``, then the final ones), one network per job,
        through joblib (-1: every processor; None and 1: one after the other
        in this process); with a model per series (``many_series``), a
        series per job instead, each series' networks one after the other.
        Each network depends only on its seed, so the forecasts are the
        same for every ``n_jobs``. Inside a joblib job
        (``GridSearchCV(n_jobs=...)``) prefer ``n_jobs=None``.

    Attributes
    ----------
    window_ : int or None
        The window used (``window`` resolved when "auto"); None with
        ``training="sequence"``.
    bptt_steps_ : int or None
        The chunk length used with ``training="sequence"``; None with
        ``training="window"``.
    seasonal_period_ : int
        Steps per season of the index frequency (1 if none).
    seasonal_lag_ : int or None
        The lag of ``seasonal_lag`` read (``"auto"`` resolved); None when
        none is.
    freq_ : str or None
        Frequency of the forecast index (None for an integer index; a
        period alias such as "M" for a PeriodIndex).
    method_ : str or pandas Series
        What forecasts the series: "model" (the linear skip and the
        networks), "zero-shot" (the pretrained network), "fine-tuned" (the
        pretrained network fine-tuned on ``y``, ``fine_tune=True``),
        "combined" (the mean of the model's forecast and the network's), as
        ``model`` asks, or "seasonal naive" / "naive" where the
        backtest inside fit found it better (``naive_fallback``); after a
        fit on many series, a Series by series id.
    regressors_ : list of estimators or None
        The fitted networks (None with ``training="sequence"``, whose
        networks are not regressors; empty when no series is forecast by
        the trained model: a naive method or the pretrained network alone).
    linear_ : object or None
        The fitted linear skip: a ridge regression with ``coef_``,
        ``intercept_``, ``alpha_`` (chosen by leave-one-out) and ``predict``.
    n_epochs_ : list of int or None
        Epochs of each network chosen by early stopping (None when the
        networks were trained with ``fit``).
    epoch_windows_ : int or None
        Windows in each of those epochs when they were samples of the
        training windows (``max_windows_per_epoch``, "auto" resolved, fewer
        than the final networks' training windows); None when every epoch
        read every window.
    calibration_errors_ : ndarray of shape (n_origins, horizon) or None
        Signed backtest errors ``(y - forecast) / scale`` at the calibration
        origins (NaN where ``y`` was missing), ``scale`` being the series'
        standard deviation. For many series, the origins of every series one
        after the other (with ``"auto"``, at most 2,000 in all).
    calibration_scores_ : ndarray of shape (n_origins, horizon) or None
        ``abs(calibration_errors_)``.
    outliers_ : pandas Series
        The target values read as missing as gross outliers (see
        ``outlier_threshold``) in fit and update, indexed by timestamp (by
        ``(series_id, timestamp)`` after a fit on many series); empty if
        none.
    covariate_names_ : list
        Columns of ``X`` seen in fit (empty without covariates).
    future_covariate_names_ : list
        Those of them known in advance (``future_covariates``), in the
        order of ``X``'s columns; empty without.
    cutoff_ : Timestamp, Period, int or pandas Series
        The last timestamp (or period) seen (fit or update); forecasts start
        after it.
        For many series, a Series of each series' last timestamp, indexed
        by series id.
    n_rows_seen_ : int or pandas Series
        Rows seen in fit and update (per series id, for many series).
    series_ids_ : list or None
        The ids of the series fitted, in the order of fit (None after a fit
        on one series).
    forecasters_ : dict or None
        After a fit of each of many series alone (``many_series``): each
        series' own fitted forecaster, ``{series_id: RNNForecaster}``, fitted
        on ``{series_id: y[series_id]}``. The attributes of a model
        (``window_``, ``bptt_steps_``, ``seasonal_lag_``, ``regressors_``,
        ``linear_``, ``n_epochs_``, ``epoch_windows_``,
        ``calibration_errors_``, ``calibration_scores_``) are then each
        series' own, in its forecaster, and None here. None after a fit on
        one series or of one global model.

    See Also
    --------
    RNNRegressor : The network behind the default regressor.
    rnnforecast.windowing.make_supervised : The windows used in fit.

    Notes
    -----
    Scaling statistics (the target's mean and standard deviation, the
    covariates' means and standard deviations) come from the data given to
    ``fit`` only; ``update`` does not change them.

    A fit interrupted by ``KeyboardInterrupt`` (Ctrl-C) propagates it and
    leaves the forecaster as it was before the call: every fitted attribute
    is set at the end of fit only, from networks made for that fit, so an
    unfitted forecaster stays unfitted and a fitted one keeps its forecasts.
    :func:`rnnforecast.forecasting.progress.reporting` follows a fit's
    progress.

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
    >>> list(forecaster.predict_quantiles([0.1, 0.5, 0.9]).columns)
    ['q0.1', 'q0.5', 'q0.9']

    New observations move the forecast on without refitting:

    >>> y_new = pd.Series([19.7], index=pd.DatetimeIndex(["2008-01-01"]))
    >>> forecaster.update(y_new).predict().index[0]
    Timestamp('2008-02-01 00:00:00')

    Many series and sequence training: see :mod:`.window_training` and
    :mod:`.sequence_training`.
    """

    _parameter_constraints = {
        "window": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "regressor": [HasMethods(["fit", "predict"]), None],
        "strategy": [StrOptions({"direct", "recursive"})],
        "target": "no_validation",
        "target_transform": [StrOptions({"log"}), None],
        "future_covariates": [list, tuple, str, None],
        "freq": [str, pd.offsets.BaseOffset, None],
        "outlier_threshold": [Interval(Real, 0, None, closed="neither"), None],
        "n_calibration": [StrOptions({"auto"}), Interval(Integral, 0, None, closed="left")],
        "early_stopping": ["boolean"],
        "model": [StrOptions({"by_frequency", "per_series", "zero_shot", "combined", "auto"})],
        "fine_tune": ["boolean"],
        "naive_fallback": ["boolean"],
        "linear_skip": ["boolean"],
        "n_networks": [Interval(Integral, 0, None, closed="left")],
        "random_state": ["random_state"],
        "max_windows_per_series": [Interval(Integral, 1, None, closed="left"), None],
        "max_windows_per_epoch": [Interval(Integral, 1, None, closed="left"),
                                  StrOptions({"auto"}), None],
        "seasonal_lag": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left"), None],
        "seasonal_adjustment": [StrOptions({"auto"}), None],
        "training": [StrOptions({"window", "sequence"})],
        "many_series": [StrOptions({"auto", "separate", "global"})],
        "n_jobs": [Interval(Integral, 1, None, closed="left"), Options(Integral, {-1}), None],
    }

    def __init__(
        self,
        window="auto",
        horizon=1,
        regressor=None,
        strategy="direct",
        *,
        target=None,
        target_transform=None,
        future_covariates=None,
        freq=None,
        outlier_threshold=DEFAULT_THRESHOLD,
        n_calibration="auto",
        early_stopping=True,
        seasonal_adjustment=None,
        seasonal_lag=None,
        model="by_frequency",
        fine_tune=False,
        naive_fallback=False,
        linear_skip=True,
        n_networks=5,
        random_state=None,
        max_windows_per_series=None,
        max_windows_per_epoch="auto",
        training="window",
        many_series="auto",
        n_jobs=None,
    ):
        self.window = window
        self.horizon = horizon
        self.regressor = regressor
        self.strategy = strategy
        self.target = target
        self.target_transform = target_transform
        self.future_covariates = future_covariates
        self.freq = freq
        self.outlier_threshold = outlier_threshold
        self.n_calibration = n_calibration
        self.early_stopping = early_stopping
        self.seasonal_adjustment = seasonal_adjustment
        self.seasonal_lag = seasonal_lag
        self.model = model
        self.fine_tune = fine_tune
        self.naive_fallback = naive_fallback
        self.linear_skip = linear_skip
        self.n_networks = n_networks
        self.random_state = random_state
        self.max_windows_per_series = max_windows_per_series
        self.max_windows_per_epoch = max_windows_per_epoch
        self.training = training
        self.many_series = many_series
        self.n_jobs = n_jobs

    # -- public API -------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, y, X=None):
        """Fit the forecaster to the series ``y`` (and past covariates ``X``).

        Parameters
        ----------
        y : pandas Series or DataFrame of shape (n_rows,) or (n_rows, n_columns)
            The series, indexed by a regular DatetimeIndex (or one with
            ``freq`` given), a PeriodIndex or a RangeIndex, strictly
            increasing; later data (``update``, ``score``, future
            covariates) are indexed the same way. A DataFrame
            needs ``target``. NaN marks a missing value: the networks read
            it as a missing step and train only on windows followed by
            ``horizon`` observed values (one, recursive strategy), so gaps
            that leave no such window are a ValueError, and gaps that leave
            none before the calibration origins give no intervals (a
            warning). It comes first so that scikit-learn's
            ``GridSearchCV(...).fit(y, X)`` splits ``y`` and ``X`` alike.
            Many series: a dict ``{series_id: Series}`` (or
            DataFrames with ``target``), or a long Series/DataFrame indexed
            by a MultiIndex ``(series_id, timestamp)``; see the class
            docstring. Series are kept in the order given (of first
            appearance in a long frame).
        X : pandas DataFrame of shape (n_rows, n_covariates), default=None
            Covariates, observed at the same timestamps as ``y`` (same
            index). The network reads them over the window; the future of
            those named in ``future_covariates`` is read too and needed to
            forecast, that of the others (past covariates) is not. For many
            series: a dict with the ids of ``y`` or a long DataFrame, every
            series with the same columns. A step where a covariate is NaN is
            a missing step for the networks, its target too (the linear skip
            reads the covariate as its mean); a column with no value at all
            is a ValueError.

        Returns
        -------
        self : RNNForecaster
            The fitted forecaster.

        Raises
        ------
        ValueError
            If ``y`` is empty, too short for ``window + horizon`` rows, has
            duplicate or unsorted timestamps, inf, or no frequency (and no
            ``freq``); if ``X`` is not aligned with ``y``; if many series do
            not share one frequency. The message names the series.
        TypeError
            If ``y`` or ``X`` is not a pandas object or has a non-numeric column.
        """
        if self.n_networks == 0 and (not self.linear_skip or self.training == "sequence"):
            raise ValueError(
                f"n_networks=0 forecasts with the linear skip alone, which needs "
                f"linear_skip=True and training='window'; got linear_skip={self.linear_skip}, "
                f"training={self.training!r}. Pass n_networks >= 1, or those settings."
            )
        data = check_data(y, X, self.target, None)
        check_covariates_observed(data)
        future_names = check_future_names(self.future_covariates, data.covariate_names,
                                          self.training)
        calendars = resolve_calendars(data, self.freq)
        methods = resolve_methods(self.model, self.horizon, self.training,
                                  data.covariate_names, calendars[0], self.seasonal_lag)
        if self._separately(data, methods):
            parts, target = target_parts(y, "y", self.target)
            forecasters = fit_each(
                clone(self).set_params(many_series="global", target=target), data.ids, parts,
                covariate_parts(X, "X"), stacklevel=3)  # fit, sklearn's _fit_context, the user
            self._set_fitted_separately(data, calendars, future_names, forecasters)
            # The outliers of every series in one warning, as a global model gives it.
            warn_outliers(self._fitted.outlier_records(), "y", self.outlier_threshold, False,
                          stacklevel=3)
            return self
        warn_unused_settings(self.get_params(deep=False), _DEFAULTS, self.model, methods,
                             calendars[0].freqstr, stacklevel=3)  # fit, _fit_context, the user
        if self.fine_tune:
            warn_unused_fine_tune(self.model, methods, stacklevel=3)
        outliers = OutlierFilter(self.outlier_threshold)
        masks = outliers.fit(data.values)  # on the series as given, see .target_scale
        check_for_scale(self.target_transform, data, masks, "y")
        found = read_as_missing(data, masks, "y", self.outlier_threshold,
                                stacklevel=3)  # fit, sklearn's _fit_context, the user
        to_model_scale(data, self.target_transform)
        adjustment = self._adjustment(data, calendars[0], methods)
        # One BLAS thread, as in RNNRegressor.fit: on a busy machine the
        # ridge of the linear skip (np.linalg.eigh of a 528 x 528 window Gram
        # matrix, Beijing PM2.5 with covariates) took 8.4 s with two threads
        # and 0.1 s with one.
        params = self.get_params(deep=False)
        shift_guard = guards_level_shifts(self.model, methods, self.horizon, self.training,
                                          data.covariate_names, calendars[0], self.seasonal_lag)
        training = (SequenceTraining(params) if self.training == "sequence"
                    else WindowTraining(params, future_names, methods, shift_guard))
        with blas_threads(1):
            result = training.fit(data, calendars)
        self._set_fitted(data, calendars, training, result, future_names, outliers, found,
                         adjustment)
        return self

    def predict(self, series=None, *, X=None):
        """Forecast the ``horizon`` steps after the data seen so far.

        Parameters
        ----------
        series : list of series ids, a series id, or None, default=None
            After a fit on many series: the series to forecast, in this
            order; None forecasts every series, in the order of fit. Not
            accepted after a fit on one series.
        X : pandas DataFrame, dict or long frame, default=None
            The covariates known in advance (``future_covariates``) at the
            ``horizon`` steps forecast, laid out like ``X`` in fit (for many
            series, of every series forecast); more rows, and fit's past
            covariates, are accepted and ignored. Needed with
            ``future_covariates``, refused without.

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
            after a fit on one series; if ``X`` lacks a step or a value of a
            covariate known in advance, or is given without them.
        """
        check_is_fitted(self)
        codes = self._state.codes(series)
        forecast, _ = self._forecast(codes, X)
        columns = {"forecast": self._fitted.user_points(forecast, codes)}
        return self._state.forecast_table(codes, columns, self.horizon)

    def predict_interval(self, coverage=0.9, series=None, *, symmetric=True, X=None):
        """Forecast with split-conformal prediction intervals.

        The half-width at step h is the ``ceil((n + 1) * coverage)``-th
        smallest of the n absolute backtest errors at step h recorded in fit
        (see ``n_calibration``); with ``symmetric=False`` the bounds are
        instead the ``(1 - coverage) / 2`` and ``(1 + coverage) / 2``
        quantiles of :meth:`predict_quantiles`, so the interval follows a
        skewed or biased error (the forecast may then lie outside it). If
        the errors to come behave like those of the calibration origins
        (exchangeable), the interval holds the true value with probability
        at least ``coverage`` (asymmetric: misses each side with probability
        at most ``(1 - coverage) / 2``); errors at nearby origins are
        correlated, so this holds on average over origins rather than
        exactly.

        Parameters
        ----------
        coverage : float in (0, 1), or a list of them, default=0.9
            Probability that the interval holds the future value. A list
            (statsforecast's ``level=[80, 95]``, sktime's list of coverages)
            gives one interval per coverage, each once.
        series : list of series ids, a series id, or None, default=None
            After a fit on many series, the series to forecast (see
            :meth:`predict`). Their errors are pooled: the bounds at step h
            come from the errors of every series at step h, each in units of
            its series' scale, times the scale of the series forecast.
        symmetric : bool, default=True
            False: the two tails of the signed errors, which need
            ``(1 + coverage) / (1 - coverage)`` errors per step (19 for 0.9)
            where the symmetric rule needs ``coverage / (1 - coverage)`` (9).
            Measured on the shipped series it was no better calibrated (see
            the README), so the symmetric rule stays the default.
        X : pandas DataFrame, dict or long frame, default=None
            The covariates known in advance at the steps forecast, as in
            :meth:`predict`.

        Returns
        -------
        intervals : pandas DataFrame of shape (horizon, 3) or (n_series * horizon, 3)
            Columns ``forecast`` (that of :meth:`predict`), ``lower``,
            ``upper``, indexed like :meth:`predict`; for a list of
            coverages, ``forecast`` then ``lower_0.8``, ``upper_0.8``,
            ``lower_0.95``, ... in the order of the list. Bounds are infinite
            at a step with too few calibration errors for the rule used, with
            a UserWarning naming the coverage they support.

        Raises
        ------
        ValueError
            If a coverage is not in (0, 1) (the message names it) or is given
            twice, or the forecaster was fitted without calibration
            (``n_calibration=0`` or too short a series); ``X`` as in
            :meth:`predict`.
        """
        check_is_fitted(self)
        coverages = check_coverages(coverage)
        codes = self._state.codes(series)
        bounds = []
        for c in coverages:
            bounds.append(self._fitted.offsets(
                codes, lambda errors: interval_offsets(errors, np.abs(errors), c, symmetric),
                "predict_interval", f"coverage={c!r}, symmetric={symmetric!r}", stacklevel=2))
        forecast, scale = self._forecast(codes, X)
        columns = {"forecast": self._fitted.user_points(forecast, codes)}
        several = not isinstance(coverage, Real)
        for c, offsets in zip(coverages, bounds):
            names = interval_names(c) if several else ("lower", "upper")
            columns.update(zip(names, self._fitted.user_bounds(
                forecast + offsets * scale[:, None], codes)))
        return self._state.forecast_table(codes, columns, self.horizon)

    def predict_quantiles(self, quantiles=(0.05, 0.5, 0.95), series=None, *, X=None):
        """Conformal quantiles of the ``horizon`` values to come.

        Quantile q at step h is the forecast plus an order statistic of the n
        signed backtest errors at step h (``calibration_errors_``, see
        ``n_calibration``) times the scale of the series: for ``q > 0.5`` the
        ``ceil((n + 1) q)``-th smallest (the value falls at or below it with
        probability at least q), for ``q < 0.5`` the ``floor((n + 1) q)``-th
        (below it with probability at most q), for 0.5 their median; for
        exchangeable errors, see :mod:`.intervals`.

        Parameters
        ----------
        quantiles : float or sequence of float in (0, 1), default=(0.05, 0.5, 0.95)
            The probabilities, each once; the columns keep their order.
        series : list of series ids, a series id, or None, default=None
            After a fit on many series, the series to forecast (see
            :meth:`predict`); their errors are pooled as in
            :meth:`predict_interval`.
        X : pandas DataFrame, dict or long frame, default=None
            The covariates known in advance at the steps forecast, as in
            :meth:`predict`.

        Returns
        -------
        quantiles : pandas DataFrame of shape (horizon, n_quantiles) or (n_series * horizon, n_quantiles)
            Columns ``q0.05``, ``q0.5``, ... (strings, which sit with the
            ``unique_id`` and ``ds`` of a Nixtla layout and survive
            ``to_parquet``), indexed like :meth:`predict`. ``q0.5`` is the
            forecast plus the median error, not :meth:`predict`. ``-inf`` /
            ``inf`` where the n errors of a step cannot support q
            (``q < 1 / (n + 1)``, ``q > n / (n + 1)``), with a UserWarning.

        Raises
        ------
        ValueError
            If a quantile is not strictly between 0 and 1 (the message names
            it) or is given twice, or the forecaster was fitted without
            calibration (``n_calibration=0`` or too short a series); ``X``
            as in :meth:`predict`.
        """
        check_is_fitted(self)
        quantiles = check_quantiles(quantiles)
        codes = self._state.codes(series)
        offsets = self._fitted.offsets(
            codes, lambda errors: conformal_quantiles(errors, quantiles), "predict_quantiles",
            f"quantiles={list(quantiles)}", stacklevel=2)
        forecast, scale = self._forecast(codes, X)
        values = self._fitted.user_bounds(forecast + offsets * scale[:, None], codes)
        columns = dict(zip(quantile_names(quantiles), values))
        return self._state.forecast_table(codes, columns, self.horizon, as_frame=True)

    def update(self, y_new, X_new=None):
        """Append observations that follow the data seen so far; no refit.

        The networks and the scaling stay as fitted; the next
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
            The forecaster, moved on to the last new timestamp.

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
        self._state.check_layout(y_new, "y_new")
        data = check_data(y_new, X_new, self.target, self.covariate_names_, "y_new", "X_new",
                          allow_all_nan=True)
        codes = self._state.data_codes(data, "y_new")
        self._state.check_continues(codes, data, "y_new")
        # Every series is checked before any moves, so an error leaves all as they were.
        self._fitted.update(self._fitted.check_update(codes, data),
                            stacklevel=2)  # update, the user
        return self

    def score(self, y_future, X_future=None, *, metric="mae"):
        """Negative mean absolute error (or ``metric``) of the forecast on ``y_future``.

        Forecasts the ``horizon`` steps after ``cutoff_`` and compares them
        with the first ``min(horizon, len(y_future))`` values of
        ``y_future``, which must start right after ``cutoff_``. Higher is
        better, as scikit-learn expects: with
        ``TimeSeriesSplit(test_size=horizon)``, ``cross_val_score`` and
        ``GridSearchCV`` fit on each past and score on the horizon after it.

        After a fit on many series, the score is the mean over the series of
        ``y_future`` of the single-series score. For a backtest of a long
        frame with scikit-learn's tools, sort it by time
        (``y.sort_index(level=1, sort_remaining=True)``) and take
        ``TimeSeriesSplit(test_size=horizon * n_series)``.

        Parameters
        ----------
        y_future : pandas Series or DataFrame of shape (n_future,)
            The values that followed the data seen so far (NaN values are
            left out of the mean). After a fit on many series: a dict or a
            long frame.
        X_future : pandas DataFrame, default=None
            Covariates at the same timestamps. Without ``future_covariates``
            it is not needed to forecast; it is accepted so that
            scikit-learn can pass the test rows of ``X``, and checked for
            alignment with ``y_future``. With them, it gives their values
            at the ``horizon`` steps forecast, as ``X`` of :meth:`predict`
            (it may run past ``y_future``).
        metric : str or callable, default="mae"
            The error scored: ``"mae"``, ``"mse"``, ``"rmse"``, ``"mape"``,
            ``"smape"``, or ``metric(y_true, y_pred) -> float``, lower is
            better (see :mod:`rnnforecast.scoring`). scikit-learn's
            ``scoring=`` strings cannot score a forecaster (they expect
            ``y`` apart from ``X``); ``scoring=forecast_scorer("mape")``
            scores by this method.

        Returns
        -------
        score : float
            ``-error(y_future, forecast)`` over the overlapping steps whose
            value is observed (and the mean of that over the series, for
            many series); by default ``-mean(|y_future - forecast|)``.

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
        check_metric(metric)
        known = bool(self.future_covariate_names_)
        names = None if X_future is None or known else (self.covariate_names_ or None)
        self._state.check_layout(y_future, "y_future")
        data = check_data(y_future, None if known else X_future, self.target, names,
                          "y_future", "X_future")
        codes = self._state.data_codes(data, "y_future")
        steps = [min(self.horizon, len(index)) for index in data.indexes]
        self._state.check_continues(codes, data, "y_future", steps)
        forecast, _ = self._forecast(codes, X_future if known else None, "X_future")
        forecast = self._fitted.user_points(forecast, codes)
        scores = []
        for i, (label, values, n) in enumerate(zip(data.labels("y_future"), data.values, steps)):
            if np.isnan(values[:n, 0]).all():
                raise ValueError(
                    f"{label} has no observed value in its first {n} steps (all NaN), so "
                    "there is nothing to score" + ("." if data.single else
                                                   "; leave that series out.")
                )
            scores.append(forecast_error(values[:n, 0], forecast[i, :n], metric))
        return -float(np.mean(scores))

    def network_data(self, y, X=None, *, targets=False):
        """What the networks read from the series ``y``, built as ``fit`` builds it.

        :mod:`rnnforecast.diagnostics` runs the networks on it. Windows are
        cut, normalised with the fitted scaling of their series and, with
        ``targets``, paired with the residuals of the fitted linear skip.
        With targets, only the windows fit trains on are kept (an observed
        target value, a complete future, the last ``max_windows_per_series``
        of them); without, every window holding an observed target value
        (those the forecaster can forecast from). Windows of many series are
        pooled, series after series.

        Parameters
        ----------
        y : pandas Series or DataFrame, or many series
            Series the forecaster was fitted on (or others of the same
            layout, ids and covariates), as ``fit`` takes them.
        X : pandas DataFrame, dict or None, default=None
            Their past covariates, as in ``fit``.
        targets : bool, default=False
            Also return what the networks learn at each window.

        Returns
        -------
        features : ndarray of shape (n_windows, window_ * n_step_features)
            Normalised windows, time-major, as the networks read them.
        residual_targets : ndarray of shape (n_windows,) or (n_windows, n_outputs), or None
            The targets minus the linear skip's forecast (None without
            ``targets``).

        Raises
        ------
        ValueError
            If the forecaster was fitted with ``training="sequence"``, whose
            networks read the whole series rather than windows, or a series
            is shorter than the window (plus the steps forecast, with
            ``targets``).
        """
        check_is_fitted(self)
        self._state.check_layout(y, "y")
        data = check_data(y, X, self.target, self.covariate_names_)
        return self._fitted.network_data(data, self._state.data_codes(data, "y"), targets)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.target_tags.required = False
        return tags

    # -- fitted state -------------------------------------------------------
    def _adjustment(self, data, calendar, methods):
        """The seasonal adjustment of fit (see ``seasonal_adjustment``), its
        series (the model's scale, outliers read as missing) adjusted in
        place; None where there is none."""
        if (self.seasonal_adjustment != "auto" or len(data.ids) != 1 or calendar.sub_daily
                or methods != MODES["per_series"] or self.training != "window"):
            return None
        target = data.values[0][:, 0]
        adjustment = fit_adjustment(target, calendar.season, self.target_transform == "log",
                                    data.indexes[0][0])
        if adjustment is not None:
            adjustment.to_model(target, 0)
        return adjustment

    def _set_fitted(self, data, calendars, training, result, future_names, outliers, found,
                    adjustment):
        """Every fitted attribute, from the checked data of fit, the training
        mode, what it returned, the covariates known in advance, the
        outliers (the filter and the values it found) and the seasonal
        adjustment."""
        self._state = SeriesState(data, calendars)
        self._fitted = PooledModel(result.model, training, result.window, self._state, outliers,
                                   found, self.target_transform, self.outlier_threshold,
                                   result.calibration_errors, result.no_calibration_reason,
                                   adjustment)
        self.seasonal_adjustment_ = adjustment
        self.forecasters_ = None
        self.window_ = result.window
        self.bptt_steps_ = result.bptt_steps
        self.seasonal_period_ = calendars[0].season
        self.seasonal_lag_ = None if training.seasonal_lag is None else training.seasonal_lag.lag
        self.freq_ = calendars[0].freqstr
        self.regressors_ = result.regressors
        methods = result.methods or ["model"] * len(data.ids)
        if self.fine_tune:
            methods = [FINE_TUNED if method == ZERO_SHOT else method for method in methods]
        self.method_ = (methods[0] if data.single else
                        pd.Series(methods, index=id_index(data.ids, data.level_names[0]),
                                  name="method"))
        self.linear_ = result.linear
        self.n_epochs_ = result.n_epochs
        self.epoch_windows_ = result.epoch_windows
        self.calibration_errors_ = result.calibration_errors
        self.calibration_scores_ = (None if result.calibration_errors is None
                                    else np.abs(result.calibration_errors))
        self.covariate_names_ = data.covariate_names
        self.future_covariate_names_ = future_names
        self.series_ids_ = None if data.single else list(data.ids)

    def _separately(self, data, methods):
        """Whether fit gives each of many series a forecaster of its own
        (``many_series``; "auto": wherever fit trains, on the series or the
        pretrained network's fine-tuning)."""
        if data.single or self.many_series == "global":
            return False
        if self.many_series == "separate":
            return True
        return (MODEL in methods or COMBINED in methods
                or (self.fine_tune and uses_network(methods)))

    def _set_fitted_separately(self, data, calendars, future_names, forecasters):
        """The fitted attributes of a fit of each series alone: ``forecasters``
        (fitted RNNForecasters, in the order of ``data``, the checked data of
        fit) hold the models and their attributes; the panel keeps where each
        series stands and lays the forecasts out."""
        self._state = SeriesState(data, calendars)
        # Each series' own model (a class reading its own attribute: a panel of one).
        self._fitted = SeparateModels([f._fitted for f in forecasters], data.ids, self._state)
        self.forecasters_ = dict(zip(data.ids, forecasters))
        for name in ("window_", "bptt_steps_", "seasonal_lag_", "seasonal_adjustment_",
                     "regressors_", "linear_",
                     "n_epochs_", "epoch_windows_", "calibration_errors_",
                     "calibration_scores_"):
            setattr(self, name, None)  # each series' own, in forecasters_
        self.seasonal_period_ = calendars[0].season
        self.freq_ = calendars[0].freqstr
        self.method_ = pd.Series([f.method_.iloc[0] for f in forecasters],  # panels of one
                                 index=id_index(data.ids, data.level_names[0]), name="method")
        self.covariate_names_ = data.covariate_names
        self.future_covariate_names_ = future_names
        self.series_ids_ = list(data.ids)

    # Where the series stand, read from the state that fit made and update
    # moves on (a series' own forecaster in forecasters_ moves with the panel).
    @property
    def cutoff_(self):
        """The last timestamp seen (see the class docstring)."""
        check_is_fitted(self)
        return self._state.cutoff()

    @property
    def n_rows_seen_(self):
        """Rows seen in fit and update (see the class docstring)."""
        check_is_fitted(self)
        return self._state.rows_seen()

    @property
    def outliers_(self):
        """The values read as missing as outliers (see the class docstring)."""
        check_is_fitted(self)
        return self._state.outlier_table(self._fitted.outlier_records())

    def _forecast(self, codes, X=None, argument="X"):
        """Forecasts (len(codes), horizon) of the series ``codes`` from the data
        seen so far (and the future covariates ``X``), as the model makes
        them, on their scale (not yet floored, see :meth:`.PooledModel.user_points`), and
        their scales (len(codes),)."""
        future = future_rows(X, self._state, codes, self.horizon, self.covariate_names_,
                             self.future_covariate_names_, argument)
        empty = self._fitted.empty(codes)
        if empty.any():
            where, them = self._fitted.read_so_far(), ""
            if not self._state.single:
                where += f" of series {[self._state.ids[c] for c in codes[empty]][:5]}"
                them = "them "
            raise ValueError(
                f"{where} hold no observed target value, so there is nothing to forecast "
                f"from; update() {them}with observed values first."
            )
        return self._fitted.forecast(codes, future)


# The parameters' defaults, to tell the settings a user changed (see fit).
_DEFAULTS = {name: parameter.default
             for name, parameter in inspect.signature(RNNForecaster.__init__).parameters.items()
             if name != "self"}
