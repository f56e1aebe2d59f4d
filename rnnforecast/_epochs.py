"""RNNRegressor's epoch loop: epochs of :func:`~rnnforecast._core.training.train_epoch`
until ``max_iter``, no improvement or divergence.

:class:`EpochLoop` trains the network it is given, warns when training
diverged or ran ``max_iter`` epochs, and returns an :class:`EpochsRun`
saying what happened (the curves, the best loss and validation score,
whether training diverged, reached ``max_iter`` or was interrupted); the
estimator sets its fitted attributes from it. An epoch interrupted by
KeyboardInterrupt (Ctrl-C) is undone: the network, the optimiser and the
shuffling are left as the last completed epoch left them. The stopping rule is :class:`StoppingRule`; early
stopping scores the most recent rows, held out by :func:`split_validation`,
with :func:`validation_score`.
"""

import copy
import math
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import r2_score

from ._core.training import minibatches, train_epoch


class StoppingRule:
    """As in MLPRegressor: an epoch improves when it beats the best by
    ``tol``; training stops after more than ``n_iter_no_change`` epochs in a
    row without improvement.

    The validation score decides when there is one, else the training loss.

    Parameters
    ----------
    tol : float
    n_iter_no_change : int
    best_loss : float
        The lowest training loss so far (a warm start continues it).
    best_validation_score : float or None
        The highest validation score so far (None without validation).
    """

    def __init__(self, tol, n_iter_no_change, best_loss=np.inf, best_validation_score=-np.inf):
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.best_loss = best_loss
        self.best_validation_score = best_validation_score
        self.n_no_improvement = 0

    def update(self, loss, score=None):
        """Count one epoch of training loss ``loss`` (and validation score
        ``score``); return whether training stops."""
        if score is not None:
            improved = score >= self.best_validation_score + self.tol
            self.best_validation_score = max(self.best_validation_score, score)
        else:
            improved = loss <= self.best_loss - self.tol
        self.best_loss = min(self.best_loss, loss)
        self.n_no_improvement = 0 if improved else self.n_no_improvement + 1
        return self.n_no_improvement > self.n_iter_no_change


class EpochsRun:
    """What :meth:`EpochLoop.run` did; each curve holds one entry per epoch
    that completed.

    Attributes
    ----------
    losses : list of float
        Training loss of every epoch.
    grad_norms : list of float
        Mean global gradient norm (before clipping) of every epoch.
    clipped_fractions : list of float
        Fraction of the updates of every epoch whose gradient was clipped.
    validation_scores : list of float
        R^2 on the validation rows after every epoch (empty without them).
    best_loss : float
        The lowest training loss, the one given to the run included.
    best_validation_score : float or None
        The highest validation score, the one given to the run included.
    n_samples_seen : int
        Training rows over all completed epochs.
    diverged : bool
        The last epoch's loss or gradient became NaN or inf; the network
        holds the weights from the end of the epoch before.
    interrupted : bool
        A KeyboardInterrupt stopped the run during an epoch, which was
        undone: the run is that of a fit with ``max_iter`` equal to the
        epochs completed (without its warning).
    optimizer : SGD or Adam
        The optimiser as the last completed epoch left it: the one given to
        the run, or after an interruption the copy saved when the
        interrupted epoch began.
    """

    def __init__(self, stopping, optimizer):
        self.losses = []
        self.grad_norms = []
        self.clipped_fractions = []
        self.validation_scores = []
        self.best_loss = stopping.best_loss
        self.best_validation_score = stopping.best_validation_score
        self.n_samples_seen = 0
        self.diverged = False
        self.interrupted = False
        self.optimizer = optimizer

    @property
    def n_epochs(self):
        """Epochs completed."""
        return len(self.losses)


class EpochLoop:
    """Epochs of mini-batch training with RNNRegressor's stopping rules.

    Parameters
    ----------
    max_iter : int
        Epochs of a fit, unless it stops before.
    batch_size : int
        Sequences per update (clipped to the number of training rows).
    learning_rate_init : float
        The optimiser's learning rate, named in the divergence warning.
    alpha : float
        L2 penalty on the weight matrices.
    clip_norm : float or None
        Global-norm clipping threshold.
    bptt_steps : int or None
        Truncated BPTT length; None (or at least the sequence length) for
        full BPTT.
    tol, n_iter_no_change : float, int
        The stopping rule (see :class:`StoppingRule`).
    verbose : bool or int
        Print one line per epoch.
    """

    def __init__(self, *, max_iter, batch_size, learning_rate_init, alpha, clip_norm, bptt_steps,
                 tol, n_iter_no_change, verbose):
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.alpha = alpha
        self.clip_norm = clip_norm
        self.bptt_steps = bptt_steps
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.verbose = verbose

    def run(self, network, optimizer, data, *, incremental=False, rng=None, gradient,
            validation=None, sample_weight=None, validation_weight=None, first_epoch=1,
            best_loss=np.inf, best_validation_score=-np.inf):
        """Train ``network`` for up to ``max_iter`` epochs (one if
        ``incremental``) over the batch source ``data``.

        Parameters
        ----------
        network : RecurrentNetwork
            Trained in place; with ``validation``, it ends on the weights of
            its best-scoring epoch (its weights on entry if none beat
            ``best_validation_score``).
        optimizer : SGD or Adam
            Updated in place, except by an interrupted epoch (see
            :attr:`EpochsRun.optimizer`).
        data : batch source
        incremental : bool
            Run one epoch (``partial_fit``), which never warns of ``max_iter``.
        rng : RandomState or None
            Shuffles the rows every epoch; None keeps their order. An
            interrupted epoch puts its state back.
        gradient : callable
            Computes each batch's loss and gradient (see :func:`.train_epoch`).
        validation : batch source or None
            Rows scored after every epoch for early stopping.
        sample_weight, validation_weight : ndarray or None
            Weights of the samples of ``data`` and of ``validation`` (None:
            equal weights).
        first_epoch : int
            Number of the first epoch, in the printed lines and warnings.
        best_loss : float
            The lowest training loss so far, which an epoch must beat by
            ``tol`` to improve.
        best_validation_score : float or None
            The highest validation score so far (None without validation).

        Returns
        -------
        EpochsRun
            With ``interrupted`` set when a KeyboardInterrupt stopped it; the
            caller records the run and raises the interruption again.
        """
        stopping = StoppingRule(self.tol, self.n_iter_no_change, best_loss,
                                best_validation_score)
        run = EpochsRun(stopping, optimizer)
        n_train = data.n_samples
        batch_size = min(self.batch_size, n_train)
        bptt_steps = None if self.bptt_steps is not None and (
            self.bptt_steps >= data.n_steps) else self.bptt_steps
        last_finite = np.empty_like(network.params)
        best_params = None if validation is None else network.params.copy()
        for epoch in range(first_epoch, first_epoch + (1 if incremental else self.max_iter)):
            started = time.perf_counter()
            np.copyto(last_finite, network.params)
            # What an interrupted epoch changes besides the weights; the copy
            # costs a few arrays of the size of the weights per epoch.
            optimizer_before = copy.deepcopy(optimizer)
            rng_before = None if rng is None else rng.get_state()
            try:
                stats, score = self._epoch(network, optimizer, data, rng, gradient, validation,
                                           batch_size, bptt_steps, sample_weight,
                                           validation_weight)
            except KeyboardInterrupt:
                np.copyto(network.params, last_finite)
                run.optimizer = optimizer_before
                if rng is not None:
                    rng.set_state(rng_before)
                run.interrupted = True
                break
            if stats.diverged:
                np.copyto(network.params, last_finite)
                run.diverged = True
                self._warn_divergence(epoch)
                break
            run.n_samples_seen += n_train
            run.losses.append(stats.loss)
            run.grad_norms.append(stats.grad_norm_mean)
            run.clipped_fractions.append(stats.n_clipped / stats.n_updates)
            if validation is not None:
                run.validation_scores.append(score)
                if score > stopping.best_validation_score:
                    np.copyto(best_params, network.params)
            stops = stopping.update(stats.loss, score)
            if self.verbose:
                print_epoch(epoch, stats, score, time.perf_counter() - started)
            if stops:
                break
        else:
            if not incremental:
                warnings.warn(
                    f"RNNRegressor: maximum iterations (max_iter={self.max_iter}) reached "
                    "and the optimization hasn't converged yet.",
                    ConvergenceWarning,
                )
        if validation is not None:
            np.copyto(network.params, best_params)
        run.best_loss = stopping.best_loss
        run.best_validation_score = stopping.best_validation_score
        return run

    def _epoch(self, network, optimizer, data, rng, gradient, validation, batch_size,
               bptt_steps, sample_weight, validation_weight):
        """Train one epoch and score it: ``(stats, score)``, the
        :class:`.EpochStats` and the validation score (None without
        validation rows or when the epoch diverged)."""
        batches = minibatches(data.n_samples, batch_size, rng)
        # A diverging fit overflows; it is reported once, by run.
        with np.errstate(over="ignore", invalid="ignore"):
            stats = train_epoch(
                network, optimizer, data, batches, alpha=self.alpha,
                clip_norm=self.clip_norm, bptt_steps=bptt_steps, sample_weight=sample_weight,
                gradient=gradient,
            )
        if validation is None or stats.diverged:
            return stats, None
        return stats, validation_score(network, validation, self.batch_size, validation_weight)

    def _warn_divergence(self, epoch):
        clip = "set clip_norm (e.g. clip_norm=1.0)" if self.clip_norm is None else (
            f"lower clip_norm (now {self.clip_norm})")
        warnings.warn(
            f"RNNRegressor: training diverged in epoch {epoch} (the loss or the gradient "
            "became NaN or inf); training stopped and the weights from the end of the last "
            f"finite epoch were kept. Lower learning_rate_init (now {self.learning_rate_init}), "
            f"{clip}, or scale X and y.",
            ConvergenceWarning,
        )


def split_validation(data, validation_fraction):
    """Hold out the most recent rows, with a gap before them: the slices of
    the rows of the batch source ``data`` that are ``(train, validation)``.

    The gap of ``n_steps + n_outputs - 1`` rows keeps every time step of a
    validation window (inputs or targets) out of the training windows when
    rows are consecutive windows of one series.
    """
    n = data.n_samples
    n_val = max(2, math.ceil(validation_fraction * n))
    gap = data.n_steps + data.n_outputs - 1
    n_train = n - n_val - gap
    if n_train < 1:
        raise ValueError(
            f"early_stopping=True with validation_fraction={validation_fraction} "
            f"needs more rows: {n} rows give {n_val} validation rows and a gap of {gap} "
            f"(n_steps + n_outputs - 1), which leaves {max(n_train, 0)} for training; "
            "use more data, a smaller validation_fraction or early_stopping=False."
        )
    return slice(0, n_train), slice(n - n_val, n)


def validation_score(network, validation, batch_size, sample_weight=None):
    """(Weighted) R^2 of ``network`` on the batch source ``validation``,
    predicted in batches of at least 256."""
    y_true = np.empty((network.n_outputs, validation.n_samples), network.dtype)
    y_pred = np.empty_like(y_true)
    for idx in minibatches(validation.n_samples, max(batch_size, 256)):
        X, missing, y_true[:, idx] = validation.take(idx, network.dtype)
        y_pred[:, idx] = network.forward(X, missing)
    return float(r2_score(y_true.T, y_pred.T, sample_weight=sample_weight))


def print_epoch(epoch, stats, score, seconds):
    """The verbose line of an epoch: loss, validation score, gradient norm,
    clipped updates, seconds."""
    validation = "" if score is None else f", validation R2 = {score:.4f}"
    print(
        f"Epoch {epoch}: loss = {stats.loss:.6g}{validation}, "
        f"grad norm = {stats.grad_norm_mean:.3g} (max {stats.grad_norm_max:.3g}, "
        f"clipped {stats.n_clipped}/{stats.n_updates}), {seconds:.2f} s"
    )
