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

A long series, read once per epoch; ``update`` then advances the network's
state over the new rows only:

>>> import numpy as np
>>> import pandas as pd
>>> from rnnforecast import RNNForecaster, RNNRegressor
>>> hours = pd.date_range("2024-01-01", periods=1001, freq="h")
>>> load = pd.Series(np.sin(2 * np.pi * np.arange(1001) / 24), index=hours)
>>> forecaster = RNNForecaster(
...     horizon=3, training="sequence", regressor=RNNRegressor(hidden_size=4, max_iter=3),
...     n_networks=1, random_state=0).fit(load[:1000])
>>> forecaster.bptt_steps_
48
>>> forecaster.update(load[1000:]).predict().index[0]
Timestamp('2024-02-11 17:00:00')
"""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state

from .._core.optimizers import make_optimizer
from .._core.recurrent import RecurrentNetwork
from .._core.sequence_training import FutureTargets, run_sequence, sequence_epoch
from .._epochs import StoppingRule
from ..estimator import RNNRegressor
from .backtest import calibration_size, no_calibration_reason, train_to_best_epoch
from .lengths import fewest_rows
from . import progress
from .ensemble import default_regressor, network_seeds, train_each
from .scaling import WindowScaler, running_level, standardise
from .seasonal_lag import resolve_lag
from .state import FitResult

__all__ = ["SequenceModel", "SequenceTraining"]

# bptt_steps when the regressor's is None: two seasonal periods, else this.
_BPTT_NO_SEASON = 48
_BPTT_MAX = 200
# The backtest forward pass starts this many chunks before the first origin.
_WARMUP_CHUNKS = 20
# Regressor hyperparameters that sequence training uses.
_USED = ("cell", "hidden_size", "num_layers", "activation", "solver", "learning_rate_init",
         "momentum", "batch_size", "max_iter", "tol", "n_iter_no_change", "alpha",
         "clip_norm", "bptt_steps", "dtype")


def step_targets(z, horizon):
    """What the network outputs after row t: ``z[t + 1 + h] - level_t``, as
    a :class:`FutureTargets` of shape (n, horizon) (built chunk by chunk);
    NaN where the future is missing or beyond the rows."""
    return FutureTargets(z, horizon, running_level(z))


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

    def read(self, values):
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
        self.level = float(running_level(z[:, 0], self.level)[-1])
        return self

    # -- what the forecaster calls (one series: code 0) ----------------------
    def advance(self, code, values):
        """Read the new rows ``values`` of the series."""
        return self.read(values)

    def empty(self, codes):
        """Whether the rows read hold no observed target value."""
        return np.array([np.isnan(self.level)])

    def lower_limits(self, codes):
        """No floor of the model's own under the forecasts: -inf (one series;
        the forecaster floors a never-negative series at 0)."""
        return np.full(len(codes), -np.inf)

    def forecast(self, codes):
        """The ``horizon`` values after the rows read, in the series' units,
        shape (1, horizon), and the series' scale, shape (1,)."""
        z = np.mean(self.outputs, axis=0)
        forecast = self.scaler.mean + self.scaler.std * (self.level + z)
        return forecast[None], np.array([self.scaler.std])

    def backtest(self, values, first, stop, warmup):
        """Forecasts from the origins ``first .. stop - 1`` (rows of ``values``),
        from a zero state ``warmup`` rows before ``first``: shape
        (stop - first, horizon), in the series' units."""
        start = max(0, first - warmup)
        z = standardise(values[start:stop], self.scaler)
        out = np.mean([run_sequence(network, z)[0] for network in self.networks], axis=0)
        level = running_level(z[:, 0])
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
    """Trains network ``i`` of the ensemble over standardised rows ``X`` and
    their targets ``Y`` (see :func:`.backtest.train_to_best_epoch` for the
    epoch protocol)."""

    def __init__(self, settings, X, Y, bptt_steps, seed, i):
        self.settings, self.X, self.Y = settings, X, Y
        self.bptt_steps = bptt_steps
        self.i = i
        # Epochs completed, and the most this network will train (reported).
        self.n_epochs, self.max_epochs = 0, settings["max_iter"]
        self.rng = check_random_state(seed)
        self.network = RecurrentNetwork(
            settings["cell"], X.shape[1], settings["hidden_size"], settings["num_layers"],
            Y.shape[1], settings["activation"], np.dtype(settings["dtype"]),
        ).initialize(self.rng)
        self.optimizer = make_optimizer(settings["solver"], self.network.params,
                                        settings["learning_rate_init"], settings["momentum"])
        self.loss = None

    def epoch(self):
        """One epoch; chunk boundaries shift by a random offset each epoch.
        Returns False if training diverged (the weights of the last finite
        epoch are kept), and sets ``loss``."""
        X, Y, k = self.X, self.Y, self.bptt_steps
        n_streams = max(1, min(self.settings["batch_size"], len(X) // (2 * k)))
        offset = self.rng.randint(k) if len(X) - k >= 2 * k * n_streams else 0
        last_finite = self.network.params.copy()
        with np.errstate(over="ignore", invalid="ignore"):
            stats = sequence_epoch(
                self.network, self.optimizer, X[offset:], Y[offset:], n_streams=n_streams,
                bptt_steps=k, alpha=self.settings["alpha"],
                clip_norm=self.settings["clip_norm"],
            )
        if stats.diverged:
            np.copyto(self.network.params, last_finite)
            warnings.warn(
                "RNNForecaster(training='sequence'): training diverged (the loss or the "
                "gradient became NaN or inf); the weights of the last finite epoch were "
                f"kept. Lower learning_rate_init (now {self.settings['learning_rate_init']}) "
                "or clip_norm.",
                ConvergenceWarning,
            )
            return False
        self.loss = stats.loss
        self.n_epochs += 1
        progress.epoch_done(self.i, self.n_epochs, self.max_epochs)
        return True

    def snapshot(self):
        return self.network.params.copy()

    def restore(self, snapshot):
        self.network.params[...] = snapshot

    def train(self, n_epochs=None):
        """``n_epochs`` epochs, or (None) up to ``max_iter`` with the loss-based
        stopping rule of RNNRegressor (``tol``, ``n_iter_no_change``)."""
        if n_epochs is not None:
            self.max_epochs = n_epochs
            for _ in range(n_epochs):
                if not self.epoch():
                    break
        else:
            rule = StoppingRule(self.settings["tol"], self.settings["n_iter_no_change"])
            for _ in range(self.settings["max_iter"]):
                if not self.epoch() or rule.update(self.loss):
                    break
        self.network.release_buffers()  # it trains no further
        return self.network


def _arrays(values, scaler, horizon, dtype):
    z = standardise(values, scaler)
    return z.astype(dtype), step_targets(z[:, 0], horizon)


class SequenceTraining:
    """Sequence training with the forecaster's parameters ``params`` (its
    ``get_params(deep=False)``): see :class:`~rnnforecast.RNNForecaster`."""

    def __init__(self, params):
        self.params = params
        self.horizon = params["horizon"]
        self.seasonal_lag = None  # it reads no lagged target (see .seasonal_lag)

    def check(self, data):
        """A clear ValueError for each forecaster parameter or input that
        sequence training cannot honour."""
        if len(data.ids) > 1:
            raise ValueError(
                "training='sequence' reads one series, so it cannot train one global model "
                f"of {len(data.ids)} series (many_series='global'); pass many_series='auto' "
                "or 'separate' to fit a model to each series, or use training='window'."
            )
        # name -> (the values it works with, the first being the default; why)
        unsupported = {
            "strategy": (("direct",), "the network outputs all horizon steps at every step"),
            "window": (("auto",), "it reads the whole series; set the chunk length with the "
                                  "regressor's bptt_steps"),
            "max_windows_per_series": ((None,), "it trains on every row"),
            "max_windows_per_epoch": (("auto", None), "an epoch reads the whole series once"),
            "naive_fallback": ((False,), "its backtest scores no naive forecasts"),
        }
        for name, (works, why) in unsupported.items():
            value = self.params[name]
            if value not in works:
                raise ValueError(
                    f"training='sequence' needs {name}={works[0]!r} ({why}); got "
                    f"{name}={value!r}. Use training='window' for it."
                )
        n_rows, horizon = len(data.values[0]), self.horizon
        # "auto" reads no lag here; a lag asked for is refused.
        resolve_lag(self.params["seasonal_lag"], 1, horizon, n_rows, training="sequence")
        needed = fewest_rows(horizon, training="sequence")
        if n_rows < needed:
            raise ValueError(
                f"y has {n_rows} rows; training='sequence' with horizon={horizon} needs at "
                f"least {needed}. Pass a longer series or a smaller horizon."
            )

    def fit(self, data, calendars):
        """Train the ensemble on the one series of ``data``, with a backtest on
        its last origins; a :class:`.state.FitResult`."""
        self.check(data)
        regressor = default_regressor(self.params["regressor"])
        settings = sequence_settings(regressor)
        seeds = network_seeds(regressor, self.params["random_state"], self.params["n_networks"])
        if seeds == [None]:
            seeds = [None] * self.params["n_networks"]
        values, horizon = data.values[0], self.horizon
        n_rows = len(values)
        n_complete = n_rows - horizon
        n_cal = calibration_size(self.params["n_calibration"], n_complete, horizon)
        if n_cal and n_complete - n_cal < 2:
            raise ValueError(
                f"n_calibration={self.params['n_calibration']} leaves "
                f"{max(n_complete - n_cal, 0)} rows to train the calibration model on "
                f"(y has {n_rows} rows, horizon={horizon}); use a smaller n_calibration, "
                "n_calibration=0, or a longer series."
            )
        scaler = WindowScaler().fit(values)
        season = calendars[0].season
        bptt_steps = resolve_bptt_steps(settings, season, n_complete - n_cal if n_cal else n_rows)
        dtype = np.dtype(settings["dtype"])
        errors = n_epochs = reason = None
        if n_cal:
            errors, n_epochs = self._backtest(values, scaler, settings, seeds, bptt_steps, n_cal)
        else:
            reason = no_calibration_reason(self.params["n_calibration"], n_complete, horizon,
                                           "y")
        X, Y = _arrays(values, scaler, horizon, dtype)

        def train(i):
            trainer = _Trainer(settings, X, Y, bptt_steps, seeds[i], i)
            return trainer.train(None if n_epochs is None else n_epochs[i])

        progress.phase_started(progress.FINAL, "sequence", len(seeds))
        final = train_each(train, len(seeds), self.params["n_jobs"])
        model = SequenceModel(final, scaler).read(values)
        return FitResult(model, errors, reason, n_epochs, bptt_steps=bptt_steps)

    def _backtest(self, values, scaler, settings, seeds, bptt_steps, n_cal):
        """Train calibration networks on the rows before the last ``n_cal``
        origins and score them from those origins: ``(errors, n_epochs)``, the
        signed errors ``(y - forecast) / std`` of shape (n_cal, horizon) and
        the epochs chosen by their mean absolute value (None without early
        stopping)."""
        horizon = self.horizon
        n_complete = len(values) - horizon
        first = n_complete - n_cal
        X_cal, Y_cal = _arrays(values[:first + 1], scaler, horizon, np.dtype(settings["dtype"]))
        future = np.column_stack([values[first + 1 + h:n_complete + 1 + h, 0]
                                  for h in range(horizon)])
        warmup = _WARMUP_CHUNKS * bptt_steps

        def errors(networks):
            forecast = SequenceModel(networks, scaler).backtest(
                values, first, n_complete, warmup)
            return (future - forecast) / scaler.std

        def mean_error(network):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN errors
                return np.nanmean(np.abs(errors([network])))

        def train(i):
            trainer = _Trainer(settings, X_cal, Y_cal, bptt_steps, seeds[i], i)
            if not self.params["early_stopping"]:
                return trainer.train(), None
            n_epochs = train_to_best_epoch(
                trainer, lambda: mean_error(trainer.network), settings["max_iter"],
                settings["n_iter_no_change"], settings["tol"])
            return trainer.network, n_epochs

        progress.phase_started(progress.BACKTEST, "sequence", len(seeds))
        trained = train_each(train, len(seeds), self.params["n_jobs"])
        networks = [network for network, _ in trained]
        n_epochs = [n for _, n in trained] if self.params["early_stopping"] else None
        return errors(networks), n_epochs
