"""Many series, a model each: ``RNNForecaster(many_series="separate")``.

Given many series, the forecaster either trains ONE global model on the
windows of all of them (``many_series="global"``) or fits a forecaster of its
own to each series alone (``"separate"``; ``"auto"``, the default, wherever
``fit`` trains): ``RNNForecaster(**params).fit({sid: y[sid]}, {sid: X[sid]})``,
a panel of one, whose forecasts are those of the series fitted alone and whose
messages name the series as a global model's do. The series' forecasters are
kept in ``forecasters_``; the panel's forecaster checks what it is given as
for a global model, lays the forecasts out as the data came in
(:mod:`.state`), and passes each series' rows to its own forecaster. Each
series' intervals and quantiles come from its own backtest errors.

Why a model each by default: on the design panel of
``benchmarks/bench_accuracy.py`` (21 real series from ``datasets/``, fitted
as panels of the series that share a calendar and horizon; three seeds,
``benchmarks/bench_global_vs_per_series.py --panel design``), the global
model's geometric-mean MASE was 1.24 times that of a model per series (better
on 6 of 21); on 100 unlike synthetic series 1.8 times, and on 1,000 alike
sensor series 1.13 times, where one global model cost 24 times less.
"""

import warnings

import numpy as np

from . import progress
from .ensemble import as_they_finish
from .frames import as_pandas, default_target, from_columns, is_column_frame
from .outliers import OutlierWarning, warn_outliers
from .panel_inputs import describe_ids, split_panel

__all__ = ["SeparateModels", "covariate_parts", "fit_each", "target_parts"]

# The one series of each series' own forecaster.
_ONE = np.array([0], dtype=np.intp)


def target_parts(y, argument, target):
    """Many series ``y`` (a dict, a long frame or a Nixtla frame) as
    ``{series id: pandas object indexed by time}``, and the target column
    each forecaster reads (a Nixtla frame's ``y`` unless ``target`` says)."""
    y = as_pandas(y, argument)
    if is_column_frame(y):
        target = default_target(y, target, argument)
        y = from_columns(y, argument)
    return split_panel(y, argument)[1], target


def covariate_parts(X, argument):
    """The covariates ``X`` of many series (as ``y``'s) by series id, or None."""
    if X is None:
        return None
    X = as_pandas(X, argument)
    if is_column_frame(X):
        X = from_columns(X, argument)
    return split_panel(X, argument)[1]


def _outlier_rows(records):
    """``[(series id, timestamp, value)]`` from ``(series id, the records of
    its forecaster's outliers)`` pairs."""
    return [(sid, stamp, value) for sid, own in records for _, stamp, value in own]


def _fit_alone(i, template, series_id, y, X):
    """``(i, template cloned and fitted to the panel of one {series_id: y}
    (and X), the warnings it raised as (category, message))``; its own
    progress events (networks, epochs) go nowhere: the series are counted."""
    from sklearn.base import clone

    with warnings.catch_warnings(record=True) as caught, progress.reporting(progress.Listener()):
        warnings.simplefilter("always")
        forecaster = clone(template).fit({series_id: y}, None if X is None else {series_id: X})
    return i, forecaster, [(w.category, str(w.message)) for w in caught]


def fit_each(template, ids, parts, x_parts, stacklevel):
    """A clone of ``template`` (an unfitted RNNForecaster, ``many_series``
    set to "global") fitted to each series alone, in the order of ``ids``:
    with its ``n_jobs`` above 1, a series per joblib process (each
    forecaster's networks one after the other: the forecasts are the same).
    Progress counts the series (:data:`.progress.SEPARATE`). The warnings of
    the fits (whose messages name their series) are raised again at the end,
    each distinct one once, ``stacklevel`` frames up from the caller; the
    outliers of every series in one warning, as a global model gives it."""
    from joblib import delayed

    n_jobs = template.n_jobs
    in_processes = n_jobs not in (None, 1) and len(ids) > 1
    if in_processes:
        template = template.set_params(n_jobs=None)
    jobs = [(i, sid, parts[sid], None if x_parts is None else x_parts[sid])
            for i, sid in enumerate(ids)]
    progress.phase_started(progress.SEPARATE, template.training, len(ids))
    if in_processes:
        finished = as_they_finish((delayed(_fit_alone)(i, template, sid, y, X)
                                   for i, sid, y, X in jobs), n_jobs)
    else:
        finished = (_fit_alone(i, template, sid, y, X) for i, sid, y, X in jobs)
    forecasters, caught = [None] * len(ids), {}
    for i, forecaster, raised in finished:
        forecasters[i] = forecaster
        caught.update(dict.fromkeys(raised))
        progress.network_done(i)
    for category, message in caught:
        if not issubclass(category, OutlierWarning):
            warnings.warn(message, category, stacklevel=stacklevel + 1)
    found = _outlier_rows((sid, f._outlier_records) for sid, f in zip(ids, forecasters))
    warn_outliers(found, "y", template.outlier_threshold, False, stacklevel + 1)
    return forecasters


class SeparateModels:
    """The fitted forecasters of a panel's series, one each, as the panel's
    forecaster reads them: forecasts, bounds and updates of the series
    ``codes`` (positions in the order of fit).

    Parameters
    ----------
    forecasters : list of RNNForecaster
        Each fitted to one series alone, in the order of fit.
    ids : list
        The series ids, in the same order.
    """

    def __init__(self, forecasters, ids):
        self.forecasters = forecasters
        self.ids = list(ids)

    def empty(self, codes):
        """Whether each series' window holds no observed target value."""
        return np.array([self.forecasters[c]._model.empty(_ONE)[0] for c in codes])

    def forecast(self, codes, future=None):
        """Forecasts (len(codes), horizon) on the models' scale and the scales
        (len(codes),), as the panel's model gives them; ``future``: the rows
        after each series' cutoff (:func:`.future_inputs.future_rows`)."""
        points, scales = [], []
        for i, code in enumerate(codes):
            model = self.forecasters[code]._model
            point, scale = (model.forecast(_ONE) if future is None
                            else model.forecast(_ONE, future[i:i + 1]))
            points.append(point)
            scales.append(scale)
        return np.concatenate(points), np.concatenate(scales)

    def user_points(self, forecast, codes):
        """Each series' forecast on its own scale, as its forecaster gives it."""
        return np.concatenate([self.forecasters[c]._user_points(forecast[i:i + 1], _ONE)
                               for i, c in enumerate(codes)])

    def user_bounds(self, bounds, codes):
        """Bounds (k, len(codes), horizon) on each series' own scale."""
        return np.concatenate([self.forecasters[c]._user_bounds(bounds[:, i:i + 1], _ONE)
                               for i, c in enumerate(codes)], axis=1)

    def offsets(self, codes, rule, caller, request, stacklevel):
        """What ``rule(errors)`` makes of each series' own backtest errors,
        (k, len(codes), horizon) in units of its scale; one warning for the
        series whose errors are too few (infinite bounds), naming them. A
        series without errors gets infinite bounds; a ValueError if no
        series asked has any."""
        errors = [self.forecasters[c].calibration_errors_ for c in codes]
        if all(e is None for e in errors):
            reason = self.forecasters[codes[0]]._no_calibration_reason
            raise ValueError(
                f"{caller} needs backtest errors, which fit recorded for none of the series "
                f"asked (series {self.ids[codes[0]]!r}: {reason}). Refit with "
                "n_calibration='auto' on longer series, or an int >= 1."
            )
        horizon = next(e for e in errors if e is not None).shape[1]
        offsets = np.stack([rule(np.empty((0, horizon)) if e is None else e) for e in errors],
                           axis=1)
        unsupported = ~np.isfinite(offsets).all(axis=(0, 2))
        if unsupported.any():
            named = [self.ids[c] for c in np.asarray(codes)[unsupported]]
            fewest = min(0 if errors[i] is None else
                         int((~np.isnan(errors[i])).sum(axis=0).min())
                         for i in np.flatnonzero(unsupported))
            warnings.warn(
                f"RNNForecaster.{caller}({request}): the backtest errors of series "
                f"{describe_ids(named)} (each its own, {fewest} at the fewest step) are too "
                "few, so their bounds are infinite at some steps (NaN for a median without "
                "errors); those series were too short for their backtest inside fit to "
                "record enough. Fit on longer series, with a larger n_calibration, or with "
                "many_series='global' (which pools the errors of every series).",
                UserWarning, stacklevel=stacklevel + 1)
        return offsets

    def check_update(self, codes, parts, x_parts):
        """Check the new rows of every series (``parts``: {id: pandas}) with
        its own forecaster; a list of what each moves on with, nothing moved."""
        return [self.forecasters[code]._checked_new(*self._own(code, parts, x_parts))
                for code in codes]

    def update(self, codes, checked, stacklevel):
        """Move each series' forecaster on with its checked new rows; one
        warning for the outliers read as missing in all of them,
        ``stacklevel`` frames up from the caller."""
        seen = [len(self.forecasters[code]._outlier_records) for code in codes]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OutlierWarning)  # said once below
            for code, new in zip(codes, checked):
                self.forecasters[code]._move_on(*new, stacklevel=stacklevel + 2)
        found = _outlier_rows((self.ids[code], self.forecasters[code]._outlier_records[before:])
                              for code, before in zip(codes, seen))
        warn_outliers(found, "y_new", self.forecasters[0].outlier_threshold, False,
                      stacklevel + 1)

    def _own(self, code, parts, x_parts):
        """The rows of series ``code`` in ``parts`` (and ``x_parts``) as its
        forecaster takes them: panels of one."""
        sid = self.ids[code]
        return {sid: parts[sid]}, None if x_parts is None else {sid: x_parts[sid]}

    def outlier_records(self):
        """``[(series id, timestamp, value)]`` of every series' outliers."""
        return _outlier_rows((sid, f._outlier_records)
                             for sid, f in zip(self.ids, self.forecasters))

    def network_data(self, codes, parts, x_parts, targets):
        """Each series' :meth:`RNNForecaster.network_data`, pooled series after
        series; a ValueError when their windows differ in length."""
        windows = {self.ids[c]: self.forecasters[c].window_ for c in codes}
        if len(set(windows.values())) > 1:
            raise ValueError(
                f"the series' own models read windows of different lengths ({windows}), so "
                "their network data cannot be pooled; call forecasters_[series_id]"
                ".network_data for one series, or refit with one window=... for all."
            )
        features, residuals = [], []
        for code in codes:
            f, r = self.forecasters[code].network_data(*self._own(code, parts, x_parts),
                                                       targets=targets)
            features.append(f)
            residuals.append(r)
        return np.concatenate(features), (np.concatenate(residuals) if targets else None)
