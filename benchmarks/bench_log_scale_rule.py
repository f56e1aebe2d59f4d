"""Should RNNForecaster choose target_transform="log" by itself? A rule measured on synthetic series.

    python benchmarks/bench_log_scale_rule.py                  # linear skip alone, 2 draws
    python benchmarks/bench_log_scale_rule.py --model per_series --picked-only

The rule (``seasonal_growth.grows_with_level``): a season of strength at
least 0.5 over at least four whole seasons, a level that moved by 30% or
more, and a multiplicative pattern fitting with at most 0.6 times the
squared error of an additive one. Series: ``rnnforecast.synthetic.generate``
(seasonal 70%, trend 15%, random walk 15%; seeds ``100 + draw``), 150 per
calendar and draw: monthly (144 points, H = 18), quarterly (72, H = 8),
daily (400, H = 14); those with a value at or below 0 or a missing value
are left out. Each is fitted on all but its last H points, once as it is
and once with ``target_transform="log"``; MASE against the in-sample
seasonal naive error. ``--model linear`` fits the linear skip alone
(``n_networks=0``, no calibration; seconds for all), ``per_series`` the
default per-series model (``--picked-only``: only the series the rule
picks). Synthetic series only: no real series is read.

Result (2026-12-06; ``results/bench_log_scale_rule.md``): on the series the
rule picks, the log scale was worse, so the forecaster does not choose it.
"""

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from rnnforecast import RNNForecaster
from rnnforecast.synthetic import generate

sys.path.insert(0, str(Path(__file__).resolve().parent))
from seasonal_growth import grows_with_level, seasonal_growth  # noqa: E402

# (points fitted, seasonal period, horizon, frequency)
CALENDARS = [(144, 12, 18, "MS"), (72, 4, 8, "QS"), (400, 7, 14, "D")]
KINDS = {"seasonal": 0.7, "trend": 0.15, "random_walk": 0.15}


def forecaster(model, horizon, transform):
    if model == "linear":
        return RNNForecaster(horizon=horizon, model="per_series", n_networks=0,
                             n_calibration=0, random_state=0, target_transform=transform)
    return RNNForecaster(horizon=horizon, model="per_series", random_state=0,
                         target_transform=transform)


def mase(history, truth, forecast, m):
    scale = np.mean(np.abs(history[m:] - history[:-m]))
    return float(np.mean(np.abs(forecast - truth)) / scale)


def run(draws, model, n_series, picked_only):
    rows = []
    for draw in range(draws):
        for length, m, horizon, freq in CALENDARS:
            panel = generate(n_series, length + horizon, kinds=KINDS, periods=(m,),
                             seed=100 + draw)
            for values, (_, meta) in zip(panel.values, panel.metadata.iterrows()):
                if np.isnan(values).any() or values.min() <= 0:
                    continue
                history, truth = values[:length], values[length:]
                picked = grows_with_level(history, m)
                if picked_only and not picked:
                    continue
                y = pd.Series(history, index=pd.date_range("2000-01-01", periods=length,
                                                           freq=freq))
                scores = {}
                for name, transform in (("as_is", None), ("log", "log")):
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        f = forecaster(model, horizon, transform).fit(y).predict()
                    scores[name] = mase(history, truth, f.to_numpy(), m)
                growth = seasonal_growth(history, m)
                rows.append({"draw": draw, "m": m, "kind": meta["kind"],
                             "seasonality": meta["seasonality"], "trend": meta["trend"],
                             "picked": picked, **scores, **growth._asdict()})
            print(f"draw {draw}, m = {m}: {len(rows)} series so far", flush=True)
    return pd.DataFrame(rows)


def summary(runs):
    ratio = np.log(runs["log"] / runs["as_is"])
    lines = ["| series | n | geometric mean of MASE log / as is | log better |",
             "|---|---|---|---|"]
    groups = [("all above 0", runs.index == runs.index),
              ("multiplicative season", (runs["seasonality"] == "multiplicative").to_numpy()),
              ("additive season", (runs["seasonality"] == "additive").to_numpy()),
              ("picked by the rule", runs["picked"].to_numpy()),
              ("picked, multiplicative", (runs["picked"]
                                          & (runs["seasonality"] == "multiplicative")).to_numpy())]
    for name, mask in groups:
        if mask.any():
            lines.append(f"| {name} | {int(mask.sum())} | {np.exp(ratio[mask].mean()):.3f} | "
                         f"{int((ratio[mask] < 0).sum())} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=2)
    parser.add_argument("--n-series", type=int, default=150, help="per calendar and draw")
    parser.add_argument("--model", choices=["linear", "per_series"], default="linear")
    parser.add_argument("--picked-only", action="store_true",
                        help="fit only the series the rule picks")
    parser.add_argument("--csv", type=Path, help="write every series' scores here")
    args = parser.parse_args()
    runs = run(args.draws, args.model, args.n_series, args.picked_only)
    if args.csv:
        runs.to_csv(args.csv, index=False)
    print(summary(runs))


if __name__ == "__main__":
    main()
