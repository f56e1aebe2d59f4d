"""Intervals for series too short for any backtest error: bounds from the seasonal naive method's own errors over the history.

    python benchmarks/bench_short_naive_intervals.py            # three draws of 40 series per group

The series of ``bench_short_intervals.py`` (synthetic yearly, quarterly and
monthly series of 25 to 90 points, every kind of
:func:`rnnforecast.synthetic.generate`; no real series). A short series can
leave ``fit`` without a single backtest origin, and then ``predict_interval``
raises: 137 of those 360 series. The candidate fallback: the half-width at
step h is the conformal rank ``ceil((N + 1) c)`` of the N absolute errors
seasonal naive would have made at step h from every origin of the history,
that is the lag-``L`` differences ``|y[t] - y[t - L]|`` with ``L = m *
ceil(h / m)`` (m the season; m = 1: the h-step changes), centred on the
forecaster's own forecast and floored at 0 as the forecaster floors. It
claims nothing about the networks: it assumes the forecast errs no more
than seasonal naive does, so it should err on the wide side.

Each series is fitted by the default ``RNNForecaster`` (seed 0) on all but
its last H points; the rule's symmetric interval is scored on those H.

Criterion for giving such series these bounds (written before the first
run): on the series without backtest errors, the share of values inside is
at least nominal - 5 points at 80%, 90% and 95% in every group. Also
printed, for comparison where both exist: the same rule and the
forecaster's per-step conformal rule on the series that have backtest
errors, and the median widths (units of the series' mean absolute one-step
change).
"""

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from bench_short_intervals import LEVELS, arguments, short_series
from rnnforecast import RNNForecaster
from rnnforecast.forecasting.intervals import conformal_radius

RUNS_CSV = Path(__file__).parent / "results" / "bench_short_naive_intervals_runs.csv"
SEASON = {"YS": 1, "QS": 4, "MS": 12}


def naive_radius(history, horizon, m, coverage):
    """Per-step conformal half-widths of seasonal naive's in-sample errors."""
    radius = np.empty(horizon)
    for h in range(1, horizon + 1):
        lag = m * math.ceil(h / m)
        changes = np.abs(history[lag:] - history[:-lag])
        radius[h - 1] = conformal_radius(changes[:, None], coverage)[0]
    return radius


def score_series(y, horizon, freq):
    history, truth = y.iloc[:-horizon], y.iloc[-horizon:].to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        forecaster = RNNForecaster(horizon=horizon, random_state=0, freq=freq).fit(history)
    codes = forecaster._state.codes(None)
    forecast, scale = forecaster._forecast(codes)
    step = np.nanmean(np.abs(np.diff(history.to_numpy())))
    scores = forecaster.calibration_scores_
    row = {"origins": 0 if scores is None else scores.shape[0]}
    for level in LEVELS:
        rules = {"naive": naive_radius(history.to_numpy(), horizon, SEASON[freq], level)}
        if scores is not None:
            rules["per_step"] = conformal_radius(scores, level) * scale[0]
        for rule, half in rules.items():
            with np.errstate(invalid="ignore"):
                lower, upper = forecaster._fitted.user_bounds(
                    forecast + np.stack([-half, half])[:, None, :], codes)
            inside = (truth >= lower[0]) & (truth <= upper[0])
            row[f"{rule} {level}"] = inside.mean()
            if level == 0.9:
                row[f"{rule} width"] = np.median(upper[0] - lower[0]) / step
    return row


def main():
    args = arguments(__doc__, RUNS_CSV)
    rows = [{"group": group, "draw": draw, "series": i, "rows": len(y),
             **score_series(y, horizon, freq)}
            for group, draw, i, y, horizon, freq in short_series(args.draws, args.n_series)]
    frame = pd.DataFrame(rows)
    frame.to_csv(args.runs_csv, index=False)
    print("\n| group | series | rule | n | " + " | ".join(f"inside {lv:.0%}" for lv in LEVELS)
          + " | median width 90% |")
    print("|---|---|---|---|" + "---|" * (len(LEVELS) + 1))
    for group, part in [*frame.groupby("group", sort=False), ("all", frame)]:
        for which, subset, rules in [("no backtest errors", part[part["origins"] == 0],
                                      ["naive"]),
                                     ("with backtest errors", part[part["origins"] > 0],
                                      ["naive", "per_step"])]:
            if subset.empty:  # e.g. --n-series 1: no series of that kind
                continue
            for rule in rules:
                cells = " | ".join(f"{subset[f'{rule} {lv}'].mean():.3f}" for lv in LEVELS)
                width = subset[f"{rule} width"]
                finite = width[np.isfinite(width)]
                print(f"| {group} | {which} | {rule} | {len(subset)} | {cells} | "
                      f"{np.median(finite) if len(finite) else np.nan:.2f} |")


if __name__ == "__main__":
    main()
