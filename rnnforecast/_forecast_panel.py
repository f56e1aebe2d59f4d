"""Many series for one forecaster: a panel in, one series at a time inside.

:class:`~rnnforecast.RNNForecaster` accepts many series in two layouts that
users of other forecasting libraries know:

- a dict ``{series_id: Series}`` (or ``{series_id: DataFrame}`` with the
  ``target`` column), as darts' lists of series and skforecast's dicts;
- a *long* Series or DataFrame indexed by a two-level MultiIndex
  ``(series_id, timestamp)``, as sktime's and skforecast's panels. A Nixtla
  frame with ``unique_id`` and ``ds`` columns becomes one with
  ``df.set_index(["unique_id", "ds"])["y"]``.

This module splits either layout into per-series pandas objects, checks
each with the single-series checks (so a message names the series), checks
that the series share one frequency, holds what a fitted panel remembers
(:class:`Panel`) and applies each series' own scaling to pooled windows
(:class:`PooledScaler`). The fitting itself is in
:mod:`rnnforecast._forecast_many`.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._forecast_calendar import resolve_calendar
from ._forecast_data import check_covariates, check_series, stack_values
from ._forecast_windows import WindowScaler

__all__ = [
    "Panel",
    "PanelData",
    "PooledScaler",
    "check_panel",
    "is_panel",
    "panel_calendars",
]

_DEFAULT_ID_NAME = "series_id"


def is_panel(y):
    """Whether ``y`` holds many series: a dict, or a pandas object indexed by
    a MultiIndex."""
    if isinstance(y, Mapping):
        return True
    return isinstance(y, (pd.Series, pd.DataFrame)) and isinstance(y.index, pd.MultiIndex)


def _describe(ids, limit=5):
    shown = ", ".join(repr(i) for i in ids[:limit])
    return shown + (f", ... ({len(ids)} in all)" if len(ids) > limit else "")


def _split(data, argument):
    """``(ids, {id: pandas object}, (id level name, time level name))``."""
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
class PanelData:
    """Checked series of a panel, in the order they were given."""

    ids: list
    values: list  # ndarray (n_rows, 1 + n_covariates) per series, float64
    indexes: list
    name: object  # the target's name
    covariate_names: list
    level_names: tuple


def check_panel(y, X, target, names, argument="y", x_argument="X", allow_all_nan=False):
    """Split and check the series of ``y`` and their covariates ``X``.

    Parameters
    ----------
    y : dict or long Series/DataFrame
        Many series (see the module docstring).
    X : dict, long DataFrame or None
        Past covariates of each series, in either layout, with the ids of ``y``.
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
    data : PanelData
    """
    ids, parts, level_names = _split(y, argument)
    x_parts = None
    if X is not None:
        x_ids, x_parts, _ = _split(X, x_argument)
        missing = [i for i in ids if i not in x_parts]
        extra = [i for i in x_ids if i not in parts]
        if missing or extra:
            raise ValueError(
                f"{x_argument} must hold the covariates of the same series as {argument}: "
                + (f"missing for {_describe(missing)}" if missing else "")
                + ("; " if missing and extra else "")
                + (f"series {_describe(extra)} are not in {argument}" if extra else "")
                + "."
            )
    values, indexes, series_names = [], [], []
    for sid in ids:
        label = f"{argument}[{sid!r}]"
        target_values, index, name = check_series(parts[sid], target, label, allow_all_nan)
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
    return PanelData(ids, values, indexes, name, list(names or []), level_names)


def _step_name(calendar):
    if calendar.offset is None:
        return f"an integer step of {calendar.step}"
    return f"freq {calendar.freqstr!r}"


def panel_calendars(ids, indexes, freq):
    """The :class:`Calendar` of each series; they must share one frequency.

    Raises
    ------
    ValueError, TypeError
        The single-series calendar errors, prefixed with the series id; a
        ValueError if two series step differently.
    """
    calendars = []
    for sid, index in zip(ids, indexes):
        try:
            calendars.append(resolve_calendar(index, freq))
        except (TypeError, ValueError) as error:
            raise type(error)(f"series {sid!r} of y: {error}") from error
    first = calendars[0]
    for sid, calendar in zip(ids, calendars):
        if (calendar.offset, calendar.step) != (first.offset, first.step):
            raise ValueError(
                f"all series of y must share one frequency: series {ids[0]!r} has "
                f"{_step_name(first)}, series {sid!r} has {_step_name(calendar)}. Fit "
                "one forecaster per frequency, or resample the series to one, e.g. "
                "series.resample('h').mean()."
            )
    return calendars


class PooledScaler(WindowScaler):
    """The :class:`~rnnforecast._forecast_windows.WindowScaler` of each
    window's own series, applied to windows pooled from many series.

    Window ``i`` is scaled with the statistics of series ``codes[i]``, so a
    series at 1e-3 and one at 1e3 give the network windows of the same size:
    the statistics are per-window arrays that broadcast where a
    WindowScaler's are scalars, and every method is the WindowScaler's.

    Parameters
    ----------
    scalers : list of fitted WindowScaler
        One per series.
    codes : ndarray of int, shape (n_windows,)
        The series of each window.
    """

    def __init__(self, scalers, codes):
        codes = np.asarray(codes, dtype=np.intp)
        self.mean = np.array([s.mean for s in scalers])[codes]
        self.std = np.array([s.std for s in scalers])[codes]
        # (n_windows, 1, n_covariates): broadcast over the steps of a window.
        self.covariate_mean = np.stack([s.covariate_mean for s in scalers])[codes, None]
        self.covariate_std = np.stack([s.covariate_std for s in scalers])[codes, None]


class Panel:
    """What a forecaster fitted on many series remembers of each series.

    Parameters
    ----------
    ids : list
        Series ids, in the order of fit.
    scalers : list of WindowScaler
    calendars : list of Calendar
    histories : list of ndarray of shape (window, n_features)
        The last ``window`` rows of each series.
    cutoffs : list
        The last timestamp of each series.
    n_rows : list of int
    level_names : tuple
        Names of the (series_id, timestamp) levels of the forecasts' index.
    """

    def __init__(self, ids, scalers, calendars, histories, cutoffs, n_rows, level_names):
        self.ids = list(ids)
        self.scalers = scalers
        self.calendars = calendars
        self.histories = histories
        self.cutoffs = list(cutoffs)
        self.n_rows = list(n_rows)
        self.level_names = level_names
        self._codes = {sid: code for code, sid in enumerate(self.ids)}

    def codes(self, series, argument="series"):
        """Codes of the series ids ``series`` (None: all), checked."""
        if series is None:
            return np.arange(len(self.ids))
        one_id = isinstance(series, str) or (isinstance(series, tuple) and series in self._codes)
        if one_id or not isinstance(series, (list, tuple, np.ndarray, pd.Index)):
            series = [series]
        series = list(series)
        if not series:
            raise ValueError(f"{argument} is empty; pass series ids, or None for all series.")
        unknown = [s for s in series if s not in self._codes]
        if unknown:
            raise ValueError(
                f"{argument} has unknown series id(s) {_describe(unknown)}; the forecaster "
                f"was fitted on {len(self.ids)} series: {_describe(self.ids)}."
            )
        if len(set(series)) < len(series):
            duplicated = [s for s in dict.fromkeys(series) if series.count(s) > 1]
            raise ValueError(f"{argument} names series {_describe(duplicated)} more than once.")
        return np.array([self._codes[s] for s in series], dtype=np.intp)

    def scaler(self, codes):
        return PooledScaler(self.scalers, codes)

    def last_windows(self, codes):
        """The last window of each series, shape (len(codes), window, n_features)."""
        return np.stack([self.histories[c] for c in codes])

    def cutoff_series(self):
        return pd.Series(self.cutoffs, index=pd.Index(self.ids, name=self.level_names[0]),
                         name="cutoff")

    def n_rows_series(self):
        return pd.Series(self.n_rows, index=pd.Index(self.ids, name=self.level_names[0]),
                         name="n_rows_seen")

    def future_index(self, codes, horizon):
        """MultiIndex (series_id, timestamp) of the next ``horizon`` steps of
        each series ``codes``."""
        times = [self.calendars[c].future(self.cutoffs[c], horizon) for c in codes]
        ids = pd.Index([self.ids[c] for c in codes]).repeat(horizon)
        stamps = times[0].append(times[1:]) if len(times) > 1 else times[0]
        if isinstance(stamps, pd.DatetimeIndex):
            stamps = pd.DatetimeIndex(stamps, freq=None)  # as for any number of series
        return pd.MultiIndex.from_arrays([ids, stamps], names=list(self.level_names))

    def append(self, code, new_rows, last_timestamp, window):
        """Move series ``code`` on by the rows ``new_rows`` (n_new, n_features)."""
        self.histories[code] = np.concatenate([self.histories[code], new_rows])[-window:]
        self.cutoffs[code] = last_timestamp
        self.n_rows[code] += len(new_rows)
