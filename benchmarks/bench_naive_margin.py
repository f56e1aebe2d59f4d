"""The naive fallback with a margin: naive only where the backtest says it is far better.

    python benchmarks/bench_naive_margin.py record        # fits; writes the runs CSV
    python benchmarks/bench_naive_margin.py report        # the margins, from the runs

``RNNForecaster(naive_fallback=True)`` forecasts a series by naive (or
seasonal naive) wherever that had the lower mean absolute error on the
backtest inside ``fit``. It was rejected as the default (README, Accuracy):
it rescued arctic sea ice and lost more elsewhere, because the model it
scores is the calibration model, trained without the last origins, weaker
than the final one. An earlier note proposed a margin, to be set on synthetic
data: the naive method only where its backtest error is below ``r`` times the
model's. ``r = 1`` is the current fallback; ``r = 0`` never falls back.

``record`` fits the per-series forecaster once per series and seed with the
fallback's candidates scored but the model always kept (the choice is patched
to record the candidates' backtest errors and return the model), so its
forecast is the default per-series forecast; the naive forecasts are computed
here as the fallback computes them (last value; last season repeated). Every
margin is then scored from these rows without refitting.

Series:

- ``trend``: the short trending yearly series of ``bench_short_series.py``
  (25-44 points, horizon 6), draws 0-2 (data seed 5 + d, ``random_state=d``);
- ``generic``: short series of every kind of :func:`rnnforecast.synthetic.generate`
  as in ``bench_short_intervals.py`` (yearly 25-45 points, horizon 6;
  quarterly 30-60, horizon 8; monthly 50-90, horizon 18), draws 0-1;
- ``design``: the 21 non-sub-daily design series of ``bench_accuracy.py`` at
  its two origins, seeds 0, 1, 2.

The margin is chosen on the synthetic draws only (the first two ``trend``
draws and ``generic`` draw 0): the ``r`` of the grid with the lowest
geometric-mean MASE over them. Criterion, written before the first run, for
adopting the fallback with that margin as the default on the data the
per-series model forecasts:

1. held-out synthetic draws (``trend`` draw 2, ``generic`` draw 1): geometric
   mean at most 0.97 times the per-series model's on each set;
2. design panel (21 series, three seeds): geometric mean at most 1.00 times
   the per-series model's, and no group worse than it by more than 1%.

The dev panel is not used to choose. Confirmation rule, written after the
design run passed and before the dev run (``record --panel confirm``): on the
22 dev and shipped series the per-series model forecasts (every group but
sub-daily), three seeds, the margin chosen must not be worse than the
per-series model in geometric-mean MASE (ratio at most 1.00). If it is, it is
not made the default, and no other margin is tried on those series.
"""

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import bench_accuracy as accuracy
import bench_short_intervals as generic
import bench_short_series as trending
from rnnforecast import RNNForecaster
from rnnforecast.forecasting import window_training
from rnnforecast.forecasting.naive_fallback import (MODEL, NAIVE, SEASONAL_NAIVE, choose,
                                                     naive_forecast, naive_methods)
from rnnforecast.metrics import mean_absolute_scaled_error

RUNS_CSV = Path(__file__).parent / "results" / "bench_naive_margin_runs.csv"
MARGINS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
SELECTION = (("trend", 0), ("trend", 1), ("generic", 0))
HELD_OUT = (("trend", 2), ("generic", 1))


def _recording_choice(scores):
    """A stand-in for ``naive_fallback.choose`` that records each method's
    mean absolute backtest error in ``scores`` and keeps the model."""
    def choose_model(candidates, codes, n_series):
        for name, errors in candidates.items():
            scores[name] = float(np.nanmean(np.abs(errors)))
        return choose({MODEL: candidates[MODEL]}, codes, n_series)

    return choose_model


def naive_forecasts(history, season, horizon):
    """``{method: forecast}`` of the fallback's naive methods from the end of
    ``history``, as the fallback makes them (its whole length one window)."""
    window = np.asarray(history, dtype=float)[None, :, None]
    return {method: naive_forecast(method, window, season, horizon)[0]
            for method in naive_methods(season, window.shape[1])}


def record_one(history, truth, horizon, seed, freq, m):
    """One row: MASE of the per-series forecast and of each naive method, and
    their backtest scores inside fit (NaN where not scored)."""
    scores = {}
    kept = window_training.choose
    window_training.choose = _recording_choice(scores)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            forecaster = RNNForecaster(horizon=horizon, freq=freq, random_state=seed,
                                       model="per_series", naive_fallback=True).fit(history)
    finally:
        window_training.choose = kept
    values = np.asarray(history, dtype=float)
    row = {"model": mean_absolute_scaled_error(truth, forecaster.predict().to_numpy(),
                                               values, max(m, 1)),
           "season": forecaster.seasonal_period_}
    for name, forecast in naive_forecasts(values, forecaster.seasonal_period_, horizon).items():
        row[name] = mean_absolute_scaled_error(truth, forecast, values, max(m, 1))
    for name in (MODEL, NAIVE, SEASONAL_NAIVE):
        row[f"score {name}"] = scores.get(name, np.nan)
    return row


def fits(panel):
    """``(keys, history, truth, horizon, freq, m, seeds)`` of every fit of
    ``panel``: "choose" (the synthetic and design series) or "confirm" (the
    dev and shipped series); ``keys`` name the row (set, draw, series, group)."""
    if panel == "choose":
        for d in range(3):
            rng = np.random.default_rng(5 + d)
            for i in range(30):
                train, test = trending.short_series(rng)
                yield (dict(set="trend", draw=d, series=f"trend{d}_{i}", group="yearly"),
                       train, test, trending.H, "YS", 1, (d,))
        for group, d, i, y, horizon, freq in generic.short_series(2, 40):
            m = {"YS": 1, "QS": 4, "MS": 12}[freq]
            train, test = y.iloc[:-horizon], y.iloc[-horizon:].to_numpy()
            scale = accuracy.mase_scale(train.to_numpy(), m)
            if np.isnan(y.to_numpy()).any() or not np.isfinite(scale) or scale == 0:
                continue  # MASE undefined or gaps: not scored
            yield (dict(set="generic", draw=d, series=f"{group}{d}_{i}", group=group),
                   train, test, horizon, freq, m, (0,))
        specs, name = [spec for spec in accuracy.DESIGN if spec.group != "sub-daily"], "design"
    else:
        specs = [spec for spec in accuracy.dev_panel_specs() + accuracy.SHIPPED
                 if spec.group != "sub-daily"]
        name = "confirm"
    for spec in specs:
        y = accuracy.load(spec)
        for k, start in enumerate(accuracy.origins(len(y), spec.horizon), 1):
            yield (dict(set=name, draw=k, series=spec.name, group=spec.group),
                   y.iloc[:start], y.iloc[start:start + spec.horizon].to_numpy(),
                   spec.horizon, spec.forecaster_freq, spec.m, (0, 1, 2))
        print(f"{name} {spec.name} done", flush=True)


def recorded_rows(panel):
    """One row per fit and seed of ``panel`` (see :func:`fits`)."""
    for keys, history, truth, horizon, freq, m, seeds in fits(panel):
        for seed in seeds:
            yield {**keys, "seed": seed, **record_one(history, truth, horizon, seed, freq, m)}


def with_margin(runs, r, scores="score", reference=MODEL):
    """The MASE of each row when the best-scored naive method replaces the
    model where its error is below ``r`` times the ``reference``'s, and
    where it does. The errors are the columns ``"{scores} {method}"``: the
    backtest inside fit (``"score"``, against the model), or the rolling
    backtest of ``bench_rolling_fallback.py`` (``"rolling"``, against the
    linear skip)."""
    naive_scores = runs[[f"{scores} {NAIVE}", f"{scores} {SEASONAL_NAIVE}"]].to_numpy()
    best = np.where(np.isnan(naive_scores[:, 1]) | (naive_scores[:, 0] <= naive_scores[:, 1]),
                    0, 1)
    best_score = naive_scores[np.arange(len(runs)), best]
    best_mase = runs[[NAIVE, SEASONAL_NAIVE]].to_numpy()[np.arange(len(runs)), best]
    switch = (np.nan_to_num(best_score, nan=np.inf)
              < r * runs[f"{scores} {reference}"].to_numpy())
    return np.where(switch, best_mase, runs["model"].to_numpy()), switch


def geometric_mean(values):
    return float(np.exp(np.mean(np.log(values))))


def per_series(runs, values):
    """Mean over seeds and origins per series (the design protocol), else the row."""
    frame = runs[["set", "series"]].assign(value=values)
    return frame.groupby(["set", "series"], sort=False)["value"].mean()


def report(runs, switch_to_naive=with_margin):
    """The margins on the synthetic and design series, the one chosen and
    the criterion (``switch_to_naive``: :func:`with_margin` or a variant)."""
    lines = ["| set | draw | series | " + " | ".join(f"r={r:g}" for r in MARGINS) + " |",
             "|---|---|---|" + "---|" * len(MARGINS)]
    blocks = [(s, d) for s, d in SELECTION + HELD_OUT] + [("design", None)]
    table = {}
    for name, draw in blocks:
        part = runs[(runs["set"] == name) & ((runs["draw"] == draw) if draw is not None
                                             else True)]
        cells = []
        for r in MARGINS:
            mase, switch = switch_to_naive(part, r)
            value = geometric_mean(per_series(part, mase))
            table[(name, draw, r)] = value
            cells.append(f"{value:.3f} ({switch.mean():.0%})")
        label = "" if draw is None else draw
        lines.append(f"| {name} | {label} | {part['series'].nunique()} | "
                     + " | ".join(cells) + " |")
    selection = {r: geometric_mean([table[(s, d, r)] for s, d in SELECTION]) for r in MARGINS}
    chosen = min(MARGINS, key=lambda r: selection[r])
    lines += ["", "Geometric mean over the selection draws: "
              + ", ".join(f"r={r:g} {v:.3f}" for r, v in selection.items())
              + f". Chosen: r = {chosen:g}.", ""]
    verdicts = []
    for s, d in HELD_OUT:
        ratio = table[(s, d, chosen)] / table[(s, d, 0.0)]
        verdicts.append(ratio <= 0.97)
        lines.append(f"- held out {s} draw {d}: {ratio:.3f} times per-series (bound 0.97): "
                     f"{'pass' if ratio <= 0.97 else 'FAIL'}")
    design = runs[runs["set"] == "design"]
    mase, _ = switch_to_naive(design, chosen)
    ours, base = per_series(design, mase), per_series(design, design["model"].to_numpy())
    ratio = geometric_mean(ours) / geometric_mean(base)
    verdicts.append(ratio <= 1.0)
    lines.append(f"- design, 21 series: {ratio:.3f} times per-series (bound 1.00): "
                 f"{'pass' if ratio <= 1.0 else 'FAIL'}")
    groups = design.groupby(["set", "series"], sort=False)["group"].first()
    for group in ("yearly", "quarterly", "monthly", "weekly-daily"):
        mine = (groups == group).to_numpy()
        g_ratio = geometric_mean(ours[mine]) / geometric_mean(base[mine])
        verdicts.append(g_ratio <= 1.01)
        lines.append(f"  - {group} ({mine.sum()}): {g_ratio:.3f} (bound 1.01): "
                     f"{'pass' if g_ratio <= 1.01 else 'FAIL'}")
    lines.append("")
    lines.append(f"**Verdict: {'adopt' if all(verdicts) else 'not adopted'}** (r = {chosen:g}).")
    return "\n".join(lines)


def confirm_report(runs, r, switch_to_naive=with_margin):
    """The confirmation on the dev and shipped series of the margin ``r``
    (``switch_to_naive``: :func:`with_margin` or a variant of it)."""
    part = runs[runs["set"] == "confirm"]
    mase, switch = switch_to_naive(part, r)
    ours, base = per_series(part, mase), per_series(part, part["model"].to_numpy())
    ratio = geometric_mean(ours) / geometric_mean(base)
    lines = [f"Confirmation, {part['series'].nunique()} dev and shipped series, r = {r:g}: "
             f"{geometric_mean(base):.4f} -> {geometric_mean(ours):.4f}, ratio {ratio:.4f} "
             f"(bound 1.00): {'confirmed' if ratio <= 1.0 else 'NOT confirmed'}; "
             f"{switch.mean():.0%} of the fits fall back."]
    groups = part.groupby(["set", "series"], sort=False)["group"].first()
    for group in dict.fromkeys(groups):
        mine = (groups == group).to_numpy()
        lines.append(f"- {group} ({mine.sum()}): {geometric_mean(base[mine]):.3f} -> "
                     f"{geometric_mean(ours[mine]):.3f}")
    changed = ours[(ours != base).to_numpy()]
    lines.append("- series that changed: " + ", ".join(
        f"{name} {base[(s, name)]:.3f} -> {value:.3f}" for (s, name), value in changed.items()))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("record", "report"))
    parser.add_argument("--panel", choices=("choose", "confirm"), default="choose",
                        help="record: the synthetic and design series (choose), or the dev "
                        "and shipped series (confirm), appended to the runs")
    parser.add_argument("--runs-csv", type=Path, default=RUNS_CSV)
    parser.add_argument("--margin", type=float, default=0.9,
                        help="report: the margin the confirmation scores (the one chosen)")
    args = parser.parse_args()
    if args.action == "record":
        if args.panel == "choose":
            rows = pd.DataFrame(list(recorded_rows("choose")))
        else:
            rows = pd.concat([pd.read_csv(args.runs_csv).query("set != 'confirm'"),
                              pd.DataFrame(list(recorded_rows("confirm")))])
        rows.to_csv(args.runs_csv, index=False)
        print(f"wrote {len(rows)} rows to {args.runs_csv}")
    runs = pd.read_csv(args.runs_csv)
    print(report(runs))
    if (runs["set"] == "confirm").any():
        print()
        print(confirm_report(runs, args.margin))


if __name__ == "__main__":
    sys.exit(main())
