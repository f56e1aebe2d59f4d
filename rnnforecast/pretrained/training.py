"""The pretraining loop: batches of one calendar group at a time, an L1 loss
in units of each example's robust scale (so it averages like MASE) on the head's
forecast (:mod:`.head`: weighted baselines plus residuals, floored), Adam with
global-norm clipping and a cosine learning-rate decay, and held-out
synthetic examples scored as it goes.

Reproducible: the same seed and number of steps give the same weights (on
the same machine and BLAS).
"""

import time
from typing import NamedTuple

import numpy as np

from .._core import make_optimizer
from .._core.training import EpochStats, apply_update
from .corpus import GROUPS, draw_examples
from .head import mix, mix_backward
from .normalise import TARGET_CLIP

__all__ = ["Batchable", "prepare", "l1_loss", "training_step", "evaluate", "heldout_set", "train",
           "TrainConfig"]


class Batchable(NamedTuple):
    """Examples of one group in the network's layout.

    Attributes
    ----------
    X : ndarray of shape (C, F, n), float32, missing steps zero-filled
    missing : ndarray of bool, shape (C, n), or None
    Y : ndarray of shape (H, n), float32
        Targets: the future as (y - level) / scale of its example (see
        ``PretrainedModel.encode``), clipped to +-TARGET_CLIP; 0 where missing.
    mask : ndarray of shape (H, n), float32
        1 where the target is observed.
    baselines : ndarray of shape (n, K, H), float32
    floor : ndarray of shape (n,), float32, or None
    group : str
    """

    X: np.ndarray
    missing: np.ndarray
    Y: np.ndarray
    mask: np.ndarray
    baselines: np.ndarray
    floor: np.ndarray
    group: str

    def take(self, idx):
        """The batch of columns ``idx``: X, missing, Y, mask, baselines, floor."""
        m = None if self.missing is None else self.missing[:, idx]
        floor = None if self.floor is None else self.floor[idx]
        return (self.X[:, :, idx], m, self.Y[:, idx], self.mask[:, idx],
                self.baselines[idx], floor)


def prepare(examples, model):
    """Encode one group's :class:`~.corpus.Examples` into a
    :class:`Batchable` for ``model`` (a PretrainedModel)."""
    enc = model.encode(examples.contexts, examples.m)
    future = examples.futures[:, :model.h_max]
    Y = np.clip((future - enc.level[:, None]) / enc.scale[:, None], -TARGET_CLIP, TARGET_CLIP).T
    mask = np.isfinite(Y)
    floor = None if enc.floor is None else enc.floor.astype(np.float32)
    return Batchable(enc.X, enc.missing, np.where(mask, Y, 0).astype(np.float32),
                     mask.astype(np.float32), enc.baselines.astype(np.float32), floor,
                     examples.group)


def l1_loss(y_pred, y_true, mask):
    """Mean absolute error over the observed targets, and its gradient.

    L = sum |y_pred - y_true| * mask / sum(mask)

    Returns
    -------
    loss : float
    d_pred : ndarray of shape (H, B)
    """
    total = max(float(mask.sum()), 1.0)
    error = y_pred - y_true
    loss = float(np.sum(np.abs(error) * mask)) / total
    return loss, (np.sign(error) * mask / total).astype(y_pred.dtype)


def training_step(network, optimizer, data, idx, stats, clip_norm):
    """One minibatch: the columns ``idx`` of ``data`` (a :class:`Batchable`),
    the L1 loss of the head's forecast, its gradient and an optimiser step
    (see :func:`~rnnforecast._core.training.apply_update`; no L2 penalty).

    Returns
    -------
    loss : float
    applied : bool
        False when the loss or gradient was not finite (nothing applied).
    """
    X, missing, Y, mask, baselines, floor = data.take(idx)
    pred, cache = mix(network.forward(X, missing), baselines, floor)
    loss, d_pred = l1_loss(pred, Y, mask)
    network.backward(mix_backward(d_pred, cache))
    applied = apply_update(network, optimizer, loss, len(idx), stats, alpha=0.0,
                           clip_norm=clip_norm)
    return loss, applied


def evaluate(network, batchables, batch_size=512):
    """Held-out L1 loss per group, and that of the first baseline alone
    (the median of the last three seasons), both in scales.

    Returns
    -------
    dict
        ``{group: (model_loss, baseline_loss)}`` and ``"all"``: the means
        over groups.
    """
    scores = {}
    for data in batchables:
        n = data.X.shape[2]
        total = base = 0.0
        for start in range(0, n, batch_size):
            idx = np.arange(start, min(start + batch_size, n))
            X, missing, Y, mask, baselines, floor = data.take(idx)
            pred, _ = mix(network.forward(X, missing), baselines, floor)
            total += float(np.sum(np.abs(pred - Y) * mask))
            base += float(np.sum(np.abs(baselines[:, 0].T - Y) * mask))
        count = float(data.mask.sum())
        scores[data.group] = (total / count, base / count)
    scores["all"] = tuple(np.mean([scores[d.group][k] for d in batchables]) for k in (0, 1))
    return scores


class TrainConfig(NamedTuple):
    """Settings of one pretraining run (recorded in the model card)."""

    seed: int = 0
    n_steps: int = 1000
    batch_size: int = 128
    learning_rate: float = 2e-3
    final_lr_share: float = 0.05
    clip_norm: float = 1.0
    chunk_per_group: int = 2048
    eval_per_group: int = 512
    eval_every: int = 200


def _learning_rate(config, step):
    """Cosine decay from ``learning_rate`` to ``final_lr_share`` of it."""
    share = config.final_lr_share
    cosine = 0.5 * (1 + np.cos(np.pi * min(step / max(config.n_steps, 1), 1.0)))
    return config.learning_rate * (share + (1 - share) * cosine)


def _training_batches(config, model, groups, chunk):
    """The shuffled batches of training chunk ``chunk``: fresh series for
    every group, drawn from streams that the held-out set never uses."""
    rng = np.random.default_rng([config.seed, 1, chunk])
    datas = [prepare(draw_examples(g, config.chunk_per_group, [config.seed, 1, chunk, k]),
                     model) for k, g in enumerate(groups)]
    batches = []
    for k, data in enumerate(datas):
        order = rng.permutation(data.X.shape[2])
        batches += [(k, order[i:i + config.batch_size])
                    for i in range(0, len(order) - config.batch_size + 1, config.batch_size)]
    return datas, [batches[i] for i in rng.permutation(len(batches))]


def heldout_set(config, model, groups=GROUPS):
    """The held-out synthetic examples of a run (streams [seed, 0, k])."""
    return [prepare(draw_examples(g, config.eval_per_group, [config.seed, 0, k]), model)
            for k, g in enumerate(groups)]


def train(model, config, groups=GROUPS, log=print, heldout=None, deadline=None):
    """Pretrain ``model`` (already initialised) for ``config.n_steps`` steps.

    Parameters
    ----------
    model : PretrainedModel
    config : TrainConfig
    groups : sequence of Group
    log : callable
        Receives one line of progress at every evaluation.
    heldout : list of Batchable, optional
        Defaults to :func:`heldout_set`.
    deadline : float, optional
        Seconds after which training stops early (after an evaluation), a
        guard for a machine slower than timed; None: run every step.

    Returns
    -------
    list of dict
        The training curve: one row per evaluation (step, examples,
        seconds, train_loss since the previous row, heldout_loss,
        heldout_baseline_loss, and the held-out loss per group).
    """
    network = model.network
    optimizer = make_optimizer("adam", network.params, config.learning_rate)
    heldout = heldout_set(config, model, groups) if heldout is None else heldout
    start = time.perf_counter()
    curve = []

    def record(step, seen, losses):
        scores = evaluate(network, heldout)
        row = {"step": step, "examples": seen,
               "seconds": round(time.perf_counter() - start, 1),
               "train_loss": float(np.mean(losses)) if losses else float("nan"),
               "heldout_loss": scores["all"][0], "heldout_baseline_loss": scores["all"][1],
               **{f"heldout_{g.name}": scores[g.name][0] for g in groups}}
        curve.append(row)
        log(f"step {step:6d}/{config.n_steps}  examples {seen:8d}  {row['seconds']:7.1f}s  "
            f"lr {optimizer.learning_rate:.2e}  train {row['train_loss']:.4f}  "
            f"held-out {row['heldout_loss']:.4f} (baseline {row['heldout_baseline_loss']:.4f})")

    record(0, 0, [])
    step, seen, chunk, losses = 0, 0, 0, []
    stats = EpochStats()
    while step < config.n_steps:
        datas, batches = _training_batches(config, model, groups, chunk)
        chunk += 1
        for k, idx in batches:
            if step >= config.n_steps:
                break
            optimizer.learning_rate = _learning_rate(config, step)
            loss, applied = training_step(network, optimizer, datas[k], idx, stats,
                                          config.clip_norm)
            if not applied:
                raise FloatingPointError(f"training diverged at step {step} (non-finite "
                                         "loss or gradient); lower --learning-rate.")
            step += 1
            seen += len(idx)
            losses.append(loss)
            late = deadline is not None and time.perf_counter() - start > deadline
            if step % config.eval_every == 0 or step == config.n_steps or late:
                record(step, seen, losses)
                losses = []
            if late:
                log(f"stopped at step {step} of {config.n_steps}: past the deadline of "
                    f"{deadline:.0f} s")
                return curve
    return curve
