"""An ensemble over lookback windows as the per-series model (issue 14): measured on the design panel.

    python benchmarks/bench_lookback_ensemble.py --panel design --methods "lookbacks linear" \\
        --seeds 0 --runs-csv benchmarks/results/bench_lookback_ensemble_runs.csv \\
        --anchors-csv benchmarks/results/anchors_design.csv
    python benchmarks/bench_lookback_ensemble.py --panel design --methods lookbacks \\
        "per-series" --runs-csv ... --anchors-csv ...

N-BEATS averages networks that read different lookbacks (2H to 7H); the forecaster's
ensemble varies only the seed over one window (two seasons). The candidates, registered as
variants of ``bench_accuracy.py`` (whose arguments this script takes):

- ``lookbacks linear``: the mean of the linear skips alone (``n_networks=0``,
  ``n_calibration=0``, as bench_accuracy's ``linear only``) with windows ``m, 2m, 3m`` for
  a seasonal period ``m > 1``, else ``5, 10, 15`` (the default window is ``2m``, or 10);
- ``lookbacks``: the mean of per-series forecasters with those windows, two networks each.

Each window is capped as ``window="auto"`` caps it, at ``(n - H + 1) // 3`` for ``n`` rows
and horizon ``H``, and repeated windows of a short series are dropped. The package is not
changed. Criterion and result: ``results/bench_lookback_ensemble.md``.
"""

import sys

import numpy as np

import bench_accuracy
from rnnforecast import RNNForecaster
from rnnforecast.forecasting.calendar import resolve_calendars
from rnnforecast.forecasting.panel_inputs import check_data


def lookbacks(y, horizon, freq):
    """The windows of the ensemble for the series ``y``."""
    season = resolve_calendars(check_data(y, None, None, None), freq)[0].season
    base = (season, 2 * season, 3 * season) if season > 1 else (5, 10, 15)
    cap = max(1, (len(y) - horizon + 1) // 3)
    return sorted({min(w, cap) for w in base})


class LookbackEnsemble:
    """The mean forecast of forecasters that differ in their window."""

    def __init__(self, horizon, seed, freq, **settings):
        self.horizon, self.seed, self.freq, self.settings = horizon, seed, freq, settings

    def fit(self, y):
        self.forecasters = [
            RNNForecaster(horizon=self.horizon, freq=self.freq, random_state=self.seed,
                          model="per_series", window=w, **self.settings).fit(y)
            for w in lookbacks(y, self.horizon, self.freq)]
        return self

    def predict(self):
        return np.mean([f.predict().to_numpy() for f in self.forecasters], axis=0)


bench_accuracy.VARIANTS["lookbacks linear"] = (
    lambda horizon, seed, freq: LookbackEnsemble(horizon, seed, freq, n_networks=0,
                                                 n_calibration=0))
bench_accuracy.VARIANTS["lookbacks"] = (
    lambda horizon, seed, freq: LookbackEnsemble(horizon, seed, freq, n_networks=2))


if __name__ == "__main__":
    bench_accuracy.main(sys.argv[1:])
