"""Optimisers on flat parameter arrays, built by :func:`make_optimizer`, and
global-norm gradient clipping.

Each optimiser keeps its state in arrays the size of the flat parameter
vector, so one update is a few vectorised calls whatever the network.
"""

import numpy as np


def global_norm(grads):
    """Euclidean norm of all gradients together."""
    return float(np.sqrt(np.vdot(grads, grads)))


def clip_global_norm(grads, max_norm, norm=None):
    """Scale ``grads`` in place so their global norm is at most ``max_norm``.

    Returns the norm before clipping and whether the gradients were scaled.
    """
    if norm is None:
        norm = global_norm(grads)
    if max_norm is not None and norm > max_norm:
        grads *= max_norm / norm
        return norm, True
    return norm, False


class SGD:
    """Stochastic gradient descent with (Nesterov) momentum.

    v <- momentum * v - lr * g
    p <- p + v                                  (classical momentum)
    p <- p + momentum * v - lr * g              (Nesterov)
    """

    def __init__(self, params, learning_rate=0.01, momentum=0.9, nesterov=True):
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.nesterov = nesterov
        self.velocity = np.zeros_like(params)
        self.t = 0

    def update(self, params, grads):
        self.t += 1
        v = self.velocity
        v *= self.momentum
        v -= self.learning_rate * grads
        if self.nesterov:
            params += self.momentum * v
            params -= self.learning_rate * grads
        else:
            params += v


class Adam:
    """Adam (Kingma & Ba, 2015), in the form of their section 2 that folds
    the bias corrections into the step size:

    m <- b1 m + (1 - b1) g,   v <- b2 v + (1 - b2) g^2
    p <- p - lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)
    """

    def __init__(self, params, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8):
        self.learning_rate = learning_rate
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.m = np.zeros_like(params)
        self.v = np.zeros_like(params)
        self._buffer = np.zeros_like(params)
        self.t = 0

    def update(self, params, grads):
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        m, v, buf = self.m, self.v, self._buffer
        m *= b1
        m += (1 - b1) * grads
        np.multiply(grads, grads, out=buf)
        buf *= 1 - b2
        v *= b2
        v += buf
        step = self.learning_rate * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        np.sqrt(v, out=buf)
        buf += self.epsilon
        np.divide(m, buf, out=buf)
        buf *= step
        params -= buf


def make_optimizer(solver, params, learning_rate, momentum=0.9):
    """The optimiser named ``solver`` for the flat parameters ``params``.

    Parameters
    ----------
    solver : {"adam", "sgd"}
    params : ndarray
        The flat parameter array the optimiser will update.
    learning_rate : float
    momentum : float
        Nesterov momentum of "sgd" ("adam" ignores it).

    Returns
    -------
    Adam or SGD
    """
    if solver == "adam":
        return Adam(params, learning_rate)
    if solver == "sgd":
        return SGD(params, learning_rate, momentum)
    raise ValueError(f"solver must be 'adam' or 'sgd'; got {solver!r}.")
