"""Zero-shot MASE of a pretrained model (rnnforecast.pretrained) against seasonal
naive and ridge on lags, by the dev panel's protocol.

    python benchmarks/pretrain_eval.py --model rnnforecast/pretrained/model.npz
    python benchmarks/pretrain_eval.py --model PATH --dev-panel ../shared/dev_panel

Protocol (../shared/dev_panel/README.md): two origins at n - 2H and n - H, each
forecasting the next H steps; MASE = MAE over the in-sample MAE of seasonal naive
at lag m before the origin; mean over the two origins; geometric means over series.
Ridge: direct multi-output ridge on the last max(2m, 8) values, standardised
inputs, penalty by leave-one-out (RidgeCV), refitted at each origin. The shipped
series and their m and H are those of rnnforecast.pretrained.evaluation.SHIPPED.
The dev panel is evaluation data only: never tune on it.
"""

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import RidgeCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from rnnforecast.pretrained import load_model
from rnnforecast.pretrained.evaluation import (SHIPPED, geometric_mean, load_shipped,
                                               score_forecaster, seasonal_naive)


def ridge_on_lags(history, m, horizon):
    """Direct multi-output ridge on the last max(2m, 8) values of ``history``."""
    window = max(2 * m, 8)
    y = pd.Series(history).interpolate(limit_direction="both").to_numpy()
    n_windows = len(y) - window - horizon + 1
    if n_windows < 4:
        return seasonal_naive(history, m, horizon)
    rows = np.arange(n_windows)[:, None]
    X = y[rows + np.arange(window)]
    Y = y[rows + window + np.arange(horizon)]
    model = make_pipeline(StandardScaler(), RidgeCV(alphas=np.logspace(-3, 3, 13)))
    model.fit(X, Y)
    return model.predict(y[-window:][None, :])[0]


def dev_panel(folder):
    """(name, group, values, m, H) of every series of the dev panel."""
    folder = Path(folder)
    manifest = pd.read_csv(folder / "manifest.csv")
    for row in manifest.itertuples():
        series = pd.read_csv(folder / row.file, index_col=0, parse_dates=[0]).iloc[:, 0]
        yield row.file, row.group, series.to_numpy(dtype=float), int(row.m), int(row.H)


def shipped():
    for spec in SHIPPED:
        yield spec.name, "shipped", load_shipped(spec), spec.m, spec.horizon


def run(model, series):
    def pretrained(history, m, horizon):
        return model.forecast(history, m, horizon)[0]

    methods = {"pretrained": pretrained, "seasonal_naive": seasonal_naive,
               "ridge": ridge_on_lags}
    rows = []
    for name, group, values, m, horizon in series:
        row = {"series": name, "group": group, "m": m, "H": horizon}
        for method, forecaster in methods.items():
            start = time.perf_counter()
            row[method] = score_forecaster(forecaster, values, m, horizon)
            row[f"{method}_s"] = time.perf_counter() - start
        rows.append(row)
        print(f"{name:34s} m={m:3d} H={horizon:3d}  pretrained {row['pretrained']:.3f}  "
              f"seasonal naive {row['seasonal_naive']:.3f}  ridge {row['ridge']:.3f}  "
              f"({row['pretrained_s']:.2f} s)", flush=True)
    frame = pd.DataFrame(rows)
    means = {m: geometric_mean(frame[m]) for m in methods}
    print("geometric mean: " + "  ".join(f"{k} {v:.3f}" for k, v in means.items()))
    for group, part in frame.groupby("group", sort=False):
        print(f"  {group:14s} " + "  ".join(f"{k} {geometric_mean(part[k]):.3f}"
                                            for k in methods))
    beats_naive = int((frame.pretrained < frame.seasonal_naive).sum())
    beats_ridge = int((frame.pretrained < frame.ridge).sum())
    print(f"pretrained beats seasonal naive on {beats_naive}/{len(frame)}, "
          f"ridge on {beats_ridge}/{len(frame)}")
    return frame


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--dev-panel", help="folder of the dev panel (evaluation only)")
    parser.add_argument("--csv", help="write the per-series table here")
    args = parser.parse_args()
    model = load_model(args.model)
    frame = run(model, dev_panel(args.dev_panel) if args.dev_panel else shipped())
    if args.csv:
        frame.to_csv(args.csv, index=False)


if __name__ == "__main__":
    main()
