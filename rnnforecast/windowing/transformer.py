"""SlidingWindowTransformer: the windowing of make_supervised as the first step of a Pipeline."""

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import (
    _check_feature_names_in,
    check_is_fitted,
    validate_data,
)

from .layout import gather_windows, window_names

__all__ = ["SlidingWindowTransformer"]


class SlidingWindowTransformer(TransformerMixin, BaseEstimator):
    """Replace each row by the trailing window of rows that ends at it.

    Input row ``t`` becomes the ``window`` rows ``t-window+1, ..., t``,
    flattened time-major (all features of the oldest step first, all features
    of row ``t`` last), the layout ``RNNRegressor`` reads and the one of
    :func:`make_supervised`'s ``X``. The first ``window - 1`` rows have no full
    history: their window is left-padded with NaN, i.e. missing steps, which
    ``RNNRegressor`` reads as a shorter sequence (use a NaN-aware model after
    this transformer). The output has one row per input row, so the
    transformer can be the first step of a ``Pipeline`` fitted on ``X`` of
    shape (n_timestamps, n_features) and ``y`` of length n_timestamps.

    Parameters
    ----------
    window : int >= 1
        Number of steps per window, the current row included.
    stride : int, default=1
        Only ``1`` is accepted; any other value raises a ValueError in
        ``fit``. An sklearn transformer must return one row per input row (a
        ``Pipeline`` passes the same ``y`` to the next step), so this
        transformer cannot drop rows. To keep every ``stride``-th window, use
        ``make_supervised(data, window, horizon=..., stride=...)``, which
        subsamples the windows and their targets together
        (``horizon=0`` for windows only). The parameter is kept so that the
        public signature matches the design contract.

    Attributes
    ----------
    n_features_in_ : int
        Number of features (columns) seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names seen in ``fit``, when ``X`` was a DataFrame with string
        column names.

    See Also
    --------
    make_supervised : Windows and their future targets from a pandas series.

    Notes
    -----
    The transformer learns nothing from the data: ``fit`` only records the
    number (and names) of the features, so that ``transform`` can check them.
    Each call to ``transform`` sees only the rows it is given: its first
    ``window - 1`` rows are padded with NaN, not filled from rows seen
    earlier. In a ``TimeSeriesSplit`` the first rows of each test fold
    therefore have shorter windows.

    Rows are not independent: row ``t`` of the output depends on the rows
    before it, so transforming a subset or a reordering of the rows does not
    give the matching subset of the output. Keep the rows in time order.

    The windows are cut with
    :func:`numpy.lib.stride_tricks.sliding_window_view` and copied once into
    the output; ``X`` is not modified. NaN input is allowed, inf raises a
    ValueError.

    Examples
    --------
    >>> import pandas as pd
    >>> from rnnforecast.windowing import SlidingWindowTransformer
    >>> X = pd.DataFrame({"temp": [1.0, 2.0, 3.0], "hum": [4.0, 5.0, 6.0]},
    ...                  index=pd.date_range("2024-01-01", periods=3, freq="h"))
    >>> windows = SlidingWindowTransformer(window=2).set_output(transform="pandas")
    >>> windows.fit_transform(X)
                         temp[t-1]  hum[t-1]  temp[t]  hum[t]
    2024-01-01 00:00:00        NaN       NaN      1.0     4.0
    2024-01-01 01:00:00        1.0       4.0      2.0     5.0
    2024-01-01 02:00:00        2.0       5.0      3.0     6.0

    As the first step of a pipeline, with a model that accepts NaN:

    >>> from sklearn.ensemble import HistGradientBoostingRegressor
    >>> from sklearn.pipeline import make_pipeline
    >>> model = make_pipeline(SlidingWindowTransformer(window=2),
    ...                       HistGradientBoostingRegressor(max_iter=5))
    >>> model.fit(X, [2.0, 3.0, 4.0]).predict(X).shape
    (3,)
    """

    _parameter_constraints = {
        "window": [Interval(Integral, 1, None, closed="left")],
        "stride": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, window, stride=1):
        self.window = window
        self.stride = stride

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Record the number and names of the features of ``X``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            The rows, one per timestamp, in time order. Numeric; NaN allowed.
        y : None
            Ignored; present for the ``Pipeline`` API.

        Returns
        -------
        self : SlidingWindowTransformer
            The fitted transformer.
        """
        if self.stride != 1:
            raise ValueError(
                f"stride={self.stride!r} is not supported by "
                "SlidingWindowTransformer, which must return one row per input "
                "row (expected stride=1); to keep every stride-th window use "
                f"make_supervised(data, window={self.window}, horizon=..., "
                f"stride={self.stride})"
            )
        self._validate_input(X, reset=True)
        return self

    def transform(self, X):
        """Replace each row by the trailing window that ends at it.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            The rows, one per timestamp, in time order.

        Returns
        -------
        X_windows : ndarray of shape (n_samples, window * n_features)
            Time-major windows, NaN-padded on the left for the first
            ``window - 1`` rows. float32 for float32 input, float64 otherwise.
            A DataFrame with the index of ``X`` under
            ``set_output(transform="pandas")``.
        """
        check_is_fitted(self)
        X = self._validate_input(X, reset=False)
        n_samples, n_features = X.shape
        padded = np.full(
            (n_samples + self.window - 1, n_features), np.nan, dtype=X.dtype
        )
        padded[self.window - 1 :] = X
        return gather_windows(padded, self.window, np.arange(n_samples))

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns: ``name[t-k]``, ..., ``name[t]``.

        Parameters
        ----------
        input_features : array-like of str, default=None
            Input column names. Defaults to ``feature_names_in_`` when the
            transformer was fitted on a DataFrame, else ``x0, x1, ...``.

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``window * n_features_in_`` names, time-major.
        """
        check_is_fitted(self, "n_features_in_")
        input_features = _check_feature_names_in(self, input_features)
        return np.asarray(window_names(input_features, self.window), dtype=object)

    def _validate_input(self, X, reset):
        if isinstance(X, pd.DataFrame):
            for column, dtype in X.dtypes.items():
                if not pd.api.types.is_numeric_dtype(dtype):
                    raise TypeError(
                        f"X column {column!r} has non-numeric dtype {dtype}; "
                        "SlidingWindowTransformer needs numeric columns (convert numbers "
                        "stored as text with pd.to_numeric, one-hot encode categories "
                        f"with pd.get_dummies(X, columns=[{column!r}], dtype=float), or "
                        "drop it)"
                    )
        return validate_data(
            self,
            X,
            reset=reset,
            dtype=[np.float64, np.float32],
            ensure_all_finite="allow-nan",
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
