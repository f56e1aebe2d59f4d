"""Candidate baselines over the horizon, in units of the series' scale,
that the network weights (:mod:`.head`) before adding its residual.

Each is computed from the clipped normalised history window ``z`` (n, L):

    seasonal   median of the last three seasons at each phase (period m; the
               first version's only baseline)
    naive      the last observed value
    seasonal2  mean of the last two seasons of the second period m2 at each
               phase (the week of hourly data, the year of daily data); the
               seasonal baseline where the history is shorter than m2
    level      0: the context's robust level (median of its last season)
    longrun    the median of the whole history window: where a stationary
               series returns to
    drift      "seasonal" moved along a robust slope: the change between the
               medians of the last two spans of k steps, over k (k a whole
               number of seasons near a quarter of the context, at least m),
               times the distance from the middle of the three seasons whose
               median "seasonal" is, h - (h mod m) + 2m

Imports NumPy only.
"""

import warnings

import numpy as np

from .normalise import BASELINE_SEASONS, last_value, row_quantiles, seasonal_baseline

__all__ = ["BASELINE_NAMES", "DEFAULT_BASELINES", "candidate_baselines"]

BASELINE_NAMES = ("seasonal", "naive", "seasonal2", "level", "longrun", "drift")
# The candidates of the training command's default: all of them. Without
# "drift", held-out synthetic loss was lower (1.460 against 1.481, 2,751 steps,
# seed 0) but zero-shot MASE on the shipped series higher (1.379 against 1.285).
DEFAULT_BASELINES = BASELINE_NAMES
# Seasons of the second period averaged by "seasonal2": a week of hourly data
# is 168 steps, so three would need three weeks of history.
SECOND_SEASONS = 2


def _longrun(z):
    median = row_quantiles(z, (0.5,))[0]
    return np.where(np.isfinite(median), median, 0.0)


def _slope_span(m, context):
    """k of the drift: whole seasons near a quarter of the context, >= m."""
    m = max(int(m), 1)
    return m * max(1, int(round(context / (4 * m))))


def _drift(z, seasonal, m, context):
    m = max(int(m), 1)
    k = _slope_span(m, context)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # spans without values
        slope = (np.nanmedian(z[:, -k:], axis=1) - np.nanmedian(z[:, -2 * k:-k], axis=1)) / k
    slope = np.where(np.isfinite(slope), slope, 0.0)
    h = np.arange(seasonal.shape[1])
    return seasonal + slope[:, None] * (h - h % m + 2 * m)[None, :]


def candidate_baselines(z, m, m2, horizon, names=BASELINE_NAMES, seasons=BASELINE_SEASONS,
                        context=None):
    """The baselines ``names`` of the module notes.

    Parameters
    ----------
    z : ndarray of shape (n, L)
        Clipped normalised history windows, oldest first, NaN where missing.
    m, m2 : int
        Seasonal period and second period (0: none).
    horizon : int
    names : sequence of str
        Among :data:`BASELINE_NAMES`.
    seasons : int
        Seasons of the median of "seasonal".
    context : int, optional
        The context length, for the slope of "drift" (default: L).

    Returns
    -------
    ndarray of shape (n, len(names), horizon)
    """
    n = len(z)
    seasonal = seasonal_baseline(z, m, horizon, seasons)
    made = {"seasonal": lambda: seasonal,
            "naive": lambda: np.repeat(last_value(z)[:, None], horizon, axis=1),
            "seasonal2": lambda: (seasonal_baseline(z, m2, horizon, SECOND_SEASONS,
                                                    fallback=seasonal, average=True)
                                  if m2 > 1 else seasonal),
            "level": lambda: np.zeros((n, horizon)),
            "longrun": lambda: np.repeat(_longrun(z)[:, None], horizon, axis=1),
            "drift": lambda: _drift(z, seasonal, m, context or z.shape[1])}
    unknown = set(names) - set(made)
    if unknown:
        raise ValueError(f"baselines {sorted(unknown)} are not among {list(made)}.")
    return np.stack([made[name]() for name in names], axis=1)
