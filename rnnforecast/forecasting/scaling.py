"""Windows of a series, expressed relative to their own last value.

The forecaster's networks never see raw values. Each window of the target is
shifted by its own level, the most recent observed value, and divided by one
scale, the standard deviation of the training series; the values to forecast
are expressed in the same units, and forecasts are mapped back with the
origin window's level:

    z_k = (y_k - level_t) / scale,     y_hat_{t+h} = level_t + scale * z_hat_{t+h}

A trend or a change of level moves ``level_t`` and leaves the shapes the
network learns unchanged, so a series that leaves the range of its training
data (airline passengers, a stock price) is still forecast from familiar
inputs. The level is the last value rather than the window mean because a
network that outputs 0 then forecasts "no change", the right default for a
random walk. Past covariates are standardised with the mean and standard
deviation of the training rows.

Measured alternatives (``benchmarks/bench_rolling_origins.py``): dividing each window
by its own standard deviation (reversible instance normalisation) helped the
multiplicative season of airline passengers but hurt noisy and spiky series
(PM2.5, stock prices), whose short-window deviation is a noisy estimate of
the scale; plain standardisation without a per-window level failed on
trending series, whose recent values lie outside the training range.
"""

import warnings

import numpy as np

__all__ = [
    "PooledScaler",
    "WindowScaler",
    "last_observed",
    "last_observed_rows",
    "running_level",
    "standardise",
]


def last_observed_rows(observed, dtype=np.intp):
    """For each position along the last axis of the boolean array
    ``observed``, the position of the last True at or before it (-1: none),
    as integers of ``dtype``."""
    positions = np.arange(observed.shape[-1], dtype=dtype)
    return np.maximum.accumulate(np.where(observed, positions, -1), axis=-1)


def last_observed(target_windows):
    """The most recent observed value of each window of shape (n, window),
    NaN for a window with none: the level of :class:`WindowScaler`."""
    last = last_observed_rows(~np.isnan(target_windows))[:, -1]
    level = target_windows[np.arange(len(target_windows)), np.maximum(last, 0)]
    return np.where(last >= 0, level, np.nan)


def running_level(z, start=np.nan):
    """The last observed value of ``z`` (n,) at or before each row, ``start``
    before the first observation: the level of every origin of a series read
    step by step (sequence training)."""
    last = last_observed_rows(~np.isnan(z))
    return np.where(last >= 0, z[np.maximum(last, 0)], start)


def standardise(values, scaler):
    """Rows ``values`` (n, 1 + n_covariates) in standardised units (NaN kept):
    the target with the series' mean and standard deviation, the covariates
    with theirs."""
    out = np.empty_like(values)
    out[:, 0] = (values[:, 0] - scaler.mean) / scaler.std
    out[:, 1:] = (values[:, 1:] - scaler.covariate_mean) / scaler.covariate_std
    return out


class WindowScaler:
    """Express windows relative to their last value; covariates standardised.

    Attributes (set by :meth:`fit`)
    -------------------------------
    mean, std : float
        Mean and standard deviation of the training target (std 1 if the
        target is constant).
    covariate_mean, covariate_std : ndarray of shape (n_covariates,)
    """

    def fit(self, values):
        """Learn the statistics of training rows ``values`` (n_rows, n_features),
        column 0 the target; NaN is ignored."""
        self.mean, self.std = _mean_std(values[:, :1])
        self.mean, self.std = float(self.mean[0]), float(self.std[0])
        self.covariate_mean, self.covariate_std = _mean_std(values[:, 1:])
        return self

    def stats(self, target_windows):
        """Level and scale of each window of shape (n, window).

        The level is the window's most recent observed value (NaN if it has
        none); the scale is the training target's standard deviation.
        """
        return last_observed(target_windows), np.full(len(target_windows), self.std)

    def transform(self, inputs):
        """Normalised copies of ``inputs`` (n, window, n_features) and each
        window's ``(level, scale)``."""
        level, scale = self.stats(inputs[:, :, 0])
        out = np.empty_like(inputs)
        out[:, :, 0] = (inputs[:, :, 0] - level[:, None]) / scale[:, None]
        out[:, :, 1:] = (inputs[:, :, 1:] - self.covariate_mean) / self.covariate_std
        return out, level, scale

    def offset(self, level):
        """Each window's level in standardised series units."""
        return (level - self.mean) / self.std

    @staticmethod
    def to_units(futures, level, scale):
        """Future values ``(n, h)`` in the units of their origin window."""
        return (futures - level[:, None]) / scale[:, None]

    @staticmethod
    def from_units(z, level, scale):
        """Inverse of :meth:`to_units`."""
        return level[:, None] + scale[:, None] * z


# A standard deviation below this may have underflowed (see _mean_std).
_TINY_STD = 1e-150


def _mean_std(values):
    """Column means and standard deviations, ignoring NaN; 0 and 1 where a
    column has no spread or no value."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN column, an overflow
        mean = np.nanmean(values, axis=0) if len(values) else np.zeros(values.shape[1])
        std = np.nanstd(values, axis=0) if len(values) else np.ones(values.shape[1])
        # Squares beyond float64's range: above about 1e154 they overflow (std
        # inf), below about 1e-154 they underflow (std 0 for values that vary).
        # Such columns get the same statistics of their values divided by
        # their largest size; a constant column keeps its own.
        rescale = ~np.isfinite(std) | (std < _TINY_STD)
        if len(values) and rescale.any():
            low, high = np.nanmin(values, axis=0), np.nanmax(values, axis=0)
            size = np.fmax(np.abs(low), np.abs(high))
            rescale &= (high > low) & np.isfinite(size)
            ratios = values[:, rescale] / size[rescale]
            mean[rescale] = size[rescale] * np.nanmean(ratios, axis=0)
            std[rescale] = size[rescale] * np.nanstd(ratios, axis=0)
    mean = np.where(np.isfinite(mean), mean, 0.0)
    std = np.where(np.isfinite(std) & (std > 0), std, 1.0)
    return mean, std


class PooledScaler(WindowScaler):
    """The :class:`WindowScaler` of each window's own series, applied to
    windows pooled from many series.

    Window ``i`` is scaled with the statistics of series ``codes[i]``, so a
    series at 1e-3 and one at 1e3 give the network windows of the same size:
    the statistics are per-window arrays that broadcast where a
    WindowScaler's are scalars, and every method is the WindowScaler's.

    Parameters
    ----------
    scalers : list of fitted WindowScaler
        One per series.
    codes : ndarray of int, shape (n_windows,)
        The series of each window.
    """

    def __init__(self, scalers, codes):
        codes = np.asarray(codes, dtype=np.intp)
        self.mean = np.array([s.mean for s in scalers])[codes]
        self.std = np.array([s.std for s in scalers])[codes]
        # (n_windows, 1, n_covariates): broadcast over the steps of a window.
        self.covariate_mean = np.stack([s.covariate_mean for s in scalers])[codes, None]
        self.covariate_std = np.stack([s.covariate_std for s in scalers])[codes, None]
