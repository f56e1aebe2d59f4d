"""rnnforecast.metrics: the mean absolute scaled error and its seasonal naive baseline."""

import numpy as np
import pandas as pd
import pytest

from rnnforecast.metrics import (mean_absolute_scaled_error, seasonal_naive_forecast,
                                 seasonal_naive_scale)


def test_scale_is_the_in_sample_error_of_seasonal_naive():
    # Lag 1: differences 1, 2, 3, 4 -> 2.5.
    assert seasonal_naive_scale([1.0, 2.0, 4.0, 7.0, 11.0]) == pytest.approx(2.5)
    # Lag 2: y[t] - y[t-2] = 1, 1, 1, 5 -> 2.
    assert seasonal_naive_scale([1.0, 3.0, 2.0, 4.0, 3.0, 9.0], m=2) == pytest.approx(2.0)


def test_mase_divides_the_forecast_mae_by_the_scale():
    history = [1.0, 2.0, 4.0, 7.0, 11.0]
    # Errors 1 and 3 -> MAE 2; scale 2.5.
    assert mean_absolute_scaled_error([12.0, 14.0], [11.0, 11.0], history) == pytest.approx(0.8)
    # A perfect forecast scores 0; seasonal naive's own out-of-sample error scores its ratio.
    assert mean_absolute_scaled_error([12.0, 14.0], [12.0, 14.0], history) == 0.0


def test_missing_values_are_skipped_pairwise_not_compressed():
    # The pairs (t-1, t) with a NaN are left out: |2-1| and |9-8| remain -> 1.
    # Dropping the NaN first would pair 2 with 8 instead (scale 3.33).
    history = [1.0, 2.0, np.nan, 8.0, 9.0]
    assert seasonal_naive_scale(history) == pytest.approx(1.0)
    # A missing true value skips that step of the forecast.
    assert mean_absolute_scaled_error([10.0, np.nan, 13.0], [11.0, 0.0, 12.0], history) \
        == pytest.approx(1.0)


def test_accepts_pandas_and_does_not_mutate_inputs():
    history = pd.Series([1.0, 2.0, np.nan, 8.0, 9.0])
    truth = np.array([10.0, np.nan])
    before = history.copy(), truth.copy()
    mean_absolute_scaled_error(truth, [11.0, 11.0], history)
    pd.testing.assert_series_equal(history, before[0])
    np.testing.assert_array_equal(truth, before[1])


@pytest.mark.parametrize("history, m, match", [
    ([3.0, 3.0, 3.0], 1, "repeats itself exactly at lag m=1"),
    ([1.0, 2.0, 1.0, 2.0], 2, "repeats itself exactly at lag m=2"),
    ([1.0, np.nan, np.nan, 2.0], 2, "no two observed values 2 steps apart"),
    ([1.0, 2.0], 2, "no two observed values 2 steps apart"),
])
def test_a_scale_of_zero_or_nothing_is_a_clear_error_not_inf_or_nan(history, m, match):
    with pytest.raises(ValueError, match=match):
        seasonal_naive_scale(history, m)
    with pytest.raises(ValueError, match=match):
        mean_absolute_scaled_error([1.0], [1.0], history, m)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"m": 0}, ValueError, "m must be at least 1"),
    ({"m": 1.5}, TypeError, "m must be an int"),
    ({"m": True}, TypeError, "m must be an int"),
    ({"y_pred": [1.0]}, ValueError, "same length; got 2 and 1"),
    ({"y_pred": [1.0, np.nan]}, ValueError, "y_pred has missing values"),
    ({"y_true": [np.nan, np.nan]}, ValueError, "no observed value"),
    ({"y_train": [[1.0, 2.0], [3.0, 4.0]]}, ValueError, r"y_train must be 1-D; got shape \(2, 2\)"),
    ({"y_true": ["a", "b"]}, TypeError, "y_true must hold numbers"),
])
def test_bad_input_names_the_argument(kwargs, error, match):
    arguments = {"y_true": [1.0, 2.0], "y_pred": [1.0, 2.0], "y_train": [1.0, 2.0, 4.0], "m": 1}
    arguments.update(kwargs)
    with pytest.raises(error, match=match):
        mean_absolute_scaled_error(**arguments)


def test_seasonal_naive_forecast_repeats_the_last_season():
    history = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])
    np.testing.assert_array_equal(seasonal_naive_forecast(history, 7, m=3),
                                  [5, 6, 7, 5, 6, 7, 5])
    np.testing.assert_array_equal(seasonal_naive_forecast(history, 2), [7, 7])
    # Its in-sample version is the scale: one-step errors 1 -> MASE of the truth 8, 9 is 1.5.
    assert mean_absolute_scaled_error([8.0, 9.0], seasonal_naive_forecast(history, 2),
                                      history) == pytest.approx(1.5)
    # A missing value of the last season is forecast as missing.
    assert np.isnan(seasonal_naive_forecast([1.0, np.nan, 3.0], 3, m=2)).tolist() == [
        True, False, True]
    with pytest.raises(ValueError, match="fewer than one season"):
        seasonal_naive_forecast([1.0, 2.0], 4, m=3)
    with pytest.raises(TypeError, match="m must be an int"):
        seasonal_naive_forecast([1.0, 2.0], 4, m=1.5)


@pytest.mark.parametrize("horizon, error, match", [
    (0, ValueError, "horizon must be at least 1; got 0"),
    (-2, ValueError, "horizon must be at least 1; got -2"),
    (2.0, TypeError, "horizon must be an int.*got 2.0"),
    (True, TypeError, "horizon must be an int.*got True"),
])
def test_seasonal_naive_forecast_names_a_bad_horizon(horizon, error, match):
    # An empty forecast (0, -2) or an indexing error (2.0) before.
    with pytest.raises(error, match=match):
        seasonal_naive_forecast([1.0, 2.0, 3.0], horizon)
    assert seasonal_naive_forecast([1.0, 2.0, 3.0], np.int64(2)).tolist() == [3.0, 3.0]
