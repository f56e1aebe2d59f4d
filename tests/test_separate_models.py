"""Tests for RNNForecaster on many series with a model each (``many_series``).

The default (``"auto"``) fits a forecaster to each series alone wherever fit
trains; every output must then equal what each series' own fit gives. Tiny
networks and short series keep the module fast.
"""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.utils._param_validation import InvalidParameterError

from rnnforecast import RNNForecaster, RNNRegressor
from rnnforecast.diagnostics import gradient_flow
from rnnforecast.forecasting.outliers import OutlierWarning
from rnnforecast.forecasting.target_scale import NotAboveZeroError

pytestmark = pytest.mark.filterwarnings("ignore:.*maximum iterations")


def sensor(n, start="2024-01-01", level=10.0, scale=1.0, seed=0, freq="D"):
    """A weekly cycle plus noise at ``level``, of size ``scale``."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = level + scale * (np.sin(2 * np.pi * (t + seed) / 7) + 0.2 * rng.normal(size=n))
    return pd.Series(values, index=pd.date_range(start, periods=n, freq=freq), name="load")


def panel():
    """Three series of other levels, scales, lengths and starts."""
    return {"a": sensor(90, "2024-01-01", 10, 1, seed=0),
            "b": sensor(70, "2024-02-10", 1e3, 50, seed=1),
            "c": sensor(110, "2023-12-01", -5, 0.1, seed=2)}


def quick(**params):
    params.setdefault("regressor", RNNRegressor(hidden_size=4, max_iter=4))
    params.setdefault("n_networks", 1)
    params.setdefault("random_state", 0)
    params.setdefault("horizon", 3)
    return RNNForecaster(**params)


def next_days(y, n, values):
    return pd.Series(values, index=pd.date_range(y.index[-1] + pd.Timedelta("1D"), periods=n,
                                                 freq="D"))


@pytest.fixture(scope="module")
def fitted():
    series = panel()
    alone = {sid: quick().fit(y) for sid, y in series.items()}
    return quick().fit(series), alone, series


def test_each_series_is_forecast_as_by_its_own_fit(fitted):
    forecaster, alone, series = fitted
    assert forecaster.many_series == "auto" and list(forecaster.forecasters_) == ["a", "b", "c"]
    assert forecaster.method_.to_dict() == {"a": "model", "b": "model", "c": "model"}
    forecast = forecaster.predict()
    assert forecast.index.names == ["series_id", None] and forecast.name == "load"
    intervals = forecaster.predict_interval([0.5, 0.8])
    quantiles = forecaster.predict_quantiles([0.25, 0.5, 0.75])
    for sid, own in alone.items():
        np.testing.assert_array_equal(forecast.loc[sid].to_numpy(), own.predict().to_numpy())
        np.testing.assert_array_equal(intervals.loc[sid].to_numpy(),
                                      own.predict_interval([0.5, 0.8]).to_numpy())
        np.testing.assert_array_equal(quantiles.loc[sid].to_numpy(),
                                      own.predict_quantiles([0.25, 0.5, 0.75]).to_numpy())
        # Each series' own model, its own window and errors.
        model = forecaster.forecasters_[sid]
        assert model.window_ == own.window_
        np.testing.assert_array_equal(model.calibration_errors_, own.calibration_errors_)
    # The series' models hold what a global model holds itself.
    assert forecaster.regressors_ is None and forecaster.window_ is None
    assert forecaster.calibration_errors_ is None
    assert forecaster.cutoff_.to_dict() == {sid: y.index[-1] for sid, y in series.items()}
    assert forecaster.n_rows_seen_.to_dict() == {"a": 90, "b": 70, "c": 110}


def test_global_is_one_model_and_differs(fitted):
    forecaster, _, series = fitted
    shared = quick(many_series="global").fit(series)
    assert shared.forecasters_ is None and len(shared.regressors_) == 1
    assert not np.allclose(shared.predict().to_numpy(), forecaster.predict().to_numpy())
    with pytest.raises(InvalidParameterError, match="many_series"):
        quick(many_series="each").fit(series)


def test_named_series_long_and_nixtla_frames(fitted):
    forecaster, alone, series = fitted
    assert list(forecaster.predict(series=["c", "a"]).index.get_level_values(0).unique()) == [
        "c", "a"]
    long = pd.concat(series, names=["store"])
    from_long = quick().fit(long).predict()
    assert from_long.index.names == ["store", None]
    np.testing.assert_array_equal(from_long.to_numpy(), forecaster.predict().to_numpy())
    nixtla = long.rename("y").rename_axis(["unique_id", "ds"]).reset_index()
    table = quick().fit(nixtla).predict_interval(0.8)
    assert list(table.columns) == ["unique_id", "ds", "forecast", "lower", "upper"]
    np.testing.assert_array_equal(table[["forecast", "lower", "upper"]].to_numpy(),
                                  forecaster.predict_interval(0.8).to_numpy())


def test_update_moves_the_series_given_as_their_own_fits(fitted):
    forecaster, alone, series = fitted
    forecaster, alone = pickle.loads(pickle.dumps((forecaster, alone)))  # a copy
    new = next_days(series["b"], 2, [1010.0, 990.0])
    forecaster.update({"b": new})
    alone["b"].update(new)
    np.testing.assert_array_equal(forecaster.predict().loc["b"].to_numpy(),
                                  alone["b"].predict().to_numpy())
    np.testing.assert_array_equal(forecaster.predict().loc["a"].to_numpy(),
                                  alone["a"].predict().to_numpy())
    assert forecaster.cutoff_["b"] == new.index[-1] and forecaster.n_rows_seen_["b"] == 72
    assert forecaster.forecasters_["b"].cutoff_.iloc[0] == new.index[-1]
    truth = {"a": next_days(series["a"], 3, [10.0, 11.0, 9.0])}
    assert forecaster.score(truth) == alone["a"].score(truth["a"])


def test_an_update_that_fails_on_one_series_moves_none(fitted):
    forecaster = pickle.loads(pickle.dumps(fitted[0]))
    series = fitted[2]
    before = forecaster.predict()
    good = next_days(series["a"], 1, [10.0])
    late = next_days(series["b"], 3, [1.0, 2.0, 3.0]).iloc[1:]  # skips a day
    with pytest.raises(ValueError, match=r"y_new\['b'\]"):
        forecaster.update({"a": good, "b": late})
    pd.testing.assert_series_equal(forecaster.predict(), before)
    assert forecaster.forecasters_["a"].cutoff_.iloc[0] == series["a"].index[-1]
    # A value only b's own forecaster refuses (on the log scale, below 0).
    logged = quick(target_transform="log").fit({"a": series["a"], "b": series["b"]})
    before = logged.predict()
    with pytest.raises(NotAboveZeroError, match=r"y_new\['b'\] is -1"):
        logged.update({"a": good, "b": next_days(series["b"], 1, [-1.0])})
    pd.testing.assert_series_equal(logged.predict(), before)
    assert logged.cutoff_["a"] == series["a"].index[-1]


def test_covariates_past_and_known_in_advance():
    series = panel()
    X = {sid: pd.DataFrame({"promo": (np.arange(len(y)) % 5 == 0).astype(float)}, index=y.index)
         for sid, y in series.items()}
    ahead = {sid: pd.DataFrame({"promo": [1.0, 0.0, 0.0]},
                               index=next_days(y, 3, [0, 0, 0]).index)
             for sid, y in series.items()}
    forecaster = quick(future_covariates=["promo"]).fit(series, X)
    forecast = forecaster.predict(X=ahead)
    for sid, y in series.items():
        own = quick(future_covariates=["promo"]).fit(y, X[sid]).predict(X=ahead[sid])
        np.testing.assert_array_equal(forecast.loc[sid].to_numpy(), own.to_numpy())
    with pytest.raises(ValueError, match="X is None, but the forecaster reads future"):
        forecaster.predict()


def test_a_short_series_gets_infinite_bounds_and_one_warning_naming_it():
    series = {"long": sensor(120), "short": sensor(20, seed=3)}
    forecaster = quick().fit(series)
    assert len(forecaster.forecasters_["short"].calibration_errors_) == 5
    with pytest.warns(UserWarning, match=r"backtest errors of series 'short' \(each its own, "
                                         r"5 at the fewest step\) are too few"):
        table = forecaster.predict_interval(0.9)  # 9 errors needed
    assert np.isfinite(table.loc["long"].to_numpy()).all()
    assert np.isinf(table.loc["short", "upper"]).all()  # lower: floored at 0 (never negative)
    assert (table.loc["short", "lower"] == 0).all()
    with pytest.raises(ValueError, match="fit recorded for none of the series asked"):
        quick(n_calibration=0).fit(series).predict_interval(0.9)
    # One global model pools the errors of every series: finite bounds for both.
    shared = quick(many_series="global").fit(series)
    assert np.isfinite(shared.predict_interval(0.9).to_numpy()).all()


def test_errors_and_warnings_name_the_series():
    series = panel()
    with pytest.raises(ValueError, match=r"series 'b' of y has 5 rows"):
        quick(window=14).fit({"a": series["a"], "b": series["b"].iloc[:5]})
    spiked = series["b"].copy()
    spiked.iloc[30] = 1e9
    with pytest.warns(UserWarning, match=r"1 value\(s\) read as missing.*'b' 2024-03-11"):
        forecaster = quick().fit({"a": series["a"], "b": spiked})
    assert forecaster.outliers_.index.tolist() == [("b", spiked.index[30])]
    # A covariate the global model learns from other series, but not this series' own.
    X = {sid: pd.DataFrame({"promo": (np.arange(len(y)) % 5 == 0).astype(float)},
                           index=y.index) for sid, y in series.items()}
    X["c"]["promo"] = np.nan
    with pytest.raises(ValueError, match=r"X\['c'\] column 'promo' has no observed value.*"
                                         r"many_series='global'"):
        quick().fit(series, X)
    assert np.isfinite(quick(many_series="global").fit(series, X).predict()).all()
    below = series["a"].copy()
    below.iloc[4] = -1.0
    with pytest.raises(NotAboveZeroError) as caught:
        quick(target_transform="log").fit({"b": series["b"], "a": below})
    assert caught.value.series_id == "a"


def test_the_outliers_of_every_series_come_in_one_warning_as_a_global_models():
    series = panel()
    spiked = {}
    for k, (sid, y) in enumerate(series.items()):
        spiked[sid] = y.copy()
        spiked[sid].iloc[20 + k] = 1e9
    messages = {}
    for mode in ("auto", "global"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            forecaster = quick(many_series=mode).fit(spiked)
        raised = [w for w in caught if issubclass(w.category, OutlierWarning)]
        assert len(raised) == 1 and raised[0].filename == __file__
        messages[mode] = str(raised[0].message)
        assert len(forecaster.outliers_) == 3
    assert messages["auto"] == messages["global"]
    assert messages["auto"].startswith("y: 3 value(s) read as missing")
    assert all(repr(sid) in messages["auto"] for sid in spiked)
    # update: the outliers of the series given, in one warning
    forecaster = quick().fit(series)
    new = {sid: next_days(y, 6, np.r_[y.iloc[-5:].to_numpy(), 1e9]) for sid, y in series.items()
           if sid != "b"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        forecaster.update(new)
    raised = [w for w in caught if issubclass(w.category, OutlierWarning)]
    assert len(raised) == 1 and raised[0].filename == __file__
    assert str(raised[0].message).startswith("y_new: 2 value(s) read as missing, gross")
    assert "'a'" in str(raised[0].message) and "'c'" in str(raised[0].message)
    assert forecaster.outliers_.index.get_level_values(0).tolist() == ["a", "c"]
    assert issubclass(OutlierWarning, UserWarning)


def test_a_series_per_process_gives_the_same_forecasts(fitted):
    forecaster, _, series = fitted
    parallel = quick(n_jobs=2).fit(series)
    np.testing.assert_array_equal(parallel.predict_interval(0.8).to_numpy(),
                                  forecaster.predict_interval(0.8).to_numpy())
    # The warnings of the processes come back.
    spiked = series["c"].copy()
    spiked.iloc[50] = 1e6
    with pytest.warns(UserWarning, match=r"1 value\(s\) read as missing.*'c' 2024-01-20"):
        quick(n_jobs=2).fit({"a": series["a"], "c": spiked})


def test_inputs_are_not_modified_and_clone_refits_the_same(fitted):
    forecaster, _, series = fitted
    copies = {sid: y.copy() for sid, y in series.items()}
    again = clone(forecaster).fit(series)
    for sid, y in series.items():
        pd.testing.assert_series_equal(y, copies[sid])
    np.testing.assert_array_equal(again.predict().to_numpy(), forecaster.predict().to_numpy())


def test_zero_shot_panels_are_one_pass_unless_separate_is_asked():
    hours = pd.date_range("2024-01-01", periods=300, freq="h")
    day = np.sin(2 * np.pi * np.arange(300) / 24)
    series = {"x": pd.Series(20 + day, index=hours), "y": pd.Series(5 + 3 * day, index=hours)}
    together = RNNForecaster(horizon=24).fit(series)  # hourly: the pretrained network
    assert together.forecasters_ is None and list(together.method_) == ["zero-shot"] * 2
    each = RNNForecaster(horizon=24, many_series="separate").fit(series)
    assert list(each.forecasters_) == ["x", "y"]
    # The network forecasts a batch of one or of two: the same, to rounding.
    np.testing.assert_allclose(each.predict().to_numpy(), together.predict().to_numpy(),
                               rtol=1e-7)
    own = RNNForecaster(horizon=24).fit(series["y"]).predict_interval(0.8)
    np.testing.assert_array_equal(each.predict_interval(0.8).loc["y"].to_numpy(),
                                  own.to_numpy())


def test_network_data_pools_the_series_when_their_windows_agree(fitted):
    forecaster, alone, series = fitted
    features, targets = forecaster.network_data(series, targets=True)
    own = [alone[sid].network_data(y, targets=True) for sid, y in series.items()]
    np.testing.assert_array_equal(features, np.concatenate([f for f, _ in own]))
    np.testing.assert_array_equal(targets, np.concatenate([t for _, t in own]))
    uneven = quick().fit({"a": series["a"], "short": sensor(30, seed=4)})
    with pytest.raises(ValueError, match="windows of different lengths"):
        uneven.network_data({"a": series["a"], "short": sensor(30, seed=4)})
    with pytest.raises(ValueError, match=r"forecasters_\['a'\]"):
        gradient_flow(forecaster, series)


def test_cross_val_score_backtests_each_series_with_its_own_model():
    # Series ending on the same day; rows sorted by time: each test fold of
    # TimeSeriesSplit(test_size=horizon * n_series) is the next horizon steps of each.
    from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score

    series = {"a": sensor(80, "2024-01-11", seed=1), "b": sensor(90, "2024-01-01", seed=2)}
    y = pd.concat(series, names=["series_id"]).sort_index(level=1, sort_remaining=True)
    cv = TimeSeriesSplit(n_splits=2, test_size=3 * 2)
    scores = cross_val_score(quick(), y, cv=cv, error_score="raise")
    for fold, score in enumerate(scores):
        cut = 3 * (2 - fold)
        own = [quick().fit(s.iloc[:len(s) - cut]).score(s.iloc[len(s) - cut:][:3])
               for s in series.values()]
        assert score == pytest.approx(np.mean(own), rel=1e-12)
    # A search may choose between a model each and one global model on that backtest.
    search = GridSearchCV(quick(), {"many_series": ["separate", "global"]}, cv=cv).fit(y)
    separate, shared = search.cv_results_["mean_test_score"]
    assert separate == pytest.approx(scores.mean(), rel=1e-12)  # "auto" trains: separate
    assert shared != pytest.approx(separate)


def test_the_fitted_networks_keep_no_training_buffers(fitted):
    # A model each holds n_networks networks a series: their training buffers
    # (megabytes each, against kilobytes of weights) are freed once trained.
    forecaster = fitted[0]
    networks = [r.network_ for f in forecaster.forecasters_.values() for r in f.regressors_]
    assert networks and all(network._workspaces == {} for network in networks)
