"""Split-conformal intervals and quantiles from backtest errors.

The forecaster stores, for every horizon step h, the signed errors
``(y - y_hat) / scale`` of forecasts made at several past origins by a model
that had not seen what followed them, each divided by the scale of its origin
window (see :class:`.scaling.WindowScaler`). Dividing by the window's scale
lets the width follow the level of the series. Every bound here is an order
statistic of the n errors at a step, chosen by the finite-sample
split-conformal rule (Vovk et al. 2005; Lei et al. 2018): if a new error is
exchangeable with the n recorded ones (a stationary error process at nearby
origins satisfies this approximately), it falls below the k-th smallest with
probability k / (n + 1) (ties aside).

- Quantile ``q > 0.5``: the ``ceil((n + 1) q)``-th smallest signed error, so
  ``P(error <= bound) >= q``; ``+inf`` when that rank exceeds n
  (``q > n / (n + 1)``).
- Quantile ``q < 0.5``: the ``floor((n + 1) q)``-th smallest, so
  ``P(error < bound) <= q``; ``-inf`` when that rank is 0 (``q < 1 / (n + 1)``).
  The two rules mirror each other: negating the errors maps one onto the
  other.
- Quantile ``0.5``: the sample median (NaN without errors).
- Interval of coverage c: the ``(1 - c) / 2`` and ``(1 + c) / 2`` quantiles,
  each tail missed with probability at most ``(1 - c) / 2``, so it holds the
  truth with probability at least c. Both bounds are finite from
  ``n >= (1 + c) / (1 - c)`` errors (19 for 90%, 199 for 99%).
- Symmetric interval of coverage c: plus or minus the ``ceil((n + 1) c)``-th
  smallest absolute error, finite from ``n >= c / (1 - c)`` errors (9 for
  90%); the same guarantee, but one width for both tails.

``(n + 1) q`` is rounded to 9 decimals before ``ceil`` or ``floor``, so that
``(1 - 0.8) / 2 = 0.09999999999999998`` ranks as 0.1.
"""

import math
import warnings
from numbers import Real

import numpy as np

__all__ = [
    "check_coverage",
    "check_coverages",
    "check_quantiles",
    "conformal_quantiles",
    "conformal_radius",
    "errors_needed",
    "interval_names",
    "interval_offsets",
    "interval_quantiles",
    "quantile_names",
    "warn_unsupported_bounds",
]


def conformal_quantiles(errors, quantiles):
    """Per-step conformal quantiles, in window-scale units, of signed errors.

    Parameters
    ----------
    errors : ndarray of shape (n_origins, horizon)
        ``(y - y_hat) / scale`` at each calibration origin and step; NaN
        where the true value was missing.
    quantiles : sequence of float in (0, 1)

    Returns
    -------
    offsets : ndarray of shape (len(quantiles), horizon)
        What to add to the forecast (times the scale of the current window)
        for each quantile at each step: the order statistic of the module's
        rule, ``-inf`` / ``+inf`` for a quantile the errors of a step cannot
        support, NaN for the median of a step without errors.
    """
    offsets = np.empty((len(quantiles), errors.shape[1]))
    for step in range(errors.shape[1]):
        observed = np.sort(errors[~np.isnan(errors[:, step]), step])
        offsets[:, step] = [_order_statistic(observed, q) for q in quantiles]
    return offsets


def conformal_radius(scores, coverage):
    """Per-step half-width, in window-scale units, of a symmetric interval.

    Parameters
    ----------
    scores : ndarray of shape (n_origins, horizon)
        ``|y - y_hat| / scale`` at each calibration origin and step; NaN where
        the true value was missing.
    coverage : float in (0, 1)

    Returns
    -------
    radius : ndarray of shape (horizon,)
        The ``ceil((n + 1) coverage)``-th smallest score; ``inf`` for a step
        with fewer scores than that rank.
    """
    radius = np.empty(scores.shape[1])
    for step in range(scores.shape[1]):
        observed = np.sort(scores[~np.isnan(scores[:, step]), step])
        radius[step] = _upper_order_statistic(observed, coverage)
    return radius


def interval_offsets(errors, scores, coverage, symmetric=True):
    """Per-step offsets, in window-scale units, of an interval's two bounds.

    Parameters
    ----------
    errors, scores : ndarray of shape (n_origins, horizon)
        The signed backtest errors and their absolute values; NaN where
        the true value was missing.
    coverage : float in (0, 1)
    symmetric : bool, default=True
        True: plus or minus :func:`conformal_radius` of the scores. False:
        the :func:`conformal_quantiles` ``(1 - c) / 2`` and ``(1 + c) / 2``
        of the errors.

    Returns
    -------
    offsets : ndarray of shape (2, horizon)
        Lower then upper.
    """
    if symmetric:
        radius = conformal_radius(scores, coverage)
        return np.stack([-radius, radius])
    return conformal_quantiles(errors, interval_quantiles(coverage))


def warn_unsupported_bounds(offsets, errors, request, caller, stacklevel):
    """Warn when an offset is infinite or NaN: steps whose ``n`` errors
    cannot support what was asked (an infinite bound, or no median).

    Parameters
    ----------
    offsets : ndarray of shape (k, horizon)
        From :func:`conformal_quantiles` or :func:`conformal_radius`.
    errors : ndarray of shape (n_origins, horizon)
        The errors (or scores) they came from; NaN where missing.
    request : str
        What was asked, as arguments, e.g. ``"coverage=0.9"``.
    caller : str
        The method the user called, named in the message.
    stacklevel : int
        Of the warning, counted from this function's caller.
    """
    unsupported = ~np.isfinite(offsets).all(axis=0)
    if not unsupported.any():
        return
    counts = (~np.isnan(errors)).sum(axis=0)
    n = int(counts[unsupported].min())
    steps = np.flatnonzero(unsupported) + 1
    shown = ", ".join(map(str, steps[:5])) + (", ..." if len(steps) > 5 else "")
    if n:
        supported = (f"{n} errors support quantiles from {1 / (n + 1):.3g} to {n / (n + 1):.3g} "
                     f"and coverage up to {n / (n + 1):.3g} (symmetric) or "
                     f"{(n - 1) / (n + 1):.3g} (symmetric=False)")
    else:
        supported = "without errors there is nothing to calibrate on"
    warnings.warn(
        f"RNNForecaster.{caller}({request}): the {n} backtest errors recorded at "
        f"step{'s' if len(steps) > 1 else ''} {shown} (of {errors.shape[1]}) are too few, so "
        f"the bounds there are infinite (NaN for a median without errors): {supported}. "
        "For more errors, fit on a longer series or with a larger n_calibration.",
        UserWarning, stacklevel=stacklevel + 1)


def errors_needed(coverage, symmetric=False):
    """Fewest errors per step that give finite bounds of ``coverage`` c:
    ``(1 + c) / (1 - c)``, or ``c / (1 - c)`` for a symmetric interval."""
    return math.ceil(round((coverage if symmetric else 1 + coverage) / (1 - coverage), 9))


def interval_quantiles(coverage):
    """The quantiles ``((1 - c) / 2, (1 + c) / 2)`` that bound an interval of
    coverage ``c``."""
    return (1 - coverage) / 2, (1 + coverage) / 2


def quantile_names(quantiles):
    """Column names ``"q0.05"``, ... (the shortest repr of each float)."""
    return [f"q{float(q)!r}" for q in quantiles]


def check_quantiles(quantiles):
    """``quantiles`` (one float or a sequence) as a tuple of floats; a
    ValueError naming the first one not strictly between 0 and 1, and for an
    empty sequence or a quantile given twice."""
    return _check_probabilities(quantiles, "quantiles", "(0.05, 0.5, 0.95)")


def check_coverage(coverage):
    """A ValueError unless ``coverage`` is a float strictly between 0 and 1."""
    if not _is_probability(coverage):
        raise ValueError(
            f"coverage must be a float strictly between 0 and 1, e.g. 0.9; got {coverage!r}."
        )


def check_coverages(coverage):
    """``coverage`` (one float or a sequence of them) as a tuple of floats;
    the ValueError of :func:`check_quantiles`, for coverages."""
    if isinstance(coverage, (str, bytes)) or not np.iterable(coverage):
        check_coverage(coverage)
    return _check_probabilities(coverage, "coverage", "[0.8, 0.95]")


def interval_names(coverage):
    """The bound columns of an interval of ``coverage``: ``("lower_0.8",
    "upper_0.8")`` (the shortest repr of the float)."""
    return f"lower_{float(coverage)!r}", f"upper_{float(coverage)!r}"


def _check_probabilities(values, name, example):
    """``values`` (one float or a sequence) as a tuple of floats in (0, 1),
    each once; the ValueError names the argument ``name`` and shows
    ``example``."""
    if _is_probability(values):
        return (float(values),)
    if isinstance(values, (str, bytes)) or not np.iterable(values):
        values = [values]
    values = list(values)
    if not values:
        raise ValueError(f"{name} is empty; pass floats in (0, 1), e.g. {example}.")
    for value in values:
        if not _is_probability(value):
            raise ValueError(
                f"{name} must be floats strictly between 0 and 1, e.g. {example}; "
                f"got {value!r}."
            )
    values = tuple(float(value) for value in values)
    repeated = sorted({value for value in values if values.count(value) > 1})
    if repeated:
        raise ValueError(f"{name} holds {repeated[0]!r} more than once; pass each once.")
    return values


def _is_probability(value):
    return (not isinstance(value, (bool, np.bool_)) and isinstance(value, Real)
            and 0 < value < 1)


def _order_statistic(observed, q):
    """The conformal ``q``-quantile of the sorted errors ``observed``."""
    if q > 0.5:
        return _upper_order_statistic(observed, q)
    if q < 0.5:
        rank = math.floor(round((len(observed) + 1) * q, 9))
        return observed[rank - 1] if rank >= 1 else -np.inf
    return np.median(observed) if len(observed) else np.nan


def _upper_order_statistic(observed, q):
    """The ``ceil((n + 1) q)``-th smallest of the sorted ``observed``; inf
    beyond n."""
    rank = math.ceil(round((len(observed) + 1) * q, 9))
    return observed[rank - 1] if rank <= len(observed) else np.inf
