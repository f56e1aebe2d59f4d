"""One global model of many series against a model per series, on a heterogeneous synthetic panel.

    python benchmarks/bench_global_vs_per_series.py            # seeds 0, 1, 2
    python benchmarks/bench_global_vs_per_series.py --seeds 0

``rnnforecast forecast --id-column`` (and ``RNNForecaster.fit`` given many
series) fits ONE model to all the series. This compares it with a default
``RNNForecaster`` fitted to each series alone, on 100 monthly series of 96 to
144 points made by :func:`rnnforecast.synthetic.generate` (seed 3, every
kind: seasonal, trend, random walk, intermittent, kernel, mixture; series i
keeps its last ``96 + i % 49`` points). Each is forecast 18 months from its
last origin (the last 18 points held out). Printed per forecaster seed:
geometric mean and median of MASE (scale: in-sample seasonal naive, m = 12)
of the global model, the per-series models and seasonal naive, how many
series each model forecasts better than seasonal naive, and process CPU
seconds of the global fit and of the 100 per-series fits.
"""

import argparse
import time
import warnings

import numpy as np
import pandas as pd

from rnnforecast import RNNForecaster
from rnnforecast.metrics import seasonal_naive_forecast, seasonal_naive_scale
from rnnforecast.synthetic import generate

H, M = 18, 12


def panel():
    values = generate(100, 144, seed=3, freq="MS").values
    series = {}
    for i in range(100):
        n = 96 + i % 49
        series[f"s{i:03d}"] = pd.Series(values[i, -n:],
                                        index=pd.date_range("2000-01-01", periods=n, freq="MS"))
    return series


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    series = panel()
    history = {sid: y.iloc[:-H] for sid, y in series.items()}
    print("| seed | model | geometric-mean MASE | median MASE | better than seasonal naive "
          "| CPU s |")
    print("|---|---|---|---|---|---|")
    for seed in args.seeds:
        started = time.process_time()
        global_forecast = RNNForecaster(horizon=H, random_state=seed).fit(history).predict()
        seconds = {"global": time.process_time() - started, "per-series": 0.0,
                   "seasonal naive": 0.0}
        scores = []
        for sid, y in series.items():
            before, actual = history[sid], y.iloc[-H:].to_numpy()
            started = time.process_time()
            own = RNNForecaster(horizon=H, random_state=seed).fit(before).predict()
            seconds["per-series"] += time.process_time() - started
            scale = seasonal_naive_scale(before, M)
            scores.append([np.mean(np.abs(np.asarray(f) - actual)) / scale
                           for f in (global_forecast.loc[sid], own,
                                     seasonal_naive_forecast(before, H, M))])
        scores = pd.DataFrame(scores, columns=["global", "per-series", "seasonal naive"])
        for name in scores:
            better = ("-" if name == "seasonal naive" else
                      int((scores[name] < scores["seasonal naive"]).sum()))
            print(f"| {seed} | {name} | {np.exp(np.log(scores[name]).mean()):.3f} | "
                  f"{scores[name].median():.3f} | {better} | {seconds[name]:.1f} |", flush=True)


if __name__ == "__main__":
    main()
