"""The pretrained network fine-tuned on the series it forecasts:
rnnforecast.pretrained.fine_tuning and RNNForecaster(fine_tune=True)."""

import pickle
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from rnnforecast import RNNForecaster, RNNRegressor
from rnnforecast.pretrained import fine_tuning, shipped_model, training
from rnnforecast.pretrained.fine_tuning import FINE_TUNING, fine_tune, series_examples
from rnnforecast.pretrained.head import mix
from rnnforecast.pretrained.training import l1_loss, prepare

FEW_STEPS = FINE_TUNING._replace(steps=20)


def yearly_values(n=40, seed=0):
    """A trend that slows down, a random walk and noise: what the shipped
    network forecasts poorly zero-shot (its corpus is mostly stationary)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return 100 + np.cumsum(1.5 * 0.97 ** t) + np.cumsum(rng.normal(0, 0.5, n))


def yearly(n=40, seed=0):
    return pd.Series(yearly_values(n, seed),
                     index=pd.date_range("1980", periods=n, freq="YS"))


def monthly(n=120, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = 100 + 0.5 * t + 10 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 2, n)
    return pd.Series(values, index=pd.date_range("2010-01-01", periods=n, freq="MS"))


def example_loss(model, examples):
    """The pretraining loss of ``model`` on ``examples``, all at once."""
    data = prepare(examples, model)
    pred, _ = mix(model.network.forward(data.X, data.missing), data.baselines, data.floor)
    return l1_loss(pred, data.Y, data.mask)[0]


# --------------------------------------------------------------------------- #
# The examples
# --------------------------------------------------------------------------- #
def test_examples_are_every_origin_with_its_history_and_what_came_after():
    model = shipped_model()
    y = yearly_values(30)
    examples = series_examples(model, [y], 1, min_observed=8)
    L = model.history_length(1)
    assert examples.contexts.shape == (30 - 8, L) and examples.futures.shape == (22, model.h_max)
    # The first origin: 8 values before it, NaN-padded on the left.
    np.testing.assert_array_equal(examples.contexts[0, -8:], y[:8])
    assert np.isnan(examples.contexts[0, :-8]).all()
    np.testing.assert_array_equal(examples.futures[0, :22], y[8:])
    assert np.isnan(examples.futures[0, 22:]).all()
    # The last: every value but one before it, one after it.
    np.testing.assert_array_equal(examples.contexts[-1, -29:], y[:29])
    np.testing.assert_array_equal(examples.futures[-1, :1], y[29:])
    assert np.isnan(examples.futures[-1, 1:]).all()


def test_examples_of_many_series_are_laid_end_to_end_and_gaps_are_kept():
    model = shipped_model()
    first, second = yearly_values(20, seed=1), yearly_values(15, seed=2)
    second[10] = np.nan
    examples = series_examples(model, [first, second], 1, min_observed=8)
    assert len(examples.contexts) == (20 - 8) + (15 - 8)
    np.testing.assert_array_equal(examples.futures[12, :7], second[8:])
    assert np.isnan(examples.contexts[-1, -4])  # the gap (second[10]), read as missing


def test_long_series_give_their_latest_origins_up_to_max_examples():
    model = shipped_model()
    y = yearly_values(300)
    examples = series_examples(model, [y], 1, max_examples=100)
    assert len(examples.contexts) == 100
    np.testing.assert_array_equal(examples.contexts[0, -200:], y[:200])
    np.testing.assert_array_equal(examples.futures[-1, :1], y[-1:])
    # Shared evenly among many series: the last 50 origins of each.
    both = series_examples(model, [y, y[:150]], 1, max_examples=100)
    assert len(both.contexts) == 100
    np.testing.assert_array_equal(both.contexts[50, -100:], y[:100])


def test_a_series_too_short_for_an_example_leaves_the_model_as_it_is():
    model = shipped_model()
    assert len(series_examples(model, [yearly_values(8)], 1).contexts) == 0
    assert fine_tune(model, [yearly_values(8)], 1, seed=0) is model


# --------------------------------------------------------------------------- #
# fine_tune
# --------------------------------------------------------------------------- #
def test_fine_tuning_lowers_the_loss_on_the_series_and_leaves_the_model_alone():
    model = shipped_model()
    before = model.network.params.copy()
    series = [yearly_values(40, seed=3)]
    tuned = fine_tune(model, series, 1, seed=0, settings=FEW_STEPS)
    assert tuned is not model
    np.testing.assert_array_equal(model.network.params, before)
    assert not np.array_equal(tuned.network.params, before)
    assert tuned.network._workspaces == {}  # its training buffers freed
    examples = series_examples(model, series, 1)
    assert example_loss(tuned, examples) < 0.9 * example_loss(model, examples)


def test_fine_tuning_repeats_for_a_seed_and_differs_between_seeds():
    model = shipped_model()
    series = [yearly_values(40, seed=4)]
    first = fine_tune(model, series, 1, seed=7, settings=FEW_STEPS)
    again = fine_tune(model, series, 1, seed=7, settings=FEW_STEPS)
    other = fine_tune(model, series, 1, seed=8, settings=FEW_STEPS)
    np.testing.assert_array_equal(first.network.params, again.network.params)
    assert not np.array_equal(first.network.params, other.network.params)


def test_a_non_finite_step_ends_fine_tuning_with_a_warning(monkeypatch):
    model = shipped_model()
    calls = []

    def loss_turning_nan(pred, true, mask):
        calls.append(1)
        loss, grad = l1_loss(pred, true, mask)
        return (np.nan if len(calls) == 3 else loss), grad

    monkeypatch.setattr(training, "l1_loss", loss_turning_nan)
    with pytest.warns(RuntimeWarning, match="stopped at step 2 of 20"):
        tuned = fine_tune(model, [yearly_values(40)], 1, seed=0, settings=FEW_STEPS)
    assert len(calls) == 3
    assert np.isfinite(tuned.network.params).all()
    assert np.isfinite(tuned.forecast(yearly_values(40), 1, 6)).all()


# --------------------------------------------------------------------------- #
# RNNForecaster(fine_tune=True)
# --------------------------------------------------------------------------- #
def small(model, **kwargs):
    """A forecaster with small networks where ``model`` trains any."""
    if model != "zero_shot":
        network = RNNRegressor(hidden_size=4, max_iter=4, learning_rate_init=0.01)
        kwargs = {"regressor": network, "n_networks": 2, **kwargs}
    return RNNForecaster(horizon=6, random_state=0, model=model, **kwargs)


@pytest.fixture(scope="module")
def fitted_pair():
    """The same short trending series forecast zero-shot and fine-tuned."""
    y = yearly(40, seed=5)
    return (y, small("zero_shot").fit(y), small("zero_shot", fine_tune=True).fit(y))


def test_fine_tuned_forecaster_says_so_and_forecasts_with_the_tuned_network(fitted_pair):
    y, zero_shot, tuned = fitted_pair
    assert zero_shot.method_ == "zero-shot" and tuned.method_ == "fine-tuned"
    assert tuned.regressors_ == [] and tuned.linear_ is None
    network = fine_tune(shipped_model(), [y.to_numpy()], 1, seed=0)
    np.testing.assert_array_equal(tuned.predict().to_numpy(),
                                  network.forecast(y.to_numpy(), 1, 6)[0])
    assert not np.allclose(tuned.predict(), zero_shot.predict())
    assert tuned.predict().index.equals(zero_shot.predict().index)


@pytest.fixture
def fine_tunings(monkeypatch):
    """The series of every fine-tuning during the test, a list of arrays per call."""
    seen = []
    real = fine_tuning.fine_tune

    def spy(model, series, m, seed=None, settings=FINE_TUNING):
        seen.append([np.array(values) for values in series])
        return real(model, series, m, seed, settings)

    monkeypatch.setattr(fine_tuning, "fine_tune", spy)
    return seen


def test_the_backtest_scores_a_network_tuned_on_the_rows_before_its_origins(fine_tunings):
    y = yearly(40, seed=6)
    seen = fine_tunings
    fitted = small("zero_shot", fine_tune=True).fit(y)
    n_origins = len(fitted.calibration_errors_)
    # The calibration origins are the last ones with a complete future: the
    # first one's future starts n_origins + horizon - 1 rows before the end.
    first_future = len(y) - 6 - n_origins + 1
    assert len(seen) == 2  # the backtest's network, then the final one
    np.testing.assert_array_equal(seen[0][0], y.to_numpy()[:first_future])
    np.testing.assert_array_equal(seen[1][0], y.to_numpy())


def test_fine_tuned_intervals_come_from_its_own_backtest(fitted_pair):
    _, zero_shot, tuned = fitted_pair
    bounds = tuned.predict_interval(0.8)
    assert (bounds["lower"] < bounds["forecast"]).all()
    assert (bounds["forecast"] < bounds["upper"]).all()
    assert np.isfinite(tuned.calibration_errors_).all()
    assert not np.allclose(tuned.calibration_errors_, zero_shot.calibration_errors_)


def test_combined_fine_tuned_is_the_mean_of_the_model_and_the_tuned_network():
    y = monthly()
    per_series = small("per_series").fit(y)
    tuned = small("zero_shot", fine_tune=True).fit(y)
    combined = small("combined", fine_tune=True).fit(y)
    assert combined.method_ == "combined"
    np.testing.assert_allclose(combined.predict(), (per_series.predict() + tuned.predict()) / 2)
    np.testing.assert_allclose(
        combined.calibration_errors_,
        (per_series.calibration_errors_ + tuned.calibration_errors_) / 2)


def test_a_global_panel_is_fine_tuned_once_on_all_its_series():
    series = {"a": yearly(40, seed=7), "b": yearly(30, seed=8)}
    panel = small("zero_shot", fine_tune=True, many_series="global").fit(series)
    assert list(panel.method_) == ["fine-tuned", "fine-tuned"]
    network = fine_tune(shipped_model(), [s.to_numpy() for s in series.values()], 1, seed=0)
    for sid, y in series.items():
        np.testing.assert_array_equal(panel.predict(series=[sid]).to_numpy(),
                                      network.forecast(y.to_numpy(), 1, 6)[0])


def test_fine_tuned_fit_repeats_leaves_y_alone_and_pickles():
    # Longer than a minibatch (32 examples), so that the seed draws them.
    y = yearly(80, seed=9)
    before = y.copy()
    first = small("zero_shot", fine_tune=True).fit(y)
    pd.testing.assert_series_equal(y, before)
    again = small("zero_shot", fine_tune=True).fit(y)
    pd.testing.assert_series_equal(first.predict(), again.predict())
    restored = pickle.loads(pickle.dumps(first))
    pd.testing.assert_series_equal(restored.predict(), first.predict())
    other_seed = small("zero_shot", fine_tune=True).set_params(random_state=1).fit(y)
    assert not np.allclose(other_seed.predict(), first.predict())


def test_update_moves_the_origin_without_tuning_again():
    y = yearly(46, seed=10)
    tuned = small("zero_shot", fine_tune=True).fit(y.iloc[:-6])
    network = tuned._fitted.model.zero_shot.network
    tuned.update(y.iloc[-6:])
    assert tuned._fitted.model.zero_shot.network is network
    np.testing.assert_array_equal(tuned.predict().to_numpy(),
                                  network.forecast(y.to_numpy(), 1, 6)[0])


def test_fine_tune_where_no_pretrained_network_runs_warns_and_changes_nothing():
    y = monthly(60)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plain = small("per_series").fit(y)
    with pytest.warns(UserWarning, match="fine_tune=True has no effect: model='per_series'"):
        flagged = small("per_series", fine_tune=True).fit(y)
    assert flagged.method_ == "model"
    pd.testing.assert_series_equal(plain.predict(), flagged.predict())
    # The default forecasts monthly data per series.
    with pytest.warns(UserWarning, match="model='by_frequency' forecasts these data per"):
        small("by_frequency", fine_tune=True).fit(y)


def test_bad_values_of_fine_tune_are_refused():
    y = monthly(60)
    with pytest.raises(ValueError, match="fine_tune"):
        small("zero_shot", fine_tune="yes").fit(y)


def test_cli_fine_tune_says_which_model_ran(tmp_path):
    path = tmp_path / "population.csv"
    yearly(40).rename("population").to_csv(path, index_label="year")
    result = subprocess.run(
        [sys.executable, "-m", "rnnforecast", "forecast", str(path), "--horizon", "6",
         "--model", "zero_shot", "--fine-tune", "--quiet", "--no-backtest"],
        capture_output=True, text=True, check=True)
    assert "the pretrained network, fine-tuned on the file" in result.stdout


def test_cli_says_when_fine_tune_did_nothing(tmp_path):
    path = tmp_path / "population.csv"
    yearly(40).rename("population").to_csv(path, index_label="year")
    result = subprocess.run(
        [sys.executable, "-m", "rnnforecast", "forecast", str(path), "--horizon", "6",
         "--fine-tune", "--no-backtest"],
        capture_output=True, text=True, check=True)
    assert "--fine-tune did nothing: the pretrained network does not forecast this file" \
        in result.stdout
    assert "fine_tune=True has no effect" not in result.stderr


def test_an_outlier_is_read_as_missing_before_fine_tuning(fine_tunings):
    y = yearly(40, seed=11)
    spoiled = y.copy()
    spoiled.iloc[20] = 1e6
    seen = fine_tunings
    with pytest.warns(UserWarning, match="outlier"):
        fitted = small("zero_shot", fine_tune=True).fit(spoiled)
    assert all(np.isnan(values[0][20]) for values in seen)
    clean = small("zero_shot", fine_tune=True).fit(y)
    # One value of 1e6 in a series of about 130 moves the forecast by a few units at most.
    np.testing.assert_allclose(fitted.predict(), clean.predict(), atol=5)


def test_auto_and_the_hourly_default_choose_among_fine_tuned_methods():
    y = monthly(120, seed=12)
    auto = small("auto", fine_tune=True).fit(y)
    assert auto.method_ in ("model", "fine-tuned", "combined")
    # Its backtest errors are those of the method it chose.
    chosen = {"model": small("per_series"), "fine-tuned": small("zero_shot", fine_tune=True),
              "combined": small("combined", fine_tune=True)}[auto.method_].fit(y)
    np.testing.assert_allclose(auto.calibration_errors_, chosen.calibration_errors_)
    np.testing.assert_allclose(auto.predict(), chosen.predict())
    hours = pd.date_range("2024-01-01", periods=200, freq="h")
    hourly = pd.Series(20 + 3 * np.sin(2 * np.pi * np.arange(200) / 24)
                       + np.random.default_rng(0).normal(0, 0.3, 200), index=hours)
    assert RNNForecaster(horizon=12, random_state=0, fine_tune=True).fit(hourly).method_ \
        == "fine-tuned"


def test_auto_fine_tunes_the_final_network_only_for_a_series_it_forecasts(fine_tunings):
    # On these two series the backtest keeps the model, then the mean of both.
    kept_model = small("auto", fine_tune=True).fit(monthly(120, seed=0))
    assert kept_model.method_ == "model"
    assert len(fine_tunings) == 1  # the backtest's copy only
    kept_combined = small("auto", fine_tune=True).fit(monthly(120, seed=2))
    assert kept_combined.method_ == "combined"
    assert len(fine_tunings) == 3  # the backtest's copy, then the final one
