"""What a fitted forecaster knows of the series it forecasts, and where each stands.

One series is a panel of one: :class:`SeriesState` holds, for every series,
its id, calendar, last timestamp, rows seen and whether any value seen was
below 0 (a never-negative series is forecast at or above 0, see
:meth:`SeriesState.floors`), and lays out the forecasts
of the series asked for; whether the user gave one series (a pandas Series)
or many (a dict or a long frame) only changes that layout. What the model
reads to forecast (the last window of each series, or the networks' hidden
state) is the model's own (:class:`.window_model.WindowForecast`,
:class:`.sequence_training.SequenceModel`).
"""

import numpy as np
import pandas as pd

from .panel_inputs import describe_ids, is_panel

__all__ = ["FitResult", "SeriesState", "id_index"]


def id_index(ids, name=None):
    """The series ids ``ids`` as an index, each id one label even when it is
    a tuple (a dict keyed by ``(store, item)``; ``pd.Index`` would make a
    MultiIndex of them)."""
    return pd.Index(list(ids), name=name, tupleize_cols=False)


class FitResult:
    """What a training mode returns to the forecaster.

    Parameters
    ----------
    model : WindowForecast or SequenceModel
        Forecasts from the series read so far; ``forecast(codes)``,
        ``empty(codes)`` and ``advance(code, rows)``.
    calibration_errors : ndarray of shape (n_origins, horizon) or None
        Signed backtest errors ``(y - forecast) / scale``, in units of each
        origin's scale.
    no_calibration_reason : str or None
        Why there are no errors, for the message of ``predict_interval``.
    n_epochs : list of int or None
        The epochs of each network chosen on the backtest.
    regressors : list or None
        The fitted networks, when they are regressors (window training).
    linear : object or None
        The fitted linear skip.
    window : int or None
        Steps of history read per forecast (window training).
    bptt_steps : int or None
        Chunk length (sequence training).
    methods : list of str or None
        What forecasts each series: "model", or the fallback the backtest
        chose (see :mod:`.naive_fallback`); None: the model, for all.
    epoch_windows : int or None
        Windows in an epoch of the final networks when their epochs were
        samples of their training windows (see :mod:`.epoch_samples`);
        None when every epoch read every window.
    """

    def __init__(self, model, calibration_errors, no_calibration_reason, n_epochs,
                 regressors=None, linear=None, window=None, bptt_steps=None, methods=None,
                 epoch_windows=None):
        self.model = model
        self.calibration_errors = calibration_errors
        self.no_calibration_reason = no_calibration_reason
        self.n_epochs = n_epochs
        self.regressors = regressors
        self.linear = linear
        self.window = window
        self.bptt_steps = bptt_steps
        self.methods = methods
        self.epoch_windows = epoch_windows


class SeriesState:
    """The series a forecaster was fitted on, and how far each has been read.

    Parameters
    ----------
    data : SeriesData
        The checked series of fit (see :mod:`.panel_inputs`).
    calendars : list of Calendar
        One per series.
    """

    def __init__(self, data, calendars):
        self.ids = list(data.ids)
        self.single = data.single
        self.columns = data.columns
        self.name = data.name
        self.level_names = data.level_names
        self.calendars = calendars
        self.cutoffs = [index[-1] for index in data.indexes]
        self.n_rows = [len(values) for values in data.values]
        self.non_negative = np.array([_never_negative(values) for values in data.values])
        self._codes = {sid: code for code, sid in enumerate(self.ids)}

    def check_layout(self, data, argument):
        """A TypeError unless ``data`` holds one series after a fit on one
        series, and many after a fit on many."""
        if is_panel(data) != self.single:
            return
        fitted = "one series" if self.single else "many series"
        expected = (
            "a pandas Series or DataFrame of that series" if self.single else
            "a dict {series_id: Series} or a long frame indexed by (series_id, timestamp)"
        )
        raise TypeError(
            f"the forecaster was fitted on {fitted}, so {argument} must be {expected}; "
            f"got {type(data).__name__}" + (" with a MultiIndex." if self.single else ".")
        )

    def codes(self, series, argument="series"):
        """Codes of the series ids ``series`` (None: all), checked."""
        if self.single and series is not None:
            raise ValueError(
                f"series={series!r} selects among many series, but the forecaster was "
                "fitted on one series; call it without series=, or fit on a dict or a "
                "long frame of series."
            )
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
                f"{argument} has unknown series id(s) {describe_ids(unknown)}; the forecaster "
                f"was fitted on {len(self.ids)} series: {describe_ids(self.ids)}."
            )
        if len(set(series)) < len(series):
            duplicated = [s for s in dict.fromkeys(series) if series.count(s) > 1]
            raise ValueError(f"{argument} names series {describe_ids(duplicated)} more than once.")
        return np.array([self._codes[s] for s in series], dtype=np.intp)

    def data_codes(self, data, argument):
        """Codes of the series of ``data`` (new values of fitted series)."""
        return np.array([0]) if self.single else self.codes(data.ids, argument)

    def cutoff(self):
        """The last timestamp seen: of the one series, else a Series by id."""
        if self.single:
            return self.cutoffs[0]
        return pd.Series(self.cutoffs, index=id_index(self.ids, self.level_names[0]),
                         name="cutoff")

    def rows_seen(self):
        """Rows seen in fit and update: of the one series, else a Series by id."""
        if self.single:
            return self.n_rows[0]
        return pd.Series(self.n_rows, index=id_index(self.ids, self.level_names[0]),
                         name="n_rows_seen")

    def check_continues(self, codes, data, argument, steps=None):
        """Check that every series of ``data`` starts right after its cutoff
        (its first ``steps[i]`` timestamps, when given); nothing is moved."""
        for i, (code, label, index) in enumerate(zip(codes, data.labels(argument), data.indexes)):
            index = index if steps is None else index[:steps[i]]
            self.calendars[code].check_continues(self.cutoffs[code], index, label)

    def advance(self, code, index, values):
        """Series ``code`` has been read up to the end of ``index``; its new
        rows are ``values`` (n_new, 1 + n_covariates)."""
        self.cutoffs[code] = index[-1]
        self.n_rows[code] += len(index)
        self.non_negative[code] &= _never_negative(values)

    def floors(self, codes):
        """0 for each series of ``codes`` whose observed targets in fit and
        update were never below 0, else -inf: the floor the forecaster puts
        under their forecasts, bounds and quantiles."""
        return np.where(self.non_negative[codes], 0.0, -np.inf)

    def forecast_table(self, codes, columns, horizon, as_frame=False):
        """The forecasts ``columns`` ({name: (len(codes), horizon) array}) laid
        out as the user's data: for one series a Series (one column, unless
        ``as_frame``) or DataFrame indexed by the next ``horizon`` timestamps;
        for many, long, indexed by ``(series_id, timestamp)``, series after
        series; after a fit on a Nixtla long frame, a frame with those two as
        columns."""
        if self.single:
            index = self.calendars[0].future(self.cutoffs[0], horizon)
        else:
            index = self._future_multiindex(codes, horizon)
        flat = {name: values.ravel() for name, values in columns.items()}
        if len(flat) == 1 and not as_frame:
            table = pd.Series(next(iter(flat.values())), index=index, name=self.name)
        else:
            table = pd.DataFrame(flat, index=index)
        return table.reset_index() if self.columns else table

    def outlier_table(self, records):
        """The values ``records`` ``[(series id, timestamp, value)]`` as a
        Series named like the target, indexed by timestamp (one series) or
        by ``(series_id, timestamp)``."""
        values = [value for _, _, value in records]
        stamps = [stamp for _, stamp, _ in records]
        if self.single:
            index = pd.Index(stamps, name=self.level_names[1])
        else:
            index = pd.MultiIndex.from_arrays([id_index(sid for sid, _, _ in records), stamps],
                                              names=list(self.level_names))
        return pd.Series(values, index=index, name=self.name, dtype=float)

    def _future_multiindex(self, codes, horizon):
        times = [self.calendars[c].future(self.cutoffs[c], horizon) for c in codes]
        ids = id_index([self.ids[c] for c in codes]).repeat(horizon)
        stamps = times[0].append(times[1:]) if len(times) > 1 else times[0]
        if isinstance(stamps, pd.DatetimeIndex):
            stamps = pd.DatetimeIndex(stamps, freq=None)  # as for any number of series
        return pd.MultiIndex.from_arrays([ids, stamps], names=list(self.level_names))


def _never_negative(values):
    """Whether no observed target of the rows ``values`` is below 0 (NaN, a
    missing value, compares False)."""
    return not np.any(values[:, 0] < 0)
