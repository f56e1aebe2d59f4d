"""From the network's outputs to a forecast in scales: a weighted mix of the
candidate baselines (:mod:`.baselines`) plus a residual, floored at 0 for
series that never went negative; and the gradient back to the outputs.

With K baselines B_k(h) the head has H + 2K outputs: residuals r(h) and, per
baseline, an intercept a_k and a slope b_k of its logit along the horizon,

    u(h)    = h / (H - 1)                        (0 at the first step, 1 at the last)
    w_k(h)  = softmax_k(a_k + b_k u(h))
    p(h)    = sum_k w_k(h) B_k(h) + r(h)
    f(h)    = max(p(h), floor)                   floor = -level / scale, or -inf

so the weights may move from the last value at short horizons towards a
seasonal or long-run level further out. With one baseline there are only the
H residuals (the first version). Gradients:

    dL/dr(h)   = dL/df(h) [p(h) > floor]
    dL/da_k    = sum_h dL/dr(h) w_k(h) (B_k(h) - sum_j w_j(h) B_j(h))
    dL/db_k    = the same sum with each term times u(h)

Imports NumPy only.
"""

from typing import NamedTuple

import numpy as np

__all__ = ["HeadCache", "n_head_outputs", "mix", "mix_backward"]


def n_head_outputs(horizon, n_baselines):
    """Outputs of the network's head: residuals and, for K > 1, 2K logit
    coefficients."""
    return horizon + (2 * n_baselines if n_baselines > 1 else 0)


class HeadCache(NamedTuple):
    """What :func:`mix_backward` needs from :func:`mix`.

    Attributes
    ----------
    weights : ndarray of shape (K, H, n), or None for K = 1
    centred : ndarray of shape (K, H, n), or None
        B_k(h) - sum_j w_j(h) B_j(h).
    active : ndarray of bool, shape (H, n)
        False where the floor cut the forecast.
    u : ndarray of shape (H,)
    """

    weights: np.ndarray
    centred: np.ndarray
    active: np.ndarray
    u: np.ndarray


def mix(out, baselines, floor=None):
    """The forecast in scales from the head's outputs.

    Parameters
    ----------
    out : ndarray of shape (O, n)
        The network's outputs, O = n_head_outputs(H, K).
    baselines : ndarray of shape (n, K, H)
    floor : ndarray of shape (n,), optional
        Lowest forecast per row (-inf: none).

    Returns
    -------
    forecast : ndarray of shape (H, n)
    cache : HeadCache
    """
    n, K, H = baselines.shape
    B = baselines.transpose(1, 2, 0).astype(out.dtype, copy=False)  # (K, H, n)
    u = np.linspace(0.0, 1.0, H) if H > 1 else np.zeros(1)
    u = u.astype(out.dtype)
    residual = out[:H]
    if K == 1:
        weights = centred = None
        pred = B[0] + residual
    else:
        a, b = out[H:H + K], out[H + K:H + 2 * K]
        logits = a[:, None, :] + b[:, None, :] * u[None, :, None]
        logits = logits - logits.max(axis=0, keepdims=True)
        weights = np.exp(logits)
        weights /= weights.sum(axis=0, keepdims=True)
        mixed = np.sum(weights * B, axis=0)
        centred = B - mixed[None]
        pred = mixed + residual
    if floor is None:
        return pred, HeadCache(weights, centred, np.ones(pred.shape, bool), u)
    floor = floor.astype(out.dtype)[None, :]
    active = pred > floor
    return np.where(active, pred, floor), HeadCache(weights, centred, active, u)


def mix_backward(d_forecast, cache):
    """dL/d(out) from dL/d(forecast), shape (O, n)."""
    d_pred = np.where(cache.active, d_forecast, 0).astype(d_forecast.dtype)
    if cache.weights is None:
        return d_pred
    d_logits = cache.weights * cache.centred * d_pred[None]  # (K, H, n)
    d_a = d_logits.sum(axis=1)
    d_b = np.einsum("khn,h->kn", d_logits, cache.u)
    return np.concatenate([d_pred, d_a, d_b]).astype(d_forecast.dtype)
