"""Frames as users of other libraries hold them, brought into the layouts the forecaster reads.

- A Nixtla long frame (statsforecast, mlforecast, neuralforecast): columns
  ``unique_id`` (series id), ``ds`` (timestamp) and ``y`` (the value), one
  row per series and step. It becomes the long frame indexed by
  ``(unique_id, ds)`` that :mod:`.panel_inputs` reads, its target ``y``
  unless the forecaster's ``target`` names another column; forecasts of a
  forecaster fitted on one come back in the same layout (see
  :meth:`.state.SeriesState.forecast_table`). Its rows may come in any order,
  as statsforecast and mlforecast take them (both sort the frame): each
  series' rows are put in time order, the series in the order of their first
  rows.
- A polars DataFrame or Series becomes pandas (``to_pandas``, which needs
  pyarrow); when that fails, a TypeError names polars and the fix.
"""

import pandas as pd

__all__ = ["ID_COLUMN", "TIME_COLUMN", "VALUE_COLUMN", "as_pandas", "from_columns",
           "is_column_frame"]

# The column names of a Nixtla long frame.
ID_COLUMN, TIME_COLUMN, VALUE_COLUMN = "unique_id", "ds", "y"


def as_pandas(data, argument):
    """``data`` itself, or a polars DataFrame/Series converted to pandas."""
    if not type(data).__module__.split(".")[0] == "polars":
        return data
    try:
        return data.to_pandas()
    except Exception as error:  # polars needs pyarrow for this
        raise TypeError(
            f"{argument} is a polars {type(data).__name__}, which could not be converted "
            f"to pandas ({error}); convert it yourself with {argument}.to_pandas() (it "
            "needs pyarrow: pip install pyarrow)."
        ) from error


def is_column_frame(data):
    """Whether ``data`` is a Nixtla long frame: a DataFrame not indexed by a
    MultiIndex whose columns hold ``unique_id`` or ``ds`` (both are needed;
    :func:`from_columns` says so when one is missing)."""
    return (isinstance(data, pd.DataFrame) and not isinstance(data.index, pd.MultiIndex)
            and (ID_COLUMN in data.columns or TIME_COLUMN in data.columns))


def from_columns(frame, argument):
    """A Nixtla long frame as a DataFrame indexed by ``(unique_id, ds)``."""
    missing = [name for name in (ID_COLUMN, TIME_COLUMN) if name not in frame.columns]
    if missing:
        raise ValueError(
            f"{argument} looks like a Nixtla long frame, but has no {missing[0]!r} column "
            f"(its columns are {list(frame.columns)}): a long frame needs the series id in "
            f"{ID_COLUMN!r}, the timestamp in {TIME_COLUMN!r} and the values in "
            f"{VALUE_COLUMN!r} (or target=...). Rename the columns, e.g. "
            f"{argument}.rename(columns={{'time': 'ds'}}), or index the frame yourself: "
            f"{argument}.set_index(['{ID_COLUMN}', 'time'])."
        )
    return _series_in_time_order(frame.set_index([ID_COLUMN, TIME_COLUMN]))


def _series_in_time_order(frame):
    """``frame`` (indexed by id and time) with each series' rows in time
    order, the series in the order of their first rows: the frame itself when
    it is so already, or when its timestamps do not sort (the checks of
    :mod:`.panel_inputs` then name them)."""
    keys = pd.DataFrame({"series": pd.factorize(frame.index.get_level_values(0))[0],
                         "time": frame.index.get_level_values(1)})
    try:
        order = keys.sort_values(["series", "time"], kind="stable").index.to_numpy()
    except TypeError:  # timestamps of types that do not compare
        return frame
    if (order[1:] > order[:-1]).all():
        return frame
    return frame.iloc[order]


def default_target(frame, target, argument):
    """The target column of a Nixtla long frame: ``target``, else ``y``."""
    if target is not None:
        return target
    if VALUE_COLUMN not in frame.columns:
        others = [c for c in frame.columns if c not in (ID_COLUMN, TIME_COLUMN)]
        raise ValueError(
            f"{argument} is a long frame ({ID_COLUMN!r}, {TIME_COLUMN!r}) without a "
            f"{VALUE_COLUMN!r} column; pass target= the column to forecast, one of {others}."
        )
    return VALUE_COLUMN
