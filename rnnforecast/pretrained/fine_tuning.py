"""Fine-tuning the pretrained network on the series it is to forecast.

The pretrained network (:mod:`.model`) has seen synthetic series only. A
copy of it is trained further, with the pretraining loss (:mod:`.training`:
L1 in each example's robust scale, on the head's forecast), on examples cut
from the series themselves:

- one origin per step, from the first with ``min_observed`` values before
  it, to the last value; at most the last ``max_examples`` origins in all
  (shared evenly among many series), so that the examples of a long series
  (each a history window of up to 1,024 values) stay a few hundred MB at
  most: 100 steps of 32 read 3,200 of them;
- the history window before each origin as the model reads it (NaN-padded
  before the series began, as the corpus pads short windows; only the
  values since a level shift in its last seasons,
  :meth:`~.model.PretrainedModel.readable`);
- up to ``h_max`` values after it, of which only the observed ones count:
  the last origins teach the first steps of the horizon only.

Adam with a constant learning rate and global-norm clipping, ``steps``
minibatches drawn at random (without replacement within a batch) from a
generator seeded by ``seed``. The settings (:data:`FINE_TUNING`) were chosen
on fresh synthetic series of the yearly, quarterly and monthly groups
(``benchmarks/bench_fine_tuning.py``), where 100 steps at 1e-3 lowered the
zero-shot MASE by 1-12% per group; then judged as a default on the design
panel and measured on the dev panel (``benchmarks/results/bench_fine_tuning.md``).

Imports NumPy, the core, :mod:`.corpus` and :mod:`.training` only.
"""

import copy
import warnings
from typing import NamedTuple

import numpy as np

from .._core import make_optimizer
from .._core.training import EpochStats
from .corpus import Examples
from .training import prepare, training_step

__all__ = ["FINE_TUNING", "FineTuning", "fine_tune", "series_examples"]


class FineTuning(NamedTuple):
    """Settings of a fine-tuning run.

    Attributes
    ----------
    steps : int
        Minibatches trained on.
    learning_rate : float
        Adam's (constant) learning rate.
    batch_size : int
        Examples per minibatch (all of them when there are fewer).
    clip_norm : float
        Global gradient norm above which a gradient is scaled down.
    min_observed : int
        Least observed values before an origin for it to be an example.
    max_examples : int
        Most origins cut from the series, the latest of each (an equal share
        per series).
    """

    steps: int = 100
    learning_rate: float = 1e-3
    batch_size: int = 32
    clip_norm: float = 1.0
    min_observed: int = 8
    max_examples: int = 8192


FINE_TUNING = FineTuning()


def series_examples(model, series, m, min_observed=FINE_TUNING.min_observed,
                    max_examples=FINE_TUNING.max_examples):
    """The examples ``model`` is fine-tuned on, from every origin inside ``series``.

    Parameters
    ----------
    model : PretrainedModel
    series : sequence of ndarray of shape (n_i,)
        Target values, oldest first; NaN is a missing value.
    m : int
        Seasonal period.
    min_observed : int
        Least observed values in an example's history window.
    max_examples : int
        Most origins in all: the last ``ceil(max_examples / len(series))``
        of each series.

    Returns
    -------
    Examples
        History windows (n, ``model.history_length(m)``) and the ``h_max``
        values after each origin (NaN past the end of its series). Kept: the
        origins with at least ``min_observed`` values before them, one in
        their last season, and one after them.
    """
    L, H = model.history_length(m), model.h_max
    per_series = -(-int(max_examples) // max(len(series), 1))
    contexts, futures = [], []
    for y in series:
        y = np.asarray(y, dtype=np.float64)
        padded = np.concatenate([np.full(L, np.nan), y, np.full(H, np.nan)])
        # ``first``: the index in y of each origin's first future value.
        first = np.arange(max(min_observed, len(y) - per_series), len(y))
        contexts.append(padded[first[:, None] + np.arange(L)[None, :]])
        futures.append(padded[first[:, None] + L + np.arange(H)[None, :]])
    contexts = model.readable(np.concatenate(contexts), m)
    futures = np.concatenate(futures)
    observed = np.isfinite(contexts)
    keep = (observed[:, -max(m, 2):].any(axis=1) & (observed.sum(axis=1) >= min_observed)
            & np.isfinite(futures).any(axis=1))
    return Examples(contexts[keep], int(m), futures[keep], "series")


def fine_tune(model, series, m, seed=None, settings=FINE_TUNING):
    """A copy of ``model`` fine-tuned on ``series``.

    Parameters
    ----------
    model : PretrainedModel
        Left as it is.
    series : sequence of ndarray of shape (n_i,)
        Target values of each series, oldest first (NaN: missing).
    m : int
        Their seasonal period.
    seed : int, sequence of int or None
        Seeds the minibatches: the same seed gives the same weights (on the
        same machine and BLAS).
    settings : FineTuning

    Returns
    -------
    PretrainedModel
        The copy; ``model`` itself when there is no example to train on
        (series shorter than ``settings.min_observed`` + 1 values). A step
        whose loss or gradient is not finite ends training before it is
        applied, with a warning: the copy keeps the weights of the last
        finite step.
    """
    data = prepare(series_examples(model, series, m, settings.min_observed,
                                   settings.max_examples), model)
    n = data.X.shape[2]
    if n == 0 or settings.steps == 0:
        return model
    tuned = copy.deepcopy(model)
    network = tuned.network
    optimizer = make_optimizer("adam", network.params, settings.learning_rate)
    rng = np.random.default_rng(seed)
    stats = EpochStats()
    for step in range(settings.steps):
        idx = rng.choice(n, size=min(settings.batch_size, n), replace=False)
        _, applied = training_step(network, optimizer, data, idx, stats, settings.clip_norm)
        if not applied:
            warnings.warn(f"fine-tuning the pretrained network stopped at step {step} of "
                          f"{settings.steps}: a non-finite loss or gradient; the weights "
                          "of the steps before are kept.", RuntimeWarning, stacklevel=2)
            break
    network.release_buffers()  # it trains no further; its forecasts make their own
    return tuned
