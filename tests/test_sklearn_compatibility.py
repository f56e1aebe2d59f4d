"""RNNRegressor passes every scikit-learn estimator check, for every cell, and
with its batches split over two processes (n_jobs=2)."""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from rnnforecast import RNNRegressor
from rnnforecast import _column_split


@pytest.fixture(autouse=True)
def split_every_batch(monkeypatch):
    """The checks' data sets are small: let n_jobs=2 split every batch of two
    or more samples, and use two processes even on one processor."""
    monkeypatch.setattr(_column_split, "MIN_PART_WORK", 1)
    monkeypatch.setattr(_column_split, "usable_cpus", lambda: 2)


@parametrize_with_checks(
    [RNNRegressor(cell=cell) for cell in ("rnn", "gru", "lstm")]
    + [RNNRegressor(cell="lstm", n_jobs=2)]
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
