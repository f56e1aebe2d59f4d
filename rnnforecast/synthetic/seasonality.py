"""Seasonal patterns: random Fourier shapes whose coefficients and amplitude drift,
with periods given or drawn from real calendars.

A pattern of period P is

.. math:: s_t = A_t \\sum_{k=1}^{K} a_k(t) \\cos(2\\pi k t / P) + b_k(t) \\sin(2\\pi k t / P),

with :math:`a_k, b_k \\sim N(0, k^{-2})` (higher harmonics weaker: smooth shapes),
rescaled so the first cycle has unit variance. The coefficients move linearly
from one shape to a blend :math:`(1 - d)` old + :math:`d` fresh over the series
(shape drift d), and the amplitude is :math:`A_t = \\exp(g\\, t / T)`
(amplitude drift g).
"""

import numbers

import numpy as np
from pandas.tseries.frequencies import to_offset

from ._arguments import Component, check_choice, check_count, check_panel, check_share

__all__ = ["CALENDAR_PERIODS", "calendar_periods", "fitting_periods", "seasonal_pattern",
           "add_seasonality"]

# Periods of the cycles of real calendars, in steps of the data's frequency:
# quarterly and monthly years, business and calendar weeks, days of hours and
# half-hours, weeks of hours, years of days and weeks.
CALENDAR_PERIODS = (4, 5, 7, 12, 24, 48, 52.18, 168, 336, 365.25)

# Calendar offsets without a fixed duration: their cycles per step, by rule code
# before any "-" anchor (pandas 2 and 3 spellings).
_STEPS_PER_CYCLE = {
    **dict.fromkeys(["MS", "ME", "M", "BMS", "BME", "BM"], (12,)),
    **dict.fromkeys(["SMS", "SME", "SM"], (24,)),
    **dict.fromkeys(["QS", "QE", "Q", "BQS", "BQE", "BQ"], (4,)),
    **dict.fromkeys(["YS", "YE", "Y", "A", "AS", "BYS", "BYE", "BA"], ()),
    "W": (365.25 / 7,),
    "B": (5, 260.89),  # a week and a year of business days (365.25 * 5 / 7)
}
# Cycles of fixed-duration steps: an hour, a day, a week, a year, in seconds.
_CYCLE_SECONDS = (3600, 86400, 7 * 86400, 365.25 * 86400)
_MAX_HARMONICS = 6


def calendar_periods(freq):
    """The seasonal periods of a pandas frequency, in steps.

    Parameters
    ----------
    freq : str or pandas offset, or None
        A frequency such as ``"h"``, ``"D"``, ``"W"``, ``"MS"``; None gives
        :data:`CALENDAR_PERIODS`, those of all common calendars.

    Returns
    -------
    tuple of float
        The periods, shortest first: the hour, day, week and year cycles that
        span more than one step (for fixed steps), or the cycles of a calendar
        offset (months: 12, weeks: 52.18, ...). Yearly data has none.

    Examples
    --------
    >>> from rnnforecast.synthetic import calendar_periods
    >>> calendar_periods("h"), calendar_periods("MS"), calendar_periods("30min")[:3]
    ((24.0, 168.0, 8766.0), (12.0,), (2.0, 48.0, 336.0))
    """
    if freq is None:
        return CALENDAR_PERIODS
    try:
        offset = to_offset(freq)
    except (ValueError, TypeError) as error:
        raise ValueError(f"freq={freq!r} is not a pandas frequency ({error}); pass e.g. "
                         "freq='h', 'D', 'W' or 'MS'.") from None
    code = offset.rule_code.split("-")[0]
    if code in _STEPS_PER_CYCLE:
        return tuple(float(p / offset.n) for p in _STEPS_PER_CYCLE[code] if p / offset.n > 1)
    step = offset.nanos / 1e9
    return tuple(cycle / step for cycle in _CYCLE_SECONDS if cycle / step > 1)


def _draw_periods(rng, n_series, length, period, freq):
    if period is not None and np.ndim(period) == 0:
        if not isinstance(period, numbers.Real) or isinstance(period, bool) or not (
                2 <= period <= length):
            raise ValueError(f"period={period!r} must be a number in [2, length={length}]; "
                             "pass e.g. period=12.")
        return np.full(n_series, float(period))
    candidates = calendar_periods(freq) if period is None else tuple(period)
    # At least two cycles in the series, so the season can be seen and learned.
    fitting = fitting_periods(candidates, length)
    if not fitting:
        where = f"freq={freq!r}" if period is None else "period"
        raise ValueError(
            f"no seasonal period of {where} ({candidates}) fits twice in length={length}; "
            "pass a longer length or shorter periods, e.g. period=12.")
    return rng.choice(np.asarray(fitting, dtype=float), n_series)


def fitting_periods(candidates, length):
    """The periods of ``candidates`` in [2, length / 2]: seen at least twice.

    Parameters
    ----------
    candidates : sequence of float
        Seasonal periods, in steps (e.g. those of :func:`calendar_periods`).
    length : int
        Steps in the series.

    Returns
    -------
    tuple
        The candidates that fit, in their order and as given (not converted
        to float); empty when none fits.

    Examples
    --------
    >>> from rnnforecast.synthetic import fitting_periods
    >>> fitting_periods((7, 365.25), 100)
    (7,)
    """
    return tuple(p for p in candidates if 2 <= p <= length / 2)


def _unit_shapes(rng, n_series, n_harmonics):
    """Fourier coefficients (n_series, K) of shapes with unit variance; harmonics
    past a series' own count are zero."""
    k = np.arange(1, _MAX_HARMONICS + 1)
    cos, sin = rng.normal(0, 1 / k, (2, n_series, _MAX_HARMONICS))
    kept = k <= n_harmonics[:, None]
    cos, sin = cos * kept, sin * kept
    # variance of sum_k a_k cos + b_k sin over a cycle: sum_k (a_k^2 + b_k^2) / 2
    scale = np.sqrt((cos ** 2 + sin ** 2).sum(axis=1) / 2)[:, None]
    return cos / scale, sin / scale


def seasonal_pattern(n_series, length, seed=None, *, period=None, freq=None,
                     n_harmonics=None, shape_drift=None, amplitude_drift=None):
    """Zero-mean seasonal patterns whose shape and amplitude drift.

    Parameters
    ----------
    n_series, length : int
        Number of series (rows) and steps (columns).
    seed : int, numpy.random.Generator or None
        Source of the random draws.
    period : float >= 2, or sequence of them, default drawn per series
        Steps per cycle (need not be an integer: 52.18 weeks per year). A
        sequence is a set of candidates; by default the candidates are the
        :func:`calendar_periods` of ``freq``. Each series draws one among the
        candidates that fit at least twice in it.
    freq : str or None
        Frequency whose calendar gives the periods (None: all calendars).
    n_harmonics : int in [1, 6], default drawn per series
        Number of Fourier terms; by default from 1 to min(6, period / 2).
    shape_drift : float in [0, 1), default drawn from U(0, 0.5)
        Share of a fresh random shape blended in by the end of the series.
    amplitude_drift : float, default drawn from U(-0.7, 0.7)
        Log-change of the amplitude over the series.

    Returns
    -------
    Component
        ``values`` (the first cycle with unit variance) and ``params``
        (``period``, ``n_harmonics``, ``shape_drift``, ``amplitude_drift``).

    Examples
    --------
    >>> from rnnforecast.synthetic import seasonal_pattern
    >>> season = seasonal_pattern(3, 120, seed=0, period=12, shape_drift=0.0,
    ...                           amplitude_drift=0.0)
    >>> bool(abs(season.values[:, 12:] - season.values[:, :-12]).max() < 1e-9)
    True
    """
    n_series, length, rng = check_panel(n_series, length, seed, 4)
    periods = _draw_periods(rng, n_series, length, period, freq)
    nyquist = np.clip(np.floor(periods / 2), 1, _MAX_HARMONICS).astype(int)
    if n_harmonics is None:
        harmonics = rng.integers(1, nyquist + 1)
    else:
        check_count(n_harmonics, "n_harmonics")
        if n_harmonics > _MAX_HARMONICS:
            raise ValueError(f"n_harmonics={n_harmonics} is above {_MAX_HARMONICS}; pass "
                             f"n_harmonics <= {_MAX_HARMONICS}.")
        harmonics = np.full(n_series, n_harmonics)
    drift = (rng.uniform(0, 0.5, n_series) if shape_drift is None
             else np.full(n_series, check_share(shape_drift, "shape_drift")))
    growth = (rng.uniform(-0.7, 0.7, n_series) if amplitude_drift is None
              else np.full(n_series, float(amplitude_drift)))
    start = _unit_shapes(rng, n_series, harmonics)
    fresh = _unit_shapes(rng, n_series, harmonics)
    u = np.arange(length) / length
    blend = drift[:, None] * u  # weight of the fresh shape at each step
    angle = 2 * np.pi * np.arange(length) / periods[:, None]
    values = np.zeros((n_series, length))
    for j in range(_MAX_HARMONICS):
        if not (harmonics > j).any():
            break
        for first, last, wave in ((start[0], fresh[0], np.cos), (start[1], fresh[1], np.sin)):
            coefficient = first[:, j:j + 1] + (last[:, j:j + 1] - first[:, j:j + 1]) * blend
            values += coefficient * wave((j + 1) * angle)
    values *= np.exp(growth[:, None] * u)
    return Component(values, {"period": periods.tolist(), "n_harmonics": harmonics.tolist(),
                              "shape_drift": drift.tolist(),
                              "amplitude_drift": growth.tolist()})


def add_seasonality(base, pattern, strength, mode):
    """A seasonal pattern put on a base series, additively or multiplicatively.

    Additive: :math:`y_t = b_t + \\lambda\\, b_0\\, s_t` (a fixed amplitude, in
    units of the starting level :math:`b_0`); multiplicative:
    :math:`y_t = b_t (1 + \\lambda s_t)` (the amplitude follows the level).

    Parameters
    ----------
    base, pattern : ndarray of shape (n_series, length)
        The series (e.g. a trend) and the unit-variance pattern.
    strength : float or ndarray of shape (n_series,)
        :math:`\\lambda`, the pattern's standard deviation relative to the level.
    mode : {"additive", "multiplicative"}
        How the pattern is put on the base (see above).

    Returns
    -------
    ndarray of shape (n_series, length)
        The base with the seasonal pattern on it.

    Examples
    --------
    >>> import numpy as np
    >>> from rnnforecast.synthetic import add_seasonality
    >>> base, pattern = np.array([[1.0, 2.0]]), np.array([[1.0, 1.0]])
    >>> add_seasonality(base, pattern, 0.5, "additive")
    array([[1.5, 2.5]])
    >>> add_seasonality(base, pattern, 0.5, "multiplicative")
    array([[1.5, 3. ]])
    """
    check_choice(mode, "mode", {"additive", "multiplicative"})
    strength = np.reshape(np.asarray(strength, dtype=float), (-1, 1))
    if mode == "additive":
        return base + strength * base[:, :1] * pattern
    return base * (1 + strength * pattern)
