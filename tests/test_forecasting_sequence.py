"""RNNForecaster(training="sequence"): truncated BPTT over the whole series."""

import copy
import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge

from rnnforecast import RNNForecaster, RNNRegressor
from rnnforecast.forecasting.backtest import calibration_size
from rnnforecast.forecasting.scaling import running_level
from rnnforecast.forecasting.sequence_training import SequenceModel, step_targets

HORIZON = 4


def sensor(n=480, period=24, seed=0, start="2024-01-01"):
    rng = np.random.RandomState(seed)
    t = np.arange(n)
    values = 20 + 3 * np.sin(2 * np.pi * t / period) + 0.3 * rng.standard_normal(n)
    return pd.Series(values, index=pd.date_range(start, periods=n, freq="h"), name="temp")


def forecaster(**kwargs):
    settings = dict(horizon=HORIZON, n_networks=1, random_state=0, training="sequence",
                    regressor=RNNRegressor(hidden_size=8, max_iter=15, learning_rate_init=0.01))
    settings.update(kwargs)
    return RNNForecaster(**settings)


@pytest.fixture(scope="module")
def fitted():
    y = sensor()
    return forecaster().fit(y[:400]), y


def test_step_targets_are_the_future_relative_to_the_last_observed_value():
    z = np.array([1.0, np.nan, 3.0, 4.0, 6.0])
    np.testing.assert_array_equal(running_level(z), [1, 1, 3, 4, 6])
    targets = step_targets(z, 2)[np.arange(5)]
    expected = np.array([[np.nan, 2], [2, 3], [1, 3], [2, np.nan], [np.nan, np.nan]])
    np.testing.assert_array_equal(targets, expected)


def test_forecasts_the_next_horizon_timestamps_better_than_naive(fitted):
    f, y = fitted
    f = copy.deepcopy(f)
    forecast = f.predict()
    assert forecast.name == "temp"
    assert list(forecast.index) == list(y.index[400:400 + HORIZON])
    assert f.bptt_steps_ == 48 and f.window_ is None and f.seasonal_period_ == 24
    errors, naive = [], []
    for origin in range(400, 440, HORIZON):
        if origin > 400:
            f.update(y.iloc[origin - HORIZON:origin])
        truth = y.iloc[origin:origin + HORIZON].to_numpy()
        errors.append(np.abs(f.predict().to_numpy() - truth).mean())
        naive.append(np.abs(y.iloc[origin - 1] - truth).mean())
    assert np.mean(errors) < 0.6 * np.mean(naive)


def test_update_equals_reading_the_whole_extended_series():
    """update advances the stored state over the new rows only, and gives
    exactly the forecast of the networks run over the whole series from a
    zero state."""
    y = sensor(300)
    f = forecaster(n_networks=2).fit(y[:240])
    extra = y[240:].copy()
    extra.iloc[5:8] = np.nan  # missing observations carry the state over
    f.update(extra[:1]).update(extra[1:20]).update(extra[20:])
    full = pd.concat([y[:240], extra]).to_numpy()[:, None]
    fresh = SequenceModel(f._fitted.model.networks, f._fitted.model.scaler).read(full)
    np.testing.assert_array_equal(f.predict().to_numpy(), fresh.forecast([0])[0][0])
    assert f.cutoff_ == y.index[-1] and f.n_rows_seen_ == 300
    assert f.predict().index[0] == y.index[-1] + pd.Timedelta(hours=1)
    # the state holds more than the last few rows: a change 50 to 60 rows
    # before the end still moves the forecast
    early = full.copy()
    early[-60:-50] += 5
    other = SequenceModel(f._fitted.model.networks, f._fitted.model.scaler).read(early)
    assert not np.array_equal(other.forecast([0])[0], fresh.forecast([0])[0])


def test_intervals_from_the_backtest_inside_fit(fitted):
    f, _ = fitted
    scores = f.calibration_scores_
    assert scores.shape == (calibration_size("auto", 400 - HORIZON, HORIZON), HORIZON)
    assert np.isfinite(scores).all() and (scores >= 0).all()
    assert len(f.n_epochs_) == 1 and 1 <= f.n_epochs_[0] <= 15
    bounds = f.predict_interval(coverage=0.8)
    assert list(bounds.columns) == ["forecast", "lower", "upper"]
    np.testing.assert_allclose(bounds["forecast"], f.predict())
    assert (bounds["lower"] < bounds["forecast"]).all()
    assert (bounds["forecast"] < bounds["upper"]).all()


def test_no_calibration_and_no_early_stopping():
    y = sensor(200)
    f = forecaster(n_calibration=0).fit(y)
    assert f.calibration_scores_ is None and f.n_epochs_ is None
    assert np.isfinite(f.predict()).all()
    with pytest.raises(ValueError, match="n_calibration=0"):
        f.predict_interval()
    g = forecaster(early_stopping=False).fit(y)
    assert g.n_epochs_ is None and g.calibration_scores_ is not None


def test_covariates_and_missing_values():
    y = sensor(300)
    X = pd.DataFrame({"load": np.cos(np.arange(300) / 5.0)}, index=y.index)
    y_missing = y.copy()
    y_missing.iloc[[10, 11, 150]] = np.nan
    f = forecaster().fit(y_missing[:280], X[:280])
    assert f.covariate_names_ == ["load"]
    assert np.isfinite(f.predict()).all()
    f.update(y[280:], X[280:])
    assert f.cutoff_ == y.index[-1]
    with pytest.raises(ValueError, match="covariates"):
        f.update(sensor(1, start=y.index[-1] + pd.Timedelta(hours=1)))


def test_score_and_pickle(fitted):
    f, y = fitted
    g = pickle.loads(pickle.dumps(f))
    np.testing.assert_array_equal(g.predict(), f.predict())
    after = y[y.index > f.cutoff_][:HORIZON]
    expected = -np.abs(after.to_numpy() - g.predict().to_numpy()).mean()
    assert g.score(after) == pytest.approx(expected)


def test_window_mode_is_the_default_and_unchanged():
    assert RNNForecaster().get_params()["training"] == "window"
    y = sensor(150)
    settings = dict(horizon=2, n_networks=1, random_state=0, model="per_series",
                    regressor=RNNRegressor(hidden_size=4, max_iter=3))
    default = RNNForecaster(**settings).fit(y).predict()
    window = RNNForecaster(training="window", **settings).fit(y).predict()
    np.testing.assert_array_equal(default, window)


def test_every_window_each_epoch_is_what_sequence_training_does_anyway():
    # max_windows_per_epoch=None (every window) and the default "auto" mean
    # nothing to an epoch that reads the series once: both are accepted.
    y = sensor(200)
    default = forecaster().fit(y).predict()
    np.testing.assert_array_equal(forecaster(max_windows_per_epoch=None).fit(y).predict(), default)


@pytest.mark.parametrize("params, match", [
    (dict(strategy="recursive"), "strategy='direct'"),
    (dict(window=24), "window='auto'"),
    (dict(max_windows_per_series=10), "max_windows_per_series=None"),
    (dict(max_windows_per_epoch=1000), "max_windows_per_epoch='auto'"),
    # It was ignored without a word before.
    (dict(naive_fallback=True), "needs naive_fallback=False .its backtest scores no naive"),
    (dict(seasonal_lag=24), "seasonal_lag=24 works with training='window'"),
    (dict(regressor=Ridge()), "regressor must be an RNNRegressor or None; got Ridge"),
    (dict(n_calibration=395), "n_calibration=395 leaves"),
])
def test_unsupported_options_raise(params, match):
    with pytest.raises(ValueError, match=match):
        forecaster(**params).fit(sensor(400))


def test_many_series_train_a_model_each_and_bad_training_raises():
    y = sensor(100)
    with pytest.raises(ValueError, match="cannot train one global model of 2 series "
                                         r"\(many_series='global'\); pass many_series='auto'"):
        forecaster(many_series="global").fit({"a": y, "b": y})
    series = {"a": y, "b": sensor(80, seed=1)}
    panel = forecaster().fit(series)  # many_series="auto": a model each
    for sid, one in series.items():
        np.testing.assert_array_equal(panel.predict(series=sid).to_numpy(),
                                      forecaster().fit(one).predict().to_numpy())
    with pytest.raises(ValueError, match="training"):
        RNNForecaster(training="chunks").fit(y)
    with pytest.raises(ValueError, match="y has 9 rows"):
        forecaster().fit(y[:9])


def test_a_model_that_diverges_warns_and_keeps_finite_weights():
    y = sensor(200) * 1e6
    f = forecaster(regressor=RNNRegressor(hidden_size=4, max_iter=3, learning_rate_init=1e30,
                                          clip_norm=None), n_calibration=0)
    with pytest.warns(Warning):
        f.fit(y)
    assert all(np.isfinite(net.params).all() for net in f._fitted.model.networks)


def test_a_never_negative_series_is_floored_at_zero():
    rng = np.random.default_rng(0)
    counts = pd.Series(rng.poisson(0.3, 480).astype(float),
                       index=pd.date_range("2024-01-01", periods=480, freq="h"))
    fitted = forecaster(model="per_series").fit(counts)
    bounds = fitted.predict_interval(0.9)
    assert (bounds["lower"] == 0).any() and (bounds >= 0).all().all()
    fitted.update(pd.Series([-1.0], index=[counts.index[-1] + pd.Timedelta("1h")]))
    assert (fitted.predict_interval(0.9)["lower"] < 0).any()
