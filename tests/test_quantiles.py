"""Conformal quantiles and asymmetric intervals from the signed backtest errors."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge

from rnnforecast import RNNForecaster, RNNRegressor
from rnnforecast.forecasting.intervals import (conformal_quantiles, conformal_radius,
                                              errors_needed, interval_quantiles)


def skewed_series(n, seed=0):
    """A 12-step cycle plus right-skewed (lognormal) iid noise, on a RangeIndex."""
    rng = np.random.RandomState(seed)
    t = np.arange(n)
    values = 10 + 2 * np.sin(2 * np.pi * t / 12) + rng.lognormal(0.0, 0.75, n)
    return pd.Series(values, index=pd.RangeIndex(n), name="load")


def quick(**params):
    settings = dict(n_networks=1, random_state=0,
                    regressor=RNNRegressor(hidden_size=4, max_iter=5, random_state=0))
    return RNNForecaster(**{**settings, **params})


def ridge(**params):
    return RNNForecaster(regressor=Ridge(alpha=1.0), **params)


# --------------------------------------------------------------------------- #
# The rank rules
# --------------------------------------------------------------------------- #
def test_quantiles_are_the_order_statistics_of_the_conformal_rank_rule():
    errors = np.random.RandomState(0).permutation(np.arange(1.0, 20.0))[:, None]  # n = 19
    offsets = conformal_quantiles(errors, [0.04, 0.1, 0.5, 0.9, 0.96])[:, 0]
    # floor(20 * 0.04) = 0 -> -inf; floor(20 * 0.1) = 2; median 10;
    # ceil(20 * 0.9) = 18; ceil(20 * 0.96) = 20 > 19 -> inf.
    np.testing.assert_array_equal(offsets, [-np.inf, 2, 10, 18, np.inf])
    # (1 - 0.8) / 2 is 0.09999999999999998 in floats; with 9 errors it ranks 1, not 0.
    nine = np.arange(1.0, 10.0)[:, None]
    assert conformal_quantiles(nine, [(1 - 0.8) / 2])[0, 0] == 1
    # A missing truth is left out; a step with no errors has NaN as median.
    gaps = np.array([[np.nan, 1.0], [np.nan, 3.0]])
    np.testing.assert_array_equal(conformal_quantiles(gaps, [0.5]), [[np.nan, 2.0]])


@pytest.mark.parametrize("coverage", [0.5, 0.8, 0.9, 0.95, 0.99])
@pytest.mark.parametrize("symmetric", [False, True])
def test_errors_needed_is_the_fewest_that_give_finite_bounds(coverage, symmetric):
    n = errors_needed(coverage, symmetric)
    assert n == round(((not symmetric) + coverage) / (1 - coverage))  # 19 for 90%, 9 symmetric
    errors = np.random.RandomState(0).standard_normal((n, 1))
    for n_errors, finite in [(n, True), (n - 1, False)]:
        if symmetric:
            bounds = conformal_radius(np.abs(errors[:n_errors]), coverage)
        else:
            bounds = conformal_quantiles(errors[:n_errors], interval_quantiles(coverage))
        assert np.isfinite(bounds).all() == finite


# --------------------------------------------------------------------------- #
# Coverage after the fit
# --------------------------------------------------------------------------- #
def test_asymmetric_interval_covers_each_tail_as_asked_on_skewed_noise():
    # Five series: fit on 600 points, then forecast 3 steps from every third
    # of the next 600 origins, so that each of the 3,000 future values is
    # scored once.
    horizon, coverage, n_fit, n_test = 3, 0.8, 600, 600
    below, above, upper_width, lower_width = [], [], [], []
    for seed in range(5):
        y = skewed_series(n_fit + n_test, seed)
        forecaster = quick(window=24, horizon=horizon, n_calibration=200).fit(y.iloc[:n_fit])
        for origin in range(n_fit, n_fit + n_test, horizon):
            bounds = forecaster.predict_interval(coverage, symmetric=False)
            truth = y.iloc[origin:origin + horizon].to_numpy()
            below.append(truth < bounds["lower"].to_numpy())
            above.append(truth > bounds["upper"].to_numpy())
            upper_width.append(bounds["upper"] - bounds["forecast"])
            lower_width.append(bounds["forecast"] - bounds["lower"])
            forecaster.update(y.iloc[origin:origin + horizon])
    # Each tail should be missed at most 10% of the time. The rate varies with
    # the 3,000 test values (binomial sd sqrt(0.1 * 0.9 / 3000) = 0.0055) and
    # with the 5 x 200 calibration errors behind the bounds (sd about
    # sqrt(0.1 * 0.9 / 200) / sqrt(5) = 0.0095, more as nearby errors are
    # correlated): 0.011 in all. The final model, trained on more data than
    # the backtest's, errs less (measured: 7.2% below, 8.7% above), so the
    # tolerance is 0.04, one-sided misses being conservative.
    assert abs(np.mean(below) - 0.1) < 0.04
    assert abs(np.mean(above) - 0.1) < 0.04
    assert abs(np.mean(below) + np.mean(above) - (1 - coverage)) < 0.05
    # Right-skewed noise: the upper bound lies farther from the forecast
    # (measured 1.12 times; a symmetric interval: 1).
    assert np.mean(upper_width) > 1.05 * np.mean(lower_width)


# --------------------------------------------------------------------------- #
# predict_quantiles and predict_interval
# --------------------------------------------------------------------------- #
@pytest.fixture(scope="module")
def fitted():
    return quick(horizon=4, n_calibration=60).fit(skewed_series(300))


def test_quantiles_are_monotone_and_bound_the_interval(fitted):
    quantiles = fitted.predict_quantiles([0.05, 0.1, 0.5, 0.9, 0.95])
    assert list(quantiles.columns) == ["q0.05", "q0.1", "q0.5", "q0.9", "q0.95"]
    assert quantiles.index.equals(fitted.predict().index)
    assert (quantiles.diff(axis=1).iloc[:, 1:] >= 0).all().all()
    bounds = fitted.predict_interval(0.8, symmetric=False)
    np.testing.assert_array_equal(bounds["lower"], quantiles["q0.1"])
    np.testing.assert_array_equal(bounds["upper"], quantiles["q0.9"])
    np.testing.assert_array_equal(bounds["forecast"], fitted.predict())
    assert (bounds["lower"] < bounds["upper"]).all()


def test_quantiles_are_the_forecast_plus_scaled_signed_errors(fitted):
    errors = fitted.calibration_errors_
    np.testing.assert_array_equal(fitted.calibration_scores_, np.abs(errors))
    assert (errors < 0).any() and (errors > 0).any()
    median = fitted.predict_quantiles(0.5)
    assert list(median.columns) == ["q0.5"]  # a frame, even for one quantile
    scale = (median["q0.5"] - fitted.predict()).to_numpy() / np.median(errors, axis=0)
    np.testing.assert_allclose(scale, scale[0])
    assert scale[0] > 0


def test_symmetric_interval_is_the_former_absolute_error_rule(fitted):
    bounds = fitted.predict_interval(0.8, symmetric=True)
    n = len(fitted.calibration_scores_)
    radius = np.sort(fitted.calibration_scores_, axis=0)[math.ceil((n + 1) * 0.8) - 1]
    half = bounds["upper"] - bounds["forecast"]
    np.testing.assert_allclose(half, bounds["forecast"] - bounds["lower"])
    np.testing.assert_allclose(half / radius, half.iloc[0] / radius[0])


@pytest.mark.parametrize("bad", [0, 1, 1.5, -0.1, "0.5", True, np.nan, None])
def test_a_quantile_outside_zero_one_is_an_error_naming_it(fitted, bad):
    with pytest.raises(ValueError, match=f"quantiles must be .* got {bad!r}"):
        fitted.predict_quantiles([0.1, bad])


def test_empty_or_repeated_quantiles_are_errors(fitted):
    with pytest.raises(ValueError, match="quantiles is empty"):
        fitted.predict_quantiles([])
    with pytest.raises(ValueError, match="0.5 more than once"):
        fitted.predict_quantiles([0.5, 0.9, 0.5])


def test_too_few_errors_give_infinite_outer_quantiles_and_intervals_with_a_warning():
    # Shifted below 0: a never-negative series would be floored at 0.
    forecaster = ridge(horizon=2, window=6, n_calibration=5).fit(skewed_series(80) - 20)
    # n = 5 supports quantiles from 1/6 to 5/6, coverage up to 5/6 (symmetric)
    # or 4/6 (two tails): the warning says so and names the call.
    with pytest.warns(UserWarning, match=r"predict_quantiles\(quantiles=\[0.1, 0.2, 0.5, 0.8, "
                      r"0.9\]\): the 5 backtest errors recorded at steps 1, 2 \(of 2\) are "
                      r"too few.*from 0.167 to 0.833.*0.833 \(symmetric\) or 0.667") as caught:
        quantiles = forecaster.predict_quantiles([0.1, 0.2, 0.5, 0.8, 0.9])
    assert caught[0].filename == __file__  # points at the user's call
    # n = 5: floor(6 * 0.1) = 0, ceil(6 * 0.9) = 6 > 5; 0.2 and 0.8 rank 1 and 5.
    assert np.isneginf(quantiles["q0.1"]).all() and np.isposinf(quantiles["q0.9"]).all()
    assert np.isfinite(quantiles[["q0.2", "q0.5", "q0.8"]]).all().all()
    # Two-sided 80% needs (1 + 0.8) / 0.2 = 9 errors, symmetric 0.8 / 0.2 = 4.
    with pytest.warns(UserWarning, match=r"predict_interval\(coverage=0.8, symmetric=False\)"):
        two_tails = forecaster.predict_interval(0.8, symmetric=False)
    assert np.isinf(two_tails[["lower", "upper"]]).all().all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # finite bounds: no warning
        symmetric = forecaster.predict_interval(0.8, symmetric=True)
        forecaster.predict_quantiles([0.2, 0.5, 0.8])
    assert np.isfinite(symmetric).all().all()
    # The symmetric rule is the default.
    pd.testing.assert_frame_equal(forecaster.predict_interval(0.8), symmetric)


def test_a_step_without_errors_warns_of_its_missing_median():
    forecaster = ridge(horizon=2, window=6, n_calibration=5).fit(skewed_series(80))
    # As if the value after every calibration origin had been missing: step
    # 1 has no error.
    forecaster.calibration_errors_[:, 0] = np.nan  # the array the quantiles read
    with pytest.warns(UserWarning, match=r"the 0 backtest errors recorded at step 1 \(of 2\)"
                                         r".*NaN for a median without errors.*nothing to "
                                         r"calibrate on"):
        quantiles = forecaster.predict_quantiles([0.5])
    assert np.isnan(quantiles["q0.5"].iloc[0]) and np.isfinite(quantiles["q0.5"].iloc[1])


def test_quantiles_need_calibration():
    forecaster = ridge(horizon=2, window=6, n_calibration=0).fit(skewed_series(80))
    assert forecaster.calibration_errors_ is None and forecaster.calibration_scores_ is None
    with pytest.raises(ValueError, match="predict_quantiles needs backtest errors.*"
                                         "n_calibration=0"):
        forecaster.predict_quantiles()


# --------------------------------------------------------------------------- #
# Many series, Nixtla frames, sequence training, the command line
# --------------------------------------------------------------------------- #
def test_quantiles_of_many_series_are_laid_out_like_predict():
    series = {"a": skewed_series(200, seed=1), "b": 3 * skewed_series(150, seed=2)}
    forecaster = quick(horizon=3).fit(series)
    quantiles = forecaster.predict_quantiles()
    assert quantiles.index.equals(forecaster.predict().index)
    assert list(quantiles.columns) == ["q0.05", "q0.5", "q0.95"]
    pd.testing.assert_frame_equal(forecaster.predict_quantiles(series=["b"]),
                                  quantiles.loc[["b"]])
    # Pooled errors, each series' scale: b's quantiles lie farther out.
    spread = (quantiles["q0.95"] - quantiles["q0.05"]).groupby(level=0).mean()
    assert spread["b"] > 2 * spread["a"]


def test_quantiles_of_a_nixtla_frame_come_back_in_its_layout():
    parts = [pd.DataFrame({"unique_id": sid, "ds": pd.date_range("2024-01-01", periods=120),
                           "y": skewed_series(120, seed=seed).to_numpy()})
             for seed, sid in enumerate(["a", "b"])]
    forecaster = quick(horizon=3).fit(pd.concat(parts, ignore_index=True))
    quantiles = forecaster.predict_quantiles([0.1, 0.9])
    assert list(quantiles.columns) == ["unique_id", "ds", "q0.1", "q0.9"]
    assert list(quantiles["unique_id"]) == ["a"] * 3 + ["b"] * 3


def test_sequence_training_records_signed_errors_and_gives_quantiles():
    forecaster = RNNForecaster(
        horizon=3, n_networks=1, random_state=0, training="sequence",
        regressor=RNNRegressor(hidden_size=4, max_iter=5)).fit(skewed_series(300))
    errors = forecaster.calibration_errors_
    np.testing.assert_array_equal(forecaster.calibration_scores_, np.abs(errors))
    assert (errors < 0).any() and (errors > 0).any()
    quantiles = forecaster.predict_quantiles([0.1, 0.5, 0.9]).to_numpy()
    assert np.isfinite(quantiles).all() and (np.diff(quantiles, axis=1) >= 0).all()
