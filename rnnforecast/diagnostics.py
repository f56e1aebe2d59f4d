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

Each takes a fitted :class:`~rnnforecast.RNNRegressor` (or an object holding
one as ``regressor_``) with its data as the regressor's ``fit`` takes it,
``(X, y)``; or a fitted :class:`~rnnforecast.RNNForecaster` with its data as
the forecaster's ``fit`` takes it, ``(y, X=None)``. A forecaster's networks
read normalised windows and learn the residuals of its linear skip, so the
diagnostics build exactly those from the series with the forecaster's own
(fitted) helpers, and report every network of the ensemble under an outer
``network`` level (``network=i`` picks one). After a fit on many series the
data are many series too (a dict or a long frame, as in fit), and their
windows are pooled, each scaled as its own series.

Fitted estimators also record the training-time picture:
``grad_norm_curve_`` (mean global gradient norm before clipping, per epoch)
and ``clipped_curve_`` (fraction of updates clipped, per epoch).
"""

import inspect
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from .estimator import RNNRegressor
from .forecasting import RNNForecaster

__all__ = ["gradient_flow", "spectral_radius", "saturation"]

_CHUNK = 256


def _data_signature(*names):
    """The data parameters of a diagnostic: ``name`` is required,
    ``(name, default)`` optional."""
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    return inspect.Signature([
        inspect.Parameter(name, kind) if isinstance(name, str)
        else inspect.Parameter(name[0], kind, default=name[1])
        for name in names
    ])


# The data each diagnostic takes, in the order and with the names of the
# estimator's fit: (X, y) for a regressor, (y, X=None) for a forecaster.
_DATA = {
    ("gradient_flow", "regressor"): _data_signature("X", "y"),
    ("gradient_flow", "forecaster"): _data_signature("y", ("X", None)),
    ("saturation", "regressor"): _data_signature("X"),
    ("saturation", "forecaster"): _data_signature("y", ("X", None)),
}


def _bind_data(function, estimator, data, named_data):
    """The data arguments of ``function(estimator, *data, **named_data)`` by name."""
    kind = "forecaster" if isinstance(estimator, RNNForecaster) else "regressor"
    signature = _DATA[function, kind]
    try:
        bound = signature.bind(*data, **named_data)
    except TypeError as error:
        raise TypeError(
            f"{function} takes the data as {type(estimator).__name__}.fit does: "
            f"{function}({'forecaster' if kind == 'forecaster' else 'estimator'}, "
            f"{str(signature)[1:-1]}); {error}."
        ) from None
    bound.apply_defaults()
    return bound.arguments


def _regressor(estimator):
    """The fitted RNNRegressor inside ``estimator`` (itself, or a wrapper's
    ``regressor_``)."""
    model = getattr(estimator, "regressor_", estimator)
    if not isinstance(model, RNNRegressor):
        raise TypeError(
            f"estimator must be a fitted RNNRegressor (or hold one as regressor_) or a "
            f"fitted RNNForecaster; got {type(estimator).__name__}"
        )
    check_is_fitted(model)
    return model


def _networks(estimator, network):
    """The fitted RNNRegressors to diagnose, as ``[(label, model)]``.

    The label is None when the result has no ``network`` level: a regressor,
    or one network picked from a forecaster with ``network=i``.
    """
    if not isinstance(estimator, RNNForecaster):
        if network is not None:
            raise ValueError(
                f"network={network!r} picks a network of an RNNForecaster's ensemble, but "
                f"estimator is a {type(estimator).__name__}, which has one; pass "
                "network=None."
            )
        return [(None, _regressor(estimator))]
    check_is_fitted(
        estimator, "regressors_",
        msg="estimator is an RNNForecaster that is not fitted yet; call its fit(y) "
            "before running diagnostics on it.",
    )
    if getattr(estimator, "forecasters_", None) is not None:
        first = next(iter(estimator.forecasters_))
        raise ValueError(
            "estimator is an RNNForecaster that fitted a model to each of its "
            f"{len(estimator.forecasters_)} series (many_series={estimator.many_series!r}), "
            "so it has no networks of its own; diagnose one series' model, e.g. "
            f"estimator.forecasters_[{first!r}] with that series' data, or refit with "
            "many_series='global' for one model of all."
        )
    if estimator.regressors_ is None:
        raise ValueError(
            f"estimator is an RNNForecaster fitted with training={estimator.training!r}, "
            "whose networks read the whole series rather than windows; the diagnostics "
            "need training='window' (the default)."
        )
    regressors = estimator.regressors_
    for i, model in enumerate(regressors):
        if not isinstance(model, RNNRegressor):
            raise TypeError(
                f"the diagnostics need RNNRegressor networks, but estimator.regressors_[{i}] "
                f"is a {type(model).__name__} (the forecaster's regressor parameter)."
            )
    if network is None:
        return [(f"network {i}", model) for i, model in enumerate(regressors)]
    if isinstance(network, (bool, np.bool_)) or not isinstance(network, Integral):
        raise TypeError(
            f"network must be an int (the position in estimator.regressors_) or None; "
            f"got {network!r} of type {type(network).__name__}."
        )
    if not 0 <= network < len(regressors):
        raise ValueError(
            f"network={network!r}, but the forecaster has {len(regressors)} networks; "
            f"pass 0 to {len(regressors) - 1}, or None for all of them."
        )
    return [(None, regressors[int(network)])]


def _by_network(frames, axis):
    """One network's result as it is; several under an outer ``network`` level."""
    if len(frames) == 1 and frames[0][0] is None:
        return frames[0][1]
    return pd.concat(dict(frames), axis=axis, names=["network"])


def _chunks(n_samples, missing):
    """Column slices of at most _CHUNK samples, with their missing-step masks."""
    for start in range(0, n_samples, _CHUNK):
        cols = slice(start, min(start + _CHUNK, n_samples))
        yield cols, None if missing is None else missing[:, cols]


def _lag_index(n_steps):
    return pd.RangeIndex(n_steps - 1, -1, -1, name="lag")


def gradient_flow(estimator, *data, network=None, **named_data):
    """Norm of the loss gradient with respect to each hidden state, by lag.

    For every sample the loss is 0.5 * mean over outputs of the squared
    error, and the gradient is back-propagated in float64 with full BPTT
    (whatever the estimator's ``bptt_steps``) through the fitted weights.

    Parameters
    ----------
    estimator : RNNRegressor or RNNForecaster
        A fitted RNNRegressor (or an object holding one as ``regressor_``),
        or a fitted RNNForecaster, whose every network is diagnosed.
    *data
        The data, as the estimator's ``fit`` takes it, by position or by
        name. For an RNNRegressor, ``X, y``:

        - X : array-like of shape (n_samples, n_steps * n_step_features) or
          (n_samples, n_steps, n_step_features), the sequences;
        - y : array-like of shape (n_samples,) or (n_samples, n_outputs),
          their targets.

        For an RNNForecaster, ``y, X=None``:

        - y : pandas Series or DataFrame, a series as given to the
          forecaster's ``fit`` (a DataFrame holds its ``target`` column);
          after a fit on many series, a dict ``{series_id: Series}`` or a
          long frame indexed by ``(series_id, timestamp)`` holding some or
          all of the fitted series;
        - X : pandas DataFrame (dict or long frame for many series) or
          None, the past covariates (same index as ``y``, the columns seen
          in fit).

        The samples are then the windows ``fit`` trains on (an observed
        target value, a complete future, the last
        ``max_windows_per_series`` of them), normalised with the fitted
        scaling of their series, and the targets are their futures minus
        the fitted linear skip: exactly what the networks were fitted to
        when ``y`` is the training data. Windows of many series are pooled.
    network : int or None, default=None
        For an RNNForecaster, the position in ``regressors_`` of the network
        to diagnose; None diagnoses all of them. Must be None otherwise.
    **named_data : dict
        The data of ``*data`` by name rather than by position, with the
        names of the estimator's ``fit``: ``X`` and ``y`` for an RNNRegressor,
        ``y`` and ``X`` for an RNNForecaster. Each is given once, by
        position or by name.

    Returns
    -------
    flow : DataFrame of shape (n_steps, num_layers)
        ``flow.loc[k, "layer l"]`` is ||dL/dh_t|| for the state of layer l
        after the step k steps before the newest (lag 0 = newest step),
        averaged over samples. Sorted by lag. For an RNNForecaster with
        ``network=None`` the columns are ``(network, layer)`` pairs,
        ``("network i", "layer l")``, shape (window_, n_networks *
        num_layers): ``flow["network i"]`` equals the result with
        ``network=i``. The networks are not averaged (each has its own
        weights and its own gradients); their mean per layer is
        ``flow.T.groupby(level="layer").mean().T``.

    Raises
    ------
    TypeError
        If ``estimator`` is neither kind, ``network`` is not an int, a
        forecaster's networks are not RNNRegressors, the data do not match
        its ``fit`` signature, or ``y`` holds many series for a forecaster
        fitted on one (or one for many).
    ValueError
        If a forecaster is not fitted, fitted a model to each series
        (``forecasters_``) or with ``training="sequence"``, ``network`` is
        out of range or given for a regressor, or the series is too short
        or not like the one seen in fit.

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

    On a forecaster, the series as given to its ``fit``; one column per
    network and layer:

    >>> import pandas as pd
    >>> from rnnforecast import RNNForecaster
    >>> series = pd.Series(np.sin(np.arange(60) / 3),
    ...                    index=pd.date_range("2024-01-01", periods=60, freq="D"))
    >>> forecaster = RNNForecaster(window=8, horizon=2, n_networks=2, n_calibration=0,
    ...                            regressor=RNNRegressor(hidden_size=4, max_iter=5),
    ...                            random_state=0).fit(series)
    >>> flow = gradient_flow(forecaster, series)
    >>> flow.shape, list(flow.columns)
    ((8, 2), [('network 0', 'layer 0'), ('network 1', 'layer 0')])
    >>> gradient_flow(forecaster, series, network=1).equals(flow["network 1"])
    True
    """
    networks = _networks(estimator, network)
    args = _bind_data("gradient_flow", estimator, data, named_data)
    if isinstance(estimator, RNNForecaster):
        X, y = estimator.network_data(args["y"], args["X"], targets=True)
    else:
        X, y = args["X"], args["y"]
    return _by_network([(label, _gradient_flow(model, X, y)) for label, model in networks],
                       axis=1)


def _gradient_flow(model, X, y):
    X_time, missing, Y = model.to_time_major(X, y)
    network = model.network_.astype(np.float64)
    T, _, N = X_time.shape
    total = np.zeros((network.num_layers, T))
    for cols, m in _chunks(N, missing):
        y_pred = network.forward(X_time[:, :, cols], m)
        d_out = (y_pred - Y[:, cols]) / network.n_outputs
        norms = np.empty((network.num_layers, T, y_pred.shape[1]))
        network.backward(d_out, state_grad_norms=norms)
        total += norms.sum(axis=2)
    columns = pd.Index([f"layer {layer}" for layer in range(network.num_layers)], name="layer")
    flow = pd.DataFrame((total / N).T, index=_lag_index(T), columns=columns)
    return flow.sort_index()


def spectral_radius(estimator, *, network=None):
    """Spectral radius and largest singular value of each recurrent matrix.

    Parameters
    ----------
    estimator : RNNRegressor or RNNForecaster
        A fitted RNNRegressor (or an object holding one as ``regressor_``),
        or a fitted RNNForecaster, whose every network is diagnosed.
    network : int or None, default=None
        For an RNNForecaster, the position in ``regressors_`` of the network
        to diagnose; None diagnoses all of them. Must be None otherwise.

    Returns
    -------
    radii : DataFrame
        One row per layer and gate (``h`` for the Elman cell; ``r, z, n``
        for the GRU; ``i, f, o, g`` for the LSTM), with columns
        ``spectral_radius`` (max |eigenvalue| of that gate's H x H block of
        ``W_hh``) and ``largest_singular_value`` (its 2-norm). For an
        RNNForecaster with ``network=None`` the index has an outer level
        ``network`` (``"network i"``): rows ``(network, layer, gate)``, and
        ``radii.loc["network i"]`` equals the result with ``network=i``.

    Raises
    ------
    TypeError
        If ``estimator`` is neither kind, ``network`` is not an int, or a
        forecaster's networks are not RNNRegressors.
    ValueError
        If a forecaster is not fitted, fitted a model to each series
        (``forecasters_``) or with ``training="sequence"``, or ``network`` is
        out of range or given for a regressor.

    Examples
    --------
    >>> import numpy as np
    >>> from rnnforecast import RNNRegressor
    >>> from rnnforecast.diagnostics import spectral_radius
    >>> X = np.random.RandomState(0).uniform(-1, 1, (50, 6)); y = X[:, -2]
    >>> model = RNNRegressor(cell="gru", hidden_size=4, max_iter=2, random_state=0).fit(X, y)
    >>> list(spectral_radius(model).index.get_level_values("gate"))
    ['r', 'z', 'n']

    A forecaster's networks, one block of rows each:

    >>> import pandas as pd
    >>> from rnnforecast import RNNForecaster
    >>> series = pd.Series(np.sin(np.arange(60) / 3),
    ...                    index=pd.date_range("2024-01-01", periods=60, freq="D"))
    >>> forecaster = RNNForecaster(window=8, horizon=2, n_networks=2, n_calibration=0,
    ...                            regressor=RNNRegressor(cell="rnn", hidden_size=4,
    ...                                                   max_iter=5),
    ...                            random_state=0).fit(series)
    >>> spectral_radius(forecaster).index.tolist()
    [('network 0', 'layer 0', 'h'), ('network 1', 'layer 0', 'h')]
    """
    networks = _networks(estimator, network)
    return _by_network([(label, _spectral_radius(model)) for label, model in networks],
                       axis=0)


def _spectral_radius(model):
    network = model.network_
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


def saturation(estimator, *data, threshold=0.95, network=None, **named_data):
    """Fraction of squashing units in their flat region, per lag.

    A tanh unit is saturated when |tanh(a)| > ``threshold``; a sigmoid unit
    when |2 sigmoid(a) - 1| > ``threshold`` (the same condition, since
    sigmoid(a) = (1 + tanh(a / 2)) / 2). Where a unit is saturated its
    derivative is nearly 0 and it closes the gradient's path through time.
    Missing steps are left out; a lag where every sample is missing is NaN.

    Parameters
    ----------
    estimator : RNNRegressor or RNNForecaster
        A fitted RNNRegressor (or an object holding one as ``regressor_``),
        or a fitted RNNForecaster, whose every network is diagnosed.
    *data
        The inputs, by position or by name. For an RNNRegressor, ``X``:
        array-like of shape (n_samples, n_steps * n_step_features) or
        (n_samples, n_steps, n_step_features), the sequences. For an
        RNNForecaster, ``y, X=None`` as its ``fit`` takes them: the series
        (Series, or DataFrame holding the ``target`` column; a dict or long
        frame after a fit on many series) and its past covariates (indexed
        like ``y``, the columns seen in fit; or None), as in
        :func:`gradient_flow`. The samples are then every window of ``y``
        that holds an observed target value, normalised with the fitted
        scaling of its series as the networks read it: the windows ``fit``
        trains on, older ones beyond ``max_windows_per_series`` and the
        last ``horizon`` windows, whose future is not in ``y`` (the newest
        is the one ``predict`` reads). Windows of many series are pooled.
    threshold : float in (0, 1), default=0.95
        A unit counts as saturated where |tanh(a)| (or |2 sigmoid(a) - 1|)
        is greater than this.
    network : int or None, default=None
        For an RNNForecaster, the position in ``regressors_`` of the network
        to diagnose; None diagnoses all of them. Must be None otherwise.
    **named_data : dict
        The data of ``*data`` by name rather than by position, with the
        names of the estimator's ``fit``: ``X`` for an RNNRegressor,
        ``y`` and ``X`` for an RNNForecaster. Each is given once, by
        position or by name.

    Returns
    -------
    fractions : DataFrame of shape (n_steps, n_units)
        Indexed by lag (0 = newest step); columns ``(layer, unit)`` with
        units ``h`` (Elman; a relu cell has no flat region and is left out),
        ``r, z, n`` (GRU), ``i, f, o, g, tanh(c)`` (LSTM). For an
        RNNForecaster with ``network=None`` the columns have an outer level
        ``network``: ``(network, layer, unit)``, and
        ``fractions["network i"]`` equals the result with ``network=i``.

    Raises
    ------
    TypeError
        If ``threshold`` is not a real number (or is a bool), ``estimator``
        is neither kind, ``network`` is not an int, a forecaster's networks
        are not RNNRegressors, the data do not match its ``fit`` signature,
        or ``y`` holds many series for a forecaster fitted on one (or one for
        many).
    ValueError
        If ``threshold`` is not in (0, 1), a forecaster is not fitted,
        fitted a model to each series (``forecasters_``) or with
        ``training="sequence"``, ``network`` is out of range or given for a
        regressor, or the series is too short or not like the one seen in
        fit.

    Examples
    --------
    >>> import numpy as np
    >>> from rnnforecast import RNNRegressor
    >>> from rnnforecast.diagnostics import saturation
    >>> X = np.random.RandomState(0).uniform(-1, 1, (50, 6)); y = X[:, -2]
    >>> model = RNNRegressor(cell="lstm", hidden_size=4, max_iter=2, random_state=0).fit(X, y)
    >>> list(saturation(model, X).columns.get_level_values("unit"))
    ['i', 'f', 'o', 'g', 'tanh(c)']

    A forecaster's networks on the windows of its series:

    >>> import pandas as pd
    >>> from rnnforecast import RNNForecaster
    >>> series = pd.Series(np.sin(np.arange(60) / 3),
    ...                    index=pd.date_range("2024-01-01", periods=60, freq="D"))
    >>> forecaster = RNNForecaster(window=8, horizon=2, n_networks=2, n_calibration=0,
    ...                            regressor=RNNRegressor(hidden_size=4, max_iter=5),
    ...                            random_state=0).fit(series)
    >>> fractions = saturation(forecaster, series)
    >>> fractions.columns.names, fractions.shape
    (FrozenList(['network', 'layer', 'unit']), (8, 6))
    """
    if isinstance(threshold, (bool, np.bool_)) or not isinstance(threshold, Real):
        raise TypeError(
            f"threshold must be a float in (0, 1), e.g. 0.95; got {threshold!r} of type "
            f"{type(threshold).__name__}."
        )
    if not 0 < threshold < 1:
        raise ValueError(f"threshold must be in (0, 1), e.g. 0.95; got {threshold!r}.")
    networks = _networks(estimator, network)
    args = _bind_data("saturation", estimator, data, named_data)
    if isinstance(estimator, RNNForecaster):
        X, _ = estimator.network_data(args["y"], args["X"])
    else:
        X = args["X"]
    return _by_network(
        [(label, _saturation(model, X, threshold)) for label, model in networks], axis=1)


def _saturation(model, X, threshold):
    X_time, missing, _ = model.to_time_major(X)
    network = model.network_.astype(np.float64)
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
