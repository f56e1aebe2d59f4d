"""The layout both windowing entry points share: column names, and windows cut from rows."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["gather_windows", "horizon_names", "window_names"]


def _step_name(column, offset):
    """``temp[t-2]``, ``temp[t]``, ``temp[t+3]`` for offset -2, 0, 3."""
    if offset == 0:
        return f"{column}[t]"
    return f"{column}[t{offset:+d}]"


def window_names(columns, window):
    """Time-major names of a trailing window: oldest step first, columns per step."""
    return [
        _step_name(column, -lag)
        for lag in range(window - 1, -1, -1)
        for column in columns
    ]


def horizon_names(targets, horizon):
    """Step-major names of the next ``horizon`` values of each target."""
    return [
        _step_name(target, step) for step in range(1, horizon + 1) for target in targets
    ]


# --------------------------------------------------------------------------- #
# Windows
# --------------------------------------------------------------------------- #
def gather_windows(values, length, first_rows):
    """Copy the windows of ``length`` rows starting at ``first_rows``, time-major.

    ``values`` has shape (n_rows, n_features). Returns a new C-contiguous
    array of shape (len(first_rows), length * n_features).

    In row-major order a time-major window is ``length * n_features``
    consecutive values that start at a row boundary, so the windows are a
    sliding view over the flattened rows, taking every ``n_features``-th
    start. The view costs nothing; the fancy index is the single copy, of the
    selected windows only. The only other copy is of ``values`` itself
    (n_rows * n_features) when it is not row-major already (pandas stores
    the columns of a DataFrame apart).
    """
    n_features = values.shape[1]
    flat_rows = np.ascontiguousarray(values).reshape(-1)
    windows = sliding_window_view(flat_rows, length * n_features)[::n_features]
    return windows[first_rows]


# --------------------------------------------------------------------------- #
# make_supervised: argument checks
# --------------------------------------------------------------------------- #
