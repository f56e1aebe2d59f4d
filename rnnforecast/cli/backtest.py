"""The command's backtest: forecasts from the last origins of the file, against seasonal naive.

The forecaster is fitted once on the rows before the first origin and moved
to the next origins with ``update``. Up to three origins of ``horizon`` steps
are taken from the end of the file, as many as leave enough rows to fit on;
a file too short for one is not backtested, and the report says why.
"""

import time

import numpy as np
import pandas as pd

from ..metrics import seasonal_naive_forecast, seasonal_naive_scale
from .messages import when

__all__ = ["MAX_ORIGINS", "backtest", "backtest_origins", "backtest_phase", "origin_errors"]

MAX_ORIGINS = 3


def backtest_origins(n_rows, args, what="the file"):
    """``(n_origins, reason)``: the origins ``n_rows`` rows allow (at most
    ``MAX_ORIGINS``), and for fewer than that, why, in the numbers of
    ``what`` (which holds them)."""
    # Imported here: the forecasting package imports scikit-learn, which
    # --help and --version need not wait for.
    from ..forecasting.lengths import fewest_rows

    needed = fewest_rows(args.horizon, "auto" if args.window is None else args.window,
                         args.training)
    n_origins = max(0, min(MAX_ORIGINS, (n_rows - needed) // args.horizon))
    if n_origins == MAX_ORIGINS:
        return n_origins, None
    reason = (
        f"{what} has {n_rows} rows; fitting needs at least {needed} before the first "
        f"origin and each origin {args.horizon} after it"
    )
    return n_origins, reason


def backtest_phase(args, n_rows, run, log, progress=None, what="the file",
                   where="the series"):
    """The command's backtest around ``run(n_origins)``, which backtests and
    returns the summary line: the origins ``n_rows`` rows allow (of ``what``),
    the lines that say how many and why fewer or none, the time, and the
    progress line's phase (``progress``: see :mod:`.progress`)."""
    if not args.backtest:
        return
    n_origins, reason = backtest_origins(n_rows, args, what)
    if n_origins == 0:
        log(f"backtest: skipped, {reason}")
        return
    if progress is not None:
        progress.fit = "fit 1/2"
    fewer = f" ({reason}, so {n_origins} instead of {MAX_ORIGINS})" if reason else ""
    log(f"backtest: {n_origins} origin{'s' * (n_origins > 1)} of {args.horizon} steps at the "
        f"end of {where} (fit once, then update){fewer}")
    started = time.perf_counter()
    summary = run(n_origins)
    log(f"  {summary} ({time.perf_counter() - started:.1f} s)")
    if progress is not None:
        progress.fit = "fit 2/2"


def origin_errors(before, actual, forecast, season):
    """The errors of one origin's forecast and of its baseline: ``(m,
    errors, scale)``, the baseline's lag (``season``, or 1, the last value,
    when two seasons or fewer precede the origin), the mean absolute errors
    ``{"rnn": ..., "naive": ...}`` of ``forecast`` and of the baseline
    against ``actual``, and MASE's scale (None where the values ``before``
    the origin never change at that lag)."""
    m = season if before.count() > 2 * season else 1
    forecasts = {"rnn": np.asarray(forecast),
                 "naive": seasonal_naive_forecast(before, len(actual), m)}
    errors = {name: np.nanmean(np.abs(f - actual)) for name, f in forecasts.items()}
    try:
        scale = seasonal_naive_scale(before, m)
    except ValueError:
        scale = None
    return m, errors, scale


def backtest(forecaster, y, horizon, n_origins, log, X=None):
    """Forecasts from the last ``n_origins`` origins: one fit, then ``update``
    between them (``X``: future covariates over the rows of ``y``).

    Returns a frame of the MASE (:mod:`rnnforecast.metrics`) of the
    forecaster (``rnn``) and of the baseline (``naive``) at each origin, the
    baseline's name in ``attrs["baseline"]``: seasonal naive, or the last
    value when fewer than two seasons precede an origin. Where the values
    before an origin give MASE no scale (they never change at the baseline's
    lag), its row is NaN and its line gives the mean absolute errors instead.
    """
    start = len(y) - n_origins * horizon
    rows_of = (lambda part: None) if X is None else (lambda part: X.iloc[part])
    model = forecaster.fit(y.iloc[:start], rows_of(slice(None, start)))
    season = model.seasonal_period_
    rows, baselines = [], set()
    for k in range(n_origins):
        cut = start + k * horizon
        if k:
            model.update(y.iloc[cut - horizon:cut], rows_of(slice(cut - horizon, cut)))
        m, errors, scale = origin_errors(
            y.iloc[:cut], y.iloc[cut:cut + horizon].to_numpy(),
            model.predict(X=rows_of(slice(cut, cut + horizon))).to_numpy(), season)
        baseline = "seasonal naive" if m == season else "naive (last value)"
        baselines.add(baseline)
        if scale is None:
            log(f"  origin {when(y.index[cut], y.index)}: MASE undefined (the values before "
                f"it give the lag-{m} naive forecast no in-sample error to scale by); MAE "
                f"rnn {errors['rnn']:.4g}, {baseline} {errors['naive']:.4g}")
            scores = dict.fromkeys(errors, np.nan)
        else:
            scores = {name: error / scale for name, error in errors.items()}
            log(f"  origin {when(y.index[cut], y.index)}: MASE rnn {scores['rnn']:.3f}, "
                f"{baseline} {scores['naive']:.3f}")
        rows.append((y.index[cut], scores["rnn"], scores["naive"]))
    scores = pd.DataFrame(rows, columns=["origin", "rnn", "naive"]).set_index("origin")
    scores.attrs["baseline"] = " / ".join(sorted(baselines))
    return scores
