"""Seasonal naive as a fallback chosen per series by the backtest inside fit."""

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnforecast import RNNForecaster, RNNRegressor
from rnnforecast.forecasting.naive_fallback import choose, naive_forecast, naive_methods

pytestmark = pytest.mark.filterwarnings("ignore:.*maximum iterations")


def test_naive_forecasts():
    window = np.array([1.0, 2, 3, 4, 5, 6, 7])[None, :, None]
    np.testing.assert_array_equal(naive_forecast("seasonal naive", window, 3, 5),
                                  [[5, 6, 7, 5, 6]])
    np.testing.assert_array_equal(naive_forecast("naive", window, 3, 3), [[7, 7, 7]])
    holed = window.copy()
    holed[0, 5, 0], holed[0, 6, 0] = np.nan, np.nan
    np.testing.assert_array_equal(naive_forecast("seasonal naive", holed, 3, 3), [[5, 5, 5]])
    np.testing.assert_array_equal(naive_forecast("naive", holed, 3, 2), [[5, 5]])
    assert naive_methods(12, 24) == ["naive", "seasonal naive"]
    assert naive_methods(12, 6) == naive_methods(1, 10) == ["naive"]  # no season fits


def test_choose_takes_the_lowest_mean_absolute_error_per_series():
    model = np.array([[1.0, -1], [1, 1], [3, 3], [np.nan, 3], [1, 1]])
    naive = np.array([[2.0, 2], [2, -2], [1, -1], [1, 1], [1, 1]])
    seasonal = np.array([[2.0, 2], [2, -2], [0, 0], [0, 0], [5, 5]])
    codes = np.array([0, 0, 1, 1, 2])
    methods, errors = choose({"model": model, "naive": naive, "seasonal naive": seasonal},
                             codes, 4)
    # Series 2: a tie between the model and naive goes to the model; 3: no origins.
    assert methods == ["model", "seasonal naive", "model", "model"]
    np.testing.assert_array_equal(errors, np.r_[model[:2], seasonal[2:4], model[4:]])
    # The first method listed wins ties, and a method never scored never wins,
    # without a word to the user (numpy warned "Mean of empty slice" before).
    never = np.full_like(model, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        methods, _ = choose({"naive": naive, "model": model, "unscored": never}, codes, 3)
    assert methods == ["model", "naive", "naive"]


def random_walk(n=300, seed=0):
    steps = np.random.default_rng(seed).normal(size=n)
    return pd.Series(100 + np.cumsum(steps), index=pd.date_range("2020-01-01", periods=n, freq="D"))


def cycle(n=300, seed=1):
    """A 10-day cycle on a daily index: neither the last value nor the value
    a week (the daily index's season) earlier forecasts it; a linear model of
    the window does."""
    t = np.arange(n)
    values = 5 * np.sin(2 * np.pi * t / 10) + 0.3 * np.random.default_rng(seed).normal(size=n)
    return pd.Series(values, index=pd.date_range("2020-01-01", periods=n, freq="D"))


def forecaster(**params):
    regressor = RNNRegressor(hidden_size=8, max_iter=20, learning_rate_init=0.01)
    return RNNForecaster(**{"horizon": 7, "regressor": regressor, "n_networks": 1,
                            "random_state": 0, "naive_fallback": True, "model": "per_series",
                            **params})


def test_random_walk_is_forecast_by_its_last_value():
    y = random_walk()
    fitted = forecaster().fit(y)
    assert fitted.method_ == "naive"
    forecast = fitted.predict()
    np.testing.assert_array_equal(forecast.to_numpy(), np.full(7, y.iloc[-1]))
    assert fitted.regressors_ == [] and fitted.linear_ is None  # no final model trained
    bounds = fitted.predict_interval(0.8)
    assert (bounds["lower"] < forecast).all() and (forecast < bounds["upper"]).all()
    # update moves the fallback on too.
    new = pd.Series([200.0], index=[y.index[-1] + pd.Timedelta(days=1)])
    np.testing.assert_array_equal(fitted.update(new).predict(), np.full(7, 200.0))
    with pytest.raises(ValueError, match=r"forecast by \['naive'\] \(method_\), so the "
                                         "forecaster trained no networks"):
        fitted.network_data(y)


def test_model_is_kept_where_it_wins_and_without_the_fallback():
    assert forecaster().fit(cycle()).method_ == "model"
    walk = random_walk()
    kept = forecaster(naive_fallback=False).fit(walk)
    assert RNNForecaster().naive_fallback is False  # off by default
    assert kept.method_ == "model" and len(kept.regressors_) == 1


def test_many_series_of_one_global_model_choose_each_their_own():
    series = {"walk": random_walk(), "cycle": cycle()}
    fitted = forecaster(many_series="global").fit(series)
    assert fitted.method_.to_dict() == {"walk": "naive", "cycle": "model"}
    forecast = fitted.predict()
    np.testing.assert_array_equal(forecast.loc["walk"].to_numpy(),
                                  np.full(7, series["walk"].iloc[-1]))
    # The model's series forecast as a model trained on both would.
    alone = fitted.predict(series=["cycle"])
    np.testing.assert_array_equal(alone.to_numpy(), forecast.loc[["cycle"]].to_numpy())
    assert len(fitted.regressors_) == 1
