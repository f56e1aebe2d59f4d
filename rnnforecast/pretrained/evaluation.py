"""Zero-shot accuracy on the series shipped in ``datasets/``, by the dev
panel's protocol: two origins at n - 2H and n - H, each forecasting the next
H steps; MASE = MAE / in-sample MAE of seasonal naive at lag m on the data
before the origin; a series' MASE is the mean over its two origins.

The series, their seasonal period m and horizon H are fixed below (H by the
M4 convention of the frequency; m as in ``benchmarks/bench_rolling_origins.py``
except Melbourne temperatures, which take the weekly m = 7 of daily series,
the network having no 365-step context). Long series keep their last 5,000
points, as the dev panel's do.
"""

from typing import NamedTuple

import numpy as np

from ..datasets import load_dataset
from ..metrics import mean_absolute_scaled_error, seasonal_naive_forecast
from .normalise import TARGET_CLIP, robust_level, robust_scale

__all__ = ["Shipped", "SHIPPED", "load_shipped", "mase", "seasonal_naive", "origins",
           "score_forecaster", "geometric_mean", "zero_shot_scores", "heldout_loss"]

LAST = 5000


class Shipped(NamedTuple):
    """One shipped series of the evaluation."""

    name: str
    target: str | None
    m: int
    horizon: int


SHIPPED = (
    Shipped("airline_passengers", None, 12, 18),
    Shipped("melbourne_daily_min_temp", None, 7, 14),
    Shipped("uk_electricity_demand", None, 48, 48),
    Shipped("msft_stock", "close", 1, 14),
    Shipped("sunspots", None, 1, 18),
    Shipped("beijing_pm25", "pm25", 24, 48),
    Shipped("us_change", "consumption", 4, 8),
)


def load_shipped(spec):
    """The values of a shipped series (float64, NaN for missing), last 5,000."""
    data = load_dataset(spec.name)
    if spec.target is not None:
        data = data[spec.target]
    return data.to_numpy(dtype=np.float64)[-LAST:]


def origins(n, horizon):
    """The two origins of the protocol."""
    return (n - 2 * horizon, n - horizon)


def seasonal_naive(history, m, horizon):
    """The value one season before each step (the last value for m = 1), as
    a forecaster of :func:`score_forecaster`."""
    return seasonal_naive_forecast(history, horizon, max(int(m), 1))


def mase(history, actual, forecast, m):
    """MAE of ``forecast`` over the in-sample MAE of seasonal naive at lag m
    (lag 1 for m = 1): :func:`rnnforecast.metrics.mean_absolute_scaled_error`."""
    return mean_absolute_scaled_error(actual, forecast, history, max(int(m), 1))


def score_forecaster(forecaster, values, m, horizon):
    """Mean MASE over the two origins of ``forecaster(history, m, horizon)``."""
    scores = []
    for origin in origins(len(values), horizon):
        history, actual = values[:origin], values[origin:origin + horizon]
        scores.append(mase(history, actual, forecaster(history, m, horizon), m))
    return float(np.mean(scores))


def geometric_mean(values):
    """exp(mean(log(values)))."""
    return float(np.exp(np.mean(np.log(np.asarray(values, dtype=float)))))


def zero_shot_scores(model):
    """MASE of ``model`` and of seasonal naive on every shipped series.

    Returns
    -------
    dict
        ``{name: {"model": mase, "seasonal_naive": mase}}`` and ``"geomean"``.
    """
    def pretrained(history, m, horizon):
        return model.forecast(history, m, horizon)[0]

    scores = {}
    for spec in SHIPPED:
        values = load_shipped(spec)
        scores[spec.name] = {
            "model": score_forecaster(pretrained, values, spec.m, spec.horizon),
            "seasonal_naive": score_forecaster(seasonal_naive, values, spec.m, spec.horizon),
        }
    scores["geomean"] = {key: geometric_mean([scores[s.name][key] for s in SHIPPED])
                         for key in ("model", "seasonal_naive")}
    return scores


def heldout_loss(model, examples_list):
    """Loss of ``model``'s forecasts on held-out synthetic examples, the same
    for any model (first version or later): the mean absolute error in units
    of the robust scale of each example's context (the group's context
    length; :mod:`.normalise`), forecast and future clipped to +-TARGET_CLIP
    scales as in training, over the first ``model.h_max`` steps.

    Parameters
    ----------
    model : PretrainedModel
    examples_list : list of Examples
        From :func:`.corpus.draw_examples`; contexts as long as the model's
        history window or shorter.

    Returns
    -------
    dict
        ``{group: loss}`` and ``"all"``, the mean over groups.
    """
    scores = {}
    for examples in examples_list:
        m, H = examples.m, model.h_max
        context = examples.contexts[:, -model.context_length(m):]
        level = robust_level(context, m)
        scale = robust_scale(context, m, level)[:, None]
        forecast = model.forecast(examples.contexts, m, H)
        future = examples.futures[:, :H]

        def clipped(values):
            return np.clip((values - level[:, None]) / scale, -TARGET_CLIP, TARGET_CLIP)

        scores[examples.group] = float(np.nanmean(np.abs(clipped(forecast) - clipped(future))))
    scores["all"] = float(np.mean([scores[e.group] for e in examples_list]))
    return scores
