"""How often the per-series model's intervals hold the values that came, on synthetic series.

    python benchmarks/bench_synthetic_coverage.py                  # 40 series a calendar
    python benchmarks/bench_synthetic_coverage.py --n-series 10 --calendars monthly

On the real series of ``bench_interval_coverage.py`` the default's 90% intervals
held 82-88% of the values where it trains per series, on each panel, from 10 to
40 origins each: a few points short, but within what so few origins can tell.
This asks the same of many independent synthetic series
(:func:`rnnforecast.synthetic.generate`, every default kind, the calendar's
seasonal periods), one origin each, so that a shortfall of a few points is
measurable, and whether the backtest errors that calibrate the intervals are
smaller than the errors the final model then makes. They could be: the
backtest chooses each network's epochs on the very errors it keeps.

Each series of ``length + H`` steps (data seed ``[seed, 200 + calendar]``) is
fitted with ``RNNForecaster(horizon=H, random_state=seed)`` (the default;
``model="by_frequency"`` is the per-series model on these calendars) on its
first ``length`` steps; ``predict_interval`` at 80%, 90% and 95% (symmetric,
the default) is scored on the last H. Printed per calendar: the pooled share
of values inside each interval, the share of values whose bound is infinite
(too few backtest errors), and the ratio of the final model's mean absolute
error on the H values to the backtest's (``calibration_scores_``, in the
same units: the training series' standard deviation). A measurement: nothing
is chosen on it.
"""

import argparse
import time
import warnings

import numpy as np
import pandas as pd

from rnnforecast import RNNForecaster
from rnnforecast.synthetic import generate

LEVELS = (0.8, 0.9, 0.95)
# Calendar -> (pandas frequency, horizon, length): the dev panel's horizons.
CALENDARS = {
    "quarterly": ("QS-JAN", 8, 100),
    "monthly": ("MS", 18, 144),
    "daily": ("D", 14, 500),
}


def score_series(values, freq, horizon, length, seed):
    """One row: inside and infinite per level (shares of the H values), and
    the mean absolute errors of the test and of the backtest; None where the
    fit recorded no backtest errors."""
    history = pd.Series(values[:length], index=pd.date_range("1990-01-01", periods=length,
                                                              freq=freq))
    truth = values[length:]
    forecaster = RNNForecaster(horizon=horizon, random_state=seed).fit(history)
    if forecaster.calibration_scores_ is None:
        return None
    row = {}
    for level in LEVELS:
        bounds = forecaster.predict_interval(coverage=level).to_numpy()
        lower, upper = bounds[:, 1], bounds[:, 2]
        row[f"inside {level}"] = float(np.mean((truth >= lower) & (truth <= upper)))
        row[f"infinite {level}"] = float(np.mean(~np.isfinite(lower) | ~np.isfinite(upper)))
    forecast = bounds[:, 0]
    spread = np.nanstd(values[:length])
    row["test error"] = float(np.mean(np.abs(truth - forecast)) / spread)
    row["backtest error"] = float(np.nanmean(forecaster.calibration_scores_))
    return row


def run(calendars, n_series, seed):
    rows = []
    for k, calendar in enumerate(calendars):
        freq, horizon, length = CALENDARS[calendar]
        panel = generate(n_series, length + horizon, freq=freq,
                         seed=np.random.default_rng([seed, 200 + k]))
        began = time.perf_counter()
        for i, values in enumerate(panel.values):
            if not np.isfinite(values[length:]).all() or np.nanstd(values[:length]) == 0:
                continue  # a missing test value, or nothing to scale by
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                row = score_series(values, freq, horizon, length, seed)
            if row is not None:
                rows.append({"calendar": calendar, "series": i,
                             "kind": panel.metadata["kind"].iloc[i], **row})
        print(f"{calendar}: {sum(r['calendar'] == calendar for r in rows)} series scored "
              f"in {time.perf_counter() - began:.0f} s", flush=True)
    return pd.DataFrame(rows)


def summary(table):
    """Pooled shares per calendar and over all, and the error ratio."""
    def pooled(group):
        out = {"series": len(group)}
        for level in LEVELS:
            out[f"inside {level:.0%}"] = group[f"inside {level}"].mean()
            out[f"infinite {level:.0%}"] = group[f"infinite {level}"].mean()
        out["test / backtest error"] = group["test error"].mean() / group[
            "backtest error"].mean()
        out["median ratio"] = (group["test error"] / group["backtest error"]).median()
        return pd.Series(out)

    by_calendar = table.groupby("calendar", sort=False).apply(pooled, include_groups=False)
    by_calendar.loc["all"] = pooled(table)
    return by_calendar


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calendars", nargs="+", choices=list(CALENDARS),
                        default=list(CALENDARS))
    parser.add_argument("--n-series", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--csv", help="also write the rows (one per series) here")
    args = parser.parse_args(argv)
    table = run(args.calendars, args.n_series, args.seed)
    if args.csv:
        table.to_csv(args.csv, index=False)
    with pd.option_context("display.width", 250, "display.max_columns", None,
                           "display.precision", 3):
        print(summary(table))


if __name__ == "__main__":
    main()
