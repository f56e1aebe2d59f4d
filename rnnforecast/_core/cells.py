"""Recurrent cells: Elman (tanh or relu), GRU and LSTM.

Layout. The core works feature-major: a hidden state is an ``(H, B)`` array
(hidden units x batch) and a cell's pre-activations for one step are a
``(G * H, B)`` array, so every gate is one contiguous ``(H, B)`` block of
rows. A layer's parameters are one fused matrix ``W`` of shape
``(G * H, H + F + 1)`` whose columns are ``[W_hh | W_xh | b]``: it acts on the
stacked input ``s_t = [h_{t-1}; x_t; 1]``, so one matmul per step gives the
recurrence, the input and the bias together.

A cell is a pair of step functions driven by the one sequence loop in
:mod:`.recurrent`:

``forward_step(step, p)``
    Writes the gate activations of step t into ``step.gates`` and the new
    state into ``step.h`` (and ``step.c``).
``backward_step(step, p, d_state)``
    ``d_state`` holds dL/d(state_t); on exit ``step.d_rec`` holds dL/d of the
    pre-activation that multiplies ``h_{t-1}`` and ``d_state`` holds
    dL/d(state_{t-1}) through this step.

``p`` holds the layer's ``W`` and its column block ``W_hh``. Everything that
does not depend on the backward recurrence (derivative factors) is computed
in ``backward_factors(ws, start, stop)``, vectorised over the steps
start..stop-1, just before the backward loop runs through those steps.
``ws.d_pre`` and ``ws.factors`` are one buffer: step t's gradients replace
its factors, so ``backward_step`` must read a factor block before (or while)
writing the gradient block in the same rows.
"""

import numpy as np

from .activations import ACTIVATIONS, DERIVATIVES, sigmoid_derivative


def glorot_uniform(rng, fan_in, fan_out, shape):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape)


def orthogonal(rng, n):
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


class _Cell:
    """What every cell shares: gate count, state arity and initialisation."""

    n_gates = 1
    n_states = 1  # (h,) or (h, c)
    forget_gate = None  # index of a gate whose bias starts at 1
    # True when one matmul with W on [h; x; 1] gives all pre-activations.
    # The GRU applies its reset gate to the recurrent part only, so it
    # projects the inputs of all steps first and multiplies W_hh per step.
    folds_input = True
    # Rows of W whose gates are sigmoids. The forward pass multiplies W by a
    # copy whose sigmoid rows are halved, so that one tanh call serves every
    # gate: sigmoid(a) = (1 + tanh(a / 2)) / 2.
    n_sigmoid_gates = 0
    # False when the new state is computed straight from W s_t (Elman), so no
    # per-step gate activations are kept.
    keeps_gates = True

    def initialize(self, rng, W_xh, W_hh, b):
        """Fill a layer's weights in place: Glorot input weights, an orthogonal
        recurrent matrix per gate, zero biases (1 for an LSTM forget gate)."""
        H = W_hh.shape[1]
        W_xh[...] = glorot_uniform(rng, W_xh.shape[1], H, W_xh.shape)
        for g in range(self.n_gates):
            W_hh[g * H:(g + 1) * H] = orthogonal(rng, H)
        b[...] = 0
        if self.forget_gate is not None:
            b[self.forget_gate * H:(self.forget_gate + 1) * H] = 1

    def forward_buffers(self, T, H, B, dtype):
        """Per-sequence caches beyond gates and states."""
        return {}

    def backward_buffers(self, T, H, B, dtype):
        """Per-sequence gradient buffers beyond ``d_pre`` and ``factors``."""
        return {}

    def input_gradient(self, ws, t0):
        """Turn ``ws.d_pre[t0:]`` from dL/d(recurrent pre-activation) into
        dL/d(input pre-activation), for the layer below; the two differ only
        for the GRU."""

    def gate_names(self):
        """Names of the gate blocks of W, in row order."""
        return [name for name, _ in self._gate_kinds]

    def activations(self, ws):
        """The squashing units of the last forward: name -> (kind, (T, H, B))
        with kind in {"sigmoid", "tanh", "relu"}."""
        H = ws.H
        return {
            name: (kind, ws.gates[:, k * H:(k + 1) * H])
            for k, (name, kind) in enumerate(self._gate_kinds)
        }


class ElmanCell(_Cell):
    """h_t = act(W_hh h_{t-1} + W_xh x_t + b), act = tanh or relu."""

    keeps_gates = False

    def __init__(self, activation="tanh"):
        self.activation = activation
        self._gate_kinds = [("h", activation)]
        self._act = ACTIVATIONS[activation]
        self._act_derivative = DERIVATIVES[activation]

    def activations(self, ws):
        return {"h": (self.activation, ws.h[1:])}

    def forward_views(self, ws, t):
        return _Step(s=ws.s[t], h=ws.h[t + 1])

    def backward_views(self, ws, t):
        return _Step(d_rec=ws.d_pre[t], factor=ws.factors[t])

    def forward_step(self, v, p):
        np.matmul(p.W_fwd, v.s, out=v.h)
        self._act(v.h, out=v.h)

    def backward_factors(self, ws, start, stop):
        # act'(a_t) written with the output h_t.
        self._act_derivative(ws.h[start + 1:stop + 1], out=ws.factors[start:stop])

    def backward_step(self, v, p, d_state):
        (dh,) = d_state
        np.multiply(dh, v.factor, out=v.d_rec)
        np.matmul(p.W_hh.T, v.d_rec, out=dh)


class GRUCell(_Cell):
    """Gated recurrent unit with gates in the order (r, z, n), reset after
    the recurrent product as in cuDNN / PyTorch:

        r = sigmoid(x_r + U_r h),  z = sigmoid(x_z + U_z h)
        n = tanh(x_n + r * (U_n h))
        h' = (1 - z) * n + z * h

    where x_g = W_g x + b_g is projected for all steps before the loop.
    """

    n_gates = 3
    n_sigmoid_gates = 2
    folds_input = False
    _gate_kinds = [("r", "sigmoid"), ("z", "sigmoid"), ("n", "tanh")]

    def forward_buffers(self, T, H, B, dtype):
        # U h_{t-1} for every step: its n block is needed in backward.
        return {"rec": np.zeros((T, 3 * H, B), dtype)}

    def backward_buffers(self, T, H, B, dtype):
        # dL/d(x_n), which differs from dL/d(U_n h) by the factor r.
        return {"d_n": np.zeros((T, H, B), dtype)}

    def forward_views(self, ws, t):
        H = ws.H
        g, rec = ws.gates[t], ws.rec[t]
        return _Step(
            rz=g[:2 * H], r=g[:H], z=g[H:2 * H], n=g[2 * H:],
            rec=rec, rec_rz=rec[:2 * H], rec_n=rec[2 * H:],
            h_prev=ws.h[t], h=ws.h[t + 1], tmp=ws.tmp,
        )

    def backward_views(self, ws, t):
        H = ws.H
        g, d, f = ws.gates[t], ws.d_pre[t], ws.factors[t]
        return _Step(
            r=g[:H], z=g[H:2 * H], tmp=ws.tmp,
            d_rec=d, d_r=d[:H], d_z=d[H:2 * H], d_rec_n=d[2 * H:], d_n=ws.d_n[t],
            f_r=f[:H], f_z=f[H:2 * H], f_n=f[2 * H:],
        )

    def forward_step(self, v, p):
        # x_rz and U_rz come from halved rows: rz holds a_rz / 2 after the add.
        np.matmul(p.W_fwd_hh, v.h_prev, out=v.rec)
        np.add(v.rz, v.rec_rz, out=v.rz)
        np.tanh(v.rz, out=v.rz)
        np.multiply(v.rz, 0.5, out=v.rz)
        np.add(v.rz, 0.5, out=v.rz)
        np.multiply(v.r, v.rec_n, out=v.tmp)
        np.add(v.n, v.tmp, out=v.n)
        np.tanh(v.n, out=v.n)
        # h' = n + z * (h - n)
        np.subtract(v.h_prev, v.n, out=v.h)
        np.multiply(v.h, v.z, out=v.h)
        np.add(v.h, v.n, out=v.h)

    def backward_factors(self, ws, start, stop):
        H = ws.H
        g, f = ws.gates[start:stop], ws.factors[start:stop]
        r, z, n = g[:, :H], g[:, H:2 * H], g[:, 2 * H:]
        f_r, f_z, f_n = f[:, :H], f[:, H:2 * H], f[:, 2 * H:]
        tmp = ws.factor_tmp[: stop - start]
        # dL/dx_n = dh (1 - z)(1 - n^2)
        np.subtract(1, z, out=f_z)
        np.multiply(n, n, out=f_n)
        np.subtract(1, f_n, out=f_n)
        np.multiply(f_n, f_z, out=f_n)
        # dL/dx_z = dh (h_prev - n) z (1 - z) = dh (h - n)(1 - z), as
        # h - n = z (h_prev - n). (Where a missing step kept h_prev instead,
        # dh is zero in backward_step, so the factor does not matter there.)
        np.subtract(ws.h[start + 1:stop + 1], n, out=tmp)
        np.multiply(f_z, tmp, out=f_z)
        # dL/dx_r = dL/dx_n (U_n h_prev) r (1 - r)
        sigmoid_derivative(r, out=f_r)
        np.multiply(f_r, ws.rec[start:stop, 2 * H:], out=f_r)

    def backward_step(self, v, p, d_state):
        (dh,) = d_state
        np.multiply(dh, v.f_n, out=v.d_n)
        np.multiply(dh, v.f_z, out=v.d_z)
        np.multiply(v.d_n, v.f_r, out=v.d_r)
        np.multiply(v.d_n, v.r, out=v.d_rec_n)
        np.multiply(dh, v.z, out=dh)
        np.matmul(p.W_hh.T, v.d_rec, out=v.tmp)
        np.add(dh, v.tmp, out=dh)

    def input_gradient(self, ws, t0):
        ws.d_pre[t0:, 2 * ws.H:] = ws.d_n[t0:]

    def input_weight_gradient(self, ws, t0, out):
        """Rewrite the n rows of dW_xb (``out``), which the network computed
        from the recurrent gradients like the r and z rows: they are
        sum_t d_n,t [x_t; 1]^T, and d_n differs from D's n block by the
        factor r."""
        H, T = ws.H, ws.T
        # [x; 1] has only F + 1 rows: per-step products summed over time
        # beat copying d_n into the weight gradient's layout.
        np.sum(np.matmul(ws.d_n[t0:], ws.s[t0:T, H:].transpose(0, 2, 1)), axis=0,
               out=out[2 * H:])


class LSTMCell(_Cell):
    """Long short-term memory with gates in the order (i, f, o, g):

        i, f, o = sigmoid(W_ifo s_t),  g = tanh(W_g s_t),  s_t = [h; x; 1]
        c' = f * c + i * g,  h' = o * tanh(c')
    """

    n_gates = 4
    n_states = 2
    n_sigmoid_gates = 3
    forget_gate = 1
    _gate_kinds = [("i", "sigmoid"), ("f", "sigmoid"), ("o", "sigmoid"), ("g", "tanh")]

    def activations(self, ws):
        units = super().activations(ws)
        units["tanh(c)"] = ("tanh", ws.tanh_c)
        return units

    def forward_buffers(self, T, H, B, dtype):
        return {"c": np.zeros((T + 1, H, B), dtype), "tanh_c": np.zeros((T, H, B), dtype)}

    def backward_buffers(self, T, H, B, dtype):
        return {"dc_dh": np.zeros((T, H, B), dtype)}  # o (1 - tanh(c)^2)

    def forward_views(self, ws, t):
        H = ws.H
        g = ws.gates[t]
        return _Step(
            s=ws.s[t], gates=g, ifo=g[:3 * H], i=g[:H], f=g[H:2 * H], o=g[2 * H:3 * H],
            g=g[3 * H:], h=ws.h[t + 1], c_prev=ws.c[t], c=ws.c[t + 1],
            tanh_c=ws.tanh_c[t], tmp=ws.tmp,
        )

    def backward_views(self, ws, t):
        H = ws.H
        g, d, f = ws.gates[t], ws.d_pre[t], ws.factors[t]
        return _Step(
            f=g[H:2 * H], dc_dh=ws.dc_dh[t], tmp=ws.tmp,
            d_rec=d, d_if=d[:2 * H].reshape(2, H, -1), d_o=d[2 * H:3 * H], d_g=d[3 * H:],
            f_if=f[:2 * H].reshape(2, H, -1), f_o=f[2 * H:3 * H], f_g=f[3 * H:],
        )

    def forward_step(self, v, p):
        # i, f, o rows of W_fwd are halved: tanh then gives tanh(a_ifo / 2).
        np.matmul(p.W_fwd, v.s, out=v.gates)
        np.tanh(v.gates, out=v.gates)
        np.multiply(v.ifo, 0.5, out=v.ifo)
        np.add(v.ifo, 0.5, out=v.ifo)
        np.multiply(v.f, v.c_prev, out=v.c)
        np.multiply(v.i, v.g, out=v.tmp)
        np.add(v.c, v.tmp, out=v.c)
        np.tanh(v.c, out=v.tanh_c)
        np.multiply(v.o, v.tanh_c, out=v.h)

    def backward_factors(self, ws, start, stop):
        H = ws.H
        g, f = ws.gates[start:stop], ws.factors[start:stop]
        i, o, gg = g[:, :H], g[:, 2 * H:3 * H], g[:, 3 * H:]
        tmp = ws.factor_tmp[: stop - start]
        tc = ws.tanh_c[start:stop]
        # dL/dc_t gains dh o (1 - tanh(c)^2)
        dc_dh = ws.dc_dh[start:stop]
        np.multiply(tc, tc, out=dc_dh)
        np.subtract(1, dc_dh, out=dc_dh)
        np.multiply(dc_dh, o, out=dc_dh)
        # pre-activation gradients per unit of dL/dc (i, f, g) or dL/dh (o)
        sigmoid_derivative(g[:, :3 * H], out=f[:, :3 * H])
        np.multiply(f[:, :H], gg, out=f[:, :H])
        np.multiply(f[:, H:2 * H], ws.c[start:stop], out=f[:, H:2 * H])
        np.multiply(f[:, 2 * H:3 * H], tc, out=f[:, 2 * H:3 * H])
        np.multiply(gg, gg, out=tmp)
        np.subtract(1, tmp, out=tmp)
        np.multiply(tmp, i, out=f[:, 3 * H:])

    def backward_step(self, v, p, d_state):
        dh, dc = d_state
        np.multiply(dh, v.dc_dh, out=v.tmp)
        np.add(dc, v.tmp, out=dc)
        np.multiply(dh, v.f_o, out=v.d_o)
        np.multiply(v.f_if, dc, out=v.d_if)
        np.multiply(dc, v.f_g, out=v.d_g)
        np.matmul(p.W_hh.T, v.d_rec, out=dh)
        np.multiply(dc, v.f, out=dc)


class _Step:
    """Named views into a layer's workspace for one time step, made once per
    workspace so the step loops create no arrays."""

    def __init__(self, **views):
        self.__dict__.update(views)


CELLS = {"rnn": ElmanCell, "gru": GRUCell, "lstm": LSTMCell}


def make_cell(name, activation="tanh"):
    """Return the cell object for ``name`` in {"rnn", "gru", "lstm"}."""
    if name == "rnn":
        return ElmanCell(activation)
    return CELLS[name]()
