"""Fit and forecast time of many series: a model each against one global model.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_separate_models_time.py

100 synthetic monthly series of 120 points (a yearly cycle of its own phase plus a
random walk), horizon 12, the default forecaster (five networks, seed 0) with
``many_series="separate"`` (the default wherever fit trains) and ``"global"``, in one
run: the wall seconds of ``fit``, of ``predict()`` (mean of five, after one to warm up)
and of ``predict_interval(0.8)``. A model each runs each series' networks on its own
window; one global model runs them once on the windows of all series.
"""

import time
import warnings

import numpy as np
import pandas as pd

from rnnforecast import RNNForecaster


def panel(n_series=100, n_rows=120):
    rng = np.random.default_rng(0)
    index = pd.date_range("2015-01-01", periods=n_rows, freq="MS")
    t = np.arange(n_rows)
    return {f"s{i}": pd.Series(100 + 10 * np.sin(2 * np.pi * t / 12 + i)
                               + rng.normal(0, 2, n_rows).cumsum(), index=index)
            for i in range(n_series)}


def main():
    warnings.simplefilter("ignore")
    series = panel()
    print("| many_series | fit s | predict ms | predict_interval ms |")
    print("|---|---|---|---|")
    for mode in ("separate", "global"):
        began = time.perf_counter()
        forecaster = RNNForecaster(horizon=12, random_state=0, many_series=mode).fit(series)
        fit = time.perf_counter() - began
        forecaster.predict()
        began = time.perf_counter()
        for _ in range(5):
            forecaster.predict()
        predict = (time.perf_counter() - began) / 5
        began = time.perf_counter()
        forecaster.predict_interval(0.8)
        interval = time.perf_counter() - began
        print(f"| {mode} | {fit:.1f} | {1000 * predict:.0f} | {1000 * interval:.0f} |",
              flush=True)


if __name__ == "__main__":
    main()
