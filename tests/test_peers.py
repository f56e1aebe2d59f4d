"""RNNRegressor inside the peer libraries, on the raw airline passengers
series: sktime's make_reduction, skforecast's ForecasterRecursive,
mlforecast's MLForecast and darts' SKLearnModel (RegressionModel before darts
0.48) forecast 1960 from 1949-1959 within 20% MAPE; so does RNNForecaster
on sktime's own copy of the series, indexed by periods.

Each test skips when its library is not installed; none is a dependency.
The examples are those of the README's section on them."""

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnforecast import RNNRegressor
from rnnforecast.datasets import load_airline_passengers

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture
def airline():
    """Training months (1949-1959) and the 12 months of 1960."""
    y = load_airline_passengers().astype(float)
    return y.iloc[:-12], y.iloc[-12:]


def mape(forecast, actual):
    return float(np.mean(np.abs(np.asarray(forecast) - actual.to_numpy()) / actual.to_numpy()))


def test_sktime_make_reduction(airline):
    pytest.importorskip("sktime")
    from sktime.forecasting.compose import make_reduction

    train, test = airline
    forecaster = make_reduction(RNNRegressor(random_state=0), window_length=12,
                                strategy="recursive")
    forecaster.fit(train)
    forecast = forecaster.predict(fh=np.arange(1, 13))
    assert mape(forecast, test) < 0.2


def test_rnnforecaster_on_sktimes_own_airline_series():
    """sktime's datasets are indexed by periods: RNNForecaster takes them as
    they are and forecasts the next periods."""
    datasets = pytest.importorskip("sktime.datasets")
    from rnnforecast import RNNForecaster

    y = datasets.load_airline()
    train, test = y.iloc[:-12], y.iloc[-12:]
    forecast = RNNForecaster(horizon=12, random_state=0).fit(train).predict()
    pd.testing.assert_index_equal(forecast.index, test.index)
    assert forecast.name == y.name
    assert mape(forecast, test) < 0.2


def test_skforecast_forecaster_recursive(airline):
    pytest.importorskip("skforecast")
    from skforecast.recursive import ForecasterRecursive

    train, test = airline
    forecaster = ForecasterRecursive(RNNRegressor(step_order="newest_first", random_state=0),
                                     lags=12)
    forecaster.fit(train)
    forecast = forecaster.predict(steps=12)
    assert mape(forecast, test) < 0.2


def test_mlforecast(airline):
    pytest.importorskip("mlforecast")
    from mlforecast import MLForecast

    train, test = airline
    frame = pd.DataFrame({"unique_id": "airline", "ds": train.index, "y": train.to_numpy()})
    forecaster = MLForecast(models={"rnn": RNNRegressor(step_order="newest_first", random_state=0)},
                            freq="MS", lags=range(1, 13))
    forecaster.fit(frame)
    forecast = forecaster.predict(h=12)["rnn"]
    assert mape(forecast, test) < 0.2


def test_skforecasts_lag_matrix_is_newest_first():
    """skforecast's own training matrix, read with step_order="newest_first",
    is the oldest-first windows of the series."""
    pytest.importorskip("skforecast")
    from skforecast.recursive import ForecasterRecursive

    series = load_airline_passengers().astype(float).iloc[:60]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        X_train, y_train = ForecasterRecursive(RNNRegressor(), lags=5).create_train_X_y(series)
    assert list(X_train.columns) == ["lag_1", "lag_2", "lag_3", "lag_4", "lag_5"]
    windows = np.lib.stride_tricks.sliding_window_view(series.to_numpy()[:-1], 5)
    np.testing.assert_array_equal(X_train.to_numpy()[:, ::-1], windows)
    params = dict(hidden_size=4, max_iter=3, random_state=0)
    from_lags = RNNRegressor(step_order="newest_first", **params).fit(X_train, y_train)
    forwards = RNNRegressor(**params).fit(windows, y_train.to_numpy())
    np.testing.assert_array_equal(from_lags.predict(X_train), forwards.predict(windows))


def test_mlforecasts_weight_col_reaches_sample_weight(airline):
    pytest.importorskip("mlforecast")
    from mlforecast import MLForecast

    train, _ = airline
    weight = np.linspace(0.1, 1.0, len(train))
    frame = pd.DataFrame({"unique_id": "airline", "ds": train.index, "y": train.to_numpy(),
                          "weight": weight})
    regressor = RNNRegressor(step_order="newest_first", max_iter=2, random_state=0)
    forecaster = MLForecast(models={"rnn": regressor}, freq="MS", lags=range(1, 13))
    forecaster.fit(frame, weight_col="weight")
    fitted = forecaster.models_["rnn"]
    # the rows with all 12 lags, weighted (the test can fail: unweighted it is the mean)
    expected = np.average(train.to_numpy()[12:], weights=weight[12:])
    np.testing.assert_allclose(fitted.target_mean_, [expected], rtol=1e-6)


def test_darts_sklearn_model(airline):
    models = pytest.importorskip("darts.models")
    from darts import TimeSeries

    train, test = airline
    model_class = getattr(models, "SKLearnModel", None) or models.RegressionModel
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        forecaster = model_class(lags=12, model=RNNRegressor(random_state=0))
        forecaster.fit(TimeSeries.from_series(train))
        forecast = forecaster.predict(12).values().ravel()
    assert mape(forecast, test) < 0.2
