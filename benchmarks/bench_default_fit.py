"""Seconds of the default fit (``model="by_frequency"``) against ``model="per_series"``.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_default_fit.py
    python benchmarks/bench_default_fit.py --skip-per-series   # the default only: seconds

The series where the default forecasts with the pretrained network (hourly and
half-hourly data; see ``rnnforecast.forecasting.zero_shot``), and one where it
does not (minutes):

- ``beijing_pm25_5000``: the last 5,000 hourly PM2.5 readings, the target
  alone (the issue's "5,000 hourly points"), horizon 24;
- ``uk_electricity_2016``: the last 2,016 half-hours of UK demand, horizon 48
  (as in ``bench_accuracy.py``);
- ``sensor_hourly_200000``: 200,000 readings of
  ``bench_long_series.sensor_series`` (a cycle of 1,440 steps, AR(1) noise,
  1% missing) on an hourly index, horizon 24;
- ``sensor_15min_5000``: 5,000 readings of the same generator on a
  15-minute index, horizon 96, only with ``--quarter-hours``: the default
  trains per series there (the network was not pretrained on that period);
- ``sensor_minutes_200000``: the same generator on a minute index (its
  cycle a day), horizon 60, per series too, so only with ``--minutes``
  (about a minute a fit since ``max_windows_per_epoch="auto"``; an
  estimated 50 minutes before);
- ``beijing_pm25_5000_covariates``: the PM2.5 series above with its ten
  weather columns as past covariates (``X``), only with ``--covariates``:
  the pretrained network reads no covariates, so the default trains per
  series there.

Each fit runs once per model, in this process, with ``random_state=0``; the
table gives the seconds of ``fit``, the method the default ran and the ratio
(``per_series`` only up to 5,000 rows, and only where the default ran another
model).
Timings on the shared 2-core machine are noisy: compare within one run.
"""

import argparse
import time
import warnings

import pandas as pd

from bench_long_series import sensor_series
from rnnforecast import RNNForecaster, datasets

# model="per_series" is timed on series up to this long only: on 200,000
# points it would take most of an hour.
PER_SERIES_MAX_ROWS = 5000


def series_list(minutes, quarter_hours=False, covariates=False):
    """``[(name, y, X or None, horizon)]`` of the series asked for."""
    pm25 = datasets.load_beijing_pm25()["pm25"].iloc[-5000:]
    uk = datasets.load_uk_electricity_demand().iloc[-2016:]
    hourly = pd.Series(sensor_series(200_000).to_numpy(),
                       index=pd.date_range("2000-01-01", periods=200_000, freq="h"))
    found = [("beijing_pm25_5000", pm25, None, 24), ("uk_electricity_2016", uk, None, 48),
             ("sensor_hourly_200000", hourly, None, 24)]
    if quarter_hours:
        found.append(("sensor_15min_5000",
                      hourly.iloc[:5000].set_axis(pd.date_range("2000-01-01", periods=5000,
                                                                freq="15min")), None, 96))
    if minutes:
        found.append(("sensor_minutes_200000",
                      hourly.set_axis(pd.date_range("2000-01-01", periods=200_000,
                                                    freq="min")), None, 60))
    if covariates:
        weather = datasets.load_beijing_pm25().iloc[-5000:].drop(columns="pm25")
        found.append(("beijing_pm25_5000_covariates", pm25, weather, 24))
    return found


def timed_fit(y, X, horizon, model):
    forecaster = RNNForecaster(horizon=horizon, random_state=0, model=model)
    started = time.perf_counter()
    forecaster.fit(y, X)
    return time.perf_counter() - started, forecaster.method_


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-per-series", action="store_true",
                        help="time the default only")
    parser.add_argument("--minutes", action="store_true",
                        help="also the 200,000 minutes (per-series by default: about a minute)")
    parser.add_argument("--quarter-hours", action="store_true",
                        help="also 5,000 quarter-hours (per-series by default)")
    parser.add_argument("--covariates", action="store_true",
                        help="also the 5,000 hours with their weather (per-series by default)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    print("| series | rows | H | default s | default ran | per_series s | per_series / default |")
    print("|---|---|---|---|---|---|---|")
    for name, y, X, horizon in series_list(args.minutes, args.quarter_hours, args.covariates):
        seconds, method = timed_fit(y, X, horizon, "by_frequency")
        if args.skip_per_series or len(y) > PER_SERIES_MAX_ROWS or method == "model":
            per_series, ratio = "", ""
        else:
            s, _ = timed_fit(y, X, horizon, "per_series")
            per_series, ratio = f"{s:.1f}", f"{s / seconds:.0f}"
        print(f"| {name} | {len(y)} | {horizon} | {seconds:.2f} | {method} | {per_series} | "
              f"{ratio} |", flush=True)


if __name__ == "__main__":
    main()
