"""What the whole available history says that a short context cannot: a few
summary numbers, and the second seasonal period of a calendar.

The network reads a context of a few seasons (48-144 steps); the history
window before the origin is longer (up to :data:`~.corpus.GROUPS`'
``history``, 256-1024 steps). Its summary enters the network as constant
input channels, every one in units of the series' level and scale, so that
the forecast stays equivariant to ``y -> a y`` (a > 0) and, while the sign
pattern of the series is kept, to ``y -> y + b``:

    longrun_level  (median of the history - level) / scale
    spread         log(1 + (q90 - q10) / scale): large for a wandering series
                   (a random walk's range grows with its length), about 2 for
                   stationary noise, whatever the scale
    low, high      (min - level) / scale, (max - level) / scale: where the
                   floor and ceiling seen so far lie
    drift          median of the seasonal differences (y_t - y_{t-m}) / scale
                   over the history: a robust trend per season
    zero_share     share of exact zeros (intermittent demand)
    non_negative   1 if no observed value is below 0
    history_length log(observed values / context length)

The level-like numbers are clipped to +-:data:`~.normalise.INPUT_CLIP` and
divided by :data:`~.normalise.INPUT_DIVISOR`, as the context is.

Imports NumPy (and the package's table of second periods) only.
"""

import warnings

import numpy as np

from .._periods import SECOND_PERIODS
from .normalise import INPUT_CLIP, INPUT_DIVISOR, row_quantiles

__all__ = ["SUMMARY_NAMES", "SECOND_PERIODS", "summary_features", "non_negative"]

SUMMARY_NAMES = ("longrun_level", "spread", "low", "high", "drift", "zero_share",
                 "non_negative", "history_length")


def non_negative(y):
    """Per row of ``y`` (n, L): True if it has observed values and none is
    below 0."""
    observed = np.isfinite(y)
    return observed.any(axis=1) & ~np.any(observed & (np.nan_to_num(y) < 0), axis=1)


def _squash_level(x):
    return np.clip(np.nan_to_num(x), -INPUT_CLIP, INPUT_CLIP) / INPUT_DIVISOR


def summary_features(y, m, level, scale, context):
    """The summary numbers of the module notes, one row per history.

    Parameters
    ----------
    y : ndarray of shape (n, L)
        History windows, oldest first, NaN where missing or absent.
    m : int
        Seasonal period.
    level, scale : ndarray of shape (n,)
        The context's robust level and scale (:mod:`.normalise`).
    context : int
        The context length C the network reads.

    Returns
    -------
    ndarray of shape (n, len(SUMMARY_NAMES))
        Bounded and finite.
    """
    z = (y - level[:, None]) / scale[:, None]
    observed = np.isfinite(y)
    count = observed.sum(axis=1)
    lag = max(int(m), 1)
    q10, q50, q90 = row_quantiles(z, (0.1, 0.5, 0.9))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # rows without values
        low, high = np.nanmin(z, axis=1), np.nanmax(z, axis=1)
    drift = row_quantiles(z[:, lag:] - z[:, :-lag], (0.5,))[0] if y.shape[1] > lag else \
        np.full(len(y), np.nan)
    zero_share = np.sum(observed & (y == 0), axis=1) / np.maximum(count, 1)
    spread = np.log1p(np.clip(np.nan_to_num(q90 - q10), 0, 1e6))
    length = np.clip(np.log(np.maximum(count, 1) / context), -3, 3)
    return np.stack([_squash_level(q50), spread / 2, _squash_level(low), _squash_level(high),
                     _squash_level(drift), zero_share, non_negative(y).astype(float),
                     length], axis=1)
