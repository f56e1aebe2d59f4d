"""The public objects' docstrings are complete numpydoc (as scikit-learn checks its own).

Every name in the ``__all__`` of a public module, and every public method or
property of a public class, is validated by ``numpydoc.validate``; the codes in
``CHECKED`` must not occur. The other codes are matters of taste this project
does not follow (an Examples or See Also section everywhere, a one-line
summary that fits on one line, ...).
"""

import importlib
import inspect

import pytest

validate = pytest.importorskip("numpydoc.validate").validate

PUBLIC_MODULES = [
    "rnnforecast",
    "rnnforecast.datasets",
    "rnnforecast.diagnostics",
    "rnnforecast.forecasting",
    "rnnforecast.forecasting.seasonal_adjustment",
    "rnnforecast.metrics",
    "rnnforecast.plotting",
    "rnnforecast.scoring",
    "rnnforecast.pretrained",
    "rnnforecast.synthetic",
    "rnnforecast.windowing",
]

CHECKED = {
    "GL08": "no docstring",
    "PR01": "a parameter is not documented",
    "PR02": "a documented parameter does not exist",
    "PR07": "a parameter has no description",
    "PR08": "a parameter's description does not start with a capital letter",
    "RT01": "no Returns section",
    "RT03": "a return value has no description",
    "RT04": "a return value's description does not start with a capital letter",
    "SA03": "a See Also description does not start with a capital letter",
}


def public_names():
    """``module.qualname`` of every public object and of the public methods
    and properties of the public classes, each once."""
    names = []
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if not hasattr(obj, "__qualname__"):  # __version__
                continue
            qualified = f"{obj.__module__}.{obj.__qualname__}"
            names.append(qualified)
            if inspect.isclass(obj):
                names.extend(f"{qualified}.{attr}" for attr, value in vars(obj).items()
                             if not attr.startswith("_")
                             and (callable(value) or isinstance(value, property)))
    return list(dict.fromkeys(names))


def test_the_public_api_is_found():
    # A guard on the walk itself: the estimators and a method of each are there.
    names = public_names()
    for expected in ["rnnforecast.estimator.RNNRegressor.fit",
                     "rnnforecast.forecasting.forecaster.RNNForecaster.predict_interval",
                     "rnnforecast.synthetic.generator.generate"]:
        assert expected in names


@pytest.mark.parametrize("name", public_names())
def test_public_docstring_is_complete_numpydoc(name):
    problems = [f"{code} ({CHECKED[code]}): {message}"
                for code, message in validate(name)["errors"] if code in CHECKED]
    assert not problems, f"{name}:\n" + "\n".join(problems)
