"""The sequence trainer: truncated BPTT over a long series, state carried."""

import tracemalloc

import numpy as np
import pytest

from rnnforecast._core.optimizers import SGD, Adam
from rnnforecast._core.recurrent import RecurrentNetwork
from rnnforecast._core.sequence_training import (
    FutureTargets, run_sequence, sequence_epoch, stream_rows, stream_view, zero_state,
)


def sine_task(n, period=25, noise=0.05, seed=0):
    """Inputs: a noisy sine; target: its next value."""
    rng = np.random.RandomState(seed)
    x = np.sin(2 * np.pi * np.arange(n + 1) / period) + noise * rng.standard_normal(n + 1)
    return x[:-1, None].copy(), x[1:, None].copy()


def make_network(cell="gru", seed=0, n_inputs=1, n_outputs=1, hidden=8):
    rng = np.random.RandomState(seed)
    return RecurrentNetwork(cell, n_inputs, hidden, 1, n_outputs,
                            dtype=np.float64).initialize(rng)


def mse(net, X, Y, reset_every=None):
    """Mean squared error of the per-step outputs over the series, the state
    carried throughout or reset to zeros every ``reset_every`` steps."""
    if reset_every is None:
        y = run_sequence(net, X)[0]
    else:
        y = np.concatenate([run_sequence(net, X[i:i + reset_every])[0]
                            for i in range(0, len(X), reset_every)])
    return float(np.mean((y - Y) ** 2))


def test_stream_view_is_contiguous_segments_ending_with_the_series():
    series = np.arange(22.0).reshape(11, 2)
    view = stream_view(series, 3)
    assert view.shape == (3, 2, 3)
    assert np.shares_memory(view, series)
    # stream b is rows 2 + 3 b .. 2 + 3 b + 2 (the first 11 - 9 rows left out)
    for b in range(3):
        np.testing.assert_array_equal(view[:, :, b], series[2 + 3 * b:5 + 3 * b])
    with pytest.raises(ValueError, match="n_streams=12"):
        stream_view(series, 12)
    rows = stream_rows(11, 3)
    np.testing.assert_array_equal(series[rows].transpose(0, 2, 1), view)
    np.testing.assert_array_equal(stream_rows(11, 3, 1, 3), rows[1:3])


def test_future_targets_index_like_the_matrix_they_never_build():
    series = np.array([1.0, 2.0, np.nan, 4.0, 7.0, 11.0])
    level = np.array([0.0, 1.0, 1.0, 3.0, 4.0, 5.0])
    dense = np.full((6, 3), np.nan)
    for t in range(6):
        for h in range(3):
            if t + 1 + h < 6:
                dense[t, h] = series[t + 1 + h] - level[t]
    targets = FutureTargets(series, 3, level)
    assert targets.shape == (6, 3) and len(targets) == 6
    rows = np.array([[0, 3], [5, 2]])
    np.testing.assert_array_equal(targets[rows], dense[rows])
    np.testing.assert_array_equal(FutureTargets(series, 3)[np.arange(6)],
                                  dense + level[:, None])
    tail = targets[2:5]
    assert len(tail) == 3
    np.testing.assert_array_equal(tail[np.arange(3)], dense[2:5])


def test_an_epoch_on_future_targets_equals_one_on_their_matrix():
    X, _ = sine_task(500)
    targets = FutureTargets(X[:, 0], 3)
    dense = targets[np.arange(500)]
    nets = [make_network("gru", n_outputs=3) for _ in range(2)]
    for net, Y in zip(nets, (targets, dense)):
        sequence_epoch(net, Adam(net.params), X, Y, n_streams=4, bptt_steps=9)
    np.testing.assert_array_equal(nets[0].params, nets[1].params)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_learns_the_next_value_of_a_noisy_sine(cell):
    X, Y = sine_task(1200)
    net = make_network(cell)
    before = mse(net, X, Y)
    opt = Adam(net.params, learning_rate=0.02)
    losses = [sequence_epoch(net, opt, X, Y, n_streams=8, bptt_steps=10).loss
              for _ in range(15)]
    after = mse(net, X, Y)
    assert losses[-1] < 0.2 * losses[0]
    # the noise alone costs 2 * 0.05**2 = 0.005; the series' variance is 0.5
    assert after < 0.02 < before


def test_the_carried_state_matters():
    """At the first steps of a chunk a zero state knows neither the phase nor
    the direction of the sine: resetting the state at every chunk, in
    training and in prediction, is much worse than carrying it."""
    X, Y = sine_task(1200, period=12)
    carried, reset = make_network(seed=1), make_network(seed=1)
    opt_c = Adam(carried.params, learning_rate=0.02)
    opt_r = Adam(reset.params, learning_rate=0.02)
    for _ in range(15):
        sequence_epoch(carried, opt_c, X, Y, n_streams=8, bptt_steps=4)
        sequence_epoch(reset, opt_r, X, Y, n_streams=8, bptt_steps=4, reset_state=True)
    carried_mse = mse(carried, X, Y)
    # measured: 0.0043 carried; 0.080 and 0.038 reset
    assert carried_mse < 0.3 * mse(carried, X, Y, reset_every=4)
    assert carried_mse < 0.3 * mse(reset, X, Y, reset_every=4)


def test_initial_state_and_missing_steps_and_targets():
    X, Y = sine_task(300)
    X[50:53] = np.nan  # missing inputs: the state carries over them
    Y[100:110] = np.nan  # targets the loss skips
    net = make_network("lstm")
    opt = SGD(net.params, learning_rate=0.05)
    start = [tuple(np.full((8, 4), 0.1) for _ in range(2))]
    stats = sequence_epoch(net, opt, X, Y, n_streams=4, bptt_steps=7, initial_state=start)
    assert stats.n_updates == int(np.ceil(75 / 7))
    assert np.isfinite(stats.loss) and not stats.diverged
    assert np.isfinite(net.params).all()
    y, state = run_sequence(net, X)
    assert np.isfinite(y).all() and state[0][0].shape == (8, 1)


def test_run_sequence_in_chunks_equals_one_pass():
    X, _ = sine_task(100)
    net = make_network("gru", n_outputs=3)
    y_one, s_one = run_sequence(net, X, chunk_steps=100)
    y_chunks, s_chunks = run_sequence(net, X, chunk_steps=7)
    np.testing.assert_allclose(y_chunks, y_one, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(s_chunks[0][0], s_one[0][0], rtol=1e-12, atol=1e-14)
    y_a, s_a = run_sequence(net, X[:60])
    y_b, _ = run_sequence(net, X[60:], initial_state=s_a)
    np.testing.assert_allclose(np.concatenate([y_a, y_b]), y_one, rtol=1e-12, atol=1e-14)
    assert zero_state(net, 2)[0][0].shape == (8, 2)


def test_divergence_is_detected():
    X, Y = sine_task(400)
    Y *= 1e200
    net = make_network("rnn")
    stats = sequence_epoch(net, SGD(net.params, learning_rate=1.0), X, Y,
                           n_streams=4, bptt_steps=10)
    assert stats.diverged


def test_epoch_memory_does_not_grow_with_the_series():
    """The series is read in place: what an epoch allocates is per chunk, so
    a series 8 times longer costs no more memory (a window matrix of
    width 48 would cost 48 times the series), and targets of many steps
    ahead are built chunk by chunk."""
    peaks = []
    for n in (4000, 32000):
        X, _ = sine_task(n)
        Y = FutureTargets(X[:, 0], 12)
        net = make_network("gru", n_outputs=12)
        opt = Adam(net.params)
        sequence_epoch(net, opt, X[:400], Y[:400], n_streams=4, bptt_steps=16)  # warm caches
        tracemalloc.start()
        sequence_epoch(net, opt, X, Y, n_streams=4, bptt_steps=16)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < 1.5 * peaks[0]
    assert peaks[1] < X.nbytes  # less than the series itself
