"""Accuracy of the per-series RNNForecaster against two baselines, on every shipped data set.

    python benchmarks/bench_rolling_origins.py          # all series, about 10 min on 2 cores
    python benchmarks/bench_rolling_origins.py --quick  # without the networks-only column, ~5 min
    python benchmarks/bench_rolling_origins.py --series airline_passengers us_change

For each series, a rolling-origin backtest: the last ``origins * horizon``
points are cut into ``origins`` consecutive test blocks of ``horizon`` steps.
At every origin each method forecasts the next ``horizon`` steps from the data
before the origin:

- ``RNNForecaster(horizon=H, model="per_series")``, the product defaults
  before the pretrained network (window="auto", default GRU), refitted every ``refit_every`` origins and moved to the origins in
  between with ``update()`` (no refit), as a user would run it;
- seasonal naive: the value one season earlier (``m`` = the series' seasonal
  period; ``m = 1`` is the naive last value);
- the same forecaster with ``linear_skip=False`` (networks only), to show
  what the default's linear skip contributes (left out with ``--quick``);
- ridge regression on the same lags: the forecaster's window of the target
  (and of the covariates when the RNN gets them), direct multi-output,
  standardised inputs, ridge penalty chosen by efficient leave-one-out
  (``RidgeCV``), refitted and moved on exactly like the RNN.

Error: MASE, the mean absolute error over the horizon divided by the in-sample
MAE of the seasonal-naive forecast (lag ``m``) on the data before the origin,
averaged over the origins. The summary is the geometric mean, over the
series, of MASE(RNN) / MASE(best baseline of that series). The two series
with covariates are also run without them ("(no covariates)": the RNN and
the ridge see the target alone), reported beside the others but left out of
the geometric mean.

Long series are cut to their last ``last`` points (stated in the table). The
series, targets, seasonal periods and horizons are fixed per data set below;
nothing of the forecaster is tuned per data set.
"""

import argparse
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.linear_model import RidgeCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from rnnforecast import datasets
from rnnforecast.forecasting import RNNForecaster
from rnnforecast.metrics import seasonal_naive_scale
from rnnforecast.windowing import make_supervised


@dataclass(frozen=True)
class Series:
    name: str
    loader: str
    target: str | None  # column of a DataFrame; None for a Series
    covariates: bool  # the other columns as past covariates
    m: int  # seasonal period of the baseline and of the MASE scale
    horizon: int
    last: int | None  # use only the last points of a long series
    origins: int  # test blocks of `horizon` steps at the end
    refit_every: int  # refit at every k-th origin, update() in between
    freq: str | None = None  # for an index without a fixed frequency
    in_mean: bool = True  # counted in the geometric mean


SERIES = [
    Series("airline_passengers", "load_airline_passengers", None, False, 12, 12, None,
           origins=4, refit_every=1),
    Series("melbourne_daily_min_temp", "load_melbourne_daily_min_temp", None, False,
           365, 14, 1500, origins=12, refit_every=4),
    Series("uk_electricity_demand", "load_uk_electricity_demand", None, False, 48, 48,
           2016, origins=10, refit_every=5),
    Series("msft_stock", "load_msft_stock", "close", False, 1, 5, 1000, freq="B",
           origins=20, refit_every=10),
    Series("sunspots", "load_sunspots", None, False, 1, 12, 1200, origins=10,
           refit_every=5),
    Series("beijing_pm25", "load_beijing_pm25", "pm25", True, 24, 24, 2000, origins=10,
           refit_every=5),
    Series("us_change", "load_us_change", "consumption", True, 4, 4, None, origins=8,
           refit_every=2),
    # The series with covariates once more without them: do the covariates help?
    # (reported, not counted in the geometric mean, so that it stays over the
    # same seven series)
    Series("beijing_pm25 (no covariates)", "load_beijing_pm25", "pm25", False, 24, 24,
           2000, origins=10, refit_every=5, in_mean=False),
    Series("us_change (no covariates)", "load_us_change", "consumption", False, 4, 4,
           None, origins=8, refit_every=2, in_mean=False),
]


def load(spec):
    data = getattr(datasets, spec.loader)()
    if spec.target is None:
        y, X = data.astype(float), None
    else:
        y = data[spec.target].astype(float)
        X = data.drop(columns=spec.target).astype(float) if spec.covariates else None
    if spec.last is not None:
        y = y.iloc[-spec.last:]
        X = None if X is None else X.iloc[-spec.last:]
    return y, X


# --------------------------------------------------------------------------- #
# Baselines
# --------------------------------------------------------------------------- #
def seasonal_naive(history, m, horizon):
    """Repeat the last season: y[t+h] = y[t+h-m*k], k the fewest seasons back."""
    history = pd.Series(history).ffill().to_numpy()
    steps = np.arange(horizon)
    return history[len(history) - m + steps % m]


class RidgeOnLags:
    """Direct multi-output ridge on the last ``window`` rows (NaN forward-filled)."""

    def __init__(self, window, horizon):
        self.window, self.horizon = window, horizon

    def _frame(self, y, X):
        frame = y.to_frame("y") if X is None else pd.concat([y.rename("y"), X], axis=1)
        return frame.ffill().bfill()

    def fit(self, y, X=None):
        inputs, future = make_supervised(self._frame(y, X), self.window, self.horizon,
                                         target="y")
        self.model = make_pipeline(StandardScaler(), RidgeCV(alphas=np.logspace(-3, 3, 13)))
        self.model.fit(inputs.to_numpy(), future.to_numpy())
        return self

    def predict(self, y, X=None):
        frame = self._frame(y, X).iloc[-self.window:]
        return self.model.predict(frame.to_numpy().reshape(1, -1))[0]


# --------------------------------------------------------------------------- #
# Backtest
# --------------------------------------------------------------------------- #
def backtest(spec, seed=0, networks_only=True):
    """MASE of each method, averaged over the origins; the RNN's mean fit
    seconds, its window and the number of rows used."""
    y, X = load(spec)
    H, n = spec.horizon, len(y)
    starts = [n - (spec.origins - k) * H for k in range(spec.origins)]
    forecasters = {"rnn": {}}
    if networks_only:
        forecasters["rnn_networks_only"] = {"linear_skip": False}
    errors = {name: [] for name in [*forecasters, "seasonal_naive", "ridge"]}
    fit_seconds, window, fitted = [], None, {}
    for k, start in enumerate(starts):
        y_past = y.iloc[:start]
        X_past = None if X is None else X.iloc[:start]
        truth = y.iloc[start:start + H].to_numpy()
        if k % spec.refit_every == 0:
            for name, params in forecasters.items():
                forecaster = RNNForecaster(
                    horizon=H, freq=spec.freq, random_state=seed, model="per_series", **params
                )
                began = time.perf_counter()
                fitted[name] = forecaster.fit(y_past, X_past)
                if name == "rnn":
                    fit_seconds.append(time.perf_counter() - began)
            window = fitted["rnn"].window_
            ridge = RidgeOnLags(window, H).fit(y_past, X_past)
        else:
            previous = starts[k - 1]
            for forecaster in fitted.values():
                forecaster.update(
                    y.iloc[previous:start], None if X is None else X.iloc[previous:start]
                )
        forecasts = {name: f.predict().to_numpy() for name, f in fitted.items()}
        forecasts["seasonal_naive"] = seasonal_naive(y_past.to_numpy(), spec.m, H)
        forecasts["ridge"] = ridge.predict(y_past, X_past)
        scale = seasonal_naive_scale(y_past.to_numpy(), spec.m)
        for method, forecast in forecasts.items():
            errors[method].append(np.nanmean(np.abs(truth - forecast)) / scale)
    mase = {method: float(np.mean(values)) for method, values in errors.items()}
    return mase, float(np.mean(fit_seconds)), window, n


def report(results, seconds):
    networks_only = "rnn_networks_only" in results[0][1][0]
    lines = [
        "| series | rows used | m | H | window | origins | MASE RNN (default) "
        + ("| MASE networks only " if networks_only else "")
        + "| MASE seasonal naive | MASE ridge | RNN / best baseline | RNN fit s |",
        "|---|---|---|---|---|---|---|" + ("---|" if networks_only else "") + "---|---|---|---|",
    ]
    ratios = []
    for spec, (mase, fit_s, window, n) in results:
        best = min(mase["seasonal_naive"], mase["ridge"])
        ratio = mase["rnn"] / best
        if spec.in_mean:
            ratios.append(ratio)
        mark = "" if mase["rnn"] < mase["seasonal_naive"] else " (worse than naive)"
        extra = f" {mase['rnn_networks_only']:.3f} |" if networks_only else ""
        lines.append(
            f"| {spec.name} | {n}{'' if spec.last is None else ' (last)'} | {spec.m} | "
            f"{spec.horizon} | {window} | {spec.origins} | {mase['rnn']:.3f}{mark} |{extra} "
            f"{mase['seasonal_naive']:.3f} | {mase['ridge']:.3f} | {ratio:.3f} | "
            f"{fit_s:.1f} |"
        )
    geo = float(np.exp(np.mean(np.log(ratios))))
    lines.append("")
    lines.append(
        f"Geometric mean of MASE(RNN) / MASE(best baseline) over the "
        f"{len(ratios)} series without '(no covariates)': {geo:.3f} (target <= 0.90)."
    )
    if networks_only:
        only = [mase["rnn_networks_only"] / min(mase["seasonal_naive"], mase["ridge"])
                for spec, (mase, *_rest) in results if spec.in_mean]
        lines.append(
            "Same for the networks only (linear_skip=False): "
            f"{float(np.exp(np.mean(np.log(only)))):.3f}."
        )
    lines.append(f"Total runtime {seconds:.0f} s.")
    return "\n".join(lines), geo


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", nargs="*", default=[s.name for s in SERIES],
                        choices=[s.name for s in SERIES])
    parser.add_argument("--seed", type=int, default=0,
                        help="random_state of the forecasters (default 0)")
    parser.add_argument("--quick", action="store_true",
                        help="leave out the networks-only column (about half the time)")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    results = []
    for spec in SERIES:
        if spec.name in args.series:
            results.append((spec, backtest(spec, args.seed, not args.quick)))
            print(f"{spec.name}: " + ", ".join(
                f"{name} {value:.3f}" for name, value in results[-1][1][0].items()
            ), flush=True)
    table, _ = report(results, time.perf_counter() - began)
    print(table)


if __name__ == "__main__":
    main()
