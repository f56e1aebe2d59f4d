"""RNNForecaster(model=...): the pretrained network zero-shot, combined with the
per-series model, or chosen per series by the backtest."""

import subprocess
import warnings
import sys

import numpy as np
import pandas as pd
import pytest

from rnnforecast import RNNForecaster, RNNRegressor
from rnnforecast.forecasting.windows import SeriesWindows
from rnnforecast.pretrained import shipped_model


def monthly(n=120, seed=0, level=100.0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = level + 0.5 * t + 10 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 2, n)
    return pd.Series(values, index=pd.date_range("2010-01-01", periods=n, freq="MS"))


def forecaster(model, zero_shot=None, **kwargs):
    """A forecaster of ``model`` with two small networks where it trains them.
    A model that forecasts zero-shot (``model="zero_shot"``, or
    ``zero_shot=True`` for the default on hourly data) gets the default
    settings: it would warn that the small networks go unused."""
    if zero_shot is None:
        zero_shot = model == "zero_shot"
    networks = {} if zero_shot else dict(
        regressor=RNNRegressor(hidden_size=4, max_iter=4, learning_rate_init=0.01),
        n_networks=2)
    return RNNForecaster(horizon=6, random_state=0, model=model, **networks, **kwargs)


def test_zero_shot_is_the_pretrained_forecast_and_trains_nothing():
    y = monthly()
    fitted = forecaster("zero_shot").fit(y)
    assert fitted.method_ == "zero-shot"
    assert fitted.regressors_ == [] and fitted.linear_ is None and fitted.n_epochs_ is None
    network = shipped_model()
    expected = network.forecast(y.to_numpy(), 12, 6)[0]
    np.testing.assert_allclose(fitted.predict().to_numpy(), expected)
    assert fitted.predict().index[0] == pd.Timestamp("2020-01-01")
    # Its intervals come from its own errors at the calibration origins.
    bounds = fitted.predict_interval(0.8)
    assert (bounds["lower"] < bounds["forecast"]).all()
    assert (bounds["forecast"] < bounds["upper"]).all()
    assert np.isfinite(fitted.calibration_errors_).all()


def test_zero_shot_update_equals_a_fit_on_the_longer_series():
    y = monthly()
    moved = forecaster("zero_shot").fit(y.iloc[:-5]).update(y.iloc[-5:])
    refitted = forecaster("zero_shot").fit(y)
    np.testing.assert_allclose(moved.predict(), refitted.predict())
    assert moved.predict().index.equals(refitted.predict().index)


def test_series_shorter_than_the_pretrained_context_are_forecast_alike_in_a_panel():
    series = {"long": monthly(400, seed=1), "short": monthly(40, seed=2)}
    panel = forecaster("zero_shot").fit(series)
    network = shipped_model()
    for sid, y in series.items():
        np.testing.assert_allclose(panel.predict(series=[sid]).to_numpy(),
                                   network.forecast(y.to_numpy(), 12, 6)[0])
    # update keeps as many rows as the network reads, for the short series too
    new = monthly(45, seed=2).iloc[40:]
    moved = panel.update({"short": new})
    np.testing.assert_allclose(moved.predict(series=["short"]).to_numpy(),
                               network.forecast(monthly(45, seed=2).to_numpy(), 12, 6)[0])


def test_combined_is_the_mean_of_the_model_and_the_pretrained_network():
    y = monthly()
    per_series = forecaster("per_series").fit(y)
    zero_shot = forecaster("zero_shot").fit(y)
    combined = forecaster("combined").fit(y)
    assert combined.method_ == "combined" and len(combined.regressors_) == 2
    np.testing.assert_allclose(combined.predict(),
                               (per_series.predict() + zero_shot.predict()) / 2)
    # Its backtest errors are the mean of the two methods' errors.
    np.testing.assert_allclose(
        combined.calibration_errors_,
        (per_series.calibration_errors_ + zero_shot.calibration_errors_) / 2)


def mean_absolute(errors):
    return np.nanmean(np.abs(errors))


@pytest.mark.parametrize("seed", [0, 1])
def test_auto_keeps_the_method_with_the_lowest_backtest_error_per_series(seed):
    series = {"trend": monthly(seed=seed), "flat": monthly(seed=seed + 5, level=20.0) * 0
              + np.random.default_rng(seed).normal(0, 1, 120)}
    fits = {mode: forecaster(mode, many_series="global").fit(series)
            for mode in ("per_series", "zero_shot", "combined", "auto")}
    auto = fits["auto"]
    n_origins = len(auto.calibration_errors_) // 2  # the same number per series here
    for code, sid in enumerate(series):
        rows = slice(code * n_origins, (code + 1) * n_origins)
        scores = {method: mean_absolute(fits[mode].calibration_errors_[rows])
                  for mode, method in [("per_series", "model"), ("zero_shot", "zero-shot"),
                                       ("combined", "combined")]}
        best = min(scores, key=scores.get)
        assert auto.method_[sid] == best
        np.testing.assert_allclose(auto.calibration_errors_[rows],
                                   fits[dict(model="per_series", combined="combined").get(
                                       best, "zero_shot")].calibration_errors_[rows])
        mine = auto.predict(series=[sid]).to_numpy()
        by_best = fits[{"model": "per_series", "zero-shot": "zero_shot",
                        "combined": "combined"}[best]].predict(series=[sid]).to_numpy()
        np.testing.assert_allclose(mine, by_best)


def test_auto_without_calibration_origins_keeps_the_model():
    fitted = forecaster("auto", n_calibration=0).fit(monthly())
    assert fitted.method_ == "model" and len(fitted.regressors_) == 2
    assert fitted.calibration_errors_ is None


def test_contexts_are_the_values_before_each_origin_nan_before_the_series():
    a = np.arange(10.0)[:, None]
    b = 100 + np.arange(6.0)[:, None]
    windows = SeriesWindows([a, b], window=2, horizon=2, scalers=[None, None])
    rows = np.array([windows.origins(0)[0], windows.origins(1)[-1]])
    contexts = windows.contexts(rows, 4)
    np.testing.assert_array_equal(contexts[0], [np.nan, np.nan, 0, 1])
    np.testing.assert_array_equal(contexts[1], [102, 103, 104, 105])


@pytest.mark.parametrize("settings, match", [
    (dict(model="zero_shot", horizon=49), "forecasts at most 48 steps"),
    (dict(model="combined", training="sequence"), "training='window'"),
])
def test_settings_the_pretrained_network_cannot_serve_are_refused(settings, match):
    with pytest.raises(ValueError, match=match):
        RNNForecaster(**settings).fit(monthly(200))


def test_auto_keeps_the_model_where_the_pretrained_network_cannot_serve():
    small = RNNRegressor(hidden_size=4, max_iter=3)
    long_horizon = RNNForecaster(horizon=49, regressor=small, n_networks=1, random_state=0,
                                 model="auto").fit(monthly(300))
    assert long_horizon.method_ == "model" and len(long_horizon.predict()) == 49
    sequence = RNNForecaster(horizon=6, regressor=small, n_networks=1, random_state=0,
                             model="auto", training="sequence").fit(monthly(200))
    assert sequence.method_ == "model"


def test_zero_shot_refuses_covariates_it_would_not_read():
    y = monthly()
    X = pd.DataFrame({"price": np.arange(120.0)}, index=y.index)
    with pytest.raises(ValueError, match=r"model='zero_shot' reads the target alone.*price"):
        forecaster("zero_shot").fit(y, X)
    # The combined model reads them through its per-series part.
    assert forecaster("combined").fit(y, X).method_ == "combined"


def test_cli_says_which_model_ran(tmp_path):
    y = monthly(60)
    path = tmp_path / "sales.csv"
    y.rename("sales").to_csv(path, index_label="month")
    result = subprocess.run(
        [sys.executable, "-m", "rnnforecast", "forecast", str(path), "--horizon", "6",
         "--model", "zero_shot", "--quiet"],
        capture_output=True, text=True, check=True)
    assert "the pretrained network, zero-shot" in result.stdout
    auto = subprocess.run(
        [sys.executable, "-m", "rnnforecast", "forecast", str(path), "--horizon", "6",
         "--model", "auto", "--quiet", "--no-backtest"],
        capture_output=True, text=True, check=True)
    assert "model='auto': chosen by the backtest inside fit" in auto.stdout


# --------------------------------------------------------------------------- #
# model="by_frequency", the default
# --------------------------------------------------------------------------- #
def seasonal(n, freq, period, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = 50 + 5 * np.sin(2 * np.pi * t / period) + rng.normal(0, 0.5, n)
    return pd.Series(values, index=pd.date_range("2024-01-01", periods=n, freq=freq))


def test_by_frequency_is_the_default():
    assert RNNForecaster().model == "by_frequency"


@pytest.mark.parametrize("freq, period", [("h", 24), ("30min", 48)])
def test_by_frequency_forecasts_hourly_and_half_hourly_data_zero_shot(freq, period):
    y = seasonal(600, freq, period)
    default = forecaster("by_frequency", zero_shot=True).fit(y)
    zero_shot = forecaster("zero_shot").fit(y)
    assert default.method_ == "zero-shot" and default.regressors_ == []
    np.testing.assert_array_equal(default.predict_interval(0.8), zero_shot.predict_interval(0.8))
    # update, as zero-shot does it
    later = seasonal(610, freq, period).iloc[-10:]
    np.testing.assert_array_equal(default.update(later).predict(),
                                  zero_shot.update(later).predict())


@pytest.mark.parametrize("freq, period", [("D", 7), ("B", 5), ("MS", 12), ("QS", 4),
                                          ("15min", 96), ("min", 60), ("2h", 12), ("6h", 4)])
def test_by_frequency_trains_per_series_on_other_calendars(freq, period):
    # Daily and coarser data, and sub-daily calendars the network was not
    # pretrained on (15 minutes: 96 a day; minutes: 1,440 a day; 2 and 6
    # hours: 12 and 4 a day, periods of its monthly and quarterly groups).
    y = seasonal(300, freq, period)
    default = forecaster("by_frequency").fit(y)
    per_series = forecaster("per_series").fit(y)
    assert default.method_ == "model" and len(default.regressors_) == 2
    np.testing.assert_array_equal(default.predict(), per_series.predict())


def test_by_frequency_trains_per_series_on_an_integer_index():
    y = seasonal(300, "h", 24).reset_index(drop=True)
    assert forecaster("by_frequency").fit(y).method_ == "model"


@pytest.mark.parametrize("settings", [dict(horizon=49), dict(training="sequence")])
def test_by_frequency_trains_per_series_where_the_network_cannot_serve(settings):
    y = seasonal(600, "h", 24)
    small = RNNRegressor(hidden_size=4, max_iter=2)
    fitted = RNNForecaster(regressor=small, n_networks=1, random_state=0,
                           **{"horizon": 6, **settings}).fit(y)
    assert fitted.method_ == "model"


def test_by_frequency_trains_per_series_when_x_has_covariates_to_read():
    y = seasonal(600, "h", 24)
    X = pd.DataFrame({"hour": y.index.hour.to_numpy(float)}, index=y.index)
    fitted = forecaster("by_frequency").fit(y, X)
    assert fitted.method_ == "model" and fitted.covariate_names_ == ["hour"]


def test_by_frequency_on_many_hourly_series_is_zero_shot_for_each():
    series = {"a": seasonal(600, "h", 24, seed=1), "b": seasonal(300, "h", 24, seed=2)}
    fitted = forecaster("by_frequency", zero_shot=True).fit(series)
    assert list(fitted.method_) == ["zero-shot", "zero-shot"]
    network = shipped_model()
    for sid, y in series.items():
        np.testing.assert_allclose(fitted.predict(series=[sid]).to_numpy(),
                                   network.forecast(y.to_numpy(), 24, 6)[0])


def test_a_new_sensor_with_a_few_hours_joins_a_panel_forecast_zero_shot():
    # The window of the longest series (48 hours) binds only a model to train:
    # the pretrained network forecasts a 30-hour series as it would alone.
    new = seasonal(30, "h", 24, seed=3)
    series = {"old": seasonal(600, "h", 24, seed=1), "new": new}
    fitted = RNNForecaster(horizon=24).fit(series)
    alone = RNNForecaster(horizon=24).fit(new)
    assert fitted.window_ == 48 and list(fitted.method_) == ["zero-shot", "zero-shot"]
    np.testing.assert_allclose(fitted.predict(series=["new"]).to_numpy(),
                               alone.predict().to_numpy())
    bounds = fitted.predict_interval(0.8, series=["new"])
    assert np.isfinite(bounds[["lower", "upper"]].to_numpy()).all()
    # One global model to train still needs a window and a horizon of every
    # series; a model each takes the window its own series allows.
    with pytest.raises(ValueError, match="series 'new' of y has 30 rows; window='auto'"):
        RNNForecaster(horizon=24, model="per_series", many_series="global").fit(series)
    own = RNNForecaster(horizon=24, model="per_series", n_networks=0).fit(series)
    assert own.forecasters_["old"].window_ == 48 and own.forecasters_["new"].window_ == 2
    assert np.isfinite(own.predict()).all()
    # The network needs one origin with a known horizon after it, as alone.
    with pytest.raises(ValueError, match="series 'new' of y has 20 rows; the pretrained "
                                         "network needs at least 25"):
        RNNForecaster(horizon=24, model="zero_shot").fit({"old": series["old"], "new": new[:20]})


def test_cli_on_an_hourly_file_says_the_default_ran_the_pretrained_network(tmp_path):
    path = tmp_path / "load.csv"
    seasonal(400, "h", 24).rename("load").to_csv(path, index_label="time")
    result = subprocess.run(
        [sys.executable, "-m", "rnnforecast", "forecast", str(path), "--horizon", "12",
         "--quiet", "--no-backtest"],
        capture_output=True, text=True, check=True)
    assert ("the pretrained network, zero-shot (no network trained; the default for 'h' "
            "data, --model per_series trains networks on the file)") in result.stdout
    assert "epochs" not in result.stdout  # nothing trained, no epochs to report


def test_by_frequency_trains_per_series_when_asked_for_a_seasonal_lag():
    y = seasonal(24 * 7 * 4, "h", 24)
    fitted = forecaster("by_frequency", seasonal_lag="auto").fit(y)
    assert fitted.method_ == "model" and fitted.seasonal_lag_ == 168


def test_by_frequency_warns_when_per_series_settings_go_unused():
    y = seasonal(600, "h", 24)
    small = RNNRegressor(hidden_size=4, max_iter=4)
    with pytest.warns(UserWarning, match=r"forecasts 'h' data with the pretrained network, "
                                         r"zero-shot, which does not use regressor=RNNRegressor"
                                         r".*n_networks=2\. Pass model='per_series'"):
        RNNForecaster(horizon=6, regressor=small, n_networks=2).fit(y)
    # Nothing to say: the defaults, settings the network uses, or a model that trains.
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        RNNForecaster(horizon=6, random_state=0, n_calibration=20).fit(y)
        RNNForecaster(horizon=6, regressor=small, n_networks=1, model="per_series").fit(
            seasonal(100, "D", 7))
        RNNForecaster(horizon=6, regressor=small, n_networks=1).fit(seasonal(100, "D", 7))


def test_settings_of_a_model_that_does_not_run_are_named():
    # Before, model="zero_shot" and n_networks=0 ignored them without a word.
    y = seasonal(120, "D", 7)
    small = RNNRegressor(hidden_size=4, max_iter=4)
    with pytest.warns(UserWarning, match=r"model='zero_shot' forecasts with the pretrained "
                                         r"network alone, which does not use n_networks=2, "
                                         r"early_stopping=False\. Pass model='per_series'"):
        RNNForecaster(horizon=6, model="zero_shot", n_networks=2, early_stopping=False).fit(y)
    with pytest.warns(UserWarning, match=r"n_networks=0 forecasts with the linear skip alone, "
                                         r"which does not use regressor=RNNRegressor.*, "
                                         r"max_windows_per_epoch=64\. Pass n_networks >= 1"):
        RNNForecaster(horizon=6, model="per_series", n_networks=0, regressor=small,
                      max_windows_per_epoch=64).fit(y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        RNNForecaster(horizon=6, model="zero_shot").fit(y)
        # The linear skip reads windows: strategy and the window cap are its own too.
        RNNForecaster(horizon=6, model="per_series", n_networks=0, strategy="recursive",
                      max_windows_per_series=50).fit(y)


def test_zero_shot_bounds_of_a_never_negative_series_stay_at_or_above_zero():
    # Hourly counts near 0: the network floors its forecast at 0, and now the
    # intervals and quantiles too (they went to -28 on PM2.5 before).
    rng = np.random.default_rng(0)
    hours = pd.date_range("2024-01-01", periods=800, freq="h")
    counts = pd.Series(rng.poisson(1.0 + np.sin(2 * np.pi * np.arange(800) / 24) ** 2),
                       index=hours, dtype=float)
    fitted = RNNForecaster(horizon=12).fit(counts)
    bounds = fitted.predict_interval(0.9)
    quantiles = fitted.predict_quantiles([0.05, 0.5, 0.95])
    assert fitted.method_ == "zero-shot"
    assert (bounds["lower"] >= 0).all() and (bounds["lower"] == 0).any()
    assert (quantiles.to_numpy() >= 0).all()
    # The unfloored bounds reach below 0: the floor is what keeps them there.
    radius = fitted.predict_interval(0.9)["upper"] - fitted.predict()
    assert ((fitted.predict() - radius) < 0).any()
    # One negative value in the history window: no floor.
    counts.iloc[-100] = -1.0
    lower = RNNForecaster(horizon=12).fit(counts).predict_interval(0.9)["lower"]
    assert (lower < 0).any()


def test_a_short_series_forecast_zero_shot_still_gets_intervals():
    # 60 hours, horizon 24: too short for a calibration model's windows, but
    # the pretrained network is only scored, so the origins are kept.
    hours = pd.date_range("2024-01-01", periods=60, freq="h")
    rng = np.random.default_rng(0)
    y = pd.Series(20 + 5 * np.sin(2 * np.pi * np.arange(60) / 24) + rng.normal(0, 1, 60),
                  index=hours)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "too short" warning
        fitted = RNNForecaster(horizon=24).fit(y)
    assert fitted.method_ == "zero-shot"
    assert fitted.calibration_errors_.shape == (10, 24)
    # Each error is the network's own from its origin: the last ten origins
    # whose 24 hours are known, 27 to 36 rows into the series.
    network = shipped_model()
    for k, origin in enumerate(range(27, 37)):
        forecast = network.forecast(y.to_numpy()[:origin], 24, 24)[0]
        # In units of the series' standard deviation; the float32 network
        # forecasts one context here, ten at once in fit.
        expected = (y.to_numpy()[origin:origin + 24] - forecast) / y.std(ddof=0)
        np.testing.assert_allclose(fitted.calibration_errors_[k], expected, rtol=1e-5,
                                   atol=1e-6)
    bounds = fitted.predict_interval(0.8)
    assert np.isfinite(bounds[["lower", "upper"]].to_numpy()).all()
    # The per-series model cannot calibrate on it, and says so.
    with pytest.warns(UserWarning, match="fewer than the 31 needed"):
        per_series = RNNForecaster(horizon=24, model="per_series", n_networks=0).fit(y)
    assert per_series.calibration_errors_ is None
    # The fewest rows fit accepts leave the network one origin to be scored from.
    assert RNNForecaster(horizon=24).fit(y.iloc[:25]).calibration_errors_.shape == (1, 24)


@pytest.mark.parametrize("freq, season, options, says", [
    ("h", 24, ["--no-backtest", "--cell", "lstm"],
     "--model per_series trains networks on the file, with the --cell and --verbose given)"),
    # Before, the warning about the unused regressor came twice, with its source line.
    ("MS", 12, ["--model", "zero_shot", "--verbose"],
     "zero-shot (no network trained; the --cell and --verbose given describe networks it "
     "does not train)"),
])
def test_cli_says_when_the_cell_given_trains_nothing(tmp_path, freq, season, options, says):
    path = tmp_path / "series.csv"
    seasonal(400, freq, season).rename("value").to_csv(path, index_label="time")
    result = subprocess.run(
        [sys.executable, "-m", "rnnforecast", "forecast", str(path), "--horizon", "6",
         *options], capture_output=True, text=True, check=True)
    assert says in result.stdout
    assert "Warning" not in result.stderr  # the fit line says it, once


def test_pretrained_network_is_calibrated_over_the_history_not_its_last_days():
    # Two hourly series alike in their last 300 hours, quiet, and unlike before:
    # one noisy, one quiet. The network's intervals come from origins spread
    # over the history, so the noisy one gets the wider bounds; from its last
    # 200 origins (before) both were about as narrow (widths 0.48 and 0.21).
    n = 3000
    rng = np.random.default_rng(0)
    hours = pd.date_range("2024-01-01", periods=n, freq="h")
    cycle = 10 + 3 * np.sin(2 * np.pi * np.arange(n) / 24)
    noise = rng.normal(0, 1.0, n)
    noise[-300:] *= 0.05
    widths = []
    for values in (cycle + noise, cycle + rng.normal(0, 0.05, n)):
        fitted = RNNForecaster(horizon=24, model="zero_shot").fit(pd.Series(values, hours))
        assert fitted.calibration_errors_.shape == (200, 24)
        bounds = fitted.predict_interval()
        widths.append(float((bounds["upper"] - bounds["lower"]).mean()))
    assert widths[0] > 8 * widths[1]
