"""Missing covariate values: read as missing steps, as the covariate's mean, or interpolated.

    python benchmarks/bench_covariate_gaps.py --seeds 0 1 2     # about 5 min

The networks of the per-series model read a step where any covariate is NaN as a
missing step, its target value included; the linear skip reads the missing
covariate as 0, its mean in standardised units. Two alternatives: the networks
read it as its mean too (``--fill mean``: patched into the forecaster for the run,
the package is not changed), or the user interpolates the gaps before ``fit``
(``interpolated``). Beijing PM2.5 with its 10 weather covariates, the last 2,000
hours (the target's 181 gaps interpolated), horizon 24, ``model="per_series"``,
the accuracy protocol's two origins (n - 2H and n - H); 20% of the covariate values
blanked at random, or in runs of 24 hours (one draw, seed 123). Prints the MAE of
each origin pair per seed; the results and the criterion written down before the
run are in ``results/bench_covariate_gaps.md``.
"""

import argparse
import time
import warnings

import numpy as np

from rnnforecast import RNNForecaster
from rnnforecast.datasets import load_beijing_pm25
from rnnforecast.forecasting import scaling

H = 24


def blanked(X, rng):
    """``{pattern: X with 20% of its values NaN}``: at random, and in runs of 24 hours."""
    random = rng.random(X.shape) < 0.2
    runs = np.zeros(X.shape, dtype=bool)
    for column in range(X.shape[1]):
        for start in rng.choice(len(X) - 24, size=int(0.2 * len(X) / 24), replace=False):
            runs[start:start + 24, column] = True
    return {"random 20%": X.mask(random), "runs of 24 h": X.mask(runs)}


def read_missing_covariates_as_their_mean():
    """Patch the scaling so that the networks read a missing covariate as 0."""
    transform = scaling.WindowScaler.transform

    def filled(self, inputs):
        out, level, scale = transform(self, inputs)
        out[:, :, 1:] = np.nan_to_num(out[:, :, 1:], nan=0.0)
        return out, level, scale

    scaling.WindowScaler.transform = filled


def mean_absolute_error(y, X, seed):
    errors = []
    for start in (len(y) - 2 * H, len(y) - H):
        forecaster = RNNForecaster(horizon=H, model="per_series", random_state=seed)
        forecast = forecaster.fit(y.iloc[:start], X.iloc[:start]).predict().to_numpy()
        errors.append(np.mean(np.abs(forecast - y.iloc[start:start + H].to_numpy())))
    return float(np.mean(errors))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--fill", choices=["missing", "mean", "interpolated"],
                        default="missing", help="how the gaps are read (default: as today)")
    args = parser.parse_args(argv)
    if args.fill == "mean":
        read_missing_covariates_as_their_mean()
    data = load_beijing_pm25().iloc[-2000:]
    y = data["pm25"].interpolate(limit_direction="both")
    X = data.drop(columns="pm25")
    patterns = blanked(X, np.random.default_rng(123))
    if args.fill == "interpolated":
        patterns = {name: gappy.interpolate(limit_direction="both")
                    for name, gappy in patterns.items()}
    patterns = {"complete": X, **patterns}
    warnings.simplefilter("ignore")
    for seed in args.seeds:
        for name, covariates in patterns.items():
            began = time.perf_counter()
            mae = mean_absolute_error(y, covariates, seed)
            print(f"{args.fill} | seed {seed} | {name} | MAE {mae:.3f} | "
                  f"{time.perf_counter() - began:.0f} s", flush=True)


if __name__ == "__main__":
    main()
