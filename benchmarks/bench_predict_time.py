"""Time of ``predict`` and ``predict_interval`` after a fit.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_predict_time.py

Three fitted forecasters (the default settings, seed 0): airline passengers
(horizon 18), and the 100 synthetic monthly series of
``bench_separate_models_time.py`` (horizon 12) with a model each (the default)
and with one global model. Each call is timed ``--repeats`` times after one call
to warm up; the best wall time is printed, in milliseconds, with a digest of the
forecasts so that runs of two versions of the code can be checked to forecast
the same. To compare versions, run the script with ``PYTHONPATH`` on a worktree
of each, alternating, in one session.
"""

import argparse
import hashlib
import time
import warnings

import numpy as np

import rnnforecast
from bench_separate_models_time import panel
from rnnforecast import RNNForecaster
from rnnforecast.datasets import load_airline_passengers


def best_ms(call, repeats):
    call()  # warm up
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        call()
        times.append(time.perf_counter() - began)
    return 1000 * min(times)


def digest(frame):
    return hashlib.sha1(np.ascontiguousarray(frame.to_numpy(), dtype=np.float64)).hexdigest()[:10]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    print(f"rnnforecast from {rnnforecast.__file__}")
    cases = [
        ("airline passengers", load_airline_passengers(), dict(horizon=18)),
        ("100 series, a model each", panel(), dict(horizon=12, many_series="separate")),
        ("100 series, one global model", panel(), dict(horizon=12, many_series="global")),
    ]
    print("| forecaster | fit s | predict ms | predict_interval(0.8) ms | forecast digest |")
    print("|---|---|---|---|---|")
    for name, y, settings in cases:
        began = time.perf_counter()
        forecaster = RNNForecaster(random_state=0, **settings).fit(y)
        fit = time.perf_counter() - began
        predict = best_ms(forecaster.predict, args.repeats)
        interval = best_ms(lambda: forecaster.predict_interval(0.8), args.repeats)
        print(f"| {name} | {fit:.1f} | {predict:.1f} | {interval:.1f} "
              f"| {digest(forecaster.predict())} |", flush=True)


if __name__ == "__main__":
    main()
