"""Reading the user's CSV file into a series, and saying what was read.

Every cell is read as text and converted here, so that no cell silently
becomes a missing value: a value is missing only when its cell is empty or a
missing marker (NA, NaN, null, ...); any other cell that does not read as a
number stops the command with its line, its text and the option that reads
it. Line numbers are those of the file, counting the header as line 1.

The rules for time (the README's "Command line" section says them too):

- **Dates.** ISO 8601 (``2024-01-31``, ``2024-01-31T13:00``) is read as such.
  Other numeric dates are read day-first or month-first, whichever reads
  every row, with a note saying which; when both do (no day above 12), the
  command stops and asks for ``--dayfirst`` or ``--date-format`` rather
  than guess.
- **Unix time.** ``--date-format %s`` reads numbers as Unix time in UTC:
  seconds, or milliseconds, microseconds or nanoseconds when they are too
  large to be seconds (1e11 seconds is the year 5138); a note says which.
- **Spreadsheet serial dates.** ``--date-format serial`` reads numbers as
  days since 1899-12-30 (a cell a spreadsheet saved as a number, not a
  date), the fraction the time of day, to the nearest second.
- **UTC offsets.** One offset throughout is kept. Offsets that change
  (daylight saving time) are converted to UTC when the data steps are
  shorter than a day, so that every hour appears once and none is skipped;
  for daily or longer steps the offsets are dropped and the local dates kept.
- **Gaps.** On a regular grid (the ``--freq`` given, else the frequency
  pandas infers, else months, quarters or years when each holds one
  timestamp, else the most common step when every step is a whole number of
  it) missing timestamps are inserted as missing values, which the
  forecaster treats as missing steps. Business-day calendars (``--freq B``,
  ``C``, ``bh``, ``cbh``) read the rows as consecutive steps instead: a
  weekday without a row is a market holiday, not a missing observation.
- **Drifting clocks.** Timestamps a few seconds off a round step (a
  logger at 01:00:03, 02:00:01, ...) are read at the nearest step when none
  is off by more than a tenth of a step and no two share one, with a note:
  the step ``--freq`` gives, else the round step (1s to 12h) within 5% of
  the median step.
- **One value per month on varying days** (the 15th, the last business day;
  so too per quarter or year): each is dated the first day of its month
  (with ``--freq ME``, the last), with a note, so that the months form a
  grid.
- **Order.** Rows out of time order are sorted (with a note); a timestamp on
  two rows is an error. When a column the command does not read splits the
  repeated timestamps into series (a store id in a long file), the error
  says so and names ``--id-column``, which reads such a file (:mod:`.panel`).
- **Future covariates** (``--future-covariates promo,price``): columns whose
  values are known ahead. The rows after the last value of the target, the
  target empty and those columns filled, are the steps to forecast; they
  must cover the horizon.
"""

import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .grid import in_time_order, on_grid
from .messages import LINES, CLIError, quote, when
from .timestamps import parse_timestamps

__all__ = ["CLIError", "FileData", "add_reading_arguments", "date_and_target", "parse_numbers",
           "read_file", "read_series", "read_table", "split_future", "without_empty_columns"]

# pandas' default missing markers (read_csv's na_values), compared lower-case.
_MISSING_MARKERS = frozenset([
    "", "na", "n/a", "nan", "-nan", "null", "none", "<na>", "#n/a", "#na", "#n/a n/a",
    "1.#ind", "-1.#ind", "1.#qnan", "-1.#qnan",
])


def add_reading_arguments(parser):
    """The options of ``parser`` that say how to read the file."""
    parser.add_argument("file", help="CSV file: a timestamp column (the first one unless "
                                     "--date-column says) and value columns")
    parser.add_argument("--target", help="the column to forecast (needed with several columns)")
    parser.add_argument("--id-column", metavar="COL",
                        help="a file of many series in long form: the column naming the "
                             "series of each row (e.g. unique_id); a model is fitted to "
                             "each series alone wherever one is trained")
    parser.add_argument("--wide", action="store_true",
                        help="a file of many series in wide form: every value column but "
                             "the --future-covariates is a series of its own (a column per "
                             "store or sensor); fitted as with --id-column")
    models = parser.add_mutually_exclusive_group()
    models.add_argument("--separate-models", action="store_true",
                        help="with --id-column or --wide: a model for each series alone, "
                             "also where the pretrained network forecasts (its intervals "
                             "from each series' own errors)")
    models.add_argument("--global-model", action="store_true",
                        help="with --id-column or --wide: one model trained on all the "
                             "series (faster on many series; less accurate on series unlike "
                             "each other)")
    parser.add_argument("--future-covariates", type=_column_list, default=[],
                        metavar="COL[,COL...]",
                        help="columns whose future values are known (calendar, holidays, "
                             "planned prices); the rows after the last target value, the "
                             "target left empty, give their values at the steps forecast")
    parser.add_argument("--freq",
                        help="the step of the series, e.g. h, 30min, D, MS; missing "
                             "timestamps on it become missing values. B (business days) "
                             "reads the rows as consecutive trading days")
    reading = parser.add_argument_group("reading the file")
    reading.add_argument("--sep", default=",",
                         help="field separator (default ,), e.g. ';' or tab")
    reading.add_argument("--decimal", default=".",
                         help="decimal mark of the values (default .), e.g. ,")
    reading.add_argument("--thousands",
                         help="thousands separator of the values, e.g. , or . (default: none)")
    reading.add_argument("--date-column",
                         help="the column holding the timestamps (default: the first)")
    reading.add_argument("--dayfirst", action="store_true",
                         help="read dates such as 01/02/2024 day first (1 February)")
    reading.add_argument("--date-format",
                         help="strftime format of the timestamps, e.g. '%%d.%%m.%%Y %%H:%%M'; "
                              "%%s: Unix time (seconds since 1970 UTC; milliseconds and "
                              "finer are told by their size); serial: a spreadsheet's serial "
                              "dates (days since 1899-12-30)")
    reading.add_argument("--encoding", default="utf-8-sig",
                         help="text encoding (default utf-8, with or without a byte-order "
                              "mark), e.g. latin-1 or cp1252")


def _column_list(text):
    return [name.strip() for name in text.split(",") if name.strip()]


@dataclass
class FileData:
    """What the command read: the series ``y``, its future covariates over
    the same rows ``X`` and at the steps to forecast ``X_future`` (both None
    without ``--future-covariates``), and notes for the report."""

    y: pd.Series
    X: pd.DataFrame = None
    X_future: pd.DataFrame = None
    notes: list = field(default_factory=list)


def read_file(args):
    """The series and future covariates the command forecasts, from ``args.file``.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed command line (``file``, ``target``, ``freq``,
        ``future_covariates``, ``horizon`` and the reading options).

    Returns
    -------
    data : FileData

    Raises
    ------
    CLIError
        As :func:`read_series`; and when the rows after the last target
        value do not give every future covariate for ``args.horizon`` steps.
    """
    names = list(args.future_covariates)
    if not names:
        y, notes = read_series(args)
        return FileData(y, notes=notes)
    frame, notes = _read_frame(args, names)
    y, X, X_future = split_future(frame, args, notes)
    return FileData(y, X, X_future, notes)


def split_future(frame, args, notes, series=""):
    """The target (column 0 of ``frame``) up to its last value, the
    covariates over the same rows, and the covariates at the
    ``args.horizon`` rows after it, which must all have a value; a note
    when more rows follow. ``series``: how messages name the series
    (``"series 'b': "``), empty for the file's one series."""
    target = frame.columns[0]
    observed = np.flatnonzero(frame.iloc[:, 0].notna().to_numpy())
    if len(observed) == 0:
        raise CLIError(f"{series or args.file + ': '}column {target!r} has no value")
    cut = observed[-1] + 1
    history, ahead = frame.iloc[:cut], frame.iloc[cut:]
    names = ",".join(frame.columns[1:])
    if len(ahead) < args.horizon:
        raise CLIError(
            f"{series}--future-covariates {names}: {'the file' if not series else 'it'} has "
            f"{len(ahead)} rows after the last value of {target!r} ({when(history.index[-1])}); "
            f"forecasting {args.horizon} steps needs their values on {args.horizon} rows "
            f"there, with {target!r} left empty"
        )
    ahead = ahead.iloc[:args.horizon, 1:]
    holes = ahead.isna().to_numpy()
    if holes.any():
        row, col = np.argwhere(holes)[0]
        raise CLIError(
            f"{series}--future-covariates: {ahead.columns[col]!r} has no value at "
            f"{when(ahead.index[row])}, one of the {args.horizon} steps to forecast; fill "
            "it (a covariate known ahead needs a value at every step forecast)"
        )
    if len(frame) - cut > args.horizon:
        notes.append(f"{len(frame) - cut} rows after the last value of {target!r}; the "
                     f"first {args.horizon} give the future covariates")
    return history.iloc[:, 0], history.iloc[:, 1:], ahead


def read_series(args):
    """The series the command forecasts, read from ``args.file``.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed command line (``file``, ``target``, ``freq`` and the
        reading options added by :func:`add_reading_arguments`).

    Returns
    -------
    y : pandas Series of float
        Indexed by a DatetimeIndex, NaN where a value or a timestamp of the
        regular grid is missing.
    notes : list of str
        Lines for the report on what was read (dates read day-first, offsets
        converted, rows sorted, timestamps inserted).

    Raises
    ------
    CLIError
        When the file, a cell or an option does not read, with the fix.
    """
    frame, notes = _read_frame(args, [])
    return frame.iloc[:, 0], notes


def _read_frame(args, covariates):
    """The target and the ``covariates`` columns as a frame on its grid
    (the target first), and the notes."""
    notes = []
    table, lines = read_table(args)
    table = without_empty_columns(table, notes)
    date_column, target = date_and_target(table, args, covariates)
    index = parse_timestamps(table[date_column], lines, args, date_column, notes)
    if not index.is_unique:
        _check_one_series(table, index, args.file, date_column, [target, *covariates])
    frame = pd.DataFrame({name: parse_numbers(table[name], lines, args, name)
                          for name in [target, *covariates]},
                         index=index.rename(date_column))
    frame, lines = in_time_order(frame, lines, notes)
    return on_grid(frame, lines, args.freq, notes), notes


# --------------------------------------------------------------------------- #
# The table
# --------------------------------------------------------------------------- #
def read_table(args):
    """Every cell as stripped text, without the blank lines, and the file's
    line number of each row."""
    path = args.file
    sep = {"\\t": "\t", "tab": "\t"}.get(args.sep, args.sep)
    _check_marks(args)
    try:
        with warnings.catch_warnings():
            # pandas drops the extra fields of a row longer than the header
            # with only this warning: an error here, as the data is lost.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False,
                                na_filter=False, skip_blank_lines=False, index_col=False,
                                encoding=args.encoding)
    except FileNotFoundError:
        raise CLIError(f"{path}: no such file") from None
    except UnicodeDecodeError as error:
        raise CLIError(f"{path}: not {args.encoding} text ({error}); pass its encoding, "
                       "e.g. --encoding latin-1 or --encoding cp1252") from None
    except LookupError:
        raise CLIError(f"--encoding {args.encoding!r} is not a known encoding; use e.g. "
                       "utf-8, latin-1 or cp1252") from None
    except (pd.errors.ParserError, pd.errors.ParserWarning) as error:
        raise CLIError(
            f"{path}: the rows do not have as many fields as the header when split at "
            f"{sep!r} ({error}). If the fields are separated by another mark, say which, "
            "e.g. --sep ';'; values with a decimal comma in a comma-separated file must "
            "be quoted"
        ) from None
    except pd.errors.EmptyDataError as error:
        raise CLIError(f"{path}: not a readable CSV file ({error})") from None
    frame = frame.apply(lambda column: column.str.strip())
    frame.columns = [str(name).strip() for name in frame.columns]
    # Physical lines, as an editor numbers them: the header is line 1 and
    # blank lines are kept until here so that the count stays right.
    lines = np.arange(len(frame)) + 2
    filled = (frame != "").any(axis=1).to_numpy()
    if not filled.any():
        raise CLIError(f"{path}: has a header but no data rows")
    return frame[filled].reset_index(drop=True), lines[filled]


def without_empty_columns(table, notes):
    """``table`` without the columns that have neither a header nor a value
    (a spreadsheet's trailing separators: ``date,value,,``), with a note."""
    empty = [name for name in table.columns
             if name.startswith("Unnamed: ") and (table[name] == "").all()]
    if empty:
        notes.append(f"{len(empty)} empty column{'s' if len(empty) > 1 else ''} without a "
                     "header ignored")
    return table.drop(columns=empty)


def _check_one_series(table, index, path, date_column, read):
    """A CLIError for a file of several series in long form: a column the
    command does not read (not the dates, not in ``read``) whose values
    split the repeated timestamps into series of unique ones."""
    for name in table.columns:
        if name in (date_column, *read):
            continue
        ids = table[name].to_numpy()
        keys = pd.MultiIndex.from_arrays([ids, index])
        if keys.is_unique and 1 < len(set(ids)) < len(ids):
            series = list(dict.fromkeys(ids))
            shown = ", ".join(repr(i) for i in series[:3]) + (", ..." if len(series) > 3 else "")
            raise CLIError(
                f"{path} holds several series in long form: column {name!r} names "
                f"{len(series)} series ({shown}), each with its own timestamps: pass "
                f"--id-column {name} to forecast every one of them, or keep the rows of "
                f"one series in the file"
            )


def _check_marks(args):
    for option, mark in (("--sep", args.sep), ("--decimal", args.decimal),
                         ("--thousands", args.thousands)):
        if mark is not None and (mark == "" or (option != "--sep" and len(mark) != 1)):
            raise CLIError(f"{option} must be one character; got {mark!r}")
    if args.decimal == args.thousands:
        raise CLIError(f"--decimal and --thousands must differ; both are {args.decimal!r}")


def date_and_target(frame, args, covariates=()):
    """The date column and the target column of the table (``covariates``:
    other columns the command reads, checked here)."""
    path = args.file
    columns = list(frame.columns)
    date_column = columns[0] if args.date_column is None else args.date_column
    if date_column not in columns:
        raise CLIError(f"--date-column {date_column!r} is not a column of {path}; the "
                       f"columns are {columns}")
    for name in covariates:
        if name not in columns or name in (date_column, args.target):
            raise CLIError(f"--future-covariates {name!r} is not a value column of {path}; "
                           f"the columns are {columns}" + (
                               f" and {name!r} is the target" if name == args.target else ""))
    value_columns = [name for name in columns if name != date_column]
    candidates = [name for name in value_columns if name not in covariates]
    if not value_columns:
        hint = next((f"; its fields look separated by {mark!r}: pass --sep {mark!r}"
                     for mark in (";", "\t", "|") if mark in columns[0]), "")
        raise CLIError(f"{path}: needs a timestamp column and at least one value column"
                       f"{hint}")
    target = args.target
    if target is None:
        if not candidates:
            raise CLIError(f"{path} has no value column left to forecast besides "
                           f"--future-covariates {covariates}; name it with --target COL")
        if len(candidates) > 1:
            raise CLIError(f"{path} has several value columns {candidates}; choose one "
                           "with --target COL, or forecast each as a series of its own with "
                           "--wide (a file of many series in long form: name the column of "
                           "their ids with --id-column COL)")
        target = candidates[0]
    if target not in value_columns:
        raise CLIError(f"--target {target!r} is not a column of {path}; the columns are "
                       f"{columns}")
    return date_column, target


def _number_pattern(decimal, thousands):
    """A whole cell holding a number with this decimal mark and, if given,
    thousands separator in groups of three."""
    mark = re.escape(decimal)
    integer = r"\d+"
    if thousands is not None:
        integer = rf"(?:\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+|\d+)"
    return re.compile(rf"[+-]?(?:{integer}(?:{mark}\d*)?|{mark}\d+)(?:[eE][+-]?\d+)?")


def parse_numbers(column, lines, args, name):
    """The values of ``column`` as floats: NaN for the missing markers, a
    CLIError naming every other cell that is not a number."""
    texts = column.to_numpy(dtype=object)
    missing = column.str.lower().isin(_MISSING_MARKERS).to_numpy()
    pattern = _number_pattern(args.decimal, args.thousands)
    numeric = np.array([pattern.fullmatch(text) is not None for text in texts])
    bad = np.flatnonzero(~missing & ~numeric)
    if len(bad):
        raise CLIError(
            f"{args.file}: column {name!r} has cells that are not numbers: "
            f"{quote(texts, lines, bad)} ({LINES}). {_number_hint(texts[bad], args)}"
        )
    plain = column.where(~missing, "nan")
    if args.thousands is not None:
        plain = plain.str.replace(args.thousands, "", regex=False)
    return plain.str.replace(args.decimal, ".", regex=False).astype(float).to_numpy()


# The marks a hint may suggest for cells that are not numbers, simplest first.
_NUMBER_MARKS = (("--decimal ,", ",", None),
                 ("--thousands ,", ".", ","),
                 ("--decimal , --thousands .", ",", "."),
                 ("--decimal , --thousands ' '", ",", " "))


# Signs that cells of numbers may carry (currencies, percent), which are no
# part of the number: the error names them rather than guessing what they meant.
_SIGNS = "$€£¥%"


def _number_hint(bad, args):
    """The options that would read the cells ``bad``; both readings when two
    options read every cell but to different numbers ('10,069': 10069 with
    --thousands , and 10.069 with --decimal ,); the sign to remove when every
    cell carries one ('$5.20'); or what else to do."""
    readings = _readings(bad, args)
    if readings:
        return f"If these are numbers, {_read_with(readings, bad)}"
    for sign in _SIGNS:
        if not all(sign in text for text in bad):
            continue
        bare = [text.replace(sign, "").strip() for text in bad]
        plain = _number_pattern(args.decimal, args.thousands)
        if all(plain.fullmatch(text) for text in bare):
            then = "."
        else:
            readings = _readings(bare, args)
            if not readings:
                continue
            then = f", then {_read_with(readings, bare)}"
        return (f"Every one of these cells carries {sign!r}, which is not part of a "
                "number: remove it from the column (a search and replace, or a number "
                f"format without it){then}")
    return ("If these are numbers written with other marks, say which with --decimal "
            "and --thousands; if they mark missing values, leave the cells empty or "
            "write NA.")


def _readings(cells, args):
    """The numbers each option of ``_NUMBER_MARKS`` (other than the marks in
    use) reads ``cells`` as, where it reads every one: the numbers -> the
    simplest options reading them so."""
    readings = {}
    for options, decimal, thousands in _NUMBER_MARKS:
        if (decimal, thousands) == (args.decimal, args.thousands):
            continue
        pattern = _number_pattern(decimal, thousands)
        if all(pattern.fullmatch(text) for text in cells):
            values = tuple(_read_number(text, decimal, thousands) for text in cells)
            readings.setdefault(values, options)
    return readings


def _read_with(readings, cells):
    """How to read ``cells`` given their ``readings`` (see :func:`_readings`)."""
    if len(readings) == 1:
        return f"read them with: {next(iter(readings.values()))}"
    ways = " or ".join(f"{values[0]:g} with {options}" for values, options in readings.items())
    return f"say which marks they use: {cells[0]!r} reads {ways}"


def _read_number(text, decimal, thousands):
    """The number in ``text`` (which matches :func:`_number_pattern`)."""
    if thousands is not None:
        text = text.replace(thousands, "")
    return float(text.replace(decimal, "."))
