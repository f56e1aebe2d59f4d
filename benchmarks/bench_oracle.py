"""How far a choice among our own methods could go: the per-series oracle, from stored runs.

    python benchmarks/bench_oracle.py

No fitting. For each panel, the geometric-mean MASE of every rnnforecast
variant with stored runs on all its series (mean over seeds), of the best
single statistical anchor, and of two oracles that know the test values:
the best of our variants for each series, and the best anchor for each
series. An oracle is not a method. It bounds what any rule choosing or
switching between these variants per series could reach, and so says
whether a target is in reach of selection at all, or needs a better method.

Panels and runs (``benchmarks/results``):

- design: its 32 series (``bench_accuracy_runs_design.csv``; anchors
  ``anchors_design.csv``), and its 21 non-sub-daily series with the
  fine-tuned variants too (``bench_fine_tuning_runs_design.csv``);
- dev + shipped: the 26 series of the issue's targets
  (``bench_accuracy_runs.csv``, ``bench_fine_tuning_runs_all.csv``; anchors
  ``anchors.csv``). Measured only: nothing is chosen on it.
"""

from pathlib import Path

import numpy as np
import pandas as pd

RESULTS = Path(__file__).parent / "results"
# title -> (run files, anchor file, groups left out)
PANELS = {
    "design, all 32 series": (["bench_accuracy_runs_design.csv"], "anchors_design.csv", ()),
    "design, the 21 non-sub-daily series (with the fine-tuned variants)": (
        ["bench_accuracy_runs_design.csv", "bench_fine_tuning_runs_design.csv"],
        "anchors_design.csv", ("sub-daily",)),
    "dev + shipped, 26 series": (
        ["bench_accuracy_runs.csv", "bench_fine_tuning_runs_all.csv"], "anchors.csv", ()),
}
ANCHORS = ("AutoETS", "AutoARIMA", "AutoTheta", "Ridge")


def geometric_mean(values):
    return float(np.exp(np.mean(np.log(np.asarray(values, dtype=float)))))


def mean_by_series(files, left_out=()):
    """``series x method`` MASE, the mean over seeds, without the groups
    ``left_out``."""
    frame = pd.concat([pd.read_csv(RESULTS / name, dtype={"seed": str}) for name in files])
    frame = frame[~frame["group"].isin(left_out)]
    return frame.groupby(["series", "method"])["mase"].mean().unstack()


def panel_report(title, run_files, anchor_file, left_out):
    ours = mean_by_series(run_files, left_out)
    anchors = mean_by_series([anchor_file], left_out)
    # The series the anchors cover, and the variants run on all of them.
    series = ours.index[ours.index.isin(anchors.index)]
    ours = ours.loc[series].dropna(axis=1)
    anchors = anchors.loc[series, list(ANCHORS)]
    best_name = min(ANCHORS, key=lambda name: geometric_mean(anchors[name]))
    best = geometric_mean(anchors[best_name])
    lines = [f"## {title}", "", "| method | geometric-mean MASE | / best anchor |", "|---|---|---|"]
    rows = [(name, geometric_mean(anchors[name])) for name in ANCHORS]
    rows += [(name, geometric_mean(ours[name])) for name in ours.columns]
    rows += [("oracle: best of our variants per series", geometric_mean(ours.min(axis=1))),
             ("oracle: best anchor per series", geometric_mean(anchors.min(axis=1)))]
    lines += [f"| {name} | {value:.3f} | {value / best:.3f} |" for name, value in rows]
    lines += ["", f"{len(series)} series; best single anchor: {best_name}.", ""]
    return "\n".join(lines)


def main():
    print("\n".join(panel_report(title, *files) for title, files in PANELS.items()))


if __name__ == "__main__":
    main()
