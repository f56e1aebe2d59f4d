"""Symmetric 90% intervals of hourly PM2.5 through December 2014: share of lower bounds below zero, and coverage.

    python benchmarks/bench_pm25_december.py

The README's Quantiles section measured this once, by hand, when the default
trained per series and bounds were not floored: 80% of the December lower
bounds were below zero. The protocol, as written there: each model fitted on
the 2,000 hours before 2014-12-01 (``datasets.load_beijing_pm25()["pm25"]``),
horizon 24, ``random_state=0``; then 31 daily origins, each day's 24 values
appended with ``update`` before the next forecast; ``predict_interval(0.9)``
scored on the observed values of each day.
"""

import warnings

import numpy as np
import pandas as pd

from rnnforecast import RNNForecaster, datasets


def december(model):
    y = datasets.load_beijing_pm25()["pm25"].astype(float)
    start = y.index.get_loc(pd.Timestamp("2014-12-01 00:00"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        forecaster = RNNForecaster(horizon=24, random_state=0, model=model).fit(
            y.iloc[start - 2000:start])
        lows, inside, n = [], 0, 0
        for day in range(31):
            if day:
                forecaster.update(y.iloc[start + 24 * (day - 1):start + 24 * day])
            bounds = forecaster.predict_interval(0.9)
            truth = y.iloc[start + 24 * day:start + 24 * (day + 1)].to_numpy()
            seen = ~np.isnan(truth)
            held = (truth >= bounds["lower"].to_numpy()) & (truth <= bounds["upper"].to_numpy())
            inside, n = inside + int(held[seen].sum()), n + int(seen.sum())
            lows.append(bounds["lower"].to_numpy())
    lows = np.concatenate(lows)
    return forecaster.method_, float((lows < 0).mean()), inside / n, n


def main():
    for model in ("by_frequency", "per_series"):
        method, below, coverage, n = december(model)
        print(f"{model} ({method}): lower bounds below zero {below:.1%}, "
              f"coverage {coverage:.1%} of {n} values")


if __name__ == "__main__":
    main()
