"""Checks and conversions of the series a forecaster is given.

Every public method of :class:`~rnnforecast.RNNForecaster` that takes data
passes it through :func:`check_series` (the target) and
:func:`check_covariates` (past covariates). They return new float64 arrays
and never modify their input; errors name the argument, the value and the fix.
"""

import numpy as np
import pandas as pd

from .._time_index import check_time_index

__all__ = ["check_series", "check_covariates", "float_values", "stack_values"]


def check_series(y, target, argument="y", allow_all_nan=False, fixes=None):
    """The target column of ``y`` as ``(values, index, name)``.

    Parameters
    ----------
    y : Series or DataFrame
        Indexed by time, strictly increasing; a DataFrame needs ``target``
        unless it has one column.
    target : hashable or None
        The column of a DataFrame to forecast.
    argument : str
        The name of the argument, for error messages.
    allow_all_nan : bool
        Accept a series with no observed value (new rows in ``update``).
    fixes : tuple of str or None
        What the errors of the time index name as the fix when ``y`` was cut
        from a long frame (see :func:`rnnforecast._time_index.check_time_index`).

    Returns
    -------
    values : ndarray of shape (n_rows,), float64
        A new array; NaN marks a missing value.
    index : Index
    name : hashable
    """
    series = _target_column(y, target, argument)
    if len(series) == 0:
        raise ValueError(f"{argument} is empty (0 rows); pass at least one observation.")
    check_time_index(series.index, argument, fixes)
    values = float_values(series.to_frame(), argument)[:, 0]
    if not allow_all_nan and np.isnan(values).all():
        raise ValueError(
            f"{argument} holds only NaN ({len(values)} rows); pass observed values."
        )
    return values, series.index, series.name


def check_covariates(X, index, names, argument="X"):
    """Past covariates ``X`` aligned with the target's ``index``.

    Parameters
    ----------
    X : DataFrame, Series or None
    index : Index
        The index of the target rows; ``X.index`` must equal it.
    names : list or None
        The covariate names seen in fit, or None in fit itself.
    argument : str

    Returns
    -------
    values : ndarray of shape (n_rows, n_covariates), float64, or None
    names : list of the covariate column names, or None
    """
    if X is None:
        if names:
            raise ValueError(
                f"{argument} is None, but the forecaster was fitted with covariates "
                f"{names}; pass them for the same rows as the target."
            )
        return None, None
    if isinstance(X, pd.Series):
        X = X.to_frame()
    if not isinstance(X, pd.DataFrame):
        raise TypeError(
            f"{argument} must be a pandas DataFrame of past covariates indexed like y; "
            f"got {type(X).__name__}. Wrap an array with pd.DataFrame(values, index=y.index)."
        )
    if names is None and X.shape[1] == 0:
        raise ValueError(
            f"{argument} has no columns; pass covariate columns or {argument}=None."
        )
    if names is not None and not names:
        raise ValueError(
            f"{argument} was given, but the forecaster was fitted without covariates; "
            f"pass {argument}=None."
        )
    if names is not None and list(X.columns) != names:
        raise ValueError(
            f"{argument} has columns {list(X.columns)}, but the forecaster was fitted "
            f"with {names}; pass the same columns in the same order."
        )
    if not X.index.equals(index):
        raise ValueError(
            f"{argument} must be aligned with y (the same index, row for row); "
            f"{argument}.index has {len(X.index)} rows from {_ends(X.index)}, y has "
            f"{len(index)} rows from {_ends(index)}. Use X.loc[y.index] or reindex."
        )
    return float_values(X, argument), list(X.columns)


def stack_values(target, covariates):
    """The rows the forecaster reads: the target in column 0, then the
    covariates (None: the target alone), shape (n_rows, 1 + n_covariates)."""
    return target[:, None] if covariates is None else np.column_stack([target, covariates])


def _target_column(y, target, argument):
    if isinstance(y, pd.Series):
        if target is not None and y.name != target:
            raise ValueError(
                f"target={target!r} names a column, but {argument} is a Series named "
                f"{y.name!r}; pass the DataFrame holding {target!r}, or target=None."
            )
        return y
    if isinstance(y, pd.DataFrame):
        columns = list(y.columns)
        if target is None:
            if len(columns) == 1:
                return y.iloc[:, 0]
            raise ValueError(
                f"{argument} is a DataFrame with {len(columns)} columns {columns}; pass "
                "target= the column to forecast, e.g. RNNForecaster(target="
                f"{columns[0]!r}), and the others as past covariates X; or, to forecast "
                f"each column as a series of its own, pass dict({argument}.items())."
            )
        if target not in columns:
            raise ValueError(
                f"target={target!r} is not a column of {argument}; the columns are {columns}."
            )
        return y[target]
    raise TypeError(
        f"{argument} must be a pandas Series (or a DataFrame with target=) indexed by "
        f"time; got {type(y).__name__}. Wrap an array with pd.Series(values, "
        "index=pd.date_range(start, periods=len(values), freq=...))."
    )


def float_values(frame, argument):
    """The values of ``frame`` as a new float64 array; a TypeError names a
    non-numeric column, a ValueError an inf."""
    for column, dtype in frame.dtypes.items():
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_complex_dtype(dtype):
            raise TypeError(
                f"{argument} column {column!r} has non-numeric dtype {dtype}; convert "
                "numbers stored as text with pd.to_numeric, one-hot encode categories "
                f"({argument} = pd.get_dummies({argument}, columns=[{column!r}], "
                "dtype=float)), or drop it."
            )
    values = frame.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
    infinite = np.isinf(values)
    if infinite.any():
        row, col = np.argwhere(infinite)[0]
        raise ValueError(
            f"{argument} column {frame.columns[col]!r} is inf at {frame.index[row]!r}; "
            "inf is not a valid observation (use NaN to mark a missing value)."
        )
    return values


def _ends(index):
    if len(index) == 0:
        return "nothing"
    return f"{index[0]!r} to {index[-1]!r}"
