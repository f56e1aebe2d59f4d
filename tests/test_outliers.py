"""Gross outliers read as missing: rnnforecast.forecasting.outliers and the forecaster."""

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnforecast import RNNForecaster, RNNRegressor, datasets
from rnnforecast.forecasting.outliers import (NEIGHBOURS, OutlierFilter, outlier_mask,
                                              robust_scale)
from rnnforecast.synthetic import generate


def test_mask_finds_a_spike_anywhere_and_keeps_the_rest():
    y = datasets.load_airline_passengers().to_numpy(float)
    for position in (0, 1, 70, len(y) - 1):
        spiked = y.copy()
        spiked[position] = 1e6
        np.testing.assert_array_equal(np.flatnonzero(outlier_mask(spiked)), [position])
    assert not outlier_mask(y).any()


def test_level_shifts_trends_and_missing_values_are_not_outliers():
    rng = np.random.default_rng(0)
    shift = np.r_[np.zeros(50), np.full(50, 100.0)] + rng.normal(size=100)
    assert not outlier_mask(shift).any()  # a jump of 100 standard deviations
    trend = np.exp(np.arange(60) / 6.0)  # fast exponential growth
    assert not outlier_mask(trend).any()
    holes = rng.normal(size=40)
    holes[[3, 4, 20]] = np.nan
    holes[10] = 1e4
    np.testing.assert_array_equal(np.flatnonzero(outlier_mask(holes)), [10])


def test_intermittent_bursts_are_measured_against_the_usual_demand():
    demand = np.zeros(200)
    demand[::10] = [1, 2, 1, 3, 14, 1, 2, 7, 1, 1, 4, 2, 1, 5, 2, 1, 1, 9, 2, 3]
    assert robust_scale(demand) > 0
    assert not outlier_mask(demand).any()
    demand[55] = 1e5
    np.testing.assert_array_equal(np.flatnonzero(outlier_mask(demand)), [55])


def test_no_false_outliers_on_clean_synthetic_series():
    panel = generate(300, 200, seed=11)
    clean = panel.metadata["outliers"].apply(len).to_numpy() == 0
    flagged = [outlier_mask(panel.values[i]).sum() for i in np.flatnonzero(clean)]
    assert sum(flagged) == 0


def test_constant_and_tiny_series():
    assert not outlier_mask(np.ones(10)).any()
    assert not outlier_mask(np.array([1.0, 1e9])).any()  # too few values to judge
    assert not outlier_mask(np.array([np.nan, np.nan, np.nan])).any()


def test_filter_judges_new_values_against_the_tail_of_fit():
    values = np.arange(30.0)[:, None] % 5
    outliers = OutlierFilter(20.0)
    assert not outliers.fit([values])[0].any()
    new = np.array([1.0, 1e6, 2.0])
    np.testing.assert_array_equal(outliers.mask_new(new, 0), [False, True, False])
    outliers.advance(new, 0)
    assert len(outliers.tails[0]) == NEIGHBOURS and outliers.tails[0][1] == 1e6
    # A spike at the very end of an update has only neighbours before it.
    assert outliers.mask_new(np.array([3.0, 1e6]), 0).tolist() == [False, True]
    assert not OutlierFilter(None).fit([values])[0].any()


def small(**params):
    regressor = RNNRegressor(hidden_size=8, max_iter=20, learning_rate_init=0.01)
    return RNNForecaster(**{"horizon": 12, "regressor": regressor, "n_networks": 1,
                            "random_state": 0, "model": "per_series", **params})


def test_one_outlier_does_not_ruin_the_forecast():
    y = datasets.load_airline_passengers()
    spiked = y.copy()
    spiked.iloc[100] = 1e6
    clean = small().fit(y).predict()
    with pytest.warns(UserWarning, match=r"y: 1 value\(s\) read as missing.*1e\+06"):
        robust = small().fit(spiked)
    assert spiked.iloc[100] == 1e6  # the input is not modified
    assert robust.outliers_.index.tolist() == [y.index[100]]
    assert np.max(np.abs(robust.predict() - clean) / clean) < 0.1
    kept = small(outlier_threshold=None).fit(spiked)
    assert kept.outliers_.empty
    assert np.max(np.abs(kept.predict() - clean) / clean) > 1  # ruined, as before


def test_update_reads_a_new_outlier_as_missing():
    y = datasets.load_airline_passengers()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        forecaster = small().fit(y.iloc[:-12])
    new = y.iloc[-12:].copy()
    new.iloc[-1] = 1e6
    with pytest.warns(UserWarning, match=r"y_new: 1 value\(s\)"):
        forecaster.update(new)
    assert forecaster.outliers_.index.tolist() == [y.index[-1]]
    assert forecaster.predict().max() < 1000
    # The filter's tail keeps the real values, so a level that stays is
    # accepted after its first few values.
    assert forecaster._fitted.outliers.tails[0][-1] == 1e6


def test_many_series_outliers_are_indexed_by_series():
    y = datasets.load_airline_passengers()
    spiked = y.copy()
    spiked.iloc[50] = -1e6
    with pytest.warns(UserWarning, match=r"'b' 1953-03-01"):
        forecaster = small().fit({"a": y, "b": spiked})
    assert forecaster.outliers_.index.tolist() == [("b", y.index[50])]
    assert isinstance(forecaster.outliers_.index, pd.MultiIndex)


def test_outlier_threshold_is_validated():
    y = datasets.load_airline_passengers()
    with pytest.raises(ValueError, match="outlier_threshold"):
        small(outlier_threshold=0).fit(y)
