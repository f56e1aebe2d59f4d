"""The pretrained network: a GRU over a normalised context with a direct
multi-horizon head, and its forecast.

From the last values of a series (its history window, up to 1,024 steps) the
model takes the context's robust level and scale (:mod:`.normalise`), gives
the GRU the context in those units with the phase of one or two seasonal
periods and a summary of the whole window (:mod:`.history`), and its head
turns the final state into weights over candidate baselines and
:data:`~.corpus.H_MAX` residuals at once (:mod:`.baselines`, :mod:`.head`;
direct, not recursive; a horizon H keeps the first H), floored at 0 for a
series that never went below. The third version also gives the network how
well each candidate baseline would have forecast the series from a few
pseudo-origins inside its history window (:mod:`.skill`). Its ``.npz`` file is
written and read by :mod:`.model_file`.

Imports NumPy and the core only.
"""

import copy
from typing import NamedTuple

import numpy as np

from .._core import RecurrentNetwork
from .._core.time_major import zero_fill_missing
from .baselines import candidate_baselines
from .head import mix, n_head_outputs
from .history import SUMMARY_NAMES, non_negative, summary_features
from .level_shift import after_level_shift, steps_since_shift
from .normalise import (BASELINE_SEASONS, INPUT_CLIP, baseline_span_scale, input_features,
                        robust_level, robust_scale)
from .skill import skill_features, skill_names

__all__ = ["PretrainedModel", "Encoded", "default_context", "FORMAT_VERSION"]

# 1: context only, one seasonal baseline. 2: adds the history window, its
# summary channels, the second period's phase, several weighted baselines and
# the floor at 0. 3: adds the in-history skill of each baseline (.skill).
# A model is written with the lowest version that holds it (a model without
# skill channels as version 2, as before); files of every version load
# (.model_file).
FORMAT_VERSION = 3


# Initial logit of the first baseline, the others' being 0: e^4 / (e^4 + 4).
INITIAL_FIRST_LOGIT = 4.0


def default_context(m):
    """Context length for period m when the model was not given one: three
    seasons, at least 48 and at most 512 steps."""
    return int(min(max(48, 3 * max(int(m), 1)), 512))


class Encoded(NamedTuple):
    """Histories turned into what the network and its head read.

    Attributes
    ----------
    X : ndarray of shape (C, F, n), float32, missing steps zero-filled
    missing : ndarray of bool, shape (C, n), or None
    level, scale : ndarray of shape (n,)
        The context's robust level, and the robust scale of the context (of
        the whole history window with ``history_scale``), at least the scale
        that keeps the seasons the baselines read unclipped (:mod:`.normalise`).
    baselines : ndarray of shape (n, K, h_max)
        Candidate baselines in scales (:mod:`.baselines`).
    floor : ndarray of shape (n,) or None
        Lowest forecast in scales (-level / scale for a series never below
        0, else -inf); None without the floor.
    """

    X: np.ndarray
    missing: np.ndarray
    level: np.ndarray
    scale: np.ndarray
    baselines: np.ndarray
    floor: np.ndarray


class PretrainedModel:
    """A GRU forecaster for any series, given its seasonal period.

    Parameters
    ----------
    hidden_size : int, default=64
        Units of the hidden state of each recurrent layer.
    num_layers : int, default=1
        Stacked recurrent layers.
    h_max : int, default=48
        Longest horizon.
    contexts : dict of int to int, default=None
        Context length per seasonal period (others: :func:`default_context`).
        None: no period has one of its own.
    cell : {"gru", "lstm", "rnn"}, default="gru"
        Recurrent cell: GRU, LSTM or Elman (tanh).
    phase : bool, default=True
        Give the network the sin and cos of each step's seasonal phase.
    baseline_seasons : int, default=3
        Seasons whose median is the "seasonal" baseline
        (:data:`.normalise.BASELINE_SEASONS`).
    info : dict, default=None
        Free-form facts kept in the file (seed, corpus, training steps).
        None: an empty dict.
    histories : dict of int to int, default=None
        History window per seasonal period, from which the summary, the
        baselines and the floor are computed (at least the context; others
        and by default: the context).
    second_periods : dict of int to int, default=None
        Second seasonal period per period, given as two more phase channels
        and used by the "seasonal2" baseline; None: no such channels (the
        first version).
    summary : bool, default=False
        Give the network the summary of its history window (:mod:`.history`).
    baselines : sequence of str, default=("seasonal",)
        Candidate baselines the head weights (:mod:`.baselines`); one:
        the network only adds residuals to it.
    floor : bool, default=False
        Forecast no value below 0 for a series whose history window has no
        value below 0.
    history_scale : bool, default=False
        Take the scale from the whole history window (the MASE denominator
        over more than a few seasons) rather than from the context alone.
    skill : bool, default=False
        Give the network the error of each candidate baseline from
        pseudo-origins inside the history window (:mod:`.skill`; the third
        version).
    skill_seasons : int, default=1
        Least seasons in the span each pseudo-origin of the skill forecasts
        (:func:`.skill.skill_steps`; files without it: 1).

    Attributes
    ----------
    network : RecurrentNetwork
        The recurrent layers and the linear head, float32; its flat
        ``params`` are what :func:`save_model` writes.
    """

    def __init__(self, hidden_size=64, num_layers=1, h_max=48, contexts=None, cell="gru",
                 phase=True, baseline_seasons=BASELINE_SEASONS, info=None, histories=None,
                 second_periods=None, summary=False, baselines=("seasonal",), floor=False,
                 history_scale=False, skill=False, skill_seasons=1):
        self.hidden_size = int(hidden_size)
        self.num_layers = int(num_layers)
        self.h_max = int(h_max)
        self.contexts = {int(k): int(v) for k, v in (contexts or {}).items()}
        self.cell = cell
        self.phase = bool(phase)
        self.baseline_seasons = int(baseline_seasons)
        self.info = dict(info or {})
        self.histories = {int(k): int(v) for k, v in (histories or {}).items()}
        self.second_periods = (None if second_periods is None else
                               {int(k): int(v) for k, v in second_periods.items()})
        self.summary = bool(summary)
        self.baselines = tuple(baselines)
        self.floor = bool(floor)
        self.history_scale = bool(history_scale)
        self.skill = bool(skill)
        self.skill_seasons = int(skill_seasons)
        self.network = RecurrentNetwork(cell, self.n_features, self.hidden_size, self.num_layers,
                                        n_head_outputs(self.h_max, len(self.baselines)),
                                        dtype=np.float32)

    @property
    def n_features(self):
        """Input channels per step: z; sin and cos of the phase (and of the
        second period's); the history summary; the baselines' skill."""
        phases = 2 * self.phase * (1 + (self.second_periods is not None))
        return (1 + phases + len(SUMMARY_NAMES) * self.summary
                + len(skill_names(self.baselines)) * self.skill)

    @property
    def format_version(self):
        """The lowest file version that holds this model: 3 with skill
        channels, else 2 (a model of the first version's settings included,
        as before)."""
        return 3 if self.skill else 2

    def initialize(self, seed):
        """Draw initial weights; the head starts at zero but for the logit of
        the first baseline, so the untrained model forecasts mostly the first
        one, the seasonal baseline: a weight of e^4 / (e^4 + K - 1) of K
        baselines, 93% of five, 92% of six (the shipped model's).

        Parameters
        ----------
        seed : int or None
            Seed of the ``numpy.random.RandomState`` the weights are drawn
            from; None seeds it from the operating system.

        Returns
        -------
        self : PretrainedModel
            The model, its weights initialised in place.
        """
        self.network.initialize(np.random.RandomState(seed))
        self.network.W_hy[...] = 0
        if len(self.baselines) > 1:
            self.network.b_y[self.h_max] = INITIAL_FIRST_LOGIT
        return self

    def config(self):
        """Everything but the weights, as a JSON-able dict.

        Returns
        -------
        config : dict
            The constructor's parameters (the keys of ``contexts``,
            ``histories`` and ``second_periods`` as strings), with
            ``format_version`` and ``n_features``; ``skill`` and
            ``skill_seasons`` only for a model with skill channels: what
            :func:`save_model` writes. A new dict, ``info`` included: changing
            it leaves the model as it is.
        """
        config = {"format_version": self.format_version, "cell": self.cell,
                  "hidden_size": self.hidden_size, "num_layers": self.num_layers,
                  "h_max": self.h_max, "n_features": self.n_features, "phase": self.phase,
                  "baseline_seasons": self.baseline_seasons,
                  "contexts": {str(k): v for k, v in sorted(self.contexts.items())},
                  "histories": {str(k): v for k, v in sorted(self.histories.items())},
                  "second_periods": (None if self.second_periods is None else
                                     {str(k): v for k, v in sorted(self.second_periods.items())}),
                  "summary": self.summary, "baselines": list(self.baselines),
                  "floor": self.floor, "history_scale": self.history_scale,
                  "info": copy.deepcopy(self.info)}  # a copy: changing it changes no model
        if self.skill:  # only then: version 2 files stay as they were
            config["skill"] = True
            config["skill_seasons"] = self.skill_seasons
        return config

    def context_length(self, m):
        """Steps of context the network reads for seasonal period m.

        Parameters
        ----------
        m : int
            Seasonal period (1: none).

        Returns
        -------
        context_length : int
            ``contexts[m]``, or :func:`default_context` of m for a period
            without one.
        """
        return self.contexts.get(int(m), default_context(m))

    def knows_period(self, m):
        """Whether the model was trained on series of seasonal period m: its
        corpus groups are the periods it has a context length for.

        Parameters
        ----------
        m : int
            Seasonal period (1: none).

        Returns
        -------
        known : bool
            True if m is a key of ``contexts``.
        """
        return int(m) in self.contexts

    def history_length(self, m):
        """Steps of history window (summary, baselines, floor) for period m.

        Parameters
        ----------
        m : int
            Seasonal period (1: none).

        Returns
        -------
        history_length : int
            ``histories[m]`` (0 for a period without one), but at least
            ``context_length(m)``.
        """
        return max(self.histories.get(int(m), 0), self.context_length(m))

    def second_period(self, m):
        """The second seasonal period for m (0: none).

        Parameters
        ----------
        m : int
            Seasonal period (1: none).

        Returns
        -------
        second_period : int
            ``second_periods[m]``; 0 for a period without one, and for a
            model without ``second_periods``.
        """
        return 0 if self.second_periods is None else int(self.second_periods.get(int(m), 0))

    def prepare(self, contexts, m):
        """Cut or left-pad ``contexts`` (n, L) to the model's history window
        for m; returns the (n, history_length(m)) float64 array.

        Parameters
        ----------
        contexts : array-like of shape (n, L) or (L,)
            The last values of each series, oldest first; NaN is a missing
            value. One dimension: one series.
        m : int
            Seasonal period (1: none).

        Returns
        -------
        windows : ndarray of shape (n, history_length(m)), float64
            The last ``history_length(m)`` values of each row; a shorter row
            is padded on the left with NaN. A float64 array at least that
            long is returned as a view of it, not a copy.
        """
        _check_period(m)
        y = np.asarray(contexts, dtype=np.float64)
        if y.ndim == 1:
            y = y[None, :]
        if y.ndim != 2:
            raise ValueError(f"contexts must be 1-D (one series) or 2-D (a row per series); "
                             f"got an array of shape {y.shape}.")
        L = self.history_length(m)
        if y.shape[1] >= L:
            return y[:, -L:]
        pad = np.full((len(y), L - y.shape[1]), np.nan)
        return np.concatenate([pad, y], axis=1)

    def encode(self, contexts, m):
        """Inputs, scales, baselines and floor for ``contexts`` (see
        :meth:`forecast`), as an :class:`Encoded`.

        Parameters
        ----------
        contexts : array-like of shape (n, L) or (L,)
            The last values of each series, oldest first; NaN is a missing
            value. Cut or padded to the history window as by :meth:`prepare`
            (no level-shift cut: :meth:`forecast` encodes :meth:`readable`).
        m : int
            Seasonal period (1: none).

        Returns
        -------
        encoded : Encoded
            ``X`` of shape (``context_length(m)``, ``n_features``, n),
            float32, missing steps zero-filled; ``missing`` (True where a
            step of the context is missing, None when none is); the robust
            ``level`` and ``scale`` of each series; the candidate
            ``baselines`` of shape (n, len(``baselines``), ``h_max``); and
            the ``floor`` (None without ``floor``).
        """
        y = self.prepare(contexts, m)
        C = self.context_length(m)
        level = robust_level(y[:, -C:], m)
        scale = robust_scale(y if self.history_scale else y[:, -C:], m, level)
        # At least the scale that keeps the seasons the baselines read unclipped.
        span = baseline_span_scale(y, m, level, self.baseline_seasons)
        scale = np.where(np.isfinite(span), np.maximum(scale, span), scale)
        z = (y - level[:, None]) / scale[:, None]
        m2 = self.second_period(m)
        clipped = np.clip(z, -INPUT_CLIP, INPUT_CLIP)
        baselines = candidate_baselines(clipped, m, m2, self.h_max, self.baselines,
                                        self.baseline_seasons, C)
        summary = summary_features(y, m, level, scale, C) if self.summary else None
        if self.skill:
            # Constant channels, after the summary's (n, S + K + 2).
            skill = skill_features(clipped, m, m2, self.h_max, self.baselines,
                                   self.baseline_seasons, C, span_seasons=self.skill_seasons)
            summary = skill if summary is None else np.concatenate([summary, skill], axis=1)
        X = input_features(z[:, -C:], m, self.phase,
                           None if self.second_periods is None else m2, summary)
        X, missing = zero_fill_missing(np.ascontiguousarray(X.astype(np.float32)))
        floor = None
        if self.floor:
            floor = np.where(self.floors_at_zero(y, m), -level / scale, -np.inf)
        return Encoded(X, missing, level, scale, baselines, floor)

    def readable(self, contexts, m):
        """The history windows the model forecasts ``contexts`` from: cut
        or padded as by :meth:`prepare`, and with the values before a level
        shift in the last seasons read as missing (:mod:`.level_shift`).

        Parameters
        ----------
        contexts : array-like of shape (n, L) or (L,)
            The last values of each series, oldest first; NaN is a missing
            value.
        m : int
            Seasonal period (1: none).

        Returns
        -------
        windows : ndarray of shape (n, history_length(m)), float64
            The history windows, NaN where missing or before a level shift;
            the array of :meth:`prepare` itself when no row shifted.
        """
        return after_level_shift(self.prepare(contexts, m), m, self.baseline_seasons)

    def shifted(self, contexts, m):
        """Which ``contexts`` shifted level in their last seasons, so that
        :meth:`readable` cuts them (:mod:`.level_shift`).

        Parameters
        ----------
        contexts : array-like of shape (n, L) or (L,)
            The last values of each series, oldest first; NaN is a missing
            value.
        m : int
            Seasonal period (1: none).

        Returns
        -------
        shifted : ndarray of bool, shape (n,)
            True for the rows whose history window shifted level; all False
            for m < 2.
        """
        return steps_since_shift(self.prepare(contexts, m), m, self.baseline_seasons) > 0

    def floors_at_zero(self, contexts, m):
        """Which ``contexts`` (see :meth:`forecast`) this model's forecasts are
        floored at 0 for: with ``floor``, those whose history window (as
        :meth:`readable` gives it) has observed values and none below 0.

        Parameters
        ----------
        contexts : array-like of shape (n, L) or (L,)
            The last values of each series, oldest first; NaN is a missing
            value.
        m : int
            Seasonal period (1: none).

        Returns
        -------
        floored : ndarray of bool, shape (n,)
            True for the rows whose forecasts are floored at 0; all False
            without ``floor``.
        """
        if not self.floor:
            return np.zeros(len(self.prepare(contexts, m)), dtype=bool)
        return non_negative(self.readable(contexts, m))

    def forecast(self, contexts, m, horizon):
        """Forecast the next ``horizon`` values after each context.

        Parameters
        ----------
        contexts : array-like of shape (n, L) or (L,)
            The last values of each series, oldest first; NaN is a missing
            value. Longer ones are cut to the model's history window (the
            network reads its last ``context_length(m)`` steps), shorter ones
            NaN-padded on the left.
        m : int
            Seasonal period (1: none).
        horizon : int
            At most ``h_max``.

        Returns
        -------
        ndarray of shape (n, horizon)
            A history window whose observed values are all equal is forecast
            as that value: without any variation there is no scale to read
            the series in, and the network's output, in units of the
            fallback scale ``|level|``, would wiggle around it. After a level
            shift in the last seasons, only the values since are read (see
            :meth:`readable`). A history window without any observed value
            is forecast as NaN: there is nothing to forecast it from.
        """
        if not 1 <= int(horizon) <= self.h_max:
            raise ValueError(f"horizon={horizon} is outside 1..{self.h_max}, the steps this "
                             "model forecasts; forecast at most h_max steps at a time.")
        history = self.readable(contexts, m)
        enc = self.encode(history, m)  # prepare() of a prepared history is a view
        out = self.network.predict(enc.X, enc.missing).astype(np.float64)
        pred, _ = mix(out, enc.baselines, enc.floor)
        forecast = enc.level[:, None] + enc.scale[:, None] * pred.T
        if self.floor:
            # level + scale * (-level / scale) is 0 only up to rounding.
            forecast = np.where(np.isfinite(enc.floor)[:, None], np.maximum(forecast, 0),
                                forecast)
        # fmin / fmax skip NaN, and give NaN for a row of NaN: a row without
        # any observed value is forecast as NaN.
        low, high = np.fmin.reduce(history, axis=1), np.fmax.reduce(history, axis=1)
        forecast = np.where(((low == high) | np.isnan(low))[:, None], low[:, None], forecast)
        return forecast[:, :horizon]


def _check_period(m):
    """A TypeError or ValueError unless ``m`` is a seasonal period: an int >= 1."""
    if isinstance(m, (bool, np.bool_)) or not isinstance(m, (int, np.integer)):
        raise TypeError(f"m (the seasonal period) must be an int >= 1, e.g. m=24 for hourly "
                        f"data (1: none); got {m!r} of type {type(m).__name__}.")
    if m < 1:
        raise ValueError(f"m (the seasonal period) must be >= 1 (1: no season); got m={m}.")

