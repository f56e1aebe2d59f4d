"""RNNRegressor's sample_weight: in the loss of every batch, the
early-stopping score and the standardisation, through partial_fit, and
routed by scikit-learn's metadata routing through Pipeline and GridSearchCV.

A weight is not a repeated row for mini-batch training (the batches differ);
in one batch it is, and a zero weight is the row dropped."""

import numpy as np
import pytest
import sklearn
from sklearn.base import clone
from sklearn.metrics import r2_score
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from rnnforecast import RNNRegressor
from rnnforecast._core.batches import ArrayBatches
from rnnforecast._core.optimizers import SGD
from rnnforecast._core.time_major import to_time_major
from rnnforecast._core.training import batch_gradient, minibatches, train_epoch
from rnnforecast._epochs import validation_score

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def task(n=60, T=5, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((n, T))
    return X, X[:, -2] + 0.5 * X[:, -1] + 0.1 * rng.standard_normal(n)


def small(**params):
    defaults = dict(hidden_size=6, max_iter=5, learning_rate_init=0.01, random_state=0,
                    dtype="float64")
    return RNNRegressor(**{**defaults, **params})


def full_batch(**params):
    """One batch per epoch in a fixed order, no penalty: the epoch's update
    depends on the weights only through the loss."""
    return small(batch_size=1000, shuffle=False, alpha=0.0, **params)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_zero_weight_rows_are_dropped_from_a_batch_loss_and_gradient(cell):
    X, y = task()
    model = small(cell=cell, max_iter=1).fit(X, y)
    network = model.network_
    X_time, missing, Y = model.to_time_major(X, y)
    weight = np.ones(len(y))
    weight[::3] = 0
    loss = batch_gradient(network, X_time, missing, Y, weight)
    grads = network.grads.copy()
    kept = weight > 0
    loss_kept = batch_gradient(network, X_time[:, :, kept], None, Y[:, kept])
    np.testing.assert_allclose(loss, loss_kept, rtol=1e-12)
    np.testing.assert_allclose(grads, network.grads, rtol=1e-10, atol=1e-14)
    # The test can fail: the dropped rows do count without their zero weight.
    assert not np.isclose(batch_gradient(network, X_time, missing, Y), loss_kept)


def test_zero_weights_equal_dropping_the_rows_in_a_full_batch_fit():
    X, y = task()
    weight = np.ones(len(y))
    weight[::4] = 0
    weighted = full_batch().fit(X, y, sample_weight=weight)
    dropped = full_batch().fit(X[weight > 0], y[weight > 0])
    np.testing.assert_allclose(weighted.target_mean_, dropped.target_mean_, rtol=1e-12)
    np.testing.assert_allclose(weighted.input_scale_, dropped.input_scale_, rtol=1e-12)
    np.testing.assert_allclose(weighted.predict(X), dropped.predict(X), rtol=1e-8, atol=1e-10)
    assert not np.allclose(full_batch().fit(X, y).predict(X), dropped.predict(X))


def test_integer_weights_equal_repeated_rows_in_a_full_batch_fit():
    X, y = task()
    weight = np.random.RandomState(2).randint(0, 3, len(y))
    repeated = full_batch().fit(np.repeat(X, weight, axis=0), np.repeat(y, weight))
    weighted = full_batch().fit(X, y, sample_weight=weight)
    np.testing.assert_allclose(weighted.predict(X), repeated.predict(X), rtol=1e-8, atol=1e-10)


def test_unit_weights_fit_as_no_weights():
    X, y = task()
    np.testing.assert_array_equal(small().fit(X, y, sample_weight=np.ones(len(y))).predict(X),
                                  small().fit(X, y).predict(X))


def test_partial_fit_takes_weights():
    X, y = task()
    weight = np.linspace(0, 2, len(y))
    weighted, plain = small(), small()
    for _ in range(3):
        weighted.partial_fit(X, y, sample_weight=weight)
        plain.partial_fit(X, y)
    assert not np.allclose(weighted.predict(X), plain.predict(X))
    np.testing.assert_allclose(weighted.target_mean_, [np.average(y, weights=weight)])


def test_a_batch_without_weight_is_skipped():
    X, y = task(n=40)
    X_time, missing = to_time_major(X[:, :, None], np.float64)
    data = ArrayBatches(X_time, missing, y[None, :])
    network = small(max_iter=1).fit(X, y).network_
    weight = np.ones(40)
    weight[:10] = 0
    stats = train_epoch(network, SGD(network.params, 0.01), data, minibatches(40, 10),
                        sample_weight=weight)
    assert stats.n_updates == 3 and not stats.diverged


def test_the_validation_score_is_weighted():
    X, y = task()
    model = small(max_iter=2).fit(X, y)
    X_time, missing, Y = model.to_time_major(X, y)
    weight = np.random.RandomState(3).uniform(0, 2, len(y))
    score = validation_score(model.network_, ArrayBatches(X_time, missing, Y), 32, weight)
    z = model.network_.forward(X_time, missing)
    assert score == pytest.approx(r2_score(Y[0], z[0], sample_weight=weight), rel=1e-12)
    assert score != pytest.approx(r2_score(Y[0], z[0]), rel=1e-6)


def test_early_stopping_scores_the_held_out_rows_by_their_weight():
    X, y = task(n=100)
    weight = np.ones(100)
    weight[-5:] = 0  # half the validation rows count for nothing
    weighted = small(early_stopping=True, validation_fraction=0.1).fit(X, y, sample_weight=weight)
    plain = small(early_stopping=True, validation_fraction=0.1).fit(X, y)
    assert weighted.validation_scores_ != plain.validation_scores_


@pytest.mark.parametrize("weight, message", [
    (np.zeros(60), "non-zero"),
    (-np.ones(60), "[Nn]egative"),
    (np.ones(59), "59"),
])
def test_bad_weights_raise(weight, message):
    X, y = task()
    with pytest.raises(ValueError, match=message):
        small().fit(X, y, sample_weight=weight)


def test_pipeline_routes_the_weights_to_the_regressor():
    X, y = task()
    weight = np.random.RandomState(4).uniform(0, 2, len(y))
    with sklearn.config_context(enable_metadata_routing=True):
        pipe = Pipeline([("scale", StandardScaler().set_fit_request(sample_weight=False)),
                         ("rnn", small().set_fit_request(sample_weight=True))])
        pipe.fit(X, y, sample_weight=weight)
        Xs = StandardScaler().fit_transform(X)
        direct = small().fit(Xs, y, sample_weight=weight)
        np.testing.assert_array_equal(pipe.predict(X), direct.predict(Xs))
        assert not np.allclose(pipe.predict(X), clone(pipe).fit(X, y).predict(X))


def test_grid_search_routes_the_weights_to_every_fit():
    """To every fit, the refit included (and not to the score, unrequested)."""
    X, y = task()
    weight = np.random.RandomState(5).uniform(0, 2, len(y))
    with sklearn.config_context(enable_metadata_routing=True):
        regressor = small().set_fit_request(sample_weight=True)
        search = GridSearchCV(regressor.set_score_request(sample_weight=False),
                              {"hidden_size": [3, 6]}, cv=KFold(2))
        search.fit(X, y, sample_weight=weight)
        train, test = next(KFold(2).split(X))
        fold = small(hidden_size=search.cv_results_["param_hidden_size"][0])
        fold.fit(X[train], y[train], sample_weight=weight[train])
        assert search.cv_results_["split0_test_score"][0] == pytest.approx(
            fold.score(X[test], y[test]), rel=1e-12)
        refit = small(**search.best_params_).fit(X, y, sample_weight=weight)
        np.testing.assert_array_equal(search.predict(X), refit.predict(X))
        unweighted = clone(search).fit(X, y)
        assert not np.allclose(unweighted.cv_results_["mean_test_score"],
                               search.cv_results_["mean_test_score"])
