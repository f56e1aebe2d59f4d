"""How well each candidate baseline would have forecast this series: its
error from a few pseudo-origins inside the history window (the third
version's inputs).

The head weights the candidate baselines (:mod:`.baselines`) from what the
network reads, which did not include how each of them fares on the series at
hand: a half-hourly series whose weekends differ from its weekdays is
forecast best by the weekly baseline, and its own history shows it. From the
clipped normalised history window ``z`` (n, L) with seasonal period m and
second period m2, the baselines forecast ``z[:, t:t + h]`` from
``z[:, :t]`` at :data:`SKILL_ORIGINS` pseudo-origins

    h      = the smallest multiple of m that is at least MIN_SKILL_STEPS
             and ``seasons`` seasons (one by default; the model's
             ``skill_seasons``), at most h_max: whole seasons, so every phase
             counts alike, and long enough that the naive, level and drift
             baselines part
    s      = max(h, ceil(m2 / K)): the spacing of the origins, so that with
             a second period they spread over one whole cycle of it (a week
             of hourly data holds a weekend), else they tile the last K h
    t_k    = L - h - k s,  k = 0 .. K - 1

Each baseline is computed as at the real origin (:func:`.baselines.
candidate_baselines`, the context length C for "drift"), on the window
before t_k shifted by its own robust level so that "level" is that
pseudo-origin's level; the shift is added back. An origin counts where the
values before it hold at least max(m + 1, 8) observed ones and its span at
least half observed; a baseline's error is its mean absolute error over the
observed steps of every counted origin, in units of the scale (z is already
in them). The input channels, with e_b that error and E = mean_b log(e_b + eps):

    skill_<b>     clip(log(e_b + eps) - E, +-SKILL_CLIP) / SKILL_DIVISOR:
                  below 0 for a baseline better than the typical one
    skill_error   clip(E, +-SKILL_CLIP) / SKILL_DIVISOR: how predictable the
                  series has been at all
    skill_share   share of the K origins that counted

A series with no counted origin gets 0 in every skill channel (the neutral
value: every baseline as good as the others) and 0 as its share. Since z is
(y - level) / scale, the channels do not change under ``y -> a y + b``
(a > 0) but for the clipping of z, and the forecast stays equivariant.

Imports NumPy only.
"""

import warnings

import numpy as np

from .baselines import candidate_baselines
from .normalise import robust_level

__all__ = ["SKILL_ORIGINS", "MIN_SKILL_STEPS", "skill_names", "skill_steps", "skill_origins",
           "baseline_errors", "skill_features"]

# K, the pseudo-origins: four spread over a week of hourly data put one
# within 18 steps of any point of it (24-step spans 42 apart), so a
# weekend's 48 steps always fall partly in a span; each more costs one more
# set of baselines per example. Measured at 5,000 steps, seed 0: held-out
# synthetic loss (benchmarks/pretrain_eval.py --heldout 512) 1.408 with
# these channels, 1.450 without; zero-shot MASE on the shipped series 1.174
# against 1.279 (UK electricity demand 0.303 against 1.334). Spans of at
# least two seasons (skill_seasons=2): 1.410 and 1.205.
SKILL_ORIGINS = 4
# Shortest span scored from each pseudo-origin (in steps).
MIN_SKILL_STEPS = 12
# A baseline's error is floored at this many scales before its log: an exact
# fit (MAE 0) is as good as any error below it.
SKILL_EPS = 0.01
# log errors are clipped to this (a factor e^3 = 20) and divided by the divisor.
SKILL_CLIP = 3.0
SKILL_DIVISOR = 2.0
# Least observed values before a pseudo-origin (beyond a season) for it to count.
MIN_OBSERVED = 8


def skill_names(baselines):
    """Names of the skill channels for the candidate ``baselines``."""
    return tuple(f"skill_{b}" for b in baselines) + ("skill_error", "skill_share")


def skill_steps(m, h_max, seasons=1):
    """h: the smallest multiple of m that is at least MIN_SKILL_STEPS and
    ``seasons`` seasons, at most ``h_max``."""
    m = max(int(m), 1)
    return int(min(m * max(-(-MIN_SKILL_STEPS // m), int(seasons)), h_max))


def skill_origins(L, m, m2, h_max, k=SKILL_ORIGINS, seasons=1):
    """The pseudo-origins t_k (newest first) of a window of L steps and the
    span h they forecast (:func:`skill_steps`); origins without MIN_OBSERVED
    steps before them are left out.

    Returns
    -------
    origins : list of int
    h : int
    """
    h = skill_steps(m, h_max, seasons)
    spacing = max(h, -(-int(m2) // k)) if m2 and m2 > 1 else h
    origins = [L - h - i * spacing for i in range(k)]
    return [t for t in origins if t >= MIN_OBSERVED], h


def _pseudo_forecast(past, m, m2, h, names, seasons, context):
    """The baselines of ``past`` (n, t) over h steps, with "level" at the
    robust level of past's last context steps (0 at the real origin)."""
    level = robust_level(past[:, -context:], m)
    base = candidate_baselines(past - level[:, None], m, m2, h, names, seasons, context)
    return base + level[:, None, None]


def baseline_errors(z, m, m2, h_max, names, seasons, context, k=SKILL_ORIGINS,
                    span_seasons=1):
    """Mean absolute error of each baseline over the pseudo-origins.

    Parameters
    ----------
    z : ndarray of shape (n, L)
        Clipped normalised history windows, oldest first, NaN where missing.
    m, m2 : int
        Seasonal period and second period (0: none).
    h_max : int
        The model's longest horizon (caps h).
    names : sequence of str
        The candidate baselines.
    seasons : int
        Seasons of the median of "seasonal".
    context : int
        The context length C.
    k : int
        Pseudo-origins.
    span_seasons : int
        Least seasons in the span h each pseudo-origin forecasts.

    Returns
    -------
    errors : ndarray of shape (n, len(names))
        NaN for a row without any counted origin.
    counted : ndarray of shape (n,)
        Origins that counted per row.
    """
    n, L = z.shape
    origins, h = skill_origins(L, m, m2, h_max, k, span_seasons)
    total = np.zeros((n, len(names)))
    steps = np.zeros(n)
    counted = np.zeros(n)
    observed = np.isfinite(z)
    for t in origins:
        target = z[:, t:t + h]
        seen = observed[:, t:t + h]
        ok = (observed[:, :t].sum(axis=1) >= max(int(m) + 1, MIN_OBSERVED)) & \
            (seen.sum(axis=1) >= h / 2)
        if not ok.any():
            continue
        rows = np.flatnonzero(ok)  # only the rows that count: fewer baselines to compute
        base = _pseudo_forecast(z[rows, :t], m, m2, h, names, seasons, context)
        error = np.abs(base - target[rows, None, :])  # (r, K_b, h), NaN where unobserved
        total[rows] += np.nansum(error, axis=2)
        steps[rows] += seen[rows].sum(axis=1)
        counted[rows] += 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # rows without origins
        errors = np.where(counted[:, None] > 0, total / steps[:, None], np.nan)
    return errors, counted


def skill_features(z, m, m2, h_max, names, seasons, context, k=SKILL_ORIGINS,
                   span_seasons=1):
    """The skill channels of the module notes, one row per history.

    Parameters are those of :func:`baseline_errors`.

    Returns
    -------
    ndarray of shape (n, len(names) + 2)
        Bounded and finite.
    """
    errors, counted = baseline_errors(z, m, m2, h_max, names, seasons, context, k,
                                      span_seasons)
    has = counted > 0
    log_error = np.log(np.where(has[:, None], errors, 1.0) + SKILL_EPS)
    typical = log_error.mean(axis=1)
    relative = np.clip(log_error - typical[:, None], -SKILL_CLIP, SKILL_CLIP) / SKILL_DIVISOR
    typical = np.clip(typical, -SKILL_CLIP, SKILL_CLIP) / SKILL_DIVISOR
    return np.concatenate([np.where(has[:, None], relative, 0.0),
                           np.where(has, typical, 0.0)[:, None],
                           (counted / k)[:, None]], axis=1)
