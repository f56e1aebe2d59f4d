"""The per-series model, the Theta method and their mean: synthetic series or kept forecasts.

    python benchmarks/bench_theta_combination.py                 # synthetic, 24 series a cell
    python benchmarks/bench_theta_combination.py --n-series 8 --lengths 40 160
    python benchmarks/bench_theta_combination.py \
        --forecasts results/bench_accuracy_forecasts_design.csv  # the design panel

Does averaging the per-series model (``RNNForecaster(model="per_series")``)
with the classical Theta method (``theta_method.py`` here) help, and where?

Synthetic series (the default) come from the package's own generator
(:func:`rnnforecast.synthetic.generate`, every kind, the calendar's seasonal
periods), so a rule chosen on them is chosen on training data. Each cell draws
``--n-series`` series of ``length + H`` steps (data seed ``[seed, calendar,
length]``), fits on the first ``length`` and scores the last H: MASE against
the in-sample seasonal naive (lag 1 without a season; a series that repeats
itself exactly is left out), geometric mean over the series.
``random_state`` of the forecaster is ``--seed``.

``--forecasts`` scores the same three from the forecasts that
``bench_accuracy.py --forecasts-csv`` kept (method "by frequency", which is
the per-series model on every series but the sub-daily ones, left out here),
with Theta computed from the same histories: nothing is refitted.

Results and the decision they led to: ``results/bench_theta_combination.md``.
"""

import argparse
import time
import warnings

import numpy as np
import pandas as pd

import bench_accuracy
from rnnforecast import RNNForecaster
from rnnforecast.metrics import seasonal_naive_scale
from theta_method import theta_forecast

# Calendar -> (pandas frequency, seasonal period, horizon), the dev panel's
# horizons for each group.
CALENDARS = {
    "yearly": ("YS", 1, 6),
    "quarterly": ("QS-JAN", 4, 8),
    "monthly": ("MS", 12, 18),
    "daily": ("D", 7, 14),
}
LENGTHS = (40, 80, 160, 320, 640)
METHODS = ("per-series", "theta", "mean")


def draw(calendar, length, n_series, seed):
    """``n_series`` synthetic series of ``length + H`` steps of ``calendar``."""
    from rnnforecast.synthetic import generate

    freq, _, horizon = CALENDARS[calendar]
    key = [seed, list(CALENDARS).index(calendar), length]
    return generate(n_series, length + horizon, seed=np.random.default_rng(key),
                    freq=freq).values


def score_cell(calendar, length, n_series, seed):
    """Rows (one per series) of the MASE of each method."""
    freq, m, horizon = CALENDARS[calendar]
    rows = []
    index = pd.date_range("1900-01-01", periods=length, freq=freq)
    for k, values in enumerate(draw(calendar, length, n_series, seed)):
        history, truth = values[:length], values[length:]
        try:
            scale = seasonal_naive_scale(history, m)
        except ValueError:  # a series that repeats itself: MASE undefined
            continue
        began = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            forecaster = RNNForecaster(horizon=horizon, random_state=seed,
                                       model="per_series").fit(pd.Series(history, index))
        model = forecaster.predict().to_numpy()
        seconds = time.perf_counter() - began
        theta = theta_forecast(history, m, horizon)
        forecasts = {"per-series": model, "theta": theta, "mean": (model + theta) / 2}
        rows.append({"calendar": calendar, "length": length, "series": k, "seed": seed,
                     "fit_seconds": seconds,
                     **{name: np.mean(np.abs(f - truth)) / scale
                        for name, f in forecasts.items()}})
    return rows


def score_kept_forecasts(path):
    """Rows (one per series and seed) of the MASE of each method, from the
    forecasts kept by ``bench_accuracy.py --forecasts-csv`` at ``path``."""
    kept = pd.read_csv(path)
    kept = kept[(kept.method == "by frequency") & (kept.group != "sub-daily")]
    specs = {s.name: s for s in bench_accuracy.select_specs("all", None, False)
             + bench_accuracy.DESIGN}
    theta = []
    for name in kept.series.unique():
        spec = specs[name]
        y = bench_accuracy.load(spec).to_numpy()
        for k, start in enumerate(bench_accuracy.origins(len(y), spec.horizon), 1):
            forecast = theta_forecast(y[:start], spec.m, spec.horizon)
            theta += [{"series": name, "origin": k, "step": h + 1, "theta": value}
                      for h, value in enumerate(forecast)]
    kept = kept.merge(pd.DataFrame(theta), on=["series", "origin", "step"])
    forecasts = {"per-series": kept.forecast, "theta": kept.theta,
                 "mean": (kept.forecast + kept.theta) / 2}
    errors = kept[["series", "group", "seed", "origin"]].assign(
        **{name: (f - kept.actual).abs() / kept.scale for name, f in forecasts.items()})
    # MASE of an origin: its mean scaled error; of a series: the mean over origins.
    by_origin = errors.groupby(["series", "group", "seed", "origin"])[list(METHODS)].mean()
    return by_origin.groupby(["series", "group", "seed"]).mean().reset_index()


def summary(table, by=("calendar", "length")):
    """Geometric means by calendar and length, and the share of series the mean
    beats the per-series model on."""
    grouped = table.groupby(list(by), sort=False)
    out = grouped[list(METHODS)].agg(lambda x: float(np.exp(np.log(x).mean())))
    out["mean / per-series"] = out["mean"] / out["per-series"]
    out["mean better"] = grouped.apply(
        lambda g: f"{int((g['mean'] < g['per-series']).sum())}/{len(g)}")
    out["n"] = grouped.size()
    return out.round(3)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calendars", nargs="+", default=list(CALENDARS),
                        choices=list(CALENDARS))
    parser.add_argument("--lengths", nargs="+", type=int, default=list(LENGTHS))
    parser.add_argument("--n-series", type=int, default=24)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--csv", help="also write every series' scores here")
    parser.add_argument("--forecasts", metavar="CSV",
                        help="score the forecasts kept by bench_accuracy.py --forecasts-csv "
                             "instead of synthetic series")
    args = parser.parse_args(argv)
    if args.forecasts:
        table = score_kept_forecasts(args.forecasts)
        print(summary(table, ["seed"]).to_string())
        print(summary(table, ["group"]).to_string())
        series = table.groupby(["series", "group"])[list(METHODS)].mean()
        print(series.round(3).to_string())
        means = series.agg(lambda x: float(np.exp(np.log(x).mean())))
        print("all (mean over seeds per series):", means.round(3).to_dict(),
              f"mean better on {int((series['mean'] < series['per-series']).sum())} "
              f"of {len(series)}")
        return
    rows = []
    for calendar in args.calendars:
        for length in args.lengths:
            rows += score_cell(calendar, length, args.n_series, args.seed)
            print(f"{calendar} {length}: done", flush=True)
    table = pd.DataFrame(rows)
    if args.csv:
        table.to_csv(args.csv, index=False)
    print(summary(table).to_string())


if __name__ == "__main__":
    main()
