"""Diagnostics agree with independent computations on fitted models."""

import copy

import numpy as np
import pandas as pd
import pytest

from rnnforecast import RNNRegressor
from rnnforecast._core.time_major import to_time_major
from rnnforecast.diagnostics import gradient_flow, saturation, spectral_radius
from rnnforecast.forecasting.scaling import WindowScaler
from rnnforecast.forecasting.future_steps import StepLayout
from rnnforecast.forecasting.window_model import WindowModel

T, N = 6, 5


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, (N, T * 2))
    X[1, :4] = np.nan  # a shorter sequence
    y = rng.standard_normal((N, 2))
    return X, y


def fitted(cell, num_layers, data):
    """A small fitted network that reads X and y as they are (no
    standardisation), so that the tests below can run it on the raw arrays."""
    X, y = data
    model = RNNRegressor(cell=cell, hidden_size=4, num_layers=num_layers, n_step_features=2,
                         max_iter=3, random_state=0, dtype="float64",
                         standardize_target=False, standardize_inputs=False)
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
    network = model.network_.astype(np.float64)
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
    model.network_.weights["W_hh_0"][...] *= 0.3  # spectral radius 0.3
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
    network = model.network_.astype(np.float64)
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
    model.network_.params[...] *= 20
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
    with pytest.raises(ValueError, match=r"threshold must be in \(0, 1\), e.g. 0.95; got 1.5"):
        saturation(RNNRegressor(), np.zeros((2, 2)), threshold=1.5)
    with pytest.raises(TypeError, match="threshold must be a float.*got '0.9' of type str"):
        saturation(RNNRegressor(), np.zeros((2, 2)), threshold="0.9")


# -- on a forecaster ------------------------------------------------------
# A forecaster's networks read normalised windows and learn the residuals of
# its linear skip. Each test builds that training set by hand from the
# forecaster's own helpers and checks the forecaster path against the
# regressor path on it.

FORECASTERS = {
    "direct": dict(covariates=False, num_layers=1),
    "covariates": dict(covariates=True, num_layers=2, max_windows_per_series=40),
    "recursive": dict(strategy="recursive", covariates=False, num_layers=1),
    "many series": dict(many=True, covariates=True, num_layers=1, max_windows_per_series=50),
}


def series_and_covariates(seed=0, n=70):
    rng = np.random.RandomState(seed)
    t = np.arange(n)
    index = pd.date_range("2024-01-01", periods=n, freq="D")
    y = pd.Series(np.sin(t / 3 + seed) + 0.1 * rng.standard_normal(n), index=index,
                  name="load")
    y.iloc[30] = np.nan  # windows holding it are missing a step; some lose their future
    X = pd.DataFrame({"temp": np.cos(t / 5), "rain": rng.uniform(0, 1, n)}, index=index)
    return y, X


def panel_and_covariates():
    """Two series, on scales 100x apart, of different lengths."""
    north, north_X = series_and_covariates(seed=0)
    south, south_X = series_and_covariates(seed=1, n=60)
    return {"north": north, "south": 50 + 100 * south}, {"north": north_X, "south": south_X}


@pytest.fixture(scope="module", params=list(FORECASTERS))
def case(request):
    from rnnforecast import RNNForecaster

    config = dict(FORECASTERS[request.param])
    y, X = panel_and_covariates() if config.pop("many", False) else series_and_covariates()
    X = X if config.pop("covariates") else None
    num_layers = config.pop("num_layers")
    forecaster = RNNForecaster(
        window=6, horizon=2, n_networks=2, random_state=0, model="per_series",
        many_series="global", **config,
        regressor=RNNRegressor(cell="gru", hidden_size=3, num_layers=num_layers, max_iter=3,
                               dtype="float64"),
    )
    return forecaster.fit(y, X), y, X


def pooled_windows(forecaster, y, X, keep):
    """Normalised windows, targets and offsets of the windows ``keep(inputs,
    futures)`` selects of every series of ``y`` (one, or a dict), each scaled
    as its series in fit: cut with make_supervised, independently of the
    windows fit cuts from views of the series."""
    from rnnforecast import make_supervised

    many = isinstance(y, dict)
    series = y if many else {None: y}
    covariates = X if many else {None: X}
    window, steps = forecaster.window_, model_steps(forecaster)
    parts = []
    for sid, target in series.items():
        values = (target.to_numpy()[:, None] if X is None
                  else np.column_stack([target, covariates[sid]]))
        frame = pd.DataFrame(values, columns=[f"f{j}" for j in range(values.shape[1])])
        lagged, future = make_supervised(frame, window, horizon=forecaster.horizon,
                                         target="f0", dropna=False)
        inputs = lagged.to_numpy().reshape(len(lagged), window, values.shape[1])
        futures = future.to_numpy()
        rows = keep(inputs, futures)
        scaler = WindowScaler().fit(values)  # fit scales each series by its own statistics
        normalised, level, scale = scaler.transform(inputs[rows])
        z = (futures[rows, :steps] - level[:, None]) / scale[:, None]
        parts.append((normalised.reshape(len(rows), -1), z, scaler.offset(level)))
    return tuple(np.concatenate(part) for part in zip(*parts))


def model_steps(forecaster):
    """Steps the networks forecast: the horizon (direct) or 1 (recursive)."""
    return forecaster.horizon if forecaster.strategy == "direct" else 1


def latest(forecaster, rows):
    limit = forecaster.max_windows_per_series
    return rows if limit is None else rows[-limit:]


def holds_target(inputs):
    return ~np.isnan(inputs[:, :, 0]).all(axis=1)


def training_set(forecaster, y, X):
    """Normalised windows and residual targets, as fit builds them."""
    def trained(inputs, futures):
        complete = ~np.isnan(futures[:, :model_steps(forecaster)]).any(axis=1)
        return latest(forecaster, np.flatnonzero(complete & holds_target(inputs)))

    features, targets, offset = pooled_windows(forecaster, y, X, trained)
    model = WindowModel(forecaster.regressors_, forecaster.linear_,
                        StepLayout(features.shape[1] // forecaster.window_, [], 0),
                        model_steps(forecaster))
    residuals = model.residual_targets(features, targets, offset)
    return features, residuals[:, 0] if residuals.shape[1] == 1 else residuals


def forecastable_windows(forecaster, y, X):
    """Normalised windows holding an observed target value."""
    return pooled_windows(forecaster, y, X, lambda inputs, _: np.flatnonzero(
        holds_target(inputs)))[0]


def newest_windows(forecaster):
    """The normalised window(s) predict reads after fit."""
    fitted = forecaster._fitted.model  # a WindowForecast: the last window of each series
    codes = np.arange(len(fitted.histories))
    windows, scaler = np.stack(fitted.histories), fitted.scaler(codes)
    return scaler.transform(windows)[0].reshape(len(windows), -1)


def test_hand_built_training_set_is_what_fit_trained_the_networks_on(case):
    from sklearn.base import clone

    forecaster, y, X = case
    features, residuals = training_set(forecaster, y, X)
    assert forecaster.n_epochs_ is not None  # trained epoch by epoch with partial_fit
    for k, network in enumerate(forecaster.regressors_):
        again = clone(network)
        for _ in range(forecaster.n_epochs_[k]):
            again.partial_fit(features, residuals)
        for name, weight in network.weights_.items():
            np.testing.assert_array_equal(again.weights_[name], weight, err_msg=name)


def test_forecaster_gradient_flow_is_each_networks_flow_on_its_training_set(case):
    forecaster, y, X = case
    features, residuals = training_set(forecaster, y, X)
    flow = gradient_flow(forecaster, y, X)
    layers = [f"layer {l}" for l in range(forecaster.regressors_[0].num_layers)]
    assert list(flow.columns) == [(f"network {k}", layer) for k in range(2) for layer in layers]
    assert flow.columns.names == ["network", "layer"]
    for k, network in enumerate(forecaster.regressors_):
        expected = gradient_flow(network, features, residuals)
        pd.testing.assert_frame_equal(flow[f"network {k}"], expected, check_exact=True)
        pd.testing.assert_frame_equal(gradient_flow(forecaster, y, X, network=k), expected,
                                      check_exact=True)
    assert not np.allclose(flow["network 0"], flow["network 1"])  # two seeds, two networks


def test_forecaster_saturation_reads_every_window_with_an_observed_target(case):
    forecaster, y, X = case
    features = forecastable_windows(forecaster, y, X)
    # Every window holds an observed value here, so each series gives
    # n_rows - window + 1; its newest is the one predict reads after fit.
    counts = [len(part) - forecaster.window_ + 1
              for part in (y.values() if isinstance(y, dict) else [y])]
    assert len(features) == sum(counts)
    np.testing.assert_array_equal(features[np.cumsum(counts) - 1], newest_windows(forecaster))
    sat = saturation(forecaster, y, X, threshold=0.6)
    assert sat.columns.names == ["network", "layer", "unit"]
    for k, network in enumerate(forecaster.regressors_):
        expected = saturation(network, features, threshold=0.6)
        pd.testing.assert_frame_equal(sat[f"network {k}"], expected, check_exact=True)
        pd.testing.assert_frame_equal(
            saturation(forecaster, y, X, threshold=0.6, network=k), expected, check_exact=True)


def test_forecaster_spectral_radius_has_one_block_per_network(case):
    forecaster, _, _ = case
    radii = spectral_radius(forecaster)
    assert radii.index.names == ["network", "layer", "gate"]
    assert radii.index.get_level_values("network").unique().tolist() == ["network 0", "network 1"]
    for k, network in enumerate(forecaster.regressors_):
        expected = spectral_radius(network)
        pd.testing.assert_frame_equal(radii.loc[f"network {k}"], expected, check_exact=True)
        pd.testing.assert_frame_equal(spectral_radius(forecaster, network=k), expected,
                                      check_exact=True)


def test_forecaster_data_can_be_passed_by_name_as_in_fit(case):
    forecaster, y, X = case
    positional = gradient_flow(forecaster, y, X)
    pd.testing.assert_frame_equal(gradient_flow(forecaster, y, X=X), positional)
    pd.testing.assert_frame_equal(gradient_flow(forecaster, X=X, y=y), positional)
    pd.testing.assert_frame_equal(saturation(forecaster, y=y, X=X), saturation(forecaster, y, X))


def test_forecaster_diagnostics_modify_neither_data_nor_forecaster(case):
    forecaster, y, X = case
    y_before = copy.deepcopy(y)
    X_before = copy.deepcopy(X)
    weights = [network.weights_ for network in forecaster.regressors_]
    history = [window.copy() for window in forecaster._fitted.model.histories]
    gradient_flow(forecaster, y, X)
    saturation(forecaster, y, X)
    spectral_radius(forecaster)
    for part, before in (zip(y.values(), y_before.values()) if isinstance(y, dict)
                         else [(y, y_before)]):
        pd.testing.assert_series_equal(part, before)
    for part, before in (zip(X.values(), X_before.values()) if isinstance(X, dict)
                         else [(X, X_before)] if X is not None else []):
        pd.testing.assert_frame_equal(part, before)
    for window, before in zip(forecaster._fitted.model.histories, history, strict=True):
        np.testing.assert_array_equal(window, before)
    for network, before in zip(forecaster.regressors_, weights):
        for name, weight in network.weights_.items():
            np.testing.assert_array_equal(weight, before[name])


def test_regressor_data_can_be_passed_by_name(data):
    X, y = data
    model = fitted("rnn", 1, data)
    pd.testing.assert_frame_equal(gradient_flow(model, X=X, y=y), gradient_flow(model, X, y))
    pd.testing.assert_frame_equal(saturation(model, X=X), saturation(model, X))


def tiny_forecaster_case(y, X):
    """``(forecaster, y, X)``: two tiny networks fitted on ``y`` and ``X``."""
    from rnnforecast import RNNForecaster

    forecaster = RNNForecaster(window=6, horizon=2, n_networks=2, n_calibration=0,
                               random_state=0, many_series="global",
                               regressor=RNNRegressor(hidden_size=3, max_iter=2))
    with pytest.warns(Warning):
        forecaster.fit(y, X)
    return forecaster, y, X


@pytest.fixture(scope="module")
def direct_case():
    return tiny_forecaster_case(*series_and_covariates())


def test_forecaster_errors_name_the_argument_and_what_is_expected(direct_case):
    forecaster, y, X = direct_case
    with pytest.raises(TypeError, match=r"gradient_flow\(forecaster, y, X=None\)"):
        gradient_flow(forecaster)
    with pytest.raises(TypeError, match=r"saturation\(forecaster, y, X=None\).*'Z'"):
        saturation(forecaster, y, Z=X)
    with pytest.raises(TypeError, match="y must be a pandas Series"):
        gradient_flow(forecaster, y.to_numpy(), X)
    with pytest.raises(ValueError, match=r"X is None, but the forecaster was fitted with "
                                         r"covariates \['temp', 'rain'\]"):
        gradient_flow(forecaster, y)
    with pytest.raises(ValueError, match=r"X has columns \['temp'\]"):
        saturation(forecaster, y, X[["temp"]])
    with pytest.raises(ValueError, match="X must be aligned with y"):
        gradient_flow(forecaster, y.iloc[1:], X)
    with pytest.raises(ValueError, match=r"y has 7 rows; the forecaster's window_=6 and the 2 "
                                         r"step\(s\) its networks forecast need at least 8"):
        gradient_flow(forecaster, y.iloc[:7], X.iloc[:7])
    with pytest.raises(ValueError, match=r"y has 5 rows; the forecaster's window_=6 needs at "
                                         r"least 6"):
        saturation(forecaster, y.iloc[:5], X.iloc[:5])
    gappy = y.copy()
    gappy.iloc[:8] = np.nan
    with pytest.raises(ValueError, match="no window of 6 rows of y has an observed target "
                                         "value and a complete future"):
        gradient_flow(forecaster, gappy.iloc[:9], X.iloc[:9])
    with pytest.raises(ValueError, match=r"network=2, but the forecaster has 2 networks; "
                                         r"pass 0 to 1"):
        spectral_radius(forecaster, network=2)
    with pytest.raises(ValueError, match="network=-1"):
        gradient_flow(forecaster, y, X, network=-1)
    with pytest.raises(TypeError, match="network must be an int.*got '0' of type str"):
        saturation(forecaster, y, X, network="0")
    with pytest.raises(TypeError, match="network must be an int.*got True"):
        spectral_radius(forecaster, network=True)


def test_diagnostics_reject_unfitted_forecasters_and_other_networks():
    from sklearn.exceptions import NotFittedError
    from sklearn.linear_model import Ridge

    from rnnforecast import RNNForecaster

    y, _ = series_and_covariates()
    with pytest.raises(NotFittedError, match="RNNForecaster that is not fitted yet"):
        gradient_flow(RNNForecaster(), y)
    assert issubclass(NotFittedError, ValueError)
    ridge = RNNForecaster(window=6, regressor=Ridge(), n_networks=1, n_calibration=0)
    ridge.fit(y.fillna(0.0))  # Ridge takes no missing steps
    with pytest.raises(TypeError, match=r"estimator.regressors_\[0\] is a Ridge"):
        spectral_radius(ridge)


def test_diagnostics_reject_a_sequence_trained_forecaster():
    from rnnforecast import RNNForecaster

    y, _ = series_and_covariates()
    forecaster = RNNForecaster(
        horizon=2, training="sequence", n_networks=1, n_calibration=0, random_state=0,
        regressor=RNNRegressor(hidden_size=3, max_iter=1),
    ).fit(y)
    for diagnose in (lambda: gradient_flow(forecaster, y), lambda: saturation(forecaster, y),
                     lambda: spectral_radius(forecaster)):
        with pytest.raises(ValueError, match="training='sequence'.*need training='window'"):
            diagnose()


def test_network_is_only_for_forecasters(data):
    X, y = data
    model = fitted("rnn", 1, data)
    with pytest.raises(ValueError, match="network=0 picks a network of an RNNForecaster's "
                                         "ensemble, but estimator is a RNNRegressor"):
        gradient_flow(model, X, y, network=0)
    with pytest.raises(TypeError, match=r"gradient_flow\(estimator, X, y\).*'y'"):
        gradient_flow(model, X)
    with pytest.raises(TypeError, match=r"saturation\(estimator, X\)"):
        saturation(model, X, y)


@pytest.fixture(scope="module")
def many_case():
    return tiny_forecaster_case(*panel_and_covariates())


def test_some_series_of_many_are_scaled_as_their_own_series_in_fit(many_case):
    forecaster, y, X = many_case
    south, south_X = {"south": y["south"]}, {"south": X["south"]}
    features, residuals = training_set(forecaster, south, south_X)
    windows = forecastable_windows(forecaster, south, south_X)
    flow = gradient_flow(forecaster, south, south_X)
    sat = saturation(forecaster, south, south_X)
    for k, network in enumerate(forecaster.regressors_):
        pd.testing.assert_frame_equal(flow[f"network {k}"],
                                      gradient_flow(network, features, residuals),
                                      check_exact=True)
        pd.testing.assert_frame_equal(sat[f"network {k}"], saturation(network, windows),
                                      check_exact=True)
    # south is 100x the scale of north: read with north's statistics, its
    # windows would be 100x larger.
    assert np.nanmax(np.abs(windows)) < 20


def test_many_series_errors_name_the_series(many_case, direct_case):
    forecaster, y, X = many_case
    with pytest.raises(TypeError, match="fitted on many series, so y must be a dict"):
        gradient_flow(forecaster, y["north"], X["north"])
    with pytest.raises(ValueError, match="y has unknown series id.*'east'"):
        saturation(forecaster, {"east": y["north"]}, {"east": X["north"]})
    with pytest.raises(ValueError, match=r"y\['south'\] has 7 rows; the forecaster's window_=6"):
        gradient_flow(forecaster, {"north": y["north"], "south": y["south"].iloc[:7]},
                      {"north": X["north"], "south": X["south"].iloc[:7]})
    with pytest.raises(ValueError, match="X must hold the covariates of the same series as "
                                         "y: missing for 'south'"):
        gradient_flow(forecaster, y, {"north": X["north"]})
    single, y_one, X_one = direct_case
    with pytest.raises(TypeError, match="fitted on one series, so y must be a pandas Series"):
        gradient_flow(single, {"a": y_one}, {"a": X_one})
