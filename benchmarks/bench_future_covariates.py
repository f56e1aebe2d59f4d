"""What covariates known in advance are worth to the per-series RNNForecaster.

    python benchmarks/bench_future_covariates.py            # both cases, 3 seeds
    python benchmarks/bench_future_covariates.py --seeds 0  # one seed

Two cases, each forecast from rolling origins, MAE over the horizon averaged
over the origins, for three ``random_state`` values (the forecaster is
refitted every ``refit_every`` origins and moved on with ``update`` in
between, as a user would run it):

- **promotions** (synthetic, made here): 730 daily sales, a weekly season,
  noise, and a promotion on 15% of days (drawn at random) that adds 3 noise
  standard deviations. Without the promotion days to come no forecaster can
  place them; with ``future_covariates=["promo"]`` it reads them. Horizon 14,
  4 origins, refitted at each; one synthetic series per seed.
- **Beijing PM2.5** (shipped): 2,000 hours before each of the last 10
  origins (horizon 24, refitted every 5), with the weather columns. "past
  covariates" reads all 10 over the window; "known in advance" reads the
  seven that a weather forecast gives (dew point, temperature, pressure,
  wind direction) as known in advance and the three cumulated counters
  (hours of wind, snow, rain so far) as past covariates. The known values
  are the observed weather of the next 24 hours: an *oracle* weather
  forecast, an upper bound on what a real forecast of it would give.

Also: the forecaster without covariates, and seasonal naive.
"""

import argparse
import time

import numpy as np
import pandas as pd

from rnnforecast import RNNForecaster, datasets
from rnnforecast.metrics import seasonal_naive_forecast


def promotions(seed=0, n=730):
    rng = np.random.default_rng(1000 + seed)
    index = pd.date_range("2021-01-01", periods=n, freq="D")
    promo = (rng.random(n) < 0.15).astype(float)
    y = 50 + 4 * np.sin(2 * np.pi * np.arange(n) / 7) + 3 * promo + rng.normal(size=n)
    return pd.Series(y, index=index, name="sales"), pd.DataFrame({"promo": promo}, index=index)


PM25_KNOWN = ["dew_point_c", "temperature_c", "pressure_hpa", "wind_dir_NE", "wind_dir_NW",
              "wind_dir_SE", "wind_dir_calm_var"]


def pm25(n_origins=10, horizon=24, history=2000):
    frame = datasets.load_beijing_pm25().iloc[-(history + n_origins * horizon):]
    return frame["pm25"], frame.drop(columns="pm25")


def run(name, y, X, horizon, m, n_origins, seeds, known, refit_every=1, history=None):
    """MAE at each of the last ``n_origins`` origins of ``y`` for every variant."""
    rows = []
    start = len(y) - n_origins * horizon
    for k in range(n_origins):
        cut = start + k * horizon
        actual = y.iloc[cut:cut + horizon].to_numpy()
        rows.append((name, "seasonal naive", None, cut, np.nanmean(
            np.abs(seasonal_naive_forecast(y.iloc[:cut], horizon, m) - actual)), 0.0))
    for seed in seeds:
        variants = {
            "no covariates": (dict(), False),
            "past covariates": (dict(), True),
            "known in advance": (dict(future_covariates=known), True),
        }
        for variant, (params, with_X) in variants.items():
            forecaster = RNNForecaster(horizon=horizon, random_state=seed, model="per_series",
                                       **params)
            for k in range(n_origins):
                cut = start + k * horizon
                rows_X = (lambda part: X.iloc[part]) if with_X else (lambda part: None)
                started = time.perf_counter()
                if k % refit_every == 0:
                    first = 0 if history is None else cut - history
                    forecaster.fit(y.iloc[first:cut], rows_X(slice(first, cut)))
                else:
                    forecaster.update(y.iloc[cut - horizon:cut], rows_X(slice(cut - horizon, cut)))
                fit_seconds = time.perf_counter() - started
                future = rows_X(slice(cut, cut + horizon)) if "future_covariates" in params else None
                forecast = forecaster.predict(X=future).to_numpy()
                actual = y.iloc[cut:cut + horizon].to_numpy()
                rows.append((name, variant, seed, cut,
                             np.nanmean(np.abs(forecast - actual)), fit_seconds))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()
    rows = []
    for seed in args.seeds:
        y, X = promotions(seed)
        rows += run(f"promotions (series {seed})", y, X, 14, 7, 4, [seed], ["promo"])
    y, X = pm25()
    rows += run("beijing_pm25", y, X, 24, 24, 10, args.seeds, PM25_KNOWN, refit_every=5,
                history=2000)
    table = pd.DataFrame(rows, columns=["case", "variant", "seed", "origin", "mae", "fit_s"])
    table["case"] = table["case"].str.replace(r" \(series \d+\)", "", regex=True)
    per_seed = table.groupby(["case", "variant", "seed"], dropna=False)["mae"].mean()
    summary = per_seed.groupby(["case", "variant"]).agg(["mean", "min", "max"])
    refits = table[table["fit_s"] > 0]
    summary["fit_s"] = refits.groupby(["case", "variant"])["fit_s"].max()
    print("MAE over the origins (mean, min and max over the seeds); longest fit or "
          "update, seconds")
    print(summary.round(3).to_string())


if __name__ == "__main__":
    main()
