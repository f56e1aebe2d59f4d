"""The calendar of a forecast: which timestamps come next, and the season.

A :class:`Calendar` is resolved once from the training index (and the user's
``freq``). It answers three questions for :class:`~rnnforecast.RNNForecaster`:
the seasonal period behind ``window="auto"``, the timestamps of the next H
steps, and whether new observations continue the data seen so far.

Three kinds of index are supported:

- a DatetimeIndex with a frequency: ``index.freq``, else ``pd.infer_freq``,
  else the user's ``freq`` (for a business-day calendar with gaps such as
  trading days, where every timestamp lies on ``freq`` but some ``freq``
  steps are holidays; on other calendars a missing step is a missing
  observation, and the error says how to insert it);
- a PeriodIndex (sktime's default, ``to_period`` in pandas): its own
  frequency, every period present; the forecasts are indexed by the next
  periods;
- a RangeIndex, or an integer index with a constant step.
"""

import warnings

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from .._time_index import (BUSINESS_CALENDARS, drift_onto, grid_alias, nearest_round_step,
                           one_value_per_period, period_anchor, step_alias)

__all__ = ["Calendar", "infer_offset", "resolve_calendar", "resolve_calendars", "seasonal_period"]

# Seasonal period of one step of each kind of calendar offset, by the offset's
# rule code before any "-" anchor (pandas 2 and pandas 3 spellings).
_PER_YEAR = {
    **dict.fromkeys(["MS", "ME", "M", "BMS", "BME", "BM", "CBMS", "CBME", "CBM"], 12),
    **dict.fromkeys(["SMS", "SME", "SM"], 24),
    **dict.fromkeys(["QS", "QE", "Q", "BQS", "BQE", "BQ"], 4),
    **dict.fromkeys(["YS", "YE", "Y", "A", "AS", "BYS", "BYE", "BY", "BA", "BAS"], 1),
    "W": 52,
}
_BUSINESS_DAYS = {"B", "C"}
_DAY = pd.Timedelta(days=1)


def seasonal_period(offset):
    """Steps per season of a calendar offset; 1 when there is no obvious one.

    Monthly data: 12 (a year), quarterly 4, weekly 52, semi-monthly 24,
    business days 5 (a week), daily 7 (a week), intraday the steps per day
    (hourly 24, half-hourly 48, 15 minutes 96). A multiple of a step (``"2MS"``,
    ``"2h"``) divides the period when it can. Yearly data, other offsets and
    ``None`` (an integer index) give 1.

    Examples
    --------
    >>> from rnnforecast.forecasting.calendar import seasonal_period
    >>> from pandas.tseries.frequencies import to_offset
    >>> [seasonal_period(to_offset(f)) for f in ["MS", "QS-JAN", "D", "B", "h", "30min"]]
    [12, 4, 7, 5, 24, 48]
    """
    if offset is None:
        return 1
    code = offset.rule_code.split("-")[0]
    if code in _PER_YEAR:
        per_year = _PER_YEAR[code]
        return per_year // offset.n if per_year % offset.n == 0 and per_year > offset.n else 1
    if code in _BUSINESS_DAYS:
        return 5 if offset.n == 1 else 1
    try:
        step = pd.Timedelta(offset)
    except (TypeError, ValueError):
        return 1
    if step == _DAY:
        return 7
    if step < _DAY and _DAY % step == pd.Timedelta(0):
        return int(_DAY / step)
    return 1


def infer_offset(index):
    """``index.freq``, else ``pd.infer_freq`` as an offset, else None.

    pandas 3 warns that ``infer_freq`` will return an offset instead of a
    string; ``to_offset`` accepts both, so the warning is silenced here.
    """
    if index.freq is not None:
        return index.freq
    if len(index) < 3:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        if hasattr(pd.errors, "Pandas4Warning"):
            warnings.simplefilter("ignore", pd.errors.Pandas4Warning)
        try:
            inferred = pd.infer_freq(index)
        except (TypeError, ValueError):
            return None
    return None if inferred is None else to_offset(inferred)


def _follows(index, offset):
    """Whether each timestamp is the previous one plus ``offset``."""
    if len(index) < 2:
        return True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.PerformanceWarning)
        return bool((index[:-1] + offset).equals(index[1:]))


class Calendar:
    """Where the steps of a series lie in time.

    Parameters
    ----------
    offset : pandas DateOffset or None
        The step of a DatetimeIndex or PeriodIndex; None for an integer index.
    step : int or None
        The step of an integer index; None for a DatetimeIndex or PeriodIndex.
    regular : bool
        Whether every step of the training index is exactly one ``offset``
        (or ``step``) after the previous one. False for trading days with an
        explicit ``freq="B"``: holidays are missing steps of the calendar.
    name : hashable
        Name of the index, kept on the future index.
    periods : bool, default=False
        Whether the index is a PeriodIndex (of frequency ``offset``): the
        future is then the next periods.
    """

    def __init__(self, offset, step, regular, name=None, periods=False):
        self.offset = offset
        self.step = step
        self.regular = regular
        self.name = name
        self.periods = periods

    @property
    def freqstr(self):
        """The frequency's pandas alias (of a period for a PeriodIndex: "M",
        not the offset's "ME"); None for an integer index."""
        if self.offset is None:
            return None
        if self.periods:
            return _period_alias(self.offset)
        return self.offset.freqstr

    @property
    def season(self):
        return seasonal_period(self.offset)

    @property
    def sub_daily(self):
        """Whether a step is shorter than a day (hourly, half-hourly, minutes);
        False for an integer index and for offsets without a fixed length."""
        if self.offset is None:
            return False
        try:
            return pd.Timedelta(self.offset) < _DAY
        except (TypeError, ValueError):
            return False

    def steps_between(self, start, stop):
        """Steps of this calendar from the timestamp ``start`` to ``stop``
        (negative when ``stop`` comes first); both on the calendar."""
        if self.offset is None:
            return (stop - start) // self.step
        if self.periods:
            return (stop - start).n // self.offset.n
        early, late = sorted((start, stop))
        steps = len(pd.date_range(early, late, freq=self.offset)) - 1
        return steps if stop >= start else -steps

    def future(self, last, n_steps):
        """The ``n_steps`` timestamps after ``last``, as an index."""
        if self.offset is None:
            start = last + self.step
            return pd.RangeIndex(start, start + n_steps * self.step, self.step, name=self.name)
        if self.periods:
            return pd.period_range(start=last + 1, periods=n_steps, freq=self.offset,
                                   name=self.name)
        return pd.date_range(
            start=last + self.offset, periods=n_steps, freq=self.offset, name=self.name
        )

    def check_continues(self, last, new_index, argument):
        """Raise a ValueError unless ``new_index`` directly follows ``last``
        (a TypeError for periods after timestamps, or the reverse)."""
        if self.offset is not None and self.periods != isinstance(new_index, pd.PeriodIndex):
            fix = (f"{argument}.index = {argument}.index.to_period({self.freqstr!r})"
                   if self.periods else f"{argument}.index = {argument}.index.to_timestamp()")
            raise TypeError(
                f"{argument} is indexed by {type(new_index).__name__}, but the forecaster "
                f"was fitted on {'periods' if self.periods else 'timestamps'}; index it "
                f"the same way: {fix}."
            )
        expected = self.future(last, len(new_index))
        if self.regular and not new_index.equals(expected):
            position = int(np.flatnonzero(new_index != expected)[0])
            stamps = "periods" if self.periods else "timestamps"
            raise ValueError(
                f"{argument} must continue the data seen so far, which ends at {last}: "
                f"its {stamps} must be {expected[0]}, {self._next_name(expected)}... "
                f"(one {self._step_name()} apart); got {new_index[position]} at position "
                f"{position} where {expected[position]} was expected. Pass only the "
                "observations that come right after the data seen so far, in order, "
                "without gaps."
            )
        if not self.regular:
            # A calendar with gaps (trading days): each new timestamp must be
            # later than the last one and lie on the calendar.
            previous = pd.Index([last]).append(new_index[:-1])
            later = np.asarray(new_index > previous)
            on_calendar = np.array([self.offset.is_on_offset(t) for t in new_index])
            bad = ~(later & on_calendar)
            if bad.any():
                position = int(np.flatnonzero(bad)[0])
                raise ValueError(
                    f"{argument} must continue the data seen so far, which ends at "
                    f"{last}: its timestamps must be increasing, later than that and on "
                    f"freq={self.freqstr!r}; got {new_index[position]} at position "
                    f"{position}."
                )

    def _next_name(self, expected):
        return expected[1] if len(expected) > 1 else self.future(expected[0], 1)[0]

    def _step_name(self):
        return f"step of {self.step}" if self.offset is None else f"{self.freqstr!r} step"


def resolve_calendar(index, freq):
    """The :class:`Calendar` of a training index and the user's ``freq``.

    Parameters
    ----------
    index : DatetimeIndex, RangeIndex or integer Index
        Strictly increasing (checked before).
    freq : str, DateOffset or None
        The frequency asked for, or None to take the index's own.

    Raises
    ------
    ValueError
        If ``freq`` is not a pandas frequency, disagrees with the index's
        frequency, or is None for an index without a fixed frequency.
    TypeError
        If the index is neither datetime nor integer.
    """
    if isinstance(index, pd.DatetimeIndex):
        return _datetime_calendar(index, freq)
    if pd.api.types.is_integer_dtype(index.dtype):
        return _integer_calendar(index, freq)
    if isinstance(index, pd.PeriodIndex):
        return _period_calendar(index, freq)
    raise TypeError(
        f"y.index must be a DatetimeIndex, a PeriodIndex or a RangeIndex; got a "
        f"{type(index).__name__} of dtype {index.dtype}. Convert it, e.g. y.index = "
        "pd.to_datetime(y.index), or use y.reset_index(drop=True) for plain step numbers."
    )


def _to_offset(freq):
    try:
        offset = to_offset(freq)
        offset.rule_code  # a DateOffset(months=1) has none: pandas cannot name it
    except (TypeError, ValueError, NotImplementedError) as error:
        raise ValueError(
            f"freq={freq!r} is not a pandas frequency ({error or 'it has no alias'}); use "
            "an alias such as 'D', 'B', 'h', '30min', 'MS' or 'QS'."
        ) from error
    return offset


def _datetime_calendar(index, freq):
    own = infer_offset(index)
    if freq is None:
        if own is None:
            raise ValueError(
                "y.index has no fixed frequency: index.freq is None and pd.infer_freq "
                f"finds none, so the forecast timestamps are unknown. {_fix_hint(index)}"
            )
        return Calendar(own, None, True, index.name)
    offset = _to_offset(freq)
    if _follows(index, offset):
        return Calendar(offset, None, True, index.name)
    if own is not None:
        raise ValueError(
            f"freq={freq!r} does not match y.index, whose frequency is "
            f"{own.freqstr!r}; pass freq={own.freqstr!r} or leave freq=None."
        )
    off_calendar = [t for t in index if not offset.is_on_offset(t)]
    if off_calendar:
        raise ValueError(
            f"freq={freq!r} does not fit y.index: {off_calendar[0]!r} is not a "
            f"{offset.freqstr!r} timestamp ({len(off_calendar)} of {len(index)} are "
            "not). Pass the frequency the timestamps follow."
        )
    if not isinstance(offset, BUSINESS_CALENDARS):
        # Only a business-day calendar reads its rows as consecutive steps:
        # elsewhere a step without a row is a missing observation, and reading
        # past it would shift every cycle after it.
        grid = pd.date_range(index[0], index[-1], freq=offset)
        absent = grid[~grid.isin(index)]
        # Most rows two or more steps apart: freq is finer than the data.
        finer = ("" if np.median(np.diff(grid.get_indexer(index))) < 2 else
                 f" Most rows are two or more {offset.freqstr!r} steps apart, so freq="
                 f"{freq!r} may be finer than the data's step. {_fix_hint(index)}")
        raise ValueError(
            f"y.index lacks {len(absent)} of the {len(grid)} {offset.freqstr!r} timestamps "
            f"from its first to its last (the first lacking: {absent[0]!r}). Insert them as "
            f"missing values, which the forecaster reads as such: y = y.asfreq("
            f"{offset.freqstr!r}) (and X = X.reindex(y.index)). freq= reads rows as "
            "consecutive steps only on business-day calendars ('B', 'C', 'bh'), whose "
            f"missing days are holidays.{finer}"
        )
    return Calendar(offset, None, False, index.name)


def _period_alias(offset):
    """The period alias of a period frequency's offset ("M" for MonthEnd)."""
    return pd.period_range("2000-01-01", periods=1, freq=offset).freqstr


def _period_calendar(index, freq):
    """The calendar of a PeriodIndex: its own frequency, every period present."""
    own = index.freqstr
    if freq is not None:
        try:
            same = pd.PeriodDtype(freq) == index.dtype
        except (TypeError, ValueError, AttributeError):
            same = False
        if not same:
            raise ValueError(
                f"freq={freq!r} does not match y.index, a PeriodIndex of frequency "
                f"{own!r}, which sets the calendar itself; leave freq=None."
            )
    complete = pd.period_range(index[0], index[-1], freq=index.freq)
    if len(complete) != len(index):
        absent = complete[~complete.isin(index)]
        raise ValueError(
            f"y.index lacks {len(absent)} of the {len(complete)} {own!r} periods from its "
            f"first to its last (the first lacking: {absent[0]!r}). Insert them as missing "
            "values, which the forecaster reads as such: y = y.reindex(pd.period_range("
            f"y.index[0], y.index[-1], freq={own!r})) (and X = X.reindex(y.index))."
        )
    return Calendar(index.freq, None, True, index.name, periods=True)


def _fix_hint(index):
    """What to do about a DatetimeIndex without a frequency: insert its
    missing timestamps, or name its calendar (business days, months)."""
    steps = np.diff(index.asi8)
    if not len(steps):
        return "Pass freq= to say which calendar the forecast steps follow."
    step = pd.Timedelta(int(np.min(steps)), unit=index.unit)
    on_grid = bool(np.all(steps % int(np.min(steps)) == 0))
    weekdays = bool((index.day_of_week < 5).all())
    if step == _DAY and weekdays and on_grid:
        return ("Its timestamps are weekdays with gaps, as for trading days: "
                "RNNForecaster(freq='B') reads the rows as consecutive business days, or "
                "y = y.asfreq('D') inserts the missing days as missing values.")
    round_step = nearest_round_step(index)
    drifted = None if round_step is None else drift_onto(index, round_step)
    if drifted is not None:
        alias = round_step.freqstr
        return (f"Its timestamps lie up to {step_alias(drifted[2])} off a grid of {alias!r} "
                f"steps (a drifting clock): y.index = y.index.round({alias!r}) moves each to "
                f"its nearest step (then y = y.asfreq({alias!r}) inserts any missing step as "
                "a missing value).")
    period = one_value_per_period(index)
    if period is not None:
        code, start, _, name = period
        anchor, _ = period_anchor(index, period)
        if anchor is not None:
            return (f"Its timestamps are {name} {'starts' if anchor == start else 'ends'} "
                    f"with some missing: y = y.asfreq({anchor!r}) inserts them as missing "
                    "values, which the forecaster reads as such (and X = X.reindex(y.index)).")
        return (f"Its timestamps are one per {name} at most, not at an anchor "
                f"pandas names: y.index = y.index.to_period({code!r}) reads each "
                f"as its {name} (the forecasts then come as periods), or "
                f"y.index = y.index.to_period({code!r}).to_timestamp() moves each "
                f"to the start of its {name} (then y = y.asfreq({start!r}) "
                f"inserts any missing {name} as a missing value).")
    if on_grid and step < pd.Timedelta(days=28):
        alias = grid_alias(step, index)
        return (f"Its timestamps lie on a grid of {alias!r} steps with some missing: "
                f"y = y.asfreq({alias!r}) inserts them as missing values, which the "
                "forecaster reads as such (and X = X.reindex(y.index)).")
    return ("Pass freq= to say which calendar the forecast steps follow, or resample y "
            "to one, e.g. y.resample('h').mean().")


def _integer_calendar(index, freq):
    if freq is not None:
        raise ValueError(
            f"freq={freq!r} applies to a DatetimeIndex only; y has an integer index, "
            "whose step is taken from the index itself. Leave freq=None."
        )
    if isinstance(index, pd.RangeIndex):
        return Calendar(None, index.step, True, name=index.name)
    steps = np.unique(np.diff(np.asarray(index)))
    if len(steps) > 1:
        raise ValueError(
            f"y.index is an integer index with uneven steps {steps[:3].tolist()}...; "
            "it must step evenly (use a RangeIndex, e.g. y.reset_index(drop=True))."
        )
    step = int(steps[0]) if len(steps) else 1
    return Calendar(None, step, True, name=index.name)


def _step_name(calendar):
    if calendar.offset is None:
        return f"an integer step of {calendar.step}"
    return f"{'periods of ' if calendar.periods else ''}freq {calendar.freqstr!r}"


def resolve_calendars(data, freq):
    """The :class:`Calendar` of each series of ``data`` (a
    :class:`.panel_inputs.SeriesData`); they must share one frequency.

    Raises
    ------
    ValueError, TypeError
        The single-series calendar errors, prefixed with the series id when
        there are many; a ValueError if two series step differently.
    """
    if data.single:
        return [resolve_calendar(data.indexes[0], freq)]
    ids = data.ids
    calendars = []
    for sid, index in zip(ids, data.indexes):
        try:
            calendars.append(resolve_calendar(index, freq))
        except (TypeError, ValueError) as error:
            raise type(error)(f"series {sid!r} of y: {error}") from error
    first = calendars[0]
    for sid, calendar in zip(ids, calendars):
        if ((calendar.offset, calendar.step, calendar.periods)
                != (first.offset, first.step, first.periods)):
            raise ValueError(
                f"all series of y must share one frequency: series {ids[0]!r} has "
                f"{_step_name(first)}, series {sid!r} has {_step_name(calendar)}. Fit "
                "one forecaster per frequency, or resample the series to one, e.g. "
                "series.resample('h').mean()."
            )
    return calendars
