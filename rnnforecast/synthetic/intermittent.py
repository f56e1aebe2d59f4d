"""Intermittent, count-like demand: many zeros, positive integer sizes.

Croston's model: a demand occurs at each step with probability :math:`1 - \\pi`
(so the gaps between demands are geometric), and its size is
:math:`1 + N`, :math:`N` negative binomial with mean :math:`m - 1` and
dispersion :math:`k` (variance :math:`\\mu + \\mu^2 / k`: small k, lumpy demand).
"""

import numpy as np

from ._arguments import Component, check_panel, check_positive, check_share

__all__ = ["intermittent_demand"]


def intermittent_demand(n_series, length, seed=None, *, zero_share=None, mean_size=None,
                        dispersion=None):
    """Count series with many zeros, as in spare-part or retail demand.

    Parameters
    ----------
    n_series, length : int
        Number of series (rows) and steps (columns).
    seed : int, numpy.random.Generator or None
        Source of the random draws.
    zero_share : float in [0, 1), default drawn from U(0.3, 0.95) per series
        :math:`\\pi`, the probability of no demand at a step.
    mean_size : float >= 1, default drawn log-uniformly in [1, 20] per series
        :math:`m`, the mean size of a demand when there is one.
    dispersion : float > 0, default drawn log-uniformly in [0.5, 10] per series
        :math:`k` of the negative binomial part of the size.

    Returns
    -------
    Component
        ``values`` (non-negative integers, as float64) and ``params``
        (``zero_share``, ``mean_size``, ``dispersion``).

    Examples
    --------
    >>> from rnnforecast.synthetic import intermittent_demand
    >>> demand = intermittent_demand(100, 400, seed=0, zero_share=0.8)
    >>> round(float((demand.values == 0).mean()), 2), bool((demand.values >= 0).all())
    (0.8, True)
    """
    n_series, length, rng = check_panel(n_series, length, seed, 2)
    zeros = (rng.uniform(0.3, 0.95, n_series) if zero_share is None
             else np.full(n_series, check_share(zero_share, "zero_share")))
    if mean_size is not None and not check_positive(mean_size, "mean_size") >= 1:
        raise ValueError(f"mean_size={mean_size} is below 1; a demand is at least 1, so pass "
                         "mean_size >= 1.")
    size = (np.exp(rng.uniform(0, np.log(20), n_series)) if mean_size is None
            else np.full(n_series, float(mean_size)))
    k = (np.exp(rng.uniform(np.log(0.5), np.log(10), n_series)) if dispersion is None
         else np.full(n_series, check_positive(dispersion, "dispersion")))
    occurs = rng.random((n_series, length)) >= zeros[:, None]
    # numpy's negative_binomial(k, p) has mean k (1 - p) / p: p = k / (k + mean)
    extra = rng.negative_binomial(k[:, None], (k / (k + size - 1))[:, None], (n_series, length))
    values = np.where(occurs, 1.0 + extra, 0.0)
    return Component(values, {"zero_share": zeros.tolist(), "mean_size": size.tolist(),
                              "dispersion": k.tolist()})
