"""The criteria of the seasonally adjusted per-series model, from stored runs.

    python benchmarks/bench_accuracy.py --panel design --methods per-series deseasonalised \
        "deseasonalised by strength" --runs-csv RUNS.csv --series ...   # the 21 non-sub-daily
    python benchmarks/bench_deseasonalised.py benchmarks/results/bench_deseasonalised_runs_design.csv \
        --candidate "deseasonalised by strength"

Reads the rows of ``bench_accuracy.py`` runs (``--runs-csv``) of ``per-series``
and a candidate, both with the same seeds, and prints what their criteria
(in ``bench_accuracy.VARIANTS``) ask: the series whose forecasts the
candidate changes (seed 0), the geometric mean of each series' mean MASE
over the seeds relative to per-series' over them and over all series, per
group and per seed, and every series. Report:
``benchmarks/results/bench_deseasonalised.md``.
"""

import argparse

import numpy as np
import pandas as pd

REFERENCE = "per-series"


def geometric_mean(values):
    return float(np.exp(np.mean(np.log(np.asarray(values, dtype=float)))))


def compare(runs, candidate):
    """Printable lines of the comparison of ``candidate`` with per-series."""
    table = runs.pivot_table(index=["series", "group"], columns=["method", "seed"],
                             values="mase")
    mean = {m: table[m].mean(axis=1) for m in (candidate, REFERENCE)}
    changed = (table[candidate][0] != table[REFERENCE][0]).to_numpy()
    lines = [f"changed series (seed 0): {int(changed.sum())} of {len(table)}"]
    if changed.any():
        ratio = geometric_mean(mean[candidate][changed]) / geometric_mean(mean[REFERENCE][changed])
        better = int((mean[candidate][changed] < mean[REFERENCE][changed]).sum())
        lines.append(f"over those: {ratio:.3f} times per-series, better on {better}")
    lines.append(f"over all: {geometric_mean(mean[candidate]) / geometric_mean(mean[REFERENCE]):.3f}"
                 " times per-series")
    groups = table.index.get_level_values("group")
    for group in pd.unique(groups):
        here = (groups == group)
        lines.append(f"  {group}: {geometric_mean(mean[candidate][here]) / geometric_mean(mean[REFERENCE][here]):.3f}")
    for seed in table[REFERENCE].columns:
        lines.append(f"  seed {seed}: "
                     f"{geometric_mean(table[candidate][seed]) / geometric_mean(table[REFERENCE][seed]):.3f}")
    every = pd.DataFrame({REFERENCE: mean[REFERENCE], candidate: mean[candidate]})
    every["ratio"] = every[candidate] / every[REFERENCE]
    lines.append(every.round(3).to_string())
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", help="runs CSVs of bench_accuracy.py")
    parser.add_argument("--candidate", default="deseasonalised by strength")
    args = parser.parse_args(argv)
    runs = pd.concat([pd.read_csv(path) for path in args.runs])
    runs = runs[runs["method"].isin([args.candidate, REFERENCE])]
    print("\n".join(compare(runs, args.candidate)))


if __name__ == "__main__":
    main()
