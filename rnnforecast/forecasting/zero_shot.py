"""The pretrained network as a forecaster's method: zero-shot, or averaged with the model.

``RNNForecaster(model=...)`` chooses what forecasts each series:

- ``"per_series"``: the model trained in ``fit`` (the linear skip and the
  networks; method ``"model"``);
- ``"zero_shot"``: the network pretrained on synthetic series
  (:func:`rnnforecast.pretrained.shipped_model`), used as it is: ``fit``
  trains nothing and only scores it from the calibration origins, for the
  intervals (method ``"zero-shot"``);
- ``"combined"``: the mean of the two forecasts, an ensemble of a model
  that knows the series and one that knows many (method ``"combined"``);
- ``"by_frequency"`` (the default): ``"zero_shot"`` for sub-daily data
  whose seasonal period the network was pretrained on (hourly, half-hourly)
  where it can serve (a horizon within its ``h_max``, window training) and
  the target is all it is asked to read (no covariates in ``X``, no
  ``seasonal_lag``); ``"per_series"`` for everything else. The rule was
  chosen on the design panel of ``benchmarks/bench_accuracy.py``, where
  the pretrained network beat the per-series model on 5 of its 6 sub-daily
  series (geometric-mean MASE 0.603 against 0.911; 3 of 5 sub-daily
  series added later to check it) and no other group clearly (daily data,
  checked on ten design series, stay per-series); it also makes fit fast
  exactly where the per-series model is slowest (long series of many steps
  a day). A series it forecasts per series whose last seasons hold a level
  shift is forecast by the network instead (see :func:`guards_level_shifts`);
- ``"auto"``: whichever of the three had the lowest mean
  absolute error from the calibration origins of the series (the model on
  a tie), as the naive fallback chooses (see :mod:`.naive_fallback`, whose
  caveat holds here too: the model scored is the calibration model, weaker
  than the final one, so the choice leans towards the pretrained methods).
  Without calibration origins, or where the network cannot serve, the
  model alone.

With ``fine_tune=True`` the pretrained network of these methods is first
fine-tuned on the series of ``y`` (:meth:`ZeroShot.fine_tuned`): in the
backtest, a copy tuned on the rows before the calibration origins; after
it, where the backtest kept a method that uses the network, one tuned on
every row. ``method_`` then says "fine-tuned" for
"zero-shot".

The pretrained network reads the target alone, as many steps before each
origin as its history window for the seasonal period (see
:meth:`rnnforecast.pretrained.PretrainedModel.history_length`), and
forecasts at most its ``h_max`` steps.

Errors are in the units of :mod:`.backtest`: ``(y - forecast) / scale``,
the scale being the series' standard deviation. The combined forecast is the
mean of two forecasts, so its errors are the mean of theirs.
"""

import warnings

from .naive_fallback import MODEL

__all__ = ["BY_FREQUENCY", "COMBINED", "FINE_TUNED", "MODES", "NETWORK_SETTINGS",
           "PER_SERIES_SETTINGS", "ZERO_SHOT",
           "ZeroShot", "combined_errors", "guards_level_shifts", "resolve_methods",
           "uses_network", "warn_unused_fine_tune", "warn_unused_settings"]

ZERO_SHOT = "zero-shot"
# What ``method_`` calls ZERO_SHOT with ``fine_tune=True``.
FINE_TUNED = "fine-tuned"
COMBINED = "combined"
# The methods each value of RNNForecaster(model=...) lets the backtest choose
# from, the one kept on a tie first.
MODES = {
    "per_series": [MODEL],
    "zero_shot": [ZERO_SHOT],
    "combined": [COMBINED],
    "auto": [MODEL, ZERO_SHOT, COMBINED],
}
BY_FREQUENCY = "by_frequency"  # "zero_shot" or "per_series" by the calendar
# The steps per day of the sub-daily data "by_frequency" gives the pretrained
# network: its corpus's hourly and half-hourly groups (pretrained/corpus.py),
# the calendars the rule was chosen on. Two-hourly data (12 a day) share a
# period with the monthly group, not its shapes, and stay per-series.
PRETRAINED_STEPS_PER_DAY = (24, 48)


def uses_network(methods):
    """Whether one of ``methods`` forecasts with the pretrained network."""
    return ZERO_SHOT in methods or COMBINED in methods


def combined_errors(model_errors, zero_shot_errors):
    """Errors of the mean of two forecasts, from the errors of each."""
    return (model_errors + zero_shot_errors) / 2


def resolve_methods(mode, horizon, training, covariate_names, calendar, seasonal_lag=None):
    """The methods ``RNNForecaster(model=mode)`` chooses from with these
    settings, for series on ``calendar`` (a :class:`.calendar.Calendar`).

    ``"by_frequency"`` gives the zero-shot network for sub-daily data of a
    period it was pretrained on where it can serve and is asked to read the
    target alone (no covariates, no ``seasonal_lag``), else the model.
    ``"auto"`` leaves the pretrained methods out where the network cannot
    serve (a horizon beyond its ``h_max``, sequence training): the model
    alone then. The other modes raise a ValueError there, and
    ``"zero_shot"`` also for covariates it would leave unread.
    """
    if mode == BY_FREQUENCY:
        # The network is loaded only for data it may forecast.
        serves = (calendar.sub_daily and calendar.season in PRETRAINED_STEPS_PER_DAY
                  and _network_reads(horizon, training, covariate_names, calendar.season,
                                     seasonal_lag))
        return MODES["zero_shot" if serves else "per_series"]
    if mode == "per_series":
        return MODES[mode]
    h_max = _shipped().h_max
    if mode == "auto":
        return MODES[mode] if horizon <= h_max and training == "window" else [MODEL]
    if horizon > h_max:
        raise ValueError(
            f"model={mode!r} uses the pretrained network, which forecasts at most {h_max} "
            f"steps; got horizon={horizon}. Use model='per_series' or 'auto', or a horizon "
            f"of at most {h_max}."
        )
    if training != "window":
        raise ValueError(
            f"model={mode!r} works with training='window'; got training={training!r}. Use "
            "model='per_series' or 'auto' with sequence training."
        )
    if mode == "zero_shot" and covariate_names:
        raise ValueError(
            f"model='zero_shot' reads the target alone, so the covariates of X "
            f"({list(covariate_names)}) would go unread; fit without X, or use "
            "model='combined' or 'auto', whose per-series model reads them."
        )
    return MODES[mode]


def guards_level_shifts(mode, methods, horizon, training, covariate_names, calendar,
                        seasonal_lag=None):
    """Whether the per-series forecasts of ``model=mode`` (resolved to
    ``methods``) hand a series that shifted level in its last seasons to the
    pretrained network, which reads the values since (see
    :mod:`rnnforecast.pretrained.level_shift`).

    The per-series model trains on windows followed by ``horizon`` known
    values, so it has never seen the steps after a recent shift and keeps
    forecasting the old level (``benchmarks/bench_level_shift.py``: a daily
    step from 5 to 50 ten days before the end was forecast at about 5). The
    default, ``"by_frequency"``, guards its per-series forecasts where the
    network could forecast the series: window training, a horizon within
    its ``h_max``, the target alone, and a seasonal period it was
    pretrained on.
    """
    return (mode == BY_FREQUENCY and methods == MODES["per_series"] and calendar.season >= 2
            and _network_reads(horizon, training, covariate_names, calendar.season,
                               seasonal_lag))


def _network_reads(horizon, training, covariate_names, season, seasonal_lag):
    """Whether the pretrained network can forecast series of period ``season``
    with these settings, reading all they give: window training, no
    covariates or ``seasonal_lag``, a period it was pretrained on and a
    horizon within its ``h_max`` (the network is loaded only if the
    settings pass)."""
    return (training == "window" and not covariate_names and seasonal_lag is None
            and _shipped().knows_period(season) and horizon <= _shipped().h_max)


# Settings of the per-series model that the pretrained network does not use.
PER_SERIES_SETTINGS = ("regressor", "strategy", "n_networks", "linear_skip", "early_stopping",
                       "max_windows_per_series", "max_windows_per_epoch",
                       "seasonal_adjustment")
# The settings of the networks alone, which the linear skip (n_networks=0)
# does not use.
NETWORK_SETTINGS = ("regressor", "early_stopping", "max_windows_per_epoch")


def warn_unused_settings(params, defaults, mode, methods, freq, stacklevel):
    """Warn when settings changed from their ``defaults`` describe a model
    that does not run: the per-series model's, where ``model=mode``
    (resolved to ``methods``) forecasts with the pretrained network alone;
    the networks', where ``n_networks=0`` leaves the linear skip alone.
    ``stacklevel`` points the warning at the user's call."""
    if methods == MODES["zero_shot"]:
        names = PER_SERIES_SETTINGS
        what = (f"model='by_frequency' forecasts {freq!r} data with the pretrained network, "
                "zero-shot," if mode == BY_FREQUENCY
                else f"model={mode!r} forecasts with the pretrained network alone,")
        fix = "Pass model='per_series' to train the model these settings describe."
    elif params["n_networks"] == 0 and params["training"] == "window":
        names = NETWORK_SETTINGS
        what = "n_networks=0 forecasts with the linear skip alone,"
        fix = "Pass n_networks >= 1 to train the networks these settings describe."
    else:
        return
    changed = [f"{name}={params[name]!r}" for name in names
               if params[name] is not defaults[name] and params[name] != defaults[name]]
    if changed:
        warnings.warn(f"RNNForecaster: {what} which does not use {', '.join(changed)}. {fix}",
                      UserWarning, stacklevel=stacklevel + 1)


def warn_unused_fine_tune(mode, methods, stacklevel):
    """Warn when ``fine_tune=True`` tunes nothing: no method of ``model=mode``
    (resolved to ``methods``) uses the pretrained network. ``stacklevel``
    points the warning at the user's call."""
    if not uses_network(methods):
        why = ("forecasts these data per series" if mode == BY_FREQUENCY
               else "does not use the pretrained network here")
        warnings.warn(
            f"RNNForecaster: fine_tune=True has no effect: model={mode!r} {why}. Pass "
            "model='zero_shot', 'combined' or 'auto' to fine-tune the pretrained network.",
            UserWarning, stacklevel=stacklevel + 1)


_MODEL = []


def _shipped():
    """The shipped pretrained network, loaded once per process."""
    if not _MODEL:
        from ..pretrained import shipped_model  # read on first use only

        _MODEL.append(shipped_model())
    return _MODEL[0]


class ZeroShot:
    """The shipped pretrained network forecasting ``horizon`` steps of series
    of seasonal period ``season``.

    Parameters
    ----------
    season : int
    horizon : int
    network : PretrainedModel, optional
        The network that forecasts; default: the shipped one.
    """

    def __init__(self, season, horizon, network=None):
        self.network = _shipped() if network is None else network
        self.season = int(season)
        self.horizon = int(horizon)
        # The rows it reads before an origin (its context, and the longer
        # history window it summarises).
        self.history_length = self.network.history_length(self.season)

    def fine_tuned(self, series, seed):
        """A ZeroShot whose network is this one's fine-tuned on ``series``
        (a list of target arrays, oldest first; see
        :func:`rnnforecast.pretrained.fine_tuning.fine_tune`)."""
        from ..pretrained.fine_tuning import fine_tune

        return ZeroShot(self.season, self.horizon,
                        fine_tune(self.network, series, self.season, seed))

    def forecast(self, contexts):
        """Forecasts (n, horizon) from target contexts (n, L), oldest first,
        NaN for a missing value (or before the series began)."""
        return self.network.forecast(contexts, self.season, self.horizon)

    def shifted(self, contexts):
        """Which contexts (n, L) shifted level in their last seasons (see
        :mod:`rnnforecast.pretrained.level_shift`): bool (n,)."""
        return self.network.shifted(contexts, self.season)

    def floors_at_zero(self, contexts):
        """Which contexts (n, L) the network's forecasts are floored at 0 for
        (a series never below 0 in its history window): bool (n,)."""
        return self.network.floors_at_zero(contexts, self.season)
