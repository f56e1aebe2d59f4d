"""The pretrained network after a level shift (rnnforecast.pretrained.level_shift)."""

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnforecast import RNNForecaster, RNNRegressor
from rnnforecast.pretrained import shipped_model
from rnnforecast.pretrained.level_shift import (SHIFT_MIN_STEPS, after_level_shift,
                                                 steps_since_shift)
from rnnforecast.pretrained.normalise import nanmedian_last_axis


def stepped(n, since, extra=0, low=5.0, high=50.0, seed=0):
    """``n + extra`` values: ``low`` until ``since`` steps before ``n``, then
    ``high``; noise 0.1."""
    rng = np.random.default_rng(seed)
    values = np.r_[np.full(n - since, low), np.full(since + extra, high)]
    return values + 0.1 * rng.normal(size=n + extra)


@pytest.mark.parametrize("m", [7, 24])
def test_the_steps_since_a_shift_in_the_last_seasons_are_found(m):
    for since in [SHIFT_MIN_STEPS, 5, 2 * m, 3 * m]:
        y = stepped(400, since)[None, :]
        assert steps_since_shift(y, m)[0] == since
    # Down as well as up.
    assert steps_since_shift(stepped(400, 10, low=50.0, high=5.0)[None, :], m)[0] == 10


def test_outliers_noise_and_series_without_a_season_are_no_shift():
    rng = np.random.default_rng(1)
    t = np.arange(400)
    cycle = 20 + 5 * np.sin(2 * np.pi * t / 24) + rng.normal(size=400)
    spikes = cycle.copy()
    spikes[-2:] += 1000.0  # two outliers: fewer than SHIFT_MIN_STEPS
    rows = np.stack([cycle, spikes, np.cumsum(rng.normal(size=400))])
    np.testing.assert_array_equal(steps_since_shift(rows, 24), [0, 0, 0])
    # m = 1: the network's naive and drift baselines follow the last values already.
    assert steps_since_shift(stepped(400, 5)[None, :], 1)[0] == 0
    # Too little history before the checked seasons to tell.
    assert steps_since_shift(stepped(100, 5)[None, :], 24)[0] == 0


def test_after_a_shift_the_values_before_it_are_read_as_missing():
    y = np.stack([stepped(400, 10), stepped(400, 0)])
    cut = after_level_shift(y, 24)
    assert np.isnan(cut[0, :-10]).all() and np.array_equal(cut[0, -10:], y[0, -10:])
    np.testing.assert_array_equal(cut[1], y[1])
    assert not np.isnan(y).any()  # the input is not modified
    flat = stepped(400, 0)[None, :]
    assert after_level_shift(flat, 24) is flat  # no copy without a shift


@pytest.mark.parametrize("m, since", [(24, 5), (24, 10), (24, 20), (7, 5), (7, 10)])
def test_the_network_forecasts_the_new_level_after_a_shift(m, since):
    # It kept the old level: an hourly step from 5 to 50 was forecast at 44,
    # 31 and 8 (mean absolute error) 5, 10 and 20 hours after it.
    values = stepped(400, since, extra=14)
    forecast = shipped_model().forecast(values[:400], m, 14)[0]
    assert np.mean(np.abs(forecast - values[400:])) < 0.5


def test_the_floor_follows_the_values_the_network_reads():
    # Below 0 before the shift, above after it: the forecast is floored at 0,
    # and so are the bounds (one rule for both).
    values = stepped(400, 10, low=-20.0, high=3.0)
    model = shipped_model()
    assert model.floors_at_zero(values, 24)[0]
    assert not model.floors_at_zero(stepped(400, 0, low=-20.0), 24)[0]


def test_the_default_follows_an_hourly_level_shift():
    values = stepped(600, 8, extra=24)
    y = pd.Series(values[:600], index=pd.date_range("2024-01-01", periods=600, freq="h"))
    fitted = RNNForecaster(horizon=24).fit(y)
    assert fitted.method_ == "zero-shot"
    assert np.mean(np.abs(fitted.predict().to_numpy() - values[600:])) < 0.5


def daily(values):
    return pd.Series(values, index=pd.date_range("2024-01-01", periods=len(values), freq="D"))


def small_forecaster(model="by_frequency"):
    return RNNForecaster(horizon=14, regressor=RNNRegressor(hidden_size=4, max_iter=3),
                         n_networks=1, random_state=0, model=model)


def test_the_default_hands_a_daily_series_that_shifted_to_the_network():
    # The per-series model never trained on a window after the step and
    # forecast the old level (MAE 43 in bench_level_shift.py, 10 days after).
    values = stepped(300, 10, extra=14)
    fitted = small_forecaster().fit(daily(values[:300]))
    assert fitted.method_ == "model"
    with pytest.warns(UserWarning, match="shifted level in the last seasons"):
        forecast = fitted.predict().to_numpy()
    assert np.mean(np.abs(forecast - values[300:])) < 0.5
    with pytest.warns(UserWarning, match="shifted level"):
        bounds = fitted.predict_interval(0.8)
    np.testing.assert_array_equal(bounds["forecast"].to_numpy(), forecast)
    # model="per_series" trains and forecasts as asked: the old level.
    per_series = small_forecaster("per_series").fit(daily(values[:300])).predict().to_numpy()
    assert np.mean(np.abs(per_series - values[300:])) > 10


def test_without_a_shift_the_default_is_the_per_series_forecast_exactly():
    rng = np.random.default_rng(2)
    t = np.arange(300)
    y = daily(20 + 3 * np.sin(2 * np.pi * t / 7) + rng.normal(size=300))
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        default = small_forecaster().fit(y).predict()
    np.testing.assert_array_equal(default, small_forecaster("per_series").fit(y).predict())


def test_the_bounds_are_floored_as_the_network_floors_its_forecast():
    # Far below 0 and noisy before the step, calm at 10 after it: the
    # network, reading the values since, floors its forecast at 0, and the
    # bounds (the backtest's errors, from the noisy part, around it) are
    # floored with it.
    rng = np.random.default_rng(3)
    values = np.r_[-500 + 20 * rng.normal(size=290), 10 + rng.normal(size=10)]
    fitted = small_forecaster().fit(daily(values))
    with pytest.warns(UserWarning, match="shifted level"):
        bounds = fitted.predict_interval(0.8)
    assert (bounds["lower"] == 0.0).any() and (bounds["lower"] >= 0).all()
    radius = bounds["upper"] - bounds["forecast"]
    assert ((bounds["forecast"] - radius) < 0).any()  # what the floor lifted
    # Without the shift nothing is floored: the series is below 0.
    unshifted = small_forecaster().fit(daily(values[:290]))
    assert unshifted.predict_interval(0.8)["lower"].max() < -400


def test_a_shift_that_update_brings_is_followed_too():
    values = stepped(320, 12, extra=14)
    fitted = small_forecaster().fit(daily(values[:308]))
    fitted.update(daily(values).iloc[308:320])
    with pytest.warns(UserWarning, match="shifted level"):
        forecast = fitted.predict().to_numpy()
    assert np.mean(np.abs(forecast - values[320:])) < 0.5


def test_the_median_of_the_last_axis_equals_numpy_nanmedian():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(200, 30, 3))
    a[rng.random(a.shape) < 0.3] = np.nan
    a[0, 0] = np.nan  # a row without any value
    a[1, 1, :2] = np.inf  # infinities are values, not missing
    a[1, 2, 0] = -np.inf
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy on the all-NaN row
        expected = np.nanmedian(a, axis=-1)
    np.testing.assert_array_equal(nanmedian_last_axis(a), expected)
    assert np.isnan(expected[0, 0]) and np.isinf(expected[1, 1])
