"""The backward pass's helper thread (sequence training with n_jobs=2)
changes nothing but speed: gradients and forecasts are bit-identical to one
thread's."""

import threading

import numpy as np
import pandas as pd
import pytest

from rnnforecast import RNNForecaster, RNNRegressor
from rnnforecast._core import column_workers, recurrent
from rnnforecast._core.helper_thread import HelperThread, helper_thread, wants_helper
from rnnforecast._core.losses import squared_error
from rnnforecast._core.recurrent import RecurrentNetwork
from rnnforecast._core.sequence_training import step_backward, step_loss, step_outputs

CELLS = ["rnn", "gru", "lstm"]
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(autouse=True)
def two_processors(monkeypatch):
    """n_jobs=2 asks for the helper on any machine these tests run on."""
    monkeypatch.setattr(column_workers, "usable_cpus", lambda: 2)


@pytest.fixture
def submitted(monkeypatch):
    """The names of the tasks handed to helper threads."""
    names = []
    submit = HelperThread.submit

    def counting(self, function, *args):
        names.append(function.__name__)
        return submit(self, function, *args)

    monkeypatch.setattr(HelperThread, "submit", counting)
    return names


def helper_threads_alive():
    return [t for t in threading.enumerate() if t.name == "rnnforecast-backward"]


def make_batch(T=9, F=2, B=5, O=2, with_missing=False, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((T, F, B))
    missing = None
    if with_missing:
        missing = rng.rand(T, B) < 0.3
        missing[:3, 0] = True  # a left-padded sample
        X[np.broadcast_to(missing[:, None, :], X.shape)] = 0
    return X, missing, rng.standard_normal((O, B))


def gradients(network, X, missing, Y, bptt_steps, hand_over, per_step=False):
    """Gradient of one batch; ``hand_over``: the forward pass hands the
    factors to the helper (as training does)."""
    y = network.forward(X, missing, backward=hand_over)
    if per_step:
        y_pred, hidden = step_outputs(network)
        loss, d_pred, _ = step_loss(y_pred, np.broadcast_to(Y[:, None, :], y_pred.shape))
        step_backward(network, d_pred, hidden)
    else:
        network.backward(squared_error(y, Y)[1], bptt_steps)
    return network.grads.copy()


@pytest.mark.parametrize("chunk_bytes", [1, 2_000, 1 << 20])
@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("with_missing", [False, True])
@pytest.mark.parametrize("bptt_steps", [None, 4])
def test_gradients_are_bit_identical_with_the_helper(
        monkeypatch, submitted, chunk_bytes, cell, num_layers, with_missing, bptt_steps):
    # chunk_bytes 1 makes every step a chunk, 2,000 a few steps, 1 MB one chunk.
    monkeypatch.setattr(recurrent, "FACTOR_CHUNK_BYTES", chunk_bytes)
    X, missing, Y = make_batch(with_missing=with_missing)
    network = RecurrentNetwork(cell, 2, 6, num_layers, 2, dtype=np.float64)
    network.initialize(np.random.RandomState(1))
    alone = gradients(network, X, missing, Y, bptt_steps, hand_over=True)
    with helper_thread(network):
        handed_over = gradients(network, X, missing, Y, bptt_steps, hand_over=True)
        kept = gradients(network, X, missing, Y, bptt_steps, hand_over=False)
    assert np.any(alone != 0)
    assert {"backward_factors", "_weight_gradients"} <= set(submitted)
    np.testing.assert_array_equal(handed_over, alone)
    np.testing.assert_array_equal(kept, alone)


@pytest.mark.parametrize("cell", CELLS)
def test_per_step_loss_gradients_are_bit_identical_with_the_helper(monkeypatch, submitted, cell):
    monkeypatch.setattr(recurrent, "FACTOR_CHUNK_BYTES", 2_000)
    X, missing, Y = make_batch(with_missing=True)
    network = RecurrentNetwork(cell, 2, 6, 2, 2, dtype=np.float64)
    network.initialize(np.random.RandomState(2))
    alone = gradients(network, X, missing, Y, None, True, per_step=True)
    with helper_thread(network):
        helped = gradients(network, X, missing, Y, None, True, per_step=True)
    assert "_weight_gradients" in submitted
    np.testing.assert_array_equal(helped, alone)


def test_n_jobs_asks_for_the_helper_where_there_are_two_processors(monkeypatch):
    monkeypatch.setattr(column_workers, "usable_cpus", lambda: 1)
    assert [wants_helper(n) for n in (None, 1, 2, -1)] == [False] * 4
    monkeypatch.setattr(column_workers, "usable_cpus", lambda: 4)
    assert [wants_helper(n) for n in (None, 1, 2, 8, -1)] == [False, False, True, True, True]


def test_sequence_training_with_n_jobs_2_gives_the_same_forecast(submitted):
    index = pd.date_range("2020-01-01", periods=300, freq="D")
    t = np.arange(300)
    y = pd.Series(np.sin(2 * np.pi * t / 7) + 0.01 * t, index=index)
    forecasts = []
    for n_jobs in (None, 2):
        model = RNNForecaster(
            horizon=3, training="sequence", n_networks=1, random_state=0,
            regressor=RNNRegressor(hidden_size=6, max_iter=3, bptt_steps=20, n_jobs=n_jobs),
        ).fit(y)
        forecasts.append(model.predict())
        assert bool(submitted) == (n_jobs == 2)
    pd.testing.assert_series_equal(forecasts[1], forecasts[0])
    assert not helper_threads_alive()


def test_a_failing_task_is_raised_by_wait_and_drops_the_rest():
    helper = HelperThread()
    try:
        ran = []
        helper.submit(ran.append, 1)
        helper.submit(lambda: 1 / 0)
        helper.submit(ran.append, 3)
        with pytest.raises(ZeroDivisionError):
            helper.wait()
        assert ran == [1]
        helper.wait()  # raised once, not again
        ticket = helper.submit(ran.append, 4)
        helper.wait(ticket)
        assert ran == [1, 4]
    finally:
        helper.close()
    assert not helper_threads_alive()


def test_a_backward_after_the_helper_left_uses_the_factors_it_computed():
    X, missing, Y = make_batch(with_missing=True)
    network = RecurrentNetwork("lstm", 2, 6, 2, 2, dtype=np.float64)
    network.initialize(np.random.RandomState(3))
    alone = gradients(network, X, missing, Y, None, hand_over=True)
    with helper_thread(network):
        y = network.forward(X, missing, backward=True)
    network.backward(squared_error(y, Y)[1])
    np.testing.assert_array_equal(network.grads, alone)


def test_the_helper_ends_when_a_fit_fails():
    network = RecurrentNetwork("gru", 2, 4, dtype=np.float64).initialize(np.random.RandomState(0))
    with pytest.raises(RuntimeError, match="boom"):
        with helper_thread(network):
            raise RuntimeError("boom")
    assert network.helper is None
    assert not helper_threads_alive()
