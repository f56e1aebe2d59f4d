"""CPU seconds of the default ``RNNForecaster.fit`` on short series, where the time goes to overheads.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_short_fit.py
    # two versions of the package, side by side (a worktree of the older commit):
    git worktree add /tmp/old <commit>
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH=/tmp/old python benchmarks/bench_short_fit.py

On a short series each of the ensemble's networks trains a few batches an
epoch, so what a fit does besides the arithmetic (checking the estimator's
parameters every epoch, copying a network at every better epoch, checking
the windows it forecasts from) is a large part of its time. The series are
synthetic (a drifting random walk plus a season of 12, seeded by their
length): yearly 40 points (horizon 6), quarterly 60 (8), monthly 144 and 400
(18). Each is fitted ``--repeats`` times with ``random_state=0``; the table
gives the best process CPU time (less sensitive than wall time to the other
work of a shared machine), and the first line which package was imported.
Compare versions with runs alternated on one machine, not with numbers of
another day.
"""

import argparse
import time
import warnings

import numpy as np
import pandas as pd

import rnnforecast
from rnnforecast import RNNForecaster

CASES = [("yearly", 40, "YS", 6), ("quarterly", 60, "QS", 8), ("monthly", 144, "MS", 18),
         ("monthly", 400, "MS", 18)]


def series(n, freq):
    rng = np.random.default_rng(n)
    values = np.cumsum(rng.normal(1, 3, n)) + 100 + 10 * np.sin(np.arange(n) * 2 * np.pi / 12)
    return pd.Series(values, index=pd.date_range("1990-01-01", periods=n, freq=freq))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    print(f"rnnforecast from {rnnforecast.__file__}")
    print("| series | rows | H | best CPU s of fit |")
    print("|---|---|---|---|")
    for name, n, freq, horizon in CASES:
        y = series(n, freq)
        best = np.inf
        for _ in range(args.repeats):
            started = time.process_time()
            RNNForecaster(horizon=horizon, random_state=0).fit(y)
            best = min(best, time.process_time() - started)
        print(f"| {name} | {n} | {horizon} | {best:.3f} |", flush=True)


if __name__ == "__main__":
    main()
