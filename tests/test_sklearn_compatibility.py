"""RNNRegressor passes every scikit-learn estimator check, for every cell, and
with its batches split over two processes (n_jobs=2), except the two that
mini-batch stochastic training cannot pass, marked as scikit-learn marks them
for its own SGDRegressor and Perceptron."""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from rnnforecast import RNNRegressor
from rnnforecast import _column_split

# A weight of 2 on a row is not the row repeated: the repeated data set has
# more rows, so it is cut into other (and more) shuffled mini-batches, and
# the fits part ways from the first update on.
STOCHASTIC = "sample_weight is not equivalent to removing/repeating samples."
EXPECTED_FAILED_CHECKS = {
    "check_sample_weight_equivalence_on_dense_data": STOCHASTIC,
    "check_sample_weight_equivalence_on_sparse_data": STOCHASTIC,
}


@pytest.fixture(autouse=True)
def split_every_batch(monkeypatch):
    """The checks' data sets are small: let n_jobs=2 split every batch of two
    or more samples, and use two processes even on one processor."""
    monkeypatch.setattr(_column_split, "MIN_PART_WORK", 1)
    monkeypatch.setattr(_column_split, "usable_cpus", lambda: 2)


@parametrize_with_checks(
    [RNNRegressor(cell=cell) for cell in ("rnn", "gru", "lstm")]
    + [RNNRegressor(cell="lstm", n_jobs=2),
       RNNRegressor(standardize_target=False, standardize_inputs=False)],
    expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS,
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
