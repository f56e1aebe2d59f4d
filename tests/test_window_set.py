"""Windows cut from views of the series on demand, the blockwise ridge, and
the memory of a forecaster's fit on a long series."""

import tracemalloc
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge, RidgeCV

from rnnforecast import RNNForecaster, RNNRegressor, make_supervised
from rnnforecast._core.time_major import to_time_major
from rnnforecast.forecasting.linear_skip import BlockRidgeCV, _sums
from rnnforecast.forecasting.windows import SeriesWindows, WindowTrainingSet
from rnnforecast.forecasting.scaling import WindowScaler

ALPHAS = np.logspace(-3, 3, 13)


def gappy_series(n, n_features, seed):
    rng = np.random.RandomState(seed)
    values = np.cumsum(rng.standard_normal((n, n_features)), axis=0) + 10 * seed
    values[rng.rand(n) < 0.15, 0] = np.nan
    values[5:12, 0] = np.nan  # a window with no observed target when window <= 7
    return values


def reference_windows(values, window, horizon):
    """Every window of one series and its future, cut by make_supervised."""
    frame = pd.DataFrame(values, columns=[f"f{j}" for j in range(values.shape[1])])
    lagged, future = make_supervised(frame, window, horizon=horizon, target="f0", dropna=False)
    return lagged.to_numpy().reshape(len(lagged), window, values.shape[1]), future.to_numpy()


@pytest.fixture(params=[(1, 1), (2, 3)], ids=["univariate-h1", "covariates-h3"])
def three_series(request):
    n_features, horizon = request.param
    series = [gappy_series(n, n_features, seed) for seed, n in enumerate([40, 25, 60])]
    scalers = [WindowScaler().fit(v) for v in series]
    return series, SeriesWindows(series, 6, horizon, scalers), horizon


def test_windows_and_futures_are_those_of_each_series_alone(three_series):
    series, windows, horizon = three_series
    for code, values in enumerate(series):
        inputs, futures = reference_windows(values, 6, horizon)
        origins = windows.origins(code)
        assert len(origins) == len(values) - 6 + 1
        np.testing.assert_array_equal(windows.raw(origins), inputs)
        # The future of a series' last windows is NaN, not the next series.
        np.testing.assert_array_equal(windows.futures(origins), futures)
        np.testing.assert_array_equal(windows.codes(origins), code)
        observed = ~np.isnan(inputs[:, :, 0]).all(axis=1)
        assert not observed.all()  # the fixture has an empty window
        np.testing.assert_array_equal(windows.observed(origins), observed)
        for steps in range(1, horizon + 1):
            complete = ~np.isnan(futures[:, :steps]).any(axis=1)
            np.testing.assert_array_equal(windows.complete(origins, steps), complete)


def test_normalised_windows_are_each_series_scaler_applied_to_its_windows(three_series):
    series, windows, horizon = three_series
    rows = np.concatenate([windows.origins(c)[windows.observed(windows.origins(c))]
                           for c in range(3)])
    features, z, offset = windows.normalised(rows, horizon)
    parts = []
    for code, values in enumerate(series):
        inputs, futures = reference_windows(values, 6, horizon)
        keep = ~np.isnan(inputs[:, :, 0]).all(axis=1)
        normalised, level, scale = windows.scalers[code].transform(inputs[keep])
        parts.append((normalised.reshape(keep.sum(), -1),
                      (futures[keep] - level[:, None]) / scale[:, None],
                      windows.scalers[code].offset(level)))
    expected = [np.concatenate(p) for p in zip(*parts)]
    for got, want in zip((features, z, offset), expected):
        np.testing.assert_array_equal(got, want)
    blocks = list(windows.blocks(rows, horizon))
    for got, want in zip(zip(*blocks), (features, z, offset)):
        np.testing.assert_array_equal(np.concatenate(got), want)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_batch_is_the_matrix_path_of_its_rows(three_series, dtype):
    _, windows, horizon = three_series
    rows = np.concatenate([windows.origins(c) for c in range(3)])
    rows = rows[windows.observed(rows)]
    targets = np.random.RandomState(0).standard_normal((len(rows), horizon))
    data = WindowTrainingSet(windows, rows, targets)
    features, flat_targets = data.matrices()
    assert features.shape == (len(rows), 6 * windows.n_features)
    idx = np.random.RandomState(1).permutation(len(rows))[:17]
    X, missing, Y = data.take(idx, dtype)
    X_ref, missing_ref = to_time_major(
        features[idx].reshape(len(idx), 6, windows.n_features), dtype)
    assert X.dtype == dtype and Y.dtype == dtype
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(missing, missing_ref)
    expected_Y = np.reshape(flat_targets, (len(rows), -1))[idx].T.astype(dtype)
    np.testing.assert_array_equal(Y, expected_Y)
    part = data.subset(slice(3, 9))
    np.testing.assert_array_equal(part.take(np.arange(6), dtype)[0],
                                  data.take(np.arange(3, 9), dtype)[0])


def test_windows_leave_the_series_untouched(three_series):
    series, windows, _ = three_series
    before = [v.copy() for v in series]
    rows = windows.origins(1)
    windows.normalised(rows, 1)
    WindowTrainingSet(windows, rows, np.zeros((len(rows), 1))).take(np.arange(5), np.float32)
    for v, b in zip(series, before):
        np.testing.assert_array_equal(v, b)


# -- the blockwise ridge -------------------------------------------------------
def in_blocks(X, y, size):
    return lambda: ((X[i:i + size], y[i:i + size]) for i in range(0, len(X), size))


@pytest.mark.parametrize("n, p, k", [(300, 12, 1), (400, 25, 3), (40, 60, 2), (3, 4, 1)])
def test_block_ridge_is_ridgecv(n, p, k):
    rng = np.random.RandomState(n)
    X = rng.standard_normal((n, p)) + 5  # far from centred: the centring is tested
    Y = X @ rng.standard_normal((p, k)) + 3 * rng.standard_normal((n, k))
    y = Y[:, 0] if k == 1 else Y
    reference = RidgeCV(alphas=ALPHAS).fit(X, y)
    for size in (7, n):
        ours = BlockRidgeCV(ALPHAS).fit(in_blocks(X, y, size))
        assert ours.alpha_ == reference.alpha_
        assert ours.coef_.shape == reference.coef_.shape
        np.testing.assert_allclose(ours.coef_, reference.coef_, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(ours.intercept_, reference.intercept_, rtol=1e-9)
        np.testing.assert_allclose(ours.predict(X), reference.predict(X), rtol=1e-9)


def test_block_ridge_leave_one_out_error_is_that_of_refitting_without_each_row():
    rng = np.random.RandomState(0)
    X, y = rng.standard_normal((30, 4)), rng.standard_normal(30)
    ridge = BlockRidgeCV(ALPHAS)
    n, shift_x, shift_y, sum_x, sum_y, xx, xy, _ = _sums(in_blocks(X, y, 8)())
    mean_x, mean_y = shift_x + sum_x / n, shift_y + sum_y / n
    gram = xx - n * np.outer(sum_x / n, sum_x / n)
    lam, V = np.linalg.eigh(gram)
    projected = V.T @ (xy - n * np.outer(sum_x / n, sum_y / n))
    errors = ridge._loo_errors(in_blocks(X, y, 8)(), mean_x, mean_y, n, lam, V, projected)
    for a, alpha in enumerate(ALPHAS[::4]):
        brute = 0.0
        for i in range(30):
            refit = Ridge(alpha=alpha).fit(np.delete(X, i, 0), np.delete(y, i))
            brute += (y[i] - refit.predict(X[i:i + 1])[0]) ** 2
        assert errors[4 * a] == pytest.approx(brute, rel=1e-9)


def test_block_ridge_with_fewer_than_three_rows_uses_the_fixed_penalty():
    X, y = np.array([[1.0, 2.0], [3.0, 1.0]]), np.array([1.0, 2.0])
    ours = BlockRidgeCV(ALPHAS).fit(in_blocks(X, y, 1))
    reference = Ridge(alpha=1.0).fit(X, y)
    assert ours.alpha_ == 1.0
    np.testing.assert_allclose(ours.coef_, reference.coef_, rtol=1e-12)


def test_block_ridge_without_rows_says_so():
    with pytest.raises(ValueError, match="no row"):
        BlockRidgeCV(ALPHAS).fit(lambda: iter([]))


# -- memory of a fit ------------------------------------------------------------
def peak_fit_bytes(n, window):
    rng = np.random.RandomState(0)
    t = np.arange(n)
    y = pd.Series(np.sin(2 * np.pi * t / 24) + 0.1 * rng.standard_normal(n))
    forecaster = RNNForecaster(
        window=window, horizon=2, n_networks=1, n_calibration=20, random_state=0,
        regressor=RNNRegressor(cell="gru", hidden_size=4, max_iter=1, batch_size=64),
    )
    tracemalloc.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            forecaster.fit(y)
        return tracemalloc.get_traced_memory()[1], y.nbytes
    finally:
        tracemalloc.stop()


def test_fit_memory_grows_with_the_series_not_with_the_window_matrix():
    """Four times the rows cost a small multiple of the extra rows' bytes;
    the window matrix alone would grow by ``window`` times them (and the
    forecaster used to hold it three times over)."""
    window = 100
    small, small_bytes = peak_fit_bytes(8_000, window)
    large, large_bytes = peak_fit_bytes(32_000, window)
    growth = (large - small) / (large_bytes - small_bytes)
    assert growth < 25, f"peak grew by {growth:.1f} x the extra series bytes"


# -- RNNRegressor on a batch source -------------------------------------------------
def fit_on_matrix_and_on_batches(three_series, early_stopping, **flags):
    """The same RNNRegressor fitted on the window matrix and on the windows cut
    on demand: ``(features, on_matrix, on_batches)``."""
    _, windows, horizon = three_series
    rows = np.concatenate([windows.origins(c) for c in range(3)])
    rows = rows[windows.observed(rows) & windows.complete(rows, horizon)]
    data = WindowTrainingSet(windows, rows, windows.normalised(rows, horizon)[1])
    features, flat_targets = data.matrices()
    params = dict(cell="gru", hidden_size=4, max_iter=3, batch_size=8, random_state=0,
                  n_step_features=windows.n_features, early_stopping=early_stopping,
                  validation_fraction=0.2, n_iter_no_change=5, **flags)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        on_matrix = RNNRegressor(**params).fit(features, flat_targets)
        on_batches = RNNRegressor(**params).fit_batches(data)
    return features, on_matrix, on_batches


@pytest.mark.parametrize("early_stopping", [False, True])
def test_a_network_fitted_on_batches_cut_on_demand_equals_one_fitted_on_the_matrix(
        three_series, early_stopping):
    # Without RNNRegressor's own standardisation (as the forecaster trains its
    # networks): its statistics are float64 sums whose last bit can depend on
    # where the same values lie in memory (see the next test).
    features, on_matrix, on_batches = fit_on_matrix_and_on_batches(
        three_series, early_stopping, standardize_target=False, standardize_inputs=False)
    for name, weight in on_matrix.weights_.items():
        np.testing.assert_array_equal(on_batches.weights_[name], weight, err_msg=name)
    assert on_batches.loss_curve_ == on_matrix.loss_curve_
    assert on_batches.validation_scores_ == on_matrix.validation_scores_
    assert on_batches.n_features_in_ == features.shape[1]
    np.testing.assert_array_equal(on_batches.predict(features), on_matrix.predict(features))


@pytest.mark.parametrize("early_stopping", [False, True])
def test_standardised_fits_on_batches_and_on_the_matrix_agree_within_rounding(
        three_series, early_stopping):
    # The means and scales are learned from the same values in one code path
    # (rnnforecast._scaling), but their BLAS sums may round the last bit
    # differently for the two layouts (measured: a target scale 1.1e-16
    # apart, and predictions after three epochs 1.1e-16 apart).
    features, on_matrix, on_batches = fit_on_matrix_and_on_batches(three_series,
                                                                   early_stopping)
    for name in ("input_mean_", "input_scale_", "target_mean_", "target_scale_"):
        np.testing.assert_allclose(getattr(on_batches, name), getattr(on_matrix, name),
                                   rtol=1e-14, err_msg=name)
    np.testing.assert_allclose(on_batches.predict(features), on_matrix.predict(features),
                               rtol=1e-12, atol=1e-14)


def test_continuing_on_batches_of_another_shape_is_refused(three_series):
    _, windows, _ = three_series
    rows = windows.origins(0)[windows.observed(windows.origins(0))]
    data = WindowTrainingSet(windows, rows, np.zeros((len(rows), 1)))
    network = RNNRegressor(hidden_size=2, max_iter=1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        network.partial_fit_batches(data)
    other = SeriesWindows([np.ones((30, windows.n_features))], 5, 1, windows.scalers[:1])
    shorter = WindowTrainingSet(other, other.origins(0), np.zeros((26, 1)))
    with pytest.raises(ValueError, match="5 steps .* fitted on 6 steps"):
        network.partial_fit_batches(shorter)
