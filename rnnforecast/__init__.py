"""rnnforecast: recurrent neural network forecasting behind a scikit-learn API.

Public names are imported lazily (PEP 562), so that ``rnnforecast._core``,
the NumPy-only recurrent core, can be imported without scikit-learn or pandas.
"""

import importlib

__version__ = "0.1.0.dev0"

_PUBLIC = {
    "RNNRegressor": "rnnforecast.estimator",
    "make_supervised": "rnnforecast.windowing",
    "SlidingWindowTransformer": "rnnforecast.windowing",
    "RNNForecaster": "rnnforecast.forecasting",
}

__all__ = [*_PUBLIC, "__version__"]


def __getattr__(name):
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'rnnforecast' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
