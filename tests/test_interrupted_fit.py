"""A fit stopped by KeyboardInterrupt (Ctrl-C) leaves no half-trained model behind.

RNNRegressor undoes the interrupted epoch and keeps the completed ones (as a
fit with max_iter equal to them would), or is unfitted when a new network
completed none; RNNForecaster sets its fitted state only at the end of fit,
so an interrupted fit leaves it as it was. The KeyboardInterrupt always
propagates.
"""

import copy

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

from rnnforecast import RNNForecaster, RNNRegressor
from rnnforecast import _epochs, estimator
from rnnforecast.forecasting import sequence_training

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

RNG = np.random.RandomState(0)
X = RNG.standard_normal((80, 6))
Y = X[:, 2] + 0.1 * RNG.standard_normal(80)
SMALL = dict(hidden_size=5, batch_size=16, learning_rate_init=0.01, random_state=0)


def interrupt_epoch(monkeypatch, epoch, after_batches=2):
    """From now on, the ``epoch``-th epoch that RNNRegressor trains raises
    KeyboardInterrupt after ``after_batches`` of its updates were applied."""
    real = _epochs.train_epoch
    n_epochs = 0

    def train_epoch(*args, gradient, **kwargs):
        nonlocal n_epochs
        n_epochs += 1
        if n_epochs == epoch:
            batches_left = after_batches
            inner = gradient

            def gradient(*gradient_args):
                nonlocal batches_left
                if batches_left == 0:
                    raise KeyboardInterrupt
                batches_left -= 1
                return inner(*gradient_args)
        return real(*args, gradient=gradient, **kwargs)

    monkeypatch.setattr(_epochs, "train_epoch", train_epoch)


def fitted_state(model):
    return (model.predict(X), model.loss_curve_, model.grad_norm_curve_, model.clipped_curve_,
            model.n_iter_, model.t_, model.best_loss_, model.validation_scores_)


def assert_same_state(a, b):
    for x, y in zip(fitted_state(a), fitted_state(b)):
        assert np.array_equal(np.asarray(x, dtype=object if x is None else None),
                              np.asarray(y, dtype=object if y is None else None))


@pytest.mark.parametrize("early_stopping", [False, True])
def test_interrupted_fit_is_a_fit_of_the_completed_epochs(monkeypatch, early_stopping):
    params = dict(SMALL, max_iter=10, early_stopping=early_stopping, n_iter_no_change=20)
    reference = RNNRegressor(**params, warm_start=True).set_params(max_iter=3).fit(X, Y)

    interrupt_epoch(monkeypatch, epoch=4)
    model = RNNRegressor(**params, warm_start=True)
    with pytest.raises(KeyboardInterrupt, match="3 completed epoch"):
        model.fit(X, Y)
    assert model.n_iter_ == 3
    assert_same_state(model, reference)
    # The optimiser and the shuffling were put back too: training goes on
    # exactly as after a fit of three epochs.
    monkeypatch.undo()
    assert_same_state(model.partial_fit(X, Y), reference.partial_fit(X, Y))
    model.set_params(max_iter=2)
    reference.set_params(max_iter=2)
    assert_same_state(model.fit(X, Y), reference.fit(X, Y))


def test_fit_of_a_new_network_interrupted_in_its_first_epoch_leaves_it_unfitted(monkeypatch):
    fresh = RNNRegressor(**SMALL, max_iter=5)
    refitted = RNNRegressor(**SMALL, max_iter=2).fit(X, Y)
    interrupt_epoch(monkeypatch, epoch=1)
    with pytest.raises(KeyboardInterrupt, match="unfitted"):
        fresh.fit(X, Y)
    interrupt_epoch(monkeypatch, epoch=1)
    with pytest.raises(KeyboardInterrupt):
        refitted.fit(X, Y)
    for model in (fresh, refitted):
        with pytest.raises(NotFittedError):
            model.predict(X)
        assert not [name for name in vars(model) if name.endswith("_")]
    monkeypatch.undo()
    # and it fits as a new estimator would
    assert_same_state(fresh.fit(X, Y), RNNRegressor(**SMALL, max_iter=5).fit(X, Y))


def test_interrupted_partial_fit_leaves_the_estimator_as_before(monkeypatch):
    model = RNNRegressor(**SMALL, max_iter=3).fit(X, Y)
    untouched = copy.deepcopy(model)
    weights = model.weights_
    interrupt_epoch(monkeypatch, epoch=1)
    with pytest.raises(KeyboardInterrupt):
        model.partial_fit(X, Y)
    assert all(np.array_equal(weights[name], w) for name, w in model.weights_.items())
    assert_same_state(model, untouched)
    monkeypatch.undo()
    assert_same_state(model.partial_fit(X, Y), untouched.partial_fit(X, Y))


def test_interruption_before_the_first_epoch_leaves_a_new_fit_unfitted(monkeypatch):
    model = RNNRegressor(**SMALL, max_iter=2).fit(X, Y)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    # After the new network is made, before its epochs begin.
    monkeypatch.setattr(estimator, "make_optimizer", interrupted)
    with pytest.raises(KeyboardInterrupt):
        model.fit(X, Y)
    with pytest.raises(NotFittedError):
        model.predict(X)


# -- the forecaster --------------------------------------------------------------

def series(n=90, shift=0.0):
    index = pd.date_range("2024-01-01", periods=n, freq="D")
    return pd.Series(shift + np.sin(2 * np.pi * np.arange(n) / 7), index=index)


def forecaster(**kwargs):
    return RNNForecaster(horizon=3, regressor=RNNRegressor(hidden_size=4, max_iter=4),
                         n_networks=2, random_state=0, **kwargs)


def interrupt_third_epoch(monkeypatch, owner, name):
    """``owner.name`` raises KeyboardInterrupt on its third call."""
    real = getattr(owner, name)
    calls = 0

    def interrupted(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, interrupted)


@pytest.mark.parametrize("training", ["window", "sequence"])
def test_interrupted_forecaster_fit_propagates_and_leaves_it_unfitted(monkeypatch, training):
    if training == "window":
        interrupt_third_epoch(monkeypatch, RNNRegressor, "partial_fit_batches")
    else:
        interrupt_third_epoch(monkeypatch, sequence_training, "sequence_epoch")
    model = forecaster(training=training)
    with pytest.raises(KeyboardInterrupt):
        model.fit(series())
    with pytest.raises(NotFittedError):
        model.predict()


def test_interrupted_refit_keeps_the_previous_forecasts(monkeypatch):
    model = forecaster().fit(series())
    before = model.predict_interval()
    interrupt_third_epoch(monkeypatch, RNNRegressor, "partial_fit_batches")
    with pytest.raises(KeyboardInterrupt):
        model.fit(series(120, shift=5.0))
    pd.testing.assert_frame_equal(model.predict_interval(), before)
    assert model.n_rows_seen_ == 90
