"""The command's backtest: forecasts from the last origins of the file, against seasonal naive.

The forecaster is fitted once on the rows before the first origin and moved
to the next origins with ``update``. Up to three origins of ``horizon`` steps
are taken from the end of the file, as many as leave enough rows to fit on;
a file too short for one is not backtested, and the report says why.
"""

import numpy as np
import pandas as pd

from .messages import when

__all__ = ["MAX_ORIGINS", "backtest", "backtest_origins"]

MAX_ORIGINS = 3


def min_fit_rows(args):
    """The fewest rows the command's forecaster can be fitted on."""
    if args.training == "sequence":
        return 2 * args.horizon + 2
    if args.window is not None:
        return args.window + args.horizon
    return args.horizon + 1  # window="auto" shrinks to the rows there are


def backtest_origins(n_rows, args):
    """``(n_origins, reason)``: the origins the file allows (at most
    ``MAX_ORIGINS``), and for fewer than that, why, in the file's numbers."""
    needed = min_fit_rows(args)
    n_origins = max(0, min(MAX_ORIGINS, (n_rows - needed) // args.horizon))
    if n_origins == MAX_ORIGINS:
        return n_origins, None
    reason = (
        f"the file has {n_rows} rows; fitting needs at least {needed} before the first "
        f"origin and each origin {args.horizon} after it"
    )
    return n_origins, reason


def _seasonal_naive(y_before, horizon, m):
    """The last season repeated: the value m steps before each future step."""
    values = y_before.to_numpy()
    return np.array([values[len(values) - m + (h % m)] for h in range(horizon)])


def _mase_scale(y_before, m):
    """Mean absolute seasonal difference of the observed rows before an origin."""
    values = y_before.dropna().to_numpy()
    return np.mean(np.abs(values[m:] - values[:-m]))


def backtest(forecaster, y, horizon, n_origins, log, X=None):
    """Forecasts from the last ``n_origins`` origins: one fit, then ``update``
    between them (``X``: future covariates over the rows of ``y``). A frame of the MASE of the forecaster (``rnn``) and of the
    baseline (``naive``) at each origin, the baseline's name in
    ``attrs["baseline"]``: seasonal naive, or the last value when fewer than
    two seasons precede an origin."""
    start = len(y) - n_origins * horizon
    rows_of = (lambda part: None) if X is None else (lambda part: X.iloc[part])
    model = forecaster.fit(y.iloc[:start], rows_of(slice(None, start)))
    season = model.seasonal_period_
    rows, baselines = [], set()
    for k in range(n_origins):
        cut = start + k * horizon
        if k:
            model.update(y.iloc[cut - horizon:cut], rows_of(slice(cut - horizon, cut)))
        before = y.iloc[:cut]
        m = season if before.count() > 2 * season else 1
        actual = y.iloc[cut:cut + horizon].to_numpy()
        scale = _mase_scale(before, m)
        forecast = model.predict(X=rows_of(slice(cut, cut + horizon))).to_numpy()
        rnn = np.nanmean(np.abs(forecast - actual)) / scale
        naive = np.nanmean(np.abs(_seasonal_naive(before, horizon, m) - actual)) / scale
        rows.append((y.index[cut], rnn, naive))
        baselines.add("seasonal naive" if m == season else "naive (last value)")
        log(f"  origin {when(y.index[cut], y.index)}: MASE rnn {rnn:.3f}, "
            f"{'seasonal naive' if m == season else 'naive (last value)'} {naive:.3f}")
    scores = pd.DataFrame(rows, columns=["origin", "rnn", "naive"]).set_index("origin")
    scores.attrs["baseline"] = " / ".join(sorted(baselines))
    return scores
