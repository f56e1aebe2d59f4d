"""RNNRegressor's standardisation of inputs and targets.

The network trains and predicts on

    z = (x - mean) / scale

with the (sample-weighted) mean and standard deviation learned when a fit
starts a new network: of each target column, and of each step feature over
all its present steps of all rows. Predictions are mapped back with
``y = z * scale + mean``. A missing step stays missing: it is zero-filled
after scaling, as the core expects. A constant column gets scale 1.

NumPy only, like the core it feeds.
"""

import numpy as np

__all__ = ["ScaledBatches", "Standardization"]

# Samples read from a batch source at a time when learning the statistics.
_CHUNK = 4096


class Standardization:
    """The affine maps of the inputs and the targets (None: left as they are).

    Parameters
    ----------
    input_mean, input_scale : ndarray of shape (n_step_features,) or None
    target_mean, target_scale : ndarray of shape (n_outputs,) or None
    """

    def __init__(self, input_mean=None, input_scale=None, target_mean=None,
                 target_scale=None):
        self.input_mean, self.input_scale = input_mean, input_scale
        self.target_mean, self.target_scale = target_mean, target_scale

    @classmethod
    def learn(cls, batches, sample_weight=None, *, dtype, inputs, target):
        """The weighted means and standard deviations of the batch source
        ``batches`` (of its inputs if ``inputs``, of its targets if
        ``target``) as taken in the training ``dtype``, computed in float64
        in two passes over it, ``_CHUNK`` samples at a time."""
        if not (inputs or target):
            return cls()
        x_stats = _Moments(batches.n_features) if inputs else None
        y_stats = _Moments(batches.n_outputs) if target else None
        for moments_pass in (0, 1):
            for start in range(0, batches.n_samples, _CHUNK):
                idx = np.arange(start, min(start + _CHUNK, batches.n_samples))
                X, missing, Y = _take64(batches, idx, dtype)
                w = np.ones(len(idx)) if sample_weight is None else sample_weight[idx]
                if x_stats is not None:
                    # (T, B) weights of the steps: a missing step weighs nothing
                    w_steps = np.broadcast_to(w, missing.shape if missing is not None
                                              else (X.shape[0], len(w)))
                    if missing is not None:
                        w_steps = w_steps * ~missing
                    values = X.transpose(1, 0, 2).reshape(X.shape[1], -1)  # (F, T * B)
                    x_stats.add(moments_pass, values, w_steps.reshape(-1))
                if y_stats is not None:
                    y_stats.add(moments_pass, Y, w)
        x_mean, x_scale = (None, None) if x_stats is None else x_stats.result()
        y_mean, y_scale = (None, None) if y_stats is None else y_stats.result()
        return cls(x_mean, x_scale, y_mean, y_scale)

    @property
    def scales_inputs(self):
        return self.input_mean is not None

    def inputs(self, X, missing):
        """Standardised copy of the time-major inputs ``X`` (T, F, B),
        missing steps zero-filled again."""
        if not self.scales_inputs:
            return X
        Z = (X - self.input_mean[:, None]) / self.input_scale[:, None]
        if missing is not None:
            Z[np.broadcast_to(missing[:, None, :], Z.shape)] = 0.0
        return Z

    def targets(self, Y):
        """Standardised copy of the targets ``Y`` (O, B)."""
        if self.target_mean is None:
            return Y
        return (Y - self.target_mean[:, None]) / self.target_scale[:, None]

    def restore_targets(self, Z):
        """Targets ``Z`` (O, B) of the network back in the units of ``y``."""
        if self.target_mean is None:
            return Z
        return Z * self.target_scale[:, None] + self.target_mean[:, None]

    def wrap(self, batches):
        """The batch source ``batches`` as the network reads it."""
        if not self.scales_inputs and self.target_mean is None:
            return batches
        return ScaledBatches(batches, self)


class ScaledBatches:
    """A batch source whose batches are standardised as they are taken.

    Parameters
    ----------
    batches : batch source
    standardization : Standardization
    """

    def __init__(self, batches, standardization):
        self.batches, self.standardization = batches, standardization
        self.n_samples, self.n_steps = batches.n_samples, batches.n_steps
        self.n_features, self.n_outputs = batches.n_features, batches.n_outputs

    def take(self, idx, dtype):
        # Taken in the training dtype first, so that a source of float64
        # arrays trains as one of the same arrays cast to float32.
        X, missing, Y = _take64(self.batches, idx, dtype)
        s = self.standardization
        return (s.inputs(X, missing).astype(dtype, copy=False), missing,
                s.targets(Y).astype(dtype, copy=False))

    def subset(self, rows):
        return ScaledBatches(self.batches.subset(rows), self.standardization)


def _take64(batches, idx, dtype):
    """``batches.take(idx, dtype)`` in float64."""
    X, missing, Y = batches.take(idx, dtype)
    return X.astype(np.float64, copy=False), missing, Y.astype(np.float64, copy=False)


class _Moments:
    """Weighted mean (first pass) and standard deviation (second pass) of
    the rows of ``(n_columns, n)`` arrays, and whether each row varies.
    """

    def __init__(self, n_columns):
        self.total_weight = 0.0
        self.sums = np.zeros(n_columns)
        self.squares = np.zeros(n_columns)
        self.mean = None
        # The smallest and largest value of each column with a positive weight.
        self.low = np.full(n_columns, np.inf)
        self.high = np.full(n_columns, -np.inf)

    def add(self, moments_pass, values, weight):
        if moments_pass == 0:
            self.total_weight += float(np.sum(weight))
            self.sums += values @ weight
            counted = weight > 0
            if counted.any():
                kept = values if counted.all() else values[:, counted]
                np.minimum(self.low, kept.min(axis=1), out=self.low)
                np.maximum(self.high, kept.max(axis=1), out=self.high)
            return
        if self.mean is None:
            self.mean = self.sums / self.total_weight if self.total_weight > 0 else self.sums
        deviations = values - self.mean[:, None]
        self.squares += (deviations * deviations) @ weight

    def result(self):
        """``(mean, scale)``; scale 1 where a column is constant (or has no
        weight)."""
        mean = self.sums / self.total_weight if self.total_weight > 0 else self.sums
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = np.sqrt(self.squares / self.total_weight)
        # Constant by its values, not by the size of its computed spread: the
        # spread of equal values is a few ulps of their mean, and a column of
        # small values has a small spread.
        constant = ~(self.high > self.low) | ~(scale > 0)
        return mean, np.where(constant, 1.0, scale)
