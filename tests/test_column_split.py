"""Training over worker processes (n_jobs >= 2) splits every batch's columns
behind the core's one batch-gradient seam: the gradients and the fitted model
are those of one process up to rounding, the same from run to run, and no
worker outlives a fit."""

import multiprocessing
import os
import pickle
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning

from rnnforecast import RNNRegressor
from rnnforecast import _column_split as cw
from rnnforecast._column_split import (
    ColumnSplit, WorkerError, column_parts, column_split, n_processes,
)
from rnnforecast._core.batches import ArrayBatches
from rnnforecast._core.recurrent import RecurrentNetwork
from rnnforecast._core.time_major import to_time_major
from rnnforecast._core.training import batch_gradient

CELLS = ["rnn", "gru", "lstm"]
B = 37  # splits in two, unevenly
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(autouse=True)
def split_small_networks(monkeypatch):
    """The networks here are tiny: let any batch of two or more columns
    split (forked workers inherit the setting)."""
    monkeypatch.setattr(cw, "MIN_PART_WORK", 1)


def workers_alive():
    return [p for p in multiprocessing.active_children() if p.name == "rnnforecast-columns"]


def make_batch(T=7, F=2, B=B, O=2, with_missing=False, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((T, F, B))
    missing = None
    if with_missing:
        missing = rng.rand(T, B) < 0.3
        missing[:3, [0, -1]] = True  # left-padded samples in both parts
        X[np.broadcast_to(missing[:, None, :], X.shape)] = 0
    return X, missing, rng.standard_normal((O, B))


def loss_and_gradients(gradient, network, X, missing, Y, bptt_steps=None, sample_weight=None):
    loss = gradient(network, X, missing, Y, sample_weight, bptt_steps)
    return loss, network.grads.copy()


@given(n_columns=st.integers(1, 500), n_processes=st.integers(1, 6),
       min_columns=st.integers(1, 100))
def test_column_parts_cover_the_batch_in_order_and_are_never_too_small(
        n_columns, n_processes, min_columns):
    parts = column_parts(n_columns, n_processes, min_columns)
    assert parts[0][0] == 0 and parts[-1][1] == n_columns
    assert all(a[1] == b[0] for a, b in zip(parts, parts[1:]))
    assert len(parts) == max(1, min(n_processes, n_columns // min_columns))
    sizes = [stop - start for start, stop in parts]
    assert max(sizes) - min(sizes) <= 1
    if len(parts) > 1:
        assert min(sizes) >= min_columns


@pytest.mark.parametrize("cell, hidden, steps, batch, split", [
    ("rnn", 64, 48, 64, False), ("gru", 64, 48, 64, True), ("lstm", 64, 48, 64, True),
    ("lstm", 32, 24, 32, False), ("rnn", 128, 96, 128, True),
])
def test_only_batches_with_enough_work_are_split(monkeypatch, cell, hidden, steps, batch, split):
    # the benchmark's sizes: a split paid for the medium GRU and LSTM and the
    # large networks, not for the medium Elman network or the small ones
    monkeypatch.setattr(cw, "MIN_PART_WORK", 12_000_000)
    network = RecurrentNetwork(cell, 1, hidden)
    assert (len(ColumnSplit(network, 1).plan(steps, batch)) == 2) == split


def test_n_processes_follows_n_jobs_up_to_the_usable_processors(monkeypatch):
    monkeypatch.setattr(cw, "usable_cpus", lambda: 4)
    assert [n_processes(n) for n in (None, 1, 2, 3, -1, 8)] == [1, 1, 2, 3, 4, 4]
    monkeypatch.setattr(cw, "usable_cpus", lambda: 1)
    assert [n_processes(n) for n in (None, 2, -1)] == [1, 1, 1]


def test_inside_a_joblib_worker_n_jobs_keeps_to_its_share(monkeypatch):
    class LokyProcess:  # what joblib's loky workers are
        pass

    monkeypatch.setattr(cw, "usable_cpus", lambda: 8)
    monkeypatch.setattr(cw.multiprocessing, "current_process", LokyProcess)
    monkeypatch.setenv("OMP_NUM_THREADS", "2")  # GridSearchCV(n_jobs=4) on 8 processors
    assert [n_processes(n) for n in (None, 1, 2, 4, -1)] == [1, 1, 2, 2, 2]
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert n_processes(-1) == 1
    monkeypatch.delenv("OMP_NUM_THREADS")
    assert n_processes(-1) == 8


def test_grid_search_with_n_jobs_inside_and_out_does_not_oversubscribe():
    from joblib import Parallel, delayed

    shares = Parallel(n_jobs=2)(delayed(n_processes)(-1) for _ in range(2))
    assert shares == [max(1, cw.usable_cpus() // 2)] * 2


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("with_missing", [False, True])
@pytest.mark.parametrize("bptt_steps", [None, 3])
def test_split_gradients_equal_one_process_within_rounding(cell, num_layers, with_missing,
                                                           bptt_steps):
    X, missing, Y = make_batch(with_missing=with_missing)
    network = RecurrentNetwork(cell, 2, 5, num_layers, 2, dtype=np.float64)
    network.initialize(np.random.RandomState(1))
    loss_alone, alone = loss_and_gradients(batch_gradient, network, X, missing, Y, bptt_steps)
    with column_split_of(network, 1) as split:
        loss_split, grads_split = loss_and_gradients(split, network, X, missing, Y, bptt_steps)
        assert len(workers_alive()) == 1  # the worker ran the second part
        # the parameters travel with every batch: a changed network is used
        network.params *= 0.5
        loss_half, half = loss_and_gradients(split, network, X, missing, Y, bptt_steps)
    loss_half_alone, half_alone = loss_and_gradients(batch_gradient, network, X, missing, Y,
                                                     bptt_steps)
    assert np.any(alone != 0)
    assert not np.array_equal(grads_split, alone)  # the sums were split
    assert loss_split == pytest.approx(loss_alone, rel=1e-13)
    np.testing.assert_allclose(grads_split, alone, rtol=1e-12, atol=1e-14)
    assert loss_half == pytest.approx(loss_half_alone, rel=1e-13)
    np.testing.assert_allclose(half, half_alone, rtol=1e-12, atol=1e-14)
    assert not workers_alive()


def column_split_of(network, n_workers):
    """A ColumnSplit with ``n_workers`` workers, closed on exit."""
    from contextlib import closing

    return closing(ColumnSplit(network, n_workers))


def test_weighted_samples_split_by_their_share_of_the_weight():
    X, missing, Y = make_batch(with_missing=True)
    weights = np.random.RandomState(3).rand(B) * np.arange(B)  # the first part weighs less
    network = RecurrentNetwork("gru", 2, 5, 2, 2, dtype=np.float64)
    network.initialize(np.random.RandomState(1))
    loss_alone, alone = loss_and_gradients(batch_gradient, network, X, missing, Y, 3, weights)
    with column_split_of(network, 1) as split:
        loss_split, grads_split = loss_and_gradients(split, network, X, missing, Y, 3, weights)
        # a part without weight has no mean of its own: the batch is not split
        zero = np.where(np.arange(B) < B // 2, 0.0, 1.0)
        loss_zero, grads_zero = loss_and_gradients(split, network, X, missing, Y, 3, zero)
    assert loss_split == pytest.approx(loss_alone, rel=1e-13)
    np.testing.assert_allclose(grads_split, alone, rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(
        grads_zero, loss_and_gradients(batch_gradient, network, X, missing, Y, 3, zero)[1])
    assert np.isfinite(loss_zero)


def test_three_processes_and_a_batch_of_eleven():
    X, _, Y = make_batch(B=11)
    network = RecurrentNetwork("gru", 2, 4, 2, 2, dtype=np.float64)
    network.initialize(np.random.RandomState(2))
    alone = loss_and_gradients(batch_gradient, network, X, None, Y)[1]
    with column_split_of(network, 2) as split:
        grads_split = loss_and_gradients(split, network, X, None, Y)[1]
        assert len(split.plan(X.shape[0], 11)) == 3 and len(workers_alive()) == 2
    np.testing.assert_allclose(grads_split, alone, rtol=1e-12, atol=1e-14)
    assert not workers_alive()


def test_float64_inputs_to_a_float32_network():
    X, _, Y = make_batch()
    network = RecurrentNetwork("lstm", 2, 5, 1, 2).initialize(np.random.RandomState(0))
    loss_alone, alone = loss_and_gradients(batch_gradient, network, X, None, Y)  # X is float64
    with column_split_of(network, 1) as split:
        loss_split, grads_split = loss_and_gradients(split, network, X, None, Y)
        assert workers_alive()
    assert grads_split.dtype == np.float32
    assert loss_split == pytest.approx(loss_alone, rel=1e-5)
    np.testing.assert_allclose(grads_split, alone, rtol=1e-4, atol=1e-6)


def test_a_split_serves_only_its_own_network():
    X, _, Y = make_batch()
    network = RecurrentNetwork("rnn", 2, 4, 1, 2, dtype=np.float64)
    other = RecurrentNetwork("rnn", 2, 4, 1, 2, dtype=np.float64)
    with column_split_of(network, 1) as split, pytest.raises(ValueError, match="one per network"):
        split(other, X, None, Y)


def test_small_batches_are_not_split_and_start_no_worker(monkeypatch):
    monkeypatch.setattr(cw, "MIN_PART_WORK", 10 ** 9)
    X, _, Y = make_batch()
    network = RecurrentNetwork("lstm", 2, 4, 1, 2, dtype=np.float64).initialize(np.random.RandomState(0))
    alone = loss_and_gradients(batch_gradient, network, X, None, Y)
    with column_split_of(network, 1) as split:
        kept = loss_and_gradients(split, network, X, None, Y)
        assert not split._links
    assert kept[0] == alone[0]
    np.testing.assert_array_equal(kept[1], alone[1])


def test_one_process_trains_with_the_cores_own_batch_gradient(monkeypatch):
    network = RecurrentNetwork("gru", 2, 4)
    monkeypatch.setattr(cw, "usable_cpus", lambda: 1)
    with column_split(network, 2) as gradient:
        assert gradient is batch_gradient
    monkeypatch.setattr(cw, "usable_cpus", lambda: 2)
    with column_split(network, None) as gradient:
        assert gradient is batch_gradient
    with column_split(network, 2) as gradient:
        assert isinstance(gradient, ColumnSplit) and gradient.n_workers == 1


def memory_task(n=300, steps=8, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((n, steps))
    return X, X[:, 3] + 0.5 * X[:, -1]


@pytest.mark.parametrize("cell", CELLS)
def test_fit_with_n_jobs_2_gives_the_same_model_within_rounding(cell):
    X, y = memory_task()
    params = dict(cell=cell, num_layers=2, hidden_size=6, batch_size=32,
                  max_iter=3, early_stopping=True, validation_fraction=0.2, bptt_steps=5,
                  dtype="float64", random_state=0)
    one = RNNRegressor(**params).fit(X, y)
    two = RNNRegressor(n_jobs=2, **params).fit(X, y)
    again = RNNRegressor(n_jobs=2, **params).fit(X, y)
    if n_processes(2) == 2:  # on one processor n_jobs=2 trains in one process
        assert not np.array_equal(two.predict(X), one.predict(X))  # the sums were split
    np.testing.assert_allclose(two.predict(X), one.predict(X), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(two.loss_curve_, one.loss_curve_, rtol=1e-9)
    np.testing.assert_array_equal(again.predict(X), two.predict(X))  # deterministic
    raw = ArrayBatches(*to_time_major(X[:, :, None], np.float64), y[None, :])
    on_batches = RNNRegressor(n_jobs=2, **params).fit_batches(raw)
    np.testing.assert_array_equal(on_batches.predict(X), two.predict(X))
    two.partial_fit(X, y)
    one.partial_fit(X, y)
    np.testing.assert_allclose(two.predict(X), one.predict(X), rtol=1e-9, atol=1e-12)
    assert not workers_alive()
    restored = pickle.loads(pickle.dumps(two))
    np.testing.assert_array_equal(restored.predict(X), two.predict(X))


def test_weighted_fit_with_n_jobs_2_gives_the_same_model_within_rounding():
    """Each part's loss and gradient count by its share of the batch's
    weight; a batch with a part of zero weight is not split."""
    X, y = memory_task()
    weight = np.random.RandomState(1).uniform(0, 3, len(y))
    weight[:40] = 0  # whole parts of the first batches weigh nothing
    params = dict(cell="gru", hidden_size=6, max_iter=3, shuffle=False, dtype="float64",
                  random_state=0)
    one = RNNRegressor(**params).fit(X, y, sample_weight=weight)
    two = RNNRegressor(n_jobs=2, **params).fit(X, y, sample_weight=weight)
    np.testing.assert_allclose(two.predict(X), one.predict(X), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(two.loss_curve_, one.loss_curve_, rtol=1e-9)
    unweighted = RNNRegressor(n_jobs=2, **params).fit(X, y)
    assert not np.allclose(unweighted.predict(X), two.predict(X))  # the weights count


@pytest.mark.parametrize("n_jobs", [0, -2, 1.5, "2"])
def test_bad_n_jobs_is_refused_by_name(n_jobs):
    X, y = memory_task(n=40)
    with pytest.raises((ValueError, TypeError), match="n_jobs"):
        RNNRegressor(n_jobs=n_jobs, max_iter=1).fit(X, y)


@pytest.mark.parametrize("cell", CELLS)
def test_a_diverging_fit_with_workers_keeps_finite_weights(cell):
    # the workers' gradients overflow too: the sum the caller checks is not finite
    rng = np.random.RandomState(0)
    X = rng.standard_normal((64, 5)) * 1e10
    model = RNNRegressor(cell=cell, hidden_size=4, solver="sgd", clip_norm=None,
                         learning_rate_init=1e30, batch_size=64, max_iter=10, n_jobs=2,
                         random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.warns(ConvergenceWarning, match="diverged"):
            model.fit(X, X.sum(axis=1))
    assert model.diverged_
    assert all(np.isfinite(w).all() for w in model.weights_.values())
    assert not workers_alive()


@pytest.mark.skipif(cw.start_method() != "fork",
                    reason="a forked worker inherits the patched method")
def test_a_failing_worker_is_reported_with_its_traceback(monkeypatch):
    original, parent = RecurrentNetwork.backward, os.getpid()

    def backward(self, *args, **kwargs):
        if os.getpid() != parent:
            raise FloatingPointError("boom in the worker")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(RecurrentNetwork, "backward", backward)
    monkeypatch.setattr(cw, "usable_cpus", lambda: 2)
    X, _, Y = make_batch()
    network = RecurrentNetwork("gru", 2, 4, 1, 2, dtype=np.float64).initialize(np.random.RandomState(0))
    with pytest.raises(WorkerError, match="FloatingPointError: boom in the worker"):
        with column_split(network, 2) as gradient:
            loss_and_gradients(gradient, network, X, None, Y)
    assert not workers_alive()


def test_a_worker_that_died_is_reported():
    X, _, Y = make_batch()
    network = RecurrentNetwork("rnn", 2, 4, 1, 2, dtype=np.float64).initialize(np.random.RandomState(0))
    with column_split_of(network, 1) as split:
        loss_and_gradients(split, network, X, None, Y)
        split._processes[0].kill()
        split._processes[0].join()
        with pytest.raises(WorkerError, match="ended"):
            loss_and_gradients(split, network, X, None, Y)
    assert not workers_alive()


def test_an_error_in_the_caller_ends_the_workers(monkeypatch):
    monkeypatch.setattr(cw, "usable_cpus", lambda: 2)
    X, _, _ = make_batch(T=50, B=128)
    X, Y = X.astype(np.float32), np.ones((1, 128), np.float32)
    network = RecurrentNetwork("lstm", 2, 64, dtype=np.float32).initialize(np.random.RandomState(0))
    with pytest.raises(KeyError, match="stop"):
        with column_split(network, 2) as split:
            parts = split.parts(50, 128)
            split._send(X, None, Y, None, None, parts)
            raise KeyError("stop")  # the worker's reply (its gradients) is never read
    assert not workers_alive()


def _fit_in_a_daemon(queue):
    X, y = memory_task(n=200)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        RNNRegressor(hidden_size=4, batch_size=32, max_iter=1,
                     n_jobs=2).fit(X, y)
    queue.put([str(w.message) for w in caught])


@pytest.mark.skipif(cw.start_method() != "fork" or cw.usable_cpus() < 2,
                    reason="forks a daemon; needs two processors to ask for a worker")
def test_a_daemon_process_trains_alone_and_says_so():
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    daemon = context.Process(target=_fit_in_a_daemon, args=(queue,), daemon=True)
    daemon.start()
    messages = queue.get(timeout=60)
    daemon.join()
    assert any("daemon" in m and "one process" in m for m in messages), messages


def test_spawned_workers_give_the_same_gradients(monkeypatch):
    monkeypatch.setattr(cw, "START_METHOD", "spawn")  # that of macOS and Windows
    X, missing, Y = make_batch(with_missing=True)
    network = RecurrentNetwork("lstm", 2, 5, 2, 2, dtype=np.float64)
    network.initialize(np.random.RandomState(1))
    alone = loss_and_gradients(batch_gradient, network, X, missing, Y)[1]
    monkeypatch.setattr(cw, "usable_cpus", lambda: 2)
    with column_split(network, 2) as split:
        grads_split = loss_and_gradients(split, network, X, missing, Y)[1]
        assert split._processes[0]._start_method == "spawn"
    np.testing.assert_allclose(grads_split, alone, rtol=1e-12, atol=1e-14)
    assert not workers_alive()


def test_the_forecasters_window_training_splits_its_batches(monkeypatch):
    import pandas as pd

    from rnnforecast import RNNForecaster

    started = []
    start = ColumnSplit._start
    monkeypatch.setattr(ColumnSplit, "_start",
                        lambda self, n: (started.append(n), start(self, n))[1])
    index = pd.date_range("2020-01-01", periods=200, freq="D")
    t = np.arange(200)
    y = pd.Series(np.sin(2 * np.pi * t / 7) + 0.01 * t, index=index)
    forecasts = []
    for n_jobs in (None, 2):
        regressor = RNNRegressor(hidden_size=6, batch_size=32, max_iter=3, dtype="float64",
                                 random_state=0, n_jobs=n_jobs)
        model = RNNForecaster(window=14, horizon=3, regressor=regressor, n_networks=1,
                              early_stopping=False, random_state=0).fit(y)
        forecasts.append(model.predict())
    assert started and set(started) == {1}  # each fit (calibration, final) one worker
    np.testing.assert_allclose(forecasts[1].to_numpy(), forecasts[0].to_numpy(), rtol=1e-9)
    assert not workers_alive()
