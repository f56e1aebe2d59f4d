"""Argument checks shared by the generators, and the result of one component.

Every check raises with the argument's name, the value received and the fix,
so an error in a long corpus-building script says which call to change.
"""

import numbers
from typing import NamedTuple

import numpy as np

__all__ = ["Component", "as_generator", "check_count", "check_share", "check_positive",
           "check_choice", "check_panel", "draw_or_fill"]


class Component(NamedTuple):
    """One component drawn for ``n_series`` series.

    Parameters
    ----------
    values : ndarray of shape (n_series, length), float64
        The component, one series per row.
    params : dict
        What each series was made of: a parameter's name to a list with one
        entry per series (a number, or a tuple such as change points).
    """

    values: np.ndarray
    params: dict


def as_generator(seed):
    """A ``numpy.random.Generator`` from ``seed`` (an int, a SeedSequence,
    a Generator, used as is, or None for fresh entropy)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or isinstance(seed, (numbers.Integral, np.random.SeedSequence)):
        if isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and seed < 0:
            raise ValueError(f"seed={seed} is negative; pass a seed >= 0, e.g. seed=0.")
        if not isinstance(seed, bool):
            return np.random.default_rng(seed)
    raise TypeError(
        f"seed={seed!r} is a {type(seed).__name__}; pass an int (e.g. seed=0), a "
        "numpy.random.Generator (np.random.default_rng(0)) or None."
    )


def check_panel(n_series, length, seed, min_length=2):
    """``(n_series, length, rng)`` checked: the first arguments of every generator."""
    n_series = check_count(n_series, "n_series")
    length = check_count(length, "length", minimum=min_length)
    return n_series, length, as_generator(seed)


def check_count(value, name, minimum=1):
    """``value`` as an int, if it is an integer >= ``minimum``."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{name}={value!r} is a {type(value).__name__}; pass an integer "
                        f">= {minimum}, e.g. {name}={max(minimum, 1) * 10}.")
    if value < minimum:
        raise ValueError(f"{name}={value} is below {minimum}; pass {name} >= {minimum}.")
    return int(value)


def check_share(value, name, upper=1.0):
    """``value`` as a float, if it is a number in [0, upper)."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{name}={value!r} is a {type(value).__name__}; pass a number in "
                        f"[0, {upper}), e.g. {name}=0.1.")
    if not 0 <= value < upper:
        raise ValueError(f"{name}={value} is outside [0, {upper}); pass a share such as "
                         f"{name}=0.1.")
    return float(value)


def check_positive(value, name, allow_zero=False):
    """``value`` as a float, if it is a finite number > 0 (>= 0 with
    ``allow_zero``)."""
    bound = ">= 0" if allow_zero else "> 0"
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{name}={value!r} is a {type(value).__name__}; pass a number {bound}.")
    if not (np.isfinite(value) and (value >= 0 if allow_zero else value > 0)):
        raise ValueError(f"{name}={value} is not a finite number {bound}; pass e.g. {name}=1.0.")
    return float(value)


def check_choice(value, name, choices):
    """``value``, if it is one of ``choices``."""
    if value not in choices:
        raise ValueError(f"{name}={value!r} is not one of {sorted(choices)}; pass one of them.")
    return value


def draw_or_fill(value, n_series, draw):
    """A float array of ``n_series`` values: ``value`` repeated when given,
    else ``draw(n_series)``."""
    if value is None:
        return np.asarray(draw(n_series), dtype=float)
    return np.full(n_series, float(value))
