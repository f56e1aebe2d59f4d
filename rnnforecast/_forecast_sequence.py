"""``RNNForecaster(training="sequence")``: one pass over a long series per epoch.

Window training (the default) cuts a series of n rows into n windows of
``window`` steps and runs the network over every window: an epoch costs
O(n * window). Sequence training reads the series once, step by step, as a
recurrent language model reads text (see
:mod:`rnnforecast._core.sequence_training`): the network's input at step t
is the standardised target and covariates of row t, and its output at step t
is the next ``horizon`` values of the target, in units of the series'
standard deviation and relative to the last observed value (the level), as
in window mode:

    out_t[h] = (y_{t+1+h} - level_t) / std,     h = 0 .. horizon - 1

The loss is taken at every step; the series is cut into chunks of
``bptt_steps`` steps, read as ``batch_size`` parallel streams, and the hidden
state is carried from chunk to chunk (truncated BPTT): an epoch costs O(n).

The fitted model is the state the networks reach after reading the whole
series from a zero state, and a forecast is their head on that state, so
``update`` costs O(1) per new observation: it advances the state over the new
rows only.

The backtest inside fit trains a calibration model on the rows before the
calibration origins and forecasts from every origin with one forward pass,
started from a zero state ``_WARMUP_CHUNKS * bptt_steps`` rows before the
first origin (the networks are trained to forget their initial state within
a few chunks; a pass over the whole series after every epoch would cost more
than the epoch).
"""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state

from ._core.helper_thread import helper_thread
from ._core.optimizers import OPTIMIZERS
from ._core.recurrent import RecurrentNetwork
from ._core.sequence_training import FutureTargets, run_sequence, sequence_epoch
from ._forecast_calendar import resolve_calendar
from ._forecast_data import check_covariates, check_series, stack_values
from ._forecast_panel import is_panel
from ._forecast_windows import WindowScaler
from .estimator import RNNRegressor

__all__ = ["SequenceModel", "fit_forecaster", "fit_sequence"]

# bptt_steps when the regressor's is None: two seasonal periods, else this.
_BPTT_NO_SEASON = 48
_BPTT_MAX = 200
# The backtest forward pass starts this many chunks before the first origin.
_WARMUP_CHUNKS = 20
# Regressor hyperparameters that sequence training uses.
_USED = ("cell", "hidden_size", "num_layers", "activation", "solver", "learning_rate_init",
         "momentum", "batch_size", "max_iter", "tol", "n_iter_no_change", "alpha",
         "clip_norm", "bptt_steps", "dtype", "n_jobs")


def standardise(values, scaler):
    """Rows ``values`` (n, 1 + n_covariates) in standardised units (NaN kept)."""
    out = np.empty_like(values)
    out[:, 0] = (values[:, 0] - scaler.mean) / scaler.std
    out[:, 1:] = (values[:, 1:] - scaler.covariate_mean) / scaler.covariate_std
    return out


def levels(z, start=np.nan):
    """The last observed value of ``z`` (n,) at or before each row, ``start``
    before the first observation."""
    observed = ~np.isnan(z)
    last = np.maximum.accumulate(np.where(observed, np.arange(len(z)), -1))
    return np.where(last >= 0, z[np.maximum(last, 0)], start)


def step_targets(z, horizon):
    """What the network outputs after row t: ``z[t + 1 + h] - level_t``, as
    a :class:`FutureTargets` of shape (n, horizon) (built chunk by chunk);
    NaN where the future is missing or beyond the rows."""
    return FutureTargets(z, horizon, levels(z))


class SequenceModel:
    """Networks trained in sequence mode, and the state of the series read so far.

    Parameters
    ----------
    networks : list of RecurrentNetwork
        Their forecasts (in units of the series' standard deviation) are
        averaged.
    scaler : WindowScaler
        The series' statistics (``mean``, ``std`` and the covariates').
    """

    def __init__(self, networks, scaler):
        self.networks = networks
        self.scaler = scaler
        self.reset()

    def reset(self):
        """Forget the rows read: zero states, no level."""
        self.states = [None] * len(self.networks)
        self.outputs = [None] * len(self.networks)
        self.level = np.nan
        return self

    def advance(self, values):
        """Read the rows ``values`` (n, 1 + n_covariates) that follow those
        read so far: O(1) work per row."""
        if len(values) == 0:
            return self
        z = standardise(values, self.scaler)
        for i, network in enumerate(self.networks):
            _, self.states[i] = run_sequence(network, z, self.states[i], outputs=False)
            # The head on the last state alone (not the last of run_sequence's
            # outputs, whose matmul over all steps rounds differently with
            # the number of steps): the forecast is then the same whether
            # the rows come in one call or many.
            h = self.states[i][-1][0]
            self.outputs[i] = (network.W_hy @ h + network.b_y[:, None])[:, 0].astype(np.float64)
        self.level = float(levels(z[:, 0], self.level)[-1])
        return self

    def forecast(self):
        """The ``horizon`` values after the rows read, in the series' units."""
        if np.isnan(self.level):
            raise ValueError(
                "the series read so far holds no observed target value, so there is "
                "nothing to forecast from; update() with observed values first."
            )
        z = np.mean(self.outputs, axis=0)
        return self.scaler.mean + self.scaler.std * (self.level + z)

    def backtest(self, values, first, stop, warmup):
        """Forecasts from the origins ``first .. stop - 1`` (rows of ``values``),
        from a zero state ``warmup`` rows before ``first``: shape
        (stop - first, horizon), in the series' units."""
        start = max(0, first - warmup)
        z = standardise(values[start:stop], self.scaler)
        out = np.mean([run_sequence(network, z)[0] for network in self.networks], axis=0)
        level = levels(z[:, 0])
        forecast = self.scaler.mean + self.scaler.std * (level[:, None] + out)
        return forecast[first - start:]


def sequence_settings(regressor):
    """The hyperparameters sequence training takes from ``regressor`` (an
    RNNRegressor), as a dict."""
    if not isinstance(regressor, RNNRegressor):
        raise ValueError(
            "training='sequence' trains the networks of RNNRegressor itself, so regressor "
            f"must be an RNNRegressor or None; got {type(regressor).__name__}. Use "
            "training='window' for other regressors."
        )
    params = regressor.get_params(deep=False)
    return {name: params[name] for name in _USED}


def resolve_bptt_steps(settings, season, n_rows):
    """The chunk length: the regressor's ``bptt_steps``, else two seasonal
    periods (48 steps without a season), at most 200 and half the rows."""
    if settings["bptt_steps"] is not None:
        return settings["bptt_steps"]
    steps = 2 * season if season > 1 else _BPTT_NO_SEASON
    return max(1, min(steps, _BPTT_MAX, n_rows // 2))


class _Trainer:
    """Trains one network of the ensemble over standardised rows."""

    def __init__(self, settings, n_inputs, horizon, bptt_steps, seed):
        self.settings = settings
        self.bptt_steps = bptt_steps
        self.rng = check_random_state(seed)
        self.network = RecurrentNetwork(
            settings["cell"], n_inputs, settings["hidden_size"], settings["num_layers"],
            horizon, settings["activation"], np.dtype(settings["dtype"]),
        ).initialize(self.rng)
        lr = settings["learning_rate_init"]
        if settings["solver"] == "sgd":
            self.optimizer = OPTIMIZERS["sgd"](self.network.params, lr, settings["momentum"])
        else:
            self.optimizer = OPTIMIZERS["adam"](self.network.params, lr)
        self.diverged = False

    def epoch(self, X, Y):
        """One epoch; chunk boundaries shift by a random offset each epoch.
        Returns the loss, or None if training diverged (the weights of the
        last finite epoch are kept)."""
        k = self.bptt_steps
        n_streams = max(1, min(self.settings["batch_size"], len(X) // (2 * k)))
        offset = self.rng.randint(k) if len(X) - k >= 2 * k * n_streams else 0
        last_finite = self.network.params.copy()
        with np.errstate(over="ignore", invalid="ignore"), \
                helper_thread(self.network, self.settings["n_jobs"]):
            stats = sequence_epoch(
                self.network, self.optimizer, X[offset:], Y[offset:], n_streams=n_streams,
                bptt_steps=k, alpha=self.settings["alpha"],
                clip_norm=self.settings["clip_norm"],
            )
        if stats.diverged:
            np.copyto(self.network.params, last_finite)
            self.diverged = True
            warnings.warn(
                "RNNForecaster(training='sequence'): training diverged (the loss or the "
                "gradient became NaN or inf); the weights of the last finite epoch were "
                f"kept. Lower learning_rate_init (now {self.settings['learning_rate_init']}) "
                "or clip_norm.",
                ConvergenceWarning,
            )
            return None
        return stats.loss

    def train(self, X, Y, n_epochs=None):
        """``n_epochs`` epochs, or (None) up to ``max_iter`` with the loss-based
        stopping rule of RNNRegressor (``tol``, ``n_iter_no_change``)."""
        if n_epochs is not None:
            for _ in range(n_epochs):
                if self.epoch(X, Y) is None:
                    break
            return self.network
        best, stale = np.inf, 0
        for _ in range(self.settings["max_iter"]):
            loss = self.epoch(X, Y)
            if loss is None:
                break
            stale = 0 if loss <= best - self.settings["tol"] else stale + 1
            best = min(best, loss)
            if stale > self.settings["n_iter_no_change"]:
                break
        return self.network


def _arrays(values, scaler, horizon, dtype):
    z = standardise(values, scaler)
    return z.astype(dtype), step_targets(z[:, 0], horizon)


def fit_sequence(values, scaler, horizon, settings, seeds, season, n_cal, early_stopping):
    """Train the ensemble in sequence mode, with a backtest on the last origins.

    Parameters
    ----------
    values : ndarray of shape (n_rows, 1 + n_covariates)
        The series (column 0 the target) and its covariates, NaN missing.
    scaler : WindowScaler
        Fitted on ``values``.
    horizon : int
    settings : dict
        From :func:`sequence_settings`.
    seeds : list
        One random seed per network.
    season : int
        Steps per seasonal period (1 if none).
    n_cal : int
        Calibration origins at the end of the rows with a known future
        (0: no backtest, no early stopping).
    early_stopping : bool
        Keep each calibration network at the epoch whose backtest mean
        absolute error is lowest, give up after ``n_iter_no_change`` epochs
        without a better one, and train the final networks that many epochs.

    Returns
    -------
    model : SequenceModel
        Final networks, having read ``values``.
    scores : ndarray of shape (n_origins, horizon) or None
        Absolute backtest errors divided by the series' standard deviation.
    n_epochs : list of int or None
    bptt_steps : int
    """
    n_rows = len(values)
    dtype = np.dtype(settings["dtype"])
    n_complete = n_rows - horizon
    first = n_complete - n_cal
    bptt_steps = resolve_bptt_steps(settings, season, first if n_cal else n_rows)
    scores = n_epochs = None
    if n_cal:
        X_cal, Y_cal = _arrays(values[:first + 1], scaler, horizon, dtype)
        future = np.column_stack([values[first + 1 + h:n_complete + 1 + h, 0]
                                  for h in range(horizon)])
        warmup = _WARMUP_CHUNKS * bptt_steps

        def errors(networks):
            forecast = SequenceModel(networks, scaler).backtest(
                values, first, n_complete, warmup)
            return np.abs(future - forecast) / scaler.std

        networks = []
        if early_stopping:
            n_epochs = []
            patience = settings["n_iter_no_change"]
            for seed in seeds:
                trainer = _Trainer(settings, values.shape[1], horizon, bptt_steps, seed)
                best_error, best_epoch, best = np.inf, 0, None
                for epoch in range(1, settings["max_iter"] + 1):
                    if trainer.epoch(X_cal, Y_cal) is None:
                        break
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN errors
                        error = np.nanmean(errors([trainer.network]))
                    if error < best_error:
                        best_error, best_epoch = error, epoch
                        best = trainer.network.params.copy()
                    elif epoch - best_epoch >= patience:
                        break
                if best is None:  # no finite error: keep the last weights
                    best_epoch = max(epoch - 1, 1)
                else:
                    trainer.network.params[...] = best
                networks.append(trainer.network)
                n_epochs.append(best_epoch)
        else:
            networks = [_Trainer(settings, values.shape[1], horizon, bptt_steps, seed)
                        .train(X_cal, Y_cal) for seed in seeds]
        scores = errors(networks)
    X, Y = _arrays(values, scaler, horizon, dtype)
    final = [
        _Trainer(settings, values.shape[1], horizon, bptt_steps, seed)
        .train(X, Y, None if n_epochs is None else n_epochs[i])
        for i, seed in enumerate(seeds)
    ]
    model = SequenceModel(final, scaler).advance(values)
    return model, scores, n_epochs, bptt_steps


def check_sequence_options(forecaster, y):
    """The forecaster parameters sequence training cannot honour: a clear
    ValueError for each."""
    if is_panel(y):
        raise ValueError(
            "training='sequence' does not support many series yet; got "
            f"{type(y).__name__} of many series. Fit one series at a time, or use "
            "training='window'."
        )
    unsupported = {
        "strategy": (forecaster.strategy, "direct",
                     "the network outputs all horizon steps at every step"),
        "window": (forecaster.window, "auto",
                   "it reads the whole series; set the chunk length with the "
                   "regressor's bptt_steps"),
        "max_windows_per_series": (forecaster.max_windows_per_series, None,
                                   "it trains on every row"),
    }
    for name, (value, default, why) in unsupported.items():
        if value != default:
            raise ValueError(
                f"training='sequence' needs {name}={default!r} ({why}); got "
                f"{name}={value!r}. Use training='window' for it."
            )


def fit_forecaster(forecaster, y, X, regressor):
    """``RNNForecaster.fit`` in sequence mode: checks ``y`` and ``X`` as window
    mode does, trains networks with the hyperparameters of ``regressor`` (an
    RNNRegressor), and sets the fitted attributes on ``forecaster``."""
    check_sequence_options(forecaster, y)
    target, index, name = check_series(y, forecaster.target, "y")
    covariates, covariate_names = check_covariates(X, index, None, "X")
    calendar = resolve_calendar(index, forecaster.freq)
    horizon = forecaster.horizon
    n_rows = len(target)
    if n_rows < 2 * horizon + 2:
        raise ValueError(
            f"y has {n_rows} rows; training='sequence' with horizon={horizon} needs at "
            f"least {2 * horizon + 2}. Pass a longer series or a smaller horizon."
        )
    values = stack_values(target, covariates)
    settings = sequence_settings(regressor)
    seeds = forecaster._network_seeds(regressor)
    if seeds == [None]:
        seeds = [None] * forecaster.n_networks
    n_cal = forecaster._calibration_size(n_rows - horizon)
    if n_cal and n_rows - horizon - n_cal < 2:
        raise ValueError(
            f"n_calibration={forecaster.n_calibration} leaves "
            f"{max(n_rows - horizon - n_cal, 0)} rows to train the calibration model on "
            f"(y has {n_rows} rows, horizon={horizon}); use a smaller n_calibration, "
            "n_calibration=0, or a longer series."
        )
    scaler = WindowScaler().fit(values)
    model, scores, n_epochs, bptt_steps = fit_sequence(
        values, scaler, horizon, settings, seeds, calendar.season, n_cal,
        forecaster.early_stopping,
    )
    forecaster._sequence = model
    forecaster._scaler = scaler
    forecaster._model = None
    forecaster._history = None
    forecaster._calendar = calendar
    forecaster._name = name
    forecaster._panel = None
    forecaster.window_ = None
    forecaster.bptt_steps_ = bptt_steps
    forecaster.seasonal_period_ = calendar.season
    forecaster.freq_ = calendar.freqstr
    forecaster.covariate_names_ = covariate_names or []
    forecaster.calibration_scores_ = scores
    forecaster.n_epochs_ = n_epochs
    forecaster.regressors_ = None
    forecaster.linear_ = None
    forecaster.cutoff_ = index[-1]
    forecaster.n_rows_seen_ = n_rows
    forecaster.series_ids_ = None
    return forecaster
