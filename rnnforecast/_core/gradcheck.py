"""Numerical gradients for checking backpropagation (used by the tests)."""

import numpy as np


def numerical_gradient(loss_fn, params, eps=1e-6):
    """Central differences of ``loss_fn()`` w.r.t. every entry of ``params``.

    ``loss_fn`` reads ``params`` (a flat float64 array, perturbed in place and
    restored).
    """
    grad = np.zeros_like(params)
    for i in range(params.size):
        old = params[i]
        params[i] = old + eps
        plus = loss_fn()
        params[i] = old - eps
        minus = loss_fn()
        params[i] = old
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def relative_error(analytic, numeric):
    """||a - n|| / max(||a|| + ||n||, tiny): 0 when equal, 1 when unrelated."""
    denom = max(np.linalg.norm(analytic) + np.linalg.norm(numeric), 1e-300)
    return float(np.linalg.norm(analytic - numeric) / denom)


def check_gradients(network, loss_fn, analytic, eps=1e-6):
    """Relative error per named parameter between ``analytic`` (flat, laid
    out like ``network.params``) and central differences of ``loss_fn``.

    Returns a dict name -> relative error.
    """
    numeric = numerical_gradient(loss_fn, network.params, eps)
    numeric_views = network._views(numeric)
    analytic_views = network._views(analytic)
    return {name: relative_error(analytic_views[name], numeric_views[name])
            for name in analytic_views}
