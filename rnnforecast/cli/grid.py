"""The rows of the user's file on a regular grid: time order, missing timestamps, business days.

See the rules in :mod:`.reading`.
"""

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from .._time_index import (BUSINESS_CALENDARS, CALENDAR_PERIODS, drift_onto, grid_alias,
                           nearest_round_step, one_value_per_period, period_anchor,
                           step_alias)
from .messages import LINES, SHOWN, CLIError, count, quote, when

__all__ = ["in_time_order", "on_grid"]

DAY = pd.Timedelta(days=1)


def in_time_order(y, lines, notes):
    """``(y, lines)`` sorted by time (with a note), or a CLIError for a
    timestamp on two rows."""
    index = y.index
    if not index.is_monotonic_increasing:
        later = np.flatnonzero(np.asarray(index[1:] < index[:-1]))[0] + 1
        notes.append(f"rows sorted into time order (line {lines[later]}, "
                     f"{when(index[later])}, came after {when(index[later - 1])})")
        order = np.argsort(index.asi8, kind="stable")
        y, lines = y.iloc[order], lines[order]
    duplicated = np.flatnonzero(y.index.duplicated(keep=False))
    if len(duplicated):
        first = y.index[duplicated[0]]
        on = [str(lines[p]) for p in duplicated if y.index[p] == first]
        raise CLIError(
            f"timestamp {when(first)} is on lines {', '.join(on)} ({len(duplicated)} rows share "
            f"a timestamp; {LINES}); keep one row per timestamp, e.g. their mean"
        )
    return y, lines


def _offset(freq):
    try:
        return to_offset(freq)
    except (TypeError, ValueError) as error:
        raise CLIError(
            f"--freq {freq!r} is not a pandas frequency ({error}); use e.g. --freq h "
            "(hourly), 30min, D (daily), B (business days), W, MS (month starts)"
        ) from None


def on_grid(y, lines, freq, notes):
    """``y`` on its regular grid, missing timestamps inserted as NaN; a
    business-day ``freq`` keeps the rows as they are (see the module's rules)."""
    # The forecaster's own inference, imported here: the package behind it
    # (scikit-learn) would double the time of "--help".
    from ..forecasting.calendar import infer_offset

    index = y.index
    if freq is None:
        inferred = infer_offset(index)
        if inferred is not None or len(index) < 3:
            return y if inferred is None else y.asfreq(inferred)
        period = one_value_per_period(index)
        offset = None if period is not None else nearest_round_step(index)
        drifted = None if offset is None else _drifted_onto(y, offset, notes)
        if period is not None:
            y, offset = _by_period(y, period, notes)
            how = f"one value per {period[3]} (--freq {offset.freqstr})"
        elif drifted is not None:
            y, how = drifted, f"the timestamps' step (--freq {offset.freqstr})"
        else:
            offset = _most_common_step(index)
            how = (f"no frequency fits the timestamps because of gaps; read on their most "
                   f"common step (--freq {offset.freqstr})")
    else:
        offset = _offset(freq)
        how = f"--freq {freq}"
        if isinstance(offset, BUSINESS_CALENDARS):
            return _on_business_calendar(y, lines, offset, freq, notes)
        y = _rolled_onto(y, offset, freq, notes)
        drifted = _drifted_onto(y, offset, notes)
        y = y if drifted is None else drifted
    index = y.index
    grid = pd.date_range(index[0], index[-1], freq=offset, name=index.name)
    off_grid = np.flatnonzero(~index.isin(grid))
    if len(off_grid):
        raise CLIError(
            f"{len(off_grid)} timestamps are not on the {how} grid that starts at "
            f"{when(index[0])}: {quote(index.map(when), lines, off_grid)} ({LINES}); pass "
            "the --freq the timestamps follow, or resample the file to one"
        )
    inserted = len(grid) - len(index)
    if inserted > len(index):
        raise CLIError(
            f"{how} would insert {inserted} missing timestamps among {len(index)} rows; "
            f"the most common step of the file is --freq {_most_common_step(index).freqstr}"
            ": pass the --freq the timestamps follow"
        )
    if inserted:
        absent = grid[~grid.isin(index)]
        shown = ", ".join(map(when, absent[:SHOWN])) + (", ..." if inserted > SHOWN else "")
        notes.append(f"{how}: {count(inserted, 'missing timestamp')} inserted as missing "
                     f"values ({shown})")
    return y.reindex(grid)


def _by_period(y, period, notes):
    """``(y, offset)``: one value per calendar ``period`` (see
    :data:`~rnnforecast._time_index.CALENDAR_PERIODS`) read on the grid of
    its starts, or of its ends when every timestamp is one; timestamps on
    other days are dated their period's start, with a note."""
    _, start, _, name = period
    index = y.index
    alias, starts = period_anchor(index, period)
    if alias is not None:
        return y, to_offset(alias)
    notes.append(f"one value per {name} on varying days ({when(index[0])}, "
                 f"{when(index[1])}, ...): each is dated the first day of its {name}")
    starts = starts if index.tz is None else starts.tz_localize(index.tz)
    return y.set_axis(starts.rename(index.name)), to_offset(start)


# --freq aliases of calendar periods: their name and whether they date a
# period by its start.
_PERIOD_ALIASES = {alias: (name, alias == start)
                   for _, start, end, name in CALENDAR_PERIODS for alias in (start, end)}


def _rolled_onto(y, offset, freq, notes):
    """``y`` with each timestamp dated the start (or end) of its --freq
    period, with a note, when the timestamps are one per month, quarter or
    year off that calendar's anchor (the 15th of each month with --freq
    MS); else ``y`` as it is."""
    index = y.index
    alias = offset.rule_code.split("-")[0]
    if (alias not in _PERIOD_ALIASES or offset.n != 1
            or all(offset.is_on_offset(t) for t in index)):
        return y
    name, by_start = _PERIOD_ALIASES[alias]
    roll = offset.rollback if by_start else offset.rollforward
    rolled = pd.DatetimeIndex([roll(t) for t in index], name=index.name).normalize()
    if not rolled.is_unique:
        return y  # several values in one period: the grid check says which are off it
    notes.append(f"--freq {freq}: the timestamps lie on other days ({when(index[0])}, "
                 f"{when(index[1])}, ...); each is dated the {'first' if by_start else 'last'} "
                 f"day of its {name}")
    return y.set_axis(rolled)


def _drifted_onto(y, offset, notes):
    """``y`` with each timestamp moved to the nearest step of ``offset``,
    with a note, when the timestamps drift around its grid (see
    :func:`~rnnforecast._time_index.drift_onto`); None otherwise."""
    drifted = drift_onto(y.index, offset)
    if drifted is None:
        return None
    nearest, moved, largest = drifted
    notes.append(f"{count(moved, 'timestamp')} up to {step_alias(largest)} off the --freq "
                 f"{offset.freqstr} grid (a drifting clock): each is read at its nearest step")
    return y.set_axis(nearest)


def _most_common_step(index):
    """The step most rows follow, as an offset, when it is also the shortest
    and every step is a whole number of it; else a CLIError asking for --freq."""
    steps = pd.Series(np.diff(index.asi8)).value_counts()
    shortest = int(steps.index.min())
    step = pd.Timedelta(shortest, unit=index.unit)
    regular = (steps[shortest] == steps.max()
               and all(int(s) % shortest == 0 for s in steps.index))
    shown = ", ".join(step_alias(pd.Timedelta(int(s), unit=index.unit)) for s in steps.index[:4])
    if not regular:
        raise CLIError(
            f"the timestamps have no fixed step (steps of {shown}); say which calendar "
            "they follow, e.g. --freq MS (first of the month), --freq W-SUN, --freq D or "
            "--freq h; missing timestamps on it become missing values"
        )
    if step == DAY and (index.day_of_week < 5).all():
        raise CLIError(
            f"the timestamps are weekdays with gaps (steps of {shown}), as for "
            "trading days: pass --freq B to read the rows as consecutive business days, "
            "or --freq D to insert the missing days as missing values"
        )
    return to_offset(grid_alias(step, index))


def _on_business_calendar(y, lines, offset, freq, notes):
    """Rows on a business-day calendar kept as consecutive steps."""
    off_calendar = np.flatnonzero([not offset.is_on_offset(t) for t in y.index])
    if len(off_calendar):
        raise CLIError(
            f"{len(off_calendar)} timestamps are not on the --freq {freq} calendar, e.g. "
            f"{quote(y.index.map(when), lines, off_calendar)} ({LINES}); pass the "
            "--freq the timestamps follow (D for every day)"
        )
    absent = len(pd.date_range(y.index[0], y.index[-1], freq=offset)) - len(y)
    if absent:
        notes.append(f"--freq {freq}: the rows are read as consecutive steps; the {absent} "
                     f"--freq {freq} steps without a row (e.g. holidays) are skipped, not "
                     "inserted as missing values")
    return y
