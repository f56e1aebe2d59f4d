"""Reading the user's CSV file into a series."""

import warnings

import pandas as pd

__all__ = ["CLIError", "add_reading_arguments", "read_series"]


class CLIError(Exception):
    """A problem with the user's file or arguments, reported without a traceback."""


def add_reading_arguments(parser):
    """The options of ``parser`` that say how to read the file."""
    parser.add_argument("file", help="CSV file: first column timestamps, then value columns")
    parser.add_argument("--target", help="the column to forecast (needed with several columns)")
    parser.add_argument("--freq",
                        help='calendar for an index without a fixed frequency, e.g. "B"')


def read_series(args):
    """The series the command forecasts, read from ``args.file`` as the
    reading options of ``args`` say: ``(y, notes)``, ``y`` a float Series
    indexed by time, ``notes`` lines for the report on what was read."""
    return _read_series(args.file, args.target, args.freq), []


def _read_series(path, target, freq):
    try:
        with warnings.catch_warnings():
            # pandas warns when the first column holds no dates it recognises;
            # the check below says so to the user in our words.
            warnings.filterwarnings("ignore", message="Could not infer format")
            frame = pd.read_csv(path, index_col=0, parse_dates=[0])
    except FileNotFoundError:
        raise CLIError(f"{path}: no such file") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise CLIError(f"{path}: not a readable CSV file ({error})") from None
    if not isinstance(frame.index, pd.DatetimeIndex):
        raise CLIError(
            f"{path}: the first column must hold timestamps (e.g. 2024-01-31 or "
            f"2024-01-31 13:00); got values like {frame.index[:1].tolist()}"
        )
    if frame.shape[1] == 0:
        raise CLIError(f"{path}: needs a timestamp column and at least one value column")
    if target is None:
        if frame.shape[1] > 1:
            raise CLIError(
                f"{path} has several value columns {list(frame.columns)}; choose one "
                "with --target COL"
            )
        target = frame.columns[0]
    if target not in frame.columns:
        raise CLIError(f"--target {target!r} is not a column of {path}; the columns are "
                       f"{list(frame.columns)}")
    y = pd.to_numeric(frame[target], errors="coerce").astype(float)
    if freq is None and frame.index.freq is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            inferred = pd.infer_freq(frame.index) if len(frame) > 2 else None
        if inferred is not None:
            y = y.asfreq(inferred)
    return y
