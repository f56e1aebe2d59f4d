"""The naive fallback judged on a rolling backtest of the linear skip, refitted at each origin.

    python benchmarks/bench_rolling_fallback.py record     # linear fits; writes the scores
    python benchmarks/bench_rolling_fallback.py report

``bench_naive_margin.py`` found why the naive fallback loses on short
seasonal series with a trend: the backtest inside ``fit`` scores a
calibration model trained without the last origins, much weaker there than
the final model, so naive wins the backtest and loses the test (Johnson &
Johnson 2.06 to 6.00). The candidate here compares naive with the model as
it would have forecast: at each of the last ``ORIGINS`` origins t with a
known future (t = n - H, n - H - 1, ...), the linear skip alone
(``RNNForecaster(n_networks=0, n_calibration=0)``, deterministic) refitted
on the rows before t, against naive and seasonal naive from t. The networks
are left out of this backtest (ten refits of five networks would cost ten
fits); on short series they add little to the linear skip. Where the better
naive method's mean absolute error over those origins is below ``r`` times
the linear skip's, it forecasts the series instead of the per-series model.

The per-series, naive and seasonal naive test MASE of every fit come from
``bench_naive_margin_runs.csv`` (same series, origins and seeds; run
``bench_naive_margin.py record`` first); this script adds the rolling
scores, which depend on the history only.

Criterion, written before the first run (the one of ``bench_naive_margin.py``):
``r`` is chosen on the synthetic selection draws from the grid; the held-out
synthetic draws must be at most 0.97 times the per-series model's geometric
mean, the 21 non-sub-daily design series at most 1.00 with no group worse by
more than 1%; then, confirmation only (nothing chosen), the 22 dev and shipped
series at most 1.00. The dev panel was seen once before (the naive fallback
and its margin lost on its quarterly series), which is why the rule, not a
constant, changed.
"""

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import bench_naive_margin as margin
from rnnforecast import RNNForecaster
from rnnforecast.forecasting.naive_fallback import NAIVE, SEASONAL_NAIVE

SCORES_CSV = Path(__file__).parent / "results" / "bench_rolling_fallback_scores.csv"
# Origins of the rolling backtest, and the fewest it needs to choose at all.
ORIGINS = 10
FEWEST = 4
LINEAR = "linear"


def rolling_scores(history, horizon, freq, m):
    """Mean absolute error of the refitted linear skip, naive and seasonal
    naive (m > 1) from the last ``ORIGINS`` origins of ``history`` with a
    known future, and the number of origins; NaN with fewer than ``FEWEST``."""
    values = np.asarray(history, dtype=float)
    errors = {LINEAR: [], NAIVE: [], SEASONAL_NAIVE: []}
    used = 0
    for t in range(len(values) - horizon, len(values) - horizon - ORIGINS, -1):
        past, future = history.iloc[:t], values[t:t + horizon]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                linear = RNNForecaster(horizon=horizon, freq=freq, model="per_series",
                                       n_networks=0, n_calibration=0).fit(past)
        except ValueError:
            break  # too short for the linear skip: no earlier origin either
        used += 1
        errors[LINEAR].append(np.abs(linear.predict().to_numpy() - future))
        for name, forecast in margin.naive_forecasts(past.to_numpy(dtype=float), m,
                                                     horizon).items():
            errors[name].append(np.abs(forecast - future))
    row = {"origins": used}
    for name, parts in errors.items():
        row[f"rolling {name}"] = (float(np.mean(parts)) if used >= FEWEST and parts
                                  else np.nan)
    return row


def with_rolling_margin(runs, r):
    """Each row's MASE when the better naive method on the rolling backtest
    replaces the model where its error is below ``r`` times the linear
    skip's (:func:`bench_naive_margin.with_margin` on these columns)."""
    return margin.with_margin(runs, r, "rolling", LINEAR)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("record", "report"))
    parser.add_argument("--panel", choices=("choose", "confirm"), default="choose")
    parser.add_argument("--scores-csv", type=Path, default=SCORES_CSV)
    parser.add_argument("--margin", type=float, default=0.9,
                        help="report: the margin the confirmation scores (the one chosen)")
    args = parser.parse_args()
    keys = ["set", "draw", "series"]
    if args.action == "record":
        rows = [{**key, **rolling_scores(history, horizon, freq, m)}
                for key, history, _, horizon, freq, m, _ in margin.fits(args.panel)]
        new = pd.DataFrame(rows)
        if args.scores_csv.exists():
            kept = pd.read_csv(args.scores_csv)
            new = pd.concat([kept[~kept["set"].isin(new["set"].unique())], new])
        new.to_csv(args.scores_csv, index=False)
    scores = pd.read_csv(args.scores_csv)
    runs = pd.read_csv(margin.RUNS_CSV).merge(scores.drop(columns="group"), on=keys,
                                               how="inner", validate="many_to_one")
    print(margin.report(runs, with_rolling_margin))
    if (runs["set"] == "confirm").any():
        print()
        print(margin.confirm_report(runs, args.margin, with_rolling_margin))


if __name__ == "__main__":
    sys.exit(main())
