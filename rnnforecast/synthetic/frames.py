"""Synthetic series as pandas objects: a Series on a regular DatetimeIndex, or a
Nixtla long frame (``unique_id``, ``ds``, ``y``), the two layouts
:class:`~rnnforecast.RNNForecaster` reads."""

import numpy as np
import pandas as pd

__all__ = ["to_series", "to_long_frame"]


def _index(length, freq, start):
    try:
        return pd.date_range(start=start, periods=length, freq=freq)
    except (ValueError, TypeError) as error:
        raise ValueError(f"freq={freq!r} with start={start!r} does not make a date range "
                         f"({error}); pass e.g. freq='D', start='2000-01-01'.") from None


def to_series(values, freq="D", start="2000-01-01", name="y"):
    """One series as a pandas Series on a regular DatetimeIndex of ``freq``.

    Parameters
    ----------
    values : array-like of shape (length,)
        The series, e.g. one row of :func:`generate`'s values.
    freq : str, default "D"
        Frequency of the index (it is set as ``index.freq``).
    start : str or Timestamp, default "2000-01-01"
        First timestamp (rolled forward onto ``freq``).
    name : str, default "y"
        Name of the Series.

    Returns
    -------
    pandas.Series
        The values as float64, on a DatetimeIndex of ``length`` steps of ``freq``
        from ``start``.

    Examples
    --------
    >>> from rnnforecast.synthetic import generate, to_series
    >>> y = to_series(generate(1, 48, seed=0).values[0], freq="MS")
    >>> y.index.freqstr, str(y.index[0].date()), len(y)
    ('MS', '2000-01-01', 48)
    """
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise ValueError(f"values has shape {array.shape}; to_series takes one series (1-D), "
                         "e.g. values[0]; use to_long_frame for several.")
    return pd.Series(array, index=_index(array.size, freq, start), name=name)


def to_long_frame(values, freq="D", start="2000-01-01", ids=None):
    """Many series as a Nixtla long frame: columns ``unique_id``, ``ds``, ``y``.

    Parameters
    ----------
    values : array-like of shape (n_series, length)
        One series per row; all share the timestamps.
    freq : str, default "D"
        Frequency of the timestamps.
    start : str or Timestamp, default "2000-01-01"
        First timestamp.
    ids : sequence of str, optional
        The series' ids; default ``"series_0"``, ``"series_1"``, ...

    Returns
    -------
    pandas.DataFrame
        One row per series and step, sorted by series then time.

    Examples
    --------
    >>> from rnnforecast.synthetic import generate, to_long_frame
    >>> frame = to_long_frame(generate(3, 20, seed=0).values, freq="h")
    >>> frame.shape, list(frame.columns), frame["unique_id"].unique().tolist()
    ((60, 3), ['unique_id', 'ds', 'y'], ['series_0', 'series_1', 'series_2'])
    """
    array = np.asarray(values, dtype=float)
    if array.ndim != 2:
        raise ValueError(f"values has shape {array.shape}; to_long_frame takes (n_series, "
                         "length), e.g. values[None, :] for one series.")
    n_series, length = array.shape
    ids = [f"series_{i}" for i in range(n_series)] if ids is None else list(ids)
    if len(ids) != n_series:
        raise ValueError(f"ids has {len(ids)} entries for {n_series} series; pass one id per "
                         "row of values.")
    index = _index(length, freq, start)
    return pd.DataFrame({"unique_id": np.repeat(ids, length),
                         "ds": np.tile(index.values, n_series), "y": array.ravel()})
