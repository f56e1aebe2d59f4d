"""Naive forecasts as a fallback, chosen per series by the backtest inside fit.

On some series nothing beats repeating the last value or the last season: a
random walk, a short noisy series, one whose windows are too few for the
linear skip and the networks to learn more than noise. The backtest inside
``fit`` (see :mod:`.backtest`) scores the model from the calibration origins
of every series; :func:`choose` scores the naive forecasts from the same
origins and keeps, for each series, whichever had the lowest mean absolute
error (the model on a tie). The intervals of a series then come from the
backtest errors of the method that forecasts it. The choice is made on the
same errors that calibrate the intervals, so those errors are slightly
optimistic for the method chosen when the methods were close.

It is off by default (``RNNForecaster(naive_fallback=False)``). Measured on
the 26 series of ``benchmarks/bench_accuracy.py`` (three seeds) it made the
geometric-mean MASE worse, 1.082 against 0.988: it rescued a few series
(arctic sea ice 2.99 to 2.15) and lost more on others (Johnson & Johnson
2.06 to 6.00, Australian tourists 0.59 to 0.97). The comparison is biased
towards the naive methods: the model scored on the backtest is the
calibration model, trained without the last origins, which on a short or
trending series is much weaker than the final model trained on all of them.

- naive: the last observed value, at every step;
- seasonal naive (when the series has a season that fits in the window):
  step h (0-based) gets the value ``season`` steps before it, the last
  season repeated; a missing value there gives the last observed value.
"""

import numpy as np

from .scaling import last_observed

__all__ = ["MODEL", "choose", "naive_forecast", "naive_methods"]

MODEL = "model"
NAIVE = "naive"
SEASONAL_NAIVE = "seasonal naive"


def naive_methods(season, window):
    """The naive methods that apply to windows of ``window`` steps."""
    return [NAIVE, SEASONAL_NAIVE] if 1 < season <= window else [NAIVE]


def naive_forecast(method, inputs, season, horizon):
    """Forecasts of the naive ``method`` from raw windows.

    Parameters
    ----------
    method : {"naive", "seasonal naive"}
    inputs : ndarray of shape (n, window, n_features)
        Raw windows (column 0 the target), each holding an observed value.
    season : int
    horizon : int

    Returns
    -------
    forecast : ndarray of shape (n, horizon)
    """
    target = inputs[:, :, 0]
    last = last_observed(target)
    if method == NAIVE:
        return np.repeat(last[:, None], horizon, axis=1)
    window = target.shape[1]
    values = target[:, window - season + np.arange(horizon) % season]
    return np.where(np.isnan(values), last[:, None], values)


def choose(candidates, codes, n_series):
    """Which method forecasts each series best on the backtest.

    Parameters
    ----------
    candidates : dict
        ``{method: errors}``: the signed backtest errors of each method, shape
        (n_origins, horizon), from the same origins (NaN where the value was
        missing). On a tie the method listed first is kept.
    codes : ndarray of int, shape (n_origins,)
        The series of each origin.
    n_series : int

    Returns
    -------
    methods : list of str
        The method of each series (the first method for a series without
        origins).
    errors : ndarray of shape (n_origins, horizon)
        The errors of the method chosen for each origin's series.
    """
    names = list(candidates)
    methods = [names[0]] * n_series
    errors = candidates[names[0]].copy()
    for code in np.unique(codes):
        mine = codes == code
        scores = np.array([_mean_absolute(candidates[name][mine]) for name in names])
        # The first of equal scores; a method never scored (all NaN) never wins.
        best = names[int(np.argmin(np.where(np.isnan(scores), np.inf, scores)))]
        methods[code] = best
        errors[mine] = candidates[best][mine]
    return methods, errors


def _mean_absolute(errors):
    """The mean absolute value of the observed ``errors``; NaN, without
    numpy's "Mean of empty slice" warning, when none is observed."""
    observed = ~np.isnan(errors)
    n = int(observed.sum())
    return np.nansum(np.abs(errors)) / n if n else np.nan
