"""From the user's sample-major sequences to the core's time-major layout."""

import numpy as np


def to_time_major(X, dtype):
    """Convert sequences to the layout the network runs on.

    Parameters
    ----------
    X : ndarray of shape (N, T, F)
        Sequences, oldest step first; a step holding any NaN is missing.
    dtype : numpy dtype

    Returns
    -------
    X_time : ndarray of shape (T, F, N)
        A new contiguous array with missing steps set to 0.
    missing : ndarray of bool, shape (T, N), or None
        True where a step is missing; None when no step is.
    """
    return zero_fill_missing(np.array(X.transpose(1, 2, 0), dtype=dtype, order="C"))


def zero_fill_missing(X_time):
    """Set the missing steps of time-major inputs to 0, in place.

    Parameters
    ----------
    X_time : ndarray of shape (T, F, B)
        A step holding any NaN is missing.

    Returns
    -------
    X_time : ndarray of shape (T, F, B)
        The same array, missing steps set to 0.
    missing : ndarray of bool, shape (T, B), or None
        True where a step is missing; None when no step is.
    """
    nan = np.isnan(X_time)
    if not nan.any():
        return X_time, None
    missing = nan.any(axis=1)
    np.copyto(X_time, 0, where=missing[:, None, :])
    return X_time, missing
