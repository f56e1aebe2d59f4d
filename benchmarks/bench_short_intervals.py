"""Prediction intervals of short series: per-step conformal bounds against bounds from errors pooled over the steps.

    python benchmarks/bench_short_intervals.py            # three draws of 40 series per group
    python benchmarks/bench_short_intervals.py --draws 1 --n-series 10

A short series leaves the backtest inside ``fit`` few calibration origins: 6
origins give 6 errors per horizon step, and the per-step rule of
:mod:`rnnforecast.forecasting.intervals` needs 9 for a symmetric 90% interval
(19 for 95%), so its bounds are infinite there. Pooling the errors of all
steps, each divided by a scale of its step, gives n x H errors at once. This
benchmark measures how often such bounds hold the values that came.

Series (synthetic, made by :func:`rnnforecast.synthetic.generate`, every
kind; no real series is used): yearly (25 to 45 points, horizon 6),
quarterly (30 to 60, horizon 8) and monthly (50 to 90, horizon 18), each cut
to a length drawn per series. The default ``RNNForecaster`` (seed 0) is
fitted on all but the last H points, and each rule's symmetric interval is
scored on those H: the share of values inside (pooled over the series and
draws) at 80%, 90% and 95%, the share of infinite bounds, and the median
width in units of the series' mean absolute one-step change.

Rules (radius at step h, in units of the window's scale, from the n x H
absolute backtest errors ``calibration_scores_``):

- ``per_step``: the forecaster's rule, the ceil((n + 1) c)-th smallest of the
  n errors of step h (infinite beyond n);
- ``pooled``: s_h times the ceil((N + 1) c)-th smallest of all N errors
  divided by their step's s_h, with s_h the mean absolute error of step h;
- ``pooled_trend``: the same with s_h = exp(a + b log h) fitted by least
  squares to the log of those means (a smoother step scale);
- ``pooled_flat``: s_h = 1 (one radius for every step);
- ``auto``: ``per_step`` where it is finite, ``pooled`` elsewhere.

Criterion for giving short series pooled bounds (written before the first
run): over the three groups and draws, ``pooled`` (or ``pooled_trend``)
holds at least nominal - 5 points at each of 80%, 90% and 95%, in every
group.
"""

import argparse
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from rnnforecast import RNNForecaster
from rnnforecast.forecasting.intervals import conformal_radius
from rnnforecast.synthetic import generate

LEVELS = (0.8, 0.9, 0.95)
# group -> (freq, shortest, longest, horizon)
GROUPS = {"yearly": ("YS", 25, 45, 6), "quarterly": ("QS", 30, 60, 8),
          "monthly": ("MS", 50, 90, 18)}
RUNS_CSV = Path(__file__).parent / "results" / "bench_short_intervals_runs.csv"
RULES = ("per_step", "pooled", "pooled_trend", "pooled_flat", "auto")


def _upper(values, coverage):
    values = np.sort(values[~np.isnan(values)])
    rank = int(np.ceil(round((len(values) + 1) * coverage, 9)))
    return values[rank - 1] if rank <= len(values) else np.inf


def step_scales(scores, trend):
    """s_h: the mean absolute error of each step, or its log-linear fit in log h."""
    means = np.nanmean(scores, axis=0)
    if not trend:
        return means
    steps = np.arange(1, len(means) + 1)
    ok = np.isfinite(means) & (means > 0)
    slope, intercept = np.polyfit(np.log(steps[ok]), np.log(means[ok]), 1)
    return np.exp(intercept + slope * np.log(steps))


def radius(scores, coverage, rule):
    if rule == "per_step":
        return conformal_radius(scores, coverage)
    if rule == "auto":
        own = conformal_radius(scores, coverage)
        return np.where(np.isfinite(own), own, radius(scores, coverage, "pooled"))
    if rule == "pooled_flat":
        scales = np.ones(scores.shape[1])
    else:
        scales = step_scales(scores, trend=rule == "pooled_trend")
    return scales * _upper((scores / scales).ravel(), coverage)


def score_series(y, horizon, freq):
    """Inside (rules x levels x H bools), widths at 90% (rules), or None
    when fit recorded no backtest errors."""
    history, truth = y.iloc[:-horizon], y.iloc[-horizon:].to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        forecaster = RNNForecaster(horizon=horizon, random_state=0, freq=freq).fit(history)
    scores = forecaster.calibration_scores_
    if scores is None:
        return None
    codes = forecaster._state.codes(None)
    forecast, scale = forecaster._forecast(codes)
    step = np.nanmean(np.abs(np.diff(history.to_numpy())))
    inside = np.zeros((len(RULES), len(LEVELS), horizon), bool)
    widths = np.zeros(len(RULES))
    for r, rule in enumerate(RULES):
        for k, level in enumerate(LEVELS):
            half = radius(scores, level, rule)
            offsets = np.stack([-half, half])
            with np.errstate(invalid="ignore"):
                lower, upper = forecaster._fitted.user_bounds(
                    forecast + offsets[:, None, :] * scale[:, None], codes)
            inside[r, k] = (truth >= lower[0]) & (truth <= upper[0])
            if level == 0.9:
                widths[r] = np.median(upper[0] - lower[0]) / step
    return inside, widths, scores.shape[0]


def short_series(draws, n_series):
    """``(group, draw, i, y, horizon, freq)`` of every series of the benchmark:
    draw d of a group generated with seed d, each series cut to a length
    drawn with seed 1000 + d."""
    for group, (freq, shortest, longest, horizon) in GROUPS.items():
        for draw in range(draws):
            rng = np.random.default_rng(1000 + draw)
            panel = generate(n_series, longest, seed=draw, freq=freq)
            lengths = rng.integers(shortest, longest + 1, n_series)
            for i, n in enumerate(lengths):
                y = pd.Series(panel.values[i, -n:],
                              index=pd.date_range("1990-01-01", periods=n, freq=freq))
                yield group, draw, i, y, horizon, freq
            print(f"{group} draw {draw} done", flush=True)


def arguments(doc, runs_csv):
    """The command line of a short-series benchmark: ``--draws``,
    ``--n-series`` (of :func:`short_series`) and ``--runs-csv``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--draws", type=int, default=3)
    parser.add_argument("--n-series", type=int, default=40)
    parser.add_argument("--runs-csv", type=Path, default=runs_csv)
    return parser.parse_args()


def main():
    args = arguments(__doc__, RUNS_CSV)
    rows = []
    for group, draw, i, y, horizon, freq in short_series(args.draws, args.n_series):
        result = score_series(y, horizon, freq)
        if result is None:
            rows.append({"group": group, "draw": draw, "series": i, "origins": 0})
            continue
        inside, widths, n_origins = result
        row = {"group": group, "draw": draw, "series": i, "origins": n_origins}
        for r, rule in enumerate(RULES):
            for k, level in enumerate(LEVELS):
                row[f"{rule} {level}"] = inside[r, k].mean()
            row[f"{rule} width"] = widths[r]
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame.to_csv(args.runs_csv, index=False)
    scored = frame[frame["origins"] > 0]
    print(f"\nseries without backtest errors: {(frame['origins'] == 0).sum()} of {len(frame)}")
    print("\n| group | rule | " + " | ".join(f"inside {level:.0%}" for level in LEVELS)
          + " | median width 90% | infinite at 90% |")
    print("|---|---|" + "---|" * (len(LEVELS) + 2))
    for group, part in [*scored.groupby("group", sort=False), ("all", scored)]:
        if part.empty:  # e.g. --n-series 1: no series with backtest errors
            continue
        for rule in RULES:
            cells = " | ".join(f"{part[f'{rule} {level}'].mean():.3f}" for level in LEVELS)
            width = part[f"{rule} width"]
            print(f"| {group} | {rule} | {cells} | {np.nanmedian(width[np.isfinite(width)]):.2f} "
                  f"| {np.mean(~np.isfinite(width)):.2f} |")


if __name__ == "__main__":
    main()
