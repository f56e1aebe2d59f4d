"""Turn a time series into windows an RNN (or any regressor) can learn from.

Two entry points share one layout, the package's sequence convention: a row is
one trailing window, its columns are *time-major* (step 0's features, then
step 1's, ..., oldest step first, newest last) and are named ``col[t-k]``,
``col[t]`` for the past and ``col[t+h]`` for the future.

- :func:`make_supervised` builds a training set ``(X, Y)`` from a pandas Series
  or DataFrame: the windows, the next ``horizon`` values of the target, both
  indexed by the window's last timestamp ``t``.
- :class:`SlidingWindowTransformer` is the same windowing as an sklearn
  transformer, one output row per input row, to be the first step of a
  ``Pipeline`` whose rows are timestamps.

A NaN inside a window is a *missing step* and is kept: ``RNNRegressor`` carries
its hidden state unchanged through such a step, so NaN left-padding reads as a
shorter sequence. ``inf`` is always an error.

Windows are cut with :func:`numpy.lib.stride_tricks.sliding_window_view`, a
strided view that costs no memory. Only the windows that are kept are copied,
once, into the array behind the returned DataFrame (a DataFrame cannot hold
overlapping strided memory safely, so that one copy is unavoidable).
"""

from .supervised import make_supervised
from .transformer import SlidingWindowTransformer

__all__ = ["make_supervised", "SlidingWindowTransformer"]
