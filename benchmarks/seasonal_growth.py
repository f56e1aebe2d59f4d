"""Does a series' season grow with its level? A rule for a log scale (benchmark only).

Written to decide whether ``RNNForecaster`` should choose
``target_transform="log"`` by itself; it does not
(``bench_log_scale_rule.py``, ``results/bench_log_scale_rule.md``), so this
is not part of the package.

:func:`seasonal_growth` measures, on a series above 0 with a seasonal period
``m``:

- the trend: a centred moving average over one season (the 2 x m average for
  an even ``m``), so that each season's pattern averages out;
- the deviations from it, cut into whole seasons counted back from the end:
  each season's level (the mean of its trend) and amplitude (the root mean
  square of its deviations);
- ``fit_ratio``: the squared error of a constant pattern of ratios to the
  trend (multiplicative) over that of a constant pattern of deviations
  (additive), both on the series' scale: below 1 when the season grows
  with the level;
- ``slope``: the least-squares slope of log amplitude on log level (0
  additive, 1 multiplicative);
- ``level_ratio``: the highest season level over the lowest; neither
  measure means anything when the level hardly moved;
- ``strength``: the share of the variance of the ratios to the trend that
  the mean pattern of each phase explains (0: no season, only noise).

:func:`grows_with_level` is the rule on them.
"""

from typing import NamedTuple

import numpy as np

MIN_SEASONS = 4  # whole seasons with a trend value
MIN_STRENGTH = 0.5
MIN_LEVEL_RATIO = 1.3
MAX_FIT_RATIO = 0.6


class SeasonalGrowth(NamedTuple):
    """What :func:`seasonal_growth` measured.

    Attributes
    ----------
    slope : float
        Slope of log season amplitude on log season level (0 additive,
        1 multiplicative); NaN when it could not be measured.
    level_ratio : float
        Highest season level over the lowest.
    strength : float
        Share, in [0, 1], of the variance of the ratios to the trend that
        the mean of each phase explains.
    n_seasons : int
        Whole seasons measured (0 when the series is too short, not above 0
        everywhere or has no season).
    fit_ratio : float
        Squared error of the multiplicative pattern over the additive one.
    """

    slope: float
    level_ratio: float
    strength: float
    n_seasons: int
    fit_ratio: float


_NOT_MEASURED = SeasonalGrowth(np.nan, np.nan, np.nan, 0, np.nan)


def _centred_average(values, period):
    """The centred moving average of one season (2 x m for an even ``m``);
    NaN within half a season of either end or of a missing value."""
    if period % 2:
        weights = np.full(period, 1.0 / period)
    else:
        weights = np.full(period + 1, 1.0 / period)
        weights[[0, -1]] = 0.5 / period
    half = len(weights) // 2
    trend = np.full(len(values), np.nan)
    if len(values) >= len(weights):
        # np.convolve spreads a NaN over the whole window, as intended.
        trend[half:len(values) - half] = np.convolve(values, weights, mode="valid")
    return trend


def seasonal_growth(values, period):
    """Measure how the seasonal amplitude of ``values`` grows with its level.

    Parameters
    ----------
    values : array-like of shape (n_steps,)
        The series; NaN marks a missing step (the seasons around it are
        left out).
    period : int
        The seasonal period in steps.

    Returns
    -------
    SeasonalGrowth
        ``n_seasons`` is 0 (and the rest NaN) when ``period`` is below 2,
        a value is 0 or below, or fewer than :data:`MIN_SEASONS` whole
        seasons have a trend value.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(120)
    >>> season = np.sin(2 * np.pi * t / 12)
    >>> level = np.exp(0.02 * t)
    >>> growth = seasonal_growth(level * (1 + 0.3 * season), 12)
    >>> round(growth.slope, 2), growth.fit_ratio < 0.01
    (1.0, True)
    >>> growth = seasonal_growth(level + 0.3 * season, 12)
    >>> abs(round(growth.slope, 2)), growth.fit_ratio > 1
    (0.0, True)
    """
    values = np.asarray(values, dtype=float)
    period = int(period)
    observed = values[~np.isnan(values)]
    if period < 2 or observed.size == 0 or observed.min() <= 0:
        return _NOT_MEASURED
    trend = _centred_average(values, period)
    deviation = values - trend
    ratio = values / trend - 1.0
    # Whole seasons counted back from the last step with a trend value.
    valid = np.flatnonzero(~np.isnan(trend))
    if valid.size == 0:
        return _NOT_MEASURED
    end = valid[-1] + 1
    n_whole = (end - valid[0]) // period
    seasons = np.arange(end - n_whole * period, end).reshape(n_whole, period)
    seasons = seasons[~np.isnan(deviation[seasons]).any(axis=1)]
    if len(seasons) < MIN_SEASONS:
        return _NOT_MEASURED
    level = trend[seasons].mean(axis=1)
    amplitude = np.sqrt((deviation[seasons] ** 2).mean(axis=1))
    # Phase means of the ratios, the season's mean pattern; its share of
    # their variance is the strength (as STL's strength of seasonality).
    ratios = ratio[seasons]
    pattern = ratios.mean(axis=0)
    total = ratios.var()
    strength = 0.0 if total == 0 else max(0.0, 1.0 - (ratios - pattern).var() / total)
    log_level = np.log(level)
    spread = log_level - log_level.mean()
    if not spread.any() or not amplitude.all():
        slope = np.nan
    else:
        slope = float(spread @ (np.log(amplitude) - np.log(amplitude).mean()) / (spread @ spread))
    # Additive against multiplicative: the squared error of a constant
    # pattern of deviations against that of a constant pattern of ratios
    # times the trend, both on the original scale.
    dev = deviation[seasons]
    rss_add = ((dev - dev.mean(axis=0)) ** 2).sum()
    rss_mul = ((dev - trend[seasons] * pattern) ** 2).sum()
    fit_ratio = float(rss_mul / rss_add) if rss_add > 0 else np.nan
    return SeasonalGrowth(slope, float(level.max() / level.min()), float(strength), len(seasons), fit_ratio)


def grows_with_level(values, period):
    """Whether ``values`` has a season that grows with its level: at least
    ``MIN_SEASONS`` whole seasons, strength at least ``MIN_STRENGTH``, a
    level that moved by ``MIN_LEVEL_RATIO`` or more, and a multiplicative
    pattern fitting with at most ``MAX_FIT_RATIO`` times the additive one's
    squared error."""
    growth = seasonal_growth(values, period)
    return bool(growth.n_seasons >= MIN_SEASONS and growth.strength >= MIN_STRENGTH
                and growth.level_ratio >= MIN_LEVEL_RATIO
                and growth.fit_ratio <= MAX_FIT_RATIO)
