"""RNNForecaster on short trending series (its variants: naive fallback, pretrained network) against naive and drift.

    python benchmarks/bench_short_series.py            # three draws of 30 series
    python benchmarks/bench_short_series.py --draws 5

Each series is yearly, 25 to 44 points long, forecast 6 steps ahead: a level
of 100 plus a trend that slows down (slope drawn around 1, damped by a factor
drawn in [0.8, 1]), a random walk and noise (synthetic, made here; no real
series is used). Draw ``d`` uses data seed ``5 + d`` and ``random_state=d``.
MASE: the mean absolute error over the horizon divided by the mean absolute
one-step change of the training part; geometric mean over the series, and the
count of series where the forecaster is worse than twice the better of naive
(last value) and drift (the line through the first and last values). ``rnn``
is the per-series forecaster (``model="per_series"``, the default on yearly
data), ``linear`` its linear skip alone (``n_networks=0``), ``fallback`` the
per-series forecaster with ``naive_fallback=True``, ``zero_shot``, ``combined`` and ``auto`` the
forecaster with that ``model=`` (see :mod:`rnnforecast.forecasting.zero_shot`),
``fine_tuned`` and ``combined_ft`` the pretrained network fine-tuned on the series
(``fine_tune=True``) alone and averaged with ``rnn``;
``theta`` the classical Theta method (``theta_method.py``, not part of the
package) and ``rnn+theta`` the mean of its forecast and ``rnn``'s.
"""

import argparse
import warnings

import numpy as np
import pandas as pd

from rnnforecast import RNNForecaster
from theta_method import theta_forecast

H = 6
# Column -> the forecaster's settings besides horizon and random_state.
VARIANTS = {
    "rnn": {"model": "per_series"},
    "linear": {"model": "per_series", "n_networks": 0},
    "fallback": {"naive_fallback": True},
    "zero_shot": {"model": "zero_shot"},
    "combined": {"model": "combined"},
    "auto": {"model": "auto"},
    "fine_tuned": {"model": "zero_shot", "fine_tune": True},
    "combined_ft": {"model": "combined", "fine_tune": True},
}


def short_series(rng):
    n = int(rng.integers(25, 45))
    t = np.arange(n + H)
    slope, damping = rng.normal(1, 0.5), rng.uniform(0.8, 1.0)
    values = (100 + np.cumsum(slope * damping ** t) + np.cumsum(rng.normal(0, 0.5, n + H))
              + rng.normal(0, 0.5, n + H))
    y = pd.Series(values, index=pd.date_range("1960", periods=n + H, freq="YS"))
    return y[:n], y[n:].to_numpy()


def draw(d, n_series=30):
    rng = np.random.default_rng(5 + d)
    rows = []
    for _ in range(n_series):
        train, test = short_series(rng)
        n = len(train)
        scale = np.mean(np.abs(np.diff(train)))
        row = dict(rows=n)
        for name, settings in VARIANTS.items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                forecaster = RNNForecaster(horizon=H, random_state=d, **settings).fit(train)
            forecast = forecaster.predict().to_numpy()
            row[name] = np.mean(np.abs(forecast - test)) / scale
            if name == "rnn":
                rnn = forecast
            if name in ("fallback", "auto"):
                row[f"{name} method"] = forecaster.method_
        theta = theta_forecast(train.to_numpy(), 1, H)
        row["theta"] = np.mean(np.abs(theta - test)) / scale
        row["rnn+theta"] = np.mean(np.abs((rnn + theta) / 2 - test)) / scale
        last = train.iloc[-1]
        drift = last + (last - train.iloc[0]) / (n - 1) * np.arange(1, H + 1)
        row["naive"] = np.mean(np.abs(last - test)) / scale
        row["drift"] = np.mean(np.abs(drift - test)) / scale
        rows.append(row)
    return pd.DataFrame(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=3)
    args = parser.parse_args()
    for d in range(args.draws):
        table = draw(d)
        compared = [*VARIANTS, "theta", "rnn+theta"]
        columns = [*compared, "naive", "drift"]
        means = np.exp(np.log(table[columns]).mean()).round(3).to_dict()
        best = 2 * table[["naive", "drift"]].min(axis=1)
        worse = {name: int((table[name] > best).sum()) for name in compared}
        methods = {name: table[f"{name} method"].value_counts().to_dict()
                   for name in ("fallback", "auto")}
        print(f"draw {d}: geometric-mean MASE {means}; worse than 2x the better of naive "
              f"and drift on {worse} of {len(table)}; methods chosen {methods}", flush=True)


if __name__ == "__main__":
    main()
