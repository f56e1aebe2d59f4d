"""Diagnostics agree with independent computations on fitted models."""

import numpy as np
import pandas as pd
import pytest

from rnnforecast import RNNRegressor
from rnnforecast._core.sequences import to_time_major
from rnnforecast.diagnostics import gradient_flow, saturation, spectral_radius

T, N = 6, 5


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, (N, T * 2))
    X[1, :4] = np.nan  # a shorter sequence
    y = rng.standard_normal((N, 2))
    return X, y


def fitted(cell, num_layers, data):
    X, y = data
    model = RNNRegressor(cell=cell, hidden_size=4, num_layers=num_layers, n_step_features=2,
                         max_iter=3, random_state=0, dtype="float64")
    with pytest.warns(Warning):
        return model.fit(X, y)


def per_sample_loss(network, X_time, missing, Y, initial_state=None):
    y_pred = network.forward(X_time, missing, initial_state=initial_state)
    return 0.5 * ((y_pred - Y) ** 2).mean(axis=0)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
@pytest.mark.parametrize("num_layers", [1, 2])
def test_gradient_flow_matches_finite_differences_of_a_perturbed_state(cell, num_layers, data):
    """||dL/dh_k|| of the top layer equals the norm of the loss change per
    unit perturbation injected into h_k, averaged over samples."""
    X, y = data
    model = fitted(cell, num_layers, data)
    flow = gradient_flow(model, X, y)
    network = model._network.astype(np.float64)
    X_time, missing = to_time_major(X.reshape(N, T, 2), np.float64)
    Y = y.T
    eps = 1e-6
    top = num_layers - 1
    for k in range(T - 1):
        head = None if missing is None else missing[:k + 1]
        tail = None if missing is None else missing[k + 1:]
        network.forward(X_time[:k + 1], head)
        state = network.final_state()
        grad = np.zeros((model.hidden_size, N))
        for unit in range(model.hidden_size):
            losses = []
            for sign in (1, -1):
                shifted = [tuple(s.copy() for s in layer) for layer in state]
                shifted[top][0][unit] += sign * eps
                losses.append(per_sample_loss(network, X_time[k + 1:], tail, Y, shifted))
            grad[unit] = (losses[0] - losses[1]) / (2 * eps)
        expected = np.linalg.norm(grad, axis=0).mean()
        lag = T - 1 - k
        assert flow.loc[lag, f"layer {top}"] == pytest.approx(expected, rel=1e-6, abs=1e-12)


def test_gradient_flow_shape_and_lag_order(data):
    X, y = data
    flow = gradient_flow(fitted("gru", 2, data), X, y)
    assert list(flow.columns) == ["layer 0", "layer 1"]
    assert list(flow.index) == list(range(T))
    assert flow.index.name == "lag"
    assert (flow.to_numpy() >= 0).all()


def test_elman_gradient_vanishes_with_lag_for_small_recurrent_weights():
    rng = np.random.RandomState(1)
    X = rng.uniform(-1, 1, (50, 20))
    y = X[:, -1]
    model = RNNRegressor(cell="rnn", hidden_size=8, max_iter=1, random_state=0, dtype="float64")
    with pytest.warns(Warning):
        model.fit(X, y)
    model._network.weights["W_hh_0"][...] *= 0.3  # spectral radius 0.3
    flow = gradient_flow(model, X, y)["layer 0"]
    assert flow[19] < 1e-6 * flow[0]
    assert (np.diff(flow.to_numpy()) < 0).all()


@pytest.mark.parametrize("cell, gates", [("rnn", ["h"]), ("gru", ["r", "z", "n"]),
                                         ("lstm", ["i", "f", "o", "g"])])
def test_spectral_radius_agrees_with_numpy_linalg(cell, gates, data):
    model = fitted(cell, 2, data)
    radii = spectral_radius(model)
    H = model.hidden_size
    assert list(radii.index) == [(f"layer {l}", g) for l in range(2) for g in gates]
    for layer in range(2):
        W_hh = model.weights_[f"W_hh_{layer}"]
        for k, gate in enumerate(gates):
            block = W_hh[k * H:(k + 1) * H]
            row = radii.loc[(f"layer {layer}", gate)]
            assert row["spectral_radius"] == pytest.approx(max(abs(np.linalg.eigvals(block))))
            assert row["largest_singular_value"] == pytest.approx(
                np.linalg.svd(block, compute_uv=False)[0])


def test_saturation_of_elman_matches_its_hidden_states(data):
    X, _ = data
    model = fitted("rnn", 1, data)
    sat = saturation(model, X, threshold=0.5)
    network = model._network.astype(np.float64)
    X_time, missing = to_time_major(X.reshape(N, T, 2), np.float64)
    network.forward(X_time, missing)
    h = network.activations()[0]["h"][1]  # (T, H, N)
    for t in range(T):
        present = ~missing[t]
        expected = (np.abs(h[t][:, present]) > 0.5).mean()
        assert sat.loc[T - 1 - t, ("layer 0", "h")] == pytest.approx(expected)


def test_saturation_grows_with_weight_scale():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, (40, 8))
    model = RNNRegressor(cell="lstm", hidden_size=6, max_iter=1, random_state=0)
    with pytest.warns(Warning):
        model.fit(X, X[:, -1])
    low = saturation(model, X).to_numpy().mean()
    model._network.params[...] *= 20
    high = saturation(model, X).to_numpy().mean()
    assert low < 0.2 < 0.6 < high


def test_saturation_leaves_out_missing_steps():
    X = np.random.RandomState(0).uniform(-1, 1, (10, 5))
    X[:, 0] = np.nan  # the oldest step missing everywhere
    model = RNNRegressor(cell="gru", hidden_size=3, max_iter=1, random_state=0)
    with pytest.warns(Warning):
        model.fit(X, np.nan_to_num(X[:, -1]))
    sat = saturation(model, X)
    assert sat.loc[4].isna().all()
    assert sat.loc[:3].notna().all().all()


def test_training_records_gradient_norms_and_clipping():
    X = np.random.RandomState(0).uniform(-1, 1, (64, 6))
    y = X[:, 2]
    model = RNNRegressor(cell="rnn", hidden_size=4, max_iter=4, clip_norm=1e-6,
                         random_state=0, batch_size=16)
    with pytest.warns(Warning):
        model.fit(X, y)
    assert len(model.grad_norm_curve_) == len(model.clipped_curve_) == model.n_iter_ == 4
    assert all(norm > 1e-6 for norm in model.grad_norm_curve_)
    assert model.clipped_curve_ == [1.0] * 4
    unclipped = RNNRegressor(cell="rnn", hidden_size=4, max_iter=4, clip_norm=None,
                             random_state=0, batch_size=16)
    with pytest.warns(Warning):
        unclipped.fit(X, y)
    assert unclipped.clipped_curve_ == [0.0] * 4


def test_diagnostics_reject_other_estimators():
    from sklearn.linear_model import Ridge

    with pytest.raises(TypeError, match="RNNRegressor"):
        spectral_radius(Ridge())
    with pytest.raises(ValueError, match="threshold"):
        saturation(RNNRegressor(), np.zeros((2, 2)), threshold=1.5)
