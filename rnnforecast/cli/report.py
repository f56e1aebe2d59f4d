"""The ``forecast`` command: backtest, fit, forecast and report what was done."""

import importlib.util
import math
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from ..forecasting.outliers import OutlierWarning
from .backtest import backtest, backtest_phase
from .messages import CLIError, when
from .reading import read_file


def _fit_summary(forecaster, seconds):
    """One line on what was fitted: the window (or sequence chunks), the
    networks and the time."""
    if forecaster.training == "sequence":
        what = (f"sequence training in chunks of {forecaster.bptt_steps_} steps, "
                f"{forecaster.n_networks} networks")
    else:
        what = f"window {forecaster.window_}, {len(forecaster.regressors_)} networks"
        if forecaster.seasonal_lag_ is not None:
            what += f", reading the value {forecaster.seasonal_lag_} steps before each step"
    if forecaster.method_ == "zero-shot":
        what = "the pretrained network, zero-shot (no network trained"
        if forecaster.model == "by_frequency":
            what += (f"; the default for {forecaster.freq_!r} data, --model per_series trains "
                     "networks on the file")
            if forecaster.regressor is not None:
                what += ", with the --cell and --verbose given"
        elif forecaster.regressor is not None:
            what += "; the --cell and --verbose given describe networks it does not train"
        what += ")"
    elif forecaster.method_ == "fine-tuned":
        what = "the pretrained network, fine-tuned on the file (no other network trained)"
    elif forecaster.method_ == "combined":
        what += (", averaged with the pretrained network"
                 + (" fine-tuned on the file" if forecaster.fine_tune else ""))
    elif forecaster.method_ != "model":
        what = (f"window {forecaster.window_}; forecast by {forecaster.method_}, which beat "
                "the networks on the backtest inside fit (no final networks trained)")
    if forecaster.model == "auto" and forecaster.method_ in ("model", "zero-shot", "fine-tuned",
                                                             "combined"):
        what += " (model='auto': chosen by the backtest inside fit)"
    if forecaster.fine_tune and forecaster.method_ not in ("fine-tuned", "combined"):
        what += ("; --fine-tune did nothing: the pretrained network does not forecast this "
                 "file (--model zero_shot, combined or auto use it)")
    return f"  {what}{log_scale_note(forecaster)}{season_note(forecaster)}, {seconds:.1f} s"


def log_scale_note(forecaster):
    """``", on the log scale (--log-scale)"`` for a forecaster fitted on it, else ``""``."""
    return ", on the log scale (--log-scale)" if forecaster.target_transform == "log" else ""


def season_note(forecaster):
    """What the seasonal adjustment did: for one series, the season taken out
    (its period and strength), else ``""``; for a model each, how many
    series had theirs taken out."""
    why = "--seasonal-adjustment"
    if forecaster.forecasters_ is not None:
        adjusted = sum(f.seasonal_adjustment_ is not None
                       for f in forecaster.forecasters_.values())
        if not adjusted:
            return ""
        return (f"; the season of {forecaster.seasonal_period_} steps taken out first in "
                f"{adjusted} of {len(forecaster.forecasters_)} series ({why})")
    adjustment = forecaster.seasonal_adjustment_
    if adjustment is None:
        return ""
    return (f"; the season of {adjustment.period} steps taken out first (strength "
            f"{adjustment.strength:.2f}; {why})")


def _training_summary(forecaster):
    """One line on how the networks trained: epochs (and who chose them) and
    the final training loss of each (window training)."""
    how = "chosen on the backtest" if forecaster.n_epochs_ is not None else "trained"
    if not forecaster.regressors_:  # sequence training, or no final networks
        epochs = "" if forecaster.n_epochs_ is None else " " + ", ".join(
            map(str, forecaster.n_epochs_))
        return f"  epochs{epochs} ({how})"
    curves = [network.loss_curve_ for network in forecaster.regressors_]
    of = ("" if forecaster.epoch_windows_ is None
          else f" of {forecaster.epoch_windows_:,} windows")
    line = f"  epochs {', '.join(str(len(curve)) for curve in curves)}{of} ({how})"
    losses = [curve[-1] for curve in curves if curve]
    if losses:
        line += f"; final training loss {min(losses):.4g} to {max(losses):.4g}"
    return line


def _make_forecaster(args):
    from ..estimator import RNNRegressor
    from ..forecasting import RNNForecaster
    from ..forecasting.ensemble import DEFAULT_NETWORK

    regressor = None
    if args.cell != "gru" or args.verbose:
        settings = {**DEFAULT_NETWORK, "cell": args.cell, "verbose": args.verbose}
        regressor = RNNRegressor(**settings)
    window = "auto" if args.window is None else args.window
    many_series = ("separate" if args.separate_models else
                   "global" if args.global_model else "auto")
    return RNNForecaster(window=window, horizon=args.horizon, regressor=regressor,
                         freq=args.freq, random_state=args.random_state,
                         training=args.training, n_jobs=args.jobs, model=args.model,
                         many_series=many_series,
                         fine_tune=args.fine_tune,
                         target_transform="log" if args.log_scale else None,
                         seasonal_adjustment="auto" if args.seasonal_adjustment else None,
                         seasonal_lag=args.seasonal_lag,
                         future_covariates=args.future_covariates or None)


def check_outputs(args):
    """Refuse, before any work, outputs that could not be written after it."""
    for option, path in (("--out", args.out), ("--plot", args.plot)):
        if path is None:
            continue
        folder = Path(path).resolve().parent
        if not folder.is_dir():
            raise CLIError(f"{option} {path}: the folder {folder} does not exist; create it "
                           "first or choose another path")
        if Path(path).is_dir():
            raise CLIError(f"{option} {path} is a folder; give a file name")
    if args.out is not None and Path(args.out).suffix.lower() not in ("", ".csv", ".txt"):
        raise CLIError(f"--out {args.out}: the forecast table is written as CSV, not "
                       f"{Path(args.out).suffix}; give a .csv file name (spreadsheets open it)")
    if args.plot and importlib.util.find_spec("matplotlib") is None:
        raise CLIError(f"--plot {args.plot} needs matplotlib, which is not installed; "
                       "install it with pip install 'rnnforecast[plot]', or leave --plot out")
    if args.plot and Path(args.plot).suffix:
        from matplotlib.backend_bases import FigureCanvasBase

        formats = FigureCanvasBase.get_supported_filetypes()
        if Path(args.plot).suffix.lower().lstrip(".") not in formats:
            raise CLIError(f"--plot {args.plot}: matplotlib writes no {Path(args.plot).suffix} "
                           f"files; give one of .{', .'.join(sorted(formats))}")


def forecast_table(forecaster, coverage, log, X_future=None):
    """The forecast with its interval, or the forecast alone (and a line that
    says why) when the backtest inside fit cannot give that coverage;
    ``X_future``: the future covariates at the steps forecast."""
    from ..forecasting.intervals import errors_needed

    if forecaster.calibration_scores_ is None:
        return forecast_alone(forecaster, log, X_future)
    with warnings.catch_warnings():
        # Infinite bounds are explained below, in the CLI's terms.
        warnings.filterwarnings("ignore", r"RNNForecaster\.predict_interval.* too few",
                                UserWarning)
        table = forecaster.predict_interval(coverage=coverage, X=X_future)
    if _finite(table):
        return table
    # A conformal bound needs ceil((n + 1) c) <= n errors: c <= n / (n + 1).
    n_errors = int(np.min(np.sum(~np.isnan(forecaster.calibration_scores_), axis=0)))
    supported = math.floor(100 * n_errors / (n_errors + 1)) / 100
    log(f"  no {coverage:.0%} interval: the backtest inside fit recorded {n_errors} errors "
        f"per step, and a {coverage:.0%} interval needs at least "
        f"{errors_needed(coverage, symmetric=True)}; use --coverage {supported} or less")
    return table[["forecast"]]


def forecast_alone(forecaster, log, X_future=None):
    """The forecast without an interval, and the line that says why: fit
    recorded no backtest error (of any series)."""
    rows = forecaster.n_rows_seen_
    what = (f"the file has too few rows ({rows})" if np.ndim(rows) == 0 else
            f"every series is too short (at most {int(np.max(rows))} rows)")
    log(f"  no interval: {what} to set origins aside for the backtest inside fit, whose "
        "errors the interval needs")
    return forecaster.predict(X=X_future).to_frame("forecast")


@contextmanager
def said_in_the_report():
    """The fit's warnings that the report says in its own lines, silenced."""
    with warnings.catch_warnings():
        # A series too short to calibrate on: the "no interval" line says so.
        warnings.filterwarnings("ignore", message=".*predict_interval will not be available")
        # Outliers read as missing: a line of the report says which.
        warnings.filterwarnings("ignore", category=OutlierWarning)
        yield


def _finite(table):
    return bool(np.isfinite(table[["lower", "upper"]].to_numpy()).all())


def _mean_mase(scores):
    """The backtest's summary: the mean MASE over the origins where it is defined."""
    defined = scores.dropna()
    if defined.empty:
        return "mean MASE: undefined at every origin (see above)"
    over = "" if len(defined) == len(scores) else (
        f" over the {len(defined)} origin{'s' * (len(defined) > 1)} where it is defined")
    return (f"mean MASE{over}: rnn {defined['rnn'].mean():.3f}, {scores.attrs['baseline']} "
            f"{defined['naive'].mean():.3f}")


def _backtest_and_fit(forecaster, data, args, log, progress=None):
    """The backtest the file allows, then the fit on every row (``progress``:
    the progress line, told which of the two fits trains)."""
    y = data.y
    backtest_phase(args, len(y), lambda n_origins: _mean_mase(
        backtest(forecaster, y, args.horizon, n_origins, log, data.X)), log, progress)
    log(f"fitting on all {len(y)} rows ...")
    started = time.perf_counter()
    forecaster.fit(y, data.X)
    log(_fit_summary(forecaster, time.perf_counter() - started))
    outliers = forecaster.outliers_
    if len(outliers):
        shown = ", ".join(f"{when(t, y.index)} ({v:.6g})" for t, v in outliers.iloc[:3].items())
        log(f"  {len(outliers)} value(s) read as missing, gross outliers far from their "
            f"neighbours: {shown}{' ...' if len(outliers) > 3 else ''}")
    if forecaster.method_ != "zero-shot":  # it trained nothing
        log(_training_summary(forecaster))


def forecast(args, progress=None):
    """The ``forecast`` command; returns the exit code (``progress``: the
    progress line shown, if any; see :mod:`.progress`)."""
    log = print
    check_outputs(args)
    if args.id_column is not None or args.wide:
        return _forecast_panel(args, log, progress)
    for option, given in (("--separate-models", args.separate_models),
                          ("--global-model", args.global_model)):
        if given:
            raise CLIError(f"{option} says how to fit the series of a file of many series: "
                           "it needs --id-column (long form) or --wide (a column per series)")
    data = read_file(args)
    y = data.y
    log(f"{args.file}: {y.name}, {len(y)} rows from {when(y.index[0], y.index)} to "
        f"{when(y.index[-1], y.index)} ({int(y.isna().sum())} missing)")
    if data.X is not None:
        log(f"  future covariates {list(data.X.columns)}, known up to "
            f"{when(data.X_future.index[-1], y.index)}")
    for note in data.notes:
        log(f"  {note}")
    forecaster = _make_forecaster(args)
    with said_in_the_report():
        _backtest_and_fit(forecaster, data, args, log, progress)
    table = forecast_table(forecaster, args.coverage, log, data.X_future)
    _print_and_write(table, y.name, args, log)
    if args.plot:
        from ..plotting import plot_forecast

        interval = table if "lower" in table else None
        ax = plot_forecast(y, table["forecast"], interval,
                           last=max(5 * args.horizon, 3 * (forecaster.window_ or 0)),
                           interval_label=f"{args.coverage:.0%} interval")
        ax.figure.savefig(args.plot, dpi=120, bbox_inches="tight")
        log(f"wrote {args.plot}")
    return 0


def _forecast_panel(args, log, progress=None):
    """The ``forecast`` command on a file of many series (``--id-column``,
    ``--wide``)."""
    from . import panel

    panel.refuse_panel_options(args)
    data = panel.read_panel(args)
    panel.describe(data, log)
    forecaster = _make_forecaster(args)
    with said_in_the_report():
        panel.backtest_and_fit(forecaster, data, args, log, progress)
    if forecaster.forecasters_ is not None:
        table = panel.interval_table(forecaster, args.coverage, log, data.X_future)
    else:
        if any(method != "zero-shot" for method in pd.Series(forecaster.method_)):
            log(_training_summary(forecaster))
        table = forecast_table(forecaster, args.coverage, log, data.X_future)
    table.index = table.index.set_names([data.id_column, data.date_column])
    _print_and_write(table, data.target, args, log,
                     printed=lambda table: panel.printed(table, data))
    return 0


def _print_and_write(table, target, args, log, printed=lambda table: table.round(3).to_string()):
    """The forecast ``table`` of ``target`` printed under its heading
    (``printed``: its text), and written to ``--out``."""
    pd.set_option("display.width", 120)
    print(f"\nforecast of {target}, next {args.horizon} steps"
          f" ({args.coverage:.0%} interval):" if "lower" in table else "\nforecast:")
    print(printed(table))
    if args.out:
        table.to_csv(args.out)
        log(f"wrote {args.out}")
