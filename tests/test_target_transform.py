"""RNNForecaster(target_transform="log"): every model fitted on log(y), every
forecast, bound and quantile turned back with exp; outliers found and values
checked on the series as given."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from rnnforecast import RNNForecaster, RNNRegressor, datasets
from rnnforecast.forecasting.target_scale import NotAboveZeroError

pytestmark = pytest.mark.filterwarnings("ignore:.*maximum iterations")


def airline(n=120):
    return datasets.load_airline_passengers().iloc[:n].astype(float)


def small(**params):
    """A tiny per-series forecaster: one small network and the linear skip
    (the linear skip alone with ``n_networks=0``, which would warn that a
    network's regressor goes unused)."""
    defaults = dict(model="per_series", n_networks=1, random_state=0, horizon=6)
    if params.get("n_networks", 1) > 0:
        defaults["regressor"] = RNNRegressor(hidden_size=4, max_iter=3, random_state=0)
    return RNNForecaster(**{**defaults, **params})


def assert_same(a, b):
    pd.testing.assert_index_equal(a.index, b.index)
    np.testing.assert_allclose(np.asarray(a, float), np.asarray(b, float), rtol=1e-12)


@pytest.mark.parametrize("params", [
    {},  # linear skip and a network
    {"n_networks": 0, "n_calibration": 12},  # the linear skip alone
    {"strategy": "recursive"},
    {"training": "sequence", "regressor": None, "n_networks": 1},
])
def test_the_log_fit_is_the_fit_on_log_y_turned_back(params):
    y = airline()
    on_log = small(**params).fit(np.log(y))
    logged = small(target_transform="log", **params).fit(y)
    assert_same(logged.predict(), np.exp(on_log.predict()))
    assert_same(logged.predict_interval([0.8, 0.9]), np.exp(on_log.predict_interval([0.8, 0.9])))
    assert_same(logged.predict_quantiles([0.1, 0.5, 0.9]),
                np.exp(on_log.predict_quantiles([0.1, 0.5, 0.9])))
    # Fitted attributes are those of the log fit (its errors, in log units).
    np.testing.assert_array_equal(logged.calibration_errors_, on_log.calibration_errors_)


def test_the_pretrained_network_reads_the_log_series_too():
    y = airline()
    on_log = RNNForecaster(horizon=6, model="zero_shot").fit(np.log(y))
    logged = RNNForecaster(horizon=6, model="zero_shot", target_transform="log").fit(y)
    assert_same(logged.predict(), np.exp(on_log.predict()))


def test_intervals_are_above_zero_and_wider_above_the_forecast():
    bounds = small(target_transform="log").fit(airline()).predict_interval(0.9)
    assert (bounds["lower"] > 0).all()
    above = bounds["upper"] - bounds["forecast"]
    below = bounds["forecast"] - bounds["lower"]
    # Symmetric on the log scale: exp(f + d) - exp(f) > exp(f) - exp(f - d).
    assert (above > below).all()


def test_score_compares_on_the_series_own_scale():
    y = airline(132)
    forecaster = small(target_transform="log").fit(y.iloc[:126])
    expected = -np.mean(np.abs(y.iloc[126:].to_numpy() - forecaster.predict().to_numpy()))
    assert forecaster.score(y.iloc[126:]) == pytest.approx(expected, rel=1e-12)


def test_grid_search_chooses_the_scale_on_the_backtest():
    y = airline(132)
    search = GridSearchCV(small(n_networks=0, n_calibration=0),
                          {"target_transform": [None, "log"]},
                          cv=TimeSeriesSplit(3, test_size=6)).fit(y)
    assert search.best_params_["target_transform"] in (None, "log")
    scores = search.cv_results_["mean_test_score"]
    assert np.isfinite(scores).all() and scores[0] != scores[1]


def test_update_moves_on_as_a_fit_on_log_y_would():
    y = airline(126)
    on_log = small().fit(np.log(y.iloc[:120])).update(np.log(y.iloc[120:]))
    logged = small(target_transform="log").fit(y.iloc[:120]).update(y.iloc[120:])
    assert_same(logged.predict(), np.exp(on_log.predict()))


def test_many_series_are_each_fitted_on_their_log():
    y = {"a": airline(), "b": 3 * airline(110)}
    on_log = small().fit({k: np.log(v) for k, v in y.items()})
    logged = small(target_transform="log").fit(y)
    assert_same(logged.predict(), np.exp(on_log.predict()))


def test_values_at_or_below_zero_are_a_value_error_naming_where():
    y = airline()
    y_zero = y.copy()
    y_zero.iloc[[7, 9]] = [0.0, -3.0]
    with pytest.raises(ValueError, match=r"target_transform='log'.*y is 0 at 1949-08-01.*"
                                         r"\(and 1 more\).*target_transform=None"):
        small(target_transform="log").fit(y_zero)
    with pytest.raises(ValueError, match=r"y\['b'\] is -3 at"):
        small(target_transform="log").fit({"a": y, "b": y_zero.where(y_zero != 0, 1.0)})
    with pytest.raises(ValueError, match="target_transform"):
        small(target_transform="exp").fit(y)


def test_the_error_carries_where_and_survives_a_trip_to_another_process():
    y = airline()
    y.iloc[30] = -2.0
    with pytest.raises(NotAboveZeroError) as caught:
        small(target_transform="log").fit({"a": airline(), "b": y})
    error = pickle.loads(pickle.dumps(caught.value))
    assert (error.series_id, error.timestamp, error.value, error.count) == (
        "b", y.index[30], -2.0, 1)
    assert str(error) == str(caught.value)


def test_a_value_below_zero_in_update_changes_nothing():
    y = airline(126)
    forecaster = small(target_transform="log").fit(y.iloc[:120])
    before, cutoff = forecaster.predict(), forecaster.cutoff_
    new = y.iloc[120:].copy()
    new.iloc[3] = -1.0
    with pytest.raises(ValueError, match=r"y_new is -1 at"):
        forecaster.update(new)
    assert forecaster.cutoff_ == cutoff
    assert_same(forecaster.predict(), before)


def test_gross_outliers_are_found_on_the_series_as_given():
    y = airline()
    spiked = y.copy()
    spiked.iloc[60] = 1e6  # 13.8 on the log scale: too close to 6 to be found there
    spiked.iloc[70] = -1e6  # read as missing before the check above zero
    with pytest.warns(UserWarning, match="2 value"):
        forecaster = small(target_transform="log").fit(spiked)
    assert forecaster.outliers_.tolist() == [1e6, -1e6]
    clean = y.copy()
    clean.iloc[[60, 70]] = np.nan
    assert_same(forecaster.predict(), small(target_transform="log").fit(clean).predict())


def test_missing_values_stay_missing_and_the_input_is_not_changed():
    y = airline()
    y.iloc[[10, 11]] = np.nan
    copy = y.copy()
    forecaster = small(target_transform="log").fit(y)
    pd.testing.assert_series_equal(y, copy)
    assert np.isfinite(forecaster.predict()).all()


def test_the_fitted_scale_is_kept_until_the_next_fit():
    y = airline()
    forecaster = small(target_transform="log").fit(y)
    forecast = forecaster.predict()
    forecaster.set_params(target_transform=None)
    assert_same(forecaster.predict(), forecast)


def test_network_data_is_that_of_the_log_series():
    y = airline()
    on_log = small().fit(np.log(y))
    logged = small(target_transform="log").fit(y)
    for a, b in zip(logged.network_data(y, targets=True), on_log.network_data(np.log(y),
                                                                              targets=True)):
        np.testing.assert_array_equal(a, b)


def test_the_default_is_unchanged_on_a_series_crossing_zero():
    t = np.arange(100)
    y = pd.Series(np.sin(t / 3), index=pd.date_range("2020-01-01", periods=100, freq="D"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        assert np.isfinite(small().fit(y).predict()).all()
