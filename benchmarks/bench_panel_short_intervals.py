"""Intervals of short series fitted a model each in a panel: their own errors, or the panel's pooled.

    python benchmarks/bench_panel_short_intervals.py              # three draws of 40 per group
    python benchmarks/bench_panel_short_intervals.py --draws 1 --n-series 10

With a model per series (``many_series``, the default for many series), a short series'
own backtest records few errors, and its bounds are infinite where they are too few. The
candidate: such a series borrows, at such a step, the errors of every series of its panel
pooled (each in units of its own series' scale), as one global model's intervals pool them.

Series: those of ``bench_short_intervals.py`` (synthetic, every kind; yearly 25-45 points,
horizon 6; quarterly 30-60, 8; monthly 50-90, 18), each draw of a group fitted as ONE panel
with the default forecaster (seed 0) on all but the last H points. Scored on those H: the
share of values inside the symmetric interval at 80%, 90% and 95%, pooled over series and
draws, for the series whose own bounds are finite (``own``) and for those that would
borrow (``borrowed``, the candidate), and of one global model fitted to the same panel
(``global model``: its pooled errors, every series; the default for many series before;
a panel whose shortest series is too short for the window of its longest cannot be fitted
so, and is left out of that row). Criterion and result:
``results/bench_panel_short_intervals.md``.
"""

import warnings

import numpy as np
import pandas as pd

from bench_short_intervals import GROUPS, LEVELS, arguments, short_series
from rnnforecast import RNNForecaster
from rnnforecast.forecasting.intervals import conformal_radius

RUNS_CSV = None  # --runs-csv: every series' counts, if given


def panel_scores(series, horizon, freq):
    """Rows (series, level, kind, inside share) of one panel fitted a model each."""
    history = {sid: y.iloc[:-horizon] for sid, y in series.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        forecaster = RNNForecaster(horizon=horizon, random_state=0, freq=freq).fit(history)
        try:
            shared = RNNForecaster(horizon=horizon, random_state=0, freq=freq,
                                   many_series="global").fit(history)
        except ValueError as error:  # its window, that of the longest series, binds all
            print(f"  one global model could not fit this panel: {error}", flush=True)
            shared = None
    own = {sid: f.calibration_scores_ for sid, f in forecaster.forecasters_.items()}
    pooled = np.concatenate([s for s in own.values() if s is not None])
    codes = forecaster._state.codes(None)
    forecast, scale = forecaster._forecast(codes)
    rows = []
    for code, sid in enumerate(forecaster.series_ids_):
        truth = series[sid].iloc[-horizon:].to_numpy()
        for level in LEVELS:
            mine = (np.full(horizon, np.inf) if own[sid] is None
                    else conformal_radius(own[sid], level))
            borrow = ~np.isfinite(mine)
            half = np.where(borrow, conformal_radius(pooled, level), mine)
            offsets = np.stack([-half, half])[:, None, :]
            lower, upper = forecaster._fitted.user_bounds(
                forecast[code:code + 1] + offsets * scale[code], codes[code:code + 1])
            inside = (truth >= lower[0]) & (truth <= upper[0])
            for kind, steps in (("own", ~borrow), ("borrowed", borrow)):
                if steps.any():
                    rows.append({"series": sid, "level": level, "kind": kind,
                                 "values": int(steps.sum()), "inside": int(inside[steps].sum())})
    for level in LEVELS if shared is not None else ():  # one global model, pooled errors
        bounds = shared.predict_interval(level)
        for sid in shared.series_ids_:
            truth = series[sid].iloc[-horizon:].to_numpy()
            inside = ((truth >= bounds.loc[sid, "lower"].to_numpy())
                      & (truth <= bounds.loc[sid, "upper"].to_numpy()))
            rows.append({"series": sid, "level": level, "kind": "global model",
                         "values": horizon, "inside": int(inside.sum())})
    return rows


def main():
    args = arguments(__doc__, RUNS_CSV)
    rows, panels = [], {}
    for group, draw, i, y, horizon, freq in short_series(args.draws, args.n_series):
        panels.setdefault((group, draw, horizon, freq), {})[f"s{i}"] = y
    for (group, draw, horizon, freq), series in panels.items():
        for row in panel_scores(series, horizon, freq):
            rows.append({"group": group, "draw": draw, **row})
        print(f"{group} draw {draw}: panel of {len(series)} fitted", flush=True)
    frame = pd.DataFrame(rows)
    if args.runs_csv:
        frame.to_csv(args.runs_csv, index=False)
    print("\n| group | kind | values (90%) | " + " | ".join(f"held {lv:.0%}" for lv in LEVELS)
          + " |")
    print("|---|---|---|" + "---|" * len(LEVELS))
    for group in GROUPS:
        for kind in ("own", "borrowed", "global model"):
            part = frame[(frame["group"] == group) & (frame["kind"] == kind)]
            if part.empty:
                continue
            held = [part[part["level"] == lv] for lv in LEVELS]
            n90 = int(held[1]["values"].sum())
            cells = " | ".join(f"{h['inside'].sum() / h['values'].sum():.1%}"
                               if h["values"].sum() else "-" for h in held)
            print(f"| {group} | {kind} | {n90} | {cells} |")


if __name__ == "__main__":
    main()
