"""The scale the forecaster models the target on: as given, or its logarithm.

``RNNForecaster(target_transform="log")`` fits every model on ``log(y)`` and
turns each forecast, bound and quantile back with ``exp``. A season that
grows with the level (airline passengers, retail sales, electricity use
over decades) is additive on the log scale, and so is noise whose size
grows with the level; the intervals, symmetric on the log scale, become
asymmetric around the forecast, wider above it. Since ``exp`` is
increasing, a quantile of the log forecast is the same quantile of the
forecast: the conformal guarantees carry over as they are.

The order matters where the forecaster reads its data (fit, update,
network_data):

1. gross outliers are found on the series as given (a spike of 1000 times
   the scale is a jump of only 7 on the log scale, and would hide there);
2. every value left must be above 0 (:func:`check_for_scale`), checked
   before anything of the forecaster changes;
3. the target column is replaced by its logarithm (:func:`to_model_scale`),
   in the forecaster's own copies of the data.

The floor at 0 of never-negative series is not needed on the log scale:
``exp`` of anything is above 0.
"""

import numpy as np

__all__ = ["NotAboveZeroError", "check_for_scale", "to_model_scale", "to_user_scale"]


class NotAboveZeroError(ValueError):
    """A target value at or below 0 where ``target_transform="log"`` needs
    every value above 0.

    Attributes
    ----------
    series_id : hashable or None
        The series (None for one series).
    timestamp : object
        The timestamp of the first such value.
    value : float
    count : int
        Such values in the series.
    """

    def __init__(self, message, series_id, timestamp, value, count):
        super().__init__(message)
        self.series_id = series_id
        self.timestamp = timestamp
        self.value = value
        self.count = count

    def __reduce__(self):
        # Rebuilt with every argument when it crosses a process (joblib).
        return type(self), (str(self), self.series_id, self.timestamp, self.value, self.count)


def check_for_scale(transform, data, masks, argument):
    """With ``transform="log"``, raise a :class:`NotAboveZeroError` (a
    ValueError) if a target value of the checked series ``data`` (a
    :class:`.panel_inputs.SeriesData`) is 0 or below, leaving out NaN and
    the outliers ``masks`` (one boolean array per series); the message
    names the series, the first such value and its timestamp. Any value
    fits the series as it is (``transform=None``)."""
    if transform != "log":
        return
    for i, (sid, label, values, index) in enumerate(zip(data.ids, data.labels(argument),
                                                         data.values, data.indexes)):
        target = values[:, 0]
        bad = (target <= 0) & ~masks[i]  # NaN compares False
        if bad.any():
            first, count = int(np.flatnonzero(bad)[0]), int(bad.sum())
            more = f" (and {count - 1} more)" if count > 1 else ""
            raise NotAboveZeroError(
                f"target_transform='log' needs every value of the target above 0, but "
                f"{label} is {target[first]:.6g} at {index[first]}{more}. Pass "
                "target_transform=None, or shift the series above 0 (e.g. y + c) and "
                "subtract c from the forecasts.",
                sid, index[first], float(target[first]), count,
            )


def to_model_scale(data, transform):
    """Replace, in place, the target column of each series of ``data`` (the
    forecaster's own copies) by the scale the models read."""
    if transform == "log":
        for values in data.values:
            np.log(values[:, 0], out=values[:, 0])


def to_user_scale(values, transform):
    """Forecasts, bounds or quantiles from the models' scale back to the
    series' own: a new array on the log scale, ``values`` itself else."""
    return np.exp(values) if transform == "log" else values
