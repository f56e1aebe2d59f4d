"""Gross outliers: values so far from their neighbours that they cannot be observations.

One value of 1e6 in a series of a few hundred (a sensor glitch, a unit
error, a typo) dominates everything a forecaster estimates from the series:
its standard deviation, the ridge of the linear skip, the networks' loss.
The forecaster reads such a value as missing instead, which it already
handles (a missing step), and says so.

A value is a gross outlier when it is more than ``threshold`` robust
standard deviations from the median of the ``NEIGHBOURS`` observed values
before it and from the median of the ``NEIGHBOURS`` after it (one side at
the ends of the series). The robust standard deviation comes from the
absolute deviations of the series from its median: the larger of 1.4826
times their median and their 90th percentile over 1.6449 (the two equal the
standard deviation of a normal distribution; the second is larger for heavy
tails, such as bursts of count data). Where half the values or more are
equal (intermittent demand, mostly zeros) it is taken of the nonzero
deviations, so that a burst of demand is measured against the usual
demand, not against zero. As the two sides are judged apart, the first
value of a new level is close to the values after it, so a level shift is
not an outlier; nor is a trend, whose neighbours move with it.

The default threshold of 20 flags no target value of the shipped data sets
and no value of 7,900 synthetic series without outliers, and finds 997 of
998 spikes of 1,000 standard deviations (``tests/test_outliers.py`` checks
cases of each); it would flag three real trading volumes of the MSFT data
set (not a target there), the day of the 1986 listing among them.
"""

import warnings

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["DEFAULT_THRESHOLD", "NEIGHBOURS", "OutlierFilter", "OutlierWarning",
           "outlier_mask", "read_as_missing", "robust_scale", "warn_outliers"]

DEFAULT_THRESHOLD = 20.0
NEIGHBOURS = 3  # on each side
_BLOCK_RUNS = 1 << 16  # medians taken at a time


class OutlierWarning(UserWarning):
    """Values of the target read as missing as gross outliers (see the
    forecaster's ``outlier_threshold``). A :class:`UserWarning`, so that
    filters on that still apply; filter this one alone with
    ``warnings.filterwarnings("ignore", category=OutlierWarning)``."""


# A normal distribution's standard deviation over the median, and over the
# 90th percentile, of its absolute deviations from its median.
_MAD_TO_STD = 1.4826
_Q90_TO_STD = 1.6449


def robust_scale(values):
    """A robust standard deviation of the observed ``values`` (NaN ignored);
    0 only when every observed value is the same."""
    observed = values[~np.isnan(values)]
    if len(observed) == 0:
        return 0.0
    deviations = np.abs(observed - np.median(observed))
    if np.median(deviations) == 0 and deviations.any():
        # Half the values or more equal (intermittent demand): the spread of
        # the others.
        deviations = deviations[deviations > 0]
    return float(_spread(deviations))


def _spread(deviations):
    """The median and the 90th percentile of absolute deviations, each as
    the standard deviation it implies for a normal distribution; the larger
    one, so that heavy tails (bursts of count data) widen it. The
    percentile only from 20 deviations on, where the two largest (an
    outlier among them) stay above it."""
    scale = _MAD_TO_STD * np.median(deviations)
    if len(deviations) >= 20:
        scale = max(scale, np.percentile(deviations, 90) / _Q90_TO_STD)
    return scale


def outlier_mask(values, threshold=DEFAULT_THRESHOLD, scale=None):
    """Which of ``values`` (n,) are gross outliers (see the module docstring).

    Parameters
    ----------
    values : ndarray of shape (n,)
        One series; NaN marks a missing value (never an outlier).
    threshold : float
        Robust standard deviations from the neighbours' median.
    scale : float or None
        The robust standard deviation to use; None computes it from
        ``values``.

    Returns
    -------
    mask : ndarray of bool, shape (n,)
    """
    n = len(values)
    mask = np.zeros(n, dtype=bool)
    scale = robust_scale(values) if scale is None else scale
    observed = np.flatnonzero(~np.isnan(values))
    if scale == 0 or len(observed) < 3:
        return mask
    distance = _neighbour_distance(values[observed])
    mask[observed] = distance > threshold * scale
    return mask


def _neighbour_distance(x):
    """For each value of ``x`` (n,), no NaN: its distance to the median of
    the NEIGHBOURS values before it or to that of the NEIGHBOURS after it,
    whichever is nearer (fewer values near the ends; NaN with none).

    The median of every run of NEIGHBOURS consecutive values serves both
    sides (run ``i - NEIGHBOURS`` is before value ``i``, run ``i + 1`` after
    it) and is taken a block of runs at a time, so that a long series costs
    a few copies of itself, not one per neighbour.
    """
    n, k = len(x), NEIGHBOURS
    distance = np.full(n, np.nan)
    if n > k:
        runs = sliding_window_view(x, k)  # runs[j] = x[j:j + k]
        medians = np.empty(len(runs))
        for start in range(0, len(runs), _BLOCK_RUNS):
            medians[start:start + _BLOCK_RUNS] = np.median(
                runs[start:start + _BLOCK_RUNS], axis=1)
        distance[k:] = np.abs(x[k:] - medians[:n - k])
        distance[:n - k] = np.fmin(distance[:n - k], np.abs(x[:n - k] - medians[1:]))
    # The first and last values have fewer than k neighbours on one side.
    for i in range(1, min(k, n)):
        distance[i] = np.fmin(distance[i], abs(x[i] - np.median(x[:i])))
    for i in range(max(n - k, 0), n - 1):
        distance[i] = np.fmin(distance[i], abs(x[i] - np.median(x[i + 1:])))
    return distance


class OutlierFilter:
    """Gross outliers of each series' target read as missing, in fit and update.

    Parameters
    ----------
    threshold : float or None
        See :func:`outlier_mask`; None keeps every value.

    Attributes (set by :meth:`fit`)
    -------------------------------
    scales : list of float
        The robust standard deviation of each series' target in fit.
    tails : list of ndarray
        The last ``NEIGHBOURS`` observed target values of each series
        (outliers included), the neighbours before the values of an update.
    """

    def __init__(self, threshold):
        self.threshold = threshold

    def fit(self, values):
        """Learn each series' scale from the rows ``values`` (a list of
        (n, n_features) arrays, column 0 the target) and return the mask of
        their outliers, one (n,) array per series; nothing is modified."""
        self.scales = [robust_scale(v[:, 0]) for v in values]
        self.tails = [_last_observed(v[:, 0]) for v in values]
        return [self.mask(v[:, 0], code) for code, v in enumerate(values)]

    def mask(self, target, code):
        """The outliers of a stretch ``target`` of series ``code``, judged
        with the scale of fit."""
        if self.threshold is None:
            return np.zeros(len(target), dtype=bool)
        return outlier_mask(target, self.threshold, self.scales[code])

    def mask_new(self, target, code):
        """The outliers of new values ``target`` of series ``code`` that
        follow those seen: the values before them are its tail."""
        before = self.tails[code]
        return self.mask(np.concatenate([before, target]), code)[len(before):]

    def advance(self, target, code):
        """Series ``code`` has read the new values ``target``."""
        self.tails[code] = _last_observed(np.concatenate([self.tails[code], target]))


def _last_observed(target):
    return target[~np.isnan(target)][-NEIGHBOURS:].copy()


def read_as_missing(data, masks, argument, threshold, stacklevel):
    """Set the outliers ``masks`` of the checked series ``data`` (a
    :class:`.panel_inputs.SeriesData`, its arrays the forecaster's own
    copies) to NaN, warn (:func:`warn_outliers`), and return them as
    ``[(series id, timestamp, value)]``; ``stacklevel`` points the warning
    at the user's call."""
    found = []
    for sid, values, index, mask in zip(data.ids, data.values, data.indexes, masks):
        if mask.any():
            found += [(sid, index[i], float(values[i, 0])) for i in np.flatnonzero(mask)]
            values[mask, 0] = np.nan
    warn_outliers(found, argument, threshold, data.single, stacklevel + 1)
    return found


def warn_outliers(found, argument, threshold, single, stacklevel):
    """One :class:`OutlierWarning` for the outliers ``found`` (``[(series
    id, timestamp, value)]``) of ``argument``, showing the first three (with
    their series ids unless ``single``); nothing if there are none."""
    if not found:
        return
    shown = ", ".join((f"{when}" if single else f"{sid!r} {when}") + f" ({value:.6g})"
                      for sid, when, value in found[:3])
    more = f" and {len(found) - 3} more" if len(found) > 3 else ""
    warnings.warn(
        f"{argument}: {len(found)} value(s) read as missing, gross outliers more than "
        f"{threshold:g} robust standard deviations from their neighbours: {shown}"
        f"{more} (see outliers_). Pass outlier_threshold=None to keep such values.",
        OutlierWarning, stacklevel=stacklevel + 1,
    )
