"""One series or many: what the forecaster's methods are given, as checked series.

:class:`~rnnforecast.RNNForecaster` takes one series (a pandas Series, or a
DataFrame with the ``target`` column) or many, in two layouts that users of
other forecasting libraries know:

- a dict ``{series_id: Series}`` (or ``{series_id: DataFrame}`` with the
  ``target`` column), as darts' lists of series and skforecast's dicts;
- a *long* Series or DataFrame indexed by a two-level MultiIndex
  ``(series_id, timestamp)``, as sktime's and skforecast's panels. A Nixtla
  frame with ``unique_id`` and ``ds`` columns becomes one with
  ``df.set_index(["unique_id", "ds"])["y"]``.

:func:`check_data` turns any of them into :class:`SeriesData`, a list of
checked series: one series is a panel of one, so the forecaster has one
fitting and one forecasting path. Each series goes through the checks of
:mod:`.inputs`, so a message names the series (``y['b']``) or, for one
series, the argument (``y``).
"""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .frames import (ID_COLUMN, TIME_COLUMN, as_pandas, default_target, from_columns,
                     is_column_frame)
from .inputs import check_covariates, check_series, stack_values

__all__ = ["SeriesData", "check_covariates_observed", "check_data", "describe_ids",
           "is_panel", "split_panel"]

_DEFAULT_ID_NAME = "series_id"


def is_panel(y):
    """Whether ``y`` holds many series: a dict, a pandas object indexed by a
    MultiIndex, or a Nixtla long frame (see :mod:`.frames`)."""
    if isinstance(y, Mapping):
        return True
    y = as_pandas(y, "y")
    return is_column_frame(y) or (
        isinstance(y, (pd.Series, pd.DataFrame)) and isinstance(y.index, pd.MultiIndex))


def describe_ids(ids, limit=5):
    """The first ``limit`` ids, for a message."""
    shown = ", ".join(repr(i) for i in ids[:limit])
    return shown + (f", ... ({len(ids)} in all)" if len(ids) > limit else "")


def split_panel(data, argument):
    """Many series as ``(ids, {id: pandas object indexed by time}, (id level
    name, time level name))``, from a dict or a long frame."""
    if isinstance(data, Mapping):
        if len(data) == 0:
            raise ValueError(
                f"{argument} is an empty dict; pass at least one series, e.g. "
                f"{argument}={{'sensor_1': series}}."
            )
        ids = list(data)
        return ids, dict(data), (_DEFAULT_ID_NAME, None)
    if not isinstance(data, (pd.Series, pd.DataFrame)) or not isinstance(
        data.index, pd.MultiIndex
    ):
        raise TypeError(
            f"{argument} must hold many series like the y of fit: a dict {{series_id: "
            f"Series}} or a long Series/DataFrame indexed by (series_id, timestamp); got "
            f"{type(data).__name__}."
        )
    if data.index.nlevels != 2:
        raise ValueError(
            f"{argument} has a MultiIndex with {data.index.nlevels} levels "
            f"{list(data.index.names)}; a long frame needs exactly two, (series_id, "
            "timestamp), e.g. df.set_index(['unique_id', 'ds'])['y']."
        )
    if len(data) == 0:
        raise ValueError(f"{argument} is empty (0 rows); pass at least one observation.")
    keys = data.index.get_level_values(0)
    if keys.isna().any():
        raise ValueError(
            f"{argument} has a missing series id (NaN) in level 0 of its index at "
            f"{int(np.flatnonzero(keys.isna())[0])} rows in; give every row a series id."
        )
    parts = {
        key: part.droplevel(0) for key, part in data.groupby(level=0, sort=False)
    }
    names = tuple(data.index.names)
    return list(parts), parts, (names[0] if names[0] is not None else _DEFAULT_ID_NAME, names[1])


@dataclass
class SeriesData:
    """Checked series, in the order they were given.

    ``single`` is True for one series given as a pandas Series or DataFrame
    (its id is then None, and messages name the argument alone); ``columns``
    for many series given as a Nixtla long frame (``unique_id``, ``ds``, ...
    columns), whose forecasts take that layout too.
    """

    ids: list
    values: list  # ndarray (n_rows, 1 + n_covariates) per series, float64
    indexes: list
    name: object  # the target's name
    covariate_names: list
    level_names: tuple
    single: bool = False
    columns: bool = False

    def labels(self, argument):
        """How messages name each series: ``y['b']``, or ``y`` for one series."""
        if self.single:
            return [argument]
        return [f"{argument}[{sid!r}]" for sid in self.ids]


def check_data(y, X, target, names, argument="y", x_argument="X", allow_all_nan=False):
    """Check the series of ``y`` and their covariates ``X``.

    Parameters
    ----------
    y : Series, DataFrame, dict or long Series/DataFrame
        One series, or many (see the module docstring).
    X : DataFrame, dict, long DataFrame or None
        Past covariates: of the one series (indexed like it), or of each
        series, in either layout, with the ids of ``y``.
    target : hashable or None
        The column to forecast when the series are DataFrames.
    names : list or None
        The covariate names seen in fit (``[]``: none); None in fit itself,
        or where covariates are not required (score).
    argument, x_argument : str
        The argument names, for error messages.
    allow_all_nan : bool
        Accept a series with no observed value (new rows in ``update``).

    Returns
    -------
    data : SeriesData
    """
    y = as_pandas(y, argument)
    X = None if X is None else as_pandas(X, x_argument)
    columns = is_column_frame(y)
    if columns:
        target = default_target(y, target, argument)
        y = from_columns(y, argument)
        if is_column_frame(X):
            X = from_columns(X, x_argument)
    if not is_panel(y):
        target_values, index, name = check_series(y, target, argument, allow_all_nan)
        covariates, seen = check_covariates(X, index, names, x_argument)
        return SeriesData(
            [None], [stack_values(target_values, covariates)], [index], name,
            list(seen if seen is not None else names or []), (_DEFAULT_ID_NAME, index.name),
            single=True,
        )
    ids, parts, level_names = split_panel(y, argument)
    x_parts = None
    if X is not None:
        x_ids, x_parts, _ = split_panel(X, x_argument)
        missing = [i for i in ids if i not in x_parts]
        extra = [i for i in x_ids if i not in parts]
        if missing or extra:
            raise ValueError(
                f"{x_argument} must hold the covariates of the same series as {argument}: "
                + (f"missing for {describe_ids(missing)}" if missing else "")
                + ("; " if missing and extra else "")
                + (f"series {describe_ids(extra)} are not in {argument}" if extra else "")
                + "."
            )
    values, indexes, series_names = [], [], []
    for sid in ids:
        label = f"{argument}[{sid!r}]"
        target_values, index, name = check_series(parts[sid], target, label, allow_all_nan,
                                                  _time_fixes(y, argument, columns))
        covariates = None
        if x_parts is not None or names:
            x_part = None if x_parts is None else x_parts[sid]
            covariates, seen = check_covariates(x_part, index, names, f"{x_argument}[{sid!r}]")
            if names is None and seen is not None:
                names = seen  # the first series' columns bind the others
        values.append(stack_values(target_values, covariates))
        indexes.append(index)
        series_names.append(name)
    if isinstance(y, Mapping):
        level_names = (level_names[0], indexes[0].name)
    if isinstance(y, Mapping) and target is None:
        common = set(map(repr, series_names))
        name = series_names[0] if len(common) == 1 else None
    else:
        name = series_names[0]
    return SeriesData(ids, values, indexes, name, list(names or []), level_names,
                      columns=columns)


def _time_fixes(y, argument, columns):
    """The fixes of an unsorted or duplicated time index of a series cut
    from ``y`` (see :func:`~rnnforecast._time_index.check_time_index`): of
    the whole long frame, or None for a dict."""
    if isinstance(y, Mapping):
        return None
    if columns:  # a Nixtla frame: the fix applies to its columns
        keys = [ID_COLUMN, TIME_COLUMN]
        return (f"{argument}.sort_values({keys!r})",
                f"{argument}.groupby({keys!r}, as_index=False).mean()")
    return f"{argument}.sort_index()", f"{argument}.groupby(level=[0, 1]).mean()"


def check_covariates_observed(data, argument="X"):
    """A ValueError for a covariate of ``data`` (a :class:`SeriesData`) with
    no observed value in any series: there is nothing to learn from it, and
    the networks, which read a step holding a NaN as a missing step, would
    read no step at all.

    Covariates observed only in part are accepted as they are: on Beijing
    PM2.5 with a fifth of its covariate values blanked, reading their steps
    as missing did as well as the complete covariates, and better than
    filling the gaps (``benchmarks/bench_covariate_gaps.py``).
    """
    names = data.covariate_names
    if not names:
        return
    missing = np.isnan(np.concatenate(data.values)[:, 1:])
    empty = [name for name, gone in zip(names, missing.all(axis=0)) if gone]
    if empty:
        columns, have, them = (("columns", "have", "them") if len(empty) > 1
                               else ("column", "has", "it"))
        alone = ""
        if not data.single and len(data.ids) == 1:  # a series' own model (many_series)
            argument = data.labels(argument)[0]
            alone = (", or fit one global model of all the series (many_series='global'), "
                     "which learns from the other series' values")
        raise ValueError(
            f"{argument} {columns} {describe_ids(empty)} {have} no observed value (all NaN), "
            f"so there is nothing to learn from; drop {them} ({argument}.drop(columns="
            f"{empty!r})) or fill {them}{alone}."
        )
