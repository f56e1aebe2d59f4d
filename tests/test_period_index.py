"""RNNForecaster on series indexed by periods (sktime's default index).

A PeriodIndex sets the calendar: the forecasts are those of the same series
indexed by the start of each period, indexed by the next periods; later data
must be indexed by periods too.
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge

from rnnforecast import RNNForecaster, RNNRegressor


def monthly(n=60, seed=0, name="sales"):
    rng = np.random.RandomState(seed)
    t = np.arange(n)
    values = 20 + 0.05 * t + 3 * np.sin(2 * np.pi * t / 12) + rng.standard_normal(n)
    return pd.Series(values, index=pd.period_range("2000-01", periods=n, freq="M"), name=name)


def forecaster(**params):
    """A Ridge in place of the network: fast and deterministic (the linear
    skip alone with ``n_networks=0``, which would warn that it goes unused)."""
    params.setdefault("horizon", 3)
    if params.get("n_networks", 1) > 0:
        params.setdefault("regressor", Ridge(alpha=1.0))
    return RNNForecaster(model="per_series", **params)


def as_timestamps(y):
    return y.set_axis(y.index.to_timestamp())


@pytest.mark.parametrize("freq, season", [("M", 12), ("Q", 4), ("W", 52), ("D", 7),
                                          ("h", 24), ("Y", 1)])
def test_forecasts_equal_those_of_the_timestamps_and_come_indexed_by_the_next_periods(
        freq, season):
    y = monthly(120)
    y.index = pd.period_range("2000-01-01", periods=120, freq=freq, name="when")
    fitted = forecaster(window=6).fit(y)
    forecast = fitted.predict()
    expected = pd.period_range(y.index[-1] + 1, periods=3, freq=freq, name="when")
    pd.testing.assert_index_equal(forecast.index, expected)
    on_timestamps = forecaster(window=6).fit(as_timestamps(y)).predict()
    np.testing.assert_array_equal(forecast.to_numpy(), on_timestamps.to_numpy())
    assert forecast.name == "sales"
    assert fitted.cutoff_ == y.index[-1]
    assert fitted.freq_ == y.index.freqstr
    assert fitted.seasonal_period_ == season


def test_intervals_and_quantiles_are_indexed_by_periods():
    y = monthly(96)
    fitted = forecaster().fit(y)
    future = pd.period_range("2008-01", periods=3, freq="M")
    pd.testing.assert_index_equal(fitted.predict_interval().index, future)
    pd.testing.assert_index_equal(fitted.predict_quantiles([0.1, 0.9]).index, future)


def test_update_takes_the_next_periods():
    y = monthly(72)
    updated = forecaster().fit(y.iloc[:-2]).update(y.iloc[-2:])
    assert updated.cutoff_ == y.index[-1]
    np.testing.assert_allclose(updated.predict().to_numpy(),
                               forecaster().fit(y.iloc[:-2]).update(
                                   as_timestamps(y).iloc[-2:].set_axis(y.index[-2:])
                               ).predict().to_numpy())
    assert updated.predict().index[0] == y.index[-1] + 1


def test_timestamps_after_periods_and_periods_after_timestamps_are_refused_with_the_fix():
    y = monthly(72)
    on_periods = forecaster().fit(y.iloc[:-1])
    new = as_timestamps(y).iloc[-1:]
    with pytest.raises(TypeError, match=r"y_new is indexed by DatetimeIndex.*fitted on "
                                        r"periods.*y_new.index = y_new.index.to_period\('M'\)"):
        on_periods.update(new)
    new.index = new.index.to_period("M")  # the fix named
    assert on_periods.update(new).cutoff_ == y.index[-1]

    on_timestamps = forecaster().fit(as_timestamps(y).iloc[:-1])
    new = y.iloc[-1:]
    with pytest.raises(TypeError, match=r"fitted on timestamps.*"
                                        r"y_new.index = y_new.index.to_timestamp\(\)"):
        on_timestamps.update(new)
    new.index = new.index.to_timestamp()
    assert on_timestamps.update(new).cutoff_ == as_timestamps(y).index[-1]


def test_missing_periods_are_refused_with_a_fix_that_works():
    y = monthly(72).drop(pd.Period("2001-06", freq="M"))
    with pytest.raises(ValueError, match=r"lacks 1 of the 72 'M' periods.*2001-06.*"
                                         r"y.reindex\(pd.period_range\(y.index\[0\], "
                                         r"y.index\[-1\], freq='M'\)\)"):
        forecaster().fit(y)
    y = y.reindex(pd.period_range(y.index[0], y.index[-1], freq="M"))
    assert y.isna().sum() == 1
    # The linear skip alone reads a missing step (a Ridge regressor would not).
    assert forecaster(n_networks=0).fit(y).predict().notna().all()


def test_freq_must_be_the_periods_own():
    y = monthly(72)
    assert forecaster(freq="M").fit(y).freq_ == "M"
    for other in ["MS", "D"]:
        with pytest.raises(ValueError, match=rf"freq='{other}' does not match y.index, a "
                                             r"PeriodIndex of frequency 'M'.*freq=None"):
            forecaster(freq=other).fit(y)


def test_many_series_indexed_by_periods_in_every_layout():
    a, b = monthly(60, seed=0), monthly(48, seed=1).iloc[6:] * 2
    by_dict = forecaster().fit({"a": a, "b": b}).predict()
    assert isinstance(by_dict.index.levels[1], pd.PeriodIndex)
    assert by_dict.loc["b"].index[0] == b.index[-1] + 1

    long = pd.concat({"a": a, "b": b}, names=["id", "month"])
    by_long = forecaster().fit(long).predict()
    assert list(by_long.index.names) == ["id", "month"]
    np.testing.assert_array_equal(by_long.to_numpy(), by_dict.to_numpy())

    nixtla = long.rename("y").reset_index().rename(columns={"id": "unique_id",
                                                            "month": "ds"})
    by_columns = forecaster().fit(nixtla).predict()
    assert by_columns["ds"].dtype == "period[M]"
    np.testing.assert_array_equal(by_columns["y"].to_numpy(), by_dict.to_numpy())


def test_periods_and_timestamps_cannot_share_one_fit():
    a = monthly(60)
    with pytest.raises(ValueError, match=r"share one frequency.*periods of freq 'M'"):
        forecaster().fit({"a": a, "b": as_timestamps(a)})


def test_covariates_indexed_by_periods():
    y = monthly(60)
    X = pd.DataFrame({"promo": np.arange(63.0) % 4},
                     index=pd.period_range("2000-01", periods=63, freq="M"))
    past = forecaster().fit(y, X.iloc[:60]).predict()
    assert past.index[0] == pd.Period("2005-01", freq="M")
    known = forecaster(future_covariates=["promo"]).fit(y, X.iloc[:60])
    forecast = known.predict(X=X.iloc[60:])
    pd.testing.assert_index_equal(forecast.index, X.index[60:])
    with pytest.raises(ValueError, match="has no row for"):
        known.predict(X=as_timestamps(X.iloc[60:]))


def test_score_and_backtests_on_periods():
    y = monthly(72)
    fitted = forecaster().fit(y.iloc[:-3])
    expected = -np.mean(np.abs(y.iloc[-3:].to_numpy() - fitted.predict().to_numpy()))
    assert fitted.score(y.iloc[-3:]) == pytest.approx(expected)


def test_an_index_of_another_kind_is_refused_with_the_kinds_accepted():
    y = monthly(30)
    y.index = y.index.astype(str)
    with pytest.raises(TypeError, match="DatetimeIndex, a PeriodIndex or a RangeIndex"):
        forecaster().fit(y)


def test_hourly_periods_go_to_the_pretrained_network_and_sequence_training_takes_periods():
    n = 24 * 30
    t = np.arange(n)
    y = pd.Series(10 + np.sin(2 * np.pi * t / 24) + 0.1 * np.cos(t),
                  index=pd.period_range("2024-01-01 00:00", periods=n, freq="h"))
    default = RNNForecaster(horizon=24).fit(y)
    assert default.method_ == "zero-shot"
    pd.testing.assert_index_equal(default.predict().index,
                                  pd.period_range(y.index[-1] + 1, periods=24, freq="h"))
    sequence = RNNForecaster(horizon=2, training="sequence", n_networks=1, random_state=0,
                             regressor=RNNRegressor(hidden_size=4, max_iter=2)).fit(y[:200])
    assert sequence.predict().index[0] == y.index[200]
