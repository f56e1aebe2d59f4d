"""Epochs of bounded size on long series: accuracy and time against every window.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_epoch_steps.py
    python benchmarks/bench_epoch_steps.py --series uk_electricity_full --seeds 0

``RNNForecaster(max_windows_per_epoch=k)`` makes each epoch of a network a
sample of at most ``k`` windows (see :mod:`rnnforecast.forecasting.epoch_samples`).
This script fits the per-series model on long series with every window each
epoch (``None``) and with an epoch of at most ``AUTO_EPOCH_STEPS`` window steps
(``AUTO_EPOCH_STEPS // window`` windows; 1,024 windows of 200 steps), from
the last origin (``n - H``; ``--origins 2 1`` adds ``n - 2H``) with three seeds,
and prints MASE (in-sample seasonal naive scale) and fit seconds per series,
with the geometric mean of the MASE ratio.

The series, made from ``datasets/`` and the synthetic generator only (the dev
panel measures, and the default samples no epoch on its series):

- ``beijing_*_full``: columns of the shipped Beijing frame at their full
  length (17,520 hours), horizon 48, ``model="per_series"`` (the default
  forecasts hourly data with the pretrained network);
- ``uk_electricity_full``: all 4,032 half-hours of UK demand, horizon 48,
  ``model="per_series"``: the series whose network learns a rich pattern
  slowly, where 1,024 windows an epoch lost most of its accuracy (README,
  "Epochs of a sample");
- ``synthetic_15min``: 5,000 quarter-hours of
  :func:`rnnforecast.synthetic.generate` (seasonal kind, daily and weekly
  periods, seed 15), horizon 96, the default model (per series there).

The criterion, written down before the first run: epochs of at most
``AUTO_EPOCH_STEPS`` window steps become the default (``max_windows_per_epoch=
"auto"``) if, over these series and seeds, the geometric mean of the MASE
ratio (bounded / every window) is at most 1.02, no series' mean MASE is
worse by more than 10%, and the total fit time is lower. (Planned with two
origins and three Beijing columns; the first every-window fit, 201 s on the
synthetic series, showed that to take over two hours, so before any
comparison was seen the run was cut to one origin and the PM2.5 and
temperature columns.) Results in ``results/bench_epoch_steps.md``.
"""

import argparse
import time
import warnings

import numpy as np
import pandas as pd

from rnnforecast import RNNForecaster, datasets
from rnnforecast.metrics import mean_absolute_scaled_error
from rnnforecast.synthetic import generate, to_series

def beijing(column):
    frame = datasets.load_beijing_pm25()
    return frame[column]


def synthetic_15min():
    panel = generate(1, 5000, seed=15, kinds=["seasonal"], periods=[96, 672])
    return to_series(panel.values[0], freq="15min")


# name -> (series loader, seasonal period, horizon, model)
SERIES = {
    "beijing_pm25_full": (lambda: beijing("pm25"), 24, 48, "per_series"),
    "beijing_temperature_full": (lambda: beijing("temperature_c"), 24, 48, "per_series"),
    "uk_electricity_full": (datasets.load_uk_electricity_demand, 48, 48, "per_series"),
    "synthetic_15min": (synthetic_15min, 96, 96, "by_frequency"),
}


def one_fit(y, m, horizon, model, seed, bounded):
    """MASE of the forecast of the last ``horizon`` values of ``y`` from the
    rest, the fit seconds and the window; ``bounded``: epochs of at most
    ``AUTO_EPOCH_STEPS`` window steps (``max_windows_per_epoch="auto"``)."""
    history, truth = y.iloc[:-horizon], y.iloc[-horizon:].to_numpy()
    size = "auto" if bounded else None
    forecaster = RNNForecaster(horizon=horizon, model=model, random_state=seed,
                               max_windows_per_epoch=size)
    started = time.perf_counter()
    forecaster.fit(history)
    seconds = time.perf_counter() - started
    forecast = forecaster.predict().to_numpy()
    observed = ~np.isnan(truth)
    error = mean_absolute_scaled_error(truth[observed], forecast[observed],
                                       history.to_numpy(), m)
    return error, seconds, forecaster.window_


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", nargs="+", default=list(SERIES), choices=list(SERIES))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--origins", type=int, nargs="+", default=[1],
                        help="the origins k of n - k H to forecast from (default: 1, the last)")
    parser.add_argument("--csv", help="append the runs to this CSV")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    rows = []
    for name in args.series:
        load, m, horizon, model = SERIES[name]
        y = load()
        for seed in args.seeds:
            for k in sorted(args.origins, reverse=True):  # origins n - k H
                part = y.iloc[:len(y) - (k - 1) * horizon]
                for bounded in (False, True):
                    error, seconds, window = one_fit(part, m, horizon, model, seed, bounded)
                    row = dict(series=name, seed=seed, origin=len(part) - horizon,
                               epochs="bounded" if bounded else "every window",
                               window=window, mase=error, fit_s=seconds)
                    rows.append(row)
                    print(row, flush=True)
                    if args.csv:
                        pd.DataFrame([row]).to_csv(args.csv, mode="a", index=False,
                                                   header=not _exists(args.csv))
    report(pd.DataFrame(rows))


def _exists(path):
    import os
    return os.path.exists(path) and os.path.getsize(path) > 0


def report(runs):
    """Per series: mean MASE and total fit seconds of each; the ratio."""
    table = runs.pivot_table(index="series", columns="epochs", values=["mase", "fit_s"],
                             aggfunc={"mase": "mean", "fit_s": "sum"})
    ratio = table["mase"]["bounded"] / table["mase"]["every window"]
    print("| series | MASE every window | MASE bounded | ratio | fit s every window | "
          "fit s bounded |")
    print("|---|---|---|---|---|---|")
    for name in table.index:
        print(f"| {name} | {table['mase']['every window'][name]:.3f} | "
              f"{table['mase']['bounded'][name]:.3f} | {ratio[name]:.3f} | "
              f"{table['fit_s']['every window'][name]:.0f} | "
              f"{table['fit_s']['bounded'][name]:.0f} |")
    paired = runs.pivot_table(index=["series", "seed", "origin"], columns="epochs",
                              values="mase")
    log_ratio = np.log(paired["bounded"] / paired["every window"])
    print(f"geometric mean of the MASE ratio over {len(paired)} fits: "
          f"{np.exp(log_ratio.mean()):.3f}")


if __name__ == "__main__":
    main()
