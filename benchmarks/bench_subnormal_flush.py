"""Fit seconds with and without the backward pass's flush of vanishing gradients.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_subnormal_flush.py

Backpropagated through a long window, dL/dstate often decays into subnormal
floats, on which x86 arithmetic is many times slower; the core sets entries
below ``tiny / eps`` to zero every ``FLUSH_EVERY`` steps
(:meth:`rnnforecast._core.recurrent.LayerWorkspace.flush_tiny`). This script
times per-series fits with the flush as shipped and with it switched off
(``FLUSH_EVERY`` set beyond any sequence length: one flush at the first step
only), alternating the two ``--repeats`` times in this process, and checks
that their forecasts are bit-identical:

- ``minutes_20000``: 20,000 readings of ``bench_long_series.sensor_series``
  (a daily cycle of 1,440 minutes; window 200), horizon 60, one network,
  ``max_windows_per_epoch=1024``;
- ``uk_electricity_2016``: the last 2,016 half-hours of UK demand (window
  96), horizon 48, the default ensemble;
- ``beijing_pm25_5000``: the last 5,000 hourly PM2.5 readings (window 48),
  horizon 24, the default ensemble.

All with ``model="per_series"`` and ``random_state=0``. Timings on the shared
2-core machine are noisy: compare within one run.
"""

import argparse
import time
import warnings

import numpy as np

import rnnforecast._core.recurrent as recurrent
from bench_long_series import sensor_series
from rnnforecast import RNNForecaster, datasets

SHIPPED_FLUSH_EVERY = recurrent.FLUSH_EVERY


def cases():
    minutes = sensor_series(20_000)
    return [
        ("minutes_20000", minutes, 60, dict(n_networks=1, max_windows_per_epoch=1024)),
        ("uk_electricity_2016", datasets.load_uk_electricity_demand().iloc[-2016:], 48, {}),
        ("beijing_pm25_5000", datasets.load_beijing_pm25()["pm25"].iloc[-5000:], 24, {}),
    ]


def timed_fit(y, horizon, params, flush):
    recurrent.FLUSH_EVERY = SHIPPED_FLUSH_EVERY if flush else 10**9
    try:
        forecaster = RNNForecaster(horizon=horizon, model="per_series", random_state=0,
                                   **params)
        started = time.perf_counter()
        forecaster.fit(y)
        seconds = time.perf_counter() - started
        return seconds, forecaster.predict().to_numpy(), forecaster.window_
    finally:
        recurrent.FLUSH_EVERY = SHIPPED_FLUSH_EVERY


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--cases", nargs="+", help="names of the cases to run (default all)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    print("| series | window | fit s, flush | fit s, no flush | no flush / flush | "
          "same forecasts |")
    print("|---|---|---|---|---|---|")
    for name, y, horizon, params in cases():
        if args.cases and name not in args.cases:
            continue
        seconds = {True: [], False: []}
        forecasts = {}
        for _ in range(args.repeats):
            for flush in (True, False):
                s, forecasts[flush], window = timed_fit(y, horizon, params, flush)
                seconds[flush].append(s)
        best = {flush: min(times) for flush, times in seconds.items()}
        print(f"| {name} | {window} | {best[True]:.1f} | {best[False]:.1f} | "
              f"{best[False] / best[True]:.2f} | "
              f"{np.array_equal(forecasts[True], forecasts[False])} |", flush=True)
    print(f"(best of {args.repeats} fits each, alternating)")


if __name__ == "__main__":
    main()
