"""A unit-root test choosing the linear skip's parametrisation (issue 14): scored from stored runs, rejected.

    python benchmarks/bench_kpss_rule.py

Candidate: the per-series model with the ``relative`` linear skip of
``bench_linear_skip_variants.py`` (shrinking towards the last value plus the
mean change) when the training part before an origin fails the KPSS test of
level stationarity at 5%, and the default (absolute) linear skip otherwise:
the test with which AutoARIMA decides to difference a series (statsforecast's
and R forecast's ``ndiffs``: a constant, a Bartlett long-run variance with
``floor(3 sqrt(n) / 13)`` lags, critical value 0.463).

Nothing is refitted: both parametrisations' MASE at each origin of the 21
design series that are not sub-daily (seeds 0, 1, 2) are read from
``results/bench_linear_skip_variants_runs.csv`` and
``results/bench_accuracy_runs_design.csv``, and the rule takes, at each
origin, the one the test on that origin's training part chooses. Criterion and
result in ``results/bench_linear_skip_variants.md``.
"""

from pathlib import Path

import numpy as np
import pandas as pd

import bench_accuracy as ba

RESULTS = Path(__file__).parent / "results"
CRITICAL_5_PERCENT = 0.463


def kpss_level(x):
    """KPSS statistic for stationarity around a constant (Kwiatkowski et al. 1992):
    the sum of squared partial sums of the demeaned series over n^2 times its
    long-run variance (Bartlett weights, ``floor(3 sqrt(n) / 13)`` lags)."""
    x = np.asarray(x, dtype=float)
    n = len(x)
    e = x - x.mean()
    partial = np.cumsum(e)
    lags = int(np.floor(3 * np.sqrt(n) / 13))
    long_run = e @ e / n
    for k in range(1, lags + 1):
        long_run += 2 * (1 - k / (lags + 1)) * (e[k:] @ e[:-k]) / n
    return (partial @ partial) / (n * n * long_run)


def main():
    runs = pd.read_csv(RESULTS / "bench_linear_skip_variants_runs.csv")
    relative = runs[runs.method == "per-series, linear skip relative"]
    design = pd.read_csv(RESULTS / "bench_accuracy_runs_design.csv")
    base = design[design.method == "per-series"]
    specs = {s.name: s for s in ba.DESIGN}
    rows = []
    for name in sorted(relative.series.unique()):
        spec = specs[name]
        y = ba.load(spec).to_numpy()
        stats = [kpss_level(y[:start]) for start in ba.origins(len(y), spec.horizon)]
        for seed in sorted(relative.seed.unique()):
            r = relative[(relative.series == name) & (relative.seed == seed)].iloc[0]
            b = base[(base.series == name) & (base.seed == seed)].iloc[0]
            chosen = [(r if stat > CRITICAL_5_PERCENT else b)[f"mase_origin_{k}"]
                      for k, stat in enumerate(stats, 1)]
            rows.append(dict(series=name, group=spec.group, seed=seed, kpss_1=stats[0],
                             kpss_2=stats[1], per_series=b.mase, relative=r.mase,
                             rule=np.mean(chosen)))
    table = pd.DataFrame(rows)
    per = table.groupby(["series", "group"]).mean(numeric_only=True).drop(columns="seed")
    per["rule / per-series"] = per.rule / per.per_series
    print(per.round(3).to_string())
    ratio = ba.geometric_mean(per.rule) / ba.geometric_mean(per.per_series)
    print(f"\nrule / per-series over {len(per)} series: {ratio:.3f}")
    for seed, scores in table.groupby("seed"):
        print(f"  seed {seed}: "
              f"{ba.geometric_mean(scores.rule) / ba.geometric_mean(scores.per_series):.3f}")
    for group, scores in per.groupby(level="group"):
        print(f"  {group} ({len(scores)}): "
              f"{ba.geometric_mean(scores.rule) / ba.geometric_mean(scores.per_series):.3f}")


if __name__ == "__main__":
    main()
