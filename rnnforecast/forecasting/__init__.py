"""RNNForecaster and what it is made of, one job per module.

- :mod:`.forecaster`: the public estimator (parameters, fit, predict,
  predict_interval, predict_quantiles, update, score, network_data).
- :mod:`.inputs`, :mod:`.panel_inputs`, :mod:`.frames`: checks of the series
  given (one, or many as a dict, a long frame or a Nixtla frame; polars
  converted), turned into a list of checked series.
- :mod:`.calendar`: frequencies, seasonal periods, the next timestamps.
- :mod:`.scaling`: windows relative to their last value, in units of their
  series' standard deviation.
- :mod:`.windows`: the windows of the series, cut on demand, as a batch source.
- :mod:`.future_steps`, :mod:`.future_inputs`: covariates known in advance,
  read on the steps forecast; their values at forecast time, checked.
- :mod:`.outliers`: gross outliers of the target, read as missing.
- :mod:`.naive_fallback`: naive methods chosen per series by the backtest
  (``naive_fallback=True``).
- :mod:`.zero_shot`: the pretrained network as a method (``model=``):
  zero-shot, combined with the model, or chosen per series by the backtest.
- :mod:`.linear_skip`, :mod:`.window_model`: the ridge on the window, and the
  model that adds the networks' ensemble to it.
- :mod:`.backtest`: calibration origins and the best-epoch rule, for both
  training modes; :mod:`.intervals`: conformal intervals and quantiles from
  its errors.
- :mod:`.ensemble`: the networks, trained one per job; :mod:`.progress`: the
  events a listener receives while they train.
- :mod:`.window_training`, :mod:`.sequence_training`: the two training modes;
  each returns a :class:`.state.FitResult`.
- :mod:`.state`: the fitted series, where each stands, and the layout of
  forecasts.
- :mod:`.separate_models`: many series, a forecaster fitted to each alone
  (``many_series``).
"""

from .forecaster import RNNForecaster
from .outliers import OutlierWarning

__all__ = ["OutlierWarning", "RNNForecaster"]
