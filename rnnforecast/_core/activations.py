"""Elementwise nonlinearities and their derivatives, computed into ``out``.

The sigmoid gates of the GRU and LSTM are computed in the cells through
sigmoid(a) = (1 + tanh(a / 2)) / 2, which is exact, cannot overflow and lets
one tanh call serve several gates; only its derivative is needed here.
"""

import numpy as np


def tanh(x, out):
    return np.tanh(x, out=out)


def relu(x, out):
    return np.maximum(x, 0, out=out)


def tanh_derivative(y, out):
    """d tanh(a) / da written with the output y = tanh(a): 1 - y**2."""
    np.multiply(y, y, out=out)
    np.subtract(1, out, out=out)
    return out


def relu_derivative(y, out):
    """d relu(a) / da written with the output y = relu(a): 1 where y > 0."""
    np.greater(y, 0, out=out)
    return out


def sigmoid_derivative(y, out):
    """d sigmoid(a) / da written with the output y = sigmoid(a): y (1 - y)."""
    np.subtract(1, y, out=out)
    np.multiply(out, y, out=out)
    return out


ACTIVATIONS = {"tanh": tanh, "relu": relu}
DERIVATIVES = {"tanh": tanh_derivative, "relu": relu_derivative}
