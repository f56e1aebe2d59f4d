"""The classical Theta method of benchmarks/theta_method.py."""

import doctest
import importlib.util
from pathlib import Path

import numpy as np
import pytest
from scipy.signal import lfilter

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "theta_method.py"
_SPEC = importlib.util.spec_from_file_location("theta_method", _PATH)
theta_method = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(theta_method)
is_seasonal = theta_method.is_seasonal
seasonal_indices = theta_method.seasonal_indices
simple_exponential_smoothing = theta_method.simple_exponential_smoothing
theta_forecast = theta_method.theta_forecast


def seasonal_series(n=96, period=12, seed=0, multiplicative=True):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    season = 1 + 0.3 * np.sin(2 * np.pi * t / period)
    level = 100 + 0.5 * t
    noise = rng.normal(0, 1, n)
    return level * season + noise if multiplicative else level + 30 * (season - 1) + noise


def test_a_line_is_continued_with_half_its_slope_after_the_last_value():
    # Z = 2y - L = y, SES with alpha = 1 keeps the last value 9: f_h = (9 + h + 9) / 2
    # (alpha is found within 1e-4 of 1).
    np.testing.assert_allclose(theta_forecast(np.arange(10.0), 1, 3), [9.5, 10.0, 10.5],
                               atol=1e-4)


def test_a_constant_history_is_forecast_as_its_value():
    np.testing.assert_allclose(theta_forecast(np.full(40, 7.0), 12, 5), 7.0)


def test_equals_exponential_smoothing_with_drift():
    # Hyndman & Billah (2003): with the weight alpha chosen on Z, the forecast is
    # SES of y plus half the fitted slope times h + (1 - alpha)/alpha (1 - (1 - alpha)^(n-1)),
    # for levels started at the first value.
    rng = np.random.default_rng(3)
    y = np.cumsum(rng.normal(0.2, 1.0, 60)) + 50
    n, h = len(y), np.arange(1, 8)
    slope, intercept = np.polyfit(np.arange(n), y, 1)
    _, alpha = simple_exponential_smoothing(2 * y - (intercept + slope * np.arange(n)))
    levels, _ = lfilter([alpha], [1, alpha - 1], y[1:], zi=[(1 - alpha) * y[0]])
    drift = h + (1 - alpha) / alpha * (1 - (1 - alpha) ** (n - 1))
    np.testing.assert_allclose(theta_forecast(y, 1, 7), levels[-1] + slope / 2 * drift,
                               rtol=1e-10)


def test_exponential_smoothing_chooses_the_weight_with_the_least_one_step_error():
    rng = np.random.default_rng(0)
    z = np.cumsum(rng.normal(size=200)) + rng.normal(0, 2, 200)
    level, alpha = simple_exponential_smoothing(z)

    def sse(a):
        levels = np.empty_like(z)
        levels[0] = z[0]
        for t in range(1, len(z)):
            levels[t] = a * z[t] + (1 - a) * levels[t - 1]
        return np.sum((z[1:] - levels[:-1]) ** 2), levels[-1]

    best = min(np.linspace(0.01, 1, 199), key=lambda a: sse(a)[0])
    assert abs(alpha - best) < 0.01
    assert sse(alpha)[0] <= sse(best)[0] + 1e-9
    assert level == pytest.approx(sse(alpha)[1], rel=1e-10)


def test_the_seasonality_test_finds_a_season_and_not_noise():
    assert is_seasonal(seasonal_series(), 12)
    rng = np.random.default_rng(1)
    assert not is_seasonal(rng.normal(size=96), 12)
    # Fewer than three periods, or no period: not tested, not seasonal.
    assert not is_seasonal(seasonal_series(n=35), 12)
    assert not is_seasonal(seasonal_series(), 1)


def test_seasonal_indices_recover_a_multiplicative_and_an_additive_pattern():
    pattern = np.array([0.8, 1.0, 1.3, 0.9])
    y = 50 * np.tile(pattern, 10)
    np.testing.assert_allclose(seasonal_indices(y, 4), pattern / pattern.mean())
    offsets = np.array([-3.0, 1.0, 4.0, -2.0, 0.0])
    y = 20 + np.tile(offsets, 8)
    np.testing.assert_allclose(seasonal_indices(y, 5, multiplicative=False), offsets,
                               atol=1e-12)


def test_a_seasonal_series_is_forecast_with_its_season():
    y = seasonal_series(n=120)
    truth = seasonal_series(n=132)[120:]  # the same noise draw continues
    forecast = theta_forecast(y, 12, 12)
    flat = theta_forecast(y, 1, 12)  # the season ignored
    assert np.mean(np.abs(forecast - truth)) < 0.3 * np.mean(np.abs(flat - truth))
    # A series with values at or below zero gets an additive season.
    shifted = seasonal_series(n=120, multiplicative=False) - 150
    assert np.isfinite(theta_forecast(shifted, 12, 12)).all()
    assert is_seasonal(shifted, 12)


def test_input_is_not_modified_and_bad_input_is_refused():
    y = seasonal_series()
    before = y.copy()
    theta_forecast(y, 12, 6)
    np.testing.assert_array_equal(y, before)
    with pytest.raises(ValueError, match="finite history"):
        theta_forecast(np.array([1.0, np.nan, 3.0]), 1, 2)
    with pytest.raises(ValueError, match="non-empty"):
        theta_forecast(np.array([]), 1, 2)
    np.testing.assert_array_equal(theta_forecast(np.array([4.0]), 1, 3), [4.0, 4.0, 4.0])


def test_the_docstring_example_runs():
    # benchmarks/ is outside the doctest paths of the suite.
    result = doctest.testmod(theta_method)
    assert result.attempted > 0 and result.failed == 0
