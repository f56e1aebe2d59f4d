"""Events: level shifts, outliers (spikes) and missing steps, single or in runs."""

import numpy as np

from ._arguments import (Component, as_generator, check_count, check_panel,
                         check_positive, check_share)

__all__ = ["level_shifts", "add_outliers", "add_missing"]


def _check_values(values):
    array = np.asarray(values, dtype=float)
    if array.ndim != 2 or array.shape[1] < 2:
        raise ValueError(f"values has shape {array.shape}; pass a 2-D array (n_series, "
                         "length) with length >= 2, e.g. values[None, :] for one series.")
    return array.copy()


def level_shifts(n_series, length, seed=None, *, n_shifts=None, size=1.0):
    """Step functions: the level jumps at a few steps and stays there.

    Parameters
    ----------
    n_series, length : int
        Number of series (rows) and steps (columns); length >= 10.
    seed : int, numpy.random.Generator or None
        Source of the random draws.
    n_shifts : int >= 1, default drawn from {1, 2} per series
        Number of jumps, at steps drawn uniformly in the middle 80% of the series.
    size : float > 0, default 1
        Standard deviation of a jump (jumps are normal, at least size / 2 in
        absolute value so each one can be seen).

    Returns
    -------
    Component
        ``values`` (0 before the first jump) and ``params``: ``shift_points``
        (the first step at each new level) and ``shift_sizes``, tuples per series.

    Examples
    --------
    >>> import numpy as np
    >>> from rnnforecast.synthetic import level_shifts
    >>> shifts = level_shifts(1, 50, seed=0, n_shifts=1)
    >>> (step,) = shifts.params["shift_points"][0]
    >>> bool(np.all(shifts.values[0, :step] == 0) and np.all(shifts.values[0, step:] != 0))
    True
    """
    n_series, length, rng = check_panel(n_series, length, seed, 10)
    size = check_positive(size, "size")
    counts = (rng.integers(1, 3, n_series) if n_shifts is None
              else np.full(n_series, check_count(n_shifts, "n_shifts")))
    most = counts.max()
    points = np.sort(rng.integers(length // 10, length - length // 10, (n_series, most)), axis=1)
    jumps = rng.normal(0, size, (n_series, most))
    jumps = np.sign(jumps) * np.maximum(np.abs(jumps), size / 2)
    jumps *= np.arange(most) < counts[:, None]  # unused jumps are zero
    values = np.zeros((n_series, length))
    for j in range(most):
        values += jumps[:, j:j + 1] * (np.arange(length) >= points[:, j:j + 1])
    return Component(values, {
        "shift_points": [tuple(int(p) for p in row[:k]) for row, k in zip(points, counts)],
        "shift_sizes": [tuple(row[:k].tolist()) for row, k in zip(jumps, counts)]})


def add_outliers(values, seed=None, *, share=0.01, size=None):
    """Spikes added at random steps, in multiples of each series' noise scale.

    The scale is the robust standard deviation of the first differences,
    :math:`1.4826\\, \\mathrm{median}|\\Delta y - \\mathrm{median}\\,\\Delta y| / \\sqrt 2`,
    so the spike stands out from the noise whatever the trend or season.

    Parameters
    ----------
    values : array of shape (n_series, length)
        The series (left unchanged: a copy is returned).
    seed : int, numpy.random.Generator or None
        Source of the random draws.
    share : float in [0, 0.5), default 0.01
        Expected share of steps that become outliers (at least one per series).
    size : float > 0, default drawn from U(5, 15) per spike
        Spike size in multiples of the scale; the sign is random.

    Returns
    -------
    Component
        The new ``values`` and ``params["outliers"]``, the steps hit per series.

    Examples
    --------
    >>> import numpy as np
    >>> from rnnforecast.synthetic import add_outliers
    >>> series = np.random.default_rng(0).normal(size=(1, 200))
    >>> spiked = add_outliers(series, seed=1, share=0.02, size=20.0)
    >>> steps = spiked.params["outliers"][0]
    >>> bool(np.all(np.abs(spiked.values[0, list(steps)]) > 10))
    True
    """
    values = _check_values(values)
    share = check_share(share, "share", upper=0.5)
    rng = as_generator(seed)
    n_series, length = values.shape
    hit = rng.random((n_series, length)) < share
    hit[np.arange(n_series), rng.integers(0, length, n_series)] = True
    differences = np.diff(values, axis=1)
    centred = differences - np.nanmedian(differences, axis=1, keepdims=True)
    scale = 1.4826 * np.nanmedian(np.abs(centred), axis=1, keepdims=True) / np.sqrt(2)
    scale = np.where(scale > 0, scale, 1.0)  # a noiseless series: spikes in its own units
    spikes = (rng.uniform(5, 15, values.shape) if size is None
              else np.full(values.shape, check_positive(size, "size")))
    spikes *= rng.choice([-1.0, 1.0], values.shape) * scale
    values += np.where(hit, spikes, 0.0)
    return Component(values, {"outliers": [tuple(np.flatnonzero(row).tolist()) for row in hit]})


def _start_probability(share, mean_run):
    """Per-step probability that a run starts, so that a share ``share`` of steps
    is covered: P(step uncovered) = prod_j (1 - p q^j), q = 1 - 1/mean_run, the
    runs that started j steps earlier being still open with probability q^j."""
    q = 1 - 1 / mean_run
    still_open = q ** np.arange(int(60 * mean_run) + 1)
    low, high = 0.0, 1.0
    for _ in range(60):  # bisection on the monotone covered share
        p = (low + high) / 2
        covered = 1 - np.prod(1 - p * still_open)
        low, high = (p, high) if covered < share else (low, p)
    return (low + high) / 2


def add_missing(values, seed=None, *, share=0.05, mean_run=1.0):
    """Missing steps (NaN), single or in runs of geometric length.

    Runs start at each step with a probability chosen so that the expected share
    of missing steps is ``share`` (runs may overlap), and last a geometric number
    of steps with mean ``mean_run`` (1: single steps only).

    Parameters
    ----------
    values : array of shape (n_series, length)
        The series (left unchanged: a copy is returned).
    seed : int, numpy.random.Generator or None
        Source of the random draws.
    share : float in [0, 0.9), default 0.05
        Expected share of missing steps.
    mean_run : float >= 1, default 1
        Mean length of a run of missing steps.

    Returns
    -------
    Component
        The new ``values`` and ``params["missing_share"]``, the share per series.

    Examples
    --------
    >>> import numpy as np
    >>> from rnnforecast.synthetic import add_missing
    >>> holed = add_missing(np.zeros((200, 500)), seed=0, share=0.1, mean_run=4.0)
    >>> round(float(np.isnan(holed.values).mean()), 2)
    0.1
    """
    values = _check_values(values)
    share = check_share(share, "share", upper=0.9)
    if not mean_run >= 1:
        raise ValueError(f"mean_run={mean_run} is below 1; pass mean_run >= 1 (1: single "
                         "missing steps).")
    rng = as_generator(seed)
    n_series, length = values.shape
    if share == 0:
        return Component(values, {"missing_share": [0.0] * n_series})
    steps = np.arange(length)
    starts = rng.random((n_series, length)) < _start_probability(share, mean_run)
    runs = rng.geometric(1 / mean_run, (n_series, length))
    # A step is missing when a run that started at or before it reaches past it.
    reach = np.maximum.accumulate(np.where(starts, steps + runs, 0), axis=1)
    missing = reach > steps
    values[missing] = np.nan
    return Component(values, {"missing_share": missing.mean(axis=1).tolist()})
