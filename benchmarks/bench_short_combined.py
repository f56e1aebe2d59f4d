"""Short series: the per-series model, the pretrained network and their mean, by series length.

    python benchmarks/bench_short_combined.py            # three draws

Series (synthetic only): the generic short series of ``bench_short_intervals.py``
(every kind of ``rnnforecast.synthetic.generate``; 40 per group and draw: yearly
25-45 points with H = 6, quarterly 30-60 with H = 8, monthly 50-90 with H = 18),
and the short trending yearly series of ``bench_short_series.py`` (30 per draw).
Each is fitted on all but its last H points with ``model="per_series"`` and
``model="zero_shot"`` (seed = draw); ``combined`` is the mean of their forecasts,
which ``model="combined"`` forecasts. MASE against the in-sample seasonal naive
error (lag 1 for yearly data). The rows go to ``--runs-csv``; the question
(``results/bench_short_combined.md``) is whether the default should forecast
short series with ``combined``.
"""

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from rnnforecast import RNNForecaster

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_short_intervals import short_series as generic_series  # noqa: E402
import bench_short_series  # noqa: E402

SEASON = {"YS": 1, "QS": 4, "MS": 12}
RUNS_CSV = Path(__file__).parent / "results" / "bench_short_combined_runs.csv"


def trending_series(draws):
    """``(group, draw, i, y, horizon, freq)`` of bench_short_series' draws."""
    for d in range(draws):
        rng = np.random.default_rng(5 + d)
        for i in range(30):
            train, test = bench_short_series.short_series(rng)
            y = pd.concat([train, pd.Series(test, index=pd.date_range(
                train.index[-1], periods=len(test) + 1, freq="YS")[1:])])
            yield "trending", d, i, y, bench_short_series.H, "YS"


def scores(y, horizon, freq, seed):
    history, truth = y.iloc[:-horizon], y.iloc[-horizon:].to_numpy()
    m = SEASON[freq]
    values = history.to_numpy()
    scale = np.nanmean(np.abs(values[m:] - values[:-m]))
    forecasts = {}
    for name in ("per_series", "zero_shot"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            forecaster = RNNForecaster(horizon=horizon, freq=freq, random_state=seed,
                                       model=name).fit(history)
        forecasts[name] = forecaster.predict().to_numpy()
    forecasts["combined"] = (forecasts["per_series"] + forecasts["zero_shot"]) / 2
    return {name: float(np.mean(np.abs(f - truth)) / scale) for name, f in forecasts.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=3)
    parser.add_argument("--runs-csv", type=Path, default=RUNS_CSV)
    args = parser.parse_args()
    rows = []
    for source in (generic_series(args.draws, 40), trending_series(args.draws)):
        for group, draw, i, y, horizon, freq in source:
            row = scores(y, horizon, freq, draw)
            rows.append({"group": group, "draw": draw, "series": i,
                         "rows": len(y) - horizon, **row})
    frame = pd.DataFrame(rows)
    frame.to_csv(args.runs_csv, index=False)
    ratio = np.log(frame[["zero_shot", "combined"]].div(frame["per_series"], axis=0))
    print(np.exp(ratio.groupby([frame["group"], frame["draw"]]).mean()).round(3))


if __name__ == "__main__":
    main()
