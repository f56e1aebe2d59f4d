"""Split-conformal prediction intervals from backtest residuals.

The forecaster stores, for every horizon step h, the absolute errors of
forecasts made at several past origins by a model that had not seen what
followed them, each divided by the scale of its origin window (see
:class:`.scaling.WindowScaler`). With n such scores the
finite-sample split-conformal bound for coverage c is the
``ceil((n + 1) c)``-th smallest score (Vovk et al. 2005; Lei et al. 2018); the
interval is the point forecast plus or minus that bound times the scale of
the current window. Dividing by the window's scale lets the width follow the
level of the series. The bound assumes the scores are exchangeable, which a
stationary error process at nearby origins satisfies approximately.
"""

import math
from numbers import Real

import numpy as np

__all__ = ["check_coverage", "conformal_radius"]


def conformal_radius(scores, coverage):
    """Per-step half-width, in window-scale units, of a conformal interval.

    Parameters
    ----------
    scores : ndarray of shape (n_origins, horizon)
        ``|y - y_hat| / scale`` at each calibration origin and step; NaN where
        the true value was missing.
    coverage : float in (0, 1)

    Returns
    -------
    radius : ndarray of shape (horizon,)
        ``inf`` for a step with too few scores for the coverage asked
        (``ceil((n + 1) coverage) > n``).
    """
    radius = np.empty(scores.shape[1])
    for step in range(scores.shape[1]):
        observed = np.sort(scores[~np.isnan(scores[:, step]), step])
        rank = math.ceil((len(observed) + 1) * coverage)
        radius[step] = observed[rank - 1] if rank <= len(observed) else np.inf
    return radius


def check_coverage(coverage):
    """A ValueError unless ``coverage`` is a float strictly between 0 and 1."""
    if isinstance(coverage, (bool, np.bool_)) or not isinstance(coverage, Real) or not (
            0 < coverage < 1):
        raise ValueError(
            f"coverage must be a float strictly between 0 and 1, e.g. 0.9; got {coverage!r}."
        )
