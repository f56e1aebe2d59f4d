"""Squared-error loss with optional per-sample weights, and the L2 penalty."""

import numpy as np


def squared_error(y_pred, y_true, sample_weight=None):
    """Half the (weighted) mean squared error and its gradient.

    L = 1 / (2 O sum(w)) * sum_b w_b sum_o (y_pred[o, b] - y_true[o, b])**2

    Parameters
    ----------
    y_pred, y_true : ndarray of shape (O, B)
    sample_weight : ndarray of shape (B,) or None

    Returns
    -------
    loss : float
    d_pred : ndarray of shape (O, B)
        dL/dy_pred.
    """
    n_outputs, n_samples = y_pred.shape
    residual = y_pred - y_true
    if sample_weight is None:
        scale = 1.0 / (n_outputs * n_samples)
        loss = 0.5 * scale * float(np.vdot(residual, residual))
        residual *= scale
        return loss, residual
    scale = 1.0 / (n_outputs * float(np.sum(sample_weight)))
    weighted = residual * (scale * sample_weight)
    loss = 0.5 * float(np.vdot(weighted, residual))
    return loss, weighted


def l2_penalty(params, weight_mask, alpha, n_samples, grad=None):
    """alpha / (2 n) * ||W||^2 over the weights (entries where ``weight_mask``
    is 1, not the biases), as in scikit-learn's MLP; adds its gradient to
    ``grad`` when given."""
    if alpha == 0:
        return 0.0
    scale = alpha / n_samples
    masked = params * weight_mask
    if grad is not None:
        grad += scale * masked
    return 0.5 * scale * float(np.vdot(masked, params))
