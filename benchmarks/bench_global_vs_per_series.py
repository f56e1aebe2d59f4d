"""One global model of many series against a model per series: on a heterogeneous synthetic panel, and on real panels.

    python benchmarks/bench_global_vs_per_series.py                  # synthetic, seeds 0, 1, 2
    python benchmarks/bench_global_vs_per_series.py --seeds 0
    python benchmarks/bench_global_vs_per_series.py --panel design   # real panels (datasets/)
    python benchmarks/bench_global_vs_per_series.py --panel dev      # measure only

``RNNForecaster(many_series="global")`` (``rnnforecast forecast --id-column
--global-model``) fits ONE model to all the series; the default fits a model
to each series alone wherever it trains. This benchmark decided that default
(``results/bench_global_vs_per_series.md``).

``--panel synthetic`` (the default) compares it with a default
``RNNForecaster`` fitted to each series alone, on 100 monthly series of 96 to
144 points made by :func:`rnnforecast.synthetic.generate` (seed 3, every
kind: seasonal, trend, random walk, intermittent, kernel, mixture; series i
keeps its last ``96 + i % 49`` points). Each is forecast 18 months from its
last origin (the last 18 points held out). Printed per forecaster seed:
geometric mean and median of MASE (scale: in-sample seasonal naive, m = 12)
of the global model, the per-series models and seasonal naive, how many
series each model forecasts better than seasonal naive, and process CPU
seconds of the global fit and of the 100 per-series fits.

``--panel design`` and ``--panel dev`` take the series of
``bench_accuracy.py``'s design panel (made from ``datasets/``) or of the dev
panel (``../shared/dev_panel/``, evaluation only) that are not sub-daily, and
fit each group of series sharing a frequency, seasonal period and horizon as
one panel, with that benchmark's protocol: at each of the two origins
(``n - 2H`` and ``n - H`` of each series) the global model is fitted once to
every series' part before its origin, and each series' own model
(``model="per_series"`` both) to its part alone. MASE as in
``bench_accuracy.py``; printed per group and over all the series, the
geometric mean over seeds of the per-series mean over origins, and every
series' MASE to ``--csv``.
"""

import argparse
import time
import warnings

import numpy as np
import pandas as pd

import bench_accuracy as ba
from rnnforecast import RNNForecaster
from rnnforecast.metrics import seasonal_naive_forecast, seasonal_naive_scale
from rnnforecast.synthetic import generate

H, M = 18, 12


def panel():
    values = generate(100, 144, seed=3, freq="MS").values
    series = {}
    for i in range(100):
        n = 96 + i % 49
        series[f"s{i:03d}"] = pd.Series(values[i, -n:],
                                        index=pd.date_range("2000-01-01", periods=n, freq="MS"))
    return series


def synthetic(seeds):
    series = panel()
    history = {sid: y.iloc[:-H] for sid, y in series.items()}
    print("| seed | model | geometric-mean MASE | median MASE | better than seasonal naive "
          "| CPU s |")
    print("|---|---|---|---|---|---|")
    for seed in seeds:
        started = time.process_time()
        global_forecast = RNNForecaster(horizon=H, random_state=seed,
                                        many_series="global").fit(history).predict()
        seconds = {"global": time.process_time() - started, "per-series": 0.0,
                   "seasonal naive": 0.0}
        scores = []
        for sid, y in series.items():
            before, actual = history[sid], y.iloc[-H:].to_numpy()
            started = time.process_time()
            own = RNNForecaster(horizon=H, random_state=seed).fit(before).predict()
            seconds["per-series"] += time.process_time() - started
            scale = seasonal_naive_scale(before, M)
            scores.append([np.mean(np.abs(np.asarray(f) - actual)) / scale
                           for f in (global_forecast.loc[sid], own,
                                     seasonal_naive_forecast(before, H, M))])
        scores = pd.DataFrame(scores, columns=["global", "per-series", "seasonal naive"])
        for name in scores:
            better = ("-" if name == "seasonal naive" else
                      int((scores[name] < scores["seasonal naive"]).sum()))
            print(f"| {seed} | {name} | {np.exp(np.log(scores[name]).mean()):.3f} | "
                  f"{scores[name].median():.3f} | {better} | {seconds[name]:.1f} |", flush=True)


def real_groups(panel_name):
    """Series of ``bench_accuracy``'s panel that are not sub-daily, grouped by
    (frequency, seasonal period, horizon): {key: {name: (spec, series)}}."""
    specs = ba.DESIGN if panel_name == "design" else ba.dev_panel_specs()
    groups = {}
    for spec in specs:
        if spec.group != "sub-daily":
            groups.setdefault((spec.freq, spec.m, spec.horizon), {})[spec.name] = (
                spec, ba.load(spec))
    return groups


def real(panel_name, seeds, csv):
    rows = []
    for (freq, m, horizon), members in real_groups(panel_name).items():
        forecaster_freq = "B" if freq == "B" else None
        for k in range(ba.N_ORIGINS):
            starts = {name: ba.origins(len(y), horizon)[k] for name, (_, y) in members.items()}
            history = {name: y.iloc[:starts[name]] for name, (_, y) in members.items()}
            for seed in seeds:
                settings = dict(horizon=horizon, freq=forecaster_freq, random_state=seed,
                                model="per_series")
                began = time.process_time()
                together = RNNForecaster(**settings, many_series="global").fit(
                    history).predict()
                global_seconds = time.process_time() - began
                for name, (spec, y) in members.items():
                    began = time.process_time()
                    own = RNNForecaster(**settings).fit(history[name]).predict()
                    seconds = time.process_time() - began
                    truth = y.iloc[starts[name]:starts[name] + horizon].to_numpy()
                    before = history[name].to_numpy()
                    for model, forecast, s in (("global", together.loc[name], global_seconds),
                                               ("per-series", own, seconds)):
                        rows.append(dict(series=name, group=spec.group, members=len(members),
                                         origin=k + 1, seed=seed, model=model,
                                         mase=ba.mase(truth, np.asarray(forecast), before, m),
                                         cpu_seconds=s))
                print(f"{freq} m={m} H={horizon} origin {k + 1} seed {seed}: "
                      f"{len(members)} series", flush=True)
    table = pd.DataFrame(rows)
    if csv:
        table.to_csv(csv, index=False, float_format="%.6g")
    by_series = table.groupby(["model", "seed", "series", "group"]).mase.mean().reset_index()
    summary = {}
    for (model, seed), scores in by_series.groupby(["model", "seed"]):
        summary.setdefault(model, {})[seed] = scores
    print(f"\n{panel_name} panel, {by_series.series.nunique()} series (geometric mean of "
          f"MASE, mean over origins; seeds {', '.join(map(str, seeds))})\n")
    groups = sorted(by_series.group.unique())
    print("| model | all | " + " | ".join(groups) + " | seeds (all) |")
    print("|---" * (len(groups) + 3) + "|")
    means = by_series.groupby(["model", "series", "group"]).mase.mean().reset_index()
    for model, scores in means.groupby("model"):
        cells = [ba.geometric_mean(scores.mase)]
        cells += [ba.geometric_mean(scores[scores.group == g].mase) for g in groups]
        spread = [ba.geometric_mean(s.mase) for s in summary[model].values()]
        print(f"| {model} | " + " | ".join(f"{c:.3f}" for c in cells)
              + f" | {min(spread):.3f}-{max(spread):.3f} |")
    wide = means.pivot(index="series", columns="model", values="mase")
    ratio = ba.geometric_mean(wide["global"]) / ba.geometric_mean(wide["per-series"])
    better = int((wide["global"] < wide["per-series"]).sum())
    print(f"\nglobal / per-series: {ratio:.3f}; global better on {better} of {len(wide)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--panel", choices=["synthetic", "design", "dev"], default="synthetic")
    parser.add_argument("--csv", help="every series' MASE per origin, seed and model "
                        "(real panels)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    if args.panel == "synthetic":
        synthetic(args.seeds)
    else:
        real(args.panel, args.seeds, args.csv)


if __name__ == "__main__":
    main()
