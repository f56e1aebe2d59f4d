"""Windows that reach into the future: covariates known in advance.

A covariate known in advance (a calendar feature, a holiday, a planned
price, a weather forecast) is worth reading at the steps being forecast,
not only over the past. With future covariates, the window a model reads
at origin ``r`` is the ``window`` rows up to ``r`` followed by the
``future_steps`` rows after it (the steps the model forecasts at once: the
horizon, or 1 for the recursive strategy). On those future rows the target
and the past covariates are unknown; the future covariates hold their
planned values. Each step gains one channel, a flag that is 1 on the future
rows:

    step t <= r:  target_t   past_t   future_t   0
    step t >  r:  0          0        future_t   1

(standardised as in :mod:`.scaling`; the 0 of the target is the window's
level, its last observed value). Unknown values are filled rather than left
NaN because the recurrent core reads a step holding a NaN as a missing step
and carries its hidden state over it, which would skip the future rows
entirely. The linear skip reads the same flattened windows, so its ridge
weights the future covariates of every step too.

Without future covariates there are no future rows and no flag: the windows
are exactly those of the past alone.
"""

import numpy as np

__all__ = ["StepLayout"]


class StepLayout:
    """How the rows of a window and of its future are laid out for a model.

    Parameters
    ----------
    n_features : int
        Columns of a series' rows: the target, then the covariates.
    known : sequence of int
        The columns (>= 1) of the covariates known in advance; empty: none.
    future_steps : int
        Future rows read after each window when ``known`` is not empty.
    """

    def __init__(self, n_features, known, future_steps):
        self.n_features = n_features
        self.known = np.asarray(known, dtype=np.intp)
        self.future_steps = future_steps if len(self.known) else 0
        unknown = np.ones(n_features, dtype=bool)
        unknown[self.known] = False
        # The target and the past covariates: not known on future rows.
        self.unknown = np.flatnonzero(unknown)

    @property
    def n_step_features(self):
        """Features of each step the model reads (the flag included)."""
        return self.n_features + (1 if self.future_steps else 0)

    def n_steps(self, window):
        """Steps the model reads for a window of ``window`` rows."""
        return window + self.future_steps

    def normalise(self, scaler, past, future=None):
        """The model's input for raw windows ``past`` and the rows after them.

        Parameters
        ----------
        scaler : WindowScaler or PooledScaler
        past : ndarray of shape (n, window, n_features)
            Raw rows up to each origin.
        future : ndarray of shape (n, >= future_steps, n_features) or None
            Raw rows after each origin (only the known columns are read);
            needed when there are future steps.

        Returns
        -------
        normalised : ndarray of shape (n, n_steps(window), n_step_features)
        level, scale : ndarray of shape (n,)
            As :meth:`.scaling.WindowScaler.transform`, from ``past`` alone.
        """
        if not self.future_steps:
            return scaler.transform(past)
        window = past.shape[1]
        ahead = np.full((len(past), self.future_steps, self.n_features), np.nan)
        ahead[:, :, self.known] = future[:, :self.future_steps, self.known]
        # The target of the future rows is NaN, so the level is the last
        # observed value of the past rows.
        normalised, level, scale = scaler.transform(np.concatenate([past, ahead], axis=1))
        normalised[:, window:, self.unknown] = 0.0
        flag = np.zeros(normalised.shape[:2] + (1,))
        flag[:, window:] = 1.0
        return np.concatenate([normalised, flag], axis=2), level, scale
