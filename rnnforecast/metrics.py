"""Forecast accuracy: the mean absolute scaled error (MASE).

MASE (Hyndman & Koehler, 2006) divides a forecast's mean absolute error by
the in-sample mean absolute error of the seasonal naive forecast on the
training part of the series (the value ``m`` steps earlier; the last value
for ``m = 1``)::

    MASE = mean_h |y_h - f_h| / mean_t |y_t - y_{t-m}|

It is free of the series' scale, so it can be averaged over series (the
geometric mean, as the M4 competition and ``benchmarks/bench_accuracy.py``
do). Below 1, the forecast beats what seasonal naive did in sample.

Missing values are skipped: a pair ``(y_t, y_{t-m})`` counts only when both
are observed, and a forecast step only when its true value is. A forecast
must have no missing value where the truth has one.

>>> import numpy as np
>>> from rnnforecast.metrics import mean_absolute_scaled_error
>>> y_train = np.array([1.0, 2.0, 4.0, 7.0])
>>> mean_absolute_scaled_error([8.0, 9.0], [9.0, 9.0], y_train)  # 0.5 / 2
0.25
"""

import numbers

import numpy as np

__all__ = ["mean_absolute_scaled_error", "seasonal_naive_forecast", "seasonal_naive_scale"]


def _values(name, values):
    """``values`` as a 1-D float array, or a clear error naming ``name``."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must hold numbers; got {type(values).__name__} ({error}). "
                        "Pass a 1-D array or a pandas Series of floats.") from None
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got shape {array.shape}. Pass one series.")
    return array


def _check_count(value, name, meaning, note=""):
    """``value`` as an int, if it is an integer >= 1; else an error naming
    ``name``, what it is (``meaning``) and what 1 means (``note``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, {meaning}; got {value!r}.")
    if value < 1:
        raise ValueError(f"{name} must be at least 1{note}; got {value}.")
    return int(value)


def _check_m(m):
    return _check_count(m, "m", "the seasonal period in steps",
                        " (1: no season, the last value)")


def seasonal_naive_forecast(y_train, horizon, m=1):
    """The seasonal naive forecast: each step takes the value ``m`` steps
    before it, the last season repeated (the last value for ``m = 1``); the
    baseline whose in-sample error is MASE's scale.

    Parameters
    ----------
    y_train : array-like of shape (n_steps,)
        The series up to the forecast origin, at least ``m`` steps; a
        missing value (NaN) there is repeated as missing.
    horizon : int
        Steps to forecast, at least 1.
    m : int, default=1
        The seasonal period in steps.

    Returns
    -------
    forecast : ndarray of shape (horizon,)
        Step h (from 0) is ``y_train[n_steps - m + h % m]``: the last ``m``
        values of ``y_train``, repeated.

    Examples
    --------
    >>> from rnnforecast.metrics import seasonal_naive_forecast
    >>> seasonal_naive_forecast([1.0, 2.0, 3.0, 4.0, 5.0], 5, m=2)
    array([4., 5., 4., 5., 4.])
    """
    m = _check_m(m)
    horizon = _check_count(horizon, "horizon", "the steps to forecast")
    y_train = _values("y_train", y_train)
    if y_train.size < m:
        raise ValueError(f"y_train has {y_train.size} steps, fewer than one season (m={m}); "
                         "pass a longer series or a smaller m.")
    return y_train[y_train.size - m + np.arange(horizon) % m]


def seasonal_naive_scale(y_train, m=1):
    """In-sample mean absolute error of the seasonal naive forecast: the
    denominator of MASE.

    Parameters
    ----------
    y_train : array-like of shape (n_steps,)
        The series up to the forecast origin, NaN where missing.
    m : int, default=1
        The seasonal period in steps (1: compare each value with the last one).

    Returns
    -------
    scale : float
        ``mean_t |y_t - y_{t-m}|`` over the pairs whose two values are observed.

    Raises
    ------
    ValueError
        When no pair ``m`` steps apart is observed, or the series repeats
        itself exactly (a scale of 0), so that MASE is undefined.
    """
    m = _check_m(m)
    y_train = _values("y_train", y_train)
    differences = np.abs(y_train[m:] - y_train[:-m])
    if np.isnan(differences).all():
        raise ValueError(
            f"y_train has no two observed values {m} steps apart (m={m}, {y_train.size} "
            "steps): MASE has no scale. Pass a longer training series or a smaller m.")
    scale = float(np.nanmean(differences))
    if scale == 0:
        raise ValueError(
            f"y_train repeats itself exactly at lag m={m}: the seasonal naive forecast "
            "makes no in-sample error, so MASE is undefined. Use the mean absolute "
            "error instead.")
    return scale


def mean_absolute_scaled_error(y_true, y_pred, y_train, m=1):
    """Mean absolute scaled error of a forecast.

    Parameters
    ----------
    y_true : array-like of shape (horizon,)
        The values that came, NaN where missing (those steps are skipped).
    y_pred : array-like of shape (horizon,)
        The forecast of them.
    y_train : array-like of shape (n_steps,)
        The series before the forecast origin: see :func:`seasonal_naive_scale`.
    m : int, default=1
        The seasonal period in steps.

    Returns
    -------
    mase : float
        The mean absolute error of ``y_pred`` over the observed steps of
        ``y_true``, divided by ``seasonal_naive_scale(y_train, m)``.
    """
    y_true = _values("y_true", y_true)
    y_pred = _values("y_pred", y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred must have the same length; got {y_true.size} "
                         f"and {y_pred.size}. Pass a forecast of each true value.")
    observed = ~np.isnan(y_true)
    if not observed.any():
        raise ValueError("y_true has no observed value: there is nothing to score.")
    if np.isnan(y_pred[observed]).any():
        raise ValueError("y_pred has missing values where y_true is observed. "
                         "Pass a complete forecast.")
    scale = seasonal_naive_scale(y_train, m)
    return float(np.nanmean(np.abs(y_true - y_pred)) / scale)
