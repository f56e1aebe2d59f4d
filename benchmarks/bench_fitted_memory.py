"""Memory a fitted forecaster keeps: many series, a model each.

    python benchmarks/bench_fitted_memory.py [--series 20]
    # two versions of the package (a worktree of the older commit):
    PYTHONPATH=/tmp/old python benchmarks/bench_fitted_memory.py

Fits the default forecaster (``many_series="separate"``, seed 0) to the first
``--series`` synthetic monthly series of ``bench_separate_models_time.py``
(120 points, horizon 12) and reports, with ``tracemalloc``, the memory still
allocated once ``fit`` has returned, and once ``predict`` has returned too,
against what was allocated before the fit (after a garbage collection each
time). Python's own allocations count, NumPy's arrays included; the
interpreter and the modules imported before do not.
"""

import argparse
import gc
import tracemalloc
import warnings

import rnnforecast
from bench_separate_models_time import panel
from rnnforecast import RNNForecaster


def allocated():
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=20)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    print(f"rnnforecast from {rnnforecast.__file__}")
    series = dict(list(panel().items())[:args.series])
    tracemalloc.start()
    before = allocated()
    forecaster = RNNForecaster(horizon=12, random_state=0, many_series="separate").fit(series)
    after_fit = allocated()
    forecaster.predict()
    after_predict = allocated()
    mib = 2 ** 20
    print(f"{args.series} series, a model each: {(after_fit - before) / mib:.1f} MiB kept "
          f"after fit, {(after_predict - before) / mib:.1f} MiB after predict "
          f"({(after_predict - before) / mib / args.series:.2f} MiB a series)")


if __name__ == "__main__":
    main()
