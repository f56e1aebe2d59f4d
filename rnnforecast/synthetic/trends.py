"""Trends: linear, damped, exponential and piecewise linear with change points.

Every trend starts at ``level`` and is written in normalised time
:math:`u_t = t / T` (T the length), so a ``slope`` is the change over the whole
series in units of the level. With the default ranges every trend stays above
0.2 x its level, so a multiplicative season on top of it keeps its sign.
"""

import numpy as np

from ._arguments import (Component, check_count, check_panel, check_positive,
                         check_share, draw_or_fill)

__all__ = ["linear_trend", "damped_trend", "exponential_trend", "piecewise_linear_trend"]

# Largest change over a series drawn by default, in units of the level: the
# trend never falls below (1 - MAX_CHANGE) x level.
MAX_CHANGE = 0.8


def _time_and_rng(n_series, length, seed):
    n_series, length, rng = check_panel(n_series, length, seed)
    return n_series, np.arange(length) / length, rng


def _level(level, n_series):
    return np.full(n_series, 1.0 if level is None else check_positive(level, "level"))


def linear_trend(n_series, length, seed=None, *, level=None, slope=None):
    """Straight lines :math:`\\ell (1 + s\\, u_t)`.

    Parameters
    ----------
    n_series, length : int
        Number of series (rows) and steps (columns).
    seed : int, numpy.random.Generator or None
        Source of the random draws.
    level : float > 0, default 1
        Value at the first step.
    slope : float, default drawn from U(-0.8, 0.8) per series
        Change over the whole series, in units of the level.

    Returns
    -------
    Component
        ``values`` of shape (n_series, length) and ``params`` (``level``, ``slope``).

    Examples
    --------
    >>> from rnnforecast.synthetic import linear_trend
    >>> linear_trend(1, 4, slope=0.4).values
    array([[1. , 1.1, 1.2, 1.3]])
    """
    n_series, u, rng = _time_and_rng(n_series, length, seed)
    level = _level(level, n_series)
    slope = draw_or_fill(slope, n_series, lambda n: rng.uniform(-MAX_CHANGE, MAX_CHANGE, n))
    values = level[:, None] * (1 + slope[:, None] * u)
    return Component(values, {"level": level.tolist(), "slope": slope.tolist()})


def damped_trend(n_series, length, seed=None, *, level=None, change=None, damping=None):
    """Holt's damped trend: increments :math:`b \\phi^t` that shrink geometrically.

    :math:`y_t = \\ell + b \\sum_{k=1}^{t} \\phi^k
    = \\ell + b \\phi (1 - \\phi^t) / (1 - \\phi)`, with the initial increment
    :math:`b` set so the curve tends to :math:`\\ell (1 + c)` (c the ``change``).

    Parameters
    ----------
    n_series, length : int
        Number of series (rows) and steps (columns).
    seed : int, numpy.random.Generator or None
        Source of the random draws.
    level : float > 0, default 1
        Value at the first step.
    change : float, default drawn from U(-0.8, 0.8) per series
        Change the trend tends to, in units of the level.
    damping : float in (0, 1), default drawn from U(0.8, 0.99) per series
        :math:`\\phi`, the ratio of one step's increment to the previous one.

    Returns
    -------
    Component
        ``values`` and ``params`` (``level``, ``change``, ``damping``).

    Examples
    --------
    >>> from rnnforecast.synthetic import damped_trend
    >>> damped_trend(1, 5, change=1.0, damping=0.5).values.round(4)
    array([[1.    , 1.5   , 1.75  , 1.875 , 1.9375]])
    """
    n_series, u, rng = _time_and_rng(n_series, length, seed)
    level = _level(level, n_series)
    change = draw_or_fill(change, n_series, lambda n: rng.uniform(-MAX_CHANGE, MAX_CHANGE, n))
    if damping is not None and not 0 < check_share(damping, "damping") < 1:
        raise ValueError(f"damping={damping} must lie in (0, 1); pass e.g. damping=0.9.")
    damping = draw_or_fill(damping, n_series, lambda n: rng.uniform(0.8, 0.99, n))
    t = np.arange(u.size)
    # c (1 - phi^t): the share of the asymptotic change reached after t steps
    reached = 1 - damping[:, None] ** t
    values = level[:, None] * (1 + change[:, None] * reached)
    return Component(values, {"level": level.tolist(), "change": change.tolist(),
                              "damping": damping.tolist()})


def exponential_trend(n_series, length, seed=None, *, level=None, growth=None):
    """Exponential growth or decay :math:`\\ell \\exp(g\\, u_t)`.

    Parameters
    ----------
    n_series, length : int
        Number of series (rows) and steps (columns).
    seed : int, numpy.random.Generator or None
        Source of the random draws.
    level : float > 0, default 1
        Value at the first step.
    growth : float, default drawn from U(-1.5, 1.5) per series
        Log-change over the whole series (1.5: the series ends 4.5x higher).

    Returns
    -------
    Component
        ``values`` and ``params`` (``level``, ``growth``).

    Examples
    --------
    >>> import numpy as np
    >>> from rnnforecast.synthetic import exponential_trend
    >>> values = exponential_trend(1, 100, growth=np.log(2)).values
    >>> round(float(values[0, 50] / values[0, 0]), 4)   # half-way to doubling
    1.4142
    """
    n_series, u, rng = _time_and_rng(n_series, length, seed)
    level = _level(level, n_series)
    growth = draw_or_fill(growth, n_series, lambda n: rng.uniform(-1.5, 1.5, n))
    values = level[:, None] * np.exp(growth[:, None] * u)
    return Component(values, {"level": level.tolist(), "growth": growth.tolist()})


def piecewise_linear_trend(n_series, length, seed=None, *, level=None, n_changes=None):
    """Continuous piecewise-linear trends whose slope changes at change points.

    Change points fall uniformly in the middle 80% of the series; each segment's
    slope is drawn from U(-0.8, 0.8) (change per series length, in units of the
    level), so the trend stays above 0.2 x its level.

    Parameters
    ----------
    n_series, length : int
        Number of series (rows) and steps (columns); length >= 10.
    seed : int, numpy.random.Generator or None
        Source of the random draws.
    level : float > 0, default 1
        Value at the first step.
    n_changes : int >= 1, default drawn from {1, 2, 3} per series
        Number of change points.

    Returns
    -------
    Component
        ``values`` and ``params``: ``level``, ``change_points`` (a tuple of
        steps per series: the slope differs from step ``c`` on) and ``slopes``.

    Examples
    --------
    >>> from rnnforecast.synthetic import piecewise_linear_trend
    >>> trend = piecewise_linear_trend(2, 100, seed=0, n_changes=2)
    >>> trend.values.shape, [len(c) for c in trend.params["change_points"]]
    ((2, 100), [2, 2])
    """
    n_series, u, rng = _time_and_rng(n_series, length, seed)
    length = u.size
    if length < 10:
        raise ValueError(f"length={length} is too short for change points; pass length >= 10.")
    level = _level(level, n_series)
    if n_changes is None:
        counts = rng.integers(1, 4, n_series)
    else:
        counts = np.full(n_series, check_count(n_changes, "n_changes"))
    most = counts.max()
    # Unused change points go past the end, where they change nothing.
    points = np.sort(rng.integers(length // 10, length - length // 10, (n_series, most)), axis=1)
    points = np.where(np.arange(most) < counts[:, None], points, length)
    slopes = rng.uniform(-MAX_CHANGE, MAX_CHANGE, (n_series, most + 1))
    # y = level (1 + s_0 u + sum_j (s_j - s_{j-1}) max(u - u_j, 0)): continuous at each u_j
    shape = slopes[:, :1] * u
    for j, turn in enumerate(np.diff(slopes, axis=1).T):
        shape += turn[:, None] * np.maximum(u - points[:, j:j + 1] / length, 0)
    values = level[:, None] * (1 + shape)
    change_points = [tuple(int(p) for p in row[:k]) for row, k in zip(points, counts)]
    slopes = [tuple(row[:k + 1].tolist()) for row, k in zip(slopes, counts)]
    return Component(values, {"level": level.tolist(), "change_points": change_points,
                              "slopes": slopes})
