"""make_supervised: a time series cut into trailing windows and the values that follow them."""

from numbers import Integral

import numpy as np
import pandas as pd

from .._time_index import check_time_index
from .layout import gather_windows, horizon_names, window_names

__all__ = ["make_supervised"]

# Column name used for a Series without a name.
_UNNAMED_SERIES = "y"


def _check_int(value, name, minimum):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Integral):
        raise TypeError(
            f"{name} must be an int >= {minimum}; got {value!r} "
            f"of type {type(value).__name__}"
        )
    if value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}; got {value!r}")
    return int(value)


def _as_frame(data):
    """The data as a DataFrame; an unnamed Series becomes the column ``"y"``."""
    if isinstance(data, pd.Series):
        name = _UNNAMED_SERIES if data.name is None else data.name
        return data.to_frame(name=name)
    if isinstance(data, pd.DataFrame):
        return data
    raise TypeError(
        "data must be a pandas Series or DataFrame; got "
        f"{type(data).__name__}. Wrap an array with pd.Series(values, index=...) "
        "or pd.DataFrame(values, index=..., columns=...)."
    )


def _check_columns(frame):
    if frame.shape[1] == 0:
        raise ValueError("data has no columns; make_supervised needs at least one")
    names = [str(column) for column in frame.columns]
    if len(set(names)) != len(names):
        duplicated = sorted({name for name in names if names.count(name) > 1})
        raise ValueError(
            f"data has duplicate column names {duplicated}; column names must be "
            "unique to name the window steps"
        )
    for column, dtype in frame.dtypes.items():
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_complex_dtype(
            dtype
        ):
            raise TypeError(
                f"data column {column!r} has non-numeric dtype {dtype}; every "
                "column becomes a window feature and must be numeric (convert numbers "
                "stored as text with pd.to_numeric, one-hot encode categories with "
                f"pd.get_dummies(data, columns=[{column!r}], dtype=float), or drop it)"
            )
    return names


def _check_target(target, frame, names):
    """Positions of the target columns in ``frame``."""
    columns = list(frame.columns)
    if target is None:
        if len(columns) == 1:
            return [0]
        raise ValueError(
            f"data has {len(columns)} columns {names}; pass target= the column "
            "(or list of columns) to forecast"
        )
    is_list = pd.api.types.is_list_like(target) and not isinstance(target, tuple)
    targets = list(target) if is_list else [target]
    if not targets:
        raise ValueError("target is an empty list; name at least one column")
    if len(set(map(str, targets))) != len(targets):
        raise ValueError(f"target={target!r} names a column more than once")
    positions = []
    for label in targets:
        if label not in columns:
            raise ValueError(
                f"target={label!r} is not a column of data; the columns are {columns}"
            )
        positions.append(columns.index(label))
    return positions


def _check_finite(values, frame, names):
    infinite = np.isinf(values)
    if infinite.any():
        row, col = np.argwhere(infinite)[0]
        raise ValueError(
            f"data column {names[col]!r} contains inf at index "
            f"{frame.index[row]!r}; inf is not a valid value (use NaN to mark a "
            "missing step)"
        )


def _values(frame):
    """The data as one (n, k) float array; a view when it is float already."""
    dtypes = set(frame.dtypes)
    dtype = np.float32 if dtypes == {np.dtype(np.float32)} else np.float64
    return np.asarray(frame.to_numpy(dtype=dtype, na_value=np.nan))


def _check_length(n_rows, window, horizon, dropna):
    if dropna and horizon > 0:
        needed, what = window + horizon, f"window={window} and horizon={horizon} need"
    else:
        needed, what = window, f"window={window} needs"
    if n_rows < needed:
        note = (
            " (dropna=False keeps windows with an incomplete horizon)"
            if (not dropna and horizon > 0)
            else ""
        )
        raise ValueError(f"data has {n_rows} rows; {what} at least {needed}{note}")


# --------------------------------------------------------------------------- #
# make_supervised
# --------------------------------------------------------------------------- #


def make_supervised(data, window, horizon=1, target=None, stride=1, dropna=True):
    """Cut a time series into trailing windows and the values that follow them.

    Each sample is the window of the ``window`` most recent rows ending at a
    timestamp ``t`` (every column, time-major) and, as its targets, the next
    ``horizon`` values of the target column(s) after ``t``.

    Parameters
    ----------
    data : pandas Series or DataFrame of shape (n_rows,) or (n_rows, n_columns)
        The series, one row per timestamp. The index is a DatetimeIndex, a
        RangeIndex or any strictly increasing index (unsorted or duplicate
        timestamps raise a ValueError). Every column becomes a step feature and
        must be numeric; NaN marks a missing value, inf is an error. An unnamed
        Series is called ``"y"``.
    window : int >= 1
        Number of steps in each window, ``t`` included: ``window=24`` gives
        ``col[t-23], ..., col[t]``.
    horizon : int >= 0, default=1
        Number of future values of the target in ``Y``: ``col[t+1], ...,
        col[t+horizon]``. ``horizon=0`` is allowed and gives a ``Y`` with no
        columns next to every full window, like ``df.iloc[:, :0]``: the inputs
        to forecast from, e.g. the last window, named like the training ones.
    target : column label or list of labels, default=None
        The column(s) to forecast. Defaults to the Series itself, or to the
        only column of a one-column DataFrame; a DataFrame with several columns
        needs it. A tuple is one label (as in pandas), a list is several.
    stride : int >= 1, default=1
        Keep every ``stride``-th window. The count starts from the newest
        window, the one ending at the last ``t`` whose horizon lies inside the
        data (the last row when ``dropna=False``), so that window is always on
        the grid. Windows dropped by ``dropna`` for a NaN target do not shift
        the grid.
    dropna : bool, default=True
        Drop the samples whose ``Y`` holds a NaN: the last ``horizon`` windows,
        whose future is not in the data, and windows followed by a missing
        target value. With ``False`` the windows up to the last row are kept,
        with NaN for the future that is not known. Windows in ``X`` that
        contain NaN are always kept: a NaN is a missing step, which the RNN
        handles.

    Returns
    -------
    X : DataFrame of shape (n_samples, window * n_columns)
        The windows, time-major: all columns at step ``t-window+1`` (oldest)
        first, ..., all columns at step ``t`` last, named ``col[t-k]`` and
        ``col[t]``. Indexed by the timestamp ``t`` of each window's last step.
    Y : DataFrame of shape (n_samples, horizon * n_targets)
        The values that follow each window, step-major: all targets at
        ``t+1``, then all at ``t+2``, ..., named ``col[t+h]``. Same index as
        ``X``.

    Raises
    ------
    TypeError
        If ``data`` is not a Series or DataFrame, a column is not numeric, or
        an int argument is not an int.
    ValueError
        If ``data`` is empty or too short (fewer than ``window + horizon``
        rows; ``window`` with ``dropna=False``), has an unsorted or duplicate
        index or an inf value, or ``target`` is missing or not a column.

    Notes
    -----
    The index of ``X`` and ``Y`` is a subset of ``data.index`` and keeps its
    name; it also keeps its type and frequency (a RangeIndex stays a
    RangeIndex, a daily index with ``stride=7`` gets a 7-day frequency) unless
    rows were dropped for a NaN target. Values are float32 if every column of
    ``data`` is float32, float64 otherwise.

    The windows are a strided view of the data
    (:func:`numpy.lib.stride_tricks.sliding_window_view`); no Python loop runs
    over the rows. The DataFrame ``X`` needs memory of its own (in the view,
    one value belongs to several windows), so pandas materialises it: the
    windows that are kept are copied once, and no other array of size
    ``n_samples * window`` is built. The only other copy is of the data itself
    (``n_rows * n_columns``), when a DataFrame with several columns is laid
    out row by row. ``data`` is not modified.

    Examples
    --------
    >>> import pandas as pd
    >>> from rnnforecast.windowing import make_supervised
    >>> temp = pd.Series([10.0, 11.0, 12.0, 13.0, 14.0], name="temp",
    ...                  index=pd.date_range("2024-01-01", periods=5, freq="D"))
    >>> X, Y = make_supervised(temp, window=3, horizon=1)
    >>> X
                temp[t-2]  temp[t-1]  temp[t]
    2024-01-03       10.0       11.0     12.0
    2024-01-04       11.0       12.0     13.0
    >>> Y
                temp[t+1]
    2024-01-03       13.0
    2024-01-04       14.0

    Several columns, one of them the target; ``dropna=False`` keeps the
    windows whose future is unknown:

    >>> df = pd.DataFrame({"temp": [1.0, 2.0, 3.0, 4.0], "hum": [5.0, 6.0, 7.0, 8.0]})
    >>> X, Y = make_supervised(df, window=2, horizon=2, target="temp", dropna=False)
    >>> list(X.columns)
    ['temp[t-1]', 'hum[t-1]', 'temp[t]', 'hum[t]']
    >>> Y
       temp[t+1]  temp[t+2]
    1        3.0        4.0
    2        4.0        NaN
    3        NaN        NaN
    """
    window = _check_int(window, "window", 1)
    horizon = _check_int(horizon, "horizon", 0)
    stride = _check_int(stride, "stride", 1)
    if not isinstance(dropna, (bool, np.bool_)):
        raise TypeError(f"dropna must be True or False; got {dropna!r}")

    frame = _as_frame(data)
    n_rows = frame.shape[0]
    if n_rows == 0:
        raise ValueError(
            "data is empty (0 rows); make_supervised needs at least "
            f"{window + horizon if dropna else window} rows"
        )
    names = _check_columns(frame)
    check_time_index(frame.index, "data")
    targets = _check_target(target, frame, names)
    values = _values(frame)
    _check_finite(values, frame, names)
    _check_length(n_rows, window, horizon, dropna)

    # Window ends t (row positions) on the stride grid anchored at the newest one.
    last_end = n_rows - 1 - (horizon if dropna else 0)
    first_end = window - 1
    first_on_grid = first_end + (last_end - first_end) % stride
    ends = np.arange(first_on_grid, last_end + 1, stride)

    target_values = values[:, targets]
    if dropna and horizon > 0:
        ends = ends[_future_is_complete(target_values, ends, horizon)]
    if len(ends) == len(range(first_on_grid, last_end + 1, stride)):
        index = frame.index[first_on_grid : last_end + 1 : stride]
    else:
        index = frame.index.take(ends)

    X = pd.DataFrame(
        gather_windows(values, window, ends - (window - 1)),
        index=index,
        columns=window_names(names, window),
        copy=False,
    )
    Y = pd.DataFrame(
        _future_values(target_values, ends, horizon),
        index=index,
        columns=horizon_names([names[i] for i in targets], horizon),
        copy=False,
    )
    return X, Y


def _future_is_complete(target_values, ends, horizon):
    """Whether rows ends+1 .. ends+horizon of the targets hold no NaN.

    Counts missing rows with a cumulative sum, O(n) whatever the horizon.
    Every end satisfies end + horizon < n here.
    """
    missing = np.isnan(target_values).any(axis=1)
    n_missing_before = np.concatenate(([0], np.cumsum(missing)))
    return n_missing_before[ends + horizon + 1] - n_missing_before[ends + 1] == 0


def _future_values(target_values, ends, horizon):
    """(len(ends), horizon * n_targets) array of the targets after each end."""
    n_rows, n_targets = target_values.shape
    if horizon == 0:
        return np.empty((len(ends), 0), dtype=target_values.dtype)
    # Rows 1..n-1 of the targets, NaN beyond the end: row p of the windows
    # below is the future of the window ending at p.
    future = np.full((n_rows - 1 + horizon, n_targets), np.nan, target_values.dtype)
    future[: n_rows - 1] = target_values[1:]
    return gather_windows(future, horizon, ends)


# --------------------------------------------------------------------------- #
# SlidingWindowTransformer
# --------------------------------------------------------------------------- #
