"""BPTT is exact: analytic gradients against central finite differences."""

import numpy as np
import pytest

from rnnforecast._core.gradcheck import check_gradients
from rnnforecast._core import recurrent
from rnnforecast._core.losses import l2_penalty, squared_error
from rnnforecast._core.recurrent import RecurrentNetwork

T, B, H = 7, 4, 5
TOLERANCE = 1e-6


def make_problem(cell, num_layers, n_features, n_outputs, with_missing, seed=0, activation="tanh"):
    rng = np.random.RandomState(seed)
    net = RecurrentNetwork(cell, n_features, H, num_layers, n_outputs, activation,
                           dtype=np.float64).initialize(rng)
    # Larger-than-default weights so that gates and tanh are away from their
    # linear regime and every term of the backward pass matters.
    net.params *= 1.5
    X = rng.standard_normal((T, n_features, B))
    Y = rng.standard_normal((n_outputs, B))
    missing = None
    if with_missing:
        missing = rng.rand(T, B) < 0.3
        missing[:3, 0] = True  # left padding: a shorter sequence
        missing[4, :] = True  # a step missing in the whole batch
        X = X * ~missing[:, None, :]
    return net, X, Y, missing


def assert_close(errors):
    worst = max(errors, key=errors.get)
    assert errors[worst] < TOLERANCE, f"gradient of {worst}: relative error {errors[worst]:.2e}"


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("n_features", [1, 3])
@pytest.mark.parametrize("n_outputs", [1, 3])
@pytest.mark.parametrize("with_missing", [False, True])
def test_full_bptt_matches_finite_differences(cell, num_layers, n_features, n_outputs, with_missing):
    net, X, Y, missing = make_problem(cell, num_layers, n_features, n_outputs, with_missing)

    def loss():
        return squared_error(net.forward(X, missing), Y)[0]

    _, d_out = squared_error(net.forward(X, missing), Y)
    analytic = net.backward(d_out).copy()
    assert_close(check_gradients(net, loss, analytic))


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("with_missing", [False, True])
@pytest.mark.parametrize("k", [1, 3])
def test_truncated_bptt_is_the_gradient_with_earlier_states_held_fixed(cell, num_layers, with_missing, k):
    """bptt_steps=k differentiates the loss of the last k steps, started from
    the (constant) states the first T - k steps reached."""
    net, X, Y, missing = make_problem(cell, num_layers, 2, 2, with_missing, seed=1)
    head = None if missing is None else missing[:T - k]
    tail = None if missing is None else missing[T - k:]
    net.forward(X[:T - k], head)
    boundary = net.final_state()

    def loss():
        return squared_error(net.forward(X[T - k:], tail, initial_state=boundary), Y)[0]

    _, d_out = squared_error(net.forward(X, missing), Y)
    truncated = net.backward(d_out, bptt_steps=k).copy()
    assert_close(check_gradients(net, loss, truncated))
    net.forward(X, missing)
    full = net.backward(d_out).copy()
    assert np.linalg.norm(full - truncated) > 1e-3 * np.linalg.norm(full)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
@pytest.mark.parametrize("steps_per_chunk", [1, 3])
@pytest.mark.parametrize("bptt_steps", [None, 5])
def test_factors_computed_a_few_steps_at_a_time_give_the_exact_gradient(
        cell, steps_per_chunk, bptt_steps, monkeypatch):
    """Backward computes the derivative factors in chunks of steps just
    before using them; chunks that do not divide T (nor the truncated
    length) give the gradient of whole-sequence factors, which is exact."""
    net, X, Y, missing = make_problem(cell, 2, 2, 1, True, seed=2)
    _, d_out = squared_error(net.forward(X, missing), Y)
    whole = net.backward(d_out, bptt_steps).copy()
    assert net._last[0][0].factor_chunk >= T

    chunk_bytes = steps_per_chunk * net.cell.n_gates * H * B * net.dtype.itemsize
    monkeypatch.setattr(recurrent, "FACTOR_CHUNK_BYTES", chunk_bytes)
    chunked_net = RecurrentNetwork(cell, 2, H, 2, 1, dtype=np.float64)
    chunked_net.params[...] = net.params
    chunked_net.forward(X, missing)
    chunked = chunked_net.backward(d_out, bptt_steps).copy()
    assert chunked_net._last[0][0].factor_chunk == steps_per_chunk
    np.testing.assert_allclose(chunked, whole, rtol=1e-12, atol=1e-15)
    if bptt_steps is None:
        def loss():
            return squared_error(chunked_net.forward(X, missing), Y)[0]

        assert_close(check_gradients(chunked_net, loss, chunked))


def test_truncation_longer_than_sequence_is_full_bptt():
    net, X, Y, _ = make_problem("gru", 1, 1, 1, False)
    _, d_out = squared_error(net.forward(X), Y)
    full = net.backward(d_out).copy()
    assert np.array_equal(net.backward(d_out, bptt_steps=T + 5), full)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_initial_state_gradient_flows_into_first_step(cell):
    """A given initial state changes the output; the loss as a function of
    the parameters with that state is still differentiated exactly."""
    net, X, Y, _ = make_problem(cell, 2, 2, 1, False, seed=3)
    rng = np.random.RandomState(5)
    n_states = 2 if cell == "lstm" else 1
    start = [tuple(rng.standard_normal((H, B)) for _ in range(n_states)) for _ in range(2)]

    def loss():
        return squared_error(net.forward(X, initial_state=start), Y)[0]

    assert not np.allclose(net.forward(X, initial_state=start), net.forward(X))
    _, d_out = squared_error(net.forward(X, initial_state=start), Y)
    assert_close(check_gradients(net, loss, net.backward(d_out).copy()))


def test_relu_elman_matches_finite_differences():
    net, X, Y, missing = make_problem("rnn", 2, 2, 2, True, activation="relu")

    def loss():
        return squared_error(net.forward(X, missing), Y)[0]

    _, d_out = squared_error(net.forward(X, missing), Y)
    assert_close(check_gradients(net, loss, net.backward(d_out).copy()))


def test_weighted_loss_and_l2_penalty_match_finite_differences():
    net, X, Y, _ = make_problem("lstm", 1, 2, 2, False)
    w = np.array([0.5, 2.0, 1.0, 0.0])
    alpha = 0.3

    def loss():
        data = squared_error(net.forward(X), Y, w)[0]
        return data + l2_penalty(net.params, net.weight_mask, alpha, B)

    _, d_out = squared_error(net.forward(X), Y, w)
    grads = net.backward(d_out).copy()
    l2_penalty(net.params, net.weight_mask, alpha, B, grads)
    assert_close(check_gradients(net, loss, grads))


def test_zero_weight_samples_do_not_contribute():
    net, X, Y, _ = make_problem("gru", 1, 1, 1, False)
    w = np.array([1.0, 1.0, 0.0, 0.0])
    Y2 = Y.copy()
    Y2[:, 2:] += 100.0
    assert squared_error(net.forward(X), Y, w)[0] == pytest.approx(
        squared_error(net.forward(X), Y2, w)[0])
