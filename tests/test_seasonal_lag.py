"""Tests for the target a longer season earlier as a known covariate (``seasonal_lag``)."""

import numpy as np
import pandas as pd
import pytest

from rnnforecast import RNNForecaster, RNNRegressor
from rnnforecast.forecasting.seasonal_lag import SECOND_PERIODS, SeasonalLag, resolve_lag


def test_the_column_is_the_target_lag_steps_earlier():
    values = np.column_stack([np.arange(10.0), np.ones(10)])
    before = values.copy()
    lagged = SeasonalLag(3).append(values)
    np.testing.assert_array_equal(values, before)  # not modified
    assert lagged.shape == (10, 3)
    np.testing.assert_array_equal(lagged[:, :2], values)
    assert np.isnan(lagged[:3, 2]).all()
    np.testing.assert_array_equal(lagged[3:, 2], np.arange(7.0))


def test_new_rows_and_future_steps_read_the_rows_kept():
    lag = SeasonalLag(4)
    series = np.column_stack([np.arange(12.0) ** 2])
    kept = lag.append(series[:9])[-5:]  # the last rows a forecast keeps
    new = lag.append_new(kept, series[9:])
    np.testing.assert_array_equal(new, lag.append(series)[9:])
    # The steps after the 12 rows: y[12 + h - 4] for h = 0, 1, 2, 3.
    rows = lag.append(series)[None]
    np.testing.assert_array_equal(lag.future(rows, 4)[0], [64.0, 81.0, 100.0, 121.0])
    # Three rows kept (y[9:12]), fewer than the lag: y[8] is not among them.
    np.testing.assert_array_equal(lag.future(rows[:, -3:], 2)[0], [np.nan, 81.0])


def test_auto_is_the_second_period_when_it_fits_and_the_series_holds_it():
    assert SECOND_PERIODS == {5: 261, 7: 365, 24: 168, 48: 336}
    assert resolve_lag("auto", 24, 48, 2000) == 168
    assert resolve_lag("auto", 7, 14, 1095) == 365
    assert resolve_lag("auto", 7, 14, 1094) is None  # fewer than three years
    assert resolve_lag("auto", 12, 18, 5000) is None  # monthly: no second period here
    assert resolve_lag("auto", 24, 200, 5000) is None  # horizon beyond the week
    assert resolve_lag("auto", 24, 24, 5000, training="sequence") is None
    assert resolve_lag(None, 24, 24, 5000) is None
    assert resolve_lag(30, 12, 18, 100) == 30
    with pytest.raises(ValueError, match="seasonal_lag=10 is shorter than horizon=18"):
        resolve_lag(10, 12, 18, 100)
    with pytest.raises(ValueError, match="seasonal_lag=168 works with training='window'"):
        resolve_lag(168, 24, 24, 5000, training="sequence")


# --------------------------------------------------------------------------- #
# In the forecaster
# --------------------------------------------------------------------------- #
def hourly_with_weekends(n_weeks=6, seed=0):
    """A daily cycle, 3 lower on Saturdays and Sundays, and noise."""
    rng = np.random.RandomState(seed)
    t = np.arange(24 * 7 * n_weeks)
    weekend = np.where((t // 24) % 7 >= 5, -3.0, 0.0)
    values = 10 + np.sin(2 * np.pi * t / 24) + weekend + 0.2 * rng.standard_normal(len(t))
    return pd.Series(values, index=pd.date_range("2024-01-01", periods=len(t), freq="h"))


def forecaster(**params):
    return RNNForecaster(horizon=24, random_state=0, model="per_series", n_networks=1,
                         regressor=RNNRegressor(hidden_size=8, max_iter=4), **params)


def test_the_lag_forecasts_the_weekend_the_window_cannot_see():
    y = hourly_with_weekends()
    # The last 48 hours are a Saturday and a Sunday: fit up to Friday night.
    history, weekend = y.iloc[:-48], y.iloc[-48:-24].to_numpy()
    errors = {}
    for lag in (None, "auto"):
        fitted = forecaster(seasonal_lag=lag).fit(history)
        errors[lag] = np.mean(np.abs(fitted.predict().to_numpy() - weekend))
    assert errors["auto"] < 0.5 < 2 < errors[None]


def test_update_fills_the_lag_column_as_fit_would():
    y = hourly_with_weekends()
    fitted = forecaster(seasonal_lag="auto").fit(y.iloc[:-30])
    fitted.update(y.iloc[-30:])
    kept = fitted._fitted.model.histories[0]
    expected = y.shift(168).to_numpy()[-len(kept):]
    np.testing.assert_array_equal(kept[:, -1], expected)
    assert np.isfinite(fitted.predict()).all()
    # The network reads one more feature per step: the lag (and the flag of
    # the future rows it is known on).
    features, targets = fitted.network_data(y, targets=True)
    plain, _ = forecaster().fit(y.iloc[:-30]).network_data(y, targets=True)
    assert features.shape[0] == plain.shape[0] == len(targets)
    assert features.shape[1] > plain.shape[1]


def test_with_covariates_known_in_advance_and_many_series():
    y = hourly_with_weekends()
    X = pd.DataFrame({"hour": y.index.hour.to_numpy(float)}, index=y.index)
    future = pd.DataFrame({"hour": np.arange(24.0)},
                          index=pd.date_range(y.index[-1] + pd.Timedelta("1h"), periods=24,
                                              freq="h"))
    fitted = forecaster(seasonal_lag="auto", future_covariates=["hour"]).fit(y, X)
    assert np.isfinite(fitted.predict(X=future)).all()
    # A series shorter than the week in a panel: its lag column is missing.
    panel = {"long": y, "short": hourly_with_weekends(seed=1).iloc[-120:]}
    fitted = forecaster(seasonal_lag="auto", many_series="global").fit(panel)
    assert np.isnan(fitted._fitted.model.histories[1][:-120, 0]).all()
    assert np.isfinite(fitted.predict()).all()


@pytest.mark.parametrize("value", [0, -1, "weekly", 2.5])
def test_bad_seasonal_lag_raises(value):
    with pytest.raises((ValueError, TypeError), match="seasonal_lag"):
        forecaster(seasonal_lag=value).fit(hourly_with_weekends(2))


def test_a_lag_shorter_than_the_horizon_raises():
    with pytest.raises(ValueError, match="seasonal_lag=12 is shorter than horizon=24"):
        forecaster(seasonal_lag=12).fit(hourly_with_weekends(2))


def test_seasonal_lag_attribute_and_the_command_line(tmp_path, capsys):
    from rnnforecast.cli import main

    y = hourly_with_weekends(4)
    assert forecaster(seasonal_lag="auto").fit(y).seasonal_lag_ == 168
    assert forecaster().fit(y).seasonal_lag_ is None
    assert forecaster(seasonal_lag="auto").fit(y.iloc[:400]).seasonal_lag_ is None  # < 3 weeks
    path = tmp_path / "load.csv"
    y.rename("load").to_csv(path, index_label="time")
    assert main(["forecast", str(path), "--horizon", "24", "--seasonal-lag", "auto",
                 "--no-backtest", "--quiet"]) == 0
    assert "reading the value 168 steps before each step" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["forecast", str(path), "--horizon", "24", "--seasonal-lag", "weekly"])
    assert "expected auto or a positive number of steps; got 'weekly'" in capsys.readouterr().err
