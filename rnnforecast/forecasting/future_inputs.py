"""Covariates known in advance: which they are, and their values at the steps forecast.

``RNNForecaster(future_covariates=[...])`` names columns of ``X`` whose
future values are known when forecasting (see :mod:`.future_steps` for how
the model reads them). :func:`check_future_names` checks those names
against the columns of ``X`` in fit; :func:`future_rows` reads, from the
``X`` given to ``predict``, ``predict_interval``, ``predict_quantiles`` or
``score``, their values at the ``horizon`` timestamps after each series'
cutoff, as the rows the model reads after its window.

``X`` at forecast time is laid out like ``X`` in fit: for one series a
DataFrame indexed by timestamp; for many a dict ``{series_id: DataFrame}``,
a long frame indexed by ``(series_id, timestamp)``, or a Nixtla frame with
``unique_id`` and ``ds`` columns. It may hold more rows than the horizon
(they are ignored) and the past-only covariates (ignored too), so the same
frame can serve fit's future and the forecast.
"""

import numpy as np
import pandas as pd

from .frames import as_pandas, from_columns, is_column_frame
from .inputs import float_values
from .panel_inputs import describe_ids, is_panel, split_panel

__all__ = ["check_future_names", "future_rows"]


def check_future_names(future_covariates, covariate_names, training):
    """The covariates known in advance, as a list of names of ``X``'s columns.

    Parameters
    ----------
    future_covariates : None, "all" or list of column names
        The forecaster's parameter.
    covariate_names : list
        The columns of ``X`` in fit (empty without ``X``).
    training : str
        The forecaster's ``training``; "sequence" takes none.

    Returns
    -------
    names : list
        In the order of ``X``'s columns.
    """
    if future_covariates is None:
        return []
    if isinstance(future_covariates, str) and future_covariates == "all":
        wanted = list(covariate_names)
        if not wanted:
            raise ValueError(
                "future_covariates='all' needs covariates, but fit got no X; pass X with "
                "the columns whose future values are known, or future_covariates=None."
            )
    else:
        wanted = ([future_covariates] if isinstance(future_covariates, str)
                  else list(future_covariates))
        missing = [name for name in wanted if name not in covariate_names]
        if missing or not wanted:
            has = f"X has columns {list(covariate_names)}" if covariate_names else "fit got no X"
            raise ValueError(
                f"future_covariates={future_covariates!r} names columns {missing} that are "
                f"not in X ({has}); name columns of X, or pass future_covariates=None."
                if wanted else
                "future_covariates is empty; pass column names of X, 'all', or None."
            )
        if len(set(wanted)) < len(wanted):
            raise ValueError(f"future_covariates={future_covariates!r} names a column twice.")
    if training == "sequence":
        raise ValueError(
            f"future_covariates={future_covariates!r} needs training='window' (the default): "
            "sequence training reads the series step by step and has no future rows to "
            "read them on."
        )
    return [name for name in covariate_names if name in wanted]


def future_rows(X, state, codes, horizon, covariate_names, future_names, argument="X"):
    """The rows after each series' cutoff as the model reads them.

    Parameters
    ----------
    X : DataFrame, dict, long DataFrame or None
        The future covariates (see the module docstring).
    state : SeriesState
        Where each series stands.
    codes : ndarray of int
        The series forecast.
    horizon : int
    covariate_names, future_names : list
        The columns of ``X`` in fit, and those known in advance.
    argument : str
        The argument's name, for messages.

    Returns
    -------
    rows : ndarray of shape (len(codes), horizon, 1 + n_covariates) or None
        NaN but in the future covariates' columns; None without future
        covariates.
    """
    if not future_names:
        if X is not None:
            raise ValueError(
                f"{argument} was given, but the forecaster has no covariates known in "
                "advance; name them with future_covariates=[...] in the forecaster and "
                f"refit, or pass {argument}=None."
            )
        return None
    if X is None:
        when = state.calendars[codes[0]].future(state.cutoffs[codes[0]], horizon)
        raise ValueError(
            f"{argument} is None, but the forecaster reads future covariates "
            f"{future_names}; pass their values for the {horizon} steps to forecast "
            f"({when[0]!r} to {when[-1]!r}" + ("" if state.single else " for the first series")
            + ")."
        )
    parts = _parts(X, state, codes, argument)
    rows = np.full((len(codes), horizon, 1 + len(covariate_names)), np.nan)
    columns = [1 + covariate_names.index(name) for name in future_names]
    for i, (code, (label, part)) in enumerate(zip(codes, parts)):
        times = state.calendars[code].future(state.cutoffs[code], horizon)
        rows[i][:, columns] = _values_at(part, times, covariate_names, future_names, label)
    return rows


def _parts(X, state, codes, argument):
    """``[(label, DataFrame indexed by time)]`` of the series ``codes``."""
    X = as_pandas(X, argument)
    if is_column_frame(X):
        X = from_columns(X, argument)
    if state.single:
        if is_panel(X):
            raise TypeError(
                f"the forecaster was fitted on one series, so {argument} must be a DataFrame "
                f"indexed by timestamp; got {type(X).__name__} holding many series."
            )
        return [(argument, _frame(X, argument))]
    if not is_panel(X):
        raise TypeError(
            f"the forecaster was fitted on many series, so {argument} must be a dict "
            "{series_id: DataFrame} or a long frame indexed by (series_id, timestamp); got "
            f"{type(X).__name__}."
        )
    _, parts, _ = split_panel(X, argument)
    missing = [state.ids[c] for c in codes if state.ids[c] not in parts]
    if missing:
        raise ValueError(
            f"{argument} holds no future covariates for series {describe_ids(missing)}; "
            "give every series forecast its rows."
        )
    return [(f"{argument}[{state.ids[c]!r}]", _frame(parts[state.ids[c]], argument))
            for c in codes]


def _frame(part, argument):
    if isinstance(part, pd.Series):
        part = part.to_frame()
    if not isinstance(part, pd.DataFrame):
        raise TypeError(
            f"{argument} must be a pandas DataFrame of future covariates indexed by "
            f"timestamp; got {type(part).__name__}."
        )
    return part


def _values_at(part, times, covariate_names, future_names, label):
    """The future covariates of ``part`` at ``times``, (len(times), n_future)."""
    unknown = [c for c in part.columns if c not in covariate_names]
    if unknown:
        raise ValueError(
            f"{label} has columns {unknown} that fit's X did not have; pass the future "
            f"covariates {future_names} (fit's other covariates are accepted and ignored)."
        )
    absent = [name for name in future_names if name not in part.columns]
    if absent:
        raise ValueError(
            f"{label} has no column {absent[0]!r}; the forecaster reads the future values "
            f"of {future_names}."
        )
    if not part.index.is_unique:
        raise ValueError(f"{label} has duplicate timestamps; give each step one row.")
    found = times.isin(part.index)
    if not found.all():
        first = times[~found][0]
        raise ValueError(
            f"{label} has no row for {first!r} ({int((~found).sum())} of the {len(times)} "
            f"steps to forecast are missing); its rows must cover {times[0]!r} to "
            f"{times[-1]!r}, the steps after the data seen so far."
        )
    values = float_values(part.loc[times, future_names], label)
    if np.isnan(values).any():
        row, col = np.argwhere(np.isnan(values))[0]
        raise ValueError(
            f"{label} column {future_names[col]!r} is NaN at {times[row]!r}; a covariate "
            "known in advance needs a value at every step forecast."
        )
    return values
