"""Forecast errors by name, and scorers of forecasters for scikit-learn's model selection.

``RNNForecaster.score`` follows scikit-learn: higher is better, the negative
mean absolute error by default. scikit-learn's own scorers
(``scoring="neg_mean_absolute_percentage_error"``) cannot score a
forecaster: they call ``scorer(estimator, X_test, y_test)`` and compare
``predict(X_test)`` with ``y_test``, while a forecaster is fitted on the
series itself (``cross_val_score(forecaster, y)``: the series is ``X``, and
``y_test`` is None), so every split scores NaN. :func:`forecast_scorer`
gives ``scoring=`` a scorer that calls ``forecaster.score`` with the metric
asked for::

    cross_val_score(forecaster, y, cv=TimeSeriesSplit(3, test_size=12),
                    scoring=forecast_scorer("mape"))

Errors (lower is better; the score is their negative), over the steps whose
true value is observed:

- ``"mae"``: mean absolute error;
- ``"mse"``, ``"rmse"``: mean squared error, and its square root;
- ``"mape"``: mean absolute percentage error as a fraction (0.05 for 5%),
  each error divided by ``max(|y|, eps)`` as scikit-learn's
  ``mean_absolute_percentage_error`` does;
- ``"smape"``: symmetric MAPE, the mean of ``2 |y - f| / (|y| + |f|)``
  (between 0 and 2; a step where both are 0 counts 0);
- a callable ``metric(y_true, y_pred) -> float``, lower is better (any of
  scikit-learn's error metrics, e.g. ``median_absolute_error``).
"""

import numpy as np

__all__ = ["METRICS", "ForecastScorer", "check_metric", "forecast_error", "forecast_scorer"]


def _mae(y_true, y_pred):
    return float(np.mean(np.abs(y_true - y_pred)))


def _mse(y_true, y_pred):
    return float(np.mean((y_true - y_pred) ** 2))


def _rmse(y_true, y_pred):
    return float(np.sqrt(_mse(y_true, y_pred)))


def _mape(y_true, y_pred):
    eps = np.finfo(np.float64).eps
    return float(np.mean(np.abs(y_true - y_pred) / np.maximum(np.abs(y_true), eps)))


def _smape(y_true, y_pred):
    size = np.abs(y_true) + np.abs(y_pred)
    ratio = np.divide(2 * np.abs(y_true - y_pred), size, out=np.zeros_like(size),
                      where=size > 0)
    return float(np.mean(ratio))


# Name -> error(y_true, y_pred) on observed steps, lower is better.
METRICS = {"mae": _mae, "mse": _mse, "rmse": _rmse, "mape": _mape, "smape": _smape}


def check_metric(metric):
    """``metric`` as an error function ``(y_true, y_pred) -> float``.

    Parameters
    ----------
    metric : str or callable
        A name of :data:`METRICS` or a callable.

    Returns
    -------
    error : callable
        ``error(y_true, y_pred) -> float`` on observed steps, lower is better.

    Raises
    ------
    ValueError
        For any other value, naming the choices.
    """
    if callable(metric):
        return metric
    if isinstance(metric, str) and metric in METRICS:
        return METRICS[metric]
    raise ValueError(
        f"metric={metric!r} is not a metric this package knows; pass one of "
        f"{sorted(METRICS)} or a callable metric(y_true, y_pred) -> float, lower is "
        "better (e.g. sklearn.metrics.median_absolute_error)."
    )


def forecast_error(y_true, y_pred, metric="mae"):
    """The error of a forecast, over the steps whose true value is observed.

    Parameters
    ----------
    y_true : array-like of shape (horizon,)
        The values that came, NaN where missing (those steps are left out).
    y_pred : array-like of shape (horizon,)
        The forecast of them.
    metric : str or callable, default="mae"
        One of :data:`METRICS` or ``metric(y_true, y_pred) -> float`` (see
        the module's notes).

    Returns
    -------
    error : float
        Lower is better; NaN when no true value is observed.

    Examples
    --------
    >>> from rnnforecast.scoring import forecast_error
    >>> forecast_error([100.0, 200.0, float("nan")], [110.0, 190.0, 5.0], "mape")  # 10%, 5%
    0.07500000000000001
    >>> forecast_error([100.0, 200.0, float("nan")], [110.0, 190.0, 5.0], "rmse")
    10.0
    """
    error = check_metric(metric)
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    observed = ~np.isnan(y_true)
    if not observed.any():
        return float("nan")
    return float(error(y_true[observed], y_pred[observed]))


class ForecastScorer:
    """A scorer of forecasters: ``scorer(forecaster, y_future, X_future=None)``
    returns ``forecaster.score(y_future, X_future, metric=metric)``, the
    negative error (higher is better), as ``scoring=`` of
    ``cross_val_score``, ``cross_validate`` and ``GridSearchCV`` expects.

    Parameters
    ----------
    metric : str or callable, default="mae"
        See :func:`forecast_error`.
    """

    def __init__(self, metric="mae"):
        check_metric(metric)
        self.metric = metric

    def __call__(self, forecaster, y_future, X_future=None):
        return forecaster.score(y_future, X_future, metric=self.metric)

    def __repr__(self):
        return f"forecast_scorer({self.metric!r})"


def forecast_scorer(metric="mae"):
    """A scorer for ``scoring=`` that scores a forecaster by ``metric``.

    Parameters
    ----------
    metric : str or callable, default="mae"
        ``"mae"``, ``"mse"``, ``"rmse"``, ``"mape"``, ``"smape"``, or a
        callable ``metric(y_true, y_pred) -> float``, lower is better (see
        the module's notes).

    Returns
    -------
    scorer : ForecastScorer
        ``scorer(forecaster, y_future, X_future=None)``: the negative error
        of the forecast of ``y_future``.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn.model_selection import TimeSeriesSplit, cross_val_score
    >>> from rnnforecast import RNNForecaster, RNNRegressor
    >>> from rnnforecast.scoring import forecast_scorer
    >>> y = pd.Series(10 + np.sin(np.arange(80) / 3),
    ...               index=pd.date_range("2024-01-01", periods=80, freq="D"))
    >>> forecaster = RNNForecaster(window=12, horizon=4, n_networks=1, random_state=0,
    ...                            regressor=RNNRegressor(hidden_size=4, max_iter=5))
    >>> scores = cross_val_score(forecaster, y, cv=TimeSeriesSplit(3, test_size=4),
    ...                          scoring=forecast_scorer("mape"))
    >>> scores.shape, bool((scores < 0).all())
    ((3,), True)
    """
    return ForecastScorer(metric)
