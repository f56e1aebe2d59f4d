"""The target one longer season earlier, read as a covariate known in advance.

A window of two seasons (``window="auto"``) sees the day of hourly data and
the week of daily data, but not the longer cycle around them: the week of
hourly and half-hourly data (a Saturday is not a Friday), the year of daily
data (a January is not a July). Statistical peers read it with a second
seasonal period (MSTL's ``season_length=[24, 168]``); the pretrained
network with its ``seasonal2`` baseline (:mod:`rnnforecast.pretrained`).
Here the target ``lag`` steps earlier is one more column of every row,
known in advance: at a step to forecast ``t + h`` (``h <= horizon <= lag``)
the value ``y[t + h - lag]`` is already observed at the origin ``t``. The
linear skip and the networks read it at the future rows of each window
(:mod:`.future_steps`), so "as this time last week, moved by how this
week has gone" is one ridge weight away.

The lag is the calendar's second period (:data:`SECOND_PERIODS`, by the
seasonal period of :mod:`.calendar`); a row less than ``lag`` steps into
its series has no such value (NaN: the linear skip reads the covariate's
mean there, the networks a missing step).

:class:`SeasonalLag` makes the column from a series' target (``fit``, and
the rows of ``update``) and its future values from the rows kept.
"""

import numpy as np

from .._periods import SECOND_PERIODS

__all__ = ["SECOND_PERIODS", "SeasonalLag", "resolve_lag"]

# "auto" reads the lag when the longest series holds this many lags: two
# thirds of its windows then see a lagged value at every step they forecast.
# (On the design panel of benchmarks/bench_accuracy.py, 1.5 let in two years
# of daily Beijing temperature, whose forecast got worse, 0.517 -> 0.699.)
AUTO_MIN_LAGS = 3


def resolve_lag(seasonal_lag, season, horizon, longest, training="window"):
    """The lag ``RNNForecaster(seasonal_lag=...)`` reads: an int, or None.

    ``"auto"``: the second period of ``season`` when there is one, the
    horizon is at most that long and the longest series holds
    ``AUTO_MIN_LAGS`` (3) of them (window training only); None otherwise. An
    int is checked against the horizon: a lag shorter than the horizon
    would need values not observed yet.
    """
    if seasonal_lag is None:
        return None
    if seasonal_lag == "auto":
        lag = SECOND_PERIODS.get(season)
        if (lag is None or training != "window" or horizon > lag
                or longest < AUTO_MIN_LAGS * lag):
            return None
        return lag
    if training != "window":
        raise ValueError(
            f"seasonal_lag={seasonal_lag!r} works with training='window'; got "
            f"training={training!r}. Use seasonal_lag=None or 'auto' with sequence training."
        )
    if seasonal_lag < horizon:
        raise ValueError(
            f"seasonal_lag={seasonal_lag} is shorter than horizon={horizon}: the value "
            f"{seasonal_lag} steps before the last step to forecast is not observed at the "
            f"origin. Use a lag of at least {horizon}, 'auto' or None."
        )
    return int(seasonal_lag)


class SeasonalLag:
    """The target ``lag`` steps earlier, as the last column of a series' rows.

    Parameters
    ----------
    lag : int
    """

    def __init__(self, lag):
        self.lag = int(lag)

    def column(self, target):
        """``target`` (n,) moved ``lag`` steps later, NaN for its first
        ``lag`` rows."""
        out = np.full(len(target), np.nan)
        out[self.lag:] = target[:-self.lag]
        return out

    def append(self, values):
        """Rows ``values`` (n, n_features) with the lagged target as one more
        column (a new array; ``values`` is not modified)."""
        return np.column_stack([values, self.column(values[:, 0])])

    def append_new(self, kept, new_rows):
        """New rows ``new_rows`` (n_new, n_features without the lag) of a
        series whose last rows, lag column included, are ``kept``: the new
        rows with their lag column, read from the targets before them."""
        targets = np.concatenate([kept[:, 0], new_rows[:, 0]])
        lagged = self.column(targets)[len(kept):]
        return np.column_stack([new_rows, lagged])

    def future(self, kept, horizon):
        """The lag column at the ``horizon`` steps after the rows ``kept``
        (n_series, n_kept, n_features), shape (n_series, horizon): NaN where
        the series is not ``lag`` steps long."""
        n_kept = kept.shape[1]
        steps = n_kept - self.lag + np.arange(horizon)
        out = np.full((len(kept), horizon), np.nan)
        inside = steps >= 0
        out[:, inside] = kept[:, steps[inside], 0]
        return out
