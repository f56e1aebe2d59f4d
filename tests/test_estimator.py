"""RNNRegressor's behaviour: layouts, shapes, reproducibility, incremental
fitting, early stopping, divergence, validation errors, missing steps,
truncated BPTT, and life inside scikit-learn's meta-estimators.

Every fit is tiny (a handful of hidden units, epochs and rows)."""

import math
import pickle
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from rnnforecast import RNNRegressor
from rnnforecast._core.batches import ArrayBatches
from rnnforecast._core.recurrent import RecurrentNetwork
from rnnforecast._core.time_major import to_time_major

CELLS = ["rnn", "gru", "lstm"]
GATES = {"rnn": 1, "gru": 3, "lstm": 4}

# Small, quick, and deterministic; convergence warnings are expected with
# so few epochs and are tested on their own.
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def tiny(**params):
    defaults = dict(hidden_size=4, max_iter=5, random_state=0, learning_rate_init=0.01)
    defaults.update(params)
    return RNNRegressor(**defaults)


def make_data(n=40, T=5, F=1, n_outputs=None, seed=0):
    """X (n, T, F), and y a function of the last steps (1-D or (n, n_outputs))."""
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((n, T, F))
    base = X[:, -1, 0] + 0.5 * X[:, -2, -1]
    if n_outputs is None:
        return X, base
    return X, np.column_stack([base * (k + 1) + 0.1 * k for k in range(n_outputs)])


def flat(X3):
    """(n, T, F) -> (n, T * F), time-major: step 0's features first."""
    return X3.reshape(X3.shape[0], -1)


# -- layout and shapes ------------------------------------------------------

@pytest.mark.parametrize("cell", CELLS)
def test_2d_time_major_input_equals_3d_input(cell):
    X3, y = make_data(T=4, F=3)
    X2 = flat(X3)
    assert np.array_equal(X2[:, 3:6], X3[:, 1, :])  # the layout under test
    m2 = tiny(cell=cell, n_step_features=3).fit(X2, y)
    m3 = tiny(cell=cell).fit(X3, y)
    assert (m2.n_steps_, m2.n_step_features_) == (m3.n_steps_, m3.n_step_features_) == (4, 3)
    assert m2.n_features_in_ == m3.n_features_in_ == 12
    p2, p3 = m2.predict(X2), m3.predict(X3)
    assert np.array_equal(p2, p3)
    # Each model takes the other layout too.
    assert np.array_equal(m2.predict(X3), p2)
    assert np.array_equal(m3.predict(X2), p3)
    assert m2.weights_["W_xh_0"].shape[1] == 3  # three inputs per step, not one


def test_n_step_features_is_ignored_for_3d_input():
    X3, y = make_data(T=4, F=2)
    a = tiny(n_step_features=1).fit(X3, y)
    b = tiny(n_step_features=4).fit(X3, y)
    assert a.n_step_features_ == b.n_step_features_ == 2
    assert np.array_equal(a.predict(X3), b.predict(X3))


@pytest.mark.parametrize("y_shape", ["1d", "2d", "column"])
def test_prediction_has_the_shape_of_y(y_shape):
    X, y1 = make_data()
    _, y3 = make_data(n_outputs=3)
    y = {"1d": y1, "2d": y3, "column": y1[:, None]}[y_shape]
    m = tiny().fit(flat(X), y)
    pred = m.predict(flat(X))
    assert pred.shape == y.shape
    assert pred.dtype == np.float64
    assert m.n_outputs_ == (1 if y.ndim == 1 else y.shape[1])
    assert np.isfinite(m.score(flat(X), y))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dtype_sets_the_weights_precision_and_predictions_are_float64(dtype):
    X, y = make_data()
    m = tiny(dtype=dtype).fit(flat(X), y)
    assert all(w.dtype == np.dtype(dtype) for w in m.weights_.values())
    assert m.predict(flat(X)).dtype == np.float64


def test_float32_is_the_default_dtype():
    assert RNNRegressor().dtype == "float32"
    X, y = make_data()
    m = tiny().fit(flat(X), y)
    assert all(w.dtype == np.float32 for w in m.weights_.values())


# -- reproducibility, pickling, cloning -------------------------------------

@pytest.mark.parametrize("cell", CELLS)
def test_same_random_state_gives_bit_identical_predictions(cell):
    X, y = make_data(n=50)
    a = tiny(cell=cell, random_state=3).fit(flat(X), y).predict(flat(X))
    b = tiny(cell=cell, random_state=3).fit(flat(X), y).predict(flat(X))
    c = tiny(cell=cell, random_state=4).fit(flat(X), y).predict(flat(X))
    assert np.array_equal(a, b)
    assert not np.allclose(a, c)


def test_refit_gives_the_same_model():
    X, y = make_data()
    m = tiny(random_state=1)
    a = m.fit(flat(X), y).predict(flat(X))
    b = m.fit(flat(X), y).predict(flat(X))
    assert np.array_equal(a, b)


def test_shuffle_changes_the_batches():
    X, y = make_data()
    a = tiny(shuffle=False, batch_size=8).fit(flat(X), y).predict(flat(X))
    b = tiny(shuffle=True, batch_size=8).fit(flat(X), y).predict(flat(X))
    assert not np.allclose(a, b)  # shuffling changes the batches


@pytest.mark.parametrize("cell", CELLS)
def test_pickle_round_trip_keeps_predictions(cell):
    X, y = make_data(n_outputs=2)
    m = tiny(cell=cell, num_layers=2).fit(flat(X), y)
    restored = pickle.loads(pickle.dumps(m))
    assert np.array_equal(restored.predict(flat(X)), m.predict(flat(X)))
    assert restored.score(flat(X), y) == m.score(flat(X), y)
    # The restored model can keep training.
    restored.partial_fit(flat(X), y)
    assert restored.n_iter_ == m.n_iter_ + 1


def test_clone_gives_an_unfitted_copy_that_refits_identically():
    X, y = make_data()
    m = tiny(cell="lstm", hidden_size=3, random_state=7).fit(flat(X), y)
    c = clone(m)
    assert c.get_params() == m.get_params()
    assert not hasattr(c, "n_iter_")
    assert np.array_equal(c.fit(flat(X), y).predict(flat(X)), m.predict(flat(X)))


# -- partial_fit and warm_start ---------------------------------------------

def test_partial_fit_initialises_then_continues():
    X, y = make_data(n=60)
    X2 = flat(X)
    m = tiny()
    m.partial_fit(X2, y)
    assert (m.n_iter_, m.t_, len(m.loss_curve_)) == (1, 60, 1)
    for k in range(2, 16):
        m.partial_fit(X2, y)
        assert (m.n_iter_, m.t_, len(m.loss_curve_)) == (k, 60 * k, k)
    assert m.loss_curve_[-1] < 0.7 * m.loss_curve_[0]
    # A smaller batch counts its own rows.
    m.partial_fit(X2[:10], y[:10])
    assert (m.n_iter_, m.t_) == (16, 60 * 15 + 10)


def test_partial_fit_with_a_different_number_of_features_raises():
    X, y = make_data(T=5)
    m = tiny().partial_fit(flat(X), y)
    with pytest.raises(ValueError):
        m.partial_fit(flat(X)[:, :4], y)
    with pytest.raises(ValueError):
        m.partial_fit(np.hstack([flat(X), flat(X)[:, :1]]), y)


def test_partial_fit_does_not_warn_about_max_iter():
    X, y = make_data()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        tiny(max_iter=1).partial_fit(flat(X), y).partial_fit(flat(X), y)


def test_warm_start_continues_from_the_previous_weights():
    X, y = make_data(n=80)
    m = tiny(max_iter=5).fit(flat(X), y)
    first_fit_first_loss = m.loss_curve_[0]
    n_first = len(m.loss_curve_)
    m.set_params(warm_start=True).fit(flat(X), y)
    assert m.n_iter_ == 10 and len(m.loss_curve_) == 10
    second_fit_first_loss = m.loss_curve_[n_first]
    assert second_fit_first_loss < 0.8 * first_fit_first_loss
    # Without warm_start, fit starts over from the same initial weights.
    m.set_params(warm_start=False).fit(flat(X), y)
    assert m.n_iter_ == 5 and m.loss_curve_[0] == first_fit_first_loss


def test_warm_start_with_a_changed_hidden_size_raises():
    X, y = make_data()
    m = tiny(hidden_size=4).fit(flat(X), y)
    m.set_params(warm_start=True, hidden_size=6)
    with pytest.raises(ValueError, match="hidden_size"):
        m.fit(flat(X), y)


@pytest.mark.parametrize("how", ["warm_start", "partial_fit"])
def test_continuing_with_a_changed_n_step_features_is_not_silently_ignored(how):
    """Changing n_step_features changes the network's input size, like
    hidden_size does; continuing must either raise or apply it, never keep
    the old layout while get_params reports the new one."""
    X, y = make_data(T=6, F=1)
    X2 = flat(X)
    m = tiny(n_step_features=1)
    if how == "warm_start":
        m.fit(X2, y)
        m.set_params(warm_start=True, n_step_features=2)
        continue_ = m.fit
    else:
        m.partial_fit(X2, y)
        m.set_params(n_step_features=2)
        continue_ = m.partial_fit
    try:
        continue_(X2, y)
    except ValueError as error:
        assert "n_step_features" in str(error)
    else:
        assert m.n_step_features_ == 2, (
            f"n_step_features=2 was set but the model still reads "
            f"{m.n_step_features_} feature(s) per step"
        )


# -- early stopping ---------------------------------------------------------

@pytest.mark.parametrize("n_outputs", [None, 2])
def test_early_stopping_validates_on_the_most_recent_rows_and_restores_the_best(n_outputs):
    n, T = 60, 3
    rng = np.random.RandomState(0)
    X = rng.standard_normal((n, T))
    base = X.sum(axis=1) + rng.standard_normal(n)  # noisy: validation R^2 peaks early
    y = base if n_outputs is None else np.column_stack([base, 0.5 * base])
    m = RNNRegressor(hidden_size=8, max_iter=200, random_state=0, learning_rate_init=0.05,
                     early_stopping=True, validation_fraction=0.2, n_iter_no_change=3, tol=1e-3)
    m.fit(X, y)
    n_val = max(2, math.ceil(0.2 * n))
    gap = T + (1 if n_outputs is None else n_outputs) - 1
    assert m.n_iter_ < 200  # stopped early, so the best epoch was not the last
    assert len(m.validation_scores_) == m.n_iter_
    assert m.best_validation_score_ == max(m.validation_scores_)
    assert int(np.argmax(m.validation_scores_)) < m.n_iter_ - 1
    assert m.t_ == m.n_iter_ * (n - n_val - gap)
    # The restored model scores best_validation_score_ on the last n_val rows
    # (training-precision predictions in fit, float64 in score).
    assert m.score(X[-n_val:], y[-n_val:]) == pytest.approx(m.best_validation_score_, abs=1e-4)


def test_early_stopping_minimum_validation_size_is_two_rows():
    n, T = 30, 2
    X, y = make_data(n=n, T=T)
    m = tiny(early_stopping=True, validation_fraction=0.01, max_iter=3).fit(flat(X), y)
    assert m.t_ == m.n_iter_ * (n - 2 - (T + 1 - 1))
    assert m.score(flat(X)[-2:], y[-2:]) == pytest.approx(m.best_validation_score_, abs=1e-4)


def test_early_stopping_with_too_few_rows_raises():
    X, y = make_data(n=5, T=3)  # n_val = 2, gap = 3: nothing left to train on
    with pytest.raises(ValueError, match="validation_fraction"):
        tiny(early_stopping=True, validation_fraction=0.1).fit(flat(X), y)


def test_partial_fit_ignores_early_stopping():
    X, y = make_data(n=20)
    m = tiny(early_stopping=True).partial_fit(flat(X), y)
    assert m.t_ == 20


# -- divergence, verbosity, convergence -------------------------------------

@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("case", ["relu_huge_lr", "huge_inputs", "huge_lr_one_batch_per_epoch"])
def test_divergence_warns_and_keeps_finite_weights(cell, case):
    rng = np.random.RandomState(0)
    X = rng.standard_normal((40, 5))
    y = X.sum(axis=1)
    params = dict(cell=cell, hidden_size=4, solver="sgd", clip_norm=None, max_iter=10,
                  random_state=0, batch_size=8)
    if case == "relu_huge_lr":
        params.update(activation="relu", learning_rate_init=1e3)
    elif case == "huge_inputs":
        params.update(learning_rate_init=1e3)
        X, y = X * 1e20, y * 1e20
    else:
        # One batch per epoch: the update that overflows the weights is the
        # last of its epoch; the next epoch's loss is NaN.
        params.update(learning_rate_init=1e30, batch_size=40)
        X, y = X * 1e10, y * 1e10
    m = RNNRegressor(**params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy overflow on the way
        with pytest.warns(ConvergenceWarning, match="diverged"):
            m.fit(X, y)
    assert m.diverged_ is True
    for name, w in m.weights_.items():
        assert np.isfinite(w).all(), f"{name} holds non-finite values after divergence"
    assert np.isfinite(m.predict(X)).all()


def test_a_healthy_fit_does_not_diverge():
    X, y = make_data()
    assert tiny().fit(flat(X), y).diverged_ is False


def test_verbose_prints_one_line_per_epoch(capsys):
    X, y = make_data(n=30)
    m = tiny(verbose=True, max_iter=4, batch_size=8, clip_norm=0.05, tol=0, n_iter_no_change=100)
    m.fit(flat(X), y)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == m.n_iter_ == 4
    n_batches = math.ceil(30 / 8)
    for epoch, line in enumerate(lines):
        assert "loss" in line and "grad norm" in line and "clipped" in line
        loss = float(re.search(r"loss\D*?([-+0-9.eE]+)", line).group(1))
        assert loss == pytest.approx(m.loss_curve_[epoch], rel=1e-4)
        norm = float(re.search(r"grad norm\D*?([-+0-9.eE]+)", line).group(1))
        assert norm == pytest.approx(m.grad_norm_curve_[epoch], rel=1e-2)
        clipped, total = map(int, re.search(r"clipped\D*?(\d+)\s*/\s*(\d+)", line).groups())
        assert total == n_batches
        assert clipped / total == pytest.approx(m.clipped_curve_[epoch])
    # A tiny clip_norm clips (nearly) every update.
    assert sum(int(re.search(r"clipped\D*?(\d+)", ln).group(1)) for ln in lines) > 0


def test_silent_by_default(capsys):
    X, y = make_data()
    tiny().fit(flat(X), y)
    assert capsys.readouterr().out == ""


def test_reaching_max_iter_warns():
    X, y = make_data()
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        tiny(max_iter=2, tol=0, n_iter_no_change=100).fit(flat(X), y)


def test_stopping_on_no_improvement_does_not_warn():
    X, y = make_data()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        m = tiny(max_iter=500, tol=1e3, n_iter_no_change=2).fit(flat(X), y)
    # Epoch 1 improves on inf; epochs 2-4 do not, and the third of them
    # exceeds n_iter_no_change (as in MLPRegressor).
    assert m.n_iter_ == 4


# -- validation -------------------------------------------------------------

@pytest.mark.parametrize(
    "name, value",
    [
        ("cell", "transformer"),
        ("hidden_size", 0),
        ("hidden_size", 2.5),
        ("num_layers", 0),
        ("activation", "sigmoid"),
        ("n_step_features", 0),
        ("solver", "lbfgs"),
        ("learning_rate_init", 0.0),
        ("learning_rate_init", -0.1),
        ("momentum", 1.5),
        ("batch_size", 0),
        ("max_iter", 0),
        ("tol", -1.0),
        ("n_iter_no_change", 0),
        ("early_stopping", "yes"),
        ("validation_fraction", 1.5),
        ("validation_fraction", 0.0),
        ("alpha", -1.0),
        ("clip_norm", -1),
        ("clip_norm", 0),
        ("bptt_steps", 0),
        ("shuffle", "no"),
        ("random_state", "seed"),
        ("warm_start", 2),
        ("dtype", "float16"),
    ],
)
def test_bad_parameter_raises_naming_the_parameter_and_value(name, value):
    X, y = make_data(n=20)
    with pytest.raises(ValueError) as error:
        tiny(**{name: value}).fit(flat(X), y)
    message = str(error.value)
    assert name in message and repr(value) in message, message


def test_inf_in_X_raises():
    X, y = make_data()
    X2 = flat(X).copy()
    X2[3, 2] = np.inf
    with pytest.raises(ValueError):
        tiny().fit(X2, y)
    m = tiny().fit(flat(X), y)
    with pytest.raises(ValueError):
        m.predict(X2)
    X2[3, 2] = -np.inf
    with pytest.raises(ValueError):
        m.predict(X2)


def test_columns_not_a_multiple_of_n_step_features_raise():
    X, y = make_data(T=5)
    with pytest.raises(ValueError, match="n_step_features"):
        tiny(n_step_features=2).fit(flat(X), y)


def test_4d_input_raises():
    X, y = make_data()
    X4 = X[:, :, :, None]
    with pytest.raises(ValueError):
        tiny().fit(X4, y)
    m = tiny().fit(X, y)
    with pytest.raises(ValueError):
        m.predict(X4)


def test_predict_with_a_different_step_layout_raises():
    X, y = make_data(T=4, F=2)
    m = tiny().fit(X, y)
    # Same total columns (8), different features per step.
    with pytest.raises(ValueError):
        m.predict(X.reshape(len(X), 2, 4))
    # A different number of steps.
    with pytest.raises(ValueError):
        m.predict(np.concatenate([X, X[:, :1]], axis=1))
    with pytest.raises(ValueError):
        m.predict(flat(X)[:, :6])


def test_predict_before_fit_raises():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        RNNRegressor().predict(np.zeros((2, 3)))


# -- inputs are never modified ----------------------------------------------

@pytest.mark.parametrize("kind", ["2d", "3d", "dataframe"])
def test_inputs_are_never_modified(kind):
    X, y = make_data(n=30, T=4, F=2, n_outputs=2)
    X[0, :2] = np.nan  # left padding
    X[5, 2, 1] = np.nan  # one feature of a step
    X_in = {"2d": flat(X), "3d": X,
            "dataframe": pd.DataFrame(flat(X), columns=[f"c{i}" for i in range(8)])}[kind]
    y_in = y.copy()
    X_copy = X_in.copy()
    y_copy = y_in.copy()
    m = tiny(n_step_features=2, dtype="float64")
    m.fit(X_in, y_in)
    m.partial_fit(X_in, y_in)
    m.predict(X_in)
    m.score(X_in, y_in)
    m.set_params(warm_start=True, early_stopping=True, validation_fraction=0.2).fit(X_in, y_in)
    if kind == "dataframe":
        pd.testing.assert_frame_equal(X_in, X_copy)
    else:
        np.testing.assert_array_equal(X_in, X_copy)
    np.testing.assert_array_equal(y_in, y_copy)


# -- missing steps ----------------------------------------------------------

def _network_of(model):
    """A float64 core network holding the model's learned weights."""
    weights = model.weights_
    net = RecurrentNetwork(model.cell, model.n_step_features_, model.hidden_size,
                           model.num_layers, model.n_outputs_, model.activation,
                           dtype=np.float64)
    for name, w in weights.items():
        net.weights[name][...] = w
    return net


def _network_predict(net, X3, model):
    """The core network's predictions for ``X3`` standardised as the model
    learned (missing steps still zero), in the units of the model's targets."""
    X_time, missing = to_time_major(X3, np.float64)
    X_time = (X_time - model.input_mean_[:, None]) / model.input_scale_[:, None]
    if missing is not None:
        X_time[np.broadcast_to(missing[:, None, :], X_time.shape)] = 0
    return net.forward(X_time, missing).T * model.target_scale_ + model.target_mean_


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("num_layers", [1, 2])
def test_nan_padded_rows_predict_as_the_shorter_sequence(cell, num_layers):
    X, y = make_data(n=40, T=6, F=2, n_outputs=2, seed=1)
    X[::3, :2] = np.nan  # some training rows are shorter
    m = tiny(cell=cell, num_layers=num_layers, max_iter=3).fit(X, y)
    net = _network_of(m)
    rng = np.random.RandomState(5)
    for pad in (1, 3, 5):
        short = rng.standard_normal((4, 6 - pad, 2))
        padded = np.concatenate([np.full((4, pad, 2), np.nan), short], axis=1)
        pred = m.predict(padded)
        np.testing.assert_allclose(pred, _network_predict(net, short, m), rtol=1e-10, atol=1e-12)
        # and the 2-D time-major form of the same rows
        np.testing.assert_array_equal(m.predict(flat(padded)), pred)
        # The test can fail: zero padding is a different input.
        zeros = np.concatenate([np.zeros((4, pad, 2)), short], axis=1)
        assert not np.allclose(m.predict(zeros), pred)


@pytest.mark.parametrize("cell", CELLS)
def test_a_nan_in_any_feature_makes_the_whole_step_missing(cell):
    X, y = make_data(n=30, T=5, F=3, seed=2)
    m = tiny(cell=cell, max_iter=3).fit(X, y)
    rng = np.random.RandomState(6)
    Z = rng.standard_normal((6, 5, 3))
    whole = Z.copy()
    whole[:, 2, :] = np.nan
    expected = m.predict(whole)
    for feature in range(3):
        one = Z.copy()
        one[:, 2, feature] = np.nan
        np.testing.assert_array_equal(m.predict(one), expected)
    # ... and a missing step is the step removed.
    removed = np.delete(Z, 2, axis=1)
    np.testing.assert_allclose(expected, _network_predict(_network_of(m), removed, m)[:, 0],
                               rtol=1e-10, atol=1e-12)
    assert not np.allclose(m.predict(Z), expected)


@pytest.mark.parametrize("standardize_target", [False, True])
def test_an_all_missing_row_predicts_the_head_bias(standardize_target):
    X, y = make_data(n=30, T=4)
    m = tiny(cell="gru", standardize_target=standardize_target).fit(flat(X), y + 5)
    pred = m.predict(np.full((2, 4), np.nan))
    bias = m.weights_["b_y"].astype(np.float64)
    if standardize_target:
        bias = bias * m.target_scale_ + m.target_mean_
    np.testing.assert_allclose(pred, np.repeat(bias, 2), rtol=1e-6)


# -- truncated BPTT ---------------------------------------------------------

def _lag_task(n, T, lag, seed):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, (n, T))
    return X, X[:, T - 1 - lag].copy()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_truncated_bptt_cannot_learn_a_lag_beyond_its_window(seed):
    """"Output the value seen 5 steps ago" from 8-step sequences: with the
    gradient cut after 1 step the GRU cannot learn to carry the value, with
    full BPTT it can. Measured over seeds 0-9 (GRU, 8 units, 40 epochs, 400
    rows): bptt_steps=1 test R^2 0.03-0.37, full BPTT 0.984-0.995."""
    T, lag, n = 8, 5, 400
    X, y = _lag_task(n + 500, T, lag, seed)
    params = dict(cell="gru", hidden_size=8, max_iter=40, learning_rate_init=0.01,
                  random_state=seed, tol=0, n_iter_no_change=1000)
    full = RNNRegressor(bptt_steps=None, **params).fit(X[:n], y[:n])
    truncated = RNNRegressor(bptt_steps=1, **params).fit(X[:n], y[:n])
    assert full.score(X[n:], y[n:]) > 0.9
    assert truncated.score(X[n:], y[n:]) < 0.6


def test_bptt_steps_at_least_the_sequence_length_is_full_bptt():
    X, y = make_data(T=5)
    full = tiny(bptt_steps=None).fit(flat(X), y).predict(flat(X))
    assert np.array_equal(tiny(bptt_steps=5).fit(flat(X), y).predict(flat(X)), full)
    assert np.array_equal(tiny(bptt_steps=50).fit(flat(X), y).predict(flat(X)), full)
    assert not np.allclose(tiny(bptt_steps=2).fit(flat(X), y).predict(flat(X)), full)


# -- learned weights --------------------------------------------------------

@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("num_layers", [1, 2])
def test_weights_have_the_documented_shapes(cell, num_layers):
    F, H, O = 3, 4, 2
    X, y = make_data(T=3, F=F, n_outputs=O)
    m = tiny(cell=cell, hidden_size=H, num_layers=num_layers, max_iter=1).fit(X, y)
    GH = GATES[cell] * H
    expected = {"W_hy": (O, H), "b_y": (O,)}
    for layer in range(num_layers):
        expected[f"W_xh_{layer}"] = (GH, F if layer == 0 else H)
        expected[f"W_hh_{layer}"] = (GH, H)
        expected[f"b_{layer}"] = (GH,)
    assert {name: w.shape for name, w in m.weights_.items()} == expected


def test_weights_are_a_copy():
    X, y = make_data()
    m = tiny().fit(flat(X), y)
    before = m.predict(flat(X))
    weights = m.weights_
    for w in weights.values():
        w[...] = 0
    assert np.array_equal(m.predict(flat(X)), before)
    assert any(np.any(w != 0) for w in m.weights_.values())


# -- scikit-learn integration -----------------------------------------------

def _series_windows(n=80, T=6, seed=0):
    """Consecutive windows of one noisy sine, time-major, and the next value."""
    rng = np.random.RandomState(seed)
    s = np.sin(np.arange(n + T) * 0.3) * 5 + 20 + 0.1 * rng.standard_normal(n + T)
    X = np.lib.stride_tricks.sliding_window_view(s[:-1], T)[:n].copy()
    return X, s[T:T + n].copy()


def test_pipeline_with_standard_scaler():
    X, y = _series_windows()
    X[0, :2] = np.nan
    y = (y - 20) / 5
    pipe = make_pipeline(StandardScaler(), tiny(hidden_size=6, max_iter=30))
    pipe.fit(X, y)
    pred = pipe.predict(X)
    assert pred.shape == y.shape and np.isfinite(pred).all()
    assert pipe.score(X, y) > 0.5


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_grid_search_with_time_series_split(n_jobs):
    X, y = _series_windows()
    search = GridSearchCV(
        make_pipeline(StandardScaler(), tiny(max_iter=3)),
        {"rnnregressor__hidden_size": [2, 4], "rnnregressor__cell": ["rnn", "gru"]},
        cv=TimeSeriesSplit(n_splits=3), n_jobs=n_jobs,
    )
    search.fit(X, y)
    assert set(search.best_params_) == {"rnnregressor__hidden_size", "rnnregressor__cell"}
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.predict(X).shape == y.shape


def test_grid_search_results_do_not_depend_on_n_jobs():
    X, y = _series_windows()
    scores = []
    for n_jobs in (1, 2):
        search = GridSearchCV(tiny(max_iter=3), {"hidden_size": [2, 3]},
                              cv=TimeSeriesSplit(n_splits=2), n_jobs=n_jobs).fit(X - 20, y - 20)
        scores.append(search.cv_results_["mean_test_score"])
    np.testing.assert_array_equal(scores[0], scores[1])


def test_cross_val_score():
    X, y = _series_windows()
    scores = cross_val_score(tiny(max_iter=3), X - 20, y - 20, cv=TimeSeriesSplit(n_splits=3))
    assert scores.shape == (3,) and np.isfinite(scores).all()


def test_feature_names_in_for_dataframes():
    X, y = make_data(T=3, F=2)
    columns = [f"{name}[t-{lag}]" for lag in (2, 1, 0) for name in ("temp", "load")]
    df = pd.DataFrame(flat(X), columns=columns)
    m = tiny(n_step_features=2).fit(df, pd.Series(y, name="target"))
    np.testing.assert_array_equal(m.feature_names_in_, columns)
    plain = tiny(n_step_features=2).fit(flat(X), y)
    assert np.array_equal(m.predict(df), plain.predict(flat(X)))
    assert not hasattr(tiny().fit(flat(X), y), "feature_names_in_")


# -- batch sources and the documented views of the fitted network ------------

def _batches_of(X, y, dtype="float32"):
    """An ArrayBatches of the arrays, in the layout fit converts them to."""
    X_time, missing = to_time_major(X, np.dtype(dtype))
    Y = np.asarray(y, dtype).reshape(len(y), -1).T.copy()
    return ArrayBatches(X_time, missing, Y)


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("n_outputs", [None, 3])
@pytest.mark.parametrize("params", [
    dict(), dict(dtype="float64", early_stopping=True, bptt_steps=3, num_layers=2),
    dict(solver="sgd", shuffle=False, standardize_inputs=True, standardize_target=False),
])
def test_fit_batches_on_array_batches_equals_fit(cell, n_outputs, params):
    X, y = make_data(n=60, T=6, F=2, n_outputs=n_outputs, seed=2)
    X[::4, :2] = np.nan  # left-padded rows
    model = tiny(cell=cell, **params)
    fitted = clone(model).fit(X, y)
    on_batches = clone(model).fit_batches(_batches_of(X, y, model.dtype))
    np.testing.assert_array_equal(on_batches.predict(X), fitted.predict(X))
    # float64 arrays, cast batch by batch, fit the same
    documented = clone(model).fit_batches(_batches_of(X, y, "float64"))
    np.testing.assert_array_equal(documented.predict(X), fitted.predict(X))
    assert on_batches.loss_curve_ == fitted.loss_curve_
    assert (on_batches.n_steps_, on_batches.n_step_features_, on_batches.n_features_in_) == (
        6, 2, 12)
    fitted.partial_fit(X[:30], y[:30])
    on_batches.partial_fit_batches(_batches_of(X[:30], y[:30], model.dtype))
    np.testing.assert_array_equal(on_batches.predict(X), fitted.predict(X))


def test_partial_fit_batches_from_scratch_equals_partial_fit():
    X, y = make_data(n=50, T=5, F=1, n_outputs=2)
    by_arrays, by_batches = tiny(), tiny()
    for _ in range(3):
        by_arrays.partial_fit(X, y)
        by_batches.partial_fit_batches(_batches_of(X, y))
    np.testing.assert_array_equal(by_batches.predict(X), by_arrays.predict(X))
    assert by_batches.n_iter_ == 3


def test_partial_fit_batches_validates_the_parameters_on_the_call_that_starts(monkeypatch):
    """As scikit-learn's partial_fit: once, not every epoch."""
    from sklearn.utils._param_validation import InvalidParameterError

    X, y = make_data(n=40, T=5, F=1)
    with pytest.raises(InvalidParameterError, match="alpha"):
        tiny(alpha=-1.0).partial_fit_batches(_batches_of(X, y))
    calls = []
    real = RNNRegressor._validate_params
    monkeypatch.setattr(RNNRegressor, "_validate_params",
                        lambda self: calls.append(1) or real(self))
    model = tiny()
    for _ in range(3):
        model.partial_fit_batches(_batches_of(X, y))
    assert len(calls) == 1 and model.n_iter_ == 3
    model.fit_batches(_batches_of(X, y))  # a new fit validates again
    assert len(calls) == 2


@pytest.mark.parametrize("params", [
    dict(), dict(n_outputs=3, step_order="newest_first", standardize_inputs=True),
    dict(dtype="float64", standardize_target=True),
])
def test_predict_windows_is_predict_without_the_checks(params):
    n_outputs = params.pop("n_outputs", None)
    X, y = make_data(n=50, T=6, F=2, n_outputs=n_outputs, seed=4)
    X[::5, :4] = np.nan
    model = tiny(**params).fit(X, y)
    windows = X.reshape(len(X), -1)  # as the forecaster builds them
    np.testing.assert_array_equal(model._predict_windows(windows), model.predict(X))


@pytest.mark.parametrize("n_outputs, shape", [(1, (40,)), (2, (40, 2))])
def test_fit_batches_predicts_2d_exactly_with_several_outputs(n_outputs, shape):
    X, y = make_data(n=40, n_outputs=n_outputs)  # y is 2-D either way
    model = tiny(max_iter=1).fit_batches(_batches_of(X, y))
    assert model.predict(X).shape == shape


def test_partial_fit_batches_refuses_sequences_of_another_shape():
    X, y = make_data(n=40, T=5, F=2)
    model = tiny(max_iter=1).fit_batches(_batches_of(X, y))
    with pytest.raises(ValueError, match="4 steps of 2 features.*5 steps of 2"):
        model.partial_fit_batches(_batches_of(X[:, 1:], y))
    with pytest.raises(ValueError, match="no samples"):
        tiny().fit_batches(ArrayBatches(np.zeros((5, 2, 0)), None, np.zeros((1, 0))))
    model.fit_batches(_batches_of(X[:, 1:], y))  # a new fit starts a new network
    assert model.n_steps_ == 4


def test_fit_batches_forgets_the_column_names_of_an_earlier_fit():
    X, y = make_data(n=40, T=3, F=1)
    frame = pd.DataFrame(flat(X), columns=["a", "b", "c"])
    model = tiny(max_iter=1).fit(frame, y)
    assert list(model.feature_names_in_) == ["a", "b", "c"]
    assert not hasattr(model.fit_batches(_batches_of(X, y)), "feature_names_in_")


@pytest.mark.parametrize("n_outputs", [None, 2])
def test_to_time_major_gives_the_networks_float64_inputs_and_targets(n_outputs):
    X, y = make_data(n=30, T=4, F=2, n_outputs=n_outputs)
    X[3, 1, 0] = np.nan
    model = tiny(max_iter=1, n_step_features=2, standardize_target=False,
                 standardize_inputs=False).fit(flat(X), y)
    X_time, missing, Y = model.to_time_major(flat(X), y)
    expected_X, expected_missing = to_time_major(X, np.float64)
    np.testing.assert_array_equal(X_time, expected_X)
    np.testing.assert_array_equal(missing, expected_missing)
    assert X_time.dtype == Y.dtype == np.float64
    np.testing.assert_array_equal(Y, np.reshape(y, (30, -1)).T)
    # standardised, as the network reads them
    scaled = clone(model).set_params(standardize_target=True, standardize_inputs=True)
    scaled.fit(flat(X), y)
    X_scaled, _, Y_scaled = scaled.to_time_major(flat(X), y)
    expected_scaled = (expected_X - scaled.input_mean_[:, None]) / scaled.input_scale_[:, None]
    np.testing.assert_allclose(X_scaled, np.where(missing[:, None, :], 0, expected_scaled))
    np.testing.assert_allclose(Y_scaled.mean(axis=1), 0, atol=1e-6)  # stats of float32 data
    X_time, missing, Y = model.to_time_major(X[:, :, :])
    assert Y is None and X_time.shape == (4, 2, 30) and missing[1, 3]
    with pytest.raises(ValueError, match="features"):
        model.to_time_major(flat(X)[:, :6])


def test_network_is_the_fitted_network_in_the_training_dtype():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        tiny().network_
    X, y = make_data(n=30, T=4, F=2, n_outputs=2)
    model = tiny(max_iter=1).fit(X, y)
    network = model.network_
    assert isinstance(network, RecurrentNetwork) and network.dtype == np.float32
    X_time, missing, _ = model.to_time_major(X)
    np.testing.assert_array_equal(
        network.astype(np.float64).forward(X_time, missing).T * model.target_scale_
        + model.target_mean_, model.predict(X))
    with pytest.raises(AttributeError):
        model.network_ = network


# -- step order: lag columns newest first (skforecast, mlforecast) -----------

def _lag_matrices(series, n_lags):
    """Windows of ``series`` oldest step first, and the same windows as
    skforecast lays them out: columns lag_1 (the newest value), lag_2, ..."""
    oldest_first = np.lib.stride_tricks.sliding_window_view(series[:-1], n_lags)
    return oldest_first, oldest_first[:, ::-1].copy(), series[n_lags:]


def test_newest_first_reads_skforecasts_lag_layout_as_time_forwards():
    series = np.sin(np.arange(120) / 4) + 0.1 * np.random.RandomState(0).standard_normal(120)
    oldest_first, lags, y = _lag_matrices(series, 6)
    np.testing.assert_array_equal(lags[:, 0], series[5:-1])  # lag_1: the value before y
    forwards = tiny().fit(oldest_first, y)
    from_lags = tiny(step_order="newest_first").fit(lags, y)
    np.testing.assert_array_equal(from_lags.predict(lags), forwards.predict(oldest_first))
    # The test can fail: read oldest first, the lag columns run backwards.
    assert not np.allclose(tiny().fit(lags, y).predict(lags), forwards.predict(oldest_first))


def test_newest_first_reverses_whole_steps_of_several_features():
    X, y = make_data(n=40, T=4, F=2)
    newest_first = X[:, ::-1, :]
    expected = tiny(n_step_features=2).fit(flat(X), y).predict(flat(X))
    for rows in (newest_first, flat(newest_first)):
        model = tiny(n_step_features=2, step_order="newest_first").fit(rows, y)
        np.testing.assert_array_equal(model.predict(rows), expected)


def test_predict_from_several_threads_gives_the_same_numbers():
    # predict runs a kept copy of the network (rnnforecast._core.prediction_copies):
    # concurrent calls must each get their own.
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 24))
    y = X[:, -1] + 0.1 * rng.normal(size=200)
    model = RNNRegressor(hidden_size=16, max_iter=2, random_state=0).fit(X, y)
    inputs = [rng.normal(size=(int(rng.integers(1, 300)), 24)) for _ in range(300)]
    expected = [model.predict(x) for x in inputs]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(model.predict, inputs))
    for a, b in zip(expected, got):
        np.testing.assert_array_equal(a, b)


def test_fit_frees_its_training_buffers_and_partial_fit_keeps_them_until_asked():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(100, 12)), rng.normal(size=100)
    fitted = RNNRegressor(hidden_size=8, max_iter=2, random_state=0).fit(X, y)
    assert fitted.network_._workspaces == {}
    stepped = RNNRegressor(hidden_size=8, max_iter=2, random_state=0).partial_fit(X, y)
    assert stepped.network_._workspaces  # kept for the next partial_fit
    before = stepped.predict(X)
    assert stepped.release_buffers() is stepped and stepped.network_._workspaces == {}
    np.testing.assert_array_equal(stepped.predict(X), before)
    # Training on after the release is training on without it.
    again = RNNRegressor(hidden_size=8, max_iter=2, random_state=0).partial_fit(X, y)
    stepped.partial_fit(X, y)
    again.partial_fit(X, y)
    np.testing.assert_array_equal(stepped.predict(X), again.predict(X))
