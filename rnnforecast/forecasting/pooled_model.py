"""One model over the series of a fit, as the forecaster reads it.

A fitted :class:`~.forecaster.RNNForecaster` holds one of two fitted models
with the same methods (forecasts and whether there is anything to forecast
from, the series' floors and scale, the offsets of intervals and quantiles
from the backtest errors, updates, outliers, the networks' data):

- :class:`PooledModel`: one model over every series (one series, or many
  with ``many_series="global"``), its backtest errors pooled;
- :class:`.separate_models.SeparateModels`: many series, each with a
  forecaster of its own, whose :class:`PooledModel` it asks.

The forecaster checks what it is given, keeps where each series stands
(:class:`.state.SeriesState`, shared with its PooledModel, which moves it on
in ``update``) and lays the forecasts out; which model it holds is the only
difference between the two.
"""

import numpy as np

from .intervals import warn_unsupported_bounds
from .outliers import read_as_missing
from .target_scale import check_for_scale, to_model_scale, to_user_scale

__all__ = ["PooledModel"]


class PooledModel:
    """One fitted model over the series of a fit (see the module docstring).

    Parameters
    ----------
    model : WindowForecast or SequenceModel
        What the training mode fitted: forecasts from the series read so far.
    training : WindowTraining or SequenceTraining
        The training mode, which cuts the networks' data as fit did.
    window : int or None
        Steps of history read per forecast; None for sequence training.
    state : SeriesState
        Where each series stands (the forecaster's own).
    outliers : OutlierFilter
        The outlier filter fitted on the series.
    records : list of (series id, timestamp, value)
        The values read as missing as outliers so far; ``update`` adds to it.
    transform : {"none", "log"}
        The scale the model works on (``target_transform``).
    outlier_threshold : float or None
        Of the filter, for the warnings of ``update``.
    calibration_errors : ndarray of shape (n_origins, horizon) or None
        The signed backtest errors, in units of each origin's scale.
    no_calibration_reason : str or None
        Why there are none, for the message of intervals and quantiles.
    adjustment : SeasonalAdjustment or None, default=None
        The season taken out of the one series before the model read it
        (:mod:`.seasonal_adjustment`), put back on its forecasts.
    """

    def __init__(self, model, training, window, state, outliers, records, transform,
                 outlier_threshold, calibration_errors, no_calibration_reason,
                 adjustment=None):
        self.model = model
        self.training = training
        self.window = window
        self.state = state
        self.outliers = outliers
        self.records = records
        self.transform = transform
        self.outlier_threshold = outlier_threshold
        self.calibration_errors = calibration_errors
        self.no_calibration_reason = no_calibration_reason
        self.adjustment = adjustment

    # -- forecasts ------------------------------------------------------------
    def read_so_far(self):
        """What each forecast reads, as a message names it."""
        if self.window is None:
            return "the series read so far"
        return f"the last {self.window} steps"

    def empty(self, codes):
        """Whether each series of ``codes`` holds no observed target value to
        forecast from."""
        return self.model.empty(codes)

    def forecast(self, codes, future=None):
        """Forecasts (len(codes), horizon) on the model's scale (not yet
        floored, see :meth:`user_points`) and the scales (len(codes),);
        ``future``: the rows after each series' cutoff
        (:func:`.future_inputs.future_rows`)."""
        if future is None:
            return self.model.forecast(codes)
        return self.model.forecast(codes, future)

    def _with_season(self, values):
        """Forecasts, bounds or quantiles (..., horizon) of the steps after
        the cutoff with the season put back (:mod:`.seasonal_adjustment`);
        ``values`` itself without an adjustment."""
        if self.adjustment is None:
            return values
        return self.adjustment.to_user(values, self.state.n_rows[0])

    def user_points(self, forecast, codes):
        """Forecasts (len(codes), horizon) of :meth:`forecast` on the series'
        own scale: the season put back, if it was taken out, then floored at
        0 for never-negative series (see :meth:`.state.SeriesState.floors`),
        or turned back with ``exp``."""
        forecast = self._with_season(forecast)
        if self.transform == "log":
            return to_user_scale(forecast, self.transform)
        return np.maximum(forecast, self.state.floors(codes)[:, None])

    def user_bounds(self, bounds, codes):
        """Bounds (k, len(codes), horizon), made on the model's scale, on the
        series' own. As the series is: no lower than the lowest value the
        forecast of each series can take (0 for a never-negative series, see
        :meth:`.state.SeriesState.floors`, and where the pretrained network
        floors by its own rule, see :meth:`WindowForecast.lower_limits
        <.window_model.WindowForecast.lower_limits>`); the bounds are made
        from the model's unfloored forecast, whose backtest errors they hold,
        and floored after. On the log scale (``target_transform="log"``):
        turned back with ``exp``, above 0 without a floor. The season, if it
        was taken out, is put back first."""
        bounds = self._with_season(bounds)
        if self.transform == "log":
            return to_user_scale(bounds, self.transform)
        limits = np.maximum(self.model.lower_limits(codes), self.state.floors(codes))
        return np.maximum(bounds, limits[None, :, None])

    def offsets(self, codes, rule, caller, request, stacklevel):
        """The offsets ``rule(errors)`` (k, horizon) makes of the pooled
        backtest errors, in units of each series' scale, as (k, len(codes),
        horizon). A warning ``stacklevel`` frames up from the caller where
        they are too few for finite bounds; a ValueError naming ``caller``
        where there are none."""
        if self.calibration_errors is None:
            raise ValueError(
                f"{caller} needs backtest errors, which fit did not record: "
                f"{self.no_calibration_reason}. Refit with n_calibration='auto' on a "
                "longer series, or an int >= 1."
            )
        offsets = rule(self.calibration_errors)
        warn_unsupported_bounds(offsets, self.calibration_errors, request, caller,
                                stacklevel=stacklevel + 1)
        return np.repeat(offsets[:, None, :], len(codes), axis=1)

    # -- new rows ---------------------------------------------------------------
    def check_update(self, codes, data):
        """What :meth:`update` takes, from the new rows ``data`` (checked
        data of the series ``codes``, each continuing its cutoff): the
        outliers among them, and a ValueError where the target scale cannot
        take them. Nothing moves, so that an error leaves the model as it
        was."""
        targets = [values[:, 0].copy() for values in data.values]
        masks = [self.outliers.mask_new(t, code) for t, code in zip(targets, codes)]
        check_for_scale(self.transform, data, masks, "y_new")
        return codes, data, targets, masks

    def update(self, checked, stacklevel):
        """Read the new rows of :meth:`check_update`: outliers as missing
        (with a warning ``stacklevel`` frames up from the caller), then every
        series moved on, its state too."""
        codes, data, targets, masks = checked
        self.records += read_as_missing(data, masks, "y_new", self.outlier_threshold,
                                        stacklevel=stacklevel + 1)
        to_model_scale(data, self.transform)
        for code, values, index, target in zip(codes, data.values, data.indexes, targets):
            if self.adjustment is not None:
                self.adjustment.to_model(values[:, 0], self.state.n_rows[code])
            self.model.advance(code, values)
            self.state.advance(code, index, values)
            self.outliers.advance(target, code)

    def outlier_records(self):
        """``[(series id, timestamp, value)]`` of the values read as outliers."""
        return list(self.records)

    def _position(self, first):
        """The position, counted from the first row of fit, of the timestamp
        ``first`` (where the seasonal adjustment's phase stands there); a
        ValueError where it cannot be counted."""
        start, calendar = self.adjustment.start, self.state.calendars[0]
        if calendar.regular:
            return calendar.steps_between(start, first)
        if first == start:
            return 0
        raise ValueError(
            f"the forecaster took the season out of its series (seasonal_adjustment_), "
            f"counting the phase in rows from the first timestamp fit read, {start!r}, on a "
            f"calendar with missing steps ({calendar.freqstr!r}), so a series starting "
            f"elsewhere cannot be placed; y starts at {first!r}. Pass y from {start!r}, or "
            "refit with seasonal_adjustment=None."
        )

    # -- what the networks read ---------------------------------------------------
    def network_data(self, data, codes, targets):
        """The networks' windows of the checked series ``data`` (codes
        ``codes``), see :meth:`.forecaster.RNNForecaster.network_data`."""
        if self.window is None:
            raise ValueError(
                "the forecaster was fitted with training='sequence', whose networks "
                "read the whole series rather than windows; network_data needs "
                "training='window' (the default)."
            )
        masks = [self.outliers.mask(values[:, 0], code)  # the outliers, as fit reads them
                 for values, code in zip(data.values, codes)]
        check_for_scale(self.transform, data, masks, "y")
        for values, mask in zip(data.values, masks):
            values[mask, 0] = np.nan
        to_model_scale(data, self.transform)
        if self.adjustment is not None:
            self.adjustment.to_model(data.values[0][:, 0], self._position(data.indexes[0][0]))
        return self.training.network_data(self.model, data, codes, targets)
