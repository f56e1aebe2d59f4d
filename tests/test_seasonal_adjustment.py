"""RNNForecaster(seasonal_adjustment="auto"), opt-in: where the season is strong,
the per-series model trains on the seasonally adjusted series and every forecast,
bound and quantile gets the season back (rnnforecast.forecasting.seasonal_adjustment)."""

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnforecast import RNNForecaster, RNNRegressor, datasets
from rnnforecast.forecasting.seasonal_adjustment import (STRENGTH_THRESHOLD, fit_adjustment,
                                                         seasonal_indices, seasonal_strength)

pytestmark = pytest.mark.filterwarnings("ignore:.*maximum iterations")

RNG = np.random.default_rng(0)


def monthly(values, start="2000-01-01"):
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="MS"))


def seasonal_series(n=120, seed=0):
    """Trend times a yearly season plus noise: a strong multiplicative season."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return monthly((100 + t) * (1 + 0.3 * np.sin(2 * np.pi * t / 12)) + rng.normal(0, 2, n))


def random_walk(n=120, seed=1):
    return monthly(100 + np.cumsum(np.random.default_rng(seed).normal(0, 1, n)))


def small(**params):
    """A tiny per-series forecaster (one small network and the linear skip)
    with the seasonal adjustment."""
    defaults = dict(model="per_series", n_networks=1, random_state=0, horizon=6,
                    regressor=RNNRegressor(hidden_size=4, max_iter=3, random_state=0),
                    seasonal_adjustment="auto")
    return RNNForecaster(**{**defaults, **params})


# -- the decomposition ------------------------------------------------------------
def test_strength_is_high_for_a_season_and_low_without_one():
    t = np.arange(120)
    noise = RNG.normal(0, 1, 120)
    assert seasonal_strength(50 + 5 * np.sin(2 * np.pi * t / 12) + noise, 12) > 0.9
    assert seasonal_strength(noise, 12) < 0.3
    assert seasonal_strength(np.cumsum(noise), 12) < 0.3
    assert seasonal_strength(np.full(120, 3.0), 12) == 0.0
    assert seasonal_strength(noise[:35], 12) == 0.0  # fewer than three periods
    assert seasonal_strength(noise, 1) == 0.0


def test_strength_reads_a_growing_season_on_the_log_scale():
    t = np.arange(120)
    y = np.exp(0.02 * t) * (1 + 0.2 * np.sin(2 * np.pi * t / 12)) + 1
    assert seasonal_strength(y, 12) > seasonal_strength(y, 12, log=False)


def test_missing_values_are_left_out():
    y = seasonal_series().to_numpy()
    gappy = y.copy()
    gappy[[5, 40, 41, 77]] = np.nan
    assert abs(seasonal_strength(gappy, 12) - seasonal_strength(y, 12)) < 0.05
    np.testing.assert_allclose(seasonal_indices(gappy, 12, True),
                               seasonal_indices(y, 12, True), atol=0.02)
    # A phase never observed: no indices, no strength.
    gappy[np.arange(120) % 12 == 3] = np.nan
    assert seasonal_indices(gappy, 12, True) is None
    assert seasonal_strength(gappy, 12) == 0.0


def test_indices_recover_a_known_pattern():
    t = np.arange(96)
    pattern = 1 + 0.25 * np.cos(2 * np.pi * t / 12)
    indices = seasonal_indices(200 * pattern, 12, multiplicative=True)
    np.testing.assert_allclose(indices, pattern[:12] / pattern[:12].mean(), rtol=1e-12)
    additive = seasonal_indices(10 + pattern, 12, multiplicative=False)
    np.testing.assert_allclose(additive, pattern[:12] - pattern[:12].mean(), atol=1e-12)


def test_fit_adjustment_only_from_the_threshold():
    y = seasonal_series().to_numpy()
    adjustment = fit_adjustment(y, 12, log_scale=False, start=0)
    assert adjustment.multiplicative and adjustment.strength >= STRENGTH_THRESHOLD
    assert fit_adjustment(random_walk().to_numpy(), 12, False, 0) is None
    # Below zero somewhere: additive.
    assert not fit_adjustment(y - 150, 12, False, 0).multiplicative


# -- the forecaster -----------------------------------------------------------------
def adjusted_by_hand(y, forecaster):
    """y divided by the fitted indices of each row's phase (from the first row)."""
    indices = forecaster.seasonal_adjustment_.indices
    return y / indices[np.arange(len(y)) % 12]


def future_indices(forecaster, first):
    indices = forecaster.seasonal_adjustment_.indices
    return indices[np.arange(first, first + forecaster.horizon) % 12]


def test_a_strong_season_is_taken_out_and_put_back():
    y = seasonal_series()
    auto = small().fit(y)
    assert auto.seasonal_adjustment_ is not None and auto.seasonal_adjustment_.multiplicative
    # The same as the model fitted on the adjusted series, its forecasts
    # (and bounds, quantiles) multiplied back by the indices of their phase.
    plain = small(seasonal_adjustment=None).fit(adjusted_by_hand(y, auto))
    assert plain.seasonal_adjustment_ is None
    season = future_indices(auto, len(y))
    np.testing.assert_allclose(auto.predict(), plain.predict() * season, rtol=1e-12)
    np.testing.assert_allclose(auto.predict_interval(0.8),
                               plain.predict_interval(0.8).mul(season, axis=0), rtol=1e-12)
    np.testing.assert_allclose(auto.predict_quantiles([0.1, 0.9]),
                               plain.predict_quantiles([0.1, 0.9]).mul(season, axis=0),
                               rtol=1e-12)
    np.testing.assert_array_equal(auto.calibration_errors_, plain.calibration_errors_)


def test_without_a_strong_season_nothing_changes():
    y = random_walk()
    auto = small().fit(y)
    off = small(seasonal_adjustment=None).fit(y)
    assert auto.seasonal_adjustment_ is None
    pd.testing.assert_series_equal(auto.predict(), off.predict())


def test_update_continues_the_phase():
    y = seasonal_series(126)
    auto = small().fit(y.iloc[:117])
    auto.update(y.iloc[117:])
    plain = small(seasonal_adjustment=None).fit(adjusted_by_hand(y.iloc[:117], auto))
    indices = auto.seasonal_adjustment_.indices
    plain.update(y.iloc[117:] / indices[np.arange(117, 126) % 12])
    np.testing.assert_allclose(auto.predict(), plain.predict() * future_indices(auto, 126),
                               rtol=1e-12)
    assert auto.predict().index[0] == y.index[-1] + pd.offsets.MonthBegin()


def test_the_input_is_not_changed():
    y = seasonal_series()
    kept = y.copy()
    forecaster = small().fit(y)
    forecaster.update(seasonal_series(126).iloc[120:])
    pd.testing.assert_series_equal(y, kept)


def test_missing_values_and_outliers_fit_and_forecast():
    y = seasonal_series().copy()
    y.iloc[[10, 50, 51]] = np.nan
    y.iloc[70] = 1e6  # read as missing before the season is measured
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        forecaster = small().fit(y)
    assert forecaster.seasonal_adjustment_ is not None
    assert np.isfinite(forecaster.predict_interval(0.9).to_numpy()).all()


def test_on_the_log_scale_the_season_is_additive():
    y = seasonal_series()
    logged = small(target_transform="log").fit(y)
    assert not logged.seasonal_adjustment_.multiplicative
    on_log = small(seasonal_adjustment=None).fit(np.log(y) - logged.seasonal_adjustment_.indices[
        np.arange(len(y)) % 12])
    season = logged.seasonal_adjustment_.indices[np.arange(120, 126) % 12]
    np.testing.assert_allclose(logged.predict(), np.exp(on_log.predict() + season), rtol=1e-12)


def test_a_never_negative_series_with_zeros_stays_at_or_above_zero():
    t = np.arange(120)
    y = monthly(np.maximum(0, 20 * np.sin(2 * np.pi * t / 12) + RNG.normal(0, 1, 120)))
    forecaster = small().fit(y)
    assert not forecaster.seasonal_adjustment_.multiplicative  # zeros: additive
    assert (forecaster.predict_interval(0.9).to_numpy() >= 0).all()


def test_where_it_applies():
    y = seasonal_series()
    # Each of many series its own; the panel's attribute is None.
    many = small().fit({"a": y, "b": random_walk()})
    assert many.seasonal_adjustment_ is None
    assert many.forecasters_["a"].seasonal_adjustment_ is not None
    assert many.forecasters_["b"].seasonal_adjustment_ is None
    # One global model, sequence training, sub-daily data: never.
    assert small(many_series="global").fit({"a": y, "b": y * 2}).seasonal_adjustment_ is None
    assert small(training="sequence", regressor=None).fit(y).seasonal_adjustment_ is None
    hours = pd.Series(seasonal_series(24 * 20).to_numpy(),
                      index=pd.date_range("2000-01-01", periods=480, freq="h"))
    assert small(horizon=24).fit(hours).seasonal_adjustment_ is None
    # The pretrained network alone, and the default.
    with pytest.warns(UserWarning, match="seasonal_adjustment='auto'"):
        zero_shot = RNNForecaster(horizon=6, model="zero_shot", seasonal_adjustment="auto")
        assert zero_shot.fit(y).seasonal_adjustment_ is None
    assert small(seasonal_adjustment=None).fit(y).seasonal_adjustment_ is None
    assert RNNForecaster().seasonal_adjustment is None


def test_a_bad_value_is_named():
    with pytest.raises(ValueError, match="seasonal_adjustment"):
        small(seasonal_adjustment="yes").fit(seasonal_series())


def test_network_data_places_any_stretch_of_the_calendar():
    y = seasonal_series()
    forecaster = small().fit(y)
    features, _ = forecaster.network_data(y)
    later, _ = forecaster.network_data(y.iloc[29:])  # a phase of 5, not 0
    np.testing.assert_array_equal(later, features[-len(later):])
    # Before the first row of fit too.
    earlier = pd.concat([seasonal_series(132).iloc[:12].set_axis(
        pd.date_range("1999-01-01", periods=12, freq="MS")), y])
    before, _ = forecaster.network_data(earlier)
    np.testing.assert_array_equal(before[-len(features):], features)


def test_network_data_of_trading_days_starts_where_fit_started():
    # Rows of trading days with holidays left out (freq="B"): the phase is
    # counted in rows, so another start cannot be placed.
    days = pd.bdate_range("2020-01-01", periods=160).delete([20, 75, 130])
    t = np.arange(len(days))
    y = pd.Series(50 + 10 * (t % 5 == 0) + RNG.normal(0, 0.5, len(days)), index=days)
    forecaster = small(freq="B", horizon=5).fit(y)
    assert forecaster.seasonal_adjustment_ is not None
    assert np.isfinite(forecaster.network_data(y)[0]).all()
    with pytest.raises(ValueError, match="seasonal_adjustment=None"):
        forecaster.network_data(y.iloc[3:])


def test_the_airline_series_is_adjusted():
    y = datasets.load_airline_passengers().astype(float)
    forecaster = small(horizon=12).fit(y)
    indices = forecaster.seasonal_adjustment_.indices
    # July and August the busiest months, November the quietest.
    assert set(np.argsort(indices)[-2:]) == {6, 7} and np.argmin(indices) == 10


def test_a_period_index_is_adjusted_and_placed_alike():
    y = seasonal_series()
    periods = y.to_period("M")
    by_period = small().fit(periods)
    by_timestamp = small().fit(y)
    np.testing.assert_allclose(by_period.predict().to_numpy(), by_timestamp.predict().to_numpy(),
                               rtol=1e-12)
    assert by_period.predict().index[0] == pd.Period("2010-01", "M")
    later, _ = by_period.network_data(periods.iloc[29:])
    features, _ = by_period.network_data(periods)
    np.testing.assert_array_equal(later, features[-len(later):])


def test_a_fitted_adjustment_survives_pickling():
    import pickle

    forecaster = small().fit(seasonal_series())
    copy = pickle.loads(pickle.dumps(forecaster))
    pd.testing.assert_frame_equal(copy.predict_interval(0.8), forecaster.predict_interval(0.8))
    np.testing.assert_array_equal(copy.seasonal_adjustment_.indices,
                                  forecaster.seasonal_adjustment_.indices)
