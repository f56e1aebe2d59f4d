"""Sequence training: a loss at every step, truncated BPTT over a long series.

As in recurrent language models, a long series of inputs ``(T_total, F)``
and targets ``(T_total, O)`` is split into ``B`` contiguous segments read
side by side as ``B`` parallel streams, and each stream is cut into
consecutive chunks of ``k`` steps. A chunk runs forward from the state the
previous chunk ended in (held constant: the gradient stops at the chunk
boundary), the head maps every step's top hidden state to an output, and the
loss averages the squared error over all steps. One epoch is one pass over
the series, O(T_total) time and no memory beyond the series and one chunk.

Layouts: a chunk's hidden states are ``(k, H, B)`` (see :mod:`.recurrent`);
the head works on them stacked as ``(H, k * B)`` with column ``t * B + b``,
so outputs and targets are ``(O, k, B)``.
"""

import numpy as np

from .time_major import zero_fill_missing
from .training import EpochStats, apply_update


def step_outputs(network):
    """The head on every step of the last forward.

    Parameters
    ----------
    network : RecurrentNetwork

    Returns
    -------
    y : ndarray of shape (O, T, B)
        ``y_t = W_hy h_t + b_y`` for every step t, from one matmul over the
        stacked steps.
    hidden : ndarray of shape (H, T * B)
        The stacked top hidden states (what :func:`step_backward` needs).
    """
    h = network.hidden_sequence()
    T, H, B = h.shape
    hidden = np.ascontiguousarray(h.transpose(1, 0, 2)).reshape(H, T * B)
    y = network.W_hy @ hidden
    y += network.b_y[:, None]
    return y.reshape(-1, T, B), hidden


def step_loss(y_pred, y_true):
    """Half the mean squared error over the finite targets, and its gradient.

    L = 1 / (2 n) * sum over finite y_true of (y_pred - y_true)**2, with n
    the number of finite targets (NaN marks a target to skip).

    Parameters
    ----------
    y_pred, y_true : ndarray of shape (O, T, B)

    Returns
    -------
    loss : float
    d_pred : ndarray of shape (O, T, B)
        dL/dy_pred (0 where the target is NaN).
    n : int
        Number of finite targets.
    """
    residual = y_pred - y_true
    known = np.isfinite(residual)
    n = int(known.sum())
    if n == 0:
        return 0.0, np.zeros_like(residual), 0
    np.copyto(residual, 0, where=~known)
    residual *= 1.0 / n
    loss = 0.5 * n * float(np.vdot(residual, residual))
    return loss, residual, n


def step_backward(network, d_pred, hidden):
    """Gradients of a loss on every step's output into ``network.grads``.

    Parameters
    ----------
    network : RecurrentNetwork
        After the forward that produced ``hidden``.
    d_pred : ndarray of shape (O, T, B)
        dL/dy_t for every step.
    hidden : ndarray of shape (H, T * B)
        From :func:`step_outputs`.

    Returns
    -------
    grads : ndarray
        The flat gradient; the state the chunk started from is a constant.
    """
    O, T, B = d_pred.shape
    d_flat = d_pred.reshape(O, T * B)
    d_hidden = (network.W_hy.T @ d_flat).reshape(-1, T, B).transpose(1, 0, 2)
    network.backward(None, d_hidden=np.ascontiguousarray(d_hidden))
    np.matmul(d_flat, hidden.T, out=network.dW_hy)
    np.sum(d_flat, axis=1, out=network.db_y)
    return network.grads


def stream_view(series, n_streams):
    """``series`` (T_total, D) as ``n_streams`` contiguous segments side by
    side, shape (L, D, n_streams) with L = T_total // n_streams: a strided
    view, no copy. The first T_total - n_streams * L steps are left out, so
    the segments end with the series."""
    T_total, D = series.shape
    L = T_total // n_streams
    if L == 0:
        raise ValueError(f"n_streams={n_streams} is more than the series' {T_total} steps")
    tail = series[T_total - n_streams * L:]
    return tail.reshape(n_streams, L, D).transpose(1, 2, 0)


def stream_rows(n_rows, n_streams, start=0, stop=None):
    """Row numbers of the steps ``start .. stop - 1`` of :func:`stream_view`'s
    layout, shape (stop - start, n_streams) (stop None: L)."""
    L = n_rows // n_streams
    if L == 0:
        raise ValueError(f"n_streams={n_streams} is more than the series' {n_rows} steps")
    stop = L if stop is None else stop
    return (n_rows - n_streams * L) + np.arange(start, stop)[:, None] + L * np.arange(n_streams)


class FutureTargets:
    """The targets ``Y[t, h] = series[t + 1 + h] - level[t]`` of a long series,
    built chunk by chunk: ``FutureTargets(series, horizon)[rows]`` equals
    indexing the (T_total, horizon) matrix, which is never built (it would
    hold ``horizon`` times the series).

    Parameters
    ----------
    series : ndarray of shape (T_total,)
        NaN marks a missing value; a target beyond the end is NaN.
    horizon : int
    level : ndarray of shape (T_total,) or None
        Subtracted from every target of row t (None: 0).
    """

    def __init__(self, series, horizon, level=None, _start=0, _n_rows=None):
        self.series = series
        self.horizon = horizon
        self.level = level
        self._start = _start
        n_rows = len(series) - _start if _n_rows is None else _n_rows
        self.shape = (n_rows, horizon)

    def __len__(self):
        return self.shape[0]

    def __getitem__(self, rows):
        """``rows``: an integer array (any shape; result shape + (horizon,)),
        or a slice without step (the targets of those rows, as an object of
        this class: the future after the slice is still read)."""
        if isinstance(rows, slice):
            start, stop, step = rows.indices(len(self))
            if step != 1:
                raise ValueError(f"FutureTargets takes slices without step; got step={step}")
            return FutureTargets(self.series, self.horizon, self.level,
                                 self._start + start, max(stop - start, 0))
        rows = np.asarray(rows) + self._start
        ahead = rows[..., None] + np.arange(1, self.horizon + 1)
        inside = ahead < len(self.series)
        out = np.where(inside, self.series[np.minimum(ahead, len(self.series) - 1)], np.nan)
        if self.level is not None:
            out -= self.level[rows][..., None]
        return out


def chunk_inputs(X_chunk, dtype):
    """Inputs of one chunk (k, F, B) as the network takes them: a copy in
    ``dtype`` with steps holding any NaN zero-filled, and their mask (or
    None)."""
    return zero_fill_missing(np.array(X_chunk, dtype=dtype, order="C"))


def sequence_epoch(network, optimizer, X, Y, *, n_streams, bptt_steps, alpha=0.0,
                   clip_norm=None, initial_state=None, reset_state=False):
    """One pass of truncated-BPTT training over a long series.

    Parameters
    ----------
    network : RecurrentNetwork
    optimizer : SGD or Adam
    X : ndarray of shape (T_total, F)
        Inputs, oldest first; a step holding any NaN is missing (every
        layer's state carries over it). Read in place.
    Y : ndarray of shape (T_total, O), or FutureTargets
        Target of every step; NaN entries do not count in the loss. Only
        the rows of the current chunk are read (``Y[rows]``).
    n_streams : int
        Contiguous segments trained side by side (the batch).
    bptt_steps : int
        Steps per chunk: the gradient of each chunk's loss flows back over
        at most this many steps.
    alpha : float
        L2 penalty on the weights, scaled by the chunk's count of targets.
    clip_norm : float or None
        Global-norm clipping threshold.
    initial_state : list of tuples of (H, n_streams) arrays, or None
        State before the first chunk (zeros when None).
    reset_state : bool
        Start every chunk from zeros instead of the previous chunk's final
        state (an ablation: what carrying the state is worth).

    Returns
    -------
    stats : EpochStats
        ``loss`` is the mean per-target loss over the epoch (penalty
        included), ``diverged`` as in :func:`.training.train_epoch`.
    """
    Xs = stream_view(X, n_streams)
    L = Xs.shape[0]
    stats = EpochStats()
    state = initial_state
    for start in range(0, L, bptt_steps):
        stop = min(start + bptt_steps, L)
        Xc, missing = chunk_inputs(Xs[start:stop], network.dtype)
        network.forward(Xc, missing, initial_state=None if reset_state else state)
        state = network.final_state()
        y_pred, hidden = step_outputs(network)
        rows = stream_rows(len(X), n_streams, start, stop)
        y_true = Y[rows].transpose(2, 0, 1).astype(network.dtype, copy=False)
        loss, d_pred, n = step_loss(y_pred, y_true)
        if n == 0:
            continue
        step_backward(network, d_pred, hidden)
        if not apply_update(network, optimizer, loss, n, stats,
                            alpha=alpha, clip_norm=clip_norm):
            break
    return stats.finish(network)


def run_sequence(network, X, initial_state=None, chunk_steps=1024, outputs=True):
    """Run the network over one series; the head's output at every step.

    Parameters
    ----------
    network : RecurrentNetwork
    X : ndarray of shape (T, F)
        Inputs, NaN marking missing steps.
    initial_state : list of tuples of (H, 1) arrays, or None
    chunk_steps : int
        Steps per forward call (memory is O(chunk_steps), not O(T)).
    outputs : bool
        False: skip the head, return None for ``y``.

    Returns
    -------
    y : ndarray of shape (T, O), or None
        Output after every step.
    state : list of tuples of (H, 1) arrays
        State after the last step (``initial_state`` when T is 0).
    """
    T = X.shape[0]
    y = np.empty((T, network.n_outputs), network.dtype) if outputs else None
    state = initial_state
    for start in range(0, T, chunk_steps):
        stop = min(start + chunk_steps, T)
        Xc, missing = chunk_inputs(X[start:stop, :, None], network.dtype)
        network.forward(Xc, missing, initial_state=state)
        state = network.final_state()
        if outputs:
            y[start:stop] = step_outputs(network)[0][:, :, 0].T
    if state is None:
        state = zero_state(network, 1)
    return y, state


def zero_state(network, n_streams):
    """The all-zero state, per layer a tuple of (H, n_streams) arrays."""
    shape = (network.hidden_size, n_streams)
    return [tuple(np.zeros(shape, network.dtype) for _ in range(network.cell.n_states))
            for _ in range(network.num_layers)]
