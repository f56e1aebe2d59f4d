"""The check of a time index that windowing and forecasting share, and the
calendar rules that the forecaster and the command line share: business-day
calendars, and timestamps that are one per month, quarter or year."""

import warnings

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

__all__ = ["BUSINESS_CALENDARS", "CALENDAR_PERIODS", "check_time_index", "drift_onto",
           "grid_alias", "nearest_round_step", "one_value_per_period", "period_anchor",
           "step_alias"]

# Period code, start alias, end alias and name of the calendar periods a
# timestamp off its anchor (the 15th of each month) is read in, coarsest first.
CALENDAR_PERIODS = (("Y", "YS", "YE", "year"), ("Q", "QS", "QE", "quarter"),
                    ("M", "MS", "ME", "month"))
_SHORTEST_MONTH = pd.Timedelta(days=28)
_DAY = pd.Timedelta(days=1)
# The round steps people set loggers to, which timestamps that drift by
# seconds around one of them are read on (see drift_onto).
_ROUND_STEPS = [pd.Timedelta(step) for step in (
    "1s", "2s", "5s", "10s", "15s", "30s", "1min", "2min", "5min", "10min", "15min", "20min",
    "30min", "1h", "2h", "3h", "4h", "6h", "12h")]
# The farthest a timestamp may lie from its step, as a share of the step.
_DRIFT = 0.1

# Calendars whose steps without a row are holidays, not missing observations:
# their rows are read as consecutive steps (prices on trading days).
BUSINESS_CALENDARS = (pd.offsets.BusinessDay, pd.offsets.CustomBusinessDay,
                      pd.offsets.BusinessHour, pd.offsets.CustomBusinessHour)


def check_time_index(index, argument, fixes=None):
    """A ValueError, naming ``argument`` and the fix, unless ``index`` is
    strictly increasing (one row per timestamp, in time order). ``fixes``:
    ``(sort, deduplicate)``, the fixes to name when ``index`` was cut from
    a long frame (``y.sort_index()`` rather than ``y['a'].sort_index()``)."""
    sort, deduplicate = fixes or (f"{argument}.sort_index()",
                                  f"{argument}.groupby(level=0).mean()")
    if not index.is_unique:
        duplicated = list(index[index.duplicated()].unique()[:3])
        raise ValueError(
            f"{argument}.index has duplicate timestamps {duplicated}; keep one row per "
            f"timestamp, e.g. {deduplicate}."
        )
    if not index.is_monotonic_increasing:
        try:
            position = int(np.flatnonzero(~(index[1:] > index[:-1]))[0]) + 1
            where = (f": {index[position]!r} at position {position} comes after "
                     f"{index[position - 1]!r}")
        except (TypeError, IndexError):  # values that do not compare
            where = ""
        raise ValueError(
            f"{argument}.index is not sorted in increasing time order{where}; sort it with "
            f"{sort}."
        )


def one_value_per_period(index):
    """The calendar period (one of :data:`CALENDAR_PERIODS`) that each
    timestamp of the DatetimeIndex ``index`` falls in alone, the coarsest,
    when most timestamps fall in consecutive periods; None when steps
    shorter than a month (28 days), fewer than 3 timestamps or a coarser
    calendar (one value every two months) leave no such reading. Monthly
    values dated on varying days (the 15th, the last business day) are one
    per month."""
    steps = np.diff(index.asi8)
    if len(steps) < 2 or pd.Timedelta(int(steps.min()), unit=index.unit) < _SHORTEST_MONTH:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # to_period drops a time zone
        for period in CALENDAR_PERIODS:
            periods = index.to_period(period[0])
            if periods.is_unique:
                return period if np.median(np.diff(periods.asi8)) < 2 else None
    return None


def period_anchor(index, period):
    """The alias of ``period`` (its start's or its end's, e.g. "MS" or "ME")
    on whose anchors every timestamp of ``index`` lies (at midnight), or
    None; and the period starts, as a naive DatetimeIndex."""
    code, start, end, _ = period
    naive = index if index.tz is None else index.tz_localize(None)
    periods = naive.to_period(code)
    starts = periods.to_timestamp()
    for alias, anchors in ((start, starts), (end, periods.to_timestamp(how="end").normalize())):
        if (naive == anchors).all():
            return alias, starts
    return None, starts


def grid_alias(step, index):
    """The frequency alias of a grid of fixed ``step`` (a Timedelta) on which
    the timestamps of ``index`` lie: ``W-MON`` for weeks when every
    timestamp is that weekday (a weekly calendar, whose season is a year),
    ``3D`` for whole days, else pandas' alias (``h``, ``30min``)."""
    if step == 7 * _DAY and index.day_of_week.nunique() == 1:
        return f"W-{index[0].day_name()[:3].upper()}"
    return step_alias(step)


def step_alias(step):
    """A fixed step (a Timedelta) as the alias that says it: ``D``, ``3D``
    for whole days (pandas would say ``72h``), else pandas' own (``h``,
    ``30min``, ``4s``)."""
    days = step // _DAY
    return to_offset(f"{days}D" if step == days * _DAY else step).freqstr


def nearest_round_step(index):
    """The round step (1s to 12h) within 5% of the median step of the
    DatetimeIndex ``index``, as an offset; None if none is."""
    median = pd.Timedelta(int(np.median(np.diff(index.asi8))), unit=index.unit)
    step = min(_ROUND_STEPS, key=lambda candidate: abs(candidate - median))
    return to_offset(step) if abs(step - median) <= 0.05 * step else None


def drift_onto(index, offset):
    """``(nearest, moved, largest)`` when the timestamps of ``index`` lie
    around the grid of the fixed step ``offset`` (counted from midnight), as
    a logger whose clock drifts by seconds writes them: some off it, none by
    more than a tenth of a step, no two nearest the same step. ``nearest``:
    the timestamps moved to their nearest step; ``moved``: how many moved;
    ``largest``: the largest shift. None otherwise (or for an offset without
    a fixed length, as months)."""
    try:
        step = pd.Timedelta(offset)
    except (TypeError, ValueError):
        return None
    nearest = index.round(step)
    shifts = (index - nearest).to_series().abs()
    largest = shifts.max()
    if largest == pd.Timedelta(0) or largest > _DRIFT * step or not nearest.is_unique:
        return None
    return nearest.rename(index.name), int((shifts > pd.Timedelta(0)).sum()), largest
