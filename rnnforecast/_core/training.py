"""One epoch of mini-batch training: forward, loss, BPTT, penalty, clipping,
update. The estimator decides how many epochs to run and when to stop.

A batch's loss and gradient come from one function, :func:`batch_gradient`
by default; :func:`train_epoch` takes any function with its signature, so
that the gradient of a batch may be computed elsewhere (the estimator's
``n_jobs`` splits the batch's columns over processes) while the penalty,
clipping and update stay here.
"""

import numpy as np

from .losses import l2_penalty, squared_error
from .optimizers import clip_global_norm, global_norm


class EpochStats:
    """What one epoch measured.

    Attributes
    ----------
    loss : float
        Mean training loss over the samples seen (penalty included).
    grad_norm_mean, grad_norm_max : float
        Global gradient norm before clipping, over the updates.
    n_updates, n_clipped : int
        Updates made, and how many of them were clipped.
    diverged : bool
        A batch gave a non-finite loss or gradient (the epoch stopped before
        applying it), or an update left non-finite parameters.
    """

    def __init__(self):
        self.loss = 0.0
        self.grad_norm_mean = 0.0
        self.grad_norm_max = 0.0
        self.n_updates = 0
        self.n_clipped = 0
        self.diverged = False
        self._total_loss = 0.0
        self._total_norm = 0.0
        self._n_seen = 0

    def record(self, loss, n_samples, norm, clipped):
        """Count one applied update of a batch of ``n_samples`` samples (or
        of that total sample weight)."""
        self._total_loss += loss * n_samples
        self._total_norm += norm
        self._n_seen += n_samples
        self.n_updates += 1
        self.n_clipped += clipped
        self.grad_norm_max = max(self.grad_norm_max, norm)

    def finish(self, network):
        """Close the epoch: means over its updates, and ``diverged`` if an
        update left non-finite parameters."""
        if not self.diverged and not np.isfinite(network.params).all():
            self.diverged = True
        if self._n_seen:
            self.loss = self._total_loss / self._n_seen
            self.grad_norm_mean = self._total_norm / self.n_updates
        return self


def apply_update(network, optimizer, loss, n_samples, stats, *, alpha, clip_norm,
                 weight=None):
    """Penalise, clip and apply the gradient in ``network.grads``.

    ``loss`` is the batch's mean loss over ``n_samples`` targets. Adds the
    L2 penalty to the loss and gradient, measures the global norm, and,
    unless either is non-finite (then ``stats.diverged`` is set and nothing
    is applied), clips and takes an optimiser step. Returns whether the
    update was applied. The epoch's mean loss counts the batch as
    ``n_samples``, or as its total sample ``weight`` when given.
    """
    loss += l2_penalty(network.params, network.weight_mask, alpha, n_samples, network.grads)
    norm = global_norm(network.grads)
    if not (np.isfinite(loss) and np.isfinite(norm)):
        stats.diverged = True
        return False
    _, clipped = clip_global_norm(network.grads, clip_norm, norm)
    optimizer.update(network.params, network.grads)
    stats.record(loss, n_samples if weight is None else weight, norm, clipped)
    return True


def minibatches(n_samples, batch_size, rng=None):
    """Index arrays of consecutive (or, with ``rng``, shuffled) batches."""
    order = np.arange(n_samples) if rng is None else rng.permutation(n_samples)
    return [order[i:i + batch_size] for i in range(0, n_samples, batch_size)]


def batch_gradient(network, X, missing, Y, sample_weight=None, bptt_steps=None):
    """The loss of one batch, and its gradient into ``network.grads``.

    Parameters
    ----------
    network : RecurrentNetwork
    X : ndarray of shape (T, F, B)
        Inputs, missing steps zero-filled.
    missing : ndarray of bool, shape (T, B), or None
    Y : ndarray of shape (O, B)
        Targets.
    sample_weight : ndarray of shape (B,) or None
    bptt_steps : int or None
        Truncated BPTT length; None for full BPTT.

    Returns
    -------
    loss : float
        Half the (weighted) mean squared error of the batch (see
        :func:`.losses.squared_error`), without the penalty.
    """
    y_pred = network.forward(X, missing)
    loss, d_out = squared_error(y_pred, Y, sample_weight)
    network.backward(d_out, bptt_steps)
    return loss


def train_epoch(network, optimizer, data, batches, *, alpha=0.0, clip_norm=None,
                bptt_steps=None, sample_weight=None, gradient=batch_gradient):
    """Run one pass of mini-batch training over ``batches``.

    Parameters
    ----------
    network : RecurrentNetwork
    optimizer : SGD or Adam
    data : batch source
        :class:`.batches.ArrayBatches` or any object with its ``take``
        (see :mod:`.batches`).
    batches : list of index arrays
    alpha : float
        L2 penalty on the weight matrices.
    clip_norm : float or None
        Global-norm clipping threshold.
    bptt_steps : int or None
        Truncated BPTT length; None for full BPTT.
    sample_weight : ndarray of shape (N,) or None
        Weights of the samples of ``data``. A batch whose weights sum to
        zero has no mean loss and is skipped.
    gradient : callable
        Computes a batch's loss and gradient, with the signature of
        :func:`batch_gradient` (which is the default).

    Returns
    -------
    EpochStats
    """
    stats = EpochStats()
    for idx in batches:
        w = None if sample_weight is None else sample_weight[idx]
        weight = None if w is None else float(np.sum(w))
        if weight == 0:
            continue
        X, missing, Y = data.take(idx, network.dtype)
        loss = gradient(network, X, missing, Y, w, bptt_steps)
        if not apply_update(network, optimizer, loss, len(idx), stats,
                            alpha=alpha, clip_norm=clip_norm, weight=weight):
            break
    return stats.finish(network)
