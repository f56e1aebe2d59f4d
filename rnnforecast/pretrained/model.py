"""The pretrained network: a GRU over a normalised context with a direct
multi-horizon head, its forecast, and its ``.npz`` file.

The head gives :data:`~.corpus.H_MAX` residuals over the seasonal baseline at
once (direct, not recursive); a horizon H keeps the first H. The file holds
the flat parameters (float32) and the configuration as a JSON string, both
plain arrays, so it loads with ``allow_pickle=False``.

Imports NumPy and the core only.
"""

import json
from importlib import resources

import numpy as np

from .._core import RecurrentNetwork
from .._core.time_major import zero_fill_missing
from .normalise import BASELINE_SEASONS, denormalise, input_features, normalise

__all__ = ["PretrainedModel", "load_model", "save_model", "default_context", "shipped_model",
           "SHIPPED_WEIGHTS"]

# The weights shipped in the package, beside their model card (card.md).
SHIPPED_WEIGHTS = "weights/model.npz"

FORMAT_VERSION = 1


def default_context(m):
    """Context length for period m when the model was not given one: three
    seasons, at least 48 and at most 512 steps."""
    return int(min(max(48, 3 * max(int(m), 1)), 512))


class PretrainedModel:
    """A GRU forecaster for any series, given its seasonal period.

    Parameters
    ----------
    hidden_size : int
    num_layers : int
    h_max : int
        Outputs of the head: the longest horizon.
    contexts : dict of int to int
        Context length per seasonal period (others: :func:`default_context`).
    cell : {"gru", "lstm", "rnn"}
    phase : bool
        Give the network the sin and cos of each step's seasonal phase.
    baseline_seasons : int
        Seasons whose median is the baseline the network corrects.
    info : dict
        Free-form facts kept in the file (seed, corpus, training steps).

    Attributes
    ----------
    network : RecurrentNetwork
    """

    def __init__(self, hidden_size=64, num_layers=1, h_max=48, contexts=None, cell="gru",
                 phase=True, baseline_seasons=BASELINE_SEASONS, info=None):
        self.hidden_size = int(hidden_size)
        self.num_layers = int(num_layers)
        self.h_max = int(h_max)
        self.contexts = {int(k): int(v) for k, v in (contexts or {}).items()}
        self.cell = cell
        self.phase = bool(phase)
        self.baseline_seasons = int(baseline_seasons)
        self.info = dict(info or {})
        self.network = RecurrentNetwork(cell, self.n_features, self.hidden_size, self.num_layers,
                                        self.h_max, dtype=np.float32)

    @property
    def n_features(self):
        """Input channels per step: z, and sin and cos of the phase."""
        return 3 if self.phase else 1

    def initialize(self, seed):
        """Draw initial weights; the head starts at zero, so the untrained
        model forecasts the seasonal baseline."""
        self.network.initialize(np.random.RandomState(seed))
        self.network.W_hy[...] = 0
        return self

    def config(self):
        """Everything but the weights, as a JSON-able dict."""
        return {"format_version": FORMAT_VERSION, "cell": self.cell,
                "hidden_size": self.hidden_size, "num_layers": self.num_layers,
                "h_max": self.h_max, "n_features": self.n_features, "phase": self.phase,
                "baseline_seasons": self.baseline_seasons,
                "contexts": {str(k): v for k, v in sorted(self.contexts.items())},
                "info": self.info}

    def context_length(self, m):
        """Steps of context the model reads for seasonal period m."""
        return self.contexts.get(int(m), default_context(m))

    def prepare(self, contexts, m):
        """Cut or left-pad ``contexts`` (n, L) to the model's context length
        for m; returns the (n, C) float64 array."""
        y = np.asarray(contexts, dtype=np.float64)
        if y.ndim == 1:
            y = y[None, :]
        C = self.context_length(m)
        if y.shape[1] >= C:
            return y[:, -C:]
        pad = np.full((len(y), C - y.shape[1]), np.nan)
        return np.concatenate([pad, y], axis=1)

    def normalise(self, y, m):
        """:func:`.normalise.normalise` with this model's baseline."""
        return normalise(y, m, self.h_max, self.baseline_seasons)

    def inputs(self, norm, m):
        """The network's inputs for ``norm``: X (C, F, n) float32 with
        missing steps zero-filled, and the missing mask (or None)."""
        return zero_fill_missing(np.ascontiguousarray(
            input_features(norm.z, m, self.phase).astype(np.float32)))

    def residuals(self, norm, m):
        """The network's residuals over the baseline, shape (n, h_max)."""
        X, missing = self.inputs(norm, m)
        return self.network.predict(X, missing).T.astype(np.float64)

    def forecast(self, contexts, m, horizon):
        """Forecast the next ``horizon`` values after each context.

        Parameters
        ----------
        contexts : array-like of shape (n, L) or (L,)
            The last values of each series, oldest first; NaN is a missing
            value. Longer contexts are cut to the model's length, shorter
            ones NaN-padded on the left.
        m : int
            Seasonal period (1: none).
        horizon : int
            At most ``h_max``.

        Returns
        -------
        ndarray of shape (n, horizon)
        """
        if not 1 <= int(horizon) <= self.h_max:
            raise ValueError(f"horizon={horizon} is outside 1..{self.h_max}, the steps this "
                             "model forecasts; forecast at most h_max steps at a time.")
        y = self.prepare(contexts, m)
        norm = self.normalise(y, m)
        return denormalise(norm, self.residuals(norm, m)[:, :horizon])[:, :horizon]


def save_model(model, path):
    """Write ``model`` to ``path`` (.npz): parameters and configuration only,
    no pickled object."""
    config = np.array(json.dumps(model.config(), sort_keys=True))
    np.savez(path, params=model.network.params, config=config)


def load_model(path):
    """Read a model written by :func:`save_model`, with ``allow_pickle=False``
    (a file holding pickled objects is refused with a ValueError)."""
    with np.load(path, allow_pickle=False) as data:
        if set(data.files) != {"params", "config"}:
            raise ValueError(f"{path} holds arrays {sorted(data.files)}; a pretrained model "
                             "file holds exactly 'params' and 'config' (see save_model).")
        config = json.loads(str(data["config"]))
        params = data["params"]
    if config.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"{path} has format_version {config.get('format_version')}; this "
                         f"rnnforecast reads version {FORMAT_VERSION}.")
    model = PretrainedModel(config["hidden_size"], config["num_layers"], config["h_max"],
                            {int(k): v for k, v in config["contexts"].items()},
                            config["cell"], config["phase"], config["baseline_seasons"],
                            config["info"])
    if params.shape != model.network.params.shape:
        raise ValueError(f"{path} holds {params.size} parameters; its configuration needs "
                         f"{model.network.params.size}.")
    model.network.params[...] = params
    return model


def shipped_model():
    """The model shipped with the package (``weights/model.npz``; its card is
    ``weights/card.md``).

    It was trained on the seasonal periods 1, 4, 5, 7, 12, 24 and 48; other
    periods run, with contexts of :func:`default_context`, but are outside
    what it has seen.

    Examples
    --------
    >>> import numpy as np
    >>> from rnnforecast.pretrained import shipped_model
    >>> model = shipped_model()
    >>> y = 100 + 10 * np.sin(2 * np.pi * np.arange(120) / 12)
    >>> model.forecast(y, m=12, horizon=6).shape
    (1, 6)
    """
    with resources.as_file(resources.files(__package__) / SHIPPED_WEIGHTS) as path:
        return load_model(path)
