"""The season taken out of a series before the per-series model trains, and put back on its forecasts.

``RNNForecaster(seasonal_adjustment="auto")`` (opt-in) measures how strong
the season of period m (``seasonal_period_``) is in the series it fits: in a
classical additive decomposition (of ``log(y)`` when every value is above
0), ``max(0, 1 - Var(R) / Var(S + R))``, R the remainder and S the season
(Wang, Smith & Hyndman, 2006). At a strength of at least 0.64, the threshold
at which R's ``forecast::nsdiffs`` takes a seasonal difference, the model
trains on the seasonally adjusted series: each value divided by the seasonal
index of its phase (multiplicative, a series above 0) or minus it
(additive), the indices those of a classical decomposition over all of the
series fitted. Each forecast step, bound and quantile is multiplied by (or
added to) the index of its phase; the backtest errors that calibrate the
intervals are those of the adjusted series.

Why it was tried: the linear skip and the networks read two seasons of
lags, so the season they forecast is estimated from a few noisy values; the
indices average every season of the history. Why it is not the default
(``benchmarks/results/bench_deseasonalised.md`` and
``bench_seasonal_adjustment.md``, each criterion written before its run):

- on the 21 non-sub-daily design series it changed two (airline passengers
  by quarter, Melbourne by month: 0.82 and 0.80 times the per-series model's
  MASE), and on the 22 non-sub-daily dev and shipped series it scored 0.984
  times the per-series model (8 series changed, better on 5);
- but on the package's synthetic series, whose seasons drift in amplitude and
  shape, it was 1.130 times worse where it adjusted (46 of 128 series;
  monthly 1.239, daily 1.227, quarterly 0.958), and on airline passengers
  fitted before each of the four years 1957-1960 (notebook 1's backtest) 0.731
  against 0.560 over three seeds. Why is not known: choosing additive or
  multiplicative indices by the smaller remainder (every series above 0 gets
  multiplicative ones here) recovered only a little on fresh synthetic draws
  (1.027 against 1.050), and indices from the last three seasons only, for a
  season that drifts, scored 1.074 on other draws.

The phase of a step is its position in the series counted from the first
row fit read, modulo m; ``update`` continues the count, so the indices of
fit serve every later step. With ``target_transform="log"`` the series is
adjusted on the log scale, additively (multiplicatively on the series' own
scale).
"""

import numpy as np

__all__ = ["STRENGTH_THRESHOLD", "SeasonalAdjustment", "fit_adjustment",
           "seasonal_indices", "seasonal_strength"]

# R's forecast::nsdiffs takes a seasonal difference at this strength.
STRENGTH_THRESHOLD = 0.64


def _centred_trend(values, period):
    """The centred moving average over one period (2 x m when m is even), and
    the steps it belongs to; NaN where the period holds a NaN."""
    if period % 2:
        weights = np.full(period, 1.0 / period)
    else:
        weights = np.r_[0.5, np.ones(period - 1), 0.5] / period
    trend = np.convolve(values, weights, mode="valid")
    first = (len(weights) - 1) // 2  # the trend's first value belongs to this step
    return trend, np.arange(first, first + len(trend))


def seasonal_indices(values, period, multiplicative=True):
    """Seasonal indices of a classical decomposition of ``values``, by phase.

    Parameters
    ----------
    values : ndarray of shape (n,)
        The series, oldest first; NaN is a missing value.
    period : int
        The seasonal period m, at least 2.
    multiplicative : bool, default=True
        Ratios to the trend (every value above 0) rather than differences.

    Returns
    -------
    indices : ndarray of shape (period,) or None
        ``indices[k]`` belongs to the steps ``t`` with ``t % period == k``
        counted from the first value: the mean ratio (difference) of the
        series to its centred moving average at that phase, normalised to
        average 1 (0) over a period. None when a phase has no such value.
    """
    values = np.asarray(values, dtype=float)
    return _indices(*_detrended(values, period, multiplicative), period, multiplicative)


def _detrended(values, period, multiplicative):
    """The observed ratios (differences) of ``values`` to their centred moving
    average, and the steps they belong to."""
    trend, steps = _centred_trend(values, period)
    detrended = values[steps] / trend if multiplicative else values[steps] - trend
    observed = np.isfinite(detrended)
    return detrended[observed], steps[observed]


def _indices(detrended, steps, period, multiplicative):
    """The normalised mean of ``detrended`` at each phase; None when a phase
    has none."""
    phase = steps % period
    sums = np.bincount(phase, weights=detrended, minlength=period)
    counts = np.bincount(phase, minlength=period)
    if (counts == 0).any():
        return None
    indices = sums / counts
    return indices / indices.mean() if multiplicative else indices - indices.mean()


def seasonal_strength(values, period, log=True):
    """The strength of the season of ``period`` in ``values``, in [0, 1].

    ``max(0, 1 - Var(R) / Var(S + R))`` in a classical additive decomposition
    (Wang, Smith & Hyndman, 2006): 0 without a season, near 1 when the season
    explains nearly all the variation about the trend.

    Parameters
    ----------
    values : ndarray of shape (n,)
        The series, oldest first; NaN is a missing value.
    period : int
        The seasonal period m.
    log : bool, default=True
        Decompose ``log(values)`` when every observed value is above 0 (a
        season that grows with the level is additive there).

    Returns
    -------
    strength : float
        0 for a period below 2, fewer than three periods of rows, a phase
        never observed, or no variation about the trend.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(48)
    >>> round(seasonal_strength(10 + np.sin(2 * np.pi * t / 12), 12), 3)
    1.0
    >>> seasonal_strength(np.ones(48), 12)
    0.0
    """
    values = np.asarray(values, dtype=float)
    if period < 2 or len(values) < 3 * period:
        return 0.0
    if log and _above_zero(values):
        values = np.log(values)
    detrended, steps = _detrended(values, period, multiplicative=False)
    indices = _indices(detrended, steps, period, multiplicative=False)
    if indices is None:
        return 0.0
    spread = np.var(detrended)  # every phase observed: not empty
    if spread == 0:
        return 0.0
    remainder = detrended - indices[steps % period]
    return float(max(0.0, 1.0 - np.var(remainder) / spread))


def _above_zero(values):
    """Whether every observed value is above 0 (and one is observed)."""
    observed = values[np.isfinite(values)]
    return bool(len(observed)) and bool(np.all(observed > 0))


class SeasonalAdjustment:
    """The seasonal indices of one series, and the steps they adjust.

    Parameters
    ----------
    indices : ndarray of shape (period,)
        The index of each phase, counted from the first row of fit.
    multiplicative : bool
        Divide by the indices (else subtract them).
    strength : float
        The season's strength that chose the adjustment.
    start : object
        The first timestamp of fit (phase 0).
    """

    def __init__(self, indices, multiplicative, strength, start):
        self.indices = indices
        self.multiplicative = multiplicative
        self.strength = strength
        self.start = start

    @property
    def period(self):
        """The seasonal period m: the number of indices."""
        return len(self.indices)

    def _at(self, first, n_steps):
        """The indices of ``n_steps`` steps from position ``first``."""
        return self.indices[np.arange(first, first + n_steps) % self.period]

    def to_model(self, target, first):
        """Adjust target values in place, as the model reads them.

        Parameters
        ----------
        target : ndarray of shape (n,), float64
            Values of the steps at positions ``first``, ``first + 1``, ...
            (counted from the first row of fit); divided by (or minus) the
            index of each one's phase, in place. NaN stays NaN.
        first : int
            The position of the first value (negative before fit's first row).
        """
        index = self._at(first, len(target))
        if self.multiplicative:
            np.divide(target, index, out=target)
        else:
            np.subtract(target, index, out=target)

    def to_user(self, values, first):
        """Put the season back on forecasts, bounds or quantiles.

        Parameters
        ----------
        values : ndarray of shape (..., horizon)
            Values of the model's scale for the steps at positions ``first``,
            ``first + 1``, ... (the last axis).
        first : int
            The position of the first step forecast (the rows seen so far).

        Returns
        -------
        values : ndarray of shape (..., horizon)
            A new array: ``values`` times (or plus) the index of each step's
            phase.
        """
        index = self._at(first, values.shape[-1])
        return values * index if self.multiplicative else values + index


def fit_adjustment(target, period, log_scale, start):
    """The seasonal adjustment of one series, where its season is strong.

    Parameters
    ----------
    target : ndarray of shape (n,)
        The series' values on the model's scale, oldest first; NaN is a
        missing value.
    period : int
        The seasonal period m.
    log_scale : bool
        Whether ``target`` is already a logarithm (``target_transform="log"``):
        then the strength is measured and the indices taken on it as it is,
        additively.
    start : object
        The timestamp of the first value (phase 0).

    Returns
    -------
    adjustment : SeasonalAdjustment or None
        None where the season's strength is below :data:`STRENGTH_THRESHOLD`
        (or there is none: ``period`` below 2, fewer than three periods, a
        phase never observed).
    """
    strength = seasonal_strength(target, period, log=not log_scale)
    if strength < STRENGTH_THRESHOLD:
        return None
    multiplicative = not log_scale and _above_zero(target)
    indices = seasonal_indices(target, period, multiplicative)
    if indices is None:
        return None
    return SeasonalAdjustment(indices, multiplicative, strength, start)
