"""``rnnforecast forecast FILE.csv --id-column ID``: a file of many series in long form.

A long file has a column naming the series of each row (``unique_id``,
``store``, ``sensor``), a timestamp column and a value column, as
statsforecast's and mlforecast's frames do (``unique_id, ds, y``). The
command reads each series by the rules of :mod:`.reading` (the timestamps of
all rows parsed together, then each series sorted and put on the grid: the
``--freq`` given, else the one inferred from the longest series), fits them
as ``RNNForecaster`` fits many series (a model to each series alone wherever
one is trained; ``--global-model``: ONE model of all of them;
``--separate-models``: a model each also where the pretrained network
forecasts; see its ``many_series``), backtests from the last origins of every
series and writes the forecasts of every series in long form.

With ``--future-covariates``, every series gives its covariates on its own
rows, and on the ``--horizon`` rows after its last value (the target left
empty there), as one series' file does.

``--wide`` reads a file of many series in wide form instead: a timestamp
column and a column per series (a store, a sensor), whose name is the
series' id; the ``--future-covariates`` columns, if any, are covariates of
every series. Each column is read as a series from its first value to its
last (a series that starts later or ends earlier leaves those cells empty);
with ``--future-covariates``, to the end of the file, whose rows after its
last value give the covariates at the steps forecast. The rest is as for a
long file, the forecasts written in long form (``series``, date).

Not with ``--id-column`` or ``--wide``: ``--training sequence`` (one series)
and ``--plot`` (one series).
"""

import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .backtest import backtest_phase, origin_errors
from .grid import in_time_order, on_grid
from .messages import LINES, SHOWN, CLIError, when
from .reading import (date_and_target, parse_numbers, read_table, split_future,
                      without_empty_columns)
from .report import forecast_alone, log_scale_note, season_note
from .timestamps import parse_timestamps

__all__ = ["PanelData", "backtest_and_fit", "backtest_panel", "describe", "fit_summary",
           "interval_table", "printed", "read_panel", "refuse_panel_options"]

# Series whose forecasts the report prints; --out writes them all.
PRINTED_SERIES = 3


# With --wide: the names of the columns of series ids and of values that
# the long form of the file has.
WIDE_ID, WIDE_VALUE = "series", "value"


@dataclass
class PanelData:
    """The series of a long file, ``{series id: Series}`` in the order of
    their first rows, each on the common grid; the names of the id, date
    and value columns; notes for the report; with ``--future-covariates``,
    each series' covariates over its rows and at the steps forecast (else
    None); and how the series are named, as the report says it."""

    series: dict
    id_column: str
    date_column: str
    target: str
    notes: list = field(default_factory=list)
    X: dict = None  # {series id: its future covariates over its rows}
    X_future: dict = None  # {series id: them at the steps forecast}
    named: str = ""  # "of 'sales' named by 'store'", "in the columns 'A', 'B' (--wide)"


def refuse_panel_options(args):
    """A CLIError for the options a file of many series does not take."""
    refused = [
        ("--training sequence", args.training == "sequence",
         "sequence training reads one series; leave it out"),
        ("--plot", args.plot is not None,
         "a plot shows one series; leave it out (--out writes every forecast)"),
    ]
    for option, given, what in refused:
        if given:
            raise CLIError(f"{option} does not apply with "
                           f"{'--wide' if args.wide else '--id-column'}: {what}")


def read_panel(args):
    """The series of the long file ``args.file``, split by ``args.id_column``.

    Raises
    ------
    CLIError
        As :func:`.reading.read_series`, and for a row without a series id
        or an id column that is not in the file.
    """
    notes = []
    table, lines = read_table(args)
    table = without_empty_columns(table, notes)
    if args.wide:
        if args.id_column is not None or args.target is not None:
            given = "--id-column" if args.id_column is not None else "--target"
            raise CLIError(f"--wide reads every value column as a series of its own; "
                           f"{given} does not apply with it: leave one of them out")
        table, lines = _long_form(table, lines, args)
    id_column = WIDE_ID if args.wide else args.id_column
    source = "a column of the file" if args.wide else f"--id-column {id_column}"
    if id_column not in table.columns:
        raise CLIError(f"--id-column {id_column!r} is not a column of {args.file}; the "
                       f"columns are {list(table.columns)}")
    ids = table[id_column].to_numpy(dtype=object)
    blank = np.flatnonzero(ids == "")
    if len(blank):
        raise CLIError(f"{args.file}: column {id_column!r} (--id-column) names no series on "
                       f"{', '.join(f'line {lines[p]}' for p in blank[:SHOWN])}; every row "
                       f"needs one ({LINES})")
    rest = table.drop(columns=[id_column])
    names = list(args.future_covariates)
    date_column, target = date_and_target(rest, args, names)
    index = parse_timestamps(rest[date_column], lines, args, date_column, notes)
    values = pd.DataFrame({name: parse_numbers(rest[name], lines, args, name)
                           for name in [target, *names]}, index=index.rename(date_column))
    rows = {sid: np.flatnonzero(ids == sid) for sid in dict.fromkeys(ids)}
    # The grid: --freq, else the one the longest series follows.
    longest = max(rows, key=lambda sid: len(rows[sid]))
    order = [longest] + [sid for sid in rows if sid != longest]
    freq, frames, series_notes = args.freq, {}, []
    for sid in order:
        own = []
        frame = _on_grid(values.iloc[rows[sid]], lines[rows[sid]], freq, own, sid, source)
        if freq is None and frame.index.freq is not None:
            freq = frame.index.freqstr
        frames[sid] = frame
        series_notes += [f"series {sid!r}: {note}" for note in own]
    series, X, X_future = {}, {}, {}
    for sid in rows:  # in the order of the file
        if names:
            own = []
            series[sid], X[sid], X_future[sid] = split_future(
                frames[sid], args, own, f"series {sid!r} ({source}): ")
            series_notes += [f"series {sid!r}: {note}" for note in own]
        else:
            series[sid] = frames[sid][target]
    if len(series_notes) > SHOWN:
        series_notes = series_notes[:SHOWN] + [f"... and {len(series_notes) - SHOWN} more such "
                                                "notes on other series"]
    shown = ", ".join(repr(sid) for sid in list(series)[:SHOWN])
    more = ", ..." if len(series) > SHOWN else ""
    named = (f"in the columns {shown}{more} (--wide)" if args.wide else
             f"of {target!r} named by {id_column!r}")
    return PanelData(series, id_column, date_column, target, notes + series_notes,
                     X or None, X_future or None, named)


def _long_form(table, lines, args):
    """The text table of a wide file (a column per series) in long form: a
    row per series and timestamp from the series' first value on, with the
    columns ``WIDE_ID``, the date column, ``WIDE_VALUE`` and the covariates;
    and the file's line of each row."""
    columns = list(table.columns)
    date_column = columns[0] if args.date_column is None else args.date_column
    shared = [date_column, *args.future_covariates]
    series = [name for name in columns if name not in shared]
    taken = [name for name in (WIDE_ID, WIDE_VALUE) if name in columns]
    if taken:
        raise CLIError(f"{args.file}: with --wide the long form of the file names its "
                       f"columns {WIDE_ID!r} and {WIDE_VALUE!r}, and {taken[0]!r} is a "
                       "column of the file already; rename it")
    if not series:
        raise CLIError(f"{args.file}: --wide found no value column to forecast besides "
                       f"{shared}")
    parts, part_lines = [], []
    for name in series:
        filled = np.flatnonzero(table[name].to_numpy() != "")
        if not len(filled):
            raise CLIError(f"{args.file}: column {name!r} holds no value; with --wide every "
                           "value column is a series: drop it, or name it in "
                           "--future-covariates if it is one")
        # From the series' first value to its last, or with covariates known
        # ahead to the end of the file: the rows after its last value are then
        # the steps to forecast.
        end = len(table) if args.future_covariates else filled[-1] + 1
        rows = table.iloc[filled[0]:end]
        parts.append(pd.DataFrame({WIDE_ID: name, **{c: rows[c] for c in shared},
                                   WIDE_VALUE: rows[name]}))
        part_lines.append(lines[filled[0]:end])
    return pd.concat(parts, ignore_index=True), np.concatenate(part_lines)


def _on_grid(y, lines, freq, notes, sid, source):
    """One series in time order on the grid, its errors naming the series."""
    try:
        return on_grid(*in_time_order(y, lines, notes), freq, notes)
    except CLIError as error:
        raise CLIError(f"series {sid!r} ({source}): {error}") from None


def backtest_panel(forecaster, series, horizon, n_origins, log, X=None):
    """The backtest of the forecaster of all ``series`` from the last
    ``n_origins`` origins of each (fit once, then ``update``; ``X``: each series' future
    covariates over its rows): per origin, the median MASE
    of the forecaster and of seasonal naive over the series where MASE is
    defined (a median: one series that seasonal naive forecasts almost
    exactly in-sample makes MASE's scale tiny and its score huge), and on
    how many series the forecaster was better. Returns a frame of every
    score, a row per series and origin (1 = the earliest), with columns
    ``origin``, ``rnn`` and ``naive``."""
    cuts = {sid: len(y) - n_origins * horizon for sid, y in series.items()}

    def covariates(first, last):
        """Each series' covariates on the rows from ``first`` to ``last``
        after its cut (``first`` None: from its start)."""
        if X is None:
            return None
        return {sid: X[sid].iloc[None if first is None else cuts[sid] + first:cuts[sid] + last]
                for sid in X}

    model = forecaster.fit({sid: y.iloc[:cuts[sid]] for sid, y in series.items()},
                           covariates(None, 0))
    season = model.seasonal_period_
    rows = []
    for k in range(n_origins):
        if k:
            model.update({sid: y.iloc[cuts[sid] - horizon:cuts[sid]]
                          for sid, y in series.items()}, covariates(-horizon, 0))
        forecast = model.predict(X=covariates(0, horizon))
        scores, undefined, last_value = [], 0, 0
        for sid, y in series.items():
            cut = cuts[sid]
            m, errors, scale = origin_errors(y.iloc[:cut], y.iloc[cut:cut + horizon].to_numpy(),
                                             forecast.loc[sid].to_numpy(), season)
            last_value += m != season
            if scale is None:
                undefined += 1
                continue
            scores.append([k + 1, errors["rnn"] / scale, errors["naive"] / scale])
        left = (f" ({undefined} without a MASE scale left out)" if undefined else "")
        naive = ("seasonal naive" if not last_value else
                 f"seasonal naive (the last value for {last_value} with two seasons or fewer)")
        log(f"  origin {k + 1} (each series' last {(n_origins - k) * horizon} steps): "
            f"{_summary(pd.DataFrame(scores, columns=['origin', 'rnn', 'naive']), naive)}"
            f"{left}")
        rows += scores
        for sid in cuts:
            cuts[sid] += horizon
    return pd.DataFrame(rows, columns=["origin", "rnn", "naive"])


def _summary(scores, naive="seasonal naive"):
    """Median MASE of both over the ``scores``, and the forecaster's wins."""
    if scores.empty:
        return "MASE undefined for every series (no in-sample error to scale by)"
    better = int((scores["rnn"] < scores["naive"]).sum())
    return (f"median MASE rnn {scores['rnn'].median():.3f}, {naive} "
            f"{scores['naive'].median():.3f}; rnn better on {better} of {len(scores)}")


def interval_table(forecaster, coverage, log, X_future=None):
    """The forecast and interval of ``coverage`` of every series of a
    forecaster that fitted a model to each (``forecasters_``), from each
    series' own backtest errors; NaN bounds for the series whose backtest
    cannot give it (too short), with a line saying how many.
    ``X_future``: each series' future covariates at the steps forecast."""
    if all(f.calibration_errors_ is None for f in forecaster.forecasters_.values()):
        return forecast_alone(forecaster, log, X_future)
    with warnings.catch_warnings():
        # The series without an interval are counted below, in the CLI's terms.
        warnings.filterwarnings("ignore", r"RNNForecaster\.predict_interval.* too few",
                                UserWarning)
        table = forecaster.predict_interval(coverage, X=X_future)
    bounds = ["lower", "upper"]
    finite = np.isfinite(table[bounds]).all(axis=1).groupby(level=0, sort=False).all()
    without = list(finite.index[~finite.to_numpy()])
    if without:
        table.loc[table.index.get_level_values(0).isin(without), bounds] = np.nan
        log(f"  no {coverage:.0%} interval for {len(without)} of {len(finite)} series: their "
            "backtests inside fit recorded too few errors (short series)")
    return table


def describe(data, log):
    """The report's first lines: what was read."""
    lengths = [len(y) for y in data.series.values()]
    first = min(y.index[0] for y in data.series.values())
    last = max(y.index[-1] for y in data.series.values())
    missing = sum(int(y.isna().sum()) for y in data.series.values())
    log(f"{len(data.series)} series {data.named}, "
        f"{min(lengths)} to {max(lengths)} rows, from {when(first)} to {when(last)} "
        f"({missing} missing)")
    if data.X is not None:
        known = max(X.index[-1] for X in data.X_future.values())
        log(f"  future covariates {list(next(iter(data.X.values())).columns)}, known up to "
            f"{when(known)}")
    for note in data.notes:
        log(f"  {note}")


def fit_summary(forecaster, seconds):
    """One line on the global model (or the models of the series): what
    forecasts the series, and the time."""
    methods = pd.Series(forecaster.method_).value_counts()
    n = int(methods.sum())
    if forecaster.forecasters_ is not None:
        what = (f"a model for each of the {n} series: "
                + ", ".join(f"{m} ({c})" for m, c in methods.items()))
    elif list(methods.index) == ["zero-shot"]:
        what = f"the pretrained network, zero-shot, for the {n} series (no network trained)"
    else:
        what = (f"one model for the {n} series: window {forecaster.window_}, "
                f"{len(forecaster.regressors_)} networks")
        if list(methods.index) != ["model"]:
            what += "; forecast by " + ", ".join(f"{m} ({c})" for m, c in methods.items())
    return f"  {what}{log_scale_note(forecaster)}{season_note(forecaster)}, {seconds:.1f} s"


def backtest_and_fit(forecaster, data, args, log, progress=None):
    """The backtest the shortest series allows, then the fit on every row."""
    shortest = min(len(y) for y in data.series.values())

    def run(n_origins):
        scores = backtest_panel(forecaster, data.series, args.horizon, n_origins, log, data.X)
        return f"over the origins: {_summary(scores)}"

    backtest_phase(args, shortest, run, log, progress, "the shortest series", "every series")
    n_rows = sum(len(y) for y in data.series.values())
    log(f"fitting the {len(data.series)} series ({n_rows} rows) ...")
    started = time.perf_counter()
    forecaster.fit(data.series, data.X)
    log(fit_summary(forecaster, time.perf_counter() - started))
    outliers = forecaster.outliers_
    if len(outliers):
        shown = ", ".join(f"{sid!r} {when(t)} ({v:.6g})"
                          for (sid, t), v in outliers.iloc[:3].items())
        log(f"  {len(outliers)} value(s) read as missing, gross outliers far from their "
            f"neighbours: {shown}{' ...' if len(outliers) > 3 else ''}")


def printed(table, data):
    """The forecasts of the first series, and how many more there are."""
    ids = list(data.series)
    shown = table.loc[ids[:PRINTED_SERIES]]
    more = len(ids) - PRINTED_SERIES
    tail = f"\n... and {more} more series (--out writes them all)" if more > 0 else ""
    return shown.round(3).to_string() + tail
