"""One global RNNForecaster across many sensor-like series, against one model per series.

    python benchmarks/bench_many_series.py                      # 1,000 x 2,000 hourly points
    python benchmarks/bench_many_series.py --n-series 100 --length 1000 --sample 5

The series are synthetic hourly sensor readings: a daily cycle (period 24)
with its own amplitude and phase, a weaker weekly cycle, a slow random-walk
drift and AR(1) noise, each series at its own level and scale (levels from
0.01 to 10,000, log-uniform) and of its own length and start (between
``0.75 * length`` and ``length`` points, ending at the same hour). The last
``horizon`` points of every series are held out.

- global: ONE ``RNNForecaster(horizon=H, max_windows_per_series=K,
  model="per_series", many_series="global")`` fitted on the dict of all series (otherwise the
  defaults: window="auto" = 48, five GRUs, epochs by early stopping), then
  ``predict()`` for all series;
- default: ``RNNForecaster(horizon=H)`` on the same dict: on hourly data the
  pretrained network, zero-shot (``model="by_frequency"``), no training;
- local: one ``RNNForecaster(horizon=H, model="per_series")`` per series (every window
  of its series), on a random sample of ``--sample`` series;
- seasonal naive: the values one day (24 steps) earlier.

Times are wall-clock and CPU seconds of this process (on a shared machine
the CPU time is the steadier of the two).

Error: MASE, the mean absolute error over the held-out horizon divided by
the in-sample MAE of the seasonal-naive forecast (lag 24) on the training
part of the series. Reported: fit and predict seconds of the global model,
seconds per local model, and mean / median MASE of every method on the
sample (and of global and seasonal naive on all series).
"""

import argparse
import time
import warnings

import numpy as np
import pandas as pd

from rnnforecast.forecasting import RNNForecaster
from rnnforecast.metrics import mean_absolute_scaled_error, seasonal_naive_forecast

SEASON = 24


def make_series(n_series, length, seed):
    """A dict of ``n_series`` hourly sensor-like series ending at the same hour."""
    rng = np.random.RandomState(seed)
    end = pd.Timestamp("2026-06-01 00:00")
    series = {}
    for i in range(n_series):
        n = int(rng.randint(int(0.75 * length), length + 1))
        t = np.arange(n)
        daily = rng.uniform(0.5, 2.0) * np.sin(2 * np.pi * (t + rng.uniform(0, SEASON)) / SEASON)
        weekly = rng.uniform(0.0, 0.5) * np.sin(2 * np.pi * t / (7 * SEASON))
        drift = np.cumsum(rng.normal(0, 0.02, n))
        noise = np.zeros(n)
        phi, shocks = rng.uniform(0.3, 0.8), rng.normal(0, rng.uniform(0.1, 0.4), n)
        for k in range(1, n):
            noise[k] = phi * noise[k - 1] + shocks[k]
        level = 10 ** rng.uniform(-2, 4)
        values = level * (1 + 0.1 * (daily + weekly + drift + noise))
        index = pd.date_range(end=end, periods=n, freq="h")
        series[f"sensor_{i:04d}"] = pd.Series(values, index=index, name="reading")
    return series


def _epoch_windows(text):
    """``--max-windows-per-epoch``: "auto", "none" or a positive number."""
    if text in ("auto", "none"):
        return None if text == "none" else text
    return int(text)


def mase(history, truth, forecast):
    return mean_absolute_scaled_error(truth, forecast, history, SEASON)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-series", type=int, default=1000)
    parser.add_argument("--length", type=int, default=2000, help="points of the longest series")
    parser.add_argument("--horizon", type=int, default=24)
    parser.add_argument("--sample", type=int, default=20,
                        help="series given a model of their own (0: none)")
    parser.add_argument("--max-windows", type=int, default=50,
                        help="max_windows_per_series of the global model")
    parser.add_argument("--max-windows-per-epoch", type=_epoch_windows, default="auto",
                        help="max_windows_per_epoch of the global model: auto (the "
                             "default), none (every window) or a number")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", message=".*maximum iterations.*")
    h = args.horizon

    series = make_series(args.n_series, args.length, args.seed)
    train = {sid: s.iloc[:-h] for sid, s in series.items()}
    truth = {sid: s.to_numpy()[-h:] for sid, s in series.items()}
    lengths = [len(s) for s in series.values()]
    print(f"{args.n_series} series of {min(lengths)}-{max(lengths)} hourly points "
          f"({sum(lengths):,} in all), horizon {h}, last {h} held out")

    start, cpu = time.perf_counter(), time.process_time()
    forecaster = RNNForecaster(
        horizon=h, max_windows_per_series=args.max_windows, random_state=args.seed,
        model="per_series", max_windows_per_epoch=args.max_windows_per_epoch,
        many_series="global",
    ).fit(train)
    fit_seconds, fit_cpu = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    forecast = forecaster.predict()
    predict_seconds = time.perf_counter() - start
    print(f"global: fit {fit_seconds:.1f} s wall, {fit_cpu:.1f} s CPU (window "
          f"{forecaster.window_}, at most {args.max_windows} windows per series, epochs "
          f"{forecaster.n_epochs_} of {forecaster.epoch_windows_ or 'all'} windows), "
          f"predict {predict_seconds:.2f} s for {args.n_series} series")

    start, cpu = time.perf_counter(), time.process_time()
    default = RNNForecaster(horizon=h, random_state=args.seed).fit(train)
    default_forecast = default.predict()
    print(f"default ({set(default.method_)}): fit and predict "
          f"{time.perf_counter() - start:.1f} s wall, {time.process_time() - cpu:.1f} s CPU")

    scores = {"global": {}, "default": {}, "seasonal naive": {}}
    for sid in series:
        history = train[sid].to_numpy()
        scores["global"][sid] = mase(history, truth[sid], forecast.loc[sid].to_numpy())
        scores["default"][sid] = mase(history, truth[sid],
                                      default_forecast.loc[sid].to_numpy())
        baseline = seasonal_naive_forecast(history, h, SEASON)
        scores["seasonal naive"][sid] = mase(history, truth[sid], baseline)

    rng = np.random.RandomState(args.seed + 1)
    sample = sorted(rng.choice(list(series), size=min(args.sample, len(series)), replace=False))
    if sample:
        scores["local"] = fit_local_models(train, truth, sample, h, args.seed)
    report(scores, sample, h)


def fit_local_models(train, truth, sample, horizon, seed):
    """MASE of one per-series RNNForecaster per series of ``sample``."""
    scores, seconds, cpu_seconds = {}, [], []
    for sid in sample:
        start, cpu = time.perf_counter(), time.process_time()
        local = RNNForecaster(horizon=horizon, random_state=seed,
                              model="per_series").fit(train[sid])
        seconds.append(time.perf_counter() - start)
        cpu_seconds.append(time.process_time() - cpu)
        scores[sid] = mase(train[sid].to_numpy(), truth[sid], local.predict().to_numpy())
    print(f"local: {len(sample)} models, fit {np.mean(seconds):.1f} s wall, "
          f"{np.mean(cpu_seconds):.1f} s CPU per series (total {np.sum(seconds):.0f} s "
          f"wall; {len(train)} series would take about "
          f"{np.mean(cpu_seconds) * len(train) / 60:.0f} CPU min)")
    return scores


def report(scores, sample, horizon):
    n_series = len(scores["global"])
    print()
    print(f"| MASE (H={horizon}) | mean, sample of {len(sample)} | median, sample | "
          f"mean, all {n_series} | median, all |")
    print("|---|---|---|---|---|")
    for name in ["global", "default", "local", "seasonal naive"]:
        if name not in scores:
            continue
        on_sample = np.array([scores[name][sid] for sid in sample])
        sample_cols = (f"{on_sample.mean():.3f} | {np.median(on_sample):.3f}"
                       if sample else "- | -")
        everywhere = np.array(list(scores[name].values()))
        all_cols = (f"{everywhere.mean():.3f} | {np.median(everywhere):.3f}"
                    if len(everywhere) == n_series else "- | -")
        print(f"| {name} | {sample_cols} | {all_cols} |")
    if "local" in scores:
        wins = np.mean([scores["global"][s] < scores["local"][s] for s in sample])
        print(f"\nglobal better than local on {wins:.0%} of the sample")


if __name__ == "__main__":
    main()
