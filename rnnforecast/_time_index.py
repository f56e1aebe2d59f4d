"""The check of a time index that windowing and forecasting share, and the
business-day calendars that the forecaster and the command line share."""

import numpy as np
import pandas as pd

__all__ = ["BUSINESS_CALENDARS", "check_time_index"]

# Calendars whose steps without a row are holidays, not missing observations:
# their rows are read as consecutive steps (prices on trading days).
BUSINESS_CALENDARS = (pd.offsets.BusinessDay, pd.offsets.CustomBusinessDay,
                      pd.offsets.BusinessHour, pd.offsets.CustomBusinessHour)


def check_time_index(index, argument):
    """A ValueError, naming ``argument`` and the fix, unless ``index`` is
    strictly increasing (one row per timestamp, in time order)."""
    if not index.is_unique:
        duplicated = list(index[index.duplicated()].unique()[:3])
        raise ValueError(
            f"{argument}.index has duplicate timestamps {duplicated}; keep one row per "
            f"timestamp, e.g. {argument}.groupby(level=0).mean()."
        )
    if not index.is_monotonic_increasing:
        try:
            position = int(np.flatnonzero(~(index[1:] > index[:-1]))[0]) + 1
            where = (f": {index[position]!r} at position {position} comes after "
                     f"{index[position - 1]!r}")
        except (TypeError, IndexError):  # values that do not compare
            where = ""
        raise ValueError(
            f"{argument}.index is not sorted in increasing time order{where}; sort it with "
            f"{argument}.sort_index()."
        )
