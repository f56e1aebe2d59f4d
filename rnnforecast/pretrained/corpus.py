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

A group's ``trend_share`` of its examples also gets a trend drawn over the
example itself (:func:`add_window_trends`). The generator writes its trends
over the whole generated series, hundreds of seasons long, so the window an
example keeps (20 years, 10 years of months) barely sees them: in 4,000
monthly examples the drift baseline was clearly the best on the history (less
than half the next baseline's error) in 41. Real yearly, quarterly and
monthly series often double within the history a forecaster is given. A
group's ``cycle_share`` of its series are quasi-cycles instead (the
generator's kind ``"cycle"``). Both are 0 in :data:`GROUPS`: the shipped
weights were trained without them (their screenings and full run are in
``benchmarks/results/bench_window_trends.md`` and ``bench_corpus_cycles.md``).
"""

from typing import NamedTuple

import numpy as np

from ..synthetic import generate

__all__ = ["GROUPS", "H_MAX", "Group", "Examples", "add_window_trends", "draw_examples",
           "draw_corpus"]

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
    trend_share : float
        Share of the examples given a trend over their own window
        (:func:`add_window_trends`); 0 draws nothing more, so that runs
        without it reproduce those from before it.
    cycle_share : float
        Share of the generated series replaced by quasi-cycles (the
        generator's kind ``"cycle"``); 0 draws nothing more.
    """

    name: str
    freq: str | None
    m: int
    context: int
    min_context: int
    m2: int = 0
    history: int = 0
    trend_share: float = 0.0
    cycle_share: float = 0.0

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
# Window trends (add_window_trends): the additive slope per season is beta
# times the example's typical seasonal difference, |beta| log-uniform in
# TREND_BETA; EXPONENTIAL_SHARE of the trended examples whose kept history is
# above 0 grow or shrink exponentially instead, by a log-change over the kept
# history of |g| uniform in TREND_GROWTH; DAMPED_SHARE of the trended examples
# have their trend die out after the origin (factor phi per step, phi uniform
# in TREND_DAMPING), which the history cannot show: trends do break.
TREND_BETA = (0.1, 3.0)
EXPONENTIAL_SHARE = 0.25
TREND_GROWTH = (0.2, 1.5)
DAMPED_SHARE = 0.25
TREND_DAMPING = (0.5, 0.95)
# Examples with more zeros than this share in their kept history (count-like
# demand) get no trend.
MOSTLY_ZERO = 0.3


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
    """Series of one group: most without missing steps, some with; a share
    ``group.cycle_share`` of them (whichever) quasi-cycles instead."""
    holed = int(round(n_series * HOLED_SHARE))
    parts = [generate(n_series - holed, length, seed=rng, freq=group.freq).values]
    if holed:
        parts.append(generate(holed, length, seed=rng, freq=group.freq,
                              missing=HOLED_MISSING).values)
    values = np.concatenate(parts)
    if group.cycle_share > 0:
        cycled = np.flatnonzero(rng.random(n_series) < group.cycle_share)
        if cycled.size:
            values[cycled] = generate(cycled.size, length, seed=rng, freq=group.freq,
                                      kinds="cycle").values
    return values


def _trend_time(kept, L, damping):
    """Time along each example's trend, shape (n, L + H_MAX): 0 at the first
    kept value, one per step up to the origin, then sum_{j <= p + 1} phi^j
    after it (p + 1 without damping, phi = 1)."""
    p = np.arange(-L, H_MAX)[None, :]
    before = (p + kept[:, None]).astype(np.float64)
    phi = damping[:, None]
    steps = np.maximum(p + 1, 0)
    ahead = np.where(phi < 1, phi * (1 - phi ** steps) / np.where(phi < 1, 1 - phi, 1), steps)
    return np.where(p < 0, before, kept[:, None] - 1 + ahead)


def add_window_trends(windows, kept, m, share, rng):
    """Give ``share`` of the examples a trend over their own window.

    Parameters
    ----------
    windows : ndarray of shape (n, L + H_MAX)
        History windows followed by their futures; changed in place.
    kept : ndarray of int, shape (n,)
        Values of each history window that the example keeps (the last ones).
    m : int
        The group's seasonal period (1: none).
    share : float
        Share of the examples drawn for a trend.
    rng : numpy.random.Generator

    Notes
    -----
    The trend is written in units of the example's kept history: the additive
    slope per step is ``beta * d / m``, with d the mean absolute seasonal
    difference (lag m, lag 1 without a season) of the kept history, so that
    |beta| = 1 adds per season as much as the series' own seasonal noise;
    an exponential trend multiplies the window by ``exp(g tau / kept)``,
    ``tau`` the trend time of :func:`_trend_time`. Examples with no
    variation, no values or mostly zeros are left as they are, and so are
    those above 0 whose additive trend would take a value to 0 or below.
    """
    n, width = windows.shape
    L = width - H_MAX
    m = max(int(m), 1)
    drawn = rng.random(n) < share
    beta = rng.choice([-1.0, 1.0], n) * np.exp(rng.uniform(*np.log(TREND_BETA), n))
    exponential = rng.random(n) < EXPONENTIAL_SHARE
    growth = rng.choice([-1.0, 1.0], n) * rng.uniform(*TREND_GROWTH, n)
    damping = np.where(rng.random(n) < DAMPED_SHARE, rng.uniform(*TREND_DAMPING, n), 1.0)
    history = np.where(np.arange(L)[None, :] >= (L - kept)[:, None], windows[:, :L], np.nan)
    with np.errstate(invalid="ignore"):
        seasonal_difference = np.abs(history[:, m:] - history[:, :-m])
        counted = np.isfinite(seasonal_difference).sum(axis=1)
        d = np.where(counted > 0, np.nansum(seasonal_difference, axis=1) / np.maximum(counted, 1),
                     0.0)
        observed = np.isfinite(history)
        zeros = np.sum(history == 0, axis=1) / np.maximum(observed.sum(axis=1), 1)
        positive = np.all(~observed | (history > 0), axis=1)
    drawn &= (d > 0) & np.isfinite(d) & (zeros <= MOSTLY_ZERO)
    tau = _trend_time(kept, L, damping)
    rows = np.flatnonzero(drawn & exponential & positive)
    windows[rows] *= np.exp(growth[rows, None] * tau[rows] / kept[rows, None])
    rows = np.flatnonzero(drawn & ~(exponential & positive))
    trended = windows[rows] + (beta[rows] * d[rows] / m)[:, None] * tau[rows]
    # A series above 0 stays above 0 (a falling line would take sales below it).
    with np.errstate(invalid="ignore"):
        crossing = positive[rows] & np.any(trended <= 0, axis=1)
    windows[rows[~crossing]] = trended[~crossing]
    return windows


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
    draw = rng.random(n_examples)
    kept = np.where(draw < SHORT_SHARE, rng.integers(group.min_context, C, n_examples), L)
    if L > C:
        partial = (draw >= SHORT_SHARE) & (draw < SHORT_SHARE + PARTIAL_SHARE)
        kept = np.where(partial, rng.integers(C, L + 1, n_examples), kept)
    if group.trend_share > 0:
        add_window_trends(windows, kept, group.m, group.trend_share, rng)
    contexts, futures = windows[:, :L].copy(), windows[:, L:].copy()
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
