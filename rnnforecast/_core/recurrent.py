"""A stack of recurrent layers with a linear head on the last hidden state.

One cell-agnostic loop runs every cell forward over time and back again
(backpropagation through time). Shapes, feature-major as in :mod:`.cells`:

    X        (T, F, B)   inputs, missing steps zero-filled
    missing  (T, B)      True where a step is missing (its state carries over)
    output   (O, B)      y = W_hy h_T + b_y

The parameters live in one flat array ``params`` with named views, and the
gradients in ``grads`` with the same views, so an optimiser updates
everything with a handful of vectorised calls. Layer l stores one fused
matrix ``W_l = [W_hh_l | W_xh_l | b_l]`` (see :mod:`.cells`).
"""

import functools
import math

import numpy as np

from .cells import make_cell

# The backward pass computes the derivative factors of this many bytes of
# steps at a time, just before the loop uses them, and the weight gradient of
# those steps just after, so that both find them still in cache; whole
# sequences of factors would go through main memory at large sizes.
FACTOR_CHUNK_BYTES = 1 << 20
# The backward pass sets to zero, every this many steps, the gradients with
# respect to the state that have fallen below tiny / eps of the dtype (see
# LayerWorkspace.flush_tiny).
FLUSH_EVERY = 4
# Workspaces kept per network (a layer and batch shape each), the oldest
# dropped first: a network that predicts batches of ever new sizes would
# otherwise keep one for each (11 MB for a GRU of 32 units on 256 windows of
# 24 steps in float64).
MAX_WORKSPACES = 16


class LayerWorkspace:
    """Buffers of one layer for sequences of length T in batches of B.

    ``s[t]`` is the stacked input ``[h_{t-1}; x_t; 1]`` of step t, and
    ``h[t]`` its first H rows (``h[0]`` the initial state). Allocated once per
    batch shape and reused, so the step loops allocate nothing: ``steps[t]``
    (and, once backward has run, ``back_steps[t]``) hold the views a cell
    needs at step t. Inference allocates only the forward half.
    """

    def __init__(self, cell, T, H, F, B, dtype):
        self.cell, self.T, self.H, self.B, self.dtype = cell, T, H, B, dtype
        GH = cell.n_gates * H
        self.s = np.zeros((T + 1, H + F + 1, B), dtype)
        self.s[:, H + F] = 1
        self.h = self.s[:, :H]
        self.x = self.s[:T, H:H + F]
        self.gates = np.zeros((T, GH, B), dtype) if cell.keeps_gates else None
        self.tmp = np.zeros((H, B), dtype)
        buffers = cell.forward_buffers(T, H, B, dtype)
        self.__dict__.update(buffers)
        # The bytes of the forward half, all that inference allocates.
        self.forward_bytes = sum(a.nbytes for a in (self.s, self.gates, self.tmp,
                                                    *buffers.values()) if a is not None)
        state_arrays = (self.h, self.c) if cell.n_states == 2 else (self.h,)
        self.states = [tuple(s[t] for s in state_arrays) for t in range(T + 1)]
        self.steps = [cell.forward_views(self, t) for t in range(T)]
        self.back_steps = None

    def factor_chunks(self, t0):
        """The chunks ``(start, stop)`` of steps t0..T-1 that the backward
        pass computes factors and weight gradients for, latest first."""
        return [(max(stop - self.factor_chunk, t0), stop)
                for stop in range(self.T, t0, -self.factor_chunk)]

    def prepare_backward(self):
        """Allocate the gradient buffers (once) and their per-step views."""
        if self.back_steps is not None:
            return
        cell, T, H, B, dtype = self.cell, self.T, self.H, self.B, self.dtype
        GH = cell.n_gates * H
        # dL/da_t overwrites the derivative factors of step t, which only
        # that step's backward reads: one buffer instead of two in cache.
        self.d_pre = self.factors = np.zeros((T, GH, B), dtype)
        self.factor_chunk = max(1, FACTOR_CHUNK_BYTES // (GH * B * np.dtype(dtype).itemsize))
        chunk = min(T, self.factor_chunk)
        self.factor_tmp = np.zeros((chunk, H, B), dtype)
        # d_t s_t^T of each step of a chunk, and their sum (see
        # RecurrentNetwork._weight_gradients).
        self.step_products = np.zeros((chunk, GH, self.s.shape[1]), dtype)
        self.chunk_product = np.zeros((GH, self.s.shape[1]), dtype)
        self.d_in = np.zeros((T, H, B), dtype)  # dL/dh_t from the layer above
        self.d_in_steps = list(self.d_in)
        self.d_state = tuple(np.zeros((H, B), dtype) for _ in range(cell.n_states))
        self.carry = tuple(np.zeros((H, B), dtype) for _ in range(cell.n_states))
        self.flush_abs = np.zeros((H, B), dtype)
        self.flush_mask = np.zeros((H, B), bool)
        self.flush_below = np.finfo(dtype).tiny / np.finfo(dtype).eps
        self.__dict__.update(cell.backward_buffers(T, H, B, dtype))
        self.back_steps = [cell.backward_views(self, t) for t in range(T)]

    def flush_tiny(self):
        """Set to zero the entries of dL/dstate below ``tiny / eps`` of the dtype.

        Over long sequences the gradient flowing back often decays into
        subnormal floats, on which x86 arithmetic is many times slower
        (microcode assists): on the 200-step GRU windows of a forecaster
        fitted to minute data, its fit took about twice as long
        (``benchmarks/bench_subnormal_flush.py``). A value x
        below ``tiny / eps`` changes a float sum y + x only where
        ``|y| < 2 x / eps``, under ``2 tiny / eps**2`` (about 2e-24 in
        float32, 1e-276 in float64), so the weight gradients are unchanged
        unless they are themselves that small.
        """
        for d in self.d_state:
            np.abs(d, out=self.flush_abs)
            np.less(self.flush_abs, self.flush_below, out=self.flush_mask)
            np.copyto(d, 0, where=self.flush_mask)


class LayerParams:
    """Views of one layer's fused matrix ``W = [W_hh | W_xh | b]``, and
    ``W_fwd``, the matrix the forward pass multiplies by: W itself, or for
    cells with sigmoid gates a copy with those rows halved (see
    :mod:`.cells`), refreshed by :meth:`refresh_forward`."""

    def __init__(self, W, H, n_sigmoid_rows=0):
        self.W = W
        self.W_hh = W[:, :H]
        self.W_xb = W[:, H:]  # input weights and bias, acting on [x; 1]
        self.W_xh = W[:, H:-1]
        self.b = W[:, -1]
        self.n_sigmoid_rows = n_sigmoid_rows
        self.W_fwd = W.copy() if n_sigmoid_rows else W
        self.W_fwd_hh = self.W_fwd[:, :H]
        self.W_fwd_xb = self.W_fwd[:, H:]

    def refresh_forward(self):
        if self.n_sigmoid_rows:
            rows = self.n_sigmoid_rows
            np.multiply(self.W[:rows], 0.5, out=self.W_fwd[:rows])
            self.W_fwd[rows:] = self.W[rows:]


class RecurrentNetwork:
    """Stacked recurrent layers (Elman, GRU or LSTM) and a linear head.

    Parameters
    ----------
    cell : {"rnn", "gru", "lstm"}
    n_inputs : int
        Features per time step.
    hidden_size : int
    num_layers : int
    n_outputs : int
    activation : {"tanh", "relu"}
        Elman cell only.
    dtype : numpy dtype
    """

    def __init__(self, cell, n_inputs, hidden_size, num_layers=1, n_outputs=1,
                 activation="tanh", dtype=np.float32):
        self.cell_name = cell
        self.n_inputs = n_inputs
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.n_outputs = n_outputs
        self.activation = activation
        self.dtype = np.dtype(dtype)
        n_params = sum(math.prod(shape) for shape in self._shapes().values())
        self.params = np.zeros(n_params, self.dtype)
        self._bind()

    # -- parameters -------------------------------------------------------
    def _layer_inputs(self, layer):
        return self.n_inputs if layer == 0 else self.hidden_size

    def _shapes(self):
        GH = make_cell(self.cell_name, self.activation).n_gates * self.hidden_size
        shapes = {
            f"W_{layer}": (GH, self.hidden_size + self._layer_inputs(layer) + 1)
            for layer in range(self.num_layers)
        }
        shapes["W_hy"] = (self.n_outputs, self.hidden_size)
        shapes["b_y"] = (self.n_outputs,)
        return shapes

    def _blocks(self, flat):
        """Views of ``flat`` shaped as the parameter blocks."""
        blocks, offset = {}, 0
        for name, shape in self._shapes().items():
            size = math.prod(shape)
            blocks[name] = flat[offset:offset + size].reshape(shape)
            offset += size
        return blocks

    def _views(self, flat):
        """Named views of ``flat``: per layer W_hh_l, W_xh_l, b_l; W_hy, b_y."""
        blocks = self._blocks(flat)
        views = {}
        for layer in range(self.num_layers):
            p = LayerParams(blocks[f"W_{layer}"], self.hidden_size)
            views.update({f"W_hh_{layer}": p.W_hh, f"W_xh_{layer}": p.W_xh, f"b_{layer}": p.b})
        views["W_hy"], views["b_y"] = blocks["W_hy"], blocks["b_y"]
        return views

    def _bind(self):
        self.cell = make_cell(self.cell_name, self.activation)
        self.grads = np.zeros_like(self.params)
        blocks, grad_blocks = self._blocks(self.params), self._blocks(self.grads)
        H = self.hidden_size
        sigmoid_rows = self.cell.n_sigmoid_gates * H
        self.layers = [LayerParams(blocks[f"W_{l}"], H, sigmoid_rows)
                       for l in range(self.num_layers)]
        self.layer_grads = [LayerParams(grad_blocks[f"W_{l}"], H) for l in range(self.num_layers)]
        self.W_hy, self.b_y = blocks["W_hy"], blocks["b_y"]
        self.dW_hy, self.db_y = grad_blocks["W_hy"], grad_blocks["b_y"]
        for name in ("weights", "grad_views", "weight_mask"):  # made when first read
            self.__dict__.pop(name, None)
        self._workspaces = {}
        self._last = None

    # What training and diagnostics read, made on first use: a network that
    # only predicts (the copies of .prediction_copies, which RNNRegressor.predict
    # runs) never needs them.
    @functools.cached_property
    def weights(self):
        """Named views of ``params``: per layer W_hh_l, W_xh_l, b_l; W_hy, b_y."""
        return self._views(self.params)

    @functools.cached_property
    def grad_views(self):
        """Named views of ``grads``, as :attr:`weights`."""
        return self._views(self.grads)

    @functools.cached_property
    def weight_mask(self):
        """1 for weights, 0 for biases: the L2 penalty acts on weights only."""
        mask = np.ones_like(self.params)
        for name, view in self._views(mask).items():
            if name.startswith("b"):
                view[...] = 0
        return mask

    def __getstate__(self):
        keep = ("cell_name", "n_inputs", "hidden_size", "num_layers", "n_outputs",
                "activation", "dtype", "params")
        return {key: self.__dict__[key] for key in keep}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._bind()

    def initialize(self, rng):
        """Draw initial weights from the numpy ``RandomState`` ``rng``."""
        for p in self.layers:
            self.cell.initialize(rng, p.W_xh, p.W_hh, p.b)
        H, O = self.hidden_size, self.n_outputs
        limit = np.sqrt(6.0 / (H + O))
        self.W_hy[...] = rng.uniform(-limit, limit, size=(O, H))
        self.b_y[...] = 0
        return self

    def step_multiply_adds(self):
        """Multiply-adds of one step's matmuls per sample, over the layers."""
        return sum(p.W.size for p in self.layers)

    def astype(self, dtype):
        """A copy of the network with parameters cast to ``dtype``."""
        other = RecurrentNetwork(self.cell_name, self.n_inputs, self.hidden_size,
                                 self.num_layers, self.n_outputs, self.activation, dtype)
        other.params[...] = self.params
        return other

    def release_buffers(self):
        """Drop the workspaces; they are made again when next needed, with the
        same results.

        A network keeps them between calls so that training allocates nothing per
        batch. After its training they are kept for nothing: 2.5 MB for each GRU
        of 32 units the forecaster fitted to airline passengers (windows of 24
        steps, batches of 32), against 15 KB of parameters, and a forecaster with
        a model for each of many series holds five such networks a series.
        """
        self._workspaces = {}
        self._last = None

    def forward_buffer_bytes(self):
        """Bytes of the forward buffers of the workspaces kept (all that
        inference allocates)."""
        return sum(ws.forward_bytes for ws in self._workspaces.values())

    # -- forward ----------------------------------------------------------
    def _workspace(self, layer, T, B):
        key = (layer, T, B)
        ws = self._workspaces.get(key)
        if ws is None:
            if len(self._workspaces) >= MAX_WORKSPACES:
                del self._workspaces[next(iter(self._workspaces))]  # the oldest
            ws = LayerWorkspace(self.cell, T, self.hidden_size, self._layer_inputs(layer),
                                B, self.dtype)
            self._workspaces[key] = ws
        return ws

    def forward(self, X, missing=None, initial_state=None):
        """Run the network over a batch of sequences; keep what backward needs.

        Parameters
        ----------
        X : ndarray of shape (T, F, B)
            Inputs, time-major, with missing steps holding finite values (0).
        missing : ndarray of bool, shape (T, B), or None
            True where a step is missing: every layer's state carries over.
        initial_state : list of tuples of (H, B) arrays, or None
            Per layer, the state before step 0 (zeros when None).

        Returns
        -------
        y : ndarray of shape (O, B)
        """
        T, _, B = X.shape
        if missing is not None and not missing.any():
            missing = None
        skip = None if missing is None else missing[:, None, :]
        skip_steps = None if missing is None else missing.any(axis=1).tolist()
        cell = self.cell
        workspaces = []
        layer_input = X
        for layer, p in enumerate(self.layers):
            ws = self._workspace(layer, T, B)
            ws.x[...] = layer_input
            p.refresh_forward()
            if not cell.folds_input:
                np.matmul(p.W_fwd_xb, ws.s[:T, self.hidden_size:], out=ws.gates)
            for k, s0 in enumerate(ws.states[0]):
                if initial_state is None:
                    s0.fill(0)
                else:
                    s0[...] = initial_state[layer][k]
            steps, states = ws.steps, ws.states
            for t in range(T):
                cell.forward_step(steps[t], p)
                if skip_steps is not None and skip_steps[t]:
                    for new, old in zip(states[t + 1], states[t]):
                        np.copyto(new, old, where=skip[t])
            workspaces.append(ws)
            layer_input = ws.h[1:]
        self._last = (workspaces, missing)
        y = self.W_hy @ workspaces[-1].h[T]
        y += self.b_y[:, None]
        return y

    def activations(self):
        """Per layer, the squashing units of the last forward: a dict
        name -> (kind, array of shape (T, H, B)), kind in {"sigmoid", "tanh",
        "relu"} (views into the workspace: copy what you keep)."""
        workspaces = self._last[0]
        return [self.cell.activations(ws) for ws in workspaces]

    def hidden_sequence(self):
        """The top layer's hidden states after every step of the last
        forward, shape (T, H, B) (a view into the workspace: copy what you
        keep)."""
        workspaces = self._last[0]
        return workspaces[-1].h[1:]

    def final_state(self):
        """Per layer, the state after the last step of the last forward."""
        workspaces = self._last[0]
        return [tuple(s.copy() for s in ws.states[ws.T]) for ws in workspaces]

    # -- backward ---------------------------------------------------------
    def backward(self, d_out, bptt_steps=None, state_grad_norms=None, d_hidden=None):
        """Backpropagate dL/dy through time into ``self.grads``.

        Parameters
        ----------
        d_out : ndarray of shape (O, B), or None
            dL/dy for the last forward's output; None when the loss does not
            use the head's output (W_hy and b_y then get zero gradients).
        bptt_steps : int or None
            None: full BPTT. k: truncated BPTT, the gradient reaches only the
            last k steps (states before them are treated as constants).
        state_grad_norms : ndarray of shape (num_layers, T, B) or None
            When given, receives ||dL/dh_t|| per layer, step and sample: the
            gradient with respect to the hidden state after step t (0 for
            steps the truncation does not reach).
        d_hidden : ndarray of shape (T, H, B) or None
            dL/dh_t of the top layer's hidden state after every step t, from a
            loss on every step (see :mod:`.sequence_training`); added to what flows
            back through time, as ``d_in`` is for the lower layers.

        Returns
        -------
        grads : ndarray
            The flat gradient (``self.grad_views`` names its parts).
        """
        workspaces, missing = self._last
        T = workspaces[-1].T
        t0 = 0 if bptt_steps is None else max(T - bptt_steps, 0)
        if d_out is None:
            self.dW_hy.fill(0)
            self.db_y.fill(0)
        else:
            np.matmul(d_out, workspaces[-1].h[T].T, out=self.dW_hy)
            np.sum(d_out, axis=1, out=self.db_y)
        if missing is not None:
            keep = (~missing[:, None, :]).astype(self.dtype)
            drop = 1 - keep
            skip_steps = missing.any(axis=1).tolist()
        cell = self.cell
        for ws in workspaces:
            ws.prepare_backward()
        for layer in reversed(range(self.num_layers)):
            ws, p, g = workspaces[layer], self.layers[layer], self.layer_grads[layer]
            d_state = ws.d_state
            for d in d_state:
                d.fill(0)
            is_top = layer == self.num_layers - 1
            above = d_hidden if is_top else ws.d_in_steps
            if is_top and d_out is not None:
                np.matmul(self.W_hy.T, d_out, out=d_state[0])
            if above is not None:
                np.add(d_state[0], above[T - 1], out=d_state[0])
            steps = ws.back_steps
            if state_grad_norms is not None:
                state_grad_norms[layer, :t0] = 0
            for start, stop in ws.factor_chunks(t0):
                cell.backward_factors(ws, start, stop)
                for t in reversed(range(start, stop)):
                    if above is not None and t < T - 1:
                        np.add(d_state[0], above[t], out=d_state[0])
                    if state_grad_norms is not None:
                        state_grad_norms[layer, t] = np.linalg.norm(d_state[0], axis=0)
                    masked = missing is not None and skip_steps[t]
                    if masked:
                        # A missing step passes dL/dstate straight to the
                        # state before it; only the present columns go
                        # through the cell.
                        for d, c in zip(d_state, ws.carry):
                            np.multiply(d, drop[t], out=c)
                            np.multiply(d, keep[t], out=d)
                    cell.backward_step(steps[t], p, d_state)
                    if masked:
                        for d, c in zip(d_state, ws.carry):
                            np.add(d, c, out=d)
                    if t % FLUSH_EVERY == 0:
                        ws.flush_tiny()
                self._weight_gradients(ws, g, start, stop)
            if not cell.folds_input:
                # The GRU: the products hold its W_hh gradient and the r, z
                # rows of W_xb's; the cell rewrites the n rows.
                cell.input_weight_gradient(ws, t0, g.W_xb)
            if layer > 0:
                cell.input_gradient(ws, t0)
                below = workspaces[layer - 1]
                np.matmul(p.W_xh.T, ws.d_pre[t0:], out=below.d_in[t0:])
        return self.grads

    def _weight_gradients(self, ws, g, start, stop):
        """Add sum_t dL/da_t s_t^T over the steps start..stop-1 (a chunk the
        backward loop has just finished) to ``g.W``; the chunk ending at T
        starts the sum.

        One batched matmul gives the products of the chunk's steps and one
        reduction sums them: no copy of d_pre or s into a (rows, n B) layout,
        which cost more than one larger matmul saved.
        """
        n = stop - start
        products = ws.step_products[:n]
        np.matmul(ws.d_pre[start:stop], ws.s[start:stop].transpose(0, 2, 1), out=products)
        if stop == ws.T:
            np.sum(products, axis=0, out=g.W)
        else:
            np.sum(products, axis=0, out=ws.chunk_product)
            np.add(g.W, ws.chunk_product, out=g.W)

    def predict(self, X, missing=None, batch_size=1024):
        """Outputs (O, N) for inputs (T, F, N), computed in chunks of columns."""
        N = X.shape[2]
        out = np.empty((self.n_outputs, N), self.dtype)
        for start in range(0, N, batch_size):
            stop = min(start + batch_size, N)
            m = None if missing is None else missing[:, start:stop]
            out[:, start:stop] = self.forward(X[:, :, start:stop], m)
        return out
