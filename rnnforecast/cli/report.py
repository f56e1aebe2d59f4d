"""The ``forecast`` command: backtest, fit, forecast and report what was done."""

import time

import numpy as np
import pandas as pd

from .reading import read_series

_BACKTEST_ORIGINS = 3


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
    from ..estimator import RNNRegressor
    from ..forecasting import RNNForecaster
    from ..forecasting.ensemble import DEFAULT_NETWORK

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
    y, notes = read_series(args)
    log(f"{args.file}: {y.name}, {len(y)} rows from {y.index[0]} to {y.index[-1]}"
        f" ({int(y.isna().sum())} missing)")
    for note in notes:
        log(f"  {note}")
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
        from ..plotting import plot_forecast

        interval = table if "lower" in table else None
        ax = plot_forecast(y, table.iloc[:, 0] if interval is None else table["forecast"],
                           interval, last=max(5 * args.horizon, 3 * (forecaster.window_ or 0)))
        ax.figure.tight_layout()
        ax.figure.savefig(args.plot, dpi=120)
        log(f"wrote {args.plot}")
    return 0
