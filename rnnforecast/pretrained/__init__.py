"""A recurrent forecaster pretrained on synthetic series (issue 14), used
zero-shot or fine-tuned on the series it forecasts.

- :mod:`.corpus`: training examples (context, period, future) drawn from
  :mod:`rnnforecast.synthetic` with a seed, one group per calendar;
- :mod:`.normalise`: scale-free inputs (robust level and scale), the robust
  seasonal baseline, and back to the series' units;
- :mod:`.history`: the summary of the whole history window (long-run level,
  spread, floor, drift, zeros) and the second seasonal period;
- :mod:`.baselines`: the candidate baselines (seasonal, naive, second
  period, level, long-run);
- :mod:`.skill`: how each baseline would have forecast from a few
  pseudo-origins inside the history window (the third version's inputs);
- :mod:`.head`: the baselines weighted along the horizon plus residuals,
  floored at 0, and its gradient;
- :mod:`.model`: :class:`PretrainedModel` (a GRU with a direct
  multi-horizon head) and its ``forecast``;
- :mod:`.model_file`: its ``.npz`` file (:func:`save_model`,
  :func:`load_model`) and the shipped weights (:func:`shipped_model`);
- :mod:`.training`: the pretraining loop and its held-out loss;
- :mod:`.fine_tuning`: a copy of the network trained further on the series
  it is to forecast (``RNNForecaster(fine_tune=True)``);
- :mod:`.evaluation`: zero-shot MASE on the shipped series;
- :mod:`.card`: the model card;
- :mod:`.train`: the command ``python -m rnnforecast.pretrained.train``.

The trained weights ship in ``weights/`` (``model.npz``, with ``card.md``,
``card.json`` and ``curve.csv``): :func:`shipped_model` loads them.
:mod:`.normalise`, :mod:`.history`, :mod:`.baselines`, :mod:`.skill`,
:mod:`.head`, :mod:`.model` and :mod:`.model_file` import NumPy and the core only.
"""

from .model import PretrainedModel
from .model_file import load_model, save_model, shipped_model

__all__ = ["PretrainedModel", "load_model", "save_model", "shipped_model"]
