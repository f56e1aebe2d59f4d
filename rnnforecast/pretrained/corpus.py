"""Training examples for the pretrained forecaster, drawn from
:mod:`rnnforecast.synthetic` with a seed.

An example is a context of the last ``C`` values before an origin (NaN where
the series had no value yet, or a missing step), the seasonal period ``m`` the
forecaster would be told for that frequency, and the ``H_MAX`` values after
the origin. Examples come in groups, one per calendar (:data:`GROUPS`): all
contexts of a group have the same length, so that a training batch is one
group. A share of the contexts is cut shorter and left-padded with NaN, as a
short yearly series of 20 points would be.
"""

from typing import NamedTuple

import numpy as np

from ..synthetic import generate

__all__ = ["GROUPS", "H_MAX", "Group", "Examples", "draw_examples", "draw_corpus"]

# Longest horizon the network forecasts; shorter horizons are its first steps.
# 48: the M4 horizon of hourly series (half-hourly in the dev panel too).
H_MAX = 48


class Group(NamedTuple):
    """One calendar of the corpus.

    Attributes
    ----------
    name : str
    freq : str
        The pandas frequency given to :func:`rnnforecast.synthetic.generate`
        (its calendar gives the seasonal periods of the series).
    m : int
        The seasonal period the forecaster is told (1: none).
    context : int
        Context length C: three seasons of the longest period, and at least 48.
    min_context : int
        Shortest context kept unpadded by a shortened example.
    """

    name: str
    freq: str
    m: int
    context: int
    min_context: int


GROUPS = (
    Group("yearly", "YS", 1, 48, 12),
    Group("quarterly", "QS", 4, 64, 16),
    Group("monthly", "MS", 12, 96, 24),
    Group("business_daily", "B", 5, 60, 20),
    Group("daily", "D", 7, 84, 21),
    Group("hourly", "h", 24, 96, 48),
    Group("half_hourly", "30min", 48, 144, 96),
)

# Share of examples whose context is cut to a random length in
# [min_context, context) and NaN-padded on the left.
SHORT_SHARE = 0.3
# Share of series drawn with missing steps, and their expected missing share.
HOLED_SHARE = 0.2
HOLED_MISSING = 0.05


class Examples(NamedTuple):
    """Examples of one group.

    Attributes
    ----------
    contexts : ndarray of shape (n, C)
        Oldest value first; NaN for a missing or absent value.
    m : int
        Seasonal period of the group.
    futures : ndarray of shape (n, H_MAX)
        The values after the origin (NaN where missing).
    group : str
    """

    contexts: np.ndarray
    m: int
    futures: np.ndarray
    group: str


def _series(group, n_series, length, rng):
    """Series of one group: most without missing steps, some with."""
    holed = int(round(n_series * HOLED_SHARE))
    parts = [generate(n_series - holed, length, seed=rng, freq=group.freq).values]
    if holed:
        parts.append(generate(holed, length, seed=rng, freq=group.freq,
                              missing=HOLED_MISSING).values)
    return np.concatenate(parts)


def draw_examples(group, n_examples, seed, per_series=4):
    """Examples of one group, ``per_series`` windows cut from each series.

    Parameters
    ----------
    group : Group
    n_examples : int
    seed : int, sequence of int or numpy.random.Generator
        The same seed gives the same examples, bit for bit.
    per_series : int
        Origins drawn per generated series.

    Returns
    -------
    Examples
    """
    rng = np.random.default_rng(seed)
    C = group.context
    n_series = -(-n_examples // per_series)
    length = C + H_MAX + 2 * C
    values = _series(group, n_series, length, rng)
    rows = np.repeat(np.arange(n_series), per_series)[:n_examples]
    origins = rng.integers(C, length - H_MAX + 1, n_examples)
    cut = origins[:, None] + np.arange(-C, H_MAX)[None, :]
    windows = values[rows[:, None], cut]
    contexts, futures = windows[:, :C].copy(), windows[:, C:].copy()
    short = rng.random(n_examples) < SHORT_SHARE
    kept = rng.integers(group.min_context, C, n_examples)
    pad = np.where(short, C - kept, 0)
    contexts[np.arange(C)[None, :] < pad[:, None]] = np.nan
    # A context needs observed values in its last season and some history.
    observed = np.isfinite(contexts)
    ok = observed[:, -max(group.m, 2):].any(axis=1) & (observed.sum(axis=1) >= 8)
    return Examples(contexts[ok], group.m, futures[ok], group.name)


def draw_corpus(n_per_group, seed, groups=GROUPS):
    """Examples of every group, each from its own stream of ``seed``.

    Parameters
    ----------
    n_per_group : int
    seed : int
    groups : sequence of Group

    Returns
    -------
    list of Examples
        One per group, in the order of ``groups``.
    """
    return [draw_examples(group, n_per_group, [seed, k]) for k, group in enumerate(groups)]
