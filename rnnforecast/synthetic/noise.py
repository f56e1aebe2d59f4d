"""Noise: ARMA(p, q) with stationary and invertible draws, optionally
heteroscedastic, and random walks.

Coefficients are drawn through partial autocorrelations (Monahan 1984): any
values in (-1, 1) map by the Durbin-Levinson recursion

.. math:: \\phi^{(k)}_k = r_k,\\quad \\phi^{(k)}_j = \\phi^{(k-1)}_j - r_k \\phi^{(k-1)}_{k-j},

to a stationary AR polynomial, and the same map with the sign flipped gives an
invertible MA polynomial, so no draw has to be rejected.
"""

import numbers

import numpy as np
from scipy.signal import lfilter

from ._arguments import Component, check_count, check_panel

__all__ = ["arma_noise", "arma_autocorrelation", "random_walk", "partial_to_coefficients"]

# Partial autocorrelations are drawn in (-0.8, 0.8): the slowest AR(2) root is
# then 0.978 per step, so a burn-in of BURN_IN steps leaves 0.978**500 = 2e-5
# of the zero start.
MAX_PARTIAL = 0.8
BURN_IN = 500
# Log-volatility of the heteroscedastic option: an AR(1) with this coefficient
# (volatility regimes lasting ~50 steps).
VOLATILITY_PERSISTENCE = 0.98


def partial_to_coefficients(partial):
    """AR coefficients :math:`\\phi_1..\\phi_p` of partial autocorrelations in (-1, 1).

    Parameters
    ----------
    partial : sequence of float in (-1, 1)
        The partial autocorrelations :math:`r_1..r_p`, lag 1 first.

    Returns
    -------
    ndarray of shape (p,), float64
        The coefficients :math:`\\phi_1..\\phi_p`, p = ``len(partial)``, lag 1
        first: those of a stationary AR(p). Empty for an empty ``partial``.

    Raises
    ------
    ValueError
        If a value of ``partial`` is not strictly between -1 and 1 (NaN included).

    Examples
    --------
    >>> from rnnforecast.synthetic import partial_to_coefficients
    >>> partial_to_coefficients([0.5, 0.2])
    array([0.4, 0.2])
    """
    partial = np.asarray(partial, dtype=float).ravel()
    if not (np.abs(partial) < 1).all():  # NaN too
        raise ValueError(f"partial={partial.tolist()} holds a value outside (-1, 1); partial "
                         "autocorrelations of a stationary AR process lie strictly inside it.")
    phi = np.zeros(0)
    for r in partial:
        phi = np.append(phi - r * phi[::-1], r)
    return phi


def _check_polynomial(coefficients, name, sign):
    """``coefficients`` as an array, if the polynomial 1 - sign * sum c_j z^j has
    its roots outside the unit circle (stationary AR: sign 1, invertible MA: -1)."""
    values = np.asarray(coefficients, dtype=float).ravel()
    if values.size and not np.isfinite(values).all():
        raise ValueError(f"{name}={values.tolist()} holds a value that is not finite.")
    roots = np.roots(np.r_[-sign * values[::-1], 1.0]) if values.any() else np.zeros(0)
    if roots.size and np.abs(roots).min() <= 1:
        what = "stationary" if sign == 1 else "invertible"
        raise ValueError(f"{name}={values.tolist()} is not {what} (a root of its polynomial lies "
                         f"on or inside the unit circle); pass smaller coefficients, e.g. "
                         f"{name}=[0.5].")
    return values


def _draw_coefficients(rng, order):
    return partial_to_coefficients(rng.uniform(-MAX_PARTIAL, MAX_PARTIAL, order))


def arma_autocorrelation(ar, ma, n_lags):
    """Theoretical autocorrelations :math:`\\rho_0..\\rho_{n\\_lags}` of an ARMA process.

    From the MA(inf) weights :math:`\\psi_j`:
    :math:`\\rho_k = \\sum_j \\psi_j \\psi_{j+k} / \\sum_j \\psi_j^2`.

    Parameters
    ----------
    ar : sequence of float
        AR coefficients :math:`\\phi_1..\\phi_p`, as in :func:`arma_noise`
        (checked stationary); empty for none.
    ma : sequence of float
        MA coefficients :math:`\\theta_1..\\theta_q`, as in :func:`arma_noise`
        (checked invertible); empty for none.
    n_lags : int >= 0
        Last lag of the autocorrelations.

    Returns
    -------
    ndarray of shape (n_lags + 1,), float64
        The autocorrelations at lags 0 (always 1) to ``n_lags``, from the first
        4000 + n_lags MA(inf) weights.

    Examples
    --------
    >>> from rnnforecast.synthetic import arma_autocorrelation
    >>> arma_autocorrelation([0.5], [], 2).round(4)      # AR(1): 0.5 ** k
    array([1.  , 0.5 , 0.25])
    """
    ar = _check_polynomial(ar, "ar", 1)
    ma = _check_polynomial(ma, "ma", -1)
    n_lags = check_count(n_lags, "n_lags", minimum=0)
    impulse = np.zeros(4000 + n_lags)
    impulse[0] = 1
    psi = lfilter(np.r_[1, ma], np.r_[1, -ar], impulse)
    gamma = np.array([psi[:psi.size - k] @ psi[k:] for k in range(n_lags + 1)])
    return gamma / gamma[0]


def _volatility(rng, n_series, length, spread):
    """exp of an AR(1) log-volatility with stationary standard deviation ``spread``."""
    shocks = rng.normal(0, 1, (n_series, length + BURN_IN))
    shocks *= (spread * np.sqrt(1 - VOLATILITY_PERSISTENCE ** 2))[:, None]
    log_sd = lfilter([1], [1, -VOLATILITY_PERSISTENCE], shocks, axis=1)[:, BURN_IN:]
    return np.exp(log_sd)


def arma_noise(n_series, length, seed=None, *, ar=None, ma=None, volatility=None):
    """ARMA(p, q) noise, scaled to unit standard deviation per series.

    :math:`x_t = \\sum_i \\phi_i x_{t-i} + e_t + \\sum_j \\theta_j e_{t-j}`, with
    :math:`e_t = \\sigma_t z_t`, :math:`z_t \\sim N(0, 1)`. Homoscedastic noise
    has :math:`\\sigma_t = 1`; heteroscedastic noise has a log-volatility
    :math:`\\log \\sigma_t` following an AR(1) (coefficient 0.98) with standard
    deviation ``volatility``. Each series starts after a burn-in of 500 steps.

    Parameters
    ----------
    n_series, length : int
        Number of series (rows) and steps (columns).
    seed : int, numpy.random.Generator or None
        Source of the random draws.
    ar, ma : sequence of float, default drawn per series
        AR and MA coefficients, for every series (checked stationary and
        invertible). By default p and q are drawn from {0, 1, 2} and the
        coefficients from partial autocorrelations in U(-0.8, 0.8).
    volatility : float >= 0, default drawn per series
        Standard deviation of the log-volatility; 0 is homoscedastic. By default
        0 for 70% of the series, U(0.3, 0.8) for the others.

    Returns
    -------
    Component
        ``values`` and ``params`` (``ar``, ``ma`` as tuples, ``volatility``).

    Examples
    --------
    >>> from rnnforecast.synthetic import arma_noise
    >>> noise = arma_noise(2, 1000, seed=0, ar=[0.7], ma=[], volatility=0.0)
    >>> noise.values.std(axis=1).round(6), noise.params["ar"]
    (array([1., 1.]), [(0.7,), (0.7,)])
    """
    n_series, length, rng = check_panel(n_series, length, seed, 2)
    fixed_ar = None if ar is None else _check_polynomial(ar, "ar", 1)
    fixed_ma = None if ma is None else _check_polynomial(ma, "ma", -1)
    if volatility is None:
        spread = np.where(rng.random(n_series) < 0.3, rng.uniform(0.3, 0.8, n_series), 0.0)
    else:
        if not isinstance(volatility, numbers.Real) or not 0 <= volatility < 5:
            raise ValueError(f"volatility={volatility!r} must be a number in [0, 5); pass e.g. "
                             "volatility=0.5 (or 0 for constant variance).")
        spread = np.full(n_series, float(volatility))
    orders = rng.integers(0, 3, (n_series, 2))
    innovations = rng.normal(0, 1, (n_series, length + BURN_IN))
    innovations[:, BURN_IN:] *= _volatility(rng, n_series, length, spread)
    values = np.empty((n_series, length))
    ars, mas = [], []
    for i in range(n_series):
        phi = _draw_coefficients(rng, orders[i, 0]) if fixed_ar is None else fixed_ar
        theta = -_draw_coefficients(rng, orders[i, 1]) if fixed_ma is None else fixed_ma
        values[i] = lfilter(np.r_[1, theta], np.r_[1, -phi], innovations[i])[BURN_IN:]
        ars.append(tuple(phi.tolist()))
        mas.append(tuple(theta.tolist()))
    values /= values.std(axis=1, keepdims=True)
    return Component(values, {"ar": ars, "ma": mas, "volatility": spread.tolist()})


def random_walk(n_series, length, seed=None, *, drift=None):
    """Random walks :math:`x_t = x_{t-1} + \\mu + z_t`, :math:`z_t \\sim N(0, 1)`, from 0.

    Parameters
    ----------
    n_series, length : int
        Number of series (rows) and steps (columns).
    seed : int, numpy.random.Generator or None
        Source of the random draws.
    drift : float, default drawn from U(-0.1, 0.1) per series
        :math:`\\mu`, the mean step (in units of the step's standard deviation).

    Returns
    -------
    Component
        ``values`` and ``params`` (``drift``).

    Examples
    --------
    >>> from rnnforecast.synthetic import random_walk
    >>> walk = random_walk(3, 50, seed=0, drift=0.0)
    >>> walk.values.shape, walk.values[:, 0].tolist()
    ((3, 50), [0.0, 0.0, 0.0])
    """
    n_series, length, rng = check_panel(n_series, length, seed, 2)
    mu = (rng.uniform(-0.1, 0.1, n_series) if drift is None
          else np.full(n_series, float(drift)))
    steps = rng.normal(0, 1, (n_series, length))
    steps[:, 0] = 0
    steps[:, 1:] += mu[:, None]
    return Component(np.cumsum(steps, axis=1), {"drift": mu.tolist()})
