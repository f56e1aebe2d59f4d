"""Tests for RNNForecaster on many series with one global model (``many_series="global"``):
layouts, per-series scaling, pooled errors. A model each: ``test_separate_models.py``.

Tiny networks (or a Ridge in place of the network) and short series keep the
module fast.
"""

import pickle

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.model_selection import TimeSeriesSplit, cross_val_score

from rnnforecast import RNNForecaster, RNNRegressor
from rnnforecast.forecasting import backtest


# --------------------------------------------------------------------------- #
# Helpers
# --------------------------------------------------------------------------- #
def sensor(n, start="2024-01-01", level=10.0, scale=1.0, seed=0, freq="D", name="load"):
    """A weekly cycle + AR(1) noise at ``level``, of size ``scale``."""
    rng = np.random.RandomState(seed)
    noise = np.zeros(n)
    for t in range(1, n):
        noise[t] = 0.5 * noise[t - 1] + 0.2 * rng.standard_normal()
    t = np.arange(n)
    values = level + scale * (np.sin(2 * np.pi * (t + seed) / 7) + noise)
    return pd.Series(values, index=pd.date_range(start, periods=n, freq=freq), name=name)


def panel():
    """Three series of different levels, scales, lengths and starts."""
    return {
        "a": sensor(90, "2024-01-01", level=10, scale=1, seed=0),
        "b": sensor(70, "2024-02-10", level=1e3, scale=50, seed=1),
        "c": sensor(110, "2023-12-01", level=-5, scale=0.1, seed=2),
    }


def long_frame(series):
    return pd.concat(series, names=["series_id"])


class CountingRidge(Ridge):
    """A Ridge that records how many rows it was fitted on."""

    def fit(self, X, y, sample_weight=None):
        self.n_rows_ = len(X)
        return super().fit(X, y, sample_weight)


def quick(**params):
    # model="per_series": these tests check the model trained in fit (the
    # default, model="auto", may choose the pretrained network instead).
    params.setdefault("model", "per_series")
    params.setdefault("many_series", "global")
    params.setdefault("regressor", RNNRegressor(hidden_size=4, max_iter=5, random_state=0))
    params.setdefault("n_networks", 1)
    params.setdefault("random_state", 0)
    params.setdefault("window", 14)
    return RNNForecaster(**params)


def ridge_forecaster(**params):
    params.setdefault("model", "per_series")
    params.setdefault("many_series", "global")
    params.setdefault("window", 14)
    return RNNForecaster(regressor=Ridge(alpha=1.0), **params)


# Tiny networks stop at max_iter on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:.*maximum iterations")


# --------------------------------------------------------------------------- #
# fit / predict
# --------------------------------------------------------------------------- #
def test_forecasts_are_indexed_by_series_and_their_own_next_timestamps():
    series = panel()
    forecaster = quick(horizon=3).fit(series)
    forecast = forecaster.predict()
    assert isinstance(forecast, pd.Series) and forecast.name == "load"
    assert forecast.index.names == ["series_id", None]
    assert list(forecast.index.get_level_values(0)) == ["a"] * 3 + ["b"] * 3 + ["c"] * 3
    for sid, y in series.items():
        expected = pd.date_range(y.index[-1] + pd.Timedelta("1D"), periods=3, freq="D")
        assert forecast.loc[sid].index.equals(expected)
    assert np.isfinite(forecast).all()
    assert forecaster.series_ids_ == ["a", "b", "c"]
    assert forecaster.cutoff_.to_dict() == {sid: y.index[-1] for sid, y in series.items()}
    assert forecaster.n_rows_seen_.to_dict() == {"a": 90, "b": 70, "c": 110}
    # One model for all: one network, one linear skip, one training set.
    assert len(forecaster.regressors_) == 1 and forecaster.regressors_[0].n_outputs_ == 3


def test_integer_indexed_series_continue_their_own_steps():
    series = {1: sensor(40).reset_index(drop=True),
              2: sensor(50, seed=1).set_axis(pd.RangeIndex(100, 150))}
    forecast = ridge_forecaster(horizon=2, window=7).fit(series).predict()
    assert list(forecast.index) == [(1, 40), (1, 41), (2, 150), (2, 151)]


def test_predict_named_series_in_the_order_asked():
    forecaster = ridge_forecaster(horizon=2).fit(panel())
    every = forecaster.predict()
    two = forecaster.predict(series=["c", "a"])
    assert list(two.index.get_level_values(0)) == ["c", "c", "a", "a"]
    pd.testing.assert_series_equal(two.loc[["c", "a"]], every.loc[["c", "a"]])
    pd.testing.assert_series_equal(forecaster.predict(series="b"), every.loc[["b"]])


def test_dict_and_long_frame_give_identical_forecasts():
    series = panel()
    from_dict = quick(horizon=3).fit(series)
    from_long = quick(horizon=3).fit(long_frame(series))
    pd.testing.assert_series_equal(from_long.predict(), from_dict.predict())
    pd.testing.assert_frame_equal(from_long.predict_interval(), from_dict.predict_interval())
    # A Nixtla-style frame, with the target among other columns: its level names.
    nixtla = long_frame(series).rename("y").reset_index()
    nixtla.columns = ["unique_id", "ds", "y"]
    frame = nixtla.assign(other=1.0).set_index(["unique_id", "ds"])
    from_frame = quick(horizon=3, target="y").fit(frame).predict()
    assert from_frame.index.names == ["unique_id", "ds"] and from_frame.name == "y"
    np.testing.assert_array_equal(from_frame.to_numpy(), from_dict.predict().to_numpy())


def test_one_series_dict_matches_the_single_series_fit():
    y = sensor(120, seed=3)
    X = pd.DataFrame({"temp": np.cos(np.arange(120.0))}, index=y.index)
    for args in [(y,), (y, X)]:
        single = quick(horizon=4).fit(*args)
        many = quick(horizon=4).fit(*({"only": a} for a in args))
        np.testing.assert_array_equal(many.predict().to_numpy(), single.predict().to_numpy())
        assert many.predict().loc["only"].index.equals(single.predict().index)
        np.testing.assert_array_equal(many.calibration_scores_, single.calibration_scores_)
        assert many.n_epochs_ == single.n_epochs_
        np.testing.assert_array_equal(
            many.predict_interval(0.8).to_numpy(), single.predict_interval(0.8).to_numpy()
        )


def test_each_series_is_scaled_by_its_own_statistics():
    # The same kind of series at 1e-3 and at 1e3: in a global model each must be
    # forecast in its own units. A scale shared by all series would make the
    # small one's windows ~1e-6 and its forecast off by orders of its size.
    small = sensor(150, level=2e-3, scale=1e-3, seed=4)
    large = sensor(150, level=2e3, scale=1e3, seed=5)
    truth = {"small": small, "large": large}
    train = {sid: y.iloc[:-7] for sid, y in truth.items()}
    forecaster = ridge_forecaster(horizon=7).fit(train)
    forecast = forecaster.predict()
    for sid, y in truth.items():
        error = np.abs(forecast.loc[sid].to_numpy() - y.to_numpy()[-7:]).mean()
        amplitude = y.std()
        assert error < 0.3 * amplitude, sid


def test_rescaling_one_series_rescales_its_forecast_and_leaves_the_others():
    # With per-series scaling the model sees exactly the same windows when one
    # series is multiplied by a power of two (exact in floating point).
    series = panel()
    base = quick(horizon=3).fit(series)
    scaled = dict(series, b=series["b"] * 2.0**20, c=series["c"] * 2.0**-20)
    moved = quick(horizon=3).fit(scaled)
    before, after = base.predict(), moved.predict()
    np.testing.assert_array_equal(after.loc["a"], before.loc["a"])
    np.testing.assert_array_equal(after.loc["b"], before.loc["b"] * 2.0**20)
    np.testing.assert_array_equal(after.loc["c"], before.loc["c"] * 2.0**-20)
    np.testing.assert_array_equal(moved.calibration_scores_, base.calibration_scores_)
    width = base.predict_interval().eval("upper - lower")
    moved_width = moved.predict_interval().eval("upper - lower")
    np.testing.assert_allclose(moved_width.loc["b"], width.loc["b"] * 2.0**20, rtol=1e-12)


def test_covariates_as_a_dict_or_a_long_frame():
    series = panel()
    X = {sid: pd.DataFrame({"temp": np.sin(np.arange(len(y)) / 3.0)}, index=y.index)
         for sid, y in series.items()}
    from_dict = quick(horizon=2).fit(series, X)
    assert from_dict.covariate_names_ == ["temp"]
    assert from_dict.regressors_[0].n_step_features_ == 2
    from_long = quick(horizon=2).fit(long_frame(series), long_frame(X))
    pd.testing.assert_series_equal(from_long.predict(), from_dict.predict())
    # Each series' covariates are standardised with that series' statistics.
    rescaled = dict(X, b=X["b"] * 4.0 + 3.0)
    np.testing.assert_allclose(
        quick(horizon=2).fit(series, rescaled).predict(), from_dict.predict()
    )
    with pytest.raises(ValueError, match=r"X must hold the covariates.*missing for 'c'"):
        quick(horizon=2).fit(series, {k: X[k] for k in ["a", "b"]})
    with pytest.raises(ValueError, match=r"X\['b'\] has columns \['rain'\]"):
        quick(horizon=2).fit(series, dict(X, b=X["b"].rename(columns={"temp": "rain"})))


def test_recursive_strategy_on_many_series():
    forecaster = quick(horizon=4, strategy="recursive", early_stopping=False).fit(panel())
    forecast = forecaster.predict()
    assert forecaster.regressors_[0].n_outputs_ == 1
    assert len(forecast) == 12 and np.isfinite(forecast).all()


def test_max_windows_per_series_keeps_the_latest_windows_of_each():
    series = panel()
    forecaster = RNNForecaster(
        window=14, horizon=2, regressor=CountingRidge(), n_calibration=0,
        max_windows_per_series=20, many_series="global",
    ).fit(series)
    assert forecaster.regressors_[0].n_rows_ == 3 * 20
    every = clone(forecaster).set_params(max_windows_per_series=None).fit(series)
    # Windows with a complete future: n - window - horizon + 1 per series.
    assert every.regressors_[0].n_rows_ == sum(len(y) - 14 - 2 + 1 for y in series.values())
    # A single series: the same rule, and None (the default) keeps them all.
    y = series["a"]
    assert clone(forecaster).fit(y).regressors_[0].n_rows_ == 20
    assert clone(every).fit(y).regressors_[0].n_rows_ == len(y) - 14 - 2 + 1


def test_auto_calibration_caps_the_origins_over_all_series(monkeypatch):
    series = panel()
    forecaster = ridge_forecaster(horizon=2).fit(series)
    # a quarter of each series' origins (at least 10)
    per_series = [max(10, (len(y) - 14 + 1 - 2) // 4) for y in series.values()]
    assert len(forecaster.calibration_scores_) == sum(per_series)
    monkeypatch.setattr(backtest, "PANEL_ORIGINS_MAX", 15)
    capped = ridge_forecaster(horizon=2).fit(series)
    assert len(capped.calibration_scores_) == 3 * 5


def test_series_too_short_to_calibrate_still_train_and_all_short_warns():
    series = dict(panel(), short=sensor(30, seed=9))
    forecaster = ridge_forecaster(horizon=2).fit(series)
    assert np.isfinite(forecaster.predict_interval().loc["short"]).all().all()
    with pytest.warns(UserWarning, match="every series of y was too short"):
        tiny = ridge_forecaster(horizon=2).fit({"x": sensor(20), "y": sensor(22, seed=1)})
    with pytest.raises(ValueError, match="too short"):
        tiny.predict_interval()


def test_a_short_series_fitted_alone_is_named_in_its_warning_not_every_series():
    # A model each: the short series' own forecaster warns for it alone, and
    # the other series keep their intervals.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        forecaster = ridge_forecaster(horizon=2, many_series="separate").fit(
            {"long": sensor(120), "short": sensor(20, seed=1)})
    messages = [str(w.message) for w in caught if "too short" in str(w.message)]
    assert messages == ["RNNForecaster: series 'short' of y was too short: 5 origins with a "
                        "known future, fewer than the 9 needed to calibrate on 4 of them; "
                        "predict_interval has no backtest errors to bound its forecasts."]
    bounds = forecaster.predict_interval()
    assert np.isfinite(bounds.loc["long"]).all().all()
    assert np.isinf(bounds.loc["short", "upper"]).all()


# --------------------------------------------------------------------------- #
# Intervals, update, score
# --------------------------------------------------------------------------- #
def test_predict_interval_for_all_or_named_series():
    forecaster = quick(horizon=3).fit(panel())
    intervals = forecaster.predict_interval(coverage=0.8)
    assert list(intervals.columns) == ["forecast", "lower", "upper"]
    assert intervals.index.equals(forecaster.predict().index)
    np.testing.assert_allclose(intervals["forecast"], forecaster.predict())
    assert (intervals["lower"] < intervals["forecast"]).all()
    assert (intervals["forecast"] < intervals["upper"]).all()
    # Pooled errors in units of each series: widths follow each series' scale.
    width = intervals.eval("upper - lower")
    ratio = width.loc["b"].to_numpy() / width.loc["a"].to_numpy()
    train = panel()
    np.testing.assert_allclose(ratio, np.std(train["b"]) / np.std(train["a"]))
    named = forecaster.predict_interval(coverage=0.8, series=["b"])
    pd.testing.assert_frame_equal(named, intervals.loc[["b"]])
    several = forecaster.predict_interval(coverage=[0.8, 0.9], series=["b"])
    np.testing.assert_array_equal(several["lower_0.8"], named["lower"])
    assert several.index.equals(named.index)


def test_update_a_subset_moves_only_those_series():
    full = {sid: sensor(n, start, seed=i)
            for i, (sid, n, start) in enumerate([("a", 90, "2024-01-01"), ("b", 75, "2024-02-01")])}
    train = {sid: y.iloc[:-5] for sid, y in full.items()}
    forecaster = quick(horizon=3).fit(train)
    before = forecaster.predict()
    in_two_steps = pickle.loads(pickle.dumps(forecaster))
    assert forecaster.update({"b": full["b"].iloc[-5:]}) is forecaster
    after = forecaster.predict()
    pd.testing.assert_series_equal(after.loc[["a"]], before.loc[["a"]])
    assert after.loc["b"].index[0] == full["b"].index[-1] + pd.Timedelta("1D")
    assert forecaster.cutoff_["b"] == full["b"].index[-1]
    assert forecaster.cutoff_["a"] == train["a"].index[-1]
    assert forecaster.n_rows_seen_.to_dict() == {"a": 85, "b": 75}
    # Two updates, the second as a long frame, equal one.
    in_two_steps.update({"b": full["b"].iloc[-5:-2]})
    in_two_steps.update(long_frame({"b": full["b"].iloc[-2:]}))
    pd.testing.assert_series_equal(in_two_steps.predict(), after)


def test_update_checks_every_series_before_moving_any():
    series = panel()
    forecaster = ridge_forecaster(horizon=2).fit(series)
    good = pd.Series([10.0], index=[series["a"].index[-1] + pd.Timedelta("1D")])
    gap = pd.Series([1e3], index=[series["b"].index[-1] + pd.Timedelta("3D")])
    before = forecaster.predict()
    with pytest.raises(ValueError, match=r"y_new\['b'\] must continue"):
        forecaster.update({"a": good, "b": gap})
    pd.testing.assert_series_equal(forecaster.predict(), before)
    with pytest.raises(ValueError, match=r"y_new has unknown series id\(s\) 'zzz'"):
        forecaster.update({"zzz": good})


def test_score_is_the_mean_over_series_of_the_single_series_score():
    full = {"a": sensor(95), "b": sensor(80, "2024-02-01", level=50, scale=5, seed=1)}
    train = {sid: y.iloc[:-5] for sid, y in full.items()}
    future = {sid: y.iloc[-5:] for sid, y in full.items()}
    forecaster = quick(horizon=3).fit(train)
    forecast = forecaster.predict()
    per_series = [
        np.abs(future[sid].to_numpy()[:3] - forecast.loc[sid].to_numpy()).mean()
        for sid in ["a", "b"]
    ]
    assert forecaster.score(future) == pytest.approx(-np.mean(per_series))
    assert forecaster.score({"b": future["b"]}) == pytest.approx(-per_series[1])


def test_cross_val_score_on_a_time_sorted_long_frame_backtests_every_series():
    # Series ending at the same day; rows sorted by time: each test fold of
    # TimeSeriesSplit(test_size=horizon * n_series) is the next horizon steps
    # of every series.
    series = {sid: sensor(n, end_start, seed=i) for i, (sid, n, end_start) in
              enumerate([("a", 80, "2024-01-11"), ("b", 90, "2024-01-01")])}
    y = long_frame(series).sort_index(level=1, sort_remaining=True)
    horizon, cv = 3, TimeSeriesSplit(n_splits=2, test_size=3 * 2)
    forecaster = ridge_forecaster(horizon=horizon)
    scores = cross_val_score(forecaster, y, cv=cv, error_score="raise")
    expected = []
    for fold, (train, test) in enumerate(cv.split(y)):
        past = {sid: s.iloc[: len(s) - horizon * (2 - fold)] for sid, s in series.items()}
        future = {sid: s.iloc[len(s) - horizon * (2 - fold):][:horizon]
                  for sid, s in series.items()}
        assert y.iloc[test].index.get_level_values(1).nunique() == horizon
        expected.append(clone(forecaster).fit(past).score(future))
    np.testing.assert_allclose(scores, expected)


def test_pickle_round_trip_keeps_many_series_forecasts():
    forecaster = quick(horizon=2).fit(panel())
    restored = pickle.loads(pickle.dumps(forecaster))
    pd.testing.assert_frame_equal(restored.predict_interval(), forecaster.predict_interval())


def test_inputs_are_never_modified():
    series = panel()
    series["a"].iloc[5] = np.nan
    copies = {sid: y.copy() for sid, y in series.items()}
    long = long_frame(series)
    long_copy = long.copy()
    forecaster = quick(horizon=2).fit(series)
    quick(horizon=2).fit(long)
    new = {"a": pd.Series([1.0, 2.0], index=pd.date_range(
        series["a"].index[-1] + pd.Timedelta("1D"), periods=2))}
    new_copy = {"a": new["a"].copy()}
    forecaster.score(new)
    forecaster.predict_interval()
    forecaster.update(new)
    assert list(series) == ["a", "b", "c"] and list(new) == ["a"]
    for sid in series:
        pd.testing.assert_series_equal(series[sid], copies[sid])
    pd.testing.assert_series_equal(long, long_copy)
    pd.testing.assert_series_equal(new["a"], new_copy["a"])


# --------------------------------------------------------------------------- #
# Bad input
# --------------------------------------------------------------------------- #
def test_unknown_series_id_names_it_and_the_known_ones():
    forecaster = ridge_forecaster(horizon=2).fit(panel())
    with pytest.raises(ValueError, match=r"series has unknown series id\(s\) 'zzz'.*'a', 'b'"):
        forecaster.predict(series=["a", "zzz"])
    with pytest.raises(ValueError, match="more than once"):
        forecaster.predict(series=["a", "a"])
    with pytest.raises(ValueError, match="series is empty"):
        forecaster.predict_interval(series=[])
    with pytest.raises(ValueError, match=r"y_future has unknown series id"):
        forecaster.score({"zzz": sensor(3)})


def test_mixed_frequencies_are_an_error_naming_the_series():
    series = dict(panel(), hourly=sensor(100, freq="h"))
    with pytest.raises(ValueError, match=r"share one frequency.*'a' has freq 'D'.*'hourly' has freq 'h'"):
        ridge_forecaster().fit(series)


def test_a_series_too_short_for_the_window_names_it_and_its_rows():
    series = dict(panel(), short=sensor(12), shorter=sensor(8))
    with pytest.raises(
        ValueError,
        match=r"series 'short' of y has 12 rows; window=14 and horizon=3 need at least 17"
              r".*1 more series",
    ):
        ridge_forecaster(horizon=3).fit(series)


def test_bad_series_are_named_in_the_message():
    series = panel()
    with pytest.raises(ValueError, match=r"y\['b'\]\.index has duplicate timestamps"):
        ridge_forecaster().fit(dict(series, b=series["b"].iloc[[0, 1, 1, 2]]))
    with pytest.raises(ValueError, match=r"series 'b' of y: y.index has no fixed frequency"):
        ridge_forecaster().fit(dict(series, b=series["b"].iloc[[0, 1, 3, 4, 7]]))
    with pytest.raises(ValueError, match="empty dict"):
        ridge_forecaster().fit({})
    three_levels = long_frame(series).to_frame().set_index(
        pd.Index(np.zeros(270, int), name="x"), append=True)["load"]
    with pytest.raises(ValueError, match="MultiIndex with 3 levels"):
        ridge_forecaster().fit(three_levels)
    with pytest.raises(ValueError, match="strategy='recursive'"):
        ridge_forecaster(strategy="recursive").fit(
            series, {sid: y.to_frame("x") for sid, y in series.items()})


def test_one_series_and_many_are_not_mixed_up():
    series = panel()
    many = ridge_forecaster(horizon=2).fit(series)
    one = ridge_forecaster(horizon=2).fit(series["a"])
    with pytest.raises(TypeError, match="fitted on many series, so y_new must be a dict"):
        many.update(series["a"].iloc[-2:])
    with pytest.raises(TypeError, match="fitted on one series, so y_future must be a pandas"):
        one.score({"a": series["a"]})
    with pytest.raises(ValueError, match="series='a' selects among many series"):
        one.predict(series="a")
    # Refitting on one series forgets the many.
    assert many.fit(series["a"]).series_ids_ is None
    pd.testing.assert_series_equal(many.predict(), one.predict())


def test_a_series_without_observed_values_in_its_window_cannot_be_forecast():
    series = panel()
    forecaster = ridge_forecaster(horizon=2).fit(series)
    gap = pd.Series(np.nan, index=pd.date_range(
        series["c"].index[-1] + pd.Timedelta("1D"), periods=14))
    forecaster.update({"c": gap})
    with pytest.raises(ValueError, match=r"series \['c'\] hold no observed target value"):
        forecaster.predict()
    assert np.isfinite(forecaster.predict(series=["a", "b"])).all()


# --------------------------------------------------------------------------- #
# Ids that are tuples; long frames out of order
# --------------------------------------------------------------------------- #
def test_tuple_ids_of_a_dict_stay_one_label_each():
    # A dict keyed by (store, item): before, building the forecast's index
    # made a MultiIndex of the tuples and pandas raised "Names should be
    # list-like for a MultiIndex".
    series = {("north", 1): sensor(60, seed=0), ("south", 2): sensor(60, seed=1) * 3}
    fitted = ridge_forecaster(horizon=2).fit(series)
    forecast = fitted.predict()
    assert forecast.index.get_level_values(0).unique().tolist() == list(series)
    assert fitted.predict(series=("south", 2)).shape == (2,)
    north = [sid == ("north", 1) for sid in forecast.index.get_level_values(0)]
    np.testing.assert_array_equal(fitted.predict(series=[("north", 1)]).to_numpy(),
                                  forecast[north].to_numpy())
    assert fitted.cutoff_.index.tolist() == list(series)
    assert fitted.predict_interval().index[0] == (("north", 1), series["north", 1].index[-1]
                                                  + pd.Timedelta("1D"))


@pytest.mark.parametrize("layout", ["long", "nixtla"])
def test_a_long_frame_out_of_order_or_with_duplicates_gets_a_fix_for_the_whole_frame(layout):
    """A long frame out of order is an error naming the fix; a Nixtla frame is
    sorted; a duplicate timestamp is an error for both."""
    long = long_frame(panel())
    if layout == "nixtla":
        long = long.rename("y").reset_index().rename(columns={"series_id": "unique_id",
                                                              "level_1": "ds"})
        sort, deduplicate = (lambda y: y.sort_values(["unique_id", "ds"]),
                             lambda y: y.groupby(["unique_id", "ds"], as_index=False).mean())
        sort_text = r"y.sort_values\(\['unique_id', 'ds'\]\)"
        deduplicate_text = r"y.groupby\(\['unique_id', 'ds'\], as_index=False\).mean\(\)"
    else:
        sort, deduplicate = (lambda y: y.sort_index(),
                             lambda y: y.groupby(level=[0, 1]).mean())
        sort_text, deduplicate_text = r"y.sort_index\(\)", r"y.groupby\(level=\[0, 1\]\).mean\(\)"
    expected = ridge_forecaster(horizon=2).fit(long).predict()
    shuffled = long.sample(frac=1, random_state=0)
    if layout == "nixtla":
        # A Nixtla frame is sorted as statsforecast sorts it (tests/test_frames.py).
        forecast = ridge_forecaster(horizon=2).fit(shuffled).predict()
        pd.testing.assert_frame_equal(forecast.set_index(["unique_id", "ds"]).sort_index(),
                                      expected.set_index(["unique_id", "ds"]).sort_index())
    else:
        with pytest.raises(ValueError,
                           match=rf"y\['.'\].index is not sorted.*sort it with {sort_text}"):
            ridge_forecaster(horizon=2).fit(shuffled)
    repeated = pd.concat([long, long.iloc[:1]])
    with pytest.raises(ValueError, match=rf"duplicate timestamps.*e.g. {deduplicate_text}"):
        ridge_forecaster(horizon=2).fit(repeated)
    # The fixes named give the forecasts of the frame in order.
    values = (lambda f: f["y"].to_numpy()) if layout == "nixtla" else (lambda f: f.to_numpy())
    for fixed in (sort(shuffled), deduplicate(repeated)):
        np.testing.assert_allclose(values(ridge_forecaster(horizon=2).fit(fixed).predict()),
                                   values(expected))
