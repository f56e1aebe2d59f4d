"""How often the default's prediction intervals hold the values that came, by default on the sub-daily series.

    python benchmarks/bench_interval_coverage.py                     # the default only
    python benchmarks/bench_interval_coverage.py --per-series        # and model="per_series" (slow)
    python benchmarks/bench_interval_coverage.py --groups weekly-daily monthly --panels design

The series: every series of ``bench_accuracy.py`` in ``--groups`` (sub-daily
unless told) and ``--panels`` (design, dev and shipped unless told; the dev
panel only measures here). At each of the protocol's
two origins (``n - 2H``, ``n - H``) the forecaster is fitted on what precedes
the origin and ``predict_interval(coverage)`` is scored on the H values after
it: the share of them inside the interval, and its mean width in units of the
MASE scale (the in-sample MAE of seasonal naive), for 80%, 90% and 95%.

Printed: one row per series and model (coverage at each level, width at 90%),
then the pooled coverage per panel. Steps of one origin are strongly
correlated (a missed day is missed for many hours), so the coverage of a
series moves a lot; compare the pooled rows with the nominal levels. An
infinite bound (a step with too few backtest errors for that level, as on
short series) holds every value; the pooled rows give the share of such
values.
"""

import argparse
import warnings

import numpy as np
import pandas as pd

import bench_accuracy as bench
from rnnforecast import RNNForecaster

LEVELS = (0.8, 0.9, 0.95)


GROUPS = ("yearly", "quarterly", "monthly", "weekly-daily", "sub-daily")
PANELS = ("design", "dev", "shipped")


def chosen_specs(groups=("sub-daily",), panels=PANELS):
    specs = bench.DESIGN + bench.dev_panel_specs() + bench.SHIPPED
    return [spec for spec in specs if spec.group in groups and spec.panel in panels]


def scores(spec, model):
    """Inside and infinite (bool, n_values x levels: the value lies inside the
    interval; a bound of that interval is infinite, too few backtest errors at
    that step) and 90% widths in MASE-scale units; None where a fit recorded no
    backtest errors (a series too short)."""
    y = bench.load(spec)
    inside, infinite, widths = [], [], []
    for start in bench.origins(len(y), spec.horizon):
        history, truth = y.iloc[:start], y.iloc[start:start + spec.horizon].to_numpy()
        forecaster = RNNForecaster(horizon=spec.horizon, random_state=0, model=model,
                                   freq=spec.forecaster_freq).fit(history)
        if forecaster.calibration_errors_ is None:
            return None
        scale = bench.mase_scale(history.to_numpy(), spec.m)
        columns, unbounded = [], []
        for level in LEVELS:
            bounds = forecaster.predict_interval(level)
            lower, upper = bounds["lower"].to_numpy(), bounds["upper"].to_numpy()
            columns.append((truth >= lower) & (truth <= upper))
            unbounded.append(~np.isfinite(lower) | ~np.isfinite(upper))
            if level == 0.9:
                widths.append(np.mean(upper - lower) / scale)
        inside.append(np.column_stack(columns))
        infinite.append(np.column_stack(unbounded))
    return np.concatenate(inside), np.concatenate(infinite), float(np.mean(widths))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-series", action="store_true",
                        help="also model='per_series' (tens of seconds a fit on sub-daily data)")
    parser.add_argument("--groups", nargs="+", choices=GROUPS, default=["sub-daily"])
    parser.add_argument("--panels", nargs="+", choices=PANELS, default=list(PANELS))
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    models = ["by_frequency"] + (["per_series"] if args.per_series else [])
    print("| series | panel | model | " + " | ".join(f"held {level:.0%}" for level in LEVELS)
          + " | width 90% (MASE scales) |")
    print("|---|---|---|" + "---|" * (len(LEVELS) + 1))
    pooled = []
    for spec in chosen_specs(args.groups, args.panels):
        for model in models:
            scored = scores(spec, model)
            if scored is None:
                print(f"| {spec.name} | {spec.panel} | {model} | no intervals: too short |"
                      + " |" * len(LEVELS), flush=True)
                continue
            inside, infinite, width = scored
            pooled.append((spec.panel, spec.group, model, inside, infinite))
            held = " | ".join(f"{share:.0%}" for share in inside.mean(axis=0))
            print(f"| {spec.name} | {spec.panel} | {model} | {held} | {width:.2f} |",
                  flush=True)
    frame = pd.DataFrame(pooled, columns=["panel", "group", "model", "inside", "infinite"])
    pooled_tables = [["panel", "model"]]
    if len(args.groups) > 1:
        pooled_tables.append(["panel", "group", "model"])
    for keys in pooled_tables:
        print()
        print("| " + " | ".join(keys) + " | values | "
              + " | ".join(f"held {level:.0%}" for level in LEVELS)
              + " | infinite bounds " + " / ".join(f"{level:.0%}" for level in LEVELS) + " |")
        print("|---" * (len(keys) + 1) + "|" + "---|" * (len(LEVELS) + 1))
        for key, rows in frame.groupby(keys, sort=False):
            inside = np.concatenate(rows["inside"].to_list())
            infinite = np.concatenate(rows["infinite"].to_list())
            held = " | ".join(f"{share:.1%}" for share in inside.mean(axis=0))
            unbounded = " / ".join(f"{share:.0%}" for share in infinite.mean(axis=0))
            print(f"| {' | '.join(key)} | {len(inside)} | {held} | {unbounded} |")


if __name__ == "__main__":
    main()
