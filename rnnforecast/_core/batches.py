"""Where training batches come from.

The training loop asks its data for one batch at a time, so the data need not
be held in the core's layout: :class:`ArrayBatches` holds arrays already in
it, and the forecaster's windows of a long series are cut and normalised
only when a batch asks for them (``rnnforecast.forecasting.windows``), so
that memory grows with the series, not with the series times the window.

A batch source has

    n_samples, n_steps, n_features, n_outputs : int
    take(idx, dtype) -> (X (T, F, B), missing (T, B) or None, Y (O, B))
        the samples ``idx``, inputs time-major with missing steps
        zero-filled (see :func:`.time_major.zero_fill_missing`);
    subset(rows) -> a source of the samples in the slice ``rows``.
"""

__all__ = ["ArrayBatches"]


class ArrayBatches:
    """Training data held in memory, already time-major.

    Parameters
    ----------
    X : ndarray of shape (T, F, N)
        Inputs with missing steps zero-filled.
    missing : ndarray of bool, shape (T, N), or None
    Y : ndarray of shape (O, N)
    """

    def __init__(self, X, missing, Y):
        self.X, self.missing, self.Y = X, missing, Y
        self.n_steps, self.n_features, self.n_samples = X.shape
        self.n_outputs = Y.shape[0]

    def take(self, idx, dtype):
        """Inputs, missing mask and targets of the samples ``idx``."""
        m = None if self.missing is None else self.missing[:, idx]
        return (
            self.X[:, :, idx].astype(dtype, copy=False), m,
            self.Y[:, idx].astype(dtype, copy=False),
        )

    def subset(self, rows):
        """The samples in the slice ``rows``, as views."""
        m = None if self.missing is None else self.missing[:, rows]
        return ArrayBatches(self.X[:, :, rows], m, self.Y[:, rows])
