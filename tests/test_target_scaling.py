"""RNNRegressor's standardisation of targets and inputs: learned on the rows a
new network trains on (weighted), kept by partial_fit and warm starts, undone
in predict, missing steps left missing; off, the fit is the unscaled one."""

import numpy as np
import pytest
from sklearn.base import clone

from rnnforecast import RNNRegressor, RNNForecaster

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def raw_series_task(n=200, T=6, seed=0):
    """Sequences of values near 300 and a target near 300: a raw series."""
    rng = np.random.RandomState(seed)
    X = 300 + 40 * rng.standard_normal((n, T))
    return X, X[:, -1] + 0.5 * (X[:, -2] - 300)


def small(**params):
    defaults = dict(hidden_size=8, max_iter=40, learning_rate_init=0.01, random_state=0)
    return RNNRegressor(**{**defaults, **params})


def test_raw_values_in_the_hundreds_are_learned_by_default():
    X, y = raw_series_task()
    assert small().fit(X, y).score(X, y) > 0.9
    # The test can fail: unscaled, the network cannot reach values near 300.
    unscaled = small(standardize_target=False, standardize_inputs=False).fit(X, y)
    assert unscaled.score(X, y) < 0


def test_standardising_the_inputs_helps_on_raw_values():
    X, y = raw_series_task()
    targets_only = small(standardize_inputs=False).fit(X, y).score(X, y)
    assert small().fit(X, y).score(X, y) > targets_only


def test_statistics_are_those_of_each_target_column_and_each_step_feature():
    rng = np.random.RandomState(1)
    X = rng.standard_normal((50, 4, 2)) * [1.0, 10.0] + [5.0, -3.0]
    X[:5, :2] = np.nan  # missing steps are left out of the statistics
    y = np.column_stack([X[:, -1, 0] * 7 + 100, X[:, -1, 1]])
    model = small(max_iter=1).fit(X, y)
    present = X[~np.isnan(X).any(axis=2)]  # (steps, 2): every present step
    np.testing.assert_allclose(model.input_mean_, present.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(model.input_scale_, present.std(axis=0), rtol=1e-5)
    np.testing.assert_allclose(model.target_mean_, y.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(model.target_scale_, y.std(axis=0), rtol=1e-5)


def test_a_constant_column_gets_scale_one():
    X, y = raw_series_task(n=40)
    X[:, :] = 7.0
    model = small(max_iter=2).fit(X, np.full(40, 300.0))
    assert model.input_scale_.tolist() == [1.0] and model.target_scale_.tolist() == [1.0]
    np.testing.assert_allclose(model.predict(X[:3]), 300, rtol=0.05)


def test_partial_fit_and_warm_start_keep_the_statistics_of_the_first_fit():
    X, y = raw_series_task()
    model = small(max_iter=2).partial_fit(X[:100], y[:100])
    first = (model.input_mean_.copy(), model.target_mean_.copy(), model.target_scale_.copy())
    model.partial_fit(X[100:] + 50, y[100:] + 50)
    np.testing.assert_array_equal(model.input_mean_, first[0])
    np.testing.assert_array_equal(model.target_scale_, first[2])
    warm = small(max_iter=2, warm_start=True).fit(X[:100], y[:100])
    mean = warm.target_mean_.copy()
    warm.fit(X[100:] + 50, y[100:] + 50)
    np.testing.assert_array_equal(warm.target_mean_, mean)
    # ... and a new fit learns them anew (the test can fail)
    assert not np.array_equal(clone(warm).fit(X[100:] + 50, y[100:] + 50).target_mean_, mean)


@pytest.mark.parametrize("how", ["warm_start", "partial_fit"])
@pytest.mark.parametrize("name", ["standardize_target", "standardize_inputs", "step_order"])
def test_continuing_with_a_changed_standardisation_or_step_order_raises(how, name):
    X, y = raw_series_task(n=40)
    model = small(max_iter=1, warm_start=how == "warm_start").fit(X, y)
    value = "newest_first" if name == "step_order" else False
    model.set_params(**{name: value})
    with pytest.raises(ValueError, match=f"{name} from"):
        model.fit(X, y) if how == "warm_start" else model.partial_fit(X, y)


def test_early_stopping_learns_the_statistics_on_the_training_rows_only():
    X, y = raw_series_task(n=100)
    y[-20:] += 1000  # the held-out rows (and the gap before them) would shift the mean
    model = small(max_iter=2, early_stopping=True, validation_fraction=0.1).fit(X, y)
    n_train = 100 - 10 - (6 + 1 - 1)
    np.testing.assert_allclose(model.target_mean_, [y[:n_train].mean()], rtol=1e-6)


def test_off_the_estimator_has_no_statistics_and_predicts_the_network_output():
    X, y = raw_series_task(n=40)
    model = small(max_iter=2, standardize_target=False, standardize_inputs=False).fit(X, y)
    assert model.input_mean_ is None and model.target_mean_ is None
    X_time, missing, _ = model.to_time_major(X)
    np.testing.assert_array_equal(
        model.network_.astype(np.float64).forward(X_time, missing)[0], model.predict(X))


def test_nan_steps_stay_missing_with_standardised_inputs():
    X, y = raw_series_task(n=60)
    X[::3, :2] = np.nan
    model = small(max_iter=3).fit(X, y)
    padded = X[1:4].copy()
    padded[:, :2] = np.nan
    X_time, missing, _ = model.to_time_major(padded)
    assert missing[:2].all() and (X_time[:2] == 0).all()  # zero after scaling, not -mean/std
    # The test can fail: a step of value input_mean_ is present, not missing.
    at_mean = padded.copy()
    at_mean[:, :2] = model.input_mean_[0]
    assert not np.allclose(model.predict(at_mean), model.predict(padded))


@pytest.mark.parametrize("regressor", [None, RNNRegressor(hidden_size=4, max_iter=3)])
def test_the_forecasters_networks_do_not_standardise_its_normalised_windows(regressor):
    import pandas as pd
    y = pd.Series(np.sin(np.arange(80) / 3) * 50 + 300,
                  index=pd.date_range("2024-01-01", periods=80, freq="D"))
    forecaster = RNNForecaster(window=8, horizon=2, n_networks=1, n_calibration=0,
                               regressor=regressor, random_state=0).fit(y)
    network = forecaster.regressors_[0]
    assert network.target_mean_ is None and network.input_mean_ is None
    if regressor is not None:  # the forecaster's copy, not the user's estimator
        assert regressor.get_params()["standardize_target"] is True


@pytest.mark.parametrize("factor", [1e-30, 1e-12, 1e30])
def test_a_fit_in_small_or_large_units_is_the_same_fit(factor):
    # Standardised, the network sees the same numbers whatever the units, so
    # the predictions scale with y. (A spread below 2.2e-15 used to read as a
    # constant column, scale 1: y at 1e-30 was predicted at about 0.1.)
    X, y = raw_series_task(n=60)
    X, y = (X - 300) / 40, (y - 300) / 40
    reference = small(max_iter=5, dtype="float64").fit(X, y).predict(X[:5])
    scaled = small(max_iter=5, dtype="float64").fit(X * factor, y * factor)
    np.testing.assert_allclose(scaled.predict(X[:5] * factor) / factor, reference, rtol=1e-6)
    np.testing.assert_allclose(scaled.target_scale_, y.std() * factor, rtol=1e-9)


def test_a_column_of_small_values_is_not_read_as_constant():
    X, y = raw_series_task(n=40)
    X = 1e-20 * (X - 300)  # one step feature, spread about 4e-19
    model = small(max_iter=1, dtype="float64").fit(X, y)
    np.testing.assert_allclose(model.input_scale_, [X.std()], rtol=1e-9)


@pytest.mark.parametrize("dtype, X_factor, y_factor, name, says", [
    ("float32", 1e100, 1.0, "X", "beyond float32's largest number (3.4e+38) (dtype='float32'): "
                                 "pass dtype='float64', or rescale X by a constant factor"),
    ("float32", 1.0, 1e-60, "y", "below float32's smallest normal number (1.18e-38) "
                                 "(dtype='float32'): pass dtype='float64', or rescale y"),
    ("float64", 1e200, 1.0, "X", "whose squares overflow float64 when the network standardises "
                                 "them (dtype='float64'): rescale X by a constant factor"),
    ("float64", 1.0, 1e-200, "y", "whose squares underflow float64 when the network "
                                  "standardises them (dtype='float64'): rescale y"),
])
def test_values_the_training_cannot_hold_are_refused_with_the_fix(dtype, X_factor, y_factor,
                                                                   name, says):
    X, y = raw_series_task(n=30)
    X, y = X * X_factor, y * y_factor
    before = (X.copy(), y.copy())
    with pytest.raises(ValueError, match=rf"^{name} holds values ") as caught:
        small(max_iter=1, dtype=dtype).fit(X, y)
    assert says in str(caught.value)
    np.testing.assert_array_equal(X, before[0])  # inputs are never mutated
    np.testing.assert_array_equal(y, before[1])
