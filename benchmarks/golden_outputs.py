"""Golden outputs: record what the package computes, to prove a refactor changes nothing.

    python benchmarks/golden_outputs.py record before.npz   # on the code before the change
    python benchmarks/golden_outputs.py record after.npz    # on the code after it
    python benchmarks/golden_outputs.py compare before.npz after.npz

``record`` runs, with ``n_jobs=1`` everywhere and fixed seeds:

- ``RNNForecaster(model="per_series")`` (the trained model; the default
  on every calendar but hourly and half-hourly) on every shipped data set (the rows, horizon and
  covariates of ``benchmarks/bench_rolling_origins.py``): ``predict()``,
  ``predict_interval(0.9)``, ``calibration_scores_`` and ``n_epochs_``;
- the README's many-series example (forecasts, intervals, and the forecast after
  ``update``) and its sequence-mode example (the forecast after ``update``);
- a model each (``many_series="separate"``) on three daily series with outliers,
  before and after an update (skipped on code without ``many_series``; a
  recording of such code then lacks those arrays);
- a recursive forecaster, and one without calibration;
- ``seasonal_lag="auto"`` (with the forecast after ``update``) and
  ``max_windows_per_epoch=200`` on Melbourne's last 1,500 days;
- the pretrained network through the forecaster: ``model="zero_shot"``,
  ``model="auto"`` on a small panel, and the default (``"by_frequency"``)
  on hourly PM2.5 (with the forecast after ``update``);
- a few ``RNNRegressor`` fits: every cell, two layers, truncated BPTT, missing
  steps, early stopping, ``partial_fit``.

``compare`` prints, for every array, whether it is bit-identical, else the
largest absolute and relative difference, and exits 1 if any array differs.
"""

import argparse
import sys
import time

import numpy as np
import pandas as pd

from rnnforecast import RNNForecaster, RNNRegressor, datasets

# (name, loader, target column, use the other columns as covariates, horizon, last rows, freq)
SHIPPED = [
    ("airline_passengers", "load_airline_passengers", None, False, 12, None, None),
    ("melbourne_daily_min_temp", "load_melbourne_daily_min_temp", None, False, 14, 1500, None),
    ("uk_electricity_demand", "load_uk_electricity_demand", None, False, 48, 2016, None),
    ("msft_stock", "load_msft_stock", "close", False, 5, 1000, "B"),
    ("sunspots", "load_sunspots", None, False, 12, 1200, None),
    ("beijing_pm25", "load_beijing_pm25", "pm25", True, 24, 2000, None),
    ("us_change", "load_us_change", "consumption", True, 4, None, None),
]


def _series(loader, target, covariates, last):
    data = getattr(datasets, loader)()
    if last is not None:
        data = data.iloc[-last:]
    if target is None:
        return data, None
    X = data.drop(columns=[target]) if covariates else None
    return data[target], X


def _forecaster_outputs(prefix, forecaster, out):
    out[f"{prefix}/predict"] = forecaster.predict().to_numpy()
    if forecaster.calibration_scores_ is not None:
        out[f"{prefix}/interval"] = forecaster.predict_interval(0.9).to_numpy()
        out[f"{prefix}/calibration_scores"] = forecaster.calibration_scores_
    if forecaster.n_epochs_ is not None:
        out[f"{prefix}/n_epochs"] = np.asarray(forecaster.n_epochs_)


def shipped(out):
    for name, loader, target, covariates, horizon, last, freq in SHIPPED:
        started = time.perf_counter()
        y, X = _series(loader, target, covariates, last)
        forecaster = RNNForecaster(horizon=horizon, freq=freq, random_state=0,
                                   model="per_series").fit(y, X)
        _forecaster_outputs(f"shipped/{name}", forecaster, out)
        print(f"{name}: {time.perf_counter() - started:.1f} s", flush=True)


# The panels below are one global model, the default for many series before
# many_series (which the code of earlier commits does not have) made it an option.
GLOBAL = {"many_series": "global"} if "many_series" in RNNForecaster().get_params() else {}


def many_series(out):
    rng = np.random.RandomState(0)
    hours = pd.date_range("2026-01-01", periods=600, freq="h")
    day = np.sin(2 * np.pi * np.arange(600) / 24)
    sensors = {
        "kitchen": pd.Series(21 + day + 0.1 * rng.randn(600), index=hours),
        "freezer": pd.Series(-18 + 0.2 * day[200:] + 0.02 * rng.randn(400), index=hours[200:]),
    }
    forecaster = RNNForecaster(horizon=24, max_windows_per_series=200, random_state=0,
                               model="per_series", **GLOBAL)
    forecaster.fit(sensors)
    _forecaster_outputs("many", forecaster, out)
    forecaster.update({"kitchen": pd.Series([21.5], index=[hours[-1] + pd.Timedelta("1h")])})
    out["many/predict_after_update"] = forecaster.predict().to_numpy()
    print("many series done", flush=True)


def separate_models(out):
    """A model each (``many_series="separate"``, where the code has it): three
    daily series, one with a spike, the forecasts, bounds and quantiles before
    and after an update that holds another outlier, and where the series stand."""
    if not GLOBAL:
        return
    rng = np.random.RandomState(1)
    days = pd.date_range("2025-01-01", periods=130, freq="D")
    week = np.sin(2 * np.pi * np.arange(130) / 7)
    series = {f"s{i}": pd.Series(50 + 5 * (i + 1) * week + rng.randn(130).cumsum(), index=days)
              for i in range(3)}
    series["s1"].iloc[60] = 1e5
    forecaster = RNNForecaster(horizon=7, n_networks=2, random_state=0, model="per_series",
                               many_series="separate")
    forecaster.fit({sid: y.iloc[:120] for sid, y in series.items()})
    _forecaster_outputs_each("separate", forecaster, out)
    new = {sid: y.iloc[120:125].copy() for sid, y in series.items()}
    new["s2"].iloc[2] = -1e5
    forecaster.update(new)
    _forecaster_outputs_each("separate/after_update", forecaster, out)
    out["separate/outliers"] = forecaster.outliers_.to_numpy()
    out["separate/n_rows_seen"] = forecaster.n_rows_seen_.to_numpy()
    out["separate/cutoff"] = forecaster.cutoff_.to_numpy().astype("datetime64[ns]").astype(np.int64)
    print("separate models done", flush=True)


def _forecaster_outputs_each(prefix, forecaster, out):
    out[f"{prefix}/predict"] = forecaster.predict().to_numpy()
    out[f"{prefix}/interval"] = forecaster.predict_interval(0.8).to_numpy()
    out[f"{prefix}/quantiles"] = forecaster.predict_quantiles([0.1, 0.5, 0.9],
                                                              series=["s2", "s0"]).to_numpy()


def sequence(out):
    minutes = pd.date_range("2026-01-01", periods=20_002, freq="min")
    load = pd.Series(np.sin(2 * np.pi * np.arange(20_002) / 60), index=minutes)
    forecaster = RNNForecaster(horizon=10, training="sequence", n_networks=1, random_state=0,
                               regressor=RNNRegressor(hidden_size=16, max_iter=10))
    forecaster.fit(load[:20_000])
    _forecaster_outputs("sequence", forecaster, out)
    forecaster.update(load[20_000:])
    out["sequence/predict_after_update"] = forecaster.predict().to_numpy()
    print("sequence done", flush=True)


def variants(out):
    y = datasets.load_airline_passengers()
    small = RNNRegressor(hidden_size=8, max_iter=20)
    recursive = RNNForecaster(horizon=6, strategy="recursive", regressor=small, n_networks=2,
                              random_state=1).fit(y)
    _forecaster_outputs("recursive", recursive, out)
    plain = RNNForecaster(horizon=6, n_calibration=0, linear_skip=False, regressor=small,
                          n_networks=2, random_state=2).fit(y)
    _forecaster_outputs("no_calibration", plain, out)
    # The opt-in options: the target a year earlier (1,500 days hold three
    # years), and epochs of 200 windows; the lag column filled by update.
    days = datasets.load_melbourne_daily_min_temp().iloc[-1500:]
    lagged = RNNForecaster(horizon=14, seasonal_lag="auto", regressor=small, n_networks=2,
                           random_state=3).fit(days.iloc[:-14])
    _forecaster_outputs("seasonal_lag", lagged, out)
    lagged.update(days.iloc[-14:])
    out["seasonal_lag/predict_after_update"] = lagged.predict().to_numpy()
    sampled = RNNForecaster(horizon=14, max_windows_per_epoch=200, regressor=small,
                            n_networks=2, random_state=4).fit(days)
    _forecaster_outputs("epoch_samples", sampled, out)


def pretrained(out):
    """The shipped pretrained network through the forecaster: zero-shot on
    airline passengers, and model="auto" on three shipped series as one panel
    (with the method it chose for each)."""
    y = datasets.load_airline_passengers()
    _forecaster_outputs("zero_shot", RNNForecaster(horizon=12, model="zero_shot").fit(y), out)
    small = RNNRegressor(hidden_size=8, max_iter=20)
    panel = {"airline": y, "sunspots": datasets.load_sunspots().iloc[-300:],
             "us_change": datasets.load_us_change()["consumption"]}
    panel["us_change"].index = pd.date_range("1970-01-01", periods=len(panel["us_change"]),
                                             freq="MS")
    auto = RNNForecaster(horizon=6, regressor=small, n_networks=2, random_state=0,
                         model="auto", **GLOBAL).fit(panel)
    _forecaster_outputs("auto", auto, out)
    methods = ["model", "zero-shot", "combined"]  # numbers, which compare() can subtract
    out["auto/method"] = np.array([methods.index(m) for m in auto.method_])
    # The default on hourly data: the network zero-shot, its bounds floored at 0.
    hours = datasets.load_beijing_pm25()["pm25"].iloc[-2000:]
    default = RNNForecaster(horizon=24).fit(hours.iloc[:-24])
    _forecaster_outputs("by_frequency", default, out)
    default.update(hours.iloc[-24:])
    out["by_frequency/predict_after_update"] = default.predict().to_numpy()


def regressors(out):
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, (400, 12, 2))
    y = np.column_stack([X[:, -3, 0] * X[:, -1, 1], X[:, -6, 1]])
    X_missing = X.copy()
    X_missing[rng.rand(400, 12) < 0.1] = np.nan
    cases = {
        "rnn": dict(cell="rnn"),
        "gru": dict(cell="gru"),
        "lstm": dict(cell="lstm"),
        "lstm_2_layers": dict(cell="lstm", num_layers=2),
        "gru_truncated": dict(cell="gru", bptt_steps=4),
        "rnn_relu_sgd": dict(cell="rnn", activation="relu", solver="sgd"),
        "gru_early_stopping": dict(cell="gru", early_stopping=True),
        "lstm_float64": dict(cell="lstm", dtype="float64"),
    }
    for name, params in cases.items():
        model = RNNRegressor(hidden_size=8, max_iter=15, random_state=0, **params)
        model.fit(X.reshape(400, -1), y)
        out[f"regressor/{name}"] = model.predict(X.reshape(400, -1))
    missing = RNNRegressor(hidden_size=8, max_iter=15, random_state=0)
    missing.fit(X_missing, y[:, 0])
    out["regressor/gru_missing"] = missing.predict(X_missing)
    partial = RNNRegressor(hidden_size=8, random_state=0)
    for _ in range(3):
        partial.partial_fit(X, y)
    out["regressor/gru_partial_fit"] = partial.predict(X)


def record(path):
    out = {}
    regressors(out)
    variants(out)
    pretrained(out)
    many_series(out)
    separate_models(out)
    sequence(out)
    shipped(out)
    np.savez(path, **out)
    print(f"{len(out)} arrays written to {path}")


def compare(before, after):
    a, b = np.load(before), np.load(after)
    differ = 0
    for key in sorted(set(a.files) | set(b.files)):
        if key not in a.files or key not in b.files:
            print(f"{key}: only in {'after' if key not in a.files else 'before'}")
            differ += 1
            continue
        x, y = a[key], b[key]
        if x.shape != y.shape:
            print(f"{key}: shape {x.shape} before, {y.shape} after")
            differ += 1
        elif np.array_equal(x, y, equal_nan=True):
            print(f"{key}: bit-identical")
        else:
            diff = np.abs(x - y)
            rel = diff / np.maximum(np.abs(x), 1e-300)
            print(f"{key}: DIFFERS, max abs {np.nanmax(diff):.3g}, max rel {np.nanmax(rel):.3g}")
            differ += 1
    print(f"{differ} of {len(set(a.files) | set(b.files))} arrays differ")
    return 1 if differ else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("record").add_argument("path")
    cmp = sub.add_parser("compare")
    cmp.add_argument("before")
    cmp.add_argument("after")
    args = parser.parse_args()
    if args.command == "record":
        record(args.path)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
