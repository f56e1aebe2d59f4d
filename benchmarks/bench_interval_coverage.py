"""How often the default's prediction intervals hold the values that came, on the sub-daily series.

    python benchmarks/bench_interval_coverage.py                     # the default only
    python benchmarks/bench_interval_coverage.py --per-series        # and model="per_series" (slow)

The series: every sub-daily series of ``bench_accuracy.py`` (design, dev and
shipped panels; the dev panel only measures here). At each of the protocol's
two origins (``n - 2H``, ``n - H``) the forecaster is fitted on what precedes
the origin and ``predict_interval(coverage)`` is scored on the H values after
it: the share of them inside the interval, and its mean width in units of the
MASE scale (the in-sample MAE of seasonal naive), for 80%, 90% and 95%.

Printed: one row per series and model (coverage at each level, width at 90%),
then the pooled coverage per panel. Steps of one origin are strongly
correlated (a missed day is missed for many hours), so the coverage of a
series moves a lot; compare the pooled rows with the nominal levels.
"""

import argparse
import warnings

import numpy as np
import pandas as pd

import bench_accuracy as bench
from rnnforecast import RNNForecaster

LEVELS = (0.8, 0.9, 0.95)


def sub_daily_specs():
    specs = bench.DESIGN + bench.dev_panel_specs() + bench.SHIPPED
    return [spec for spec in specs if spec.group == "sub-daily"]


def scores(spec, model):
    """Inside (bool, n_values x levels) and 90% widths in MASE-scale units."""
    y = bench.load(spec)
    inside, widths = [], []
    for start in bench.origins(len(y), spec.horizon):
        history, truth = y.iloc[:start], y.iloc[start:start + spec.horizon].to_numpy()
        forecaster = RNNForecaster(horizon=spec.horizon, random_state=0, model=model,
                                   freq=spec.forecaster_freq).fit(history)
        scale = bench.mase_scale(history.to_numpy(), spec.m)
        columns = []
        for level in LEVELS:
            bounds = forecaster.predict_interval(level)
            columns.append((truth >= bounds["lower"].to_numpy())
                           & (truth <= bounds["upper"].to_numpy()))
            if level == 0.9:
                widths.append(np.mean(bounds["upper"] - bounds["lower"]) / scale)
        inside.append(np.column_stack(columns))
    return np.concatenate(inside), float(np.mean(widths))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-series", action="store_true",
                        help="also model='per_series' (tens of seconds a fit)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    models = ["by_frequency"] + (["per_series"] if args.per_series else [])
    print("| series | panel | model | " + " | ".join(f"held {level:.0%}" for level in LEVELS)
          + " | width 90% (MASE scales) |")
    print("|---|---|---|" + "---|" * (len(LEVELS) + 1))
    pooled = []
    for spec in sub_daily_specs():
        for model in models:
            inside, width = scores(spec, model)
            pooled.append((spec.panel, model, inside))
            held = " | ".join(f"{share:.0%}" for share in inside.mean(axis=0))
            print(f"| {spec.name} | {spec.panel} | {model} | {held} | {width:.2f} |",
                  flush=True)
    print()
    print("| panel | model | values | " + " | ".join(f"held {level:.0%}" for level in LEVELS)
          + " |")
    print("|---|---|---|" + "---|" * len(LEVELS))
    frame = pd.DataFrame(pooled, columns=["panel", "model", "inside"])
    for (panel, model), rows in frame.groupby(["panel", "model"], sort=False):
        inside = np.concatenate(rows["inside"].to_list())
        held = " | ".join(f"{share:.1%}" for share in inside.mean(axis=0))
        print(f"| {panel} | {model} | {len(inside)} | {held} |")


if __name__ == "__main__":
    main()
