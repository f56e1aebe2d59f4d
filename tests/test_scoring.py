"""Forecast errors by name, RNNForecaster.score(metric=) and forecast_scorer for
scikit-learn's model selection."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_percentage_error, median_absolute_error
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score

from rnnforecast import RNNForecaster
from rnnforecast.scoring import METRICS, forecast_error, forecast_scorer


def series(n=96, seed=0):
    rng = np.random.RandomState(seed)
    values = 50 + 10 * np.sin(2 * np.pi * np.arange(n) / 12) + rng.standard_normal(n)
    return pd.Series(values, index=pd.date_range("2015-01-01", periods=n, freq="MS"))


def ridge(**params):
    return RNNForecaster(regressor=Ridge(alpha=1.0), model="per_series", window=12,
                         horizon=6, **params)


def test_each_named_error_is_its_formula_on_the_observed_steps():
    y_true = np.array([100.0, 200.0, np.nan, 50.0])
    y_pred = np.array([110.0, 190.0, 7.0, 40.0])
    e = np.array([-10.0, 10.0, 10.0])
    kept = y_true[[0, 1, 3]]
    expected = {
        "mae": 10.0,
        "mse": 100.0,
        "rmse": 10.0,
        "mape": np.mean(np.abs(e) / kept),
        "smape": np.mean(2 * np.abs(e) / (np.abs(kept) + np.abs(y_pred[[0, 1, 3]]))),
    }
    assert set(expected) == set(METRICS)
    for name, value in expected.items():
        assert forecast_error(y_true, y_pred, name) == pytest.approx(value, rel=1e-12)
    assert forecast_error(y_true, y_pred, median_absolute_error) == 10.0
    assert np.isnan(forecast_error([np.nan], [1.0]))
    # sMAPE counts a step where truth and forecast are both 0 as no error.
    assert forecast_error([0.0, 2.0], [0.0, 1.0], "smape") == pytest.approx(1 / 3)


def test_score_by_metric_is_the_negative_error_of_predict():
    y = series()
    forecaster = ridge().fit(y.iloc[:84])
    truth, forecast = y.iloc[84:90].to_numpy(), forecaster.predict().to_numpy()
    assert forecaster.score(y.iloc[84:]) == pytest.approx(-np.mean(np.abs(truth - forecast)))
    assert forecaster.score(y.iloc[84:], metric="mae") == forecaster.score(y.iloc[84:])
    assert forecaster.score(y.iloc[84:], metric="rmse") == pytest.approx(
        -np.sqrt(np.mean((truth - forecast) ** 2)))
    assert forecaster.score(y.iloc[84:], metric=mean_absolute_percentage_error) == \
        pytest.approx(-mean_absolute_percentage_error(truth, forecast))
    with pytest.raises(ValueError, match=r"metric='r2' is not a metric .*\['mae', 'mape', "
                                         r"'mse', 'rmse', 'smape'\] or a callable"):
        forecaster.score(y.iloc[84:], metric="r2")


def test_sklearn_scoring_strings_cannot_score_a_forecaster_and_forecast_scorer_can():
    y = series()
    cv = TimeSeriesSplit(3, test_size=6)
    # The reason the scorer exists: a string scorer finds no y_test and scores NaN.
    with pytest.warns(UserWarning, match="Scoring failed"):
        failed = cross_val_score(ridge(), y, cv=cv,
                                 scoring="neg_mean_absolute_percentage_error")
    assert np.isnan(failed).all()
    scores = cross_val_score(ridge(), y, cv=cv, scoring=forecast_scorer("mape"))
    expected = []
    for train, test in cv.split(y):
        forecast = ridge().fit(y.iloc[train]).predict().to_numpy()
        expected.append(-mean_absolute_percentage_error(y.iloc[test].to_numpy(), forecast))
    np.testing.assert_allclose(scores, expected, rtol=1e-12)
    default = cross_val_score(ridge(), y, cv=cv)
    np.testing.assert_allclose(cross_val_score(ridge(), y, cv=cv, scoring=forecast_scorer()),
                               default, rtol=1e-12)


def test_grid_search_chooses_by_the_scorer_and_the_scorer_pickles():
    y = series()
    scorer = forecast_scorer("rmse")
    assert repr(scorer) == "forecast_scorer('rmse')"
    assert pickle.loads(pickle.dumps(scorer)).metric == "rmse"
    search = GridSearchCV(ridge(), {"window": [6, 12]}, cv=TimeSeriesSplit(2, test_size=6),
                          scoring=scorer).fit(y)
    assert search.best_params_["window"] in (6, 12)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    with pytest.raises(ValueError, match="metric='accuracy'"):
        forecast_scorer("accuracy")


def test_many_series_score_by_metric_is_the_mean_over_the_series():
    panel = {"a": series(seed=1), "b": series(seed=2) * 3}
    forecaster = ridge().fit({sid: y.iloc[:84] for sid, y in panel.items()})
    forecasts = forecaster.predict()
    each = [forecast_error(y.iloc[84:90].to_numpy(), forecasts.loc[sid].to_numpy(), "smape")
            for sid, y in panel.items()]
    future = {sid: y.iloc[84:] for sid, y in panel.items()}
    assert forecaster.score(future, metric="smape") == pytest.approx(-np.mean(each))
