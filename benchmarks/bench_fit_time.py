"""Seconds of the default ``RNNForecaster.fit`` on every shipped series, for each ``n_jobs``.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_fit_time.py
    python benchmarks/bench_fit_time.py --jobs 1 2 --series airline_passengers

The series, rows and horizons are those of ``benchmarks/bench_rolling_origins.py``
(``benchmarks/golden_outputs.py`` lists them). Each series is fitted once per
``n_jobs`` value, alternating, ``--repeats`` times; the table gives the best
time of each, the ratio to the first ``n_jobs``, and whether the forecasts and
intervals equal those of the first ``n_jobs`` exactly (they should: each
network depends only on its seed). The ensemble's networks (five for the
backtest inside fit, then five final ones) are what ``n_jobs`` spreads over
processes; the linear skip, the windows and the scoring stay in this process.
"""

import argparse
import time
import warnings

import numpy as np

from golden_outputs import SHIPPED, _series
from rnnforecast import RNNForecaster


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--series", nargs="+", default=[row[0] for row in SHIPPED])
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    print("| series | rows | H | " + " | ".join(f"n_jobs={j} s" for j in args.jobs)
          + " | " + " | ".join(f"speed-up n_jobs={j}" for j in args.jobs[1:])
          + " | same forecasts |")
    print("|" + "---|" * (3 + 2 * len(args.jobs)))
    for name, loader, target, covariates, horizon, last, freq in SHIPPED:
        if name not in args.series:
            continue
        y, X = _series(loader, target, covariates, last)
        best = {j: np.inf for j in args.jobs}
        outputs = {}
        for _ in range(args.repeats):
            for j in args.jobs:
                forecaster = RNNForecaster(horizon=horizon, freq=freq, random_state=0, n_jobs=j,
                                           model="per_series")
                started = time.perf_counter()
                forecaster.fit(y, X)
                best[j] = min(best[j], time.perf_counter() - started)
                outputs[j] = forecaster.predict_interval(0.9).to_numpy()
        same = all(np.array_equal(outputs[j], outputs[args.jobs[0]]) for j in args.jobs)
        times = " | ".join(f"{best[j]:.1f}" for j in args.jobs)
        ratios = " | ".join(f"{best[args.jobs[0]] / best[j]:.2f}" for j in args.jobs[1:])
        print(f"| {name} | {len(y)} | {horizon} | {times} | {ratios} | {same} |", flush=True)


if __name__ == "__main__":
    main()
