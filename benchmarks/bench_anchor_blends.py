"""Would a statistical partner help? The default averaged with statsforecast's forecasts.

    # the anchors' forecasts on the design panel (bench extra, a separate venv):
    python benchmarks/bench_accuracy.py --panel design --anchors compute \\
        --methods AutoETS AutoARIMA AutoTheta --anchors-csv /tmp/anchors.csv \\
        --forecasts-csv /tmp/anchor_forecasts.csv --runs-csv /tmp/runs.csv
    python benchmarks/bench_anchor_blends.py /tmp/anchor_forecasts.csv

A probe, not a candidate: the package cannot run statsforecast, so a blend that
helps would mean writing that method in the package first. It scores, from
forecasts already made (the default's with seeds 0, 1, 2, kept in
``results/bench_accuracy_forecasts_design.csv``, and the anchors' from the
file given), the mean of the default's forecast and each anchor's, of the
three anchors alone, and of all four, on the design panel only (the dev
panel is not for choosing what to build). MASE as ``bench_accuracy.py``
computes it (mean absolute error over the horizon over the in-sample scale,
averaged over the two origins), geometric means over series, each seed apart
and then averaged.

Criterion, written before the first run: a partner is worth building if the
default averaged with it scores at most 0.90 times the best single anchor over
the 32 design series (the issue's target) and at most 0.95 times the default
over the 21 that are not sub-daily (where the per-series model forecasts).
"""

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_FORECASTS = RESULTS / "bench_accuracy_forecasts_design.csv"
DEFAULT = "by frequency"
ANCHORS = ("AutoETS", "AutoARIMA", "AutoTheta")


def series_mase(frame):
    """MASE by series from forecast rows (one method, one seed)."""
    errors = (frame["forecast"] - frame["actual"]).abs() / frame["scale"]
    per_origin = errors.groupby([frame["series"], frame["origin"]]).mean()
    return per_origin.groupby(level=0).mean()


def geometric_mean(values):
    return float(np.exp(np.mean(np.log(values))))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("anchor_forecasts", type=Path)
    parser.add_argument("--default-forecasts", type=Path, default=DEFAULT_FORECASTS)
    args = parser.parse_args()
    default = pd.read_csv(args.default_forecasts)
    default = default[default["method"] == DEFAULT]
    anchors = pd.read_csv(args.anchor_forecasts)
    anchors = anchors[anchors["method"].isin(ANCHORS)]
    keys = ["series", "origin", "step"]
    wide = anchors.pivot_table(index=keys, columns="method", values="forecast")
    groups = default.drop_duplicates("series").set_index("series")["group"]
    non_sub_daily = groups.index[groups != "sub-daily"]

    three = " + ".join(ANCHORS)
    partners = dict(wide[list(ANCHORS)].items())
    partners[three] = wide[list(ANCHORS)].mean(axis=1)  # the three averaged
    scores = {}  # name -> list over seeds of MASE by series
    rows = anchors[anchors["method"] == ANCHORS[0]]  # the anchors' rows: one method's
    for name, forecast in partners.items():
        values = forecast.reindex(pd.MultiIndex.from_frame(rows[keys])).to_numpy()
        scores[name] = [series_mase(rows.assign(forecast=values))]
    for _, own in default.groupby("seed"):
        scores.setdefault(DEFAULT, []).append(series_mase(own))
        index = pd.MultiIndex.from_frame(own[keys])
        for name, forecast in partners.items():
            mean = (own["forecast"].to_numpy() + forecast.reindex(index).to_numpy()) / 2
            scores.setdefault(f"{DEFAULT} + {name} (mean)", []).append(
                series_mase(own.assign(forecast=mean)))

    def summary(series_names):
        row = {}
        for name, runs in scores.items():
            row[name] = np.mean([geometric_mean(r.reindex(series_names)) for r in runs])
        return row

    every, outside = summary(groups.index), summary(non_sub_daily)
    best_anchor = min(every[name] for name in ANCHORS)
    print(f"| forecast | all {len(groups)} | ratio to best anchor | "
          f"not sub-daily {len(non_sub_daily)} | ratio to the default there |")
    print("|---|---|---|---|---|")
    for name in scores:
        print(f"| {name} | {every[name]:.3f} | {every[name] / best_anchor:.3f} | "
              f"{outside[name]:.3f} | {outside[name] / outside[DEFAULT]:.3f} |")
    by_group = {name: pd.concat(runs, axis=1).mean(axis=1) for name, runs in scores.items()}
    print()
    print("| forecast | " + " | ".join(sorted(groups.unique())) + " |")
    print("|---|" + "---|" * groups.nunique())
    for name, mase in by_group.items():
        cells = [geometric_mean(mase.reindex(groups.index[groups == g]))
                 for g in sorted(groups.unique())]
        print(f"| {name} | " + " | ".join(f"{c:.3f}" for c in cells) + " |")


if __name__ == "__main__":
    main()
