"""Values too large or too small for RNNRegressor to train on.

Training casts X and y to its ``dtype`` and standardises them, which sums
their squares in float64. Values beyond float32's largest number (3.4e38)
would train on inf; values all below its smallest normal one (1.2e-38) on
0 or subnormals; and sizes whose squares leave float64's normal range
(above about 1e154, below 1e-154) give an infinite or zero spread. ``fit``
refuses such values with a ValueError that says how to rescale them, rather
than training to NaN or on nothing.

NumPy only.
"""

import numpy as np

__all__ = ["check_trainable_range"]

# Sizes whose squares stay normal float64 numbers: the standardisation of
# inputs and targets sums squares (about 1.3e154 overflows, 1e-154 underflows).
_SQUARABLE = (1e-154, 1e154)


def check_trainable_range(values, name, dtype):
    """A ValueError when ``values`` (as given, before any cast) are too large
    or too small to train on: beyond the largest number of the training
    ``dtype``, or below its smallest normal one (every value would read as
    0 or a subnormal), or beyond the sizes whose squares the
    standardisation can sum in float64."""
    if values.size == 0 or np.isnan(values).all():
        return
    # The largest size without an abs() copy of the data.
    largest = max(abs(float(np.nanmax(values))), abs(float(np.nanmin(values))))
    info = np.finfo(dtype)
    low = max(float(info.smallest_normal), _SQUARABLE[0])
    high = min(float(info.max), _SQUARABLE[1])
    if largest == 0 or low <= largest <= high:
        return
    if largest > _SQUARABLE[1]:
        problem = (f"up to {largest:.3g} in size, whose squares overflow float64 when the "
                   "network standardises them")
    elif largest < _SQUARABLE[0]:
        problem = (f"no larger than {largest:.3g} in size, whose squares underflow float64 "
                   "when the network standardises them")
    elif largest > high:
        problem = f"up to {largest:.3g} in size, beyond float32's largest number ({high:.3g})"
    else:
        problem = (f"no larger than {largest:.3g} in size, below float32's smallest normal "
                   f"number ({low:.3g})")
    fix = (f"pass dtype='float64', or rescale {name}" if np.dtype(dtype) == np.float32
           and _SQUARABLE[0] <= largest <= _SQUARABLE[1] else f"rescale {name}")
    raise ValueError(
        f"{name} holds values {problem} (dtype={np.dtype(dtype).name!r}): {fix} by a "
        "constant factor, e.g. 10 ** -k. The network standardises X and y by default, so "
        "the factor changes nothing else; the predictions are in the units of the y it "
        "was fitted on."
    )
