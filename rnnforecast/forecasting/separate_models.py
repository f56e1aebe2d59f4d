"""Many series, a model each: ``RNNForecaster(many_series="separate")``.

Given many series, the forecaster either trains ONE global model on the
windows of all of them (``many_series="global"``) or fits a forecaster of its
own to each series alone (``"separate"``; ``"auto"``, the default, wherever
``fit`` trains): ``RNNForecaster(**params).fit({sid: y[sid]}, {sid: X[sid]})``,
a panel of one, whose forecasts are those of the series fitted alone and whose
messages name the series as a global model's do. The series' forecasters are
kept in ``forecasters_``; the panel's forecaster checks what it is given as
for a global model (in ``update`` and ``network_data`` once: each series'
own model reads its part of the checked rows; in ``fit`` each series' own
forecaster checks its series again), lays the forecasts out as the data came
in (:mod:`.state`), and asks each series' :class:`.pooled_model.PooledModel`
for its forecasts, bounds and updates. Each series' intervals and quantiles
come from its own backtest errors.

Why a model each by default: on the design panel of
``benchmarks/bench_accuracy.py`` (21 real series from ``datasets/``, fitted
as panels of the series that share a calendar and horizon; three seeds,
``benchmarks/bench_global_vs_per_series.py --panel design``), the global
model's geometric-mean MASE was 1.24 times that of a model per series (better
on 6 of 21); on 100 unlike synthetic series 1.8 times, and on 1,000 alike
sensor series 1.13 times, where one global model cost 24 times less.
"""

import warnings
from dataclasses import replace

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
    each distinct one once, ``stacklevel`` frames up from the caller, except
    their outlier warnings: the panel's forecaster raises one for the
    outliers of every series, as a global model gives it."""
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
    return forecasters


class SeparateModels:
    """The fitted models of a panel's series, one each, as the panel's
    forecaster reads them: the methods of :class:`.pooled_model.PooledModel`
    for the series ``codes`` (positions in the order of fit), each series
    asked of its own model.

    Parameters
    ----------
    models : list of PooledModel
        The models of the series' own forecasters (each fitted to one series
        alone), in the order of fit. Their states are the forecasters' own,
        so an update moves the forecasters in ``forecasters_`` on too.
    ids : list
        The series ids, in the same order.
    state : SeriesState
        Where each series stands, as the panel's forecaster lays them out
        (its own; ``update`` moves it on with the models').
    """

    def __init__(self, models, ids, state):
        self.models = models
        self.ids = list(ids)
        self.state = state

    def read_so_far(self):
        """What each forecast reads, as a message names it."""
        return "the windows"  # each series' own

    def empty(self, codes):
        """Whether each series' window holds no observed target value."""
        return np.array([self.models[c].empty(_ONE)[0] for c in codes])

    def forecast(self, codes, future=None):
        """Forecasts (len(codes), horizon) on the models' scale and the scales
        (len(codes),), as the panel's model gives them; ``future``: the rows
        after each series' cutoff (:func:`.future_inputs.future_rows`)."""
        points, scales = [], []
        for i, code in enumerate(codes):
            point, scale = self.models[code].forecast(
                _ONE, None if future is None else future[i:i + 1])
            points.append(point)
            scales.append(scale)
        return np.concatenate(points), np.concatenate(scales)

    def user_points(self, forecast, codes):
        """Each series' forecast on its own scale, as its model gives it."""
        return np.concatenate([self.models[c].user_points(forecast[i:i + 1], _ONE)
                               for i, c in enumerate(codes)])

    def user_bounds(self, bounds, codes):
        """Bounds (k, len(codes), horizon) on each series' own scale."""
        return np.concatenate([self.models[c].user_bounds(bounds[:, i:i + 1], _ONE)
                               for i, c in enumerate(codes)], axis=1)

    def offsets(self, codes, rule, caller, request, stacklevel):
        """What ``rule(errors)`` makes of each series' own backtest errors,
        (k, len(codes), horizon) in units of its scale; one warning for the
        series whose errors are too few (infinite bounds), naming them,
        ``stacklevel`` frames up from the caller. A series without errors
        gets infinite bounds; a ValueError if no series asked has any."""
        errors = [self.models[c].calibration_errors for c in codes]
        if all(e is None for e in errors):
            reason = self.models[codes[0]].no_calibration_reason
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

    def check_update(self, codes, data):
        """Check the new rows ``data`` (the panel's checked data of the series
        ``codes``) with each series' own model; what :meth:`update` takes,
        nothing moved."""
        return codes, data, [self.models[code].check_update(_ONE, _series_data(data, i))
                             for i, code in enumerate(codes)]

    def update(self, checked, stacklevel):
        """Move each series' model on with its checked new rows; one warning
        for the outliers read as missing in all of them, ``stacklevel``
        frames up from the caller."""
        codes, data, own = checked
        found = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OutlierWarning)  # said once below
            for code, new in zip(codes, own):
                model = self.models[code]
                seen = len(model.records)
                model.update(new, stacklevel + 1)
                found += model.records[seen:]
        for code, values, index in zip(codes, data.values, data.indexes):
            self.state.advance(code, index, values)
        warn_outliers(found, "y_new", self.models[0].outlier_threshold, False, stacklevel + 1)

    def outlier_records(self):
        """``[(series id, timestamp, value)]`` of every series' outliers."""
        return [record for model in self.models for record in model.outlier_records()]

    def network_data(self, data, codes, targets):
        """Each series' networks' data (see
        :meth:`.forecaster.RNNForecaster.network_data`), pooled series after
        series; a ValueError when their windows differ in length."""
        windows = {self.ids[c]: self.models[c].window for c in codes}
        if len(set(windows.values())) > 1:
            raise ValueError(
                f"the series' own models read windows of different lengths ({windows}), so "
                "their network data cannot be pooled; call forecasters_[series_id]"
                ".network_data for one series, or refit with one window=... for all."
            )
        features, residuals = [], []
        for i, code in enumerate(codes):
            f, r = self.models[code].network_data(_series_data(data, i), _ONE, targets)
            features.append(f)
            residuals.append(r)
        return np.concatenate(features), (np.concatenate(residuals) if targets else None)


def _series_data(data, i):
    """Series ``i`` of the checked data ``data`` of a panel as its own
    forecaster, fitted on a panel of one, reads it: the same checks, so they
    are not run again; its own copy of the values, which the model reads
    outliers and its scale into."""
    return replace(data, ids=[data.ids[i]], values=[data.values[i].copy()],
                   indexes=[data.indexes[i]], single=False, columns=False)
