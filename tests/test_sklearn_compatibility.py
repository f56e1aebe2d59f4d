"""RNNRegressor passes every scikit-learn estimator check, for every cell."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from rnnforecast import RNNRegressor


@parametrize_with_checks(
    [RNNRegressor(cell=cell) for cell in ("rnn", "gru", "lstm")]
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
