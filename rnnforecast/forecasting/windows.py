"""The windows a forecaster learns from, cut from views of its series on demand.

A series of n rows has n - window + 1 windows; held as a matrix they take
``window`` times the memory of the series (a 5,000,000-point series and a
96-step window: 3.8 GB of float64 for a 40 MB series). :class:`SeriesWindows`
holds the series once and names each window by its *origin*, the row it ends
at; every question about windows (which hold an observed target, which have a
complete future, their normalised values) is answered for the origins asked
about, from strided views, prefix counts and a block of rows at a time.
:class:`WindowTrainingSet` is the training set of the networks in that form:
a batch source (:mod:`rnnforecast._core.batches`) that normalises only the
windows of the batch the training loop asks for.

Many series are laid end to end, each followed by ``horizon`` rows of NaN, so
that the future of a window never reads the next series.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .._core.time_major import to_time_major
from .future_steps import StepLayout
from .scaling import PooledScaler, WindowScaler, last_observed_rows

__all__ = ["SeriesWindows", "WindowTrainingSet"]

# Rows of windows normalised at a time outside the training loop (the ridge
# of the linear skip, the residual targets): about this many bytes of float64.
_BLOCK_BYTES = 1 << 20


class SeriesWindows:
    """Every window of one or more series, cut only when read.

    Parameters
    ----------
    series_values : list of ndarray of shape (n_rows, n_features)
        The rows of each series, column 0 the target, the others past
        covariates; NaN marks a missing value. Read, never modified.
    window, horizon : int
    scalers : list of WindowScaler
        The scaling of each series (see :mod:`.scaling`).
    layout : StepLayout or None, default=None
        Future rows read after each window (covariates known in advance, see
        :mod:`.future_steps`); None: the window alone.

    Notes
    -----
    An *origin* is a row number in the series laid end to end; the window of
    origin ``r`` is rows ``r - window + 1 .. r`` and its future rows
    ``r + 1 .. r + horizon``. Memory: the rows once, plus two integers per
    row.
    """

    def __init__(self, series_values, window, horizon, scalers, layout=None):
        n_features = series_values[0].shape[1]
        self.layout = StepLayout(n_features, [], 0) if layout is None else layout
        # Steps and features of each window as the model reads it.
        self.n_steps = self.layout.n_steps(window)
        self.n_step_features = self.layout.n_step_features
        gap = np.full((horizon, n_features), np.nan)
        self.values = np.concatenate([part for v in series_values for part in (v, gap)])
        lengths = np.array([len(v) for v in series_values])
        self.starts = np.concatenate([[0], np.cumsum(lengths + horizon)[:-1]])
        self.lengths = lengths
        self.window, self.horizon, self.n_features = window, horizon, n_features
        self.scalers = scalers
        # (n_all - window + 1, n_features, window): the window of origin r is
        # _inputs[r - window + 1]; the future of origin r is _futures[r].
        self._inputs = sliding_window_view(self.values, window, axis=0)
        target = self.values[:, 0]
        self._futures = sliding_window_view(target[1:], horizon)
        observed = ~np.isnan(target)
        index = np.int32 if len(target) < np.iinfo(np.int32).max else np.int64
        # The last row at or before each row whose target is observed (-1: none).
        self._last_seen = last_observed_rows(observed, index)
        # Missing targets before each row: _missing_before[r] = sum(~observed[:r]).
        self._missing_before = np.zeros(len(target) + 1, index)
        np.cumsum(~observed, out=self._missing_before[1:])

    # -- which windows ------------------------------------------------------
    def origins(self, code):
        """The origins of every window of series ``code``, oldest first
        (window ``i`` of the series is ``origins(code)[i]``)."""
        first = self.starts[code] + self.window - 1
        return np.arange(first, self.starts[code] + self.lengths[code])

    def observed(self, rows):
        """Whether the window of each origin holds an observed target value."""
        return self._last_seen[rows] > rows - self.window

    def complete(self, rows, steps):
        """Whether the first ``steps`` future values of each origin are observed."""
        return self._missing_before[rows + 1 + steps] == self._missing_before[rows + 1]

    def codes(self, rows):
        """The series of each origin."""
        return np.searchsorted(self.starts, rows, side="right") - 1

    # -- what they hold -----------------------------------------------------
    def raw(self, rows):
        """Raw windows of the origins ``rows``: a new array (n, window, n_features)."""
        return self._inputs[rows - self.window + 1].transpose(0, 2, 1)

    def rows_after(self, rows, steps):
        """Raw rows after each origin: a new array (n, steps, n_features)
        (NaN past the end of a series)."""
        return self.values[rows[:, None] + np.arange(1, steps + 1)]

    def contexts(self, rows, length):
        """The ``length`` target values up to each origin: a new array (n,
        length), NaN before the start of its series."""
        steps = rows[:, None] + np.arange(1 - length, 1)
        starts = self.starts[self.codes(rows)][:, None]
        return np.where(steps >= starts, self.values[np.maximum(steps, 0), 0], np.nan)

    def futures(self, rows):
        """The ``horizon`` values after each origin: a new array (n, horizon)."""
        return self._futures[rows]

    def scaler(self, rows):
        """The scaling of the windows of ``rows``: their series' WindowScaler
        (a PooledScaler when there are several series)."""
        if len(self.scalers) == 1:
            return self.scalers[0]
        return PooledScaler(self.scalers, self.codes(rows))

    def normalised_windows(self, rows):
        """Normalised windows of the origins ``rows`` as the model reads them,
        shape (n, n_steps, n_step_features) (the future rows of
        :mod:`.future_steps` included), and each window's level, scale and
        offset (its level in standardised series units)."""
        scaler = self.scaler(rows)
        future = self.rows_after(rows, self.layout.future_steps)
        normalised, level, scale = self.layout.normalise(scaler, self.raw(rows), future)
        return normalised, level, scale, scaler.offset(level)

    def normalised(self, rows, steps):
        """What the forecaster's model reads and learns at the origins ``rows``.

        Returns
        -------
        features : ndarray of shape (n, n_steps * n_step_features)
            Normalised windows, flattened time-major.
        z : ndarray of shape (n, steps)
            The next ``steps`` values in the units of each window.
        offset : ndarray of shape (n,)
            Each window's level in standardised series units.
        """
        normalised, level, scale, offset = self.normalised_windows(rows)
        z = WindowScaler.to_units(self.futures(rows)[:, :steps], level, scale)
        return normalised.reshape(len(rows), -1), z, offset

    def features(self, rows):
        """The normalised windows of ``rows`` as one matrix (n, n_steps *
        n_step_features): O(n * window) memory, for whoever needs the matrix."""
        if len(rows) == 0:
            return np.empty((0, self.n_steps * self.n_step_features))
        return np.concatenate([f for f, _, _ in self.blocks(rows, 0)])

    def blocks(self, rows, steps):
        """:meth:`normalised` of ``rows`` a block of a few MB at a time."""
        size = max(1, _BLOCK_BYTES // (8 * self.n_steps * self.n_step_features))
        for start in range(0, len(rows), size):
            yield self.normalised(rows[start:start + size], steps)


class WindowTrainingSet:
    """The networks' training set: windows of origins ``rows`` and the
    residual targets the model leaves to the networks, as a batch source.

    Parameters
    ----------
    windows : SeriesWindows
    rows : ndarray of int
        The origins of the training windows.
    targets : ndarray of shape (len(rows), n_outputs)
        What the networks learn at each origin (see
        :meth:`WindowModel.residual_targets`).
    """

    def __init__(self, windows, rows, targets):
        self.windows, self.rows, self.targets = windows, rows, targets
        self.n_samples = len(rows)
        self.n_steps, self.n_features = windows.n_steps, windows.n_step_features
        self.n_outputs = targets.shape[1]
        self._matrices = None

    @classmethod
    def of(cls, model, windows, rows, steps):
        """The training set of the networks of ``model`` at origins ``rows``
        (``steps``: the outputs of each network)."""
        targets = np.empty((len(rows), steps))
        done = 0
        for features, z, offset in windows.blocks(rows, steps):
            targets[done:done + len(z)] = model.residual_targets(features, z, offset)
            done += len(z)
        return cls(windows, rows, targets)

    def take(self, idx, dtype):
        """The batch ``idx`` in the core's layout (see :mod:`rnnforecast._core.batches`)."""
        X, missing = to_time_major(self.windows.normalised_windows(self.rows[idx])[0], dtype)
        return X, missing, np.array(self.targets[idx].T, dtype=dtype, order="C")

    def subset(self, rows):
        """The samples in the slice (or integer array) ``rows``."""
        return WindowTrainingSet(self.windows, self.rows[rows], self.targets[rows])

    def matrices(self):
        """``(features, targets)`` as arrays, for a regressor that reads
        arrays: features (n, window * n_features), targets (n,) for one
        output, else (n, n_outputs). Made once (a regressor that reads arrays
        needs the window matrix, O(n * window) memory), then reused."""
        if self._matrices is not None:
            return self._matrices
        features = self.windows.features(self.rows)
        targets = self.targets[:, 0] if self.n_outputs == 1 else self.targets
        self._matrices = features, targets
        return self._matrices
