"""The classical Theta method in NumPy and SciPy, for benchmarks/bench_theta_combination.py.

The classical Theta method (Assimakopoulos & Nikolopoulos, 2000; the M3
competition's most accurate method, and the M4 competition's benchmark):

1. If the series is seasonal (a 90% test on its autocorrelation at the
   period, below), divide it by the seasonal indices of a classical
   multiplicative decomposition (subtract them when the series is not
   positive everywhere).
2. Split the adjusted series ``y`` into two "theta lines":
   ``L_t = a + b t``, its least-squares line (theta = 0), and
   ``Z_t = 2 y_t - L_t`` (theta = 2), which doubles the local curvature.
3. Extrapolate ``L`` as a line and ``Z`` with simple exponential smoothing
   (its smoothing weight chosen by the in-sample one-step squared error),
   and average the two: ``f_h = (L_{n+h} + l_n(Z)) / 2``.
4. Put the seasonal indices back.

Hyndman & Billah (2003) showed that this is simple exponential smoothing with
a drift of half the fitted line's slope. Its trend is the slope of the whole
history, halved: where a learned model over-extrapolates a short local trend,
Theta stays conservative, and where the series is a random walk it stays near
the last level.

It was written to test averaging it with the per-series model (issue 14); the
test failed (see the benchmark), so it is not part of the package. On the 26
series of bench_accuracy.py it scores within 3.5% of statsforecast's AutoTheta
(geometric-mean MASE 1.473 against 1.424), which chooses among four variants.
"""

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.signal import lfilter

# The classical decomposition is the package's (rnnforecast.forecasting.seasonal_adjustment).
from rnnforecast.forecasting.seasonal_adjustment import seasonal_indices

__all__ = ["is_seasonal", "seasonal_indices", "simple_exponential_smoothing", "theta_forecast"]

# One-sided 90% test of the autocorrelation at the period, as in the M4
# competition's benchmarks: seasonal when |r_m| > 1.645 * its standard error.
SEASONALITY_Z = 1.645
# The smoothing weight of the theta = 2 line is searched in [0.01, 1].
ALPHA_BOUNDS = (0.01, 1.0)


def is_seasonal(y, period):
    """Whether ``y`` has a significant autocorrelation at lag ``period``.

    The standard error of the sample autocorrelation ``r_m`` of a series
    whose autocorrelations vanish beyond lag ``m - 1`` is
    ``sqrt((1 + 2 sum_{k<m} r_k^2) / n)`` (Bartlett's formula). The test needs
    three periods of history; shorter series count as not seasonal.
    """
    y = np.asarray(y, dtype=float)
    n = len(y)
    if period < 2 or n < 3 * period:
        return False
    centred = y - y.mean()
    denominator = centred @ centred
    if denominator == 0:
        return False
    r = np.array([centred[k:] @ centred[:n - k] for k in range(1, period + 1)]) / denominator
    limit = SEASONALITY_Z * np.sqrt((1 + 2 * np.sum(r[:-1] ** 2)) / n)
    return bool(abs(r[-1]) > limit)


def _smoothed_levels(z, alpha):
    """Levels ``l_t = alpha z_t + (1 - alpha) l_{t-1}``, ``l_0 = z_0``."""
    levels, _ = lfilter([alpha], [1.0, alpha - 1.0], z[1:], zi=[(1.0 - alpha) * z[0]])
    return np.r_[z[0], levels]


def simple_exponential_smoothing(z):
    """The last level of simple exponential smoothing of ``z``, with the
    weight that minimises the in-sample one-step squared error.

    Returns
    -------
    level : float
    alpha : float
    """
    z = np.asarray(z, dtype=float)
    if len(z) < 3:
        return float(z[-1]), 1.0

    def one_step_error(alpha):
        levels = _smoothed_levels(z, alpha)
        residuals = z[1:] - levels[:-1]
        return residuals @ residuals

    alpha = minimize_scalar(one_step_error, bounds=ALPHA_BOUNDS, method="bounded",
                            options={"xatol": 1e-4}).x
    return float(_smoothed_levels(z, alpha)[-1]), float(alpha)


def theta_forecast(y, period, horizon):
    """Forecast ``horizon`` steps after ``y`` with the classical Theta method.

    Parameters
    ----------
    y : array-like of shape (n,)
        The history, finite values, oldest first.
    period : int
        The seasonal period (1 or less: no season).
    horizon : int

    Returns
    -------
    forecast : ndarray of shape (horizon,)

    Examples
    --------
    >>> import numpy as np
    >>> theta_forecast(np.arange(10.0), period=1, horizon=3).round(2)
    array([ 9.5, 10. , 10.5])
    """
    y = np.asarray(y, dtype=float)
    n = len(y)
    if n == 0 or not np.isfinite(y).all():
        raise ValueError(f"theta_forecast needs a non-empty finite history; got {n} values "
                         f"with {int(np.sum(~np.isfinite(y)))} not finite.")
    if n == 1:
        return np.full(horizon, y[0])
    period = int(period)
    seasonal = is_seasonal(y, period)
    multiplicative = bool(np.all(y > 0))
    if seasonal:
        indices = seasonal_indices(y, period, multiplicative)
        in_sample = indices[np.arange(n) % period]
        future = indices[np.arange(n, n + horizon) % period]
        adjusted = y / in_sample if multiplicative else y - in_sample
    else:
        adjusted = y
    t = np.arange(n, dtype=float)
    slope, intercept = np.polyfit(t, adjusted, 1)
    line = intercept + slope * t
    level, _ = simple_exponential_smoothing(2 * adjusted - line)
    ahead = np.arange(n, n + horizon, dtype=float)
    forecast = 0.5 * (intercept + slope * ahead + level)
    if seasonal:
        forecast = forecast * future if multiplicative else forecast + future
    return forecast
