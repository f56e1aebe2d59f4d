"""Training examples for the pretrained forecaster, drawn from
:mod:`rnnforecast.synthetic` with a seed.

An example is a history window of the last ``L`` values before an origin
(NaN where the series had no value yet, or a missing step; the network reads
its last ``C`` values, the context, and a summary of all of it), the seasonal
period ``m`` the forecaster would be told for that frequency, and the
``H_MAX`` values after the origin. Examples come in groups, one per calendar
(:data:`GROUPS`): all windows of a group have the same length, so that a
training batch is one group. A share of the windows is cut shorter and
left-padded with NaN, as a short yearly series of 20 points would be, and
another share keeps between C and L values, so that the summary is learnt
from histories of every length.
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
    freq : str or None
        The pandas frequency given to :func:`rnnforecast.synthetic.generate`
        (its calendar gives the seasonal periods of the series); None: the
        periods of every calendar, the forecaster being told none.
    m : int
        The seasonal period the forecaster is told (1: none).
    context : int
        Context length C: three seasons of the longest period, and at least 48.
    min_context : int
        Shortest history kept unpadded by a shortened example.
    m2 : int
        The second seasonal period (0: none), see :mod:`.history`.
    history : int
        History window L (0: the context): two seasons of m2 at least.
    """

    name: str
    freq: str | None
    m: int
    context: int
    min_context: int
    m2: int = 0
    history: int = 0

    @property
    def window(self):
        """The history window L, at least the context."""
        return max(self.history, self.context)


GROUPS = (
    Group("yearly", "YS", 1, 48, 12, 0, 512),
    # Series told m = 1 whatever their calendar (monthly sunspots, daily
    # prices): cycles the forecaster must find on its own.
    Group("unknown_period", None, 1, 48, 12, 0, 512),
    Group("quarterly", "QS", 4, 64, 16, 0, 256),
    Group("monthly", "MS", 12, 96, 24, 0, 512),
    Group("business_daily", "B", 5, 60, 20, 261, 1024),
    Group("daily", "D", 7, 84, 21, 365, 1024),
    Group("hourly", "h", 24, 96, 48, 168, 1024),
    Group("half_hourly", "30min", 48, 144, 96, 336, 1024),
)

# Share of examples whose history is cut to a random length in
# [min_context, context) and NaN-padded on the left.
SHORT_SHARE = 0.3
# Share of examples (of windows longer than the context) whose history is cut
# to a random length in [context, window).
PARTIAL_SHARE = 0.3
# Share of series drawn with missing steps, and their expected missing share.
HOLED_SHARE = 0.2
HOLED_MISSING = 0.05
class Examples(NamedTuple):
    """Examples of one group.

    Attributes
    ----------
    contexts : ndarray of shape (n, L)
        History windows, oldest value first; NaN for a missing or absent
        value.
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


def draw_examples(group, n_examples, seed, per_series=None):
    """Examples of one group, ``per_series`` windows cut from each series.

    Parameters
    ----------
    group : Group
    n_examples : int
    seed : int, sequence of int or numpy.random.Generator
        The same seed gives the same examples, bit for bit.
    per_series : int, optional
        Origins drawn per generated series; default 4, or 8 for windows
        longer than the context (long series cost more to generate).

    Returns
    -------
    Examples
    """
    rng = np.random.default_rng(seed)
    C, L = group.context, group.window
    per_series = per_series or (4 if L == C else 8)
    n_series = -(-n_examples // per_series)
    length = L + H_MAX + max(2 * C, L // 2)
    values = _series(group, n_series, length, rng)
    rows = np.repeat(np.arange(n_series), per_series)[:n_examples]
    origins = rng.integers(L, length - H_MAX + 1, n_examples)
    cut = origins[:, None] + np.arange(-L, H_MAX)[None, :]
    windows = values[rows[:, None], cut]
    contexts, futures = windows[:, :L].copy(), windows[:, L:].copy()
    draw = rng.random(n_examples)
    kept = np.where(draw < SHORT_SHARE, rng.integers(group.min_context, C, n_examples), L)
    if L > C:
        partial = (draw >= SHORT_SHARE) & (draw < SHORT_SHARE + PARTIAL_SHARE)
        kept = np.where(partial, rng.integers(C, L + 1, n_examples), kept)
    contexts[np.arange(L)[None, :] < (L - kept)[:, None]] = np.nan
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
