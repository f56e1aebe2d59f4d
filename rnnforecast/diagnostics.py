"""Make backpropagation through time visible on a fitted model.

The gradient that reaches the hidden state k steps back is a product of k
Jacobians, dh_t/dh_{t-1} = diag(act'(a_t)) W_hh for the Elman cell, so its
norm shrinks or grows roughly geometrically with the lag: it vanishes when
the spectral radius of W_hh times the typical derivative of the nonlinearity
(the tanh "valve", 1 - h^2, near 0 for saturated units) is below 1, and
explodes when it is above 1. Gates (GRU, LSTM) add paths whose Jacobian is
close to the identity, so the gradient survives longer lags.

- :func:`gradient_flow`: ||dL/dh_k|| per lag and layer, averaged over samples.
- :func:`spectral_radius`: largest |eigenvalue| and singular value of every
  recurrent gate matrix.
- :func:`saturation`: fraction of tanh/sigmoid units in their flat region,
  per lag, layer and gate.

Fitted estimators also record the training-time picture:
``grad_norm_curve_`` (mean global gradient norm before clipping, per epoch)
and ``clipped_curve_`` (fraction of updates clipped, per epoch).
"""

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from .estimator import RNNRegressor

_CHUNK = 256


def _regressor(estimator):
    """The fitted RNNRegressor inside ``estimator`` (itself, or a wrapper's
    ``regressor_``)."""
    model = getattr(estimator, "regressor_", estimator)
    if not isinstance(model, RNNRegressor):
        raise TypeError(
            f"estimator must be a fitted RNNRegressor (or hold one as regressor_); "
            f"got {type(estimator).__name__}"
        )
    check_is_fitted(model)
    return model


def _chunks(n_samples, missing):
    """Column slices of at most _CHUNK samples, with their missing-step masks."""
    for start in range(0, n_samples, _CHUNK):
        cols = slice(start, min(start + _CHUNK, n_samples))
        yield cols, None if missing is None else missing[:, cols]


def _lag_index(n_steps):
    return pd.RangeIndex(n_steps - 1, -1, -1, name="lag")


def gradient_flow(estimator, X, y):
    """Norm of the loss gradient with respect to each hidden state, by lag.

    For every sample the loss is 0.5 * mean over outputs of the squared
    error, and the gradient is back-propagated in float64 with full BPTT
    (whatever the estimator's ``bptt_steps``) through the fitted weights.

    Parameters
    ----------
    estimator : RNNRegressor
        A fitted estimator (or an object holding one as ``regressor_``).
    X : array-like of shape (n_samples, n_steps * n_step_features) or \
            (n_samples, n_steps, n_step_features)
        Sequences, as given to ``fit``.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Their targets.

    Returns
    -------
    flow : DataFrame of shape (n_steps, num_layers)
        ``flow.loc[k, "layer l"]`` is ||dL/dh_t|| for the state of layer l
        after the step k steps before the newest (lag 0 = newest step),
        averaged over samples. Sorted by lag.

    Examples
    --------
    >>> import numpy as np
    >>> from rnnforecast import RNNRegressor
    >>> from rnnforecast.diagnostics import gradient_flow
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, (100, 10)); y = X[:, -1]
    >>> model = RNNRegressor(cell="rnn", hidden_size=8, max_iter=5, random_state=0).fit(X, y)
    >>> flow = gradient_flow(model, X, y)
    >>> flow.shape, flow.index[0], flow.index[-1]
    ((10, 1), 0, 9)
    """
    model = _regressor(estimator)
    X_time, missing, Y, _ = model._validate_sequences(X, y, reset=False, dtype=np.float64)
    network = model._network.astype(np.float64)
    T, _, N = X_time.shape
    total = np.zeros((network.num_layers, T))
    for cols, m in _chunks(N, missing):
        y_pred = network.forward(X_time[:, :, cols], m)
        d_out = (y_pred - Y[:, cols]) / network.n_outputs
        norms = np.empty((network.num_layers, T, y_pred.shape[1]))
        network.backward(d_out, state_grad_norms=norms)
        total += norms.sum(axis=2)
    columns = [f"layer {layer}" for layer in range(network.num_layers)]
    flow = pd.DataFrame((total / N).T, index=_lag_index(T), columns=columns)
    return flow.sort_index()


def spectral_radius(estimator):
    """Spectral radius and largest singular value of each recurrent matrix.

    Parameters
    ----------
    estimator : RNNRegressor
        A fitted estimator (or an object holding one as ``regressor_``).

    Returns
    -------
    radii : DataFrame
        One row per layer and gate (``h`` for the Elman cell; ``r, z, n``
        for the GRU; ``i, f, o, g`` for the LSTM), with columns
        ``spectral_radius`` (max |eigenvalue| of that gate's H x H block of
        ``W_hh``) and ``largest_singular_value`` (its 2-norm).

    Examples
    --------
    >>> import numpy as np
    >>> from rnnforecast import RNNRegressor
    >>> from rnnforecast.diagnostics import spectral_radius
    >>> X = np.random.RandomState(0).uniform(-1, 1, (50, 6)); y = X[:, -2]
    >>> model = RNNRegressor(cell="gru", hidden_size=4, max_iter=2, random_state=0).fit(X, y)
    >>> list(spectral_radius(model).index.get_level_values("gate"))
    ['r', 'z', 'n']
    """
    model = _regressor(estimator)
    network = model._network
    H = network.hidden_size
    rows, index = [], []
    for layer in range(network.num_layers):
        W_hh = network.weights[f"W_hh_{layer}"].astype(np.float64)
        for k, gate in enumerate(network.cell.gate_names()):
            block = W_hh[k * H:(k + 1) * H]
            rows.append((np.abs(np.linalg.eigvals(block)).max(), np.linalg.norm(block, 2)))
            index.append((f"layer {layer}", gate))
    return pd.DataFrame(
        rows, columns=["spectral_radius", "largest_singular_value"],
        index=pd.MultiIndex.from_tuples(index, names=["layer", "gate"]),
    )


def saturation(estimator, X, threshold=0.95):
    """Fraction of squashing units in their flat region, per lag.

    A tanh unit is saturated when |tanh(a)| > ``threshold``; a sigmoid unit
    when |2 sigmoid(a) - 1| > ``threshold`` (the same condition, since
    sigmoid(a) = (1 + tanh(a / 2)) / 2). Where a unit is saturated its
    derivative is nearly 0 and it closes the gradient's path through time.
    Missing steps are left out; a lag where every sample is missing is NaN.

    Parameters
    ----------
    estimator : RNNRegressor
        A fitted estimator (or an object holding one as ``regressor_``).
    X : array-like of shape (n_samples, n_steps * n_step_features) or \
            (n_samples, n_steps, n_step_features)
    threshold : float in (0, 1), default=0.95

    Returns
    -------
    fractions : DataFrame of shape (n_steps, n_units)
        Indexed by lag (0 = newest step); columns ``(layer, unit)`` with
        units ``h`` (Elman; a relu cell has no flat region and is left out),
        ``r, z, n`` (GRU), ``i, f, o, g, tanh(c)`` (LSTM).

    Examples
    --------
    >>> import numpy as np
    >>> from rnnforecast import RNNRegressor
    >>> from rnnforecast.diagnostics import saturation
    >>> X = np.random.RandomState(0).uniform(-1, 1, (50, 6)); y = X[:, -2]
    >>> model = RNNRegressor(cell="lstm", hidden_size=4, max_iter=2, random_state=0).fit(X, y)
    >>> list(saturation(model, X).columns.get_level_values("unit"))
    ['i', 'f', 'o', 'g', 'tanh(c)']
    """
    if not 0 < threshold < 1:
        raise ValueError(f"threshold must be in (0, 1); got {threshold!r}")
    model = _regressor(estimator)
    X_time, missing = model._validate_sequences(X, reset=False, dtype=np.float64)[:2]
    network = model._network.astype(np.float64)
    T, _, N = X_time.shape
    present = np.ones((T, N)) if missing is None else (~missing).astype(float)
    counts = {}
    for cols, m in _chunks(N, missing):
        network.forward(X_time[:, :, cols], m)
        for layer, units in enumerate(network.activations()):
            for unit, (kind, values) in units.items():
                if kind == "relu":
                    continue
                squashed = np.abs(2 * values - 1) if kind == "sigmoid" else np.abs(values)
                flat = (squashed > threshold).mean(axis=1) * present[:, cols]
                key = (f"layer {layer}", unit)
                counts[key] = counts.get(key, 0) + flat.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        fractions = {key: c / present.sum(axis=1) for key, c in counts.items()}
    frame = pd.DataFrame(fractions, index=_lag_index(T))
    frame.columns.names = ["layer", "unit"]
    return frame.sort_index()
