"""A level shift in the last seasons: the pretrained network reads only what follows it.

The network's seasonal baselines repeat the median of the last three seasons
(:mod:`.baselines`). After a series steps to a new level, those seasons hold
the old level for three seasons, and the forecast stayed near it: an hourly
series 10 hours after a step from 5 to 50 was forecast at 31 falling to 17
(``benchmarks/bench_level_shift.py``), where AutoARIMA follows at once.

So before forecasting, the history window is checked for a shift in its last
``BASELINE_SEASONS`` seasons: for each run of final steps, at least
``SHIFT_MIN_STEPS`` long, the steps are compared with the seasonal baseline
of the values before them (the median of the three seasons before, at each
phase), in units of the robust scale of the values before the checked seasons
(:func:`.normalise.robust_scale`). When every step of a run lies more than
``SHIFT_SCALES`` scales above that baseline, or every step below it, the
series is taken to have shifted as many steps ago as the longest such run,
and the values before are read as missing: the network forecasts from the new
level alone, as from a short series.

Only seasonal series are checked (m >= 2): without a season the network's
naive and drift baselines follow the last values already, and on yearly
generator series the check mistook accelerating trends for shifts. The
thresholds leave every forecast of the accuracy benchmark's 58 real series
unchanged, at their two origins and, for the sub-daily ones, at the last 200
origins, and never fire on 1,800 generator series of the six calendars; on
6,000 generator series with level shifts or outliers they fire on 13 seasonal
ones, 10 of which are forecast better (``benchmarks/zero_shot_synthetic.py``).

Imports NumPy only.
"""

import numpy as np

from .normalise import (BASELINE_SEASONS, nanmedian_last_axis, robust_level, robust_scale,
                        seasonal_baseline)

__all__ = ["SHIFT_MIN_STEPS", "SHIFT_SCALES", "after_level_shift", "steps_since_shift"]

# A shift is this many robust scales (seasonal-naive errors) from the baseline,
# at every one of at least SHIFT_MIN_STEPS final steps: a single outlier, or a
# few values that noise pushes past the threshold, is no shift.
SHIFT_SCALES = 10.0
SHIFT_MIN_STEPS = 3


def steps_since_shift(y, m, seasons=BASELINE_SEASONS):
    """Steps since a level shift in the last ``seasons`` seasons of each row.

    Parameters
    ----------
    y : ndarray of shape (n, L)
        History windows, oldest first, NaN where missing.
    m : int
        Seasonal period.
    seasons : int
        Seasons checked (those the seasonal baseline reads).

    Returns
    -------
    ndarray of int, shape (n,)
        The length of the longest run of final steps, from ``SHIFT_MIN_STEPS``
        to ``seasons * m``, whose steps all lie more than ``SHIFT_SCALES``
        scales on one side of the seasonal baseline of the values before the
        run (the scale: that of the values before the checked seasons); 0
        where there is none, for m < 2, and for rows with fewer than two
        seasons of observed values before the checked ones.
    """
    n, L = y.shape
    m = int(m)
    span = seasons * m
    if m < 2 or L <= span:
        return np.zeros(n, dtype=int)
    # One scale for every candidate run: that of the values before the checked seasons.
    before = y[:, :L - span]
    scale = robust_scale(before, m, robust_level(before, m))
    runs = np.arange(SHIFT_MIN_STEPS, span + 1)
    # A run can only be a shift where its last step is: screen every run at
    # once on the last step, then check the few (row, run) pairs left whole.
    last_far = np.abs(y[:, -1:] - _last_step_baselines(y, m, runs, seasons)) / scale[:, None]
    with np.errstate(invalid="ignore"):  # NaN compares False: a missing step is no shift
        candidates = last_far > SHIFT_SCALES
    since = np.zeros(n, dtype=int)
    for j in np.nonzero(candidates.any(axis=0))[0]:
        run, rows = runs[j], np.nonzero(candidates[:, j])[0]
        # The last ``run`` steps against the seasonal baseline just before them.
        errors = ((y[rows, L - run:] - seasonal_baseline(y[rows, :L - run], m, run, seasons))
                  / scale[rows, None])
        with np.errstate(invalid="ignore"):
            shifted = (errors > SHIFT_SCALES).all(axis=1) | (errors < -SHIFT_SCALES).all(axis=1)
        since[rows[shifted]] = run  # runs ascend: the longest shifted run is kept
    return np.where(np.isfinite(before).sum(axis=1) >= 2 * m, since, 0)


def _last_step_baselines(y, m, runs, seasons):
    """The seasonal baseline of the last step of ``y`` (n, L) from the values
    before each run of final steps, shape (n, len(runs)): column j is
    ``seasonal_baseline(y[:, :L - runs[j]], m, runs[j], seasons)[:, -1]``."""
    L = y.shape[1]
    # The last step is step h = run - 1 after the run's start C = L - run; its
    # baseline reads positions C + (h mod m) - k m, k = 1..seasons.
    phase = (runs - 1) % m
    positions = (L - runs + phase)[:, None] - m * np.arange(1, seasons + 1)[None, :]
    valid = positions >= 0
    picked = y[:, np.where(valid, positions, 0)]  # (n, runs, seasons)
    picked[:, ~valid] = np.nan
    return nanmedian_last_axis(picked)


def after_level_shift(y, m, seasons=BASELINE_SEASONS):
    """``y`` (n, L) with the values before a shift found by
    :func:`steps_since_shift` read as missing; ``y`` itself where none is."""
    since = steps_since_shift(y, m, seasons)
    if not since.any():
        return y
    cut = y.copy()
    steps = np.arange(y.shape[1])[None, :]
    cut[(since[:, None] > 0) & (steps < y.shape[1] - since[:, None])] = np.nan
    return cut
