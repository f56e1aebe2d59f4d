"""The backtest inside ``fit``: which origins calibrate, and the epochs it chooses.

``fit`` sets the last origins of each series aside, trains a calibration
model on what precedes them, and records its errors from them. The errors
calibrate the conformal intervals (see :mod:`.intervals`) and choose the
epochs: early stopping inside :class:`~rnnforecast.RNNRegressor` validates on
the last rows and leaves a gap of ``window + horizon - 1`` windows unused,
which is most of a short series, so the forecaster instead trains each
calibration network one epoch at a time, scores its forecasts from the
origins after every epoch, keeps it at its best epoch, and trains the final
network on all the data for that many epochs. Both training modes (windows
and sequences) use the rules of this module. Where nothing is trained (the
pretrained network alone), window training spreads the origins over the
series instead (see ``WindowTraining._spread_origins``).
"""

import warnings

import numpy as np

__all__ = [
    "calibration_size",
    "min_calibration_origins",
    "no_calibration_reason",
    "train_to_best_epoch",
]

# n_calibration="auto": a quarter of the origins whose future is known,
# within these bounds.
CALIBRATION_SHARE = 0.25
CALIBRATION_MIN = 10
CALIBRATION_MAX = 200
# A series too short for CALIBRATION_MIN origins gets fewer, down to this.
SHORT_CALIBRATION_MIN = 4
# n_calibration="auto" with many series: at most this many origins in all
# (each series then gets at least one); more only costs time per epoch.
PANEL_ORIGINS_MAX = 2000


def calibration_size(n_calibration, n_complete, n_outputs, n_series=1, trains=True):
    """Calibration origins of one series (0: none).

    Parameters
    ----------
    n_calibration : int or "auto"
        The forecaster's parameter. An int applies to each series, as far as
        it has origins.
    n_complete : int
        Origins of the series whose whole future is known.
    n_outputs : int
        Steps the model forecasts at once.
    n_series : int
        Series fitted together. ``"auto"`` takes a quarter of the origins,
        10 to 200, and at most ``PANEL_ORIGINS_MAX`` over all series; a series
        too short for the calibration model to have at least as many windows
        as origins gets fewer (as many as leave it that many windows), and
        none if that is under ``SHORT_CALIBRATION_MIN`` (4). On short
        trending synthetic series (25-45 yearly points, horizon 6, three
        draws of 30) the backtest these few origins allow, through the naive
        fallback, took the default forecaster's geometric-mean MASE from 1.55
        to 1.20 (naive 1.17).
    trains : bool, default=True
        Whether a calibration model is trained before the origins. Without
        one (the pretrained network and the naive methods are only scored)
        nothing needs the windows before them: a short series keeps
        ``"auto"``'s origins as far as it has them, down to one (``fit``
        accepts no series without one, see :mod:`.lengths`).
    """
    n_complete = max(n_complete, 0)
    if n_calibration != "auto":
        return min(n_calibration, n_complete)
    share = int(CALIBRATION_SHARE * n_complete)
    per_series = max(1, PANEL_ORIGINS_MAX // n_series)
    n_cal = min(CALIBRATION_MAX, max(CALIBRATION_MIN, share), per_series)
    if not trains:
        return min(n_cal, n_complete)
    if n_complete - n_cal - n_outputs + 1 < n_cal:
        # A short series: as many origins as leave the calibration model as
        # many windows, if that is at least SHORT_CALIBRATION_MIN.
        n_cal = min(n_cal, (n_complete - n_outputs + 1) // 2)
        return n_cal if n_cal >= SHORT_CALIBRATION_MIN else 0
    return n_cal


def min_calibration_origins(n_outputs):
    """Origins with a known future that ``"auto"`` needs to calibrate one series."""
    return 2 * SHORT_CALIBRATION_MIN + n_outputs - 1


def no_calibration_reason(n_calibration, n_complete, n_outputs, series):
    """Why ``fit`` recorded no backtest errors, and a warning when the user
    asked for them (``"auto"``).

    ``series`` names what was fitted: ``"y"`` for one series, ``"series 'b'
    of y"`` for one series of many fitted alone (each series' own forecaster
    of ``many_series="separate"``: its message reaches the user beside the
    other series' intervals), None for many series fitted together.
    """
    if n_calibration != "auto":
        return f"it was fitted with n_calibration={n_calibration}"
    if series is None:
        reason = (
            "every series of y was too short to set calibration origins aside (one "
            f"series needs at least {min_calibration_origins(n_outputs)} origins with a "
            "known future)"
        )
    else:
        reason = (
            f"{series} was too short: {n_complete} origins with a known future, fewer "
            f"than the {min_calibration_origins(n_outputs)} needed to calibrate on "
            f"{SHORT_CALIBRATION_MIN} of them"
        )
    outcome = ("predict_interval will not be available" if series in (None, "y") else
               "predict_interval has no backtest errors to bound its forecasts")
    warnings.warn(f"RNNForecaster: {reason}; {outcome}.", UserWarning)
    return reason


def train_to_best_epoch(trainer, validation_error, max_epochs, patience, tol=0.0):
    """Train one network epoch by epoch and keep it at its best epoch.

    Parameters
    ----------
    trainer : object
        ``trainer.epoch()`` trains one epoch and returns False if training
        diverged (the weights of the last finite epoch are then kept);
        ``trainer.snapshot()`` and ``trainer.restore(snapshot)`` save and
        bring back the weights.
    validation_error : callable
        ``validation_error() -> float`` for the weights now, lower is better;
        NaN is never best.
    max_epochs : int
    patience : int
        Stop after this many epochs without an error more than ``tol`` below
        the best before them (as scikit-learn's ``MLPRegressor`` stops on its
        validation score).
    tol : float, default=0.0
        The least decrease of the error that counts as progress; the kept
        weights are those of the lowest error all the same. Without it a
        series the network fits almost exactly (a clean sine) improves by
        ever smaller amounts and trains to ``max_epochs``.

    Returns
    -------
    n_epochs : int
        The epochs the kept weights were trained for, so that a network
        trained that many epochs on all the data replays them: the best
        epoch; or, when no epoch gave a finite error, the epochs completed
        (at least 1), whose weights are kept.
    """
    best_error, best_epoch, best = np.inf, 0, None
    # The error and epoch of the last progress by more than tol.
    progress_error, progress_epoch = np.inf, 0
    completed = 0
    for epoch in range(1, max_epochs + 1):
        if not trainer.epoch():
            break
        completed = epoch
        error = validation_error()
        if error < best_error:
            best_error, best_epoch, best = error, epoch, trainer.snapshot()
        if error < progress_error - tol:
            progress_error, progress_epoch = error, epoch
        elif epoch - progress_epoch >= patience:
            break
    if best is None:
        return max(completed, 1)
    trainer.restore(best)
    return best_epoch
