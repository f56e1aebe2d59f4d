"""Memory and time of window training on a long series: O(n), not O(n * window).

    python benchmarks/bench_long_series.py                          # 5,000,000 points
    python benchmarks/bench_long_series.py --sizes 200000 1000000   # a quick look

The series: one reading a minute, ``20 + 3 sin(2 pi t / 1440)`` plus AR(1)
noise (phi 0.95, innovations of standard deviation 0.3), float64, with 1% of
the readings missing (NaN). Each size is fitted in a fresh process:
``RNNForecaster(window=96, horizon=1, n_networks=1, n_calibration=0,
early_stopping=False)`` with a GRU of ``--hidden`` units (float32, batches of
``--batch-size``, ``--epochs`` epochs) and the linear skip.

Printed per size:

- series MB: the bytes of the float64 values;
- window matrix MB: what the n x window matrix of float64 windows would
  take (computed, not allocated: the forecaster never builds it);
- fit added MB: the peak resident memory of the process during fit minus
  its resident memory just before fit (the series, pandas, numpy and the
  package already loaded), from ``getrusage`` and ``/proc/self/status``;
- x series: fit added MB / series MB;
- epoch s: seconds of the networks' last epoch, as ``RNNRegressor``'s
  ``verbose`` reports it; windows/s: windows per second in that epoch;
- fit s: the whole fit (the windows' bookkeeping, the blockwise ridge of
  the linear skip, its residual targets and every epoch).
"""

import argparse
import contextlib
import io
import json
import re
import resource
import subprocess
import sys
import time
import warnings

import numpy as np
import pandas as pd
from scipy.signal import lfilter


def sensor_series(n, seed=0):
    """Minute readings with a daily cycle, AR(1) noise and 1% missing."""
    rng = np.random.RandomState(seed)
    noise = lfilter([1.0], [1.0, -0.95], 0.3 * rng.standard_normal(n))  # AR(1)
    t = np.arange(n)
    values = 20 + 3 * np.sin(2 * np.pi * t / 1440) + noise
    values[rng.rand(n) < 0.01] = np.nan
    index = pd.date_range("2017-01-01", periods=n, freq="min")
    return pd.Series(values, index=index, name="reading")


def resident_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def measure(n, window, hidden, batch_size, epochs):
    """One fit in this process; the numbers as a dict."""
    from rnnforecast import RNNForecaster, RNNRegressor

    y = sensor_series(n)
    forecaster = RNNForecaster(
        window=window, horizon=1, n_networks=1, n_calibration=0, early_stopping=False,
        random_state=0, model="per_series",
        regressor=RNNRegressor(cell="gru", hidden_size=hidden, batch_size=batch_size,
                               max_iter=epochs, learning_rate_init=0.003, verbose=1),
    )
    before = resident_mb()
    printed = io.StringIO()
    started = time.perf_counter()
    with warnings.catch_warnings(), contextlib.redirect_stdout(printed):
        warnings.simplefilter("ignore")
        forecaster.fit(y)
    fit_seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    epoch_seconds = [float(s) for s in re.findall(r", ([0-9.]+) s$", printed.getvalue(), re.M)]
    n_windows = forecaster.regressors_[0].t_ // forecaster.regressors_[0].n_iter_
    return dict(
        n=n, series_mb=y.nbytes / 1e6, matrix_mb=n * window * 8 / 1e6,
        added_mb=(peak - before) * 1.048576, epoch_s=epoch_seconds[-1],
        windows_per_s=n_windows / epoch_seconds[-1], fit_s=fit_seconds,
        final_loss=forecaster.regressors_[0].loss_curve_[-1],
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500_000, 5_000_000])
    parser.add_argument("--window", type=int, default=96)
    parser.add_argument("--hidden", type=int, default=16)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure(args.child, args.window, args.hidden, args.batch_size,
                                 args.epochs)))
        return

    print(f"window {args.window}, GRU {args.hidden} hidden, batch {args.batch_size}, "
          f"{args.epochs} epoch(s), float32, one process per size")
    print(f"{'points':>10} {'series MB':>10} {'window matrix MB':>17} {'fit added MB':>13} "
          f"{'x series':>9} {'epoch s':>8} {'windows/s':>10} {'fit s':>7}")
    for n in args.sizes:
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(n), "--window", str(args.window),
             "--hidden", str(args.hidden), "--batch-size", str(args.batch_size),
             "--epochs", str(args.epochs)],
            check=True, capture_output=True, text=True,
        )
        r = json.loads(child.stdout.strip().splitlines()[-1])
        print(f"{r['n']:>10,} {r['series_mb']:>10.1f} {r['matrix_mb']:>17,.0f} "
              f"{r['added_mb']:>13.1f} {r['added_mb'] / r['series_mb']:>9.1f} "
              f"{r['epoch_s']:>8.1f} {r['windows_per_s']:>10,.0f} {r['fit_s']:>7.1f}",
              flush=True)


if __name__ == "__main__":
    main()
