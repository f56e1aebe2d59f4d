"""Tests for rnnforecast.forecasting.RNNForecaster.

Most tests use a tiny network (a few hidden units, a few epochs, one network
instead of the default ensemble) or a Ridge regressor, so the whole module runs
in well under a minute; one test fits the defaults on airline passengers.
"""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline

from rnnforecast import RNNRegressor
from rnnforecast.datasets import load_airline_passengers, load_msft_stock
from rnnforecast import RNNForecaster
from rnnforecast.forecasting.future_steps import StepLayout
from rnnforecast.forecasting.window_model import WindowModel
from rnnforecast.windowing import SlidingWindowTransformer


# --------------------------------------------------------------------------- #
# Helpers
# --------------------------------------------------------------------------- #
def seasonal_series(n=120, freq="MS", seed=0, period=12, name="sales"):
    """Trend + season + AR(1) noise, indexed by ``freq`` (None: RangeIndex)."""
    rng = np.random.RandomState(seed)
    noise = np.zeros(n)
    for t in range(1, n):
        noise[t] = 0.6 * noise[t - 1] + rng.standard_normal()
    t = np.arange(n)
    values = 20 + 0.05 * t + 3 * np.sin(2 * np.pi * t / period) + noise
    index = pd.RangeIndex(n) if freq is None else pd.date_range("2000-01-01", periods=n, freq=freq)
    return pd.Series(values, index=index, name=name)


def covariates_for(y, seed=1):
    rng = np.random.RandomState(seed)
    return pd.DataFrame(
        {"temp": rng.standard_normal(len(y)), "promo": rng.randint(0, 2, len(y))},
        index=y.index,
    )


def tiny_rnn(**params):
    return RNNRegressor(**{"hidden_size": 4, "max_iter": 5, "random_state": 0, **params})


def quick(**params):
    """A fast forecaster: tiny network, one network, fixed seed."""
    # model="per_series": these tests check the model trained in fit (the
    # default, model="auto", may choose the pretrained network instead).
    params.setdefault("model", "per_series")
    params.setdefault("regressor", tiny_rnn())
    params.setdefault("n_networks", 1)
    params.setdefault("random_state", 0)
    return RNNForecaster(**params)


def ridge_forecaster(**params):
    """The fastest forecaster: a Ridge in place of the network."""
    params.setdefault("model", "per_series")
    return RNNForecaster(regressor=Ridge(alpha=1.0), **params)


# Tiny networks stop at max_iter on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:.*maximum iterations")


# --------------------------------------------------------------------------- #
# fit / predict
# --------------------------------------------------------------------------- #
def test_predict_returns_next_horizon_timestamps_named_like_y():
    y = seasonal_series(96)
    forecaster = quick(horizon=5)
    assert forecaster.fit(y) is forecaster
    forecast = forecaster.predict()
    assert isinstance(forecast, pd.Series)
    assert forecast.name == "sales"
    expected = pd.date_range("2008-01-01", periods=5, freq="MS")
    assert forecast.index.equals(expected)
    assert forecast.index.freqstr == "MS"
    assert np.isfinite(forecast).all()
    assert forecaster.cutoff_ == y.index[-1]
    assert forecaster.n_rows_seen_ == 96


def test_forecast_tracks_a_trending_seasonal_series():
    # A noiseless trend + season: the forecast must follow it closely,
    # far better than the last value repeated.
    t = np.arange(144)
    values = 100 + 2 * t + 20 * np.sin(2 * np.pi * t / 12)
    y = pd.Series(values, index=pd.date_range("2000-01-01", periods=144, freq="MS"))
    forecaster = quick(horizon=12, regressor=tiny_rnn(max_iter=20)).fit(y.iloc[:132])
    error = np.abs(forecaster.predict().to_numpy() - values[132:]).mean()
    naive_error = np.abs(values[131] - values[132:]).mean()
    assert error < 0.2 * naive_error


def test_defaults_beat_seasonal_naive_on_airline_passengers():
    y = load_airline_passengers().astype(float)
    train, test = y.iloc[:-12], y.iloc[-12:].to_numpy()
    forecaster = RNNForecaster(horizon=12, random_state=0).fit(train)
    assert forecaster.window_ == 24 and forecaster.seasonal_period_ == 12
    assert len(forecaster.regressors_) == 5
    assert all(isinstance(r, RNNRegressor) and r.cell == "gru" for r in forecaster.regressors_)
    rnn_error = np.abs(forecaster.predict().to_numpy() - test).mean()
    seasonal_naive_error = np.abs(train.iloc[-12:].to_numpy() - test).mean()
    assert rnn_error < 0.5 * seasonal_naive_error


@pytest.mark.parametrize(
    "freq, window",
    [("MS", 24), ("QS", 8), ("D", 14), ("B", 10), ("h", 48), ("30min", 96), ("YS", 10)],
)
def test_auto_window_is_two_seasonal_periods_of_the_frequency(freq, window):
    y = seasonal_series(400, freq=freq)
    forecaster = ridge_forecaster(horizon=2, n_calibration=0).fit(y)
    assert forecaster.window_ == window
    assert forecaster.freq_ == pd.tseries.frequencies.to_offset(freq).freqstr


def test_auto_window_is_clipped_so_short_series_keep_enough_windows():
    y = seasonal_series(40)  # monthly: two seasons would be 24
    forecaster = ridge_forecaster(horizon=4, n_calibration=0).fit(y)
    assert forecaster.window_ == (40 - 4 + 1) // 3


def test_direct_strategy_trains_one_network_for_all_steps():
    forecaster = quick(horizon=4).fit(seasonal_series(80))
    assert forecaster.regressors_[0].n_outputs_ == 4


def test_recursive_strategy_trains_a_one_step_network_fed_its_forecasts():
    y = seasonal_series(80)
    # Without early stopping the networks do not depend on the horizon.
    forecaster = quick(horizon=4, strategy="recursive", early_stopping=False).fit(y)
    assert forecaster.regressors_[0].n_outputs_ == 1
    forecast = forecaster.predict()
    assert len(forecast) == 4 and np.isfinite(forecast).all()
    # Step 1 of the recursive forecast is the one-step forecast.
    one_step = clone(forecaster).set_params(horizon=1).fit(y).predict()
    assert forecast.iloc[0] == pytest.approx(one_step.iloc[0])


def test_recursive_strategy_rejects_covariates():
    y = seasonal_series(60)
    with pytest.raises(ValueError, match="strategy='recursive'.*covariates"):
        quick(strategy="recursive").fit(y, covariates_for(y))


def test_covariates_are_read_over_the_window():
    y = seasonal_series(80)
    X = covariates_for(y)
    forecaster = quick(horizon=3).fit(y, X)
    assert forecaster.covariate_names_ == ["temp", "promo"]
    assert forecaster.regressors_[0].n_step_features_ == 3
    # The forecast depends on the covariates' values, not on their units:
    # they are standardised with statistics of the training rows.
    rescaled = quick(horizon=3).fit(y, X * 5.0 + 1.0)
    np.testing.assert_allclose(rescaled.predict(), forecaster.predict())
    other = quick(horizon=3).fit(y, covariates_for(y, seed=2))
    assert not np.allclose(forecaster.predict(), other.predict())


def test_dataframe_y_with_target_column():
    y = seasonal_series(60)
    frame = pd.DataFrame({"sales": y, "other": np.arange(60.0)})
    from_frame = ridge_forecaster(horizon=2, target="sales").fit(frame).predict()
    from_series = ridge_forecaster(horizon=2).fit(y).predict()
    pd.testing.assert_series_equal(from_frame, from_series)


def test_missing_target_values_are_missing_steps():
    y = seasonal_series(100)
    y.iloc[[10, 11, 50, 97]] = np.nan
    forecaster = quick(horizon=3).fit(y)
    assert np.isfinite(forecaster.predict()).all()
    assert np.isfinite(forecaster.predict_interval()).all().all()


def test_a_gap_longer_than_the_window_is_skipped():
    y = seasonal_series(200)
    y.iloc[150:170] = np.nan  # inside the calibration origins; window is 12
    forecaster = quick(horizon=3, window=12).fit(y)
    scores = forecaster.calibration_scores_
    # Origins with an empty window are left out; a missing truth scores NaN.
    assert 0 < np.isnan(scores).any(axis=1).sum() < len(scores)
    assert np.isfinite(forecaster.predict_interval()).all().all()
    # A forecast needs an observed value in the last window.
    gap = pd.Series(np.nan, index=pd.date_range("2016-09-01", periods=12, freq="MS"))
    with pytest.raises(ValueError, match="no observed target value"):
        forecaster.update(gap).predict()


def test_inputs_are_never_modified():
    y = seasonal_series(80).astype("float32")
    y.iloc[5] = np.nan
    X = covariates_for(y)
    y_copy, X_copy = y.copy(), X.copy()
    forecaster = quick(horizon=3).fit(y, X)
    y_new, X_new = seasonal_series(83).iloc[80:], covariates_for(seasonal_series(83)).iloc[80:]
    y_new_copy, X_new_copy = y_new.copy(), X_new.copy()
    forecaster.predict_interval()
    forecaster.score(y_new, X_new)
    forecaster.update(y_new, X_new)
    pd.testing.assert_series_equal(y, y_copy)
    pd.testing.assert_frame_equal(X, X_copy)
    pd.testing.assert_series_equal(y_new, y_new_copy)
    pd.testing.assert_frame_equal(X_new, X_new_copy)


def test_given_regressor_is_cloned_not_modified():
    regressor = tiny_rnn()
    before = regressor.get_params()
    forecaster = quick(regressor=regressor, horizon=2).fit(seasonal_series(60))
    assert regressor.get_params() == before
    assert not hasattr(regressor, "n_iter_")
    assert forecaster.regressors_[0] is not regressor


def test_same_random_state_gives_the_same_forecast():
    y = seasonal_series(80)
    first = quick(horizon=3, n_networks=2).fit(y).predict()
    second = quick(horizon=3, n_networks=2).fit(y).predict()
    pd.testing.assert_series_equal(first, second)


# --------------------------------------------------------------------------- #
# Frequencies and calendars
# --------------------------------------------------------------------------- #
def test_frequency_is_inferred_without_leaking_pandas_warnings():
    y = seasonal_series(60, freq="D")
    y.index = pd.DatetimeIndex(y.index.to_numpy())  # drop index.freq
    assert y.index.freq is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        forecast = ridge_forecaster(horizon=3).fit(y).predict()
    assert forecast.index.equals(pd.date_range(y.index[-1] + pd.Timedelta("1D"), periods=3))


def test_range_index_continues_the_steps():
    y = seasonal_series(60, freq=None)
    forecast = ridge_forecaster(horizon=3).fit(y).predict()
    assert forecast.index.equals(pd.RangeIndex(60, 63))
    # An evenly stepped integer index keeps its step.
    y.index = pd.Index(np.arange(0, 600, 10))
    forecast = ridge_forecaster(horizon=3).fit(y).predict()
    assert list(forecast.index) == [600, 610, 620]


def test_trading_days_without_freq_raise_an_error_saying_how_to_fix_it():
    close = load_msft_stock()["close"].iloc[-300:]
    with pytest.raises(ValueError, match=r"no fixed frequency.*freq='B'"):
        ridge_forecaster(horizon=5).fit(close)


def test_trading_days_with_business_day_freq_forecast_business_days():
    close = load_msft_stock()["close"].iloc[-300:]
    forecaster = ridge_forecaster(horizon=5, freq="B").fit(close)
    forecast = forecaster.predict()
    # 2017-11-10 is a Friday: the next five business days.
    assert close.index[-1] == pd.Timestamp("2017-11-10")
    assert forecast.index.equals(pd.bdate_range("2017-11-13", periods=5))
    assert forecaster.freq_ == "B"
    # The next trading day after a holiday is accepted (gaps are market closures).
    thanksgiving_week = pd.Series(
        [84.0, 84.5], index=pd.DatetimeIndex(["2017-11-13", "2017-11-15"])
    )
    forecaster.update(thanksgiving_week)
    assert forecaster.predict().index[0] == pd.Timestamp("2017-11-16")
    with pytest.raises(ValueError, match="on freq='B'"):
        forecaster.update(pd.Series([85.0], index=pd.DatetimeIndex(["2017-11-18"])))


def test_freq_that_disagrees_with_the_index_is_an_error():
    with pytest.raises(ValueError, match=r"freq='D' does not match y.index.*'MS'"):
        ridge_forecaster(freq="D").fit(seasonal_series(60))
    with pytest.raises(ValueError, match="not a pandas frequency"):
        ridge_forecaster(freq="every tuesday").fit(seasonal_series(60))
    # A DateOffset without an alias is refused as such, not with pandas'
    # NotImplementedError from deep inside.
    with pytest.raises(ValueError, match=r"freq=<DateOffset: months=1> is not a pandas freq"):
        ridge_forecaster(freq=pd.DateOffset(months=1)).fit(seasonal_series(60))


def test_missing_hours_are_not_read_past_the_fix_is_asfreq():
    y = seasonal_series(24 * 10, freq="h", period=24)
    gappy = y.drop(y.index[100:106])
    # Without freq, the error names the grid and the fix.
    with pytest.raises(ValueError, match=r"grid of 'h' steps.*y = y.asfreq\('h'\)"):
        ridge_forecaster(horizon=3).fit(gappy)
    # With freq="h", the rows are not read as consecutive steps (which would
    # shift the daily cycle by six hours): the same fix.
    with pytest.raises(ValueError, match=r"lacks 6 of the 240 'h' timestamps.*"
                                         r"2000-01-05 04:00.*y.asfreq\('h'\)"):
        ridge_forecaster(horizon=3, freq="h").fit(gappy)
    # The fix works: the missing hours are missing values.
    assert quick(horizon=3).fit(gappy.asfreq("h")).predict().index[0] == y.index[-1] + \
        pd.Timedelta("1h")


def test_a_drifting_clock_gets_the_round_fix():
    hours = pd.date_range("2000-01-01", periods=120, freq="h")
    y = seasonal_series(120, period=24)
    y.index = hours + pd.to_timedelta(np.tile([0, 3, -2, 1], 30), unit="s")
    y = y.drop(y.index[50])
    with pytest.raises(ValueError, match=r"up to 3s off a grid of 'h' steps \(a drifting clock\)"
                                         r": y.index = y.index.round\('h'\).*y.asfreq\('h'\)"):
        ridge_forecaster(horizon=3).fit(y)
    y.index = y.index.round("h")
    y = y.asfreq("h")
    assert y.isna().sum() == 1
    linear = RNNForecaster(horizon=3, n_networks=0, model="per_series")
    assert linear.fit(y).predict().index[0] == hours[-1] + pd.Timedelta("1h")


@pytest.mark.parametrize("step", ["MS", "ME", "QS"])
def test_month_or_quarter_anchors_with_a_gap_get_the_asfreq_fix(step):
    y = seasonal_series(40, freq=step).drop(seasonal_series(40, freq=step).index[20])
    with pytest.raises(ValueError, match=rf"with some missing: y = y.asfreq\('{step}'\)"):
        ridge_forecaster(horizon=3).fit(y)
    filled = y.asfreq(step)
    assert filled.isna().sum() == 1
    linear = RNNForecaster(horizon=3, n_networks=0, model="per_series")
    assert linear.fit(filled).freq_.startswith(step)


@pytest.mark.parametrize("start, step, code", [("2000-01-15", "MS", "M"),
                                                ("2000-02-10", "QS", "Q")])
def test_one_value_per_month_or_quarter_off_its_anchor_gets_a_working_fix(start, step, code):
    y = seasonal_series(40)
    y.index = pd.date_range("2000-01-01", periods=40, freq=step) + (
        pd.Timestamp(start) - pd.Timestamp("2000-01-01"))
    with pytest.raises(ValueError, match=rf"y.index = y.index.to_period\('{code}'\)"
                                         r".to_timestamp\(\)") as caught:
        ridge_forecaster(horizon=3).fit(y)
    assert "freq='B'" not in str(caught.value)
    assert rf"y.index = y.index.to_period('{code}') reads each" in str(caught.value)
    # Both fixes named work, and forecast alike.
    periods = y.set_axis(y.index.to_period(code))
    y.index = y.index.to_period(code).to_timestamp()
    on_starts = ridge_forecaster(horizon=3).fit(y)
    assert on_starts.freq_.startswith(step)  # QS-JAN
    on_periods = ridge_forecaster(horizon=3).fit(periods)
    assert on_periods.freq_.startswith(code)
    np.testing.assert_array_equal(on_periods.predict().to_numpy(),
                                  on_starts.predict().to_numpy())
    # freq finer than the data (semi-monthly on monthly rows) says so.
    monthly_15th = seasonal_series(40)
    monthly_15th.index = monthly_15th.index + pd.Timedelta(days=14)
    with pytest.raises(ValueError, match=r"two or more 'SMS-15' steps apart.*finer"):
        ridge_forecaster(horizon=3, freq="SMS").fit(monthly_15th)


# --------------------------------------------------------------------------- #
# Intervals
# --------------------------------------------------------------------------- #
def test_predict_interval_brackets_the_forecast():
    forecaster = quick(horizon=4).fit(seasonal_series(120))
    intervals = forecaster.predict_interval(coverage=0.8)
    assert list(intervals.columns) == ["forecast", "lower", "upper"]
    assert intervals.index.equals(forecaster.predict().index)
    np.testing.assert_allclose(intervals["forecast"], forecaster.predict())
    assert (intervals["lower"] < intervals["forecast"]).all()
    assert (intervals["forecast"] < intervals["upper"]).all()
    wider = forecaster.predict_interval(coverage=0.95)
    assert (wider["upper"] - wider["lower"] >= intervals["upper"] - intervals["lower"]).all()


@pytest.mark.parametrize("coverage", [0.8, 0.9])
def test_interval_coverage_on_held_out_origins_is_close_to_nominal(coverage):
    # Five synthetic series; fit on 300 points, then forecast from every one
    # of the next 190 origins (moving on with update) and count how often
    # the interval holds the truth.
    horizon, hits = 6, []
    for seed in range(5):
        y = seasonal_series(500, seed=seed)
        forecaster = quick(horizon=horizon, regressor=tiny_rnn(max_iter=30)).fit(y.iloc[:300])
        for origin in range(300, 490):
            intervals = forecaster.predict_interval(coverage)
            truth = y.iloc[origin:origin + horizon].to_numpy()
            hits.append((truth >= intervals["lower"]) & (truth <= intervals["upper"]))
            forecaster.update(y.iloc[origin:origin + 1])
    assert abs(np.mean(hits) - coverage) < 0.05


def test_coverage_outside_zero_one_is_an_error():
    forecaster = ridge_forecaster(horizon=2).fit(seasonal_series(80))
    for coverage in [0, 1, 1.5, -0.1, "0.9", True]:
        with pytest.raises(ValueError, match=f"coverage must be .* got {coverage!r}"):
            forecaster.predict_interval(coverage)


@pytest.mark.parametrize("symmetric", [True, False])
def test_a_list_of_coverages_gives_each_interval(symmetric):
    forecaster = quick(horizon=3).fit(seasonal_series(220))  # 39 errors a step for 95%, asymmetric
    both = forecaster.predict_interval([0.95, 0.8], symmetric=symmetric)
    assert list(both.columns) == ["forecast", "lower_0.95", "upper_0.95", "lower_0.8",
                                  "upper_0.8"]
    for coverage in (0.8, 0.95):
        alone = forecaster.predict_interval(coverage, symmetric=symmetric)
        pd.testing.assert_series_equal(both["forecast"], alone["forecast"])
        for side in ("lower", "upper"):
            np.testing.assert_array_equal(both[f"{side}_{coverage}"], alone[side])
    assert (both["upper_0.95"] - both["lower_0.95"] > both["upper_0.8"] - both["lower_0.8"]).all()
    one = forecaster.predict_interval((0.8,))  # a list of one still names its coverage
    assert list(one.columns) == ["forecast", "lower_0.8", "upper_0.8"]


def test_a_list_of_coverages_is_checked_element_by_element():
    forecaster = ridge_forecaster(horizon=2).fit(seasonal_series(80))
    with pytest.raises(ValueError, match=r"coverage must be floats .* got 1.5"):
        forecaster.predict_interval([0.8, 1.5])
    with pytest.raises(ValueError, match="coverage holds 0.8 more than once"):
        forecaster.predict_interval([0.8, 0.9, 0.8])
    with pytest.raises(ValueError, match="coverage is empty"):
        forecaster.predict_interval([])


def test_each_coverage_a_short_backtest_cannot_support_is_warned_about():
    forecaster = ridge_forecaster(horizon=2, n_calibration=10).fit(seasonal_series(80))
    with pytest.warns(UserWarning, match=r"coverage=0.95.*too few") as caught:
        bounds = forecaster.predict_interval([0.8, 0.95])
    assert len([w for w in caught if "too few" in str(w.message)]) == 1
    assert np.isfinite(bounds["upper_0.8"]).all() and np.isinf(bounds["upper_0.95"]).all()


def test_predict_interval_needs_calibration():
    forecaster = ridge_forecaster(horizon=2, n_calibration=0).fit(seasonal_series(80))
    assert forecaster.calibration_scores_ is None
    with pytest.raises(ValueError, match="n_calibration=0"):
        forecaster.predict_interval()


def test_short_series_calibrate_on_fewer_origins():
    # 25 rows, window 6, horizon 2: 18 origins with a known future, too few
    # for 10 calibration origins; 8 leave the calibration model 9 windows.
    forecaster = ridge_forecaster(window=6, horizon=2).fit(seasonal_series(25))
    assert forecaster.calibration_scores_.shape == (8, 2)


def test_series_too_short_to_calibrate_warns_and_disables_intervals():
    # 15 rows: 8 origins, 3 calibration origins at most: too few.
    with pytest.warns(UserWarning, match="too short"):
        forecaster = ridge_forecaster(window=6, horizon=2).fit(seasonal_series(15))
    assert np.isfinite(forecaster.predict()).all()
    with pytest.raises(ValueError, match="too short"):
        forecaster.predict_interval()


def test_calibration_scores_are_out_of_sample_errors():
    forecaster = quick(horizon=3).fit(seasonal_series(200))
    scores = forecaster.calibration_scores_
    assert scores.shape == (int(0.25 * (200 - 24 - 3 + 1)), 3)
    assert (scores >= 0).all() and np.isfinite(scores).all()


# --------------------------------------------------------------------------- #
# update
# --------------------------------------------------------------------------- #
def test_update_moves_the_forecast_origin_without_refitting():
    y = seasonal_series(100)
    forecaster = quick(horizon=3).fit(y.iloc[:90])
    weights = forecaster.regressors_[0].weights_
    before = forecaster.predict()
    in_two_steps = pickle.loads(pickle.dumps(forecaster))
    assert forecaster.update(y.iloc[90:100]) is forecaster
    after = forecaster.predict()
    assert after.index[0] == y.index[-1] + y.index.freq
    assert not np.allclose(before.to_numpy(), after.to_numpy())
    for name, w in forecaster.regressors_[0].weights_.items():
        np.testing.assert_array_equal(w, weights[name])
    in_two_steps.update(y.iloc[90:95]).update(y.iloc[95:100])
    pd.testing.assert_series_equal(in_two_steps.predict(), after)
    assert forecaster.cutoff_ == y.index[-1] and forecaster.n_rows_seen_ == 100


def test_n_networks_zero_forecasts_with_the_linear_skip_alone():
    y = seasonal_series(120)
    forecaster = RNNForecaster(window=12, horizon=3, n_networks=0, model="per_series").fit(y)
    assert forecaster.regressors_ == [] and forecaster.n_epochs_ is None
    history = y.to_numpy()[-12:]
    features, _ = forecaster.network_data(y.iloc[-12:])
    scale = np.std(y)
    offset = (history[-1:] - np.mean(y)) / scale
    linear = WindowModel([], forecaster.linear_, StepLayout(1, [], 0), 3)
    expected = history[-1] + scale * linear.predict(features, offset)[0]
    np.testing.assert_allclose(forecaster.predict().to_numpy(), expected)
    assert forecaster.predict_interval(0.8).notna().all().all()  # the backtest still runs
    for params in ({"linear_skip": False}, {"training": "sequence"}):
        with pytest.raises(ValueError, match="n_networks=0 forecasts with the linear skip"):
            RNNForecaster(horizon=3, n_networks=0, **params).fit(y)


def test_update_equals_forecasting_from_the_longer_history():
    # With the same fitted model, a forecaster updated with y[90:] forecasts
    # like one whose history is y[:100]: update only moves the window.
    y = seasonal_series(100)
    forecaster = ridge_forecaster(horizon=3, window=12, n_calibration=0).fit(y.iloc[:90])
    forecaster.update(y.iloc[90:])
    history = y.to_numpy()[-12:]
    features, _ = forecaster.network_data(y.iloc[-12:])
    scale = np.std(y.iloc[:90])
    np.testing.assert_allclose(features[0], (history - history[-1]) / scale)
    model = WindowModel(forecaster.regressors_, forecaster.linear_, StepLayout(1, [], 0), 3)
    offset = (history[-1:] - np.mean(y.iloc[:90])) / scale
    expected = history[-1] + scale * model.predict(features, offset)[0]
    np.testing.assert_allclose(forecaster.predict().to_numpy(), expected)


@pytest.mark.parametrize(
    "start, periods, match",
    [
        ("2007-12-01", 2, "must be 2008-01-01"),  # overlaps the data seen
        ("2008-03-01", 2, "must be 2008-01-01"),  # leaves a gap
        ("2001-01-01", 1, "must be 2008-01-01"),  # old
    ],
)
def test_update_rejects_timestamps_that_do_not_continue_the_data(start, periods, match):
    forecaster = ridge_forecaster(horizon=2).fit(seasonal_series(96))
    y_new = pd.Series(np.ones(periods), index=pd.date_range(start, periods=periods, freq="MS"))
    with pytest.raises(ValueError, match=match):
        forecaster.update(y_new)
    assert forecaster.cutoff_ == pd.Timestamp("2007-12-01")


def test_update_needs_the_covariates_of_fit():
    y = seasonal_series(83)
    X = covariates_for(y)
    forecaster = quick(horizon=2).fit(y.iloc[:80], X.iloc[:80])
    with pytest.raises(ValueError, match="fitted with covariates"):
        forecaster.update(y.iloc[80:])
    with pytest.raises(ValueError, match="same columns"):
        forecaster.update(y.iloc[80:], X.iloc[80:, :1])
    forecaster.update(y.iloc[80:], X.iloc[80:])
    assert forecaster.cutoff_ == y.index[-1]


# --------------------------------------------------------------------------- #
# score and scikit-learn model selection
# --------------------------------------------------------------------------- #
def test_score_is_negative_mae_of_the_forecast_on_the_overlapping_steps():
    y = seasonal_series(100)
    forecaster = quick(horizon=4).fit(y.iloc[:90])
    forecast = forecaster.predict().to_numpy()
    future = y.iloc[90:]
    assert forecaster.score(future) == pytest.approx(-np.abs(future[:4] - forecast).mean())
    assert forecaster.score(future.iloc[:2]) == pytest.approx(
        -np.abs(future[:2] - forecast[:2]).mean()
    )


def test_score_rejects_a_future_that_does_not_start_after_the_data():
    y = seasonal_series(100)
    forecaster = ridge_forecaster(horizon=4).fit(y.iloc[:90])
    with pytest.raises(ValueError, match="y_future must continue"):
        forecaster.score(y.iloc[91:])


def _grid_series():
    y = seasonal_series(120)
    return y, covariates_for(y)


def test_grid_search_over_forecaster_with_time_series_split():
    y, X = _grid_series()
    grid = {"window": [6, 12], "regressor__hidden_size": [2, 4]}
    cv = TimeSeriesSplit(n_splits=2, test_size=3)
    for args in [(y,), (y, X)]:
        search = GridSearchCV(quick(horizon=3), grid, cv=cv, error_score="raise").fit(*args)
        scores = search.cv_results_["mean_test_score"]
        assert len(scores) == 4 and np.all(np.isfinite(scores)) and np.all(scores < 0)
        assert search.best_params_["window"] in (6, 12)
        assert search.best_estimator_.regressors_[0].hidden_size == (
            search.best_params_["regressor__hidden_size"]
        )
        # refit=True refits on all of y: forecasts start after it.
        assert search.best_estimator_.predict().index[0] == y.index[-1] + y.index.freq
    assert search.best_estimator_.covariate_names_ == ["temp", "promo"]


def test_cross_val_score_is_a_rolling_origin_backtest():
    y = seasonal_series(100)
    forecaster = quick(horizon=4, window=12)
    cv = TimeSeriesSplit(n_splits=3, test_size=4)
    scores = cross_val_score(forecaster, y, cv=cv, error_score="raise")
    expected = []
    for train, test in cv.split(y):
        expected.append(clone(forecaster).fit(y.iloc[train]).score(y.iloc[test]))
    np.testing.assert_allclose(scores, expected)


def test_cross_val_score_with_two_jobs_matches_one_job():
    y, X = _grid_series()
    forecaster = quick(horizon=3, window=12)
    cv = TimeSeriesSplit(n_splits=2, test_size=3)
    serial = cross_val_score(forecaster, y, X, cv=cv, error_score="raise")
    parallel = cross_val_score(forecaster, y, X, cv=cv, n_jobs=2, error_score="raise")
    np.testing.assert_allclose(parallel, serial)


def test_grid_search_over_a_window_pipeline_with_time_series_split():
    # The regressor-level workflow the forecaster builds on: rows are
    # timestamps, the target is the next value.
    y = seasonal_series(120)
    frame = y.to_frame()
    target = y.shift(-1).iloc[:-1]
    pipeline = make_pipeline(SlidingWindowTransformer(window=6), tiny_rnn())
    search = GridSearchCV(
        pipeline,
        {"slidingwindowtransformer__window": [3, 6], "rnnregressor__hidden_size": [2, 4]},
        cv=TimeSeriesSplit(n_splits=2, test_size=10),
        error_score="raise",
    ).fit(frame.iloc[:-1], target)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.predict(frame.iloc[-5:]).shape == (5,)


# --------------------------------------------------------------------------- #
# Estimator protocol
# --------------------------------------------------------------------------- #
def test_nested_params_and_clone():
    forecaster = RNNForecaster(regressor=tiny_rnn(), horizon=3)
    params = forecaster.get_params()
    assert params["regressor__hidden_size"] == 4 and params["window"] == "auto"
    forecaster.set_params(regressor__hidden_size=7, window=12)
    assert forecaster.regressor.hidden_size == 7 and forecaster.window == 12
    copy = clone(forecaster)
    assert copy.regressor is not forecaster.regressor
    assert copy.get_params()["regressor__hidden_size"] == 7


def test_pickle_round_trip_keeps_forecasts_and_intervals():
    forecaster = quick(horizon=3).fit(seasonal_series(100))
    restored = pickle.loads(pickle.dumps(forecaster))
    pd.testing.assert_series_equal(restored.predict(), forecaster.predict())
    pd.testing.assert_frame_equal(restored.predict_interval(), forecaster.predict_interval())


def test_methods_before_fit_raise_not_fitted():
    forecaster = RNNForecaster()
    y = seasonal_series(10)
    for call in [
        forecaster.predict,
        forecaster.predict_interval,
        lambda: forecaster.update(y),
        lambda: forecaster.score(y),
        lambda: forecaster.cutoff_,
        lambda: forecaster.n_rows_seen_,
        lambda: forecaster.outliers_,
    ]:
        with pytest.raises(NotFittedError):
            call()
    assert not hasattr(forecaster, "cutoff_")  # as a fitted attribute reads before fit


# --------------------------------------------------------------------------- #
# Bad input
# --------------------------------------------------------------------------- #
def test_too_short_series_names_the_minimum():
    y = seasonal_series(30)
    with pytest.raises(
        ValueError, match=r"y has 30 rows; window=24 and horizon=12 need at least 36"
    ):
        ridge_forecaster(window=24, horizon=12).fit(y)
    # Exactly the minimum works (no calibration, so it warns).
    with pytest.warns(UserWarning, match="too short"):
        ridge_forecaster(window=18, horizon=12).fit(y)
    with pytest.raises(ValueError, match=r"window=24 and horizon=12 need at least 25"):
        ridge_forecaster(window=24, horizon=12, strategy="recursive").fit(y.iloc[:24])


@pytest.mark.parametrize(
    "mutate, error, match",
    [
        (lambda y: y.iloc[:0], ValueError, "y is empty"),
        (lambda y: y.iloc[[0, 1, 1, 2, 3]], ValueError, "duplicate timestamps"),
        (lambda y: y.iloc[::-1], ValueError, r"not sorted.*sort_index"),
        (lambda y: y.where(y.index != y.index[7], np.inf), ValueError, "inf at"),
        (lambda y: y * np.nan, ValueError, "only NaN"),
        (lambda y: y.astype(str), TypeError, "non-numeric dtype"),
        (lambda y: y.to_numpy(), TypeError, "must be a pandas Series"),
        (lambda y: pd.concat([y, y.rename("b")], axis=1), ValueError, "pass target="),
    ],
)
def test_bad_y_is_rejected_with_a_message_that_names_it(mutate, error, match):
    with pytest.raises(error, match=match):
        ridge_forecaster(window=3).fit(mutate(seasonal_series(40)))


def test_a_wide_frame_is_refused_with_both_readings_and_the_many_series_one_works():
    y = seasonal_series(40)
    wide = pd.DataFrame({"a": y, "b": 2 * y + 1})
    with pytest.raises(ValueError, match=r"target='a'\), and the others as past covariates "
                                         r"X; or, .* pass dict\(y.items\(\)\)"):
        ridge_forecaster(window=3).fit(wide)
    forecaster = ridge_forecaster(window=3).fit(dict(wide.items()))
    wide_forecast = forecaster.predict().unstack(0)
    assert list(wide_forecast.columns) == ["a", "b"]
    alone = ridge_forecaster(window=3).fit(wide["b"]).predict()
    np.testing.assert_allclose(wide_forecast["b"].to_numpy(), alone.to_numpy())


@pytest.mark.parametrize("factor", [1e200, 1e-200])
def test_a_series_in_huge_or_tiny_units_is_forecast_as_in_ordinary_ones(factor):
    # The standard deviation of values beyond about 1e154 (below 1e-154) over-
    # (under-)flows float64; it used to fall back to 1, and the linear skip's
    # ridge then failed ("Eigenvalues did not converge") or forecast flat.
    y = seasonal_series(80)
    X = covariates_for(y)
    params = dict(window=12, horizon=3, n_networks=1, random_state=0,
                  regressor=RNNRegressor(hidden_size=4, max_iter=3), model="per_series")
    reference = RNNForecaster(**params).fit(y, X)
    scaled = RNNForecaster(**params).fit(y * factor, X * factor)
    np.testing.assert_allclose(scaled.predict().to_numpy() / factor,
                               reference.predict().to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(scaled.predict_interval().to_numpy() / factor,
                               reference.predict_interval().to_numpy(), rtol=1e-9)


def test_a_category_covariate_is_refused_with_advice_that_works():
    y = seasonal_series(60)
    X = covariates_for(y).assign(store=pd.Categorical(["a", "b", "c"] * 20))
    with pytest.raises(TypeError, match=r"X column 'store' has non-numeric dtype category; "
                                        r".*X = pd.get_dummies\(X, columns=\['store'\], "
                                        r"dtype=float\)"):
        ridge_forecaster(window=6).fit(y, X)
    X = pd.get_dummies(X, columns=["store"], dtype=float)
    assert ridge_forecaster(window=6).fit(y, X).covariate_names_[-3:] == [
        "store_a", "store_b", "store_c"]


def test_a_covariate_without_values_is_refused_and_one_with_gaps_is_read():
    y = seasonal_series(60)
    X = covariates_for(y)
    with pytest.raises(ValueError, match=r"X column 'empty' has no observed value \(all NaN\)"
                                         r".*X.drop\(columns=\['empty'\]\)"):
        ridge_forecaster(window=6).fit(y, X.assign(empty=np.nan))
    with pytest.raises(ValueError, match=r"X columns 'a', 'b' have no observed value"):
        ridge_forecaster(window=6).fit(y, X.assign(a=np.nan, b=np.nan))
    gappy = X.copy()
    gappy.iloc[::4, 0] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        assert RNNForecaster(window=6, n_networks=0, model="per_series").fit(
            y, gappy).predict().notna().all()


def test_bad_covariates_are_rejected():
    y = seasonal_series(40)
    X = covariates_for(y)
    with pytest.raises(ValueError, match="aligned with y"):
        ridge_forecaster().fit(y, X.iloc[1:])
    with pytest.raises(TypeError, match="'label' has non-numeric"):
        ridge_forecaster().fit(y, X.assign(label="a"))
    with pytest.raises(TypeError, match="DataFrame of past covariates"):
        ridge_forecaster().fit(y, X.to_numpy())


@pytest.mark.parametrize(
    "params, match",
    [
        ({"window": 0}, "'window' parameter"),
        ({"horizon": 0}, "'horizon' parameter"),
        ({"strategy": "multi"}, "'strategy' parameter"),
        ({"n_networks": -1}, "'n_networks' parameter"),
    ],
)
def test_bad_parameters_are_rejected_in_fit(params, match):
    forecaster = RNNForecaster(**params)  # __init__ only stores
    with pytest.raises(ValueError, match=match):
        forecaster.fit(seasonal_series(40))


@pytest.mark.parametrize("settings", [
    dict(), dict(window=6), dict(window=6, strategy="recursive"), dict(training="sequence"),
])
def test_fewest_rows_is_what_fit_accepts(settings):
    from rnnforecast.forecasting.lengths import fewest_rows

    horizon = 3
    needed = fewest_rows(horizon, settings.get("window", "auto"),
                         settings.get("training", "window"), settings.get("strategy", "direct"))
    small = RNNRegressor(hidden_size=2, max_iter=1)
    forecaster = RNNForecaster(horizon=horizon, regressor=small, n_networks=1, n_calibration=0,
                               model="per_series", **settings)
    y = pd.Series(np.arange(needed, dtype=float) % 4,
                  index=pd.date_range("2024-01-01", periods=needed, freq="D"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert len(forecaster.fit(y).predict()) == horizon
        with pytest.raises(ValueError, match=f"needs? at least {needed}"):
            forecaster.fit(y.iloc[1:])


# --------------------------------------------------------------------------- #
# never-negative series
# --------------------------------------------------------------------------- #
def counts(n=300, seed=0, start="2020-01-01"):
    """Daily counts, mostly 0 (intermittent demand)."""
    values = np.random.default_rng(seed).poisson(0.3, n).astype(float)
    return pd.Series(values, index=pd.date_range(start, periods=n, freq="D"), name="sold")


def test_a_never_negative_series_is_forecast_and_bounded_at_or_above_zero():
    y = counts()
    fitted = ridge_forecaster(horizon=7).fit(y)
    # The ridge's own forecasts of the backtest go below 0 (so the floor is
    # what keeps the bounds at 0, not the data).
    assert np.nanmin(fitted.calibration_errors_) < 0
    intervals = fitted.predict_interval(0.9)
    quantiles = fitted.predict_quantiles([0.05, 0.5, 0.95])
    assert (intervals["lower"] == 0).any()
    assert (intervals >= 0).all().all() and (quantiles >= 0).all().all()
    assert (fitted.predict() >= 0).all()
    # Without the floor the lower bounds are the forecast minus the radius.
    radius = intervals["upper"] - intervals["forecast"]
    assert ((intervals["forecast"] - radius) < 0).any()


def test_the_first_negative_value_lifts_the_floor():
    y = counts()
    fitted = ridge_forecaster(horizon=7).fit(y)
    one = pd.Series([-0.5], index=[y.index[-1] + pd.Timedelta("1D")])
    fitted.update(one)
    assert (fitted.predict_interval(0.9)["lower"] < 0).any()
    # ... as a fit that saw it.
    refitted = ridge_forecaster(horizon=7).fit(pd.concat([y, one]))
    assert (refitted.predict_interval(0.9)["lower"] < 0).any()
    # Missing values are not negative (a network reads them; a Ridge cannot).
    gap = pd.Series([np.nan], index=one.index)
    bounds = quick(horizon=7).fit(y).update(gap).predict_interval(0.9)
    assert (bounds["lower"] == 0).any() and (bounds >= 0).all().all()


def test_many_series_are_floored_each_by_its_own_history():
    signed = counts(seed=1) - 0.2  # below 0 now and then
    fitted = ridge_forecaster(horizon=7).fit({"counts": counts(), "signed": signed})
    intervals = fitted.predict_interval(0.9)
    assert (intervals.loc["counts"] >= 0).all().all()
    assert (intervals.loc["signed", "lower"] < 0).any()
