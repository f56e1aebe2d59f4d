"""RNNRegressor passes every scikit-learn estimator check, for every cell, and
with the backward pass's helper thread (n_jobs=2)."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from rnnforecast import RNNRegressor


@parametrize_with_checks(
    [RNNRegressor(cell=cell) for cell in ("rnn", "gru", "lstm")]
    + [RNNRegressor(cell="lstm", n_jobs=2)]
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
