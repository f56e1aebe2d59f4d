"""Hourly series with covariates: what the default's switch to the per-series model costs or gains.

    python benchmarks/bench_hourly_covariates.py                  # the design series
    python benchmarks/bench_hourly_covariates.py --series NAME ...

On hourly data the default (``model="by_frequency"``) forecasts with the
pretrained network, zero-shot, which reads the target alone; given covariates
``X`` it trains the per-series model instead, which reads them (18 s on 5,000
hours with ten weather columns, against 0.14 s zero-shot; ``bench_default_fit.py
--covariates``). Is that switch worth it?

The series: the hourly design series of ``bench_accuracy.py`` made from the
Beijing frame (``load_beijing_pm25``: PM2.5, temperature, dew point and pressure,
in several stretches), each with the frame's other ten columns over the same
rows as past covariates. The protocol of ``bench_accuracy.py``: two origins
(n - 2H, n - H), horizon 48, MASE against in-sample seasonal naive (m = 24).
Per origin:

- ``zero-shot``: the default without ``X`` (the pretrained network; no seed);
- ``per-series + X``: the default with ``X`` (the per-series model), seeds 0, 1, 2;
- ``per-series``: the per-series model without ``X``, seeds 0, 1, 2;
- ``combined + X``: the mean of the zero-shot and per-series + X forecasts
  (what ``model="combined"`` forecasts with ``X``), scored from the forecasts
  above, per seed.

Criterion, written before the first run (seventeenth session). Over the 8
design series, geometric mean of the MASE (each series' mean over seeds and
origins):

1. If ``zero-shot`` is at most 0.95 times ``per-series + X`` and better on at
   least 6 of the 8 series, the switch is a trap for users: the README's
   covariates and ``model=`` sections say so with these numbers.
2. If ``combined + X`` is at most 0.97 times the better of ``zero-shot`` and
   ``per-series + X``, and no worse than it on at least 6 of 8 series, a rule
   "hourly and half-hourly data with covariates: ``combined``" is a candidate
   for ``by_frequency``, to be confirmed on the shipped PM2.5 series with its
   covariates (a confirmation written before its run) before it is adopted.
Otherwise nothing changes but the README's report of the numbers. The dev panel
has no covariates and is not run.
"""

import argparse
import time
import warnings

import numpy as np
import pandas as pd

import bench_accuracy as bench
from rnnforecast import RNNForecaster, datasets

SEEDS = (0, 1, 2)
METHODS = ("zero-shot", "per-series + X", "per-series", "combined + X")


def beijing_specs():
    return [spec for spec in bench.DESIGN
            if spec.group == "sub-daily" and spec.source == "load_beijing_pm25"]


def covariates(spec, y):
    """The Beijing frame's other columns over the rows of ``y`` (missing
    values interpolated, as ``bench_accuracy.load`` does for the target)."""
    frame = datasets.load_beijing_pm25().drop(columns=spec.target)
    frame = frame.loc[y.index].astype(float)
    return frame.interpolate(limit_direction="both")


def forecast(history, X, horizon, model, seed):
    fitted = RNNForecaster(horizon=horizon, model=model, random_state=seed).fit(history, X)
    return fitted.predict().to_numpy()


def runs(spec):
    """Rows (series, method, seed, origin, mase, fit_s) of one series."""
    y = bench.load(spec)
    X = covariates(spec, y)
    rows = []
    for origin in bench.origins(len(y), spec.horizon):
        history, truth = y.iloc[:origin], y.iloc[origin:origin + spec.horizon].to_numpy()
        past = X.iloc[:origin]

        def score(method, seed, values, seconds):
            rows.append((spec.name, method, seed, origin,
                         bench.mase(truth, values, history.to_numpy(), spec.m), seconds))

        started = time.perf_counter()
        zero_shot = forecast(history, None, spec.horizon, "by_frequency", 0)
        score("zero-shot", -1, zero_shot, time.perf_counter() - started)
        for seed in SEEDS:
            started = time.perf_counter()
            with_x = forecast(history, past, spec.horizon, "by_frequency", seed)
            score("per-series + X", seed, with_x, time.perf_counter() - started)
            started = time.perf_counter()
            alone = forecast(history, None, spec.horizon, "per_series", seed)
            score("per-series", seed, alone, time.perf_counter() - started)
            score("combined + X", seed, (zero_shot + with_x) / 2, np.nan)
    return rows


def report(frame):
    """Per-series mean MASE of each method, geometric means, and the criterion."""
    table = frame.groupby(["series", "method"])["mase"].mean().unstack()[list(METHODS)]
    seconds = frame.groupby("method")["fit_s"].median()
    print("| series | " + " | ".join(METHODS) + " |")
    print("|---|" + "---|" * len(METHODS))
    for name, row in table.iterrows():
        print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in row) + " |")
    means = {m: bench.geometric_mean(table[m]) for m in METHODS}
    print("| geometric mean | " + " | ".join(f"{means[m]:.3f}" for m in METHODS) + " |")
    print("| median fit s | " + " | ".join(
        "" if np.isnan(seconds[m]) else f"{seconds[m]:.2f}" for m in METHODS) + " |")
    per_seed = frame[frame["seed"] >= 0].groupby(["seed", "method"])
    by_seed = per_seed.apply(lambda rows: bench.geometric_mean(
        rows.groupby("series")["mase"].mean())).unstack()
    print()
    print("geometric mean per seed (zero-shot has none):")
    print(by_seed.round(3).to_string())
    print()
    n = len(table)
    ratio = means["zero-shot"] / means["per-series + X"]
    wins = int((table["zero-shot"] < table["per-series + X"]).sum())
    print(f"1. zero-shot / per-series + X = {ratio:.3f} (bound 0.95), better on {wins} of {n} "
          f"(bound {n - 2}): {'met' if ratio <= 0.95 and wins >= n - 2 else 'not met'}")
    better = table[["zero-shot", "per-series + X"]].min(axis=1)
    best_mean = min(means["zero-shot"], means["per-series + X"])
    ratio = means["combined + X"] / best_mean
    no_worse = int((table["combined + X"] <= better).sum())
    print(f"2. combined + X / the better of the two = {ratio:.3f} (bound 0.97), no worse than "
          f"the better on {no_worse} of {n} (bound {n - 2}): "
          f"{'met' if ratio <= 0.97 and no_worse >= n - 2 else 'not met'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", nargs="+", help="only these design series")
    parser.add_argument("--runs-csv", help="also write the runs here")
    parser.add_argument("--report", nargs="+", metavar="CSV",
                        help="fit nothing: report the runs of these files (e.g. of parallel "
                             "invocations with --series)")
    args = parser.parse_args()
    if args.report:
        report(pd.concat([pd.read_csv(path) for path in args.report]))
        return
    warnings.simplefilter("ignore")
    specs = [spec for spec in beijing_specs() if not args.series or spec.name in args.series]
    rows = []
    for spec in specs:
        rows += runs(spec)
        print(f"{spec.name} done", flush=True)
    frame = pd.DataFrame(rows, columns=["series", "method", "seed", "origin", "mase", "fit_s"])
    if args.runs_csv:
        frame.to_csv(args.runs_csv, index=False)
    report(frame)


if __name__ == "__main__":
    main()
