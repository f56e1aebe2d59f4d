"""Zero-shot MASE of a pretrained model (rnnforecast.pretrained) against seasonal
naive and ridge on lags, by the dev panel's protocol.

    python benchmarks/pretrain_eval.py --model rnnforecast/pretrained/weights/model.npz
    python benchmarks/pretrain_eval.py --model A.npz --model B.npz --heldout 512
    python benchmarks/pretrain_eval.py --model PATH --dev-panel ../shared/dev_panel

Protocol (../shared/dev_panel/README.md): two origins at n - 2H and n - H, each
forecasting the next H steps; MASE = MAE over the in-sample MAE of seasonal naive
at lag m before the origin; mean over the two origins; geometric means over series.
Ridge: direct multi-output ridge on the last max(2m, 8) values, standardised
inputs, penalty by leave-one-out (RidgeCV), refitted at each origin. The shipped
series and their m and H are those of rnnforecast.pretrained.evaluation.SHIPPED.
The dev panel is evaluation data only: never tune on it.

``--card DIR`` writes the scores into the model card in DIR (card.json and
card.md, rnnforecast.pretrained.card): the shipped series with ridge, or the
dev panel's per-group table with --dev-panel.

``--heldout N`` also scores each model on N held-out synthetic examples per
corpus group (streams [100, 0, k] of rnnforecast.pretrained.corpus, which no
training run draws from), by one loss for every model version
(rnnforecast.pretrained.evaluation.heldout_loss).
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import RidgeCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from rnnforecast._blas_threads import blas_threads
from rnnforecast.pretrained import load_model
from rnnforecast.pretrained.card import write_card
from rnnforecast.pretrained.corpus import GROUPS, draw_examples
from rnnforecast.pretrained.evaluation import (SHIPPED, geometric_mean, heldout_loss,
                                               load_shipped, score_forecaster, seasonal_naive)

# Seed of the held-out synthetic examples: training runs draw from streams
# [seed, 1, ...] and [seed, 0, ...] with seeds 0-2, never [100, 0, k].
HELDOUT_SEED = 100


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


CARD_NOTE = ("MASE, two origins (n - 2H, n - H). ridge: direct multi-output RidgeCV on the "
             "last max(2m, 8) values, refitted on each series' history "
             "(benchmarks/pretrain_eval.py). The dev panel was measured once, after "
             "training, and not used for any choice.")


def update_card(folder, frame, dev):
    """Write the scores of ``frame`` into the model card in ``folder``."""
    folder = Path(folder)
    card = json.loads((folder / "card.json").read_text())
    methods = {"pretrained": "model", "seasonal_naive": "seasonal_naive", "ridge": "ridge"}
    if dev:
        rows = []
        for group, part in list(frame.groupby("group", sort=False)) + [("all", frame)]:
            rows.append({"group": group, "series": len(part),
                         **{name: geometric_mean(part[col]) for col, name in methods.items()}})
        card["scores"]["dev_panel"] = rows
    else:
        rows = [{"series": r.series, **{name: float(getattr(r, col))
                                        for col, name in methods.items()}}
                for r in frame.itertuples()]
        rows.append({"series": "geomean", **{name: geometric_mean(frame[col])
                                             for col, name in methods.items()}})
        card["scores"]["shipped"] = rows
    card["scores"]["note"] = CARD_NOTE
    write_card(card, folder)


def heldout(models, n_per_group):
    """Held-out synthetic loss of every model, on the same examples."""
    examples = [draw_examples(g, n_per_group, [HELDOUT_SEED, 0, k])
                for k, g in enumerate(GROUPS)]
    for path, model in models.items():
        scores = heldout_loss(model, examples)
        print(f"held-out synthetic loss {scores['all']:.4f}  {path}  " + "  ".join(
            f"{g.name} {scores[g.name]:.3f}" for g in GROUPS), flush=True)


def main():
    with blas_threads(1):  # the networks' matmuls are small; the machine is shared
        _main()


def _main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, action="append",
                        help="a model file (repeat to compare several)")
    parser.add_argument("--dev-panel", help="folder of the dev panel (evaluation only)")
    parser.add_argument("--heldout", type=int, default=0,
                        help="also score N held-out synthetic examples per group")
    parser.add_argument("--csv", help="write the per-series table here (one model)")
    parser.add_argument("--card", help="write the scores into the model card in this folder "
                                       "(one model)")
    args = parser.parse_args()
    models = {path: load_model(path) for path in args.model}
    if args.heldout:
        heldout(models, args.heldout)
    for path, model in models.items():
        print(f"== {path}")
        frame = run(model, dev_panel(args.dev_panel) if args.dev_panel else shipped())
        if args.csv and len(models) == 1:
            frame.to_csv(args.csv, index=False)
        if args.card and len(models) == 1:
            update_card(args.card, frame, bool(args.dev_panel))


if __name__ == "__main__":
    main()
