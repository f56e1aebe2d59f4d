"""Sequence training against window training on a 1,000,000-point sensor series.

    python benchmarks/bench_sequence.py                  # about 30 min on 2 busy cores
    python benchmarks/bench_sequence.py --n 200000 --max-iter 3   # a quick look

The series: hourly, ``20 + 3 sin(2 pi t / 24) + 1.5 sin(2 pi t / 168)`` plus
AR(1) noise (phi 0.9, innovations of standard deviation 0.5), so that a
forecaster can beat seasonal naive by reading the recent noise.

Part 1, one epoch of the core trainers (GRU, 32 hidden units, float32, one
BLAS thread, 24 outputs):

- sequence: :func:`rnnforecast._core.sequence_training.sequence_epoch` over the whole
  series, 32 streams, chunks of 48 steps (one pass over the series);
- window: ``RNNRegressor.partial_fit`` (one epoch, batches of 32) on a
  sample of ``--window-sample`` windows of 48 steps cut from the series;
  its time per epoch on every window of the series is that time times
  (number of windows / sample), an extrapolation (the cost is linear in
  the number of windows);
- window, all windows: one epoch of ``RNNRegressor`` over every window of
  the series, cut from it a batch at a time as ``RNNForecaster`` cuts them
  (``rnnforecast.forecasting.windows``), measured once.

Wall time is the median of ``--repeats`` epochs (one epoch for all
windows); memory is the peak of Python allocations (``tracemalloc``) during
one epoch, the series and the window sample being allocated before.

Part 2, backtest accuracy: ``RNNForecaster(horizon=24, n_networks=1)`` with
the GRU above (learning_rate_init=0.005, max_iter=``--max-iter``,
n_iter_no_change=3, the forecaster's early stopping on its calibration
origins), fitted once on the rows before the test part, then moved to each
test origin with ``update()`` (no refit). The test part is the last
``--test-rows`` rows, an origin every 10 rows. Fitted:

- training="sequence" on all training rows;
- training="sequence" on the last ``--window-rows`` training rows;
- training="window" (window 48 = window="auto" for hourly data) on the last
  ``--window-rows`` training rows;
- training="window" on all training rows (the longest fit; skipped with
  ``--no-window-all``);
- seasonal naive (lag 24).

MASE: MAE over the 24 steps divided by the in-sample MAE of seasonal naive
(lag 24) on the training rows, averaged over the origins. "fit peak" is the
peak of Python allocations during fit (tracemalloc, which is on during the
fits); "backtest s" the time of all update() and predict() calls.
"""

import argparse
import resource
import time
import tracemalloc

import numpy as np
import pandas as pd
from scipy.signal import lfilter

from rnnforecast import RNNForecaster, RNNRegressor
from rnnforecast._core.optimizers import Adam
from rnnforecast._core.recurrent import RecurrentNetwork
from rnnforecast._core.sequence_training import sequence_epoch
from rnnforecast.forecasting.scaling import WindowScaler, standardise
from rnnforecast.forecasting.sequence_training import step_targets
from rnnforecast.forecasting.future_steps import StepLayout
from rnnforecast.forecasting.window_model import WindowModel
from rnnforecast.forecasting.windows import SeriesWindows, WindowTrainingSet
from rnnforecast._blas_threads import blas_threads

HORIZON, SEASON, WINDOW, HIDDEN, STREAMS, BPTT = 24, 24, 48, 32, 32, 48


def sensor_series(n, seed=0):
    rng = np.random.RandomState(seed)
    t = np.arange(n)
    noise = lfilter([1.0], [1.0, -0.9], 0.5 * rng.standard_normal(n))
    values = 20 + 3 * np.sin(2 * np.pi * t / 24) + 1.5 * np.sin(2 * np.pi * t / 168) + noise
    return pd.Series(values, index=pd.date_range("2000-01-01", periods=n, freq="h"),
                     name="sensor")


def peak_memory(run):
    """Peak traced allocation (bytes) while ``run()`` runs."""
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def epoch_costs(y, args):
    """Part 1: seconds and peak bytes of one epoch of each trainer."""
    values = y.to_numpy()[:, None]
    scaler = WindowScaler().fit(values)
    z = standardise(values, scaler)
    X = z.astype(np.float32)
    Y = step_targets(z[:, 0], HORIZON)  # built chunk by chunk
    net = RecurrentNetwork("gru", 1, HIDDEN, 1, HORIZON, dtype=np.float32)
    net.initialize(np.random.RandomState(0))
    opt = Adam(net.params, 0.005)

    def seq_epoch():
        sequence_epoch(net, opt, X, Y, n_streams=STREAMS, bptt_steps=BPTT, alpha=1e-4,
                       clip_norm=1.0)

    # A window sample: windows of 48 standardised steps, targets relative to
    # the window's last value (what window mode trains on).
    rng = np.random.RandomState(1)
    n_windows = len(z) - WINDOW - HORIZON + 1
    ends = np.sort(rng.choice(np.arange(WINDOW - 1, WINDOW - 1 + n_windows),
                              args.window_sample, replace=False))
    windows = z[ends[:, None] + np.arange(-WINDOW + 1, 1), 0]
    level = windows[:, -1:]
    features = (windows - level).astype(np.float32)
    targets = (z[ends[:, None] + np.arange(1, HORIZON + 1), 0] - level).astype(np.float32)
    reg = RNNRegressor(hidden_size=HIDDEN, batch_size=32, learning_rate_init=0.005,
                       random_state=0)
    reg.partial_fit(features[:64], targets[:64])  # builds the network

    def win_epoch():
        reg.partial_fit(features, targets)

    # Every window, as RNNForecaster trains on them: cut from the series a
    # batch at a time (targets: the future relative to the window's level).
    series_windows = SeriesWindows([values], WINDOW, HORIZON, [scaler])
    all_windows = WindowTrainingSet.of(WindowModel([], None, StepLayout(1, [], 0), HORIZON), series_windows,
                                       series_windows.origins(0)[:n_windows], HORIZON)
    reg_all = RNNRegressor(hidden_size=HIDDEN, batch_size=32, learning_rate_init=0.005,
                           random_state=0)
    reg_all.partial_fit(features[:64], targets[:64])

    def all_epoch():
        reg_all.partial_fit_batches(all_windows)

    results = {}
    with blas_threads(1):
        for name, run in (("sequence", seq_epoch), ("window", win_epoch)):
            run()  # warm up the workspaces
            seconds = []
            for _ in range(args.repeats):
                started = time.perf_counter()
                run()
                seconds.append(time.perf_counter() - started)
            results[name] = (float(np.median(seconds)), peak_memory(run))
        started = time.perf_counter()
        peak = peak_memory(all_epoch)  # one epoch: it is long
        results["all windows"] = (time.perf_counter() - started, peak)
    return results, n_windows


def mase_backtest(forecaster, y, n_train, origins, scale):
    """Mean MASE of ``forecaster`` (fitted on y[:n_train]) from ``origins``,
    moved on with update(); and the seconds that took."""
    errors, cursor = [], n_train
    started = time.perf_counter()
    for origin in origins:
        if origin > cursor:
            forecaster.update(y.iloc[cursor:origin])
            cursor = origin
        truth = y.iloc[origin:origin + HORIZON].to_numpy()
        errors.append(np.mean(np.abs(forecaster.predict().to_numpy() - truth)) / scale)
    return float(np.mean(errors)), time.perf_counter() - started


def accuracy(y, args):
    """Part 2: MASE of each method over the test origins."""
    n = len(y)
    n_train = n - args.test_rows
    origins = np.arange(n_train, n - HORIZON + 1, 10)
    train = y.iloc[:n_train].to_numpy()
    scale = float(np.mean(np.abs(train[SEASON:] - train[:-SEASON])))
    values = y.to_numpy()
    naive = np.mean([
        np.mean(np.abs(values[o:o + HORIZON] - values[o - SEASON:o - SEASON + HORIZON]))
        for o in origins]) / scale
    rows = [("seasonal naive (lag 24)", "-", float(naive), 0.0, 0.0, 0, "-")]

    def regressor():
        return RNNRegressor(hidden_size=HIDDEN, learning_rate_init=0.005, batch_size=32,
                            max_iter=args.max_iter, n_iter_no_change=3, alpha=1e-4)

    fits = [
        ("sequence", n_train, dict(training="sequence")),
        ("sequence", args.window_rows, dict(training="sequence")),
        ("window", args.window_rows, dict(training="window")),
    ]
    if args.window_all:
        fits.append(("window", n_train, dict(training="window")))
    for training, n_rows, params in fits:
        f = RNNForecaster(horizon=HORIZON, regressor=regressor(), n_networks=1,
                          random_state=0, model="per_series", **params)
        part = y.iloc[n_train - n_rows:n_train]
        tracemalloc.start()
        started = time.perf_counter()
        f.fit(part)
        fit_seconds = time.perf_counter() - started
        fit_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        score, backtest_seconds = mase_backtest(f, y, n_train, origins, scale)
        rows.append((f"training={training!r}", f"{n_rows:,}", score, fit_seconds,
                     backtest_seconds, fit_peak, f.n_epochs_))
        print(rows[-1], flush=True)
    return rows, len(origins)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--window-sample", type=int, default=50_000)
    parser.add_argument("--window-rows", type=int, default=50_000)
    parser.add_argument("--test-rows", type=int, default=2_000)
    parser.add_argument("--max-iter", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-window-all", dest="window_all", action="store_false",
                        help="skip window training on every training row (the longest fit)")
    args = parser.parse_args()
    y = sensor_series(args.n)

    costs, n_windows = epoch_costs(y, args)
    seq_s, seq_mem = costs["sequence"]
    win_s, win_mem = costs["window"]
    per_window = win_s / args.window_sample
    print(f"\nOne epoch, GRU {HIDDEN} units, {HORIZON} outputs, float32, one thread; "
          f"series of {args.n:,} points")
    print(f"  sequence, all {args.n:,} steps ({STREAMS} streams, chunks of {BPTT}): "
          f"{seq_s:.2f} s, peak {seq_mem / 1e6:.1f} MB")
    print(f"  window {WINDOW}, sample of {args.window_sample:,} windows: {win_s:.2f} s, "
          f"peak {win_mem / 1e6:.1f} MB")
    print(f"  window {WINDOW}, all {n_windows:,} windows (extrapolated from the sample): "
          f"{per_window * n_windows:.0f} s, {per_window * n_windows / seq_s:.0f}x sequence")
    all_s, all_mem = costs["all windows"]
    print(f"  window {WINDOW}, all {n_windows:,} windows (measured, one epoch, cut a batch "
          f"at a time): {all_s:.0f} s, {all_s / seq_s:.0f}x sequence, "
          f"peak {all_mem / 1e6:.1f} MB")
    print(f"  a float32 matrix of all windows would hold "
          f"{n_windows * WINDOW * 4 / 1e6:.0f} MB (not built here)")

    rows, n_origins = accuracy(y, args)
    print(f"\nBacktest: {n_origins} origins in the last {args.test_rows:,} rows, "
          f"horizon {HORIZON}, max_iter={args.max_iter}")
    print(f"{'method':<26}{'rows':>11}{'MASE':>8}{'fit s':>9}{'fit peak MB':>13}"
          f"{'backtest s':>12}  epochs")
    for name, n_rows, score, fit_s, back_s, peak, epochs in rows:
        print(f"{name:<26}{n_rows:>11}{score:>8.3f}{fit_s:>9.1f}{peak / 1e6:>13.0f}"
              f"{back_s:>12.2f}  {epochs}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    print(f"\nPeak resident memory of the whole run: {rss:.0f} MB")


if __name__ == "__main__":
    main()
