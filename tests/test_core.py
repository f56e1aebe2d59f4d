"""The NumPy core through its stable interfaces: optimiser steps, clipping,
the loss, missing steps, dtypes, and importing without sklearn/pandas/scipy."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from rnnforecast._core.batches import ArrayBatches
from rnnforecast._core.losses import l2_penalty, squared_error
from rnnforecast._core.optimizers import SGD, Adam, clip_global_norm, make_optimizer
from rnnforecast._core.prediction_copies import predict_as
from rnnforecast._core.recurrent import RecurrentNetwork
from rnnforecast._core.time_major import to_time_major
from rnnforecast._core.training import batch_gradient, train_epoch

REPO_ROOT = Path(__file__).resolve().parent.parent
CELLS = ["rnn", "gru", "lstm"]
GATES = {"rnn": 1, "gru": 3, "lstm": 4}


# -- optimisers -------------------------------------------------------------

def _params_and_grads(seed=0, size=7):
    rng = np.random.RandomState(seed)
    params = rng.standard_normal(size)
    grads = [rng.standard_normal(size) for _ in range(3)]
    return params, grads


def test_sgd_classical_momentum_matches_its_formula():
    lr, mu = 0.1, 0.9
    params, grads = _params_and_grads()
    p = params.copy()
    opt = SGD(p, learning_rate=lr, momentum=mu, nesterov=False)
    expected, v = params.copy(), np.zeros_like(params)
    for g in grads:
        opt.update(p, g.copy())
        v = mu * v - lr * g
        expected = expected + v
        np.testing.assert_allclose(p, expected, rtol=1e-12, atol=1e-15)


def test_sgd_nesterov_momentum_matches_its_formula():
    """Nesterov in the "look-ahead" form: v <- mu v - lr g; p <- p + mu v - lr g."""
    lr, mu = 0.05, 0.8
    params, grads = _params_and_grads(seed=1)
    p = params.copy()
    opt = SGD(p, learning_rate=lr, momentum=mu, nesterov=True)
    expected, v = params.copy(), np.zeros_like(params)
    for g in grads:
        opt.update(p, g.copy())
        v = mu * v - lr * g
        expected = expected + mu * v - lr * g
        np.testing.assert_allclose(p, expected, rtol=1e-12, atol=1e-15)


def test_sgd_nesterov_and_classical_differ():
    params, grads = _params_and_grads(seed=2)
    a, b = params.copy(), params.copy()
    opt_a = SGD(a, learning_rate=0.1, momentum=0.9, nesterov=False)
    opt_b = SGD(b, learning_rate=0.1, momentum=0.9, nesterov=True)
    for g in grads:
        opt_a.update(a, g.copy())
        opt_b.update(b, g.copy())
    assert not np.allclose(a, b)


def test_sgd_without_momentum_is_plain_gradient_descent():
    params, grads = _params_and_grads(seed=3)
    p = params.copy()
    opt = SGD(p, learning_rate=0.3, momentum=0.0, nesterov=False)
    for g in grads:
        opt.update(p, g.copy())
    np.testing.assert_allclose(p, params - 0.3 * sum(grads), rtol=1e-12)


@pytest.mark.parametrize("lr, b1, b2, eps", [(0.01, 0.9, 0.999, 1e-8), (0.1, 0.5, 0.9, 1e-3)])
def test_adam_matches_its_formula(lr, b1, b2, eps):
    params, grads = _params_and_grads(seed=4)
    p = params.copy()
    opt = Adam(p, learning_rate=lr, beta_1=b1, beta_2=b2, epsilon=eps)
    expected = params.copy()
    m, v = np.zeros_like(params), np.zeros_like(params)
    for t, g in enumerate(grads, start=1):
        opt.update(p, g.copy())
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        step = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
        expected = expected - step * m / (np.sqrt(v) + eps)
        np.testing.assert_allclose(p, expected, rtol=1e-12, atol=1e-15)


def test_adam_first_step_moves_every_parameter_by_about_the_learning_rate():
    """With bias correction, step 1 is lr * g / |g| (up to epsilon)."""
    params, grads = _params_and_grads(seed=5)
    p = params.copy()
    Adam(p, learning_rate=0.01).update(p, grads[0].copy())
    np.testing.assert_allclose(p - params, -0.01 * np.sign(grads[0]), rtol=1e-4)


@pytest.mark.parametrize("make", [lambda p: SGD(p, 0.1, 0.9), lambda p: Adam(p, 0.1)])
def test_optimiser_updates_in_place_and_keeps_float32(make):
    p = np.ones(5, np.float32)
    alias = p
    make(p).update(p, np.full(5, 0.5, np.float32))
    assert alias is p and p.dtype == np.float32
    assert np.all(p < 1)


def test_optimiser_does_not_modify_the_gradients():
    for opt_cls in (SGD, Adam):
        params, grads = _params_and_grads(seed=6)
        g = grads[0].copy()
        opt_cls(params, 0.1).update(params, g)
        np.testing.assert_array_equal(g, grads[0])


# -- clipping ---------------------------------------------------------------

def test_clip_global_norm_scales_to_max_norm_exactly():
    rng = np.random.RandomState(0)
    grads = rng.standard_normal(50) * 10
    original = grads.copy()
    norm_before = np.linalg.norm(original)
    norm, clipped = clip_global_norm(grads, 1.5)
    assert clipped is True
    assert norm == pytest.approx(norm_before, rel=1e-12)
    assert np.linalg.norm(grads) == pytest.approx(1.5, rel=1e-12)
    # Same direction: a positive multiple of the original.
    np.testing.assert_allclose(grads, original * (1.5 / norm_before), rtol=1e-12)


def test_clip_global_norm_leaves_small_gradients_untouched():
    grads = np.array([0.3, -0.4, 0.0])  # norm 0.5
    original = grads.copy()
    norm, clipped = clip_global_norm(grads, 1.0)
    assert clipped is False
    assert norm == pytest.approx(0.5, rel=1e-12)
    np.testing.assert_array_equal(grads, original)


def test_clip_global_norm_at_exactly_max_norm_does_not_clip():
    grads = np.array([3.0, 4.0])
    norm, clipped = clip_global_norm(grads, 5.0)
    assert (norm, clipped) == (pytest.approx(5.0), False)
    np.testing.assert_array_equal(grads, [3.0, 4.0])


def test_clip_global_norm_none_disables_clipping_but_reports_the_norm():
    grads = np.array([300.0, 400.0])
    norm, clipped = clip_global_norm(grads, None)
    assert norm == pytest.approx(500.0) and clipped is False
    np.testing.assert_array_equal(grads, [300.0, 400.0])


def test_clip_global_norm_uses_a_given_norm():
    grads = np.array([3.0, 4.0])
    norm, clipped = clip_global_norm(grads, 1.0, norm=10.0)
    assert norm == 10.0 and clipped is True
    np.testing.assert_allclose(grads, [0.3, 0.4])


def test_clip_global_norm_in_float32():
    grads = np.full(1000, 2.0, np.float32)
    norm, clipped = clip_global_norm(grads, 1.0)
    assert clipped and grads.dtype == np.float32
    assert norm == pytest.approx(np.sqrt(4000.0), rel=1e-6)
    assert float(np.linalg.norm(grads.astype(np.float64))) == pytest.approx(1.0, rel=1e-5)


# -- loss -------------------------------------------------------------------

@pytest.mark.parametrize("n_outputs", [1, 3])
def test_squared_error_value_and_gradient(n_outputs):
    rng = np.random.RandomState(n_outputs)
    B = 6
    y_pred, y_true = rng.standard_normal((n_outputs, B)), rng.standard_normal((n_outputs, B))
    pred0, true0 = y_pred.copy(), y_true.copy()
    loss, grad = squared_error(y_pred, y_true)
    expected = sum((y_pred[o, b] - y_true[o, b]) ** 2
                   for o in range(n_outputs) for b in range(B)) / (2 * n_outputs * B)
    assert loss == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(grad, (y_pred - y_true) / (n_outputs * B), rtol=1e-12)
    assert grad.shape == (n_outputs, B)
    np.testing.assert_array_equal(y_pred, pred0)
    np.testing.assert_array_equal(y_true, true0)


@pytest.mark.parametrize("n_outputs", [1, 3])
def test_squared_error_with_sample_weights(n_outputs):
    rng = np.random.RandomState(10 + n_outputs)
    B = 5
    y_pred, y_true = rng.standard_normal((n_outputs, B)), rng.standard_normal((n_outputs, B))
    w = np.array([0.5, 2.0, 0.0, 1.0, 3.0])
    w0 = w.copy()
    loss, grad = squared_error(y_pred, y_true, w)
    expected = sum(w[b] * (y_pred[o, b] - y_true[o, b]) ** 2
                   for o in range(n_outputs) for b in range(B)) / (2 * n_outputs * w.sum())
    assert loss == pytest.approx(expected, rel=1e-12)
    expected_grad = w[None, :] * (y_pred - y_true) / (n_outputs * w.sum())
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-12, atol=1e-300)
    assert np.all(grad[:, 2] == 0)  # zero weight, no gradient
    np.testing.assert_array_equal(w, w0)


def test_squared_error_unit_weights_equal_no_weights():
    rng = np.random.RandomState(3)
    y_pred, y_true = rng.standard_normal((2, 4)), rng.standard_normal((2, 4))
    loss, grad = squared_error(y_pred, y_true)
    for c in (1.0, 7.0):  # only relative weights matter
        loss_w, grad_w = squared_error(y_pred, y_true, np.full(4, c))
        assert loss_w == pytest.approx(loss, rel=1e-12)
        np.testing.assert_allclose(grad_w, grad, rtol=1e-12)


def test_squared_error_gradient_is_the_derivative_of_the_loss():
    rng = np.random.RandomState(4)
    y_pred, y_true = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    w = rng.rand(3) + 0.1
    _, grad = squared_error(y_pred, y_true, w)
    eps = 1e-6
    for idx in np.ndindex(y_pred.shape):
        plus, minus = y_pred.copy(), y_pred.copy()
        plus[idx] += eps
        minus[idx] -= eps
        numeric = (squared_error(plus, y_true, w)[0] - squared_error(minus, y_true, w)[0]) / (2 * eps)
        assert grad[idx] == pytest.approx(numeric, rel=1e-6, abs=1e-10)


def test_l2_penalty_acts_on_weights_not_biases():
    net = RecurrentNetwork("gru", 2, 3, 1, 1, dtype=np.float64).initialize(np.random.RandomState(0))
    saved = net.params.copy()
    for name, w in net.weights.items():  # 1 on weights, 0 on biases
        w[...] = 0.0 if name.startswith("b") else 1.0
    mask = net.params.copy()
    net.params[...] = saved
    net.weights["b_0"][...] = 5.0  # biases must not count
    net.weights["b_y"][...] = 5.0
    weights = [w for name, w in net.weights.items() if not name.startswith("b")]
    squared = sum(float(np.sum(w**2)) for w in weights)
    alpha, n = 0.3, 8
    grad = np.full_like(net.params, 0.5)
    value = l2_penalty(net.params, mask, alpha, n, grad)
    assert value == pytest.approx(alpha / (2 * n) * squared, rel=1e-12)
    np.testing.assert_allclose(grad, 0.5 + alpha / n * net.params * mask, rtol=1e-12)
    assert l2_penalty(net.params, mask, 0.0, n) == 0.0


# -- import without sklearn, pandas or scipy --------------------------------

_NO_SKLEARN_SCRIPT = textwrap.dedent(
    """
    import importlib.abc
    import sys

    BLOCKED = {"sklearn", "pandas", "scipy"}

    class Blocker(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in BLOCKED:
                raise ImportError(f"{name} is blocked in this test")
            return None

    sys.meta_path.insert(0, Blocker())
    for name in BLOCKED:
        try:
            __import__(name)
        except ImportError:
            pass
        else:
            raise SystemExit(f"the blocker did not block {name}")

    import numpy as np
    import rnnforecast._core
    from rnnforecast._core import RecurrentNetwork, minibatches, train_epoch
    from rnnforecast._core.batches import ArrayBatches
    from rnnforecast._core.optimizers import Adam, SGD

    rng = np.random.RandomState(0)
    T, F, N = 5, 2, 48
    X = rng.standard_normal((T, F, N))
    Y = np.stack([X[:, 0].mean(axis=0), X[-1, 1]])  # (2, N)
    missing = rng.rand(T, N) < 0.1
    X[np.broadcast_to(missing[:, None, :], X.shape)] = 0
    for cell in ("rnn", "gru", "lstm"):
        for solver in (Adam, SGD):
            net = RecurrentNetwork(cell, F, 6, num_layers=2, n_outputs=2).initialize(rng)
            opt = Adam(net.params, 0.01) if solver is Adam else SGD(net.params, 0.05, 0.9)
            losses = []
            for epoch in range(25):
                stats = train_epoch(net, opt, ArrayBatches(X, missing, Y), minibatches(N, 16, rng),
                                    alpha=1e-4, clip_norm=1.0, bptt_steps=None)
                assert not stats.diverged
                losses.append(stats.loss)
            assert losses[-1] < 0.8 * losses[0], (cell, solver.__name__, losses)
            assert np.isfinite(net.params).all()

    leaked = sorted(m for m in sys.modules if m.partition(".")[0] in BLOCKED)
    assert not leaked, leaked
    print("core-ok")
    """
)


def test_core_imports_and_trains_without_sklearn_pandas_or_scipy():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    result = subprocess.run(
        [sys.executable, "-c", _NO_SKLEARN_SCRIPT],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "core-ok" in result.stdout


# -- missing steps ----------------------------------------------------------

def _network(cell, num_layers, n_inputs=2, n_outputs=2, seed=0):
    net = RecurrentNetwork(cell, n_inputs, 5, num_layers, n_outputs, dtype=np.float64)
    net.initialize(np.random.RandomState(seed))
    # Larger weights: gates and tanh away from their linear regime; nonzero
    # biases, so that a zero input step is not a no-op from the zero state.
    net.params *= 1.5
    rng = np.random.RandomState(100 + seed)
    for name, w in net.weights.items():
        if name.startswith("b"):
            w += rng.uniform(-0.5, 0.5, w.shape)
    return net


def _forward(net, X):
    """Network output (N, O) for sample-major sequences X (N, T, F)."""
    X_time, missing = to_time_major(X, np.float64)
    return net.forward(X_time, missing).T.copy()


# Round-off only: the same arithmetic in a differently shaped batch.
EXACT = dict(rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("num_layers", [1, 2])
def test_missing_middle_step_equals_removing_it(cell, num_layers):
    rng = np.random.RandomState(1)
    N, T, F = 6, 7, 2
    net = _network(cell, num_layers)
    X = rng.standard_normal((N, T, F))
    gaps = np.array([1, 2, 3, 4, 5, 3])  # one missing step per row, in the middle
    X_nan = X.copy()
    X_nan[np.arange(N), gaps, :] = np.nan
    X_nan[5, 3, 0] = 2.0  # row 5: only one feature is NaN, the step is still missing
    X_removed = np.stack([np.delete(X[i], gaps[i], axis=0) for i in range(N)])
    out = _forward(net, X_nan)
    np.testing.assert_allclose(out, _forward(net, X_removed), **EXACT)
    for i in range(N):  # and one sequence at a time
        np.testing.assert_allclose(_forward(net, X_nan[i:i + 1]), _forward(net, X_removed[i:i + 1]), **EXACT)
    # The test can fail: a zero (present) step instead of a missing one changes the output.
    X_zero = X.copy()
    X_zero[np.arange(N), gaps, :] = 0
    assert np.all(np.abs(_forward(net, X_zero) - out).max(axis=1) > 1e-6)


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("num_layers", [1, 2])
def test_nan_left_padding_equals_the_shorter_sequence(cell, num_layers):
    rng = np.random.RandomState(2)
    N, T, F, pad = 5, 8, 2, 3
    net = _network(cell, num_layers, seed=3)
    short = rng.standard_normal((N, T - pad, F))
    padded = np.concatenate([np.full((N, pad, F), np.nan), short], axis=1)
    np.testing.assert_allclose(_forward(net, padded), _forward(net, short), **EXACT)
    # Rows padded by different amounts in one batch.
    mixed = rng.standard_normal((N, T, F))
    for i in range(N):
        mixed[i, :i] = np.nan
    out = _forward(net, mixed)
    for i in range(N):
        np.testing.assert_allclose(out[i:i + 1], _forward(net, mixed[i:i + 1, i:]), **EXACT)
    # Zero padding is not the same as missing steps.
    zeros = np.concatenate([np.zeros((N, pad, F)), short], axis=1)
    assert not np.allclose(_forward(net, zeros), _forward(net, padded))


@pytest.mark.parametrize("cell", CELLS)
def test_fully_missing_sequence_outputs_the_head_bias(cell):
    net = _network(cell, 2)
    net.weights["b_y"][...] = [0.25, -1.5]
    X = np.full((3, 4, 2), np.nan)
    np.testing.assert_allclose(_forward(net, X), np.tile([0.25, -1.5], (3, 1)), **EXACT)


def test_to_time_major_layout_and_missing_mask():
    X = np.arange(2 * 3 * 2, dtype=float).reshape(2, 3, 2)  # (N, T, F)
    X[1, 1, 0] = np.nan
    X0 = X.copy()
    X_time, missing = to_time_major(X, np.float64)
    assert X_time.shape == (3, 2, 2) and X_time.flags.c_contiguous
    expected = np.nan_to_num(X, nan=0.0).transpose(1, 2, 0)
    expected[1, :, 1] = 0  # the whole missing step is zero-filled
    np.testing.assert_array_equal(X_time, expected)
    np.testing.assert_array_equal(missing, [[False, False], [False, True], [False, False]])
    np.testing.assert_array_equal(X, X0)  # input untouched
    X_time, missing = to_time_major(np.ones((2, 3, 1)), np.float32)
    assert missing is None and X_time.dtype == np.float32


# -- dtypes -----------------------------------------------------------------

@pytest.mark.parametrize("cell", CELLS)
def test_float32_is_the_default_dtype(cell):
    net = RecurrentNetwork(cell, 2, 4, 2, 1).initialize(np.random.RandomState(0))
    assert net.dtype == np.float32 and net.params.dtype == np.float32
    assert all(w.dtype == np.float32 for w in net.weights.values())
    assert all(g.dtype == np.float32 for g in net.grad_views.values())
    X = np.random.RandomState(1).standard_normal((5, 2, 3))  # float64 input
    y = net.forward(X)
    assert y.dtype == np.float32
    _, d_out = squared_error(y, np.zeros_like(y))
    grads = net.backward(d_out)
    assert grads.dtype == np.float32 and grads.shape == net.params.shape
    assert net.predict(X).dtype == np.float32
    opt = Adam(net.params, 0.01)
    data = ArrayBatches(X.astype(np.float32), None, np.zeros((1, 3), np.float32))
    train_epoch(net, opt, data, [np.arange(3)])
    assert net.params.dtype == np.float32 and net.grads.dtype == np.float32


@pytest.mark.parametrize("cell", CELLS)
def test_float64_on_request(cell):
    net = RecurrentNetwork(cell, 2, 4, 2, 1, dtype=np.float64).initialize(np.random.RandomState(0))
    assert net.params.dtype == np.float64
    assert all(w.dtype == np.float64 for w in net.weights.values())
    X = np.random.RandomState(1).standard_normal((5, 2, 3))
    y = net.forward(X)
    assert y.dtype == np.float64
    grads = net.backward(squared_error(y, np.zeros_like(y))[1])
    assert grads.dtype == np.float64
    assert all(g.dtype == np.float64 for g in net.grad_views.values())
    X_time, _ = to_time_major(np.zeros((3, 5, 2)), np.float64)
    assert X_time.dtype == np.float64


def test_weight_and_gradient_views_have_the_documented_shapes():
    F, H, O = 3, 4, 2
    for cell, G in GATES.items():
        net = RecurrentNetwork(cell, F, H, 2, O)
        shapes = {name: w.shape for name, w in net.weights.items()}
        assert shapes == {
            "W_hh_0": (G * H, H), "W_xh_0": (G * H, F), "b_0": (G * H,),
            "W_hh_1": (G * H, H), "W_xh_1": (G * H, H), "b_1": (G * H,),
            "W_hy": (O, H), "b_y": (O,),
        }
        assert {n: g.shape for n, g in net.grad_views.items()} == shapes
        assert sum(int(np.prod(s)) for s in shapes.values()) == net.params.size
        # The named views write through to the flat parameters.
        net.weights["W_hy"][...] = 7
        assert np.count_nonzero(net.params == 7) == O * H


# -- what the core is made of -------------------------------------------------

def test_the_core_starts_no_thread_or_process():
    # Parallel training lives outside the core (rnnforecast._column_split).
    core = REPO_ROOT / "rnnforecast" / "_core"
    concurrency = ("threading", "multiprocessing", "concurrent", "joblib", "_thread")
    for module in core.glob("*.py"):
        imported = [
            line.split()[1].split(".")[0] for line in module.read_text().splitlines()
            if line.startswith(("import ", "from "))
        ]
        assert not set(imported) & set(concurrency), (module.name, imported)


@pytest.mark.parametrize("solver, kind", [("adam", Adam), ("sgd", SGD)])
def test_make_optimizer_builds_the_named_solver(solver, kind):
    params = np.zeros(5)
    optimizer = make_optimizer(solver, params, 0.05, momentum=0.5)
    assert type(optimizer) is kind and optimizer.learning_rate == 0.05
    if kind is SGD:
        assert optimizer.momentum == 0.5 and optimizer.nesterov
    with pytest.raises(ValueError, match="'adam' or 'sgd'.*'rmsprop'"):
        make_optimizer("rmsprop", params, 0.05)


@pytest.mark.parametrize("cell", CELLS)
def test_train_epoch_computes_each_batch_through_its_gradient_function(cell):
    rng = np.random.RandomState(0)
    X, Y = rng.standard_normal((4, 2, 12)), rng.standard_normal((1, 12))
    seen = []

    def recording(network, X, missing, Y, sample_weight, bptt_steps):
        seen.append((X.shape[2], bptt_steps))
        return batch_gradient(network, X, missing, Y, sample_weight, bptt_steps)

    nets = [RecurrentNetwork(cell, 2, 3, dtype=np.float64).initialize(np.random.RandomState(1))
            for _ in range(2)]
    batches = [np.arange(5), np.arange(5, 12)]
    for net, gradient in zip(nets, [batch_gradient, recording]):
        train_epoch(net, SGD(net.params, 0.1), ArrayBatches(X, None, Y), batches,
                    bptt_steps=2, gradient=gradient)
    assert seen == [(5, 2), (7, 2)]
    np.testing.assert_array_equal(nets[1].params, nets[0].params)


# -- vanishing gradients --------------------------------------------------------

def _subnormals(a):
    magnitude = np.abs(a)
    return int(np.count_nonzero((magnitude > 0) & (magnitude < np.finfo(a.dtype).tiny)))


def _long_sequence_gradient(cell):
    """The gradient of a float32 network whose dL/dh decays over 300 steps
    (small recurrent weights) through float32's normal range, and the
    layer's dL/da of every step."""
    rng = np.random.RandomState(0)
    net = RecurrentNetwork(cell, 1, 8, 1, 1).initialize(rng)
    net.weights["W_hh_0"][...] *= 0.1
    X = rng.standard_normal((300, 1, 16))
    y = net.forward(X)
    grads = net.backward(np.ones_like(y)).copy()
    return grads, net._last[0][0].d_pre.copy()


@pytest.mark.parametrize("cell", CELLS)
def test_backward_flushes_vanishing_gradients_before_they_turn_subnormal(cell, monkeypatch):
    """Subnormal floats make x86 arithmetic many times slower: the backward pass
    sets dL/dstate entries below tiny / eps to zero, which leaves the
    gradient unchanged to the last bit here."""
    import rnnforecast._core.recurrent as recurrent

    grads, d_pre = _long_sequence_gradient(cell)
    monkeypatch.setattr(recurrent, "FLUSH_EVERY", 10**9)  # flushed only at step 0
    unflushed_grads, unflushed_d_pre = _long_sequence_gradient(cell)
    # Without the flush this sequence does go subnormal, so the test can fail.
    assert _subnormals(unflushed_d_pre) > 500
    assert _subnormals(d_pre) <= _subnormals(unflushed_d_pre) // 100
    np.testing.assert_array_equal(grads, unflushed_grads)


# -- predicting from a kept copy ---------------------------------------------

@pytest.mark.parametrize("cell", CELLS)
def test_predict_as_equals_a_fresh_cast_and_follows_the_parameters(cell):
    rng = np.random.RandomState(0)
    net = RecurrentNetwork(cell, 2, 4, 2, 1).initialize(rng)
    X = rng.standard_normal((6, 2, 5))
    missing = np.zeros((6, 5), bool)
    missing[2, 1] = True
    first = predict_as(net, np.float64, X, missing)
    np.testing.assert_array_equal(first, net.astype(np.float64).predict(X, missing))
    assert first.dtype == np.float64
    kept = first.copy()
    net.params[...] += np.float32(0.1)  # a training step: the next call reads it
    second = predict_as(net, np.float64, X, missing)
    np.testing.assert_array_equal(second, net.astype(np.float64).predict(X, missing))
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(first, kept)  # the caller's own: not written into


def test_predict_as_shares_copies_by_architecture_and_gives_concurrent_calls_their_own():
    from rnnforecast._core.prediction_copies import _COPIES

    rng = np.random.RandomState(0)
    a = RecurrentNetwork("gru", 1, 5).initialize(rng)
    b = RecurrentNetwork("gru", 1, 5).initialize(rng)  # the same architecture
    X = rng.standard_normal((5, 1, 3))
    key = ("gru", 1, 5, 1, 1, "tanh", np.dtype(np.float64))
    _COPIES.pop(key, None)
    np.testing.assert_array_equal(predict_as(a, np.float64, X), a.astype(np.float64).predict(X))
    np.testing.assert_array_equal(predict_as(b, np.float64, X), b.astype(np.float64).predict(X))
    (shared,) = _COPIES[key]  # one copy served both networks
    # A call that starts while another holds the copy builds a second one.
    taken = _COPIES[key].pop()
    np.testing.assert_array_equal(predict_as(a, np.float64, X), a.astype(np.float64).predict(X))
    (other,) = _COPIES[key]
    assert other is not shared and taken is shared
    # Another architecture has copies of its own.
    c = RecurrentNetwork("gru", 1, 6).initialize(rng)
    np.testing.assert_array_equal(predict_as(c, np.float64, X), c.astype(np.float64).predict(X))
    assert _COPIES[key] == [other]


def test_release_buffers_changes_no_training_or_prediction():
    rng = np.random.RandomState(0)
    X, Y = rng.standard_normal((6, 2, 8)), rng.standard_normal((1, 8))

    def two_epochs(release):
        net = RecurrentNetwork("lstm", 2, 4, 2, 1).initialize(np.random.RandomState(1))
        opt = Adam(net.params, 0.01)
        data = ArrayBatches(X.astype(np.float32), None, Y.astype(np.float32))
        train_epoch(net, opt, data, [np.arange(5), np.arange(5, 8)])
        if release:
            net.release_buffers()
            assert net._workspaces == {}
        train_epoch(net, opt, data, [np.arange(5), np.arange(5, 8)])
        return net.params.copy(), net.predict(X)

    for kept, released in zip(two_epochs(False), two_epochs(True)):
        np.testing.assert_array_equal(kept, released)


def test_a_network_keeps_a_bounded_number_of_workspaces():
    from rnnforecast._core.recurrent import MAX_WORKSPACES

    net = RecurrentNetwork("gru", 1, 4).initialize(np.random.RandomState(0))
    rng = np.random.RandomState(1)
    for batch in range(1, MAX_WORKSPACES + 10):
        X = rng.standard_normal((3, 1, batch))
        y = net.predict(X)
        np.testing.assert_array_equal(y, net.astype(np.float32).predict(X))
    assert len(net._workspaces) == MAX_WORKSPACES
    assert (0, 3, MAX_WORKSPACES + 9) in net._workspaces  # the newest kept, the oldest gone
    assert (0, 3, 1) not in net._workspaces


def test_a_prediction_copy_keeps_small_workspaces_and_frees_large_ones(monkeypatch):
    from rnnforecast._core import prediction_copies

    net = RecurrentNetwork("gru", 1, 8).initialize(np.random.RandomState(0))
    key = ("gru", 1, 8, 1, 1, "tanh", np.dtype(np.float64))
    prediction_copies._COPIES.pop(key, None)
    small = np.random.RandomState(1).standard_normal((10, 1, 2))
    predict_as(net, np.float64, small)
    (copy,) = prediction_copies._COPIES[key]
    assert list(copy._workspaces) == [(0, 10, 2)]
    # 40 windows of 200 steps: 3.7 MB of forward buffers, above a bound of 1 MB.
    large = np.random.RandomState(2).standard_normal((200, 1, 40))
    monkeypatch.setattr(prediction_copies, "PREDICTION_BUFFER_BYTES", 1 << 20)
    expected = net.astype(np.float64).predict(large)
    np.testing.assert_array_equal(predict_as(net, np.float64, large), expected)
    assert copy._workspaces == {}
