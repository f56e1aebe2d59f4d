"""A loss at every step is differentiated exactly: analytic gradients of the
per-step head and BPTT against central finite differences (float64)."""

import numpy as np
import pytest

from rnnforecast._core.gradcheck import check_gradients
from rnnforecast._core.losses import squared_error
from rnnforecast._core.recurrent import RecurrentNetwork
from rnnforecast._core.sequence_training import step_backward, step_loss, step_outputs

T, B, H, F, O = 6, 3, 4, 2, 3
TOLERANCE = 1e-6


def make_problem(cell, num_layers, with_missing, seed=0):
    rng = np.random.RandomState(seed)
    net = RecurrentNetwork(cell, F, H, num_layers, O, dtype=np.float64).initialize(rng)
    net.params *= 1.5  # away from the linear regime, so every term matters
    net.b_y[...] = rng.standard_normal(O)
    X = rng.standard_normal((T, F, B))
    Y = rng.standard_normal((O, T, B))
    missing = None
    if with_missing:
        missing = rng.rand(T, B) < 0.3
        missing[0, :] = True  # a step missing in every stream
        missing[3, 1] = True
        X = X * ~missing[:, None, :]
        Y[:, 2, 0] = np.nan  # targets the loss skips
        Y[1, 4, 2] = np.nan
    return net, X, Y, missing


def random_state(cell, num_layers, seed=7):
    rng = np.random.RandomState(seed)
    n_states = 2 if cell == "lstm" else 1
    return [tuple(rng.standard_normal((H, B)) for _ in range(n_states))
            for _ in range(num_layers)]


def assert_close(errors):
    worst = max(errors, key=errors.get)
    assert errors[worst] < TOLERANCE, f"gradient of {worst}: relative error {errors[worst]:.2e}"


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("with_missing", [False, True])
@pytest.mark.parametrize("with_state", [False, True])
def test_per_step_loss_matches_finite_differences(cell, num_layers, with_missing, with_state):
    net, X, Y, missing = make_problem(cell, num_layers, with_missing)
    state = random_state(cell, num_layers) if with_state else None

    def loss():
        net.forward(X, missing, initial_state=state)
        return step_loss(step_outputs(net)[0], Y)[0]

    net.forward(X, missing, initial_state=state)
    y_pred, hidden = step_outputs(net)
    _, d_pred, n = step_loss(y_pred, Y)
    assert n == np.isfinite(Y).sum()
    analytic = step_backward(net, d_pred, hidden).copy()
    assert_close(check_gradients(net, loss, analytic))


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_carried_state_is_a_constant_of_the_next_chunk(cell):
    """Truncated BPTT across chunks: the second chunk's gradient is the
    derivative with the state the first chunk reached held fixed, which
    differs from differentiating through both chunks."""
    net, X, Y, _ = make_problem(cell, 2, False, seed=1)
    first, second = X[:3], X[3:]
    net.forward(first)
    carried = net.final_state()

    def chunk_loss():
        net.forward(second, initial_state=carried)
        return step_loss(step_outputs(net)[0], Y[:, 3:])[0]

    net.forward(second, initial_state=carried)
    y_pred, hidden = step_outputs(net)
    d_pred = step_loss(y_pred, Y[:, 3:])[1]
    truncated = step_backward(net, d_pred, hidden).copy()
    assert_close(check_gradients(net, chunk_loss, truncated))

    def through_both():
        net.forward(first)
        net.forward(second, initial_state=net.final_state())
        return step_loss(step_outputs(net)[0], Y[:, 3:])[0]

    errors = check_gradients(net, through_both, truncated)
    assert max(errors.values()) > 1e-3


def test_step_outputs_are_the_head_on_every_hidden_state():
    net, X, _, _ = make_problem("gru", 2, False)
    last = net.forward(X)
    y, _ = step_outputs(net)
    h = net.hidden_sequence()
    for t in range(T):
        np.testing.assert_allclose(y[:, t], net.W_hy @ h[t] + net.b_y[:, None], rtol=1e-12)
    np.testing.assert_allclose(y[:, -1], last, rtol=1e-12)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_last_step_and_every_step_gradients_add(cell):
    """backward(d_out, d_hidden=...) differentiates the sum of a last-step
    loss and a per-step loss on the hidden states."""
    net, X, Y, missing = make_problem(cell, 2, True, seed=4)
    rng = np.random.RandomState(3)
    Y_last = rng.standard_normal((O, B))
    G = rng.standard_normal((T, H, B))  # loss term sum_t <G_t, h_t>

    def loss():
        y = net.forward(X, missing)
        return squared_error(y, Y_last)[0] + float(np.vdot(G, net.hidden_sequence()))

    _, d_out = squared_error(net.forward(X, missing), Y_last)
    analytic = net.backward(d_out, d_hidden=G).copy()
    assert_close(check_gradients(net, loss, analytic))
