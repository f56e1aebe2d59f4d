"""How soon the forecaster follows a level shift near the end of a series.

    python benchmarks/bench_level_shift.py                  # the default, per-series, zero-shot
    python benchmarks/bench_level_shift.py --anchors        # and statsforecast's (.[bench])

A flat series (level 5, noise 0.1) steps up to 50 some steps before its end;
each method forecasts the next H steps from there. The table gives the mean
absolute error over those steps, for steps since the shift from 5 to 80: the
new level is what a forecast should follow (a naive forecast's error is about
0.1). Daily (m = 7, H = 14) and hourly (m = 24, H = 24) series of 300 and 400
steps, ``random_state=0``; synthetic data made here.
"""

import argparse
import warnings

import numpy as np
import pandas as pd

from rnnforecast import RNNForecaster

SINCE = (5, 10, 20, 40, 80)
CALENDARS = {"daily": ("D", 7, 14, 300), "hourly": ("h", 24, 24, 400)}
METHODS = {"default": {}, "per_series": {"model": "per_series"},
           "zero_shot": {"model": "zero_shot"}}


def shifted(n, since, horizon, seed=0):
    """``n + horizon`` values: 5 until ``since`` steps before ``n``, then 50."""
    rng = np.random.default_rng(seed)
    values = np.r_[np.full(n - since, 5.0), np.full(since + horizon, 50.0)]
    return values + 0.1 * rng.normal(size=n + horizon)


def anchor_forecasts(history, m, horizon):
    from statsforecast.models import AutoARIMA, AutoETS, AutoTheta

    models = {"AutoETS": AutoETS(season_length=m), "AutoARIMA": AutoARIMA(season_length=m),
              "AutoTheta": AutoTheta(season_length=m)}
    return {name: np.asarray(model.forecast(y=history, h=horizon)["mean"])
            for name, model in models.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anchors", action="store_true",
                        help="also statsforecast's AutoETS, AutoARIMA, AutoTheta")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    rows = []
    for calendar, (freq, m, horizon, n) in CALENDARS.items():
        for since in SINCE:
            values = shifted(n, since, horizon)
            history, truth = values[:n], values[n:]
            y = pd.Series(history, index=pd.date_range("2024-01-01", periods=n, freq=freq))
            forecasts = {}
            for name, settings in METHODS.items():
                forecaster = RNNForecaster(horizon=horizon, random_state=0, **settings).fit(y)
                forecasts[name] = forecaster.predict().to_numpy()
            if args.anchors:
                forecasts.update(anchor_forecasts(history, m, horizon))
            forecasts["naive"] = np.full(horizon, history[-1])
            rows.append({"calendar": calendar, "steps since the shift": since,
                         **{name: np.mean(np.abs(f - truth)) for name, f in forecasts.items()}})
    table = pd.DataFrame(rows).set_index(["calendar", "steps since the shift"])
    print(table.round(2).to_string())


if __name__ == "__main__":
    main()
