"""A margin for the backtest's choice of the pretrained network (issue 14): measured, not adopted.

    python benchmarks/bench_choice_margin.py record --seeds 0 1 2 \\
        --out benchmarks/results/bench_choice_margin_backtests.csv     # about 4 min
    python benchmarks/bench_choice_margin.py score \\
        --backtests benchmarks/results/bench_choice_margin_backtests.csv

``model="auto"`` forecasts each series with whichever of the per-series model and the
pretrained network (and their mean) had the lower backtest error inside ``fit``; on
the dev panel its choices were too noisy to be the default (see the README). The
candidate here: on the series that are not sub-daily (where the default trains the
per-series model), the pretrained network forecasts only where its backtest error is
below ``r`` times the per-series model's.

``record`` fits ``RNNForecaster(model="auto")`` at the two protocol origins of each
non-sub-daily design series (``bench_accuracy.py --panel design``) and keeps the mean
absolute backtest error of both methods, read where the forecaster chooses
(``choose`` of :mod:`rnnforecast.forecasting.naive_fallback`, wrapped for the run).
``score`` applies each margin to those errors and scores the method chosen at each
origin with the per-origin MASE of the per-series and zero-shot rows of
``results/bench_accuracy_runs_design.csv`` (same seeds; the calibration backtest of
``auto`` is that of ``per_series``, seed for seed). Results and the criterion, written
down before the run, in ``results/bench_choice_margin.md``.
"""

import argparse
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import bench_accuracy
from rnnforecast import RNNForecaster
from rnnforecast.forecasting import window_training

RESULTS = Path(__file__).parent / "results"
MARGINS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def record(seeds):
    """Backtest errors of both methods in every fit, one row per (series, seed, origin)."""
    seen = []
    choose = window_training.choose

    def spy(candidates, codes, n_series):
        seen.append({name: float(np.nanmean(np.abs(errors)))
                     for name, errors in candidates.items()})
        return choose(candidates, codes, n_series)

    window_training.choose = spy
    rows = []
    try:
        for seed in seeds:
            for spec in bench_accuracy.DESIGN:
                if spec.group == "sub-daily":
                    continue
                y = bench_accuracy.load(spec)
                for k, start in enumerate(bench_accuracy.origins(len(y), spec.horizon), 1):
                    seen.clear()
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        RNNForecaster(horizon=spec.horizon, random_state=seed, model="auto",
                                      freq=spec.forecaster_freq).fit(y.iloc[:start])
                    errors = seen[0] if seen else {}  # none: too short for a backtest
                    rows.append(dict(series=spec.name, group=spec.group, seed=seed, origin=k,
                                     backtest_per_series=errors.get("model", np.nan),
                                     backtest_zero_shot=errors.get("zero-shot", np.nan)))
                    print(rows[-1], flush=True)
    finally:
        window_training.choose = choose
    return pd.DataFrame(rows)


def geometric_mean(values):
    return float(np.exp(np.mean(np.log(values))))


def score(backtests, runs, margin):
    """Per series (mean over seeds): MASE of the method the margin chooses and
    of the per-series model, the group and the zero-shot fits chosen."""
    per_series = runs[runs["method"] == "per-series"].set_index(["series", "seed"])
    zero_shot = runs[runs["method"] == "zero-shot"].groupby("series").first()
    rows = []
    for (series, seed), fits in backtests.groupby(["series", "seed"]):
        chosen = []
        for fit in fits.sort_values("origin").itertuples():
            column = f"mase_origin_{fit.origin}"
            zero = fit.backtest_zero_shot < margin * fit.backtest_per_series  # NaN: False
            chosen.append(zero_shot.loc[series, column] if zero
                          else per_series.loc[(series, seed), column])
        rows.append(dict(series=series, seed=seed, group=fits["group"].iloc[0],
                         chosen=np.mean(chosen), per_series=per_series.loc[(series, seed), "mase"],
                         zero_shot_fits=int((fits["backtest_zero_shot"]
                                             < margin * fits["backtest_per_series"]).sum())))
    return pd.DataFrame(rows)


def report(backtests, runs):
    lines = ["| r | ratio to per-series | seeds | yearly | quarterly | monthly | weekly-daily "
             "| zero-shot fits |", "|---|---|---|---|---|---|---|---|"]
    for margin in MARGINS:
        table = score(backtests, runs, margin)
        table["ratio"] = table["chosen"] / table["per_series"]
        by_series = table.groupby("series").agg(chosen=("chosen", "mean"),
                                                per_series=("per_series", "mean"),
                                                group=("group", "first"))
        by_series["ratio"] = by_series["chosen"] / by_series["per_series"]
        groups = by_series.groupby("group")["ratio"].apply(geometric_mean)
        seeds = table.groupby("seed")["ratio"].apply(geometric_mean)
        lines.append(
            f"| {margin} | {geometric_mean(by_series['ratio']):.3f} | "
            f"{seeds.min():.3f}-{seeds.max():.3f} | "
            + " | ".join(f"{groups.get(g, np.nan):.3f}"
                         for g in ("yearly", "quarterly", "monthly", "weekly-daily"))
            + f" | {table['zero_shot_fits'].sum()} of {len(backtests)} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["record", "score"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--out", type=Path, default=RESULTS / "bench_choice_margin_backtests.csv")
    parser.add_argument("--backtests", type=Path,
                        default=RESULTS / "bench_choice_margin_backtests.csv")
    parser.add_argument("--runs-csv", type=Path,
                        default=RESULTS / "bench_accuracy_runs_design.csv")
    args = parser.parse_args(argv)
    if args.action == "record":
        record(args.seeds).to_csv(args.out, index=False)
    else:
        print(report(pd.read_csv(args.backtests), pd.read_csv(args.runs_csv)))


if __name__ == "__main__":
    main()
