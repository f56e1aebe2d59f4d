"""``rnnforecast forecast FILE.csv``: fit, backtest and forecast from the shell."""

import argparse
import sys
import time
import warnings

import numpy as np
import pandas as pd

_BACKTEST_ORIGINS = 3


class CLIError(Exception):
    """A problem with the user's file or arguments, reported without a traceback."""


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


def _seasonal_naive(y_before, horizon, m):
    """The last season repeated: the value m steps before each future step."""
    values = y_before.to_numpy()
    return np.array([values[len(values) - m + (h % m)] for h in range(horizon)])


def _mase_scale(y_before, m):
    values = y_before.dropna().to_numpy()
    return np.mean(np.abs(values[m:] - values[:-m]))


def _backtest(forecaster, y, horizon, log):
    """Forecasts from the last origins: one fit, then ``update`` between them."""
    start = len(y) - _BACKTEST_ORIGINS * horizon
    model = forecaster.fit(y.iloc[:start])
    m = model.seasonal_period_
    rows = []
    for k in range(_BACKTEST_ORIGINS):
        cut = start + k * horizon
        if k:
            model.update(y.iloc[cut - horizon:cut])
        actual = y.iloc[cut:cut + horizon].to_numpy()
        scale = _mase_scale(y.iloc[:cut], m)
        rnn = np.nanmean(np.abs(model.predict().to_numpy() - actual)) / scale
        naive = np.nanmean(np.abs(_seasonal_naive(y.iloc[:cut], horizon, m) - actual)) / scale
        rows.append((y.index[cut], rnn, naive))
        log(f"  origin {y.index[cut]}: MASE rnn {rnn:.3f}, seasonal naive {naive:.3f}")
    return pd.DataFrame(rows, columns=["origin", "rnn", "seasonal_naive"]).set_index("origin")


def _fit_summary(forecaster, seconds):
    """One line on what was fitted: the window (or sequence chunks), the
    networks and the time."""
    if forecaster.training == "sequence":
        what = (f"sequence training in chunks of {forecaster.bptt_steps_} steps, "
                f"{forecaster.n_networks} networks")
    else:
        what = f"window {forecaster.window_}, {len(forecaster.regressors_)} networks"
    return f"  {what}, {seconds:.1f} s"


def _training_summary(forecaster):
    """One line on how the networks trained: epochs (and who chose them) and
    the final training loss of each (window training)."""
    how = "chosen on the backtest" if forecaster.n_epochs_ is not None else "trained"
    if forecaster.regressors_ is None:
        epochs = "" if forecaster.n_epochs_ is None else " " + ", ".join(
            map(str, forecaster.n_epochs_))
        return f"  epochs{epochs} ({how})"
    curves = [network.loss_curve_ for network in forecaster.regressors_]
    line = f"  epochs {', '.join(str(len(curve)) for curve in curves)} ({how})"
    losses = [curve[-1] for curve in curves if curve]
    if losses:
        line += f"; final training loss {min(losses):.4g} to {max(losses):.4g}"
    return line


def _make_forecaster(args):
    from .estimator import RNNRegressor
    from .forecasting import RNNForecaster
    from .forecasting.ensemble import DEFAULT_NETWORK

    regressor = None
    if args.cell != "gru" or args.verbose:
        settings = {**DEFAULT_NETWORK, "cell": args.cell, "verbose": args.verbose}
        regressor = RNNRegressor(**settings)
    window = "auto" if args.window is None else args.window
    return RNNForecaster(window=window, horizon=args.horizon, regressor=regressor,
                         freq=args.freq, random_state=args.random_state,
                         training=args.training, n_jobs=args.jobs)


def forecast(args):
    log = print
    y = _read_series(args.file, args.target, args.freq)
    log(f"{args.file}: {y.name}, {len(y)} rows from {y.index[0]} to {y.index[-1]}"
        f" ({int(y.isna().sum())} missing)")
    forecaster = _make_forecaster(args)
    if args.backtest:
        log(f"backtest: {_BACKTEST_ORIGINS} origins of {args.horizon} steps at the end "
            "of the series (fit once, then update)")
        started = time.perf_counter()
        scores = _backtest(forecaster, y, args.horizon, log)
        log(f"  mean MASE: rnn {scores['rnn'].mean():.3f}, seasonal naive "
            f"{scores['seasonal_naive'].mean():.3f} ({time.perf_counter() - started:.1f} s)")
    log(f"fitting on all {len(y)} rows ...")
    started = time.perf_counter()
    forecaster.fit(y)
    log(_fit_summary(forecaster, time.perf_counter() - started))
    log(_training_summary(forecaster))
    try:
        table = forecaster.predict_interval(coverage=args.coverage)
    except ValueError as error:
        log(f"  no interval: {error}")
        table = forecaster.predict().to_frame("forecast")
    pd.set_option("display.width", 120)
    print(f"\nforecast of {y.name}, next {args.horizon} steps"
          f" ({args.coverage:.0%} interval):" if "lower" in table else "\nforecast:")
    print(table.round(3).to_string())
    if args.out:
        table.to_csv(args.out)
        log(f"wrote {args.out}")
    if args.plot:
        from .plotting import plot_forecast

        interval = table if "lower" in table else None
        ax = plot_forecast(y, table.iloc[:, 0] if interval is None else table["forecast"],
                           interval, last=max(5 * args.horizon, 3 * (forecaster.window_ or 0)))
        ax.figure.tight_layout()
        ax.figure.savefig(args.plot, dpi=120)
        log(f"wrote {args.plot}")
    return 0


def build_parser():
    parser = argparse.ArgumentParser(
        prog="rnnforecast", description="Forecast a time series with a recurrent network.")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("forecast", help="fit, backtest and forecast a CSV series")
    p.add_argument("file", help="CSV file: first column timestamps, then value columns")
    p.add_argument("--target", help="the column to forecast (needed with several columns)")
    p.add_argument("--horizon", type=int, required=True, help="steps to forecast")
    p.add_argument("--window", type=int, help="steps of history per forecast (default: auto)")
    p.add_argument("--cell", choices=["rnn", "gru", "lstm"], default="gru")
    p.add_argument("--training", choices=["window", "sequence"], default="window",
                   help="window: learn from trailing windows (default); sequence: read "
                        "the series once per epoch, for very long series")
    p.add_argument("--coverage", type=float, default=0.9, help="prediction interval coverage")
    p.add_argument("--freq", help='calendar for an index without a fixed frequency, e.g. "B"')
    p.add_argument("--out", help="write the forecast table to this CSV")
    p.add_argument("--plot", help="write a plot of the forecast to this PNG (needs matplotlib)")
    p.add_argument("--no-backtest", dest="backtest", action="store_false",
                   help="skip the backtest against seasonal naive")
    p.add_argument("--random-state", type=int, default=0)
    p.add_argument("--jobs", type=int, default=None,
                   help="processes that train the networks of the ensemble (-1: every "
                        "processor; default: one); the forecast is the same for any value")
    p.add_argument("--verbose", action="store_true", help="print every training epoch")
    return parser


def main(argv=None):
    """Entry point of the ``rnnforecast`` command."""
    args = build_parser().parse_args(argv)
    if args.horizon < 1:
        print(f"rnnforecast: error: --horizon must be a positive integer; got {args.horizon}",
              file=sys.stderr)
        return 2
    if args.jobs is not None and args.jobs < 1 and args.jobs != -1:
        print(f"rnnforecast: error: --jobs must be a positive integer or -1; got {args.jobs}",
              file=sys.stderr)
        return 2
    if not 0 < args.coverage < 1:
        print(f"rnnforecast: error: --coverage must be in (0, 1); got {args.coverage}",
              file=sys.stderr)
        return 2
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*maximum iterations.*")
            return forecast(args)
    except (CLIError, ValueError, TypeError) as error:
        print(f"rnnforecast: error: {error}", file=sys.stderr)
        return 1
