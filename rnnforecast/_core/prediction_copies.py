"""Predicting in another dtype from kept copies of a network.

``RNNRegressor`` trains in float32 and predicts in float64. Casting the
network on every call (:meth:`.recurrent.RecurrentNetwork.astype`) built a
network and its workspaces (the per-step views) each time, most of a
prediction on a short window of one sample. :func:`predict_as` runs a copy
kept between calls instead, with the same numbers.

The copies are kept by architecture and dtype, not by network: every network
of an architecture loads its own parameters into one before each call, so a
forecaster of many series, five networks a series, keeps one copy (per
concurrent call), not one a network. A call takes a copy from the pool and
puts it back after (``list.pop`` and ``append`` are atomic), so calls from
several threads never share one.

Imports NumPy only.
"""

import numpy as np

from .recurrent import RecurrentNetwork

__all__ = ["PREDICTION_BUFFER_BYTES", "predict_as"]

# Copies not in use, by (cell, n_inputs, hidden_size, num_layers, n_outputs,
# activation, dtype).
_COPIES = {}
# A copy that predicted a batch whose workspaces take more than this frees
# them after the call: a forecaster's window of one series (24 steps, 44 KB)
# stays cached, where 256 windows of 200 steps (92 MB in float64) would be
# kept for the life of the process.
PREDICTION_BUFFER_BYTES = 8 << 20


def predict_as(network, dtype, X, missing=None, batch_size=1024):
    """``network.astype(dtype).predict(X, missing, batch_size)``: the same
    numbers, from a kept copy of the network's architecture."""
    key = (network.cell_name, network.n_inputs, network.hidden_size, network.num_layers,
           network.n_outputs, network.activation, np.dtype(dtype))
    pool = _COPIES.setdefault(key, [])
    try:
        kept = pool.pop()
    except IndexError:
        kept = RecurrentNetwork(*key)
    kept.params[...] = network.params
    try:
        return kept.predict(X, missing, batch_size)
    finally:
        if kept.forward_buffer_bytes() > PREDICTION_BUFFER_BYTES:
            kept.release_buffers()
        pool.append(kept)
