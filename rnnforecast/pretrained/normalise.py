"""Scale-free inputs and targets: each context in units of its own robust
level and scale, and the forecast mapped back.

For a context y (oldest first) with seasonal period m:

    level  = median of the last max(m, 3) observed values
    scale  = mean of |y_t - y_{t-m}|, each term capped at 5 x their median
             (the in-sample MAE of seasonal naive, the MASE denominator,
             made robust to a few outliers); lag 1 if that is 0 or mere
             rounding error, then |level|, then 1
    z_t    = (y_t - level) / scale

so z is the same for a y + b as for y (a > 0): forecasts are equivariant.
The second version takes the scale over the whole history window
(:class:`~.model.PretrainedModel`'s ``history_scale``), closer to the MASE
denominator than three seasons can be: a context of three calm weekdays
would otherwise make a weekend's drop 25 scales deep.
:class:`~.model.PretrainedModel` also takes at least
:func:`baseline_span_scale`, so that the last seasons, which the baselines
read, are not clipped: a clean daily cycle spans more robust scales than that.
The network sees z clipped to +-:data:`INPUT_CLIP` and divided by
:data:`INPUT_DIVISOR` (a value 1000x the scale enters as 25 / 5, not 1000),
and predicts the residual of z over a robust seasonal baseline
(:func:`seasonal_baseline`): the median of the last up to three seasons at
each phase. The forecast is ``level + scale * (baseline + residual)`` (the
first version; the second weights several baselines, :mod:`.head`).

Imports NumPy only.
"""

import warnings
from typing import NamedTuple

import numpy as np

__all__ = ["Normalised", "last_value", "robust_level", "robust_scale", "baseline_span_scale",
           "normalise", "seasonal_baseline", "input_features", "targets", "denormalise",
           "INPUT_CLIP", "INPUT_DIVISOR", "TARGET_CLIP", "BASELINE_SEASONS", "row_quantiles"]

INPUT_CLIP = 25.0
INPUT_DIVISOR = 5.0
# Training targets (in scales) are clipped too: a future outlier is noise to learn past.
TARGET_CLIP = 25.0
# Seasons whose median at each phase is the baseline (fewer if the context is short).
# Measured on held-out synthetic examples after 2,500 steps (1 x 64 GRU, seed 0):
# mean loss 1.421 with 3 seasons, 1.490 with 1 (plain seasonal naive); and the
# median ignores a single outlier, which seasonal naive would repeat.
BASELINE_SEASONS = 3
# Seasonal differences above this many times their median are capped in the scale.
SCALE_CAP = 5.0
# A scale below this share of the largest |value| is rounding error, not
# variation: the seasonal differences of an exactly periodic series computed in
# float64 are about 1e-15 of its values, and read as a scale they put every
# value thousands of scales from the level (a pure sine was forecast flat).
ROUNDING_SHARE = 1e3 * np.finfo(np.float64).eps
# The share of the values the baselines read kept within INPUT_CLIP scales of
# the level (see baseline_span_scale).
SPAN_QUANTILE = 0.95


class Normalised(NamedTuple):
    """Contexts in units of their level and scale.

    Attributes
    ----------
    z : ndarray of shape (n, C)
        (y - level) / scale, NaN where y is.
    level, scale : ndarray of shape (n,)
    baseline : ndarray of shape (n, H)
        The seasonal baseline of z over the horizon.
    """

    z: np.ndarray
    level: np.ndarray
    scale: np.ndarray
    baseline: np.ndarray


def _last_observed(y, count):
    """Per row, the last ``count`` observed values (NaN-padded in front)."""
    order = np.argsort(np.isfinite(y), axis=1, kind="stable")  # NaN first, order kept
    packed = np.take_along_axis(y, order, axis=1)
    return packed[:, -count:]


def last_value(y):
    """Per row, the last observed value of ``y``, 0 for a row without any
    (``_last_observed(y, 1)[:, 0]`` without sorting every row): the naive
    baseline, and the seasonal baseline's fallback."""
    observed = np.isfinite(y)
    last = y.shape[1] - 1 - np.argmax(observed[:, ::-1], axis=1)
    return np.where(observed.any(axis=1), y[np.arange(len(y)), last], 0.0)


def robust_level(y, m):
    """Median of the last max(m, 3) observed values of each row of ``y``
    (shape (n, C)); 0 for a row without any."""
    level = nanmedian_last_axis(_last_observed(y, max(m, 3)))
    return np.where(np.isfinite(level), level, 0.0)


def nanmedian_last_axis(a):
    """``numpy.nanmedian(a, axis=-1)`` by one sort, the same numbers (NaN,
    without a warning, where a row has no value): nanmedian loops in Python
    over the rows holding a NaN, and on the one row of a series' level-shift
    guard took about half a millisecond (profiled), half of that guard."""
    ordered = np.sort(a, axis=-1)  # NaN last
    count = (~np.isnan(a)).sum(axis=-1)
    low = np.take_along_axis(ordered, np.maximum((count - 1) // 2, 0)[..., None], -1)[..., 0]
    high = np.take_along_axis(ordered, (count // 2)[..., None].clip(max=a.shape[-1] - 1),
                              -1)[..., 0]
    return np.where(count > 0, (low + high) / 2, np.nan)


def row_quantiles(x, qs):
    """Quantiles ``qs`` of the finite values of each row of ``x`` (n, L),
    linearly interpolated as ``numpy.quantile``; NaN for a row without any.

    One sort of the whole array: ``numpy.nanquantile`` loops over the rows
    in Python once any row holds a NaN, which costs most of the time of a
    corpus chunk of 2,048 windows of 1,024 steps.

    Returns
    -------
    ndarray of shape (len(qs), n)
    """
    ordered = np.sort(x, axis=1)  # NaN last
    count = np.isfinite(x).sum(axis=1)
    rows = np.arange(len(x))
    out = np.full((len(qs), len(x)), np.nan)
    has = count > 0
    for i, q in enumerate(qs):
        position = q * np.maximum(count - 1, 0)
        below = np.floor(position).astype(int)
        above = np.minimum(below + 1, np.maximum(count - 1, 0))
        low, high = ordered[rows, below], ordered[rows, above]
        out[i] = np.where(has, low + (position - below) * (high - low), np.nan)
    return out


def _capped_mean_abs_diff(y, lag):
    if y.shape[1] <= lag:
        return np.full(len(y), np.nan)
    d = np.abs(y[:, lag:] - y[:, :-lag])
    median = row_quantiles(d, (0.5,))[0][:, None]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows
        capped = np.where(median > 0, np.minimum(d, SCALE_CAP * median), d)
        return np.nanmean(capped, axis=1)


def robust_scale(y, m, level):
    """The robust MAE of seasonal naive at lag m of each row (see the module
    notes), falling back to lag 1, then |level|, then 1, wherever it is 0 or
    no more than rounding error (``ROUNDING_SHARE`` of the row's largest
    absolute value)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows
        magnitude = np.nanmax(np.abs(y), axis=1) if y.shape[1] else np.zeros(len(y))
    rounding = ROUNDING_SHARE * np.where(np.isfinite(magnitude), magnitude, 0.0)
    scale = _capped_mean_abs_diff(y, max(m, 1))
    for fallback in (_capped_mean_abs_diff(y, 1), np.abs(level), np.ones(len(y))):
        bad = ~(np.isfinite(scale) & (scale > rounding))
        if not bad.any():
            break
        scale = np.where(bad, fallback, scale)
    return scale


def baseline_span_scale(y, m, level, seasons=BASELINE_SEASONS):
    """The smallest scale at which the last ``seasons`` seasons of each row
    (the values the seasonal baselines read) lie within ``INPUT_CLIP``
    scales of ``level``, ``SPAN_QUANTILE`` of them at least; NaN for a row
    without observed values there.

    A series whose season is large against its seasonal-naive error (a clean
    daily cycle: amplitude 5, noise 0.1) spans more than ``INPUT_CLIP`` of its
    robust scales, and the baselines, read from clipped values, were cut off
    there: the forecast of such a sine stopped at level - 25 scales. Taking
    at least this scale keeps the cycle whole; where the season already fits
    (every real series of the accuracy benchmarks) it changes nothing. The
    quantile lets a single outlier in those seasons be clipped as before.
    """
    span = min(y.shape[1], seasons * max(int(m), 1))
    deviations = np.abs(y[:, y.shape[1] - span:] - level[:, None])
    return row_quantiles(deviations, (SPAN_QUANTILE,))[0] / INPUT_CLIP


def seasonal_baseline(z, m, horizon, seasons=BASELINE_SEASONS, fallback=None, average=False):
    """Median over the last ``seasons`` seasons of z at the phase of each
    step of the horizon (m = 1: median of the last ``seasons`` values).

    A step without any observed value at its phase takes ``fallback`` there,
    by default the last observed value of z (0 if none).

    Parameters
    ----------
    z : ndarray of shape (n, C)
    m : int
    horizon : int
    seasons : int
    fallback : ndarray of shape (n, horizon), optional
    average : bool
        The mean of the seasons instead of their median.

    Returns
    -------
    ndarray of shape (n, horizon)
    """
    n, C = z.shape
    m = max(int(m), 1)
    h = np.arange(horizon)
    # Step h (0-based) is at phase h mod m; its value k seasons back is
    # at position C + (h mod m) - k m.
    positions = C + (h % m)[None, :] - m * np.arange(1, seasons + 1)[:, None]  # (S, H)
    valid = positions >= 0
    picked = z[:, np.where(valid, positions, 0)]  # (n, S, H)
    picked[:, ~valid] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN phases
        base = (np.nanmean if average else np.nanmedian)(picked, axis=1)
    if fallback is not None:
        return np.where(np.isfinite(base), base, fallback)
    return np.where(np.isfinite(base), base, last_value(z)[:, None])


def normalise(y, m, horizon, seasons=BASELINE_SEASONS):
    """Normalise contexts ``y`` of shape (n, C) with seasonal period ``m``;
    the baseline is the median of the last ``seasons`` seasons.

    Returns
    -------
    Normalised
    """
    y = np.asarray(y, dtype=np.float64)
    level = robust_level(y, m)
    scale = robust_scale(y, m, level)
    z = (y - level[:, None]) / scale[:, None]
    clipped = np.clip(z, -INPUT_CLIP, INPUT_CLIP)
    baseline = seasonal_baseline(clipped, m, horizon, seasons)
    return Normalised(z, level, scale, baseline)


def _phase_channels(C, m):
    """sin and cos of the phase 2 pi (t - C) / m of each of C steps, shape
    (C, 2); (0, 1) when there is no period (m <= 1)."""
    if m <= 1:
        return np.tile([0.0, 1.0], (C, 1))
    angle = 2 * np.pi * (np.arange(C) - C) / int(m)
    return np.stack([np.sin(angle), np.cos(angle)], axis=1)


def input_features(z, m, phase=True, m2=None, summary=None):
    """The network's inputs, time-major: shape (C, F, n).

    Channels: clipped z / INPUT_DIVISOR; with ``phase``, sin and cos of the
    phase 2 pi (t - C) / m of each step relative to the origin (0 and 1 when
    m = 1), so the network knows where in its season each step lies
    (held-out synthetic loss after 2,500 steps: 1.421 with them, 1.454
    without); with ``m2`` not None, the same two for the second period
    (0 and 1 when m2 = 0); with ``summary`` (n, S), S channels that hold
    each row's summary of its whole history at every step
    (:mod:`.history`). A missing step stays NaN in channel 0 (the core
    skips it).
    """
    n, C = z.shape
    blocks = [np.clip(z, -INPUT_CLIP, INPUT_CLIP).T[:, None, :] / INPUT_DIVISOR]
    if phase:
        blocks.append(np.repeat(_phase_channels(C, m)[:, :, None], n, axis=2))
    if phase and m2 is not None:
        blocks.append(np.repeat(_phase_channels(C, m2)[:, :, None], n, axis=2))
    if summary is not None:
        blocks.append(np.repeat(summary.T[None, :, :], C, axis=0))
    return np.concatenate(blocks, axis=1)


def targets(norm, futures):
    """Training targets: the future in scales, minus the baseline, clipped.

    Parameters
    ----------
    norm : Normalised
    futures : ndarray of shape (n, H)

    Returns
    -------
    ndarray of shape (n, H), NaN where the future is missing
    """
    zf = (futures - norm.level[:, None]) / norm.scale[:, None]
    return np.clip(zf, -TARGET_CLIP, TARGET_CLIP) - norm.baseline


def denormalise(norm, residual):
    """The forecast ``level + scale * (baseline + residual)``, shape (n, H)."""
    H = residual.shape[1]
    return norm.level[:, None] + norm.scale[:, None] * (norm.baseline[:, :H] + residual)
