"""Quasi-cycles: AR(2) processes whose cycle has no calendar period and wanders.

Sunspots (about 11 years, from 9 to 14), the Canadian lynx trappings (about 10
years; an AR(2) on the log scale in every textbook) and business cycles repeat
without a fixed period and with an amplitude that changes from cycle to cycle.
An AR(2) process

.. math:: x_t = 2 r \\cos(2\\pi / P)\\, x_{t-1} - r^2 x_{t-2} + z_t,
          \\quad z_t \\sim N(0, 1),

has complex roots of modulus r < 1 and argument :math:`2\\pi / P`: its
autocorrelation is a cosine of period P damped by :math:`r^k`, so it cycles with
a period near P that drifts, more regularly the closer r is to 1. A share of the
series is exponentiated, :math:`\\exp(c\\, x_t / \\mathrm{sd}(x))`: above 0 and
skewed, with sharp peaks and flat troughs, as sunspots and lynx are.
"""

import numpy as np

from ._arguments import Component, check_panel, check_share, draw_or_fill

__all__ = ["quasi_cycle"]

# Default ranges: the period P in steps (log-uniform), the modulus r, and the
# skew c of the exponentiated series.
PERIODS = (4.0, 60.0)
MODULI = (0.85, 0.99)
SKEWS = (0.3, 1.0)
BURN_IN = 200


def quasi_cycle(n_series, length, seed=None, *, period=None, modulus=None, skewed_share=0.5):
    """AR(2) quasi-cycles, standardised, a share of them exponentiated.

    Parameters
    ----------
    n_series, length : int
        Number of series (rows) and steps (columns).
    seed : int, numpy.random.Generator or None
        Source of the random draws.
    period : float > 2, default drawn log-uniformly in [4, 60] per series
        P, the period of the roots, in steps.
    modulus : float in (0, 1), default drawn from U(0.85, 0.99) per series
        The roots' modulus r: near 1, long regular cycles; lower, cycles
        that fade and restart.
    skewed_share : float in [0, 1], default 0.5
        Share of the series exponentiated (``exp(c x)``, c drawn from
        U(0.3, 1), x standardised), so above 0 and skewed.

    Returns
    -------
    Component
        ``values`` of shape (n_series, length), each series with mean 0 and
        standard deviation 1 before the exponentiation, and ``params``
        (``cycle_period``: P, ``modulus``, ``skew``: c, or 0 for a series left
        as it is). Not ``period``, which :func:`.generate`'s metadata keeps for
        a seasonal period.

    Examples
    --------
    >>> from rnnforecast.synthetic import quasi_cycle
    >>> cycles = quasi_cycle(2, 300, seed=0, period=11.0, modulus=0.95, skewed_share=0.0)
    >>> cycles.values.shape, [round(float(s), 6) for s in cycles.values.std(axis=1)]
    ((2, 300), [1.0, 1.0])
    """
    n_series, length, rng = check_panel(n_series, length, seed, 4)
    skewed_share = check_share(skewed_share, "skewed_share", upper=1.0 + 1e-12)
    P = draw_or_fill(period, n_series, lambda n: np.exp(rng.uniform(*np.log(PERIODS), n)))
    r = draw_or_fill(modulus, n_series, lambda n: rng.uniform(*MODULI, n))
    if not (np.all(P > 2) and np.all((r > 0) & (r < 1))):
        raise ValueError(f"period={period!r} and modulus={modulus!r} must be > 2 and in "
                         "(0, 1); pass e.g. period=11.0, modulus=0.95.")
    a1, a2 = 2 * r * np.cos(2 * np.pi / P), -r ** 2
    shocks = rng.normal(0, 1, (n_series, length + BURN_IN))
    x = np.zeros_like(shocks)
    for t in range(2, shocks.shape[1]):
        x[:, t] = a1 * x[:, t - 1] + a2 * x[:, t - 2] + shocks[:, t]
    x = x[:, BURN_IN:]
    x = (x - x.mean(axis=1, keepdims=True)) / x.std(axis=1, keepdims=True)
    skew = np.where(rng.random(n_series) < skewed_share, rng.uniform(*SKEWS, n_series), 0.0)
    values = np.where(skew[:, None] > 0, np.exp(skew[:, None] * x), x)
    return Component(values, {"cycle_period": P.tolist(), "modulus": r.tolist(),
                              "skew": skew.tolist()})
