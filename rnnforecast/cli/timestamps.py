"""The timestamps of the user's file: ISO or day/month dates, formats, UTC offsets, Unix time.

See the rules in :mod:`.reading`.
"""

import datetime
import re
import warnings

import numpy as np
import pandas as pd
from pandas.tseries.api import guess_datetime_format

from .messages import LINES, SHOWN, CLIError, quote

__all__ = ["parse_timestamps"]

# A time of day followed by a UTC offset: "... 01:00+01:00", "...T01:00:00.5Z".
_OFFSET = re.compile(
    r"^(?P<wall>.*\d:\d\d(?::\d\d(?:\.\d+)?)?)\s*(?P<offset>Z|[+-]\d\d:?\d\d)$")
DAY = pd.Timedelta(days=1)


def parse_timestamps(column, lines, args, name, notes):
    """The DatetimeIndex of the date column (see the module's rules)."""
    texts = column.to_numpy(dtype=object)
    what = ("the first column" if args.date_column is None
            else f"column {name!r} (--date-column)")
    blank = np.flatnonzero(column == "")
    if len(blank):
        raise CLIError(f"{args.file}: {what} has no timestamp on "
                       f"{', '.join(f'line {lines[p]}' for p in blank[:SHOWN])}; every "
                       f"row needs one ({LINES})")
    parts = column.str.extract(_OFFSET)
    has_offset = parts["offset"].notna().to_numpy()
    if has_offset.any() and not has_offset.all():
        raise CLIError(f"{args.file}: some timestamps of {what} have a UTC offset and some "
                       f"do not, e.g. {quote(texts, lines, np.flatnonzero(~has_offset))}; "
                       f"give all or none an offset ({LINES})")
    wall_texts = parts["wall"] if has_offset.all() else column
    wall = _parse_wall_clock(wall_texts.reset_index(drop=True), lines, args, what, notes)
    if not has_offset.any():
        return wall
    return _apply_offsets(wall, parts["offset"].to_numpy(dtype=str), notes)


def _to_datetime(texts, **kwargs):
    with warnings.catch_warnings():
        # pandas warns when it infers a format per element or reads a day
        # first against dayfirst=False; the choice is made and said here.
        warnings.simplefilter("ignore", UserWarning)
        return pd.to_datetime(texts, errors="coerce", **kwargs)


# Unix time (``--date-format %s``): the unit by the size of the numbers. A
# number of seconds reaches 1e11 only in the year 5138, so larger numbers
# count milliseconds, then microseconds, then nanoseconds.
_UNIX_UNITS = ((1e11, "s", "seconds"), (1e14, "ms", "milliseconds"),
               (1e17, "us", "microseconds"), (np.inf, "ns", "nanoseconds"))
# Texts that look like Unix time in seconds or finer: 9 digits or more.
_UNIX_LIKE = re.compile(r"^\d{9,}(\.\d*)?$")
# Texts that look like spreadsheet serial dates (days since 1899-12-30, a
# fraction for the time of day): 5 digits, the years 1927 to 2173.
_SERIAL_LIKE = re.compile(r"^\d{5}(\.\d*)?$")
_SERIAL_EPOCH = pd.Timestamp("1899-12-30")


def _parse_unix(texts, lines, args, what, notes):
    """Unix time (``--date-format %s``), in UTC: seconds, or milliseconds,
    microseconds or nanoseconds by the size of the numbers."""
    numbers = pd.to_numeric(pd.Series(texts), errors="coerce")
    bad = np.flatnonzero(numbers.isna().to_numpy())
    if len(bad):
        raise CLIError(f"{args.file}: {what} must hold Unix times (numbers, --date-format "
                       f"%s); got {quote(texts, lines, bad)} ({LINES})")
    largest = float(numbers.abs().max())
    unit, name = next((unit, name) for limit, unit, name in _UNIX_UNITS if largest < limit)
    notes.append(f"timestamps read as Unix time in {name} (since 1970-01-01 UTC); the "
                 "forecast is in UTC")
    return pd.DatetimeIndex(pd.to_datetime(numbers.to_numpy(), unit=unit, utc=True))


def _parse_serial(texts, lines, args, what, notes):
    """A spreadsheet's serial dates (``--date-format serial``): days since
    1899-12-30 (Excel's and LibreOffice's epoch, right from 1 March 1900),
    the fraction the time of day, read to the nearest second (a serial
    written with 10 decimals is a few microseconds off its time)."""
    numbers = pd.to_numeric(pd.Series(texts), errors="coerce")
    bad = np.flatnonzero(numbers.isna().to_numpy())
    if len(bad):
        raise CLIError(f"{args.file}: {what} must hold a spreadsheet's serial dates (numbers "
                       f"of days, --date-format serial); got {quote(texts, lines, bad)} "
                       f"({LINES})")
    notes.append("timestamps read as a spreadsheet's serial dates (days since 1899-12-30, "
                 "the fraction the time of day)")
    days = pd.to_timedelta(numbers.to_numpy(), unit="D")
    return pd.DatetimeIndex(_SERIAL_EPOCH + days).round("s")


def _parse_wall_clock(texts, lines, args, what, notes):
    """The timestamps without their UTC offsets, naive (Unix time: UTC)."""
    if args.date_format == "%s":
        return _parse_unix(texts, lines, args, what, notes)
    if args.date_format == "serial":
        return _parse_serial(texts, lines, args, what, notes)
    if args.date_format:
        # Offsets are read apart from the format (see parse_timestamps).
        form = args.date_format.replace("%z", "").replace("%Z", "").strip()
        return _all_read(texts, _to_datetime(texts, format=form), lines, args,
                         f"{what} does not match --date-format {args.date_format!r}")
    iso = _to_datetime(texts, format="ISO8601")
    if iso.notna().all():
        return pd.DatetimeIndex(iso)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        form = guess_datetime_format(texts[0], dayfirst=args.dayfirst)
    readings = _day_month_readings(form)
    if readings is None:
        parsed = (_to_datetime(texts, dayfirst=args.dayfirst) if form is None
                  else _to_datetime(texts, format=form))
        return _all_read(texts, parsed, lines, args, f"{what} must hold timestamps "
                         "(e.g. 2024-01-31 or 2024-01-31 13:00)")
    parsed = {reading: _to_datetime(texts, format=form) for reading, form in readings.items()}
    if args.dayfirst:
        return _all_read(texts, parsed["day-first"], lines, args,
                         f"{what} does not read day-first ({readings['day-first']}, "
                         "--dayfirst)")
    complete = [reading for reading in readings if parsed[reading].notna().all()]
    if len(complete) == 2:
        raise CLIError(
            f"{args.file}: the dates of {what} read both day-first and month-first (every "
            f"day and month is 12 or less, e.g. {texts[0]!r}); say which: --dayfirst for "
            f"{readings['day-first']}, or --date-format '{readings['month-first']}'"
        )
    if not complete:
        fewest = min(readings, key=lambda reading: parsed[reading].isna().sum())
        return _all_read(texts, parsed[fewest], lines, args,
                         f"{what} must hold timestamps (read as {readings[fewest]})")
    chosen = complete[0]
    other = "month-first" if chosen == "day-first" else "day-first"
    witness = int(np.flatnonzero(parsed[other].isna())[0])
    notes.append(f"dates read {chosen} ({readings[chosen]}): {texts[witness]!r} on line "
                 f"{lines[witness]} reads no other way")
    return pd.DatetimeIndex(parsed[chosen])


def _day_month_readings(form):
    """``{"day-first": ..., "month-first": ...}`` formats for a guessed
    numeric date format that could be read either way, else None."""
    if form is None or "%d" not in form or "%m" not in form:
        return None
    if "%Y" in form and form.index("%Y") < min(form.index("%d"), form.index("%m")):
        return None  # year first: always year, month, day
    swapped = form.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")
    day_first, month_first = ((form, swapped) if form.index("%d") < form.index("%m")
                              else (swapped, form))
    return {"day-first": day_first, "month-first": month_first}


# At most this many last rows that are not dates read as a footer (totals,
# notes), below at least this many rows of dates.
_FOOTER_ROWS = 3
_ROWS_ABOVE_FOOTER = 10


def _all_read(texts, parsed, lines, args, problem):
    """``parsed`` as a DatetimeIndex, or a CLIError quoting the rows that did
    not read and the options that read dates."""
    bad = np.flatnonzero(pd.isna(parsed))
    footer = (0 < len(bad) <= _FOOTER_ROWS and bad[0] == len(texts) - len(bad)
              and bad[0] >= _ROWS_ABOVE_FOOTER)
    if footer:
        # Only the last rows, after every date read: a total or a note below the data.
        them = "it" if len(bad) == 1 else "them"
        raise CLIError(
            f"{args.file}: {problem}; got {quote(texts, lines, bad)} ({LINES}), below rows "
            f"whose dates all read: if {'that is' if len(bad) == 1 else 'those are'} a total "
            f"or a note under the data, delete {them} from the file"
        )
    if len(bad):
        raise CLIError(
            f"{args.file}: {problem}; got {quote(texts, lines, bad)} ({LINES}). Say how "
            "the dates are written with --date-format (e.g. '%d.%m.%Y %H:%M'), "
            "--dayfirst for 31/01/2024, or --date-column NAME if they are in another "
            f"column{_numbers_hint(texts)}"
        )
    return pd.DatetimeIndex(parsed)


def _numbers_hint(texts):
    """What a date column of plain numbers may hold, for its error: Unix time
    or a spreadsheet's serial dates ("" for other texts)."""
    if all(_UNIX_LIKE.match(str(text)) for text in texts):
        return ("; numbers such as these may be Unix time: --date-format %s reads them "
                "(seconds, or milliseconds and finer by their size)")
    if all(_SERIAL_LIKE.match(str(text)) for text in texts):
        return ("; numbers such as these may be a spreadsheet's serial dates (days since "
                "1899-12-30: 45292 is 2024-01-01): --date-format serial reads them")
    return ""


def _apply_offsets(wall, offsets, notes):
    """Timestamps with UTC offsets: kept when there is one offset, else in
    UTC (steps under a day) or local time (see the module's rules)."""
    minutes = [0 if o == "Z" else (-1 if o[0] == "-" else 1) * (int(o[1:3]) * 60
                                                                 + int(o[-2:]))
               for o in offsets]
    shifts = pd.to_timedelta(minutes, unit="min")
    if len(set(minutes)) == 1:
        return wall.tz_localize(datetime.timezone(datetime.timedelta(minutes=minutes[0])))
    utc = (wall - shifts).tz_localize("UTC")
    seen = sorted(set(offsets))
    # The step as written (wall clock) decides: 23 h and 25 h days across
    # DST are still daily data.
    if pd.Timedelta(int(np.median(np.diff(np.sort(wall.asi8)))), unit=wall.unit) < DAY:
        notes.append(f"timestamps have UTC offsets that change ({', '.join(seen)}: "
                     "daylight saving time); read in UTC, so every hour appears once, "
                     "and the forecast is in UTC")
        return utc
    notes.append(f"timestamps have UTC offsets that change ({', '.join(seen)}); the "
                 "offsets are dropped and the local dates kept")
    return wall
