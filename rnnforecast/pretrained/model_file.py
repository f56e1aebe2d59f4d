"""The pretrained model's ``.npz`` file: write, read, and the shipped one.

The file holds the flat parameters (float32) and the configuration (a JSON
string), both plain arrays, so it loads with ``allow_pickle=False``; files of
the first version (context, one seasonal baseline) and of the second (no skill
channels) still load and forecast as they did.

Imports NumPy and the core only.
"""

import json
from importlib import resources

import numpy as np

from .model import PretrainedModel

__all__ = ["load_model", "save_model", "shipped_model", "SHIPPED_WEIGHTS",
           "READABLE_VERSIONS", "REQUIRED_CONFIG"]

# The weights shipped in the package, beside their model card (card.md).
SHIPPED_WEIGHTS = "weights/model.npz"

# The format versions this code reads (see .model.FORMAT_VERSION).
READABLE_VERSIONS = (1, 2, 3)
# The configuration keys of version 1, which every later version keeps.
REQUIRED_CONFIG = ("hidden_size", "num_layers", "h_max", "contexts", "cell", "phase",
                   "baseline_seasons", "info")


def save_model(model, path):
    """Write ``model`` to ``path`` (.npz): parameters and configuration only,
    no pickled object.

    Parameters
    ----------
    model : PretrainedModel
        The model to write: its flat float32 parameters as the array
        ``params`` and :meth:`PretrainedModel.config` as the JSON string
        ``config``.
    path : str, path-like or file-like object
        Where to write, as :func:`numpy.savez` takes it; ``.npz`` is added
        to a file name without it.
    """
    config = np.array(json.dumps(model.config(), sort_keys=True))
    np.savez(path, params=model.network.params, config=config)


def load_model(path):
    """Read a model written by :func:`save_model`, with ``allow_pickle=False``
    (a file holding pickled objects is refused with a ValueError).

    Parameters
    ----------
    path : str, path-like or file-like object
        The ``.npz`` file, as :func:`numpy.load` takes it, of any version
        in ``READABLE_VERSIONS``.

    Returns
    -------
    model : PretrainedModel
        The model of the file's configuration, holding its parameters.

    Raises
    ------
    ValueError
        If the file holds pickled objects, arrays other than ``params`` and
        ``config``, a ``format_version`` not in ``READABLE_VERSIONS``, a
        configuration without a key of ``REQUIRED_CONFIG``, or not the number
        of parameters its configuration needs.
    """
    with np.load(path, allow_pickle=False) as data:
        if set(data.files) != {"params", "config"}:
            raise ValueError(f"{path} holds arrays {sorted(data.files)}; a pretrained model "
                             "file holds exactly 'params' and 'config' (see save_model).")
        config = json.loads(str(data["config"]))
        params = data["params"]
    if not isinstance(config, dict):
        raise ValueError(f"{path} holds a config of type {type(config).__name__}; a pretrained "
                         "model file holds a JSON object (see save_model).")
    version = config.get("format_version")
    if version not in READABLE_VERSIONS:
        raise ValueError(f"{path} has format_version {version}; this rnnforecast reads "
                         f"versions {', '.join(map(str, READABLE_VERSIONS))}.")
    missing = [key for key in REQUIRED_CONFIG if key not in config]
    if missing:
        raise ValueError(f"{path} has no {', '.join(map(repr, missing))} in its config; every "
                         "version writes them (see save_model), so the file is damaged or "
                         "was not written by rnnforecast.")
    # Version 1 files have none of the later keys: their defaults are version 1.
    model = PretrainedModel(config["hidden_size"], config["num_layers"], config["h_max"],
                            {int(k): v for k, v in config["contexts"].items()},
                            config["cell"], config["phase"], config["baseline_seasons"],
                            config["info"],
                            histories={int(k): v for k, v in config.get("histories", {}).items()},
                            second_periods=config.get("second_periods"),
                            summary=config.get("summary", False),
                            baselines=config.get("baselines", ("seasonal",)),
                            floor=config.get("floor", False),
                            history_scale=config.get("history_scale", False),
                            skill=config.get("skill", False),
                            skill_seasons=config.get("skill_seasons", 1))
    if params.shape != model.network.params.shape:
        raise ValueError(f"{path} holds {params.size} parameters; its configuration needs "
                         f"{model.network.params.size}.")
    model.network.params[...] = params
    return model


def shipped_model():
    """The model shipped with the package (``weights/model.npz``; its card is
    ``weights/card.md``).

    It was trained on the seasonal periods 1, 4, 5, 7, 12, 24 and 48 (with
    the second periods 261, 365, 168 and 336 of 5, 7, 24 and 48; m = 1 on
    yearly series and on series of any calendar told no period); other
    periods run, with contexts of :func:`default_context`, but are outside
    what it has seen. Give it the whole series, or at least its last 1,024
    values: the summary and the baselines read that much.

    Returns
    -------
    model : PretrainedModel
        The shipped model, read by :func:`load_model`; a new one at each
        call.

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
