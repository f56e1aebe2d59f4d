"""Tests for epochs of a sample of the windows (``max_windows_per_epoch``)."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rnnforecast import RNNForecaster, RNNRegressor
from rnnforecast._core.batches import ArrayBatches
from rnnforecast.forecasting.epoch_samples import EpochSamples


def batches(n):
    """An ArrayBatches of ``n`` samples whose input is the sample's number."""
    X = np.arange(n, dtype=float).reshape(1, 1, n)
    return ArrayBatches(X, None, X[0])


def numbers(source):
    return source.X[0, 0].astype(int)


def test_a_set_no_larger_than_the_size_is_every_epoch_whole():
    data = batches(10)
    for size in (10, 11, None):
        samples = EpochSamples(data, size, 0)
        assert not samples.sampled
        assert samples.next_epoch() is data and samples.next_epoch() is data


def test_each_window_is_read_once_before_any_is_read_twice():
    samples = EpochSamples(batches(12), 4, 0)
    assert samples.sampled
    epochs = [numbers(samples.next_epoch()) for _ in range(6)]
    assert all(len(e) == 4 and np.all(np.diff(e) > 0) for e in epochs)
    # Two passes over the twelve windows, three epochs each.
    assert sorted(np.concatenate(epochs[:3])) == list(range(12))
    assert sorted(np.concatenate(epochs[3:])) == list(range(12))
    assert not all(np.array_equal(a, b) for a, b in zip(epochs[:3], epochs[3:]))
    # A size that does not divide the set: still every window once per pass.
    uneven = EpochSamples(batches(10), 4, 1)
    first = np.concatenate([numbers(uneven.next_epoch()) for _ in range(2)])
    assert len(set(first)) == 8


def test_samples_depend_on_the_seed_only_and_leave_a_generator_alone():
    def draws(seed):
        samples = EpochSamples(batches(50), 7, seed)
        return [numbers(samples.next_epoch()) for _ in range(3)]

    np.testing.assert_array_equal(draws(3), draws(3))
    assert not np.array_equal(draws(3)[0], draws(4)[0])
    rng = np.random.RandomState(5)
    before = rng.get_state()[1].copy()
    draws(rng)
    np.testing.assert_array_equal(rng.get_state()[1], before)


# --------------------------------------------------------------------------- #
# In the forecaster
# --------------------------------------------------------------------------- #
def sensor(n, seed=0):
    rng = np.random.RandomState(seed)
    t = np.arange(n)
    values = 10 + np.sin(2 * np.pi * t / 7) + 0.3 * rng.standard_normal(n)
    return pd.Series(values, index=pd.date_range("2024-01-01", periods=n, freq="D"))


def forecaster(**params):
    params.setdefault("regressor", RNNRegressor(hidden_size=4, max_iter=6, n_iter_no_change=2))
    return RNNForecaster(window=14, horizon=3, n_networks=2, random_state=0,
                         model="per_series", **params)


class EpochSizes:
    """Records the windows of every epoch of partial_fit_batches."""

    def __init__(self, monkeypatch):
        self.sizes = []
        real = RNNRegressor.partial_fit_batches
        sizes = self.sizes

        def recording(network, data):
            sizes.append(data.n_samples)
            return real(network, data)

        monkeypatch.setattr(RNNRegressor, "partial_fit_batches", recording)


def test_epochs_of_at_most_max_windows_per_epoch(monkeypatch):
    y = sensor(200)
    epochs = EpochSizes(monkeypatch)
    fitted = forecaster(max_windows_per_epoch=40).fit(y)
    # The backtest's epochs, then the final networks' replay of theirs: all
    # of 40 windows (fewer than the series has).
    assert set(epochs.sizes) == {40}
    assert fitted.epoch_windows_ == 40
    replayed = sum(fitted.n_epochs_)
    assert len(epochs.sizes) > replayed >= 2
    assert np.isfinite(fitted.predict()).all()


def test_more_windows_per_epoch_than_the_series_has_changes_nothing():
    y = sensor(200)
    every = forecaster(max_windows_per_epoch=None).fit(y)
    large = forecaster(max_windows_per_epoch=500).fit(y)
    sampled = forecaster(max_windows_per_epoch=40).fit(y)
    np.testing.assert_array_equal(large.predict_interval(0.8), every.predict_interval(0.8))
    assert not np.array_equal(sampled.predict(), every.predict())


def test_sampled_epochs_give_the_same_forecasts_for_every_n_jobs():
    y = sensor(200)
    one = forecaster(max_windows_per_epoch=40).fit(y)
    two = forecaster(max_windows_per_epoch=40, n_jobs=2).fit(y)
    np.testing.assert_array_equal(one.predict_interval(0.8), two.predict_interval(0.8))
    assert one.n_epochs_ == two.n_epochs_


def test_auto_bounds_the_window_steps_of_an_epoch(monkeypatch):
    import rnnforecast.forecasting.epoch_samples as epoch_samples

    assert epoch_samples.epoch_size("auto", 200) == 1024
    assert epoch_samples.epoch_size("auto", 48) == 4266
    assert epoch_samples.epoch_size("auto", 10**6) == 1
    assert epoch_samples.epoch_size(40, 14) == 40 and epoch_samples.epoch_size(None, 14) is None
    # 14-step windows: an epoch of at most 600 // 14 = 42 windows.
    monkeypatch.setattr(epoch_samples, "AUTO_EPOCH_STEPS", 600)
    y = sensor(200)
    epochs = EpochSizes(monkeypatch)
    auto = forecaster(max_windows_per_epoch="auto").fit(y)
    assert set(epochs.sizes) == {42} and auto.epoch_windows_ == 42
    np.testing.assert_array_equal(
        auto.predict_interval(0.8), forecaster(max_windows_per_epoch=42).fit(y).predict_interval(0.8))


def test_auto_changes_nothing_on_a_series_within_its_bound():
    y = sensor(200)
    auto = forecaster(max_windows_per_epoch="auto").fit(y)
    every = forecaster(max_windows_per_epoch=None).fit(y)
    np.testing.assert_array_equal(auto.predict_interval(0.8), every.predict_interval(0.8))
    assert auto.epoch_windows_ is None and every.epoch_windows_ is None


def test_the_command_line_says_when_epochs_were_samples(monkeypatch, capsys):
    import rnnforecast.forecasting.epoch_samples as epoch_samples
    from rnnforecast.cli import main

    airline = Path(__file__).resolve().parent.parent / "datasets" / "airline_passengers.csv"
    args = ["forecast", str(airline), "--horizon", "6", "--no-backtest"]
    assert main(args) == 0
    assert "windows (chosen on the backtest)" not in capsys.readouterr().out
    # 24-step windows: epochs of 600 // 24 = 25 of airline's 100-odd windows.
    monkeypatch.setattr(epoch_samples, "AUTO_EPOCH_STEPS", 600)
    assert main(args) == 0
    assert re.search(r"epochs \d+(, \d+){4} of 25 windows \(chosen on the backtest\)",
                     capsys.readouterr().out)


@pytest.mark.parametrize("value", [0, -3, 2.5, "all"])
def test_bad_max_windows_per_epoch_raises(value):
    with pytest.raises((ValueError, TypeError), match="max_windows_per_epoch"):
        forecaster(max_windows_per_epoch=value).fit(sensor(60))
