"""The backtest rules shared by both training modes, and the ensemble trained in parallel."""

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnforecast import RNNForecaster, RNNRegressor
from rnnforecast.forecasting.backtest import calibration_size, train_to_best_epoch


class ScriptedTrainer:
    """A trainer whose epochs give the validation errors of a script; an
    error of None means the epoch diverged."""

    def __init__(self, errors):
        self.errors = list(errors)
        self.epochs = 0  # the "weights": how many epochs they were trained

    def epoch(self):
        if self.errors[self.epochs] is None:
            return False
        self.epochs += 1
        return True

    def error(self):
        return self.errors[self.epochs - 1]

    def snapshot(self):
        return self.epochs

    def restore(self, snapshot):
        self.epochs = snapshot


def test_best_epoch_is_kept_and_training_stops_after_patience():
    trainer = ScriptedTrainer([5, 3, 4, 2, 6, 7, 8, 9, 1])
    assert train_to_best_epoch(trainer, trainer.error, max_epochs=9, patience=3) == 4
    assert trainer.epochs == 4  # the weights of epoch 4 were restored


def test_progress_smaller_than_tol_does_not_reset_patience_but_the_best_is_kept():
    # A series fitted almost exactly: the error falls by ever less.
    errors = [1.0, 0.5, 0.25] + [0.25 - 1e-6 * k for k in range(1, 50)]
    trainer = ScriptedTrainer(errors)
    assert train_to_best_epoch(trainer, trainer.error, max_epochs=52, patience=3) == 52
    trainer = ScriptedTrainer(errors)
    # Progress by more than 1e-4 last at epoch 3; three epochs later it stops,
    # keeping the lowest error seen (epoch 6), not epoch 3.
    assert train_to_best_epoch(trainer, trainer.error, max_epochs=52, patience=3,
                               tol=1e-4) == 6
    assert trainer.epochs == 6


def test_the_forecaster_stops_on_the_regressors_tol():
    # A clean cycle: with tol=0 every small gain extends training.
    t = np.arange(200)
    y = pd.Series(10 + np.sin(2 * np.pi * t / 12),
                  index=pd.date_range("2000-01-01", periods=200, freq="MS"))
    epochs = {}
    for tol in (0.0, 1e-3):
        regressor = RNNRegressor(hidden_size=8, max_iter=60, n_iter_no_change=5, tol=tol,
                                 learning_rate_init=0.01)
        fitted = RNNForecaster(horizon=3, regressor=regressor, n_networks=1, random_state=0,
                               model="per_series").fit(y)
        epochs[tol] = fitted.n_epochs_[0]
    assert epochs[1e-3] < epochs[0.0]


def test_without_a_finite_error_the_epochs_run_are_kept():
    # Every error NaN: the network trained `patience` epochs is kept, and the
    # final network must replay exactly those epochs (not one fewer).
    trainer = ScriptedTrainer([np.nan] * 10)
    assert train_to_best_epoch(trainer, trainer.error, max_epochs=10, patience=3) == 3
    assert trainer.epochs == 3


def test_a_diverging_epoch_ends_training_at_the_epochs_completed():
    trainer = ScriptedTrainer([np.nan, np.nan, None, 1.0])
    assert train_to_best_epoch(trainer, trainer.error, max_epochs=4, patience=5) == 2
    first = ScriptedTrainer([None])
    assert train_to_best_epoch(first, first.error, max_epochs=3, patience=5) == 1


def test_a_divergence_after_the_best_epoch_keeps_the_best():
    trainer = ScriptedTrainer([3.0, 1.0, 2.0, None])
    assert train_to_best_epoch(trainer, trainer.error, max_epochs=10, patience=5) == 2
    assert trainer.epochs == 2


@pytest.mark.parametrize(
    "n_calibration, n_complete, n_outputs, n_series, expected",
    [
        ("auto", 400, 1, 1, 100),  # a quarter
        ("auto", 60, 1, 1, 15),
        ("auto", 2000, 1, 1, 200),  # at most 200
        ("auto", 40, 1, 1, 10),  # at least 10
        ("auto", 20, 1, 1, 10),
        # A short series: fewer origins, as many as leave the calibration model
        # as many windows, down to 4.
        ("auto", 19, 1, 1, 9),
        ("auto", 19, 6, 1, 7),
        ("auto", 8, 1, 1, 4),
        ("auto", 7, 1, 1, 0),  # 3 origins would be too few
        ("auto", 400, 1, 1000, 2),  # 2,000 origins at most over all series
        (7, 400, 3, 1, 7),
        (7, 5, 3, 1, 5),
    ],
)
def test_calibration_size(n_calibration, n_complete, n_outputs, n_series, expected):
    assert calibration_size(n_calibration, n_complete, n_outputs, n_series) == expected


@pytest.mark.parametrize(
    "n_calibration, n_complete, n_outputs, expected",
    [
        ("auto", 400, 24, 100),  # as with training
        ("auto", 25, 24, 10),  # trained: 0, its calibration model would lack windows
        ("auto", 7, 1, 7),  # trained: 0
        ("auto", 1, 24, 1),
        ("auto", 0, 24, 0),
        ("auto", -3, 24, 0),  # fewer rows than a window and a horizon
        (7, 5, 3, 5),
    ],
)
def test_calibration_size_without_a_model_to_train_keeps_the_origins_a_series_has(
        n_calibration, n_complete, n_outputs, expected):
    assert calibration_size(n_calibration, n_complete, n_outputs, trains=False) == expected


def test_window_fit_with_every_epoch_error_nan_replays_the_epochs_run():
    # A series whose calibration futures are all missing scores NaN at every
    # epoch; the kept network ran n_iter_no_change epochs, and so does the final one.
    rng = np.random.RandomState(0)
    y = pd.Series(rng.randn(120), index=pd.date_range("2024-01-01", periods=120, freq="D"))
    y.iloc[-25:] = np.nan
    forecaster = RNNForecaster(window=7, horizon=2, n_calibration=10, n_networks=1,
                               random_state=0,
                               regressor=RNNRegressor(hidden_size=4, max_iter=20,
                                                      n_iter_no_change=3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # nanmean of no value
        forecaster.fit(y.iloc[:-10])
    assert forecaster.n_epochs_ == [3]
    assert forecaster.regressors_[0].n_iter_ == 3


def test_ensemble_trained_in_parallel_forecasts_exactly_as_one_process():
    t = np.arange(150)
    y = pd.Series(10 + np.sin(2 * np.pi * t / 12) + 0.1 * np.random.RandomState(0).randn(150),
                  index=pd.date_range("2000-01-01", periods=150, freq="MS"))
    params = dict(horizon=3, n_networks=3, random_state=0,
                  regressor=RNNRegressor(hidden_size=4, max_iter=4))
    serial = RNNForecaster(**params).fit(y)
    parallel = RNNForecaster(**params, n_jobs=2).fit(y)
    pd.testing.assert_frame_equal(serial.predict_interval(), parallel.predict_interval())
    assert serial.n_epochs_ == parallel.n_epochs_


def test_sequence_ensemble_trained_in_parallel_forecasts_exactly_as_one_process():
    t = np.arange(400)
    y = pd.Series(np.sin(2 * np.pi * t / 24),
                  index=pd.date_range("2024-01-01", periods=400, freq="h"))
    params = dict(horizon=2, training="sequence", n_networks=2, random_state=0,
                  regressor=RNNRegressor(hidden_size=4, max_iter=3))
    serial = RNNForecaster(**params).fit(y)
    parallel = RNNForecaster(**params, n_jobs=2).fit(y)
    pd.testing.assert_frame_equal(serial.predict_interval(), parallel.predict_interval())


@pytest.mark.parametrize("model", ["per_series", "zero_shot"])
def test_a_gap_at_the_end_leaves_no_calibration_origin_and_says_so(model):
    # The last 300 of 500 hours missing: every calibration origin's window is
    # empty. Fit warns and keeps no intervals; predict asks for observed values.
    # (The model used to crash with a reshape error in the backtest.)
    y = pd.Series(np.r_[np.sin(np.arange(200.0) / 4), np.full(300, np.nan)],
                  index=pd.date_range("2024-01-01", periods=500, freq="h"))
    networks = {} if model == "zero_shot" else dict(
        regressor=RNNRegressor(hidden_size=3, max_iter=2), n_networks=1)
    with pytest.warns(UserWarning, match="calibration origins hold no observed target value"):
        fitted = RNNForecaster(horizon=6, model=model, random_state=0, **networks).fit(y)
    with pytest.raises(ValueError, match="hold no observed target value"):
        fitted.predict()
    with pytest.raises(ValueError, match="a gap at the end of the series"):
        fitted.update(pd.Series([1.0], index=[y.index[-1] + pd.Timedelta("1h")]))
        fitted.predict_interval()


def daily(values):
    return pd.Series(values, index=pd.date_range("2024-01-01", periods=len(values), freq="D"))


def test_gaps_that_break_every_future_are_a_clear_error():
    # 40 days, horizon 14, window 9: three missing days leave no run of 14
    # observed days after a window, which training needs. The error said
    # "the linear skip has no row to fit on" before.
    values = 10 + np.sin(np.arange(40.0))
    values[[18, 29, 33]] = np.nan
    with pytest.raises(ValueError, match=r"y has no window of 9 rows followed by 14 observed "
                                         r"target values.*the 3 missing values \(of 40\).*"
                                         r"y\.interpolate\(\)"):
        RNNForecaster(horizon=14, model="per_series").fit(daily(values))
    # Many series, one global model: said of all of them; a model each: of the first.
    with pytest.raises(ValueError, match="no series of y has a window of 9 rows"):
        RNNForecaster(horizon=14, model="per_series", many_series="global").fit(
            {"a": daily(values), "b": daily(values)})
    with pytest.raises(ValueError, match=r"y\['a'\] has no window of 9 rows"):
        RNNForecaster(horizon=14, model="per_series").fit(
            {"a": daily(values), "b": daily(values)})
    # The pretrained network trains nothing: it forecasts the same series.
    assert np.isfinite(RNNForecaster(horizon=14, model="zero_shot").fit(daily(values))
                       .predict()).all()


def test_auto_calibration_that_gaps_leave_nothing_to_train_on_warns_and_fits():
    # 120 days, horizon 14, window 14: a missing day every 10 days up to day 75
    # breaks every future before the calibration origins (days 83 on), while
    # the windows after day 75 still train the final model. n_calibration="auto"
    # chose the origins, so fit keeps no intervals and says why instead of
    # asking for another n_calibration.
    values = 10 + np.sin(np.arange(120.0) / 3)
    values[5:80:10] = np.nan
    small = RNNRegressor(hidden_size=3, max_iter=2)
    with pytest.warns(UserWarning, match="no window before the calibration origins has its "
                                         "future observed"):
        fitted = RNNForecaster(horizon=14, regressor=small, n_networks=1, random_state=0,
                               model="per_series").fit(daily(values))
    assert fitted.window_ == 14 and fitted.calibration_errors_ is None
    assert np.isfinite(fitted.predict()).all()
    with pytest.raises(ValueError, match="no window before the calibration origins"):
        fitted.predict_interval()
    # An n_calibration the user set is not changed behind their back.
    with pytest.raises(ValueError, match="n_calibration=20 leaves no window"):
        RNNForecaster(horizon=14, regressor=small, n_networks=1, n_calibration=20,
                      model="per_series").fit(daily(values))


def test_the_network_kept_at_its_best_epoch_shares_only_the_shuffling_rng():
    """The snapshot of the epoch trainer copies the weights and the optimiser
    (training on leaves them alone) but shares the shuffling RNG, which a
    network kept to forecast the backtest never uses again."""
    from rnnforecast._core.batches import ArrayBatches
    from rnnforecast.forecasting.ensemble import _EpochTrainer

    rng = np.random.RandomState(0)
    X = rng.standard_normal((5, 1, 40))
    data = ArrayBatches(X, None, X[-1] + X[-2])  # targets (1, 40)
    trainer = _EpochTrainer(RNNRegressor(hidden_size=4, random_state=0), data, 0, 3)
    assert trainer.epoch()
    kept = trainer.snapshot()
    weights = kept.network_.params.copy()
    assert trainer.epoch()
    assert np.array_equal(kept.network_.params, weights)
    assert not np.array_equal(trainer.network.network_.params, weights)
    assert kept._optimizer is not trainer.network._optimizer and kept.n_iter_ == 1
    assert kept._rng is trainer.network._rng
