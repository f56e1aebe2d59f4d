"""The synthetic series generator: reproducible, the right shapes, and each
component doing what its docstring says, checked by a statistic that could fail."""

import re

import numpy as np
import pandas as pd
import pytest

import rnnforecast
from rnnforecast import synthetic as syn


def test_same_seed_same_panel_bit_for_bit_and_other_seeds_differ():
    first = syn.generate(40, 64, seed=3, missing=0.05)
    again = syn.generate(40, 64, seed=3, missing=0.05)
    other = syn.generate(40, 64, seed=4, missing=0.05)
    assert np.array_equal(first.values, again.values, equal_nan=True)
    assert first.metadata.equals(again.metadata)
    assert not np.array_equal(first.values, other.values, equal_nan=True)


def test_a_generator_seed_continues_its_stream():
    rng = np.random.default_rng(0)
    assert not np.array_equal(syn.arma_noise(2, 50, rng).values, syn.arma_noise(2, 50, rng).values)


def test_generate_gives_float_rows_and_one_metadata_row_per_series():
    panel = syn.generate(30, 50, seed=0)
    assert panel.values.shape == (30, 50) and panel.values.dtype == np.float64
    assert len(panel.metadata) == 30
    assert set(panel.metadata["kind"]) <= set(syn.DEFAULT_KINDS)
    assert np.isfinite(panel.values).all()  # no missing steps unless asked for


def test_kind_weights_decide_the_kinds_drawn():
    kinds = syn.generate(200, 32, seed=1, kinds={"trend": 3, "random_walk": 1}).metadata["kind"]
    assert set(kinds) == {"trend", "random_walk"}
    assert 0.65 < (kinds == "trend").mean() < 0.85  # 0.75 expected, sd 0.03


def test_periodogram_peaks_at_the_seasonal_period():
    season = syn.seasonal_pattern(5, 240, seed=0, period=12, n_harmonics=1)
    power = np.abs(np.fft.rfft(season.values, axis=1)) ** 2
    assert (np.argmax(power[:, 1:], axis=1) + 1 == 240 // 12).all()


def test_seasonal_series_of_a_frequency_take_its_calendar_periods():
    meta = syn.generate(30, 400, seed=0, freq="h", kinds="seasonal").metadata
    assert {p for ps in meta["periods"] for p in ps} <= {24.0, 168.0}
    assert syn.calendar_periods("MS") == (12.0,) and syn.calendar_periods("D") == (7.0, 365.25)


def test_shape_drift_changes_the_pattern_from_cycle_to_cycle():
    steady = syn.seasonal_pattern(1, 120, seed=0, period=12, shape_drift=0.0,
                                  amplitude_drift=0.0).values[0]
    drifting = syn.seasonal_pattern(1, 120, seed=0, period=12, shape_drift=0.9,
                                    amplitude_drift=0.0).values[0]
    assert np.allclose(steady[:12], steady[-12:])
    assert not np.allclose(drifting[:12], drifting[-12:], atol=0.1)


def test_multiplicative_season_grows_with_the_level_and_additive_does_not():
    level = syn.linear_trend(1, 240, slope=3.0).values
    pattern = syn.seasonal_pattern(1, 240, seed=0, period=12, amplitude_drift=0.0,
                                   shape_drift=0.0).values
    for mode, ratio in (("multiplicative", 3.5), ("additive", 1.0)):
        season = syn.add_seasonality(level, pattern, 0.2, mode) - level
        assert season[0, -12:].std() / season[0, :12].std() == pytest.approx(ratio, rel=0.05)


@pytest.mark.parametrize("share, grows", [(0.0, False), (1.0, True)])
def test_multiplicative_noise_grows_with_the_level_and_additive_does_not(share, grows):
    panel = syn.generate(400, 240, seed=0, kinds="trend", events=0.0,
                         multiplicative_noise=share)
    x = panel.values / panel.metadata["scale"].to_numpy()[:, None]
    level = x[:, -60:].mean(axis=1) / x[:, :60].mean(axis=1)  # last quarter / first
    steps = np.diff(x, axis=1)
    spread = steps[:, -60:].std(axis=1) / steps[:, :60].std(axis=1)
    grown = level > 2  # series whose level at least doubled
    assert grown.sum() >= 10
    # Noise that grows with the level spreads the steps as much as the level grew.
    ratio = np.median(spread[grown] / level[grown])
    assert (0.8 < ratio < 1.4) if grows else (ratio < 0.6)
    assert ("noise_mode" in panel.metadata) == grows
    if grows:
        assert set(panel.metadata["noise_mode"]) == {"multiplicative"}


def test_a_share_of_multiplicative_noise_changes_only_series_with_noise_of_their_own():
    kinds = {"seasonal": 1, "trend": 1, "random_walk": 1, "kernel": 1, "intermittent": 1}
    plain = syn.generate(200, 96, seed=5, freq="MS", kinds=kinds)
    mixed = syn.generate(200, 96, seed=5, freq="MS", kinds=kinds, multiplicative_noise=0.5)
    modes = mixed.metadata["noise_mode"]
    noisy = mixed.metadata["kind"].isin(["seasonal", "trend"])
    assert modes[~noisy].isna().all()
    share = (modes[noisy] == "multiplicative").mean()
    assert 0.35 < share < 0.65
    assert np.isfinite(mixed.values).all()
    assert syn.generate(200, 96, seed=5, freq="MS", kinds=kinds,
                        multiplicative_noise=0.0).values.tobytes() == plain.values.tobytes()


def test_damped_trend_increments_shrink_geometrically():
    increments = np.diff(syn.damped_trend(3, 100, seed=0).values, axis=1)
    assert (np.abs(increments[:, 1:]) < np.abs(increments[:, :-1])).all()


def test_piecewise_trend_turns_at_the_change_points_of_its_metadata():
    trend = syn.piecewise_linear_trend(4, 200, seed=2, n_changes=2)
    for row, points in zip(trend.values, trend.params["change_points"]):
        turns = np.flatnonzero(np.abs(np.diff(row, n=2)) > 1e-9) + 1
        assert set(turns) <= set(points) and len(turns) >= 1


def test_arma_lag_one_autocorrelation_matches_theory():
    # ARMA(1,1), phi 0.6, theta 0.3: rho_1 = (1 + phi theta)(phi + theta) /
    # (1 + 2 phi theta + theta^2) = 0.732. Over 200 series of 500
    # steps the mean sample rho_1 is biased by about -(1 + 4 rho_1) / T = -0.008
    # and its standard error is about 0.03 / sqrt(200) = 0.002: 0.02 is loose
    # enough never to fail by chance and tight enough to catch a wrong filter.
    theory = syn.arma_autocorrelation([0.6], [0.3], 1)[1]
    noise = syn.arma_noise(200, 500, seed=0, ar=[0.6], ma=[0.3], volatility=0.0).values
    centred = noise - noise.mean(axis=1, keepdims=True)
    sample = (centred[:, 1:] * centred[:, :-1]).sum(axis=1) / (centred ** 2).sum(axis=1)
    assert theory == pytest.approx(1.062 / 1.45, abs=1e-9)
    assert sample.mean() == pytest.approx(theory, abs=0.02)


def test_drawn_arma_coefficients_are_stationary_and_invertible():
    params = syn.arma_noise(300, 20, seed=0).params
    for ar, ma in zip(params["ar"], params["ma"]):
        for coefficients, sign in ((ar, 1), (ma, -1)):
            if coefficients:
                roots = np.roots(np.r_[-sign * np.array(coefficients[::-1]), 1.0])
                assert np.abs(roots).min() > 1


@pytest.mark.parametrize("call, error, match", [
    # Before: a TypeError raised while writing the message.
    (lambda: syn.arma_autocorrelation(float("nan"), [], 2), ValueError,
     r"ar=\[nan\] holds a value that is not finite"),
    # Before: an IndexError.
    (lambda: syn.arma_autocorrelation([0.5], [], -1), ValueError, "n_lags=-1 is below 0"),
    (lambda: syn.arma_autocorrelation([0.5], [], 2.0), TypeError, "n_lags=2.0 is a float"),
    # Before: the coefficients of a non-stationary process, without a word.
    (lambda: syn.partial_to_coefficients([0.5, 1.2]), ValueError,
     r"partial=\[0.5, 1.2\] holds a value outside \(-1, 1\)"),
    (lambda: syn.partial_to_coefficients([np.nan]), ValueError, "outside"),
    # Before: accepted, and named "linear(-2)" for the kernel of linear(2).
    (lambda: syn.linear(-2), ValueError, "sigma0=-2 is not a finite number >= 0"),
    (lambda: syn.linear("2"), TypeError, "sigma0='2' is a str"),
])
def test_noise_and_kernel_helpers_name_a_bad_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_noise_and_kernel_helpers_take_the_edges_of_their_ranges():
    assert syn.arma_autocorrelation([0.5], [], 0).tolist() == [1.0]
    assert syn.partial_to_coefficients([]).size == 0
    assert syn.linear(0).name == "linear(0)" and syn.linear(np.float32(1.5)).name == "linear(1.5)"


def test_heteroscedastic_noise_has_volatility_clusters():
    calm = syn.arma_noise(50, 1000, seed=0, ar=[], ma=[], volatility=0.0).values
    wild = syn.arma_noise(50, 1000, seed=0, ar=[], ma=[], volatility=0.8).values
    # kurtosis: 3 for Gaussian noise, higher when the variance moves
    kurtosis = [float(np.mean((v ** 4).mean(axis=1))) for v in (calm, wild)]
    assert kurtosis[0] == pytest.approx(3, abs=0.2) and kurtosis[1] > 4


def test_random_walk_variance_grows_linearly():
    walks = syn.random_walk(2000, 100, seed=0, drift=0.0).values
    assert walks[:, -1].var() / walks[:, 49].var() == pytest.approx(99 / 49, rel=0.15)


def test_missing_share_is_near_the_one_asked_for_single_and_in_runs():
    for run in (1.0, 5.0):
        holed = syn.add_missing(np.zeros((100, 500)), seed=0, share=0.15, mean_run=run).values
        missing = np.isnan(holed)
        assert missing.mean() == pytest.approx(0.15, abs=0.01)
        starts = missing[:, 1:] & ~missing[:, :-1]
        assert missing.sum() / max(starts.sum(), 1) == pytest.approx(run / 0.85, rel=0.2)


def test_outliers_and_level_shifts_sit_where_the_metadata_says():
    panel = syn.generate(60, 200, seed=0, kinds="trend", events=1.0)
    for row, meta in zip(panel.values, panel.metadata.itertuples()):
        jumps = np.abs(np.diff(row))
        typical = np.median(jumps)
        for step in meta.outliers:
            assert max(jumps[max(step - 1, 0)], jumps[min(step, len(jumps) - 1)]) > 3 * typical
    assert panel.metadata["level_shifts"].map(len).gt(0).any()
    assert panel.metadata["outliers"].map(len).gt(0).any()


def test_intermittent_series_have_the_zero_share_and_integer_sizes():
    demand = syn.intermittent_demand(50, 400, seed=0, zero_share=0.7, mean_size=4.0).values
    assert (demand == 0).mean() == pytest.approx(0.7, abs=0.01)  # sd 0.003 over 20,000 steps
    assert np.array_equal(demand, np.round(demand)) and demand[demand > 0].min() >= 1
    assert demand[demand > 0].mean() == pytest.approx(4.0, rel=0.1)


def test_periodic_kernel_draws_repeat_at_their_period_with_both_samplers():
    for method, length in (("cholesky", 120), ("circulant", 600)):
        draws = syn.sample_kernel(syn.periodic(24), 3, length, seed=0, method=method)
        gap = np.abs(draws.values[:, 24:] - draws.values[:, :-24]).max()
        assert gap < 1e-3 * draws.values.std(), method


def test_kernel_draws_have_the_kernel_variance_and_correlation():
    kernel = syn.rbf(0.1) + syn.white(0.1)  # variance 1.1; lag 5 of 100 steps: rho = 0.88 / 1.1
    for method in ("cholesky", "circulant"):
        draws = syn.sample_kernel(kernel, 400, 100, seed=1, method=method).values
        assert draws[:, 50].var() == pytest.approx(1.1, rel=0.2)
        rho = np.corrcoef(draws[:, 50], draws[:, 55])[0, 1]
        assert rho == pytest.approx(np.exp(-0.5 * 0.05 ** 2 / 0.1 ** 2) / 1.1, abs=0.08)


def test_kernel_synth_records_the_composition_and_its_method():
    draws = syn.kernel_synth(6, 300, seed=0)
    assert all(isinstance(k, str) and k for k in draws.params["kernel"])
    assert set(draws.params["method"]) <= {"circulant", "cholesky"}
    assert max(draws.params["covariance_error"]) < 0.1


def test_mixture_is_a_convex_combination_of_recorded_components():
    meta = syn.generate(20, 64, seed=0, kinds="mixture").metadata
    assert meta["components"].map(len).between(2, 3).all()
    assert np.allclose(meta["weights"].map(sum), 1)


def test_quasi_cycle_autocorrelation_matches_its_ar2_theory():
    # P = 11, r = 0.95: a1 = 2 r cos(2 pi / 11) = 1.598, a2 = -0.9025, so
    # rho_1 = a1 / (1 - a2) = 0.840 and rho_2 = a1 rho_1 + a2 = 0.440. Over
    # 200 series of 600 steps the mean sample autocorrelations are biased by
    # about -(1 + 4 rho) / T < 0.01 and vary by far less than 0.02.
    x = syn.quasi_cycle(200, 600, seed=0, period=11.0, modulus=0.95, skewed_share=0.0).values
    a1, a2 = 2 * 0.95 * np.cos(2 * np.pi / 11), -0.95 ** 2
    rho1 = a1 / (1 - a2)
    rho2 = a1 * rho1 + a2
    centred = x - x.mean(axis=1, keepdims=True)
    denominator = (centred ** 2).sum(axis=1)
    for lag, theory in ((1, rho1), (2, rho2)):
        sample = (centred[:, lag:] * centred[:, :-lag]).sum(axis=1) / denominator
        assert sample.mean() == pytest.approx(theory, abs=0.02)
    assert np.allclose(x.mean(axis=1), 0) and np.allclose(x.std(axis=1), 1)


@pytest.mark.parametrize("period", [6.0, 11.0, 40.0])
def test_quasi_cycle_spectrum_peaks_near_its_period(period):
    x = syn.quasi_cycle(100, 2000, seed=1, period=period, modulus=0.97, skewed_share=0.0)
    power = (np.abs(np.fft.rfft(x.values, axis=1)) ** 2).mean(axis=0)
    frequencies = np.fft.rfftfreq(2000)
    peak = 1 / frequencies[1:][np.argmax(power[1:])]
    assert peak == pytest.approx(period, rel=0.1)


def test_skewed_quasi_cycles_are_above_zero_with_long_upper_tails():
    cycles = syn.quasi_cycle(400, 300, seed=2, skewed_share=0.5)
    skew = np.asarray(cycles.params["skew"])
    assert 0.4 < np.mean(skew > 0) < 0.6
    skewed = cycles.values[skew > 0]
    assert (skewed > 0).all()
    centred = skewed - skewed.mean(axis=1, keepdims=True)
    assert np.all((centred ** 3).mean(axis=1) > 0)  # peaks sharper than troughs
    periods = np.asarray(cycles.params["cycle_period"])
    assert periods.min() >= 4 and periods.max() <= 60


def test_cycles_are_a_kind_asked_for_never_a_default_one():
    assert "cycle" in syn.KINDS and "cycle" not in syn.DEFAULT_KINDS
    panel = syn.generate(50, 120, seed=0, kinds={"cycle": 1, "trend": 1})
    drawn = panel.metadata.groupby("kind")["cycle_period"].apply(lambda p: p.notna().all())
    assert drawn["cycle"] and not panel.metadata.loc[panel.metadata.kind == "trend",
                                                      "cycle_period"].notna().any()
    assert "cycle" not in set(syn.generate(300, 120, seed=1).metadata["kind"])


@pytest.mark.parametrize("call, argument", [
    (lambda: syn.quasi_cycle(3, 50, period=2.0), "period=2.0"),
    (lambda: syn.quasi_cycle(3, 50, modulus=1.0), "modulus=1.0"),
    (lambda: syn.quasi_cycle(3, 50, skewed_share=1.5), "skewed_share=1.5"),
    (lambda: syn.generate(0, 50), "n_series=0"),
    (lambda: syn.generate(5, 50.5), "length=50.5"),
    (lambda: syn.generate(5, 50, seed="a"), "seed='a'"),
    (lambda: syn.generate(5, 50, kinds=["arima"]), "kinds="),
    (lambda: syn.generate(5, 50, missing=1.5), "missing=1.5"),
    (lambda: syn.generate(5, 50, multiplicative_noise=-0.1), "multiplicative_noise=-0.1"),
    (lambda: syn.generate(5, 50, multiplicative_noise="all"), "multiplicative_noise='all'"),
    (lambda: syn.arma_noise(5, 50, ar=[1.2]), "ar=[1.2]"),
    (lambda: syn.seasonal_pattern(5, 50, period=100), "period=100"),
    (lambda: syn.seasonal_pattern(5, 20, freq="h"), "freq='h'"),
    (lambda: syn.calendar_periods("fortnightly"), "freq='fortnightly'"),
    (lambda: syn.sample_kernel("rbf", 2, 50), "kernel='rbf'"),
    (lambda: syn.kernel_synth(2, 50, method="svd"), "method='svd'"),
    (lambda: syn.add_missing(np.zeros(10), share=0.1), "values has shape"),
    (lambda: syn.intermittent_demand(2, 50, mean_size=0.5), "mean_size=0.5"),
])
def test_bad_arguments_raise_naming_the_argument(call, argument):
    with pytest.raises((ValueError, TypeError), match=re.escape(argument)):
        call()


def test_pandas_views_have_a_regular_index_and_a_long_frame_the_forecaster_fits():
    panel = syn.generate(3, 60, seed=0, freq="MS", kinds=["seasonal", "trend"])
    y = syn.to_series(panel.values[0], freq="MS")
    assert y.index.freqstr == "MS"
    assert y.index.equals(pd.date_range("2000-01-01", periods=60, freq="MS"))
    frame = syn.to_long_frame(panel.values, freq="MS")
    forecaster = rnnforecast.RNNForecaster(
        horizon=3, n_networks=1, regressor=rnnforecast.RNNRegressor(hidden_size=4, max_iter=2))
    forecast = forecaster.fit(frame).predict()
    assert len(forecast) == 3 * 3
