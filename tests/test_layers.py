"""The package's layers: dependencies point one way.

    _core  <-  estimator  <-  windowing / forecasting  <-  cli, diagnostics

Every module of the package is given a layer below; a module may import
modules of its own layer or of lower layers only (and ``_core`` nothing of the
package outside ``_core``). The test reads the import statements of every
source file, so a new module must be placed here, and an import against the
rule fails with the importing file and the module it imports.
"""

import ast
from pathlib import Path

import pytest

import rnnforecast

PACKAGE = Path(rnnforecast.__file__).parent

# Layer of each module or subpackage (the first two dotted parts decide).
LAYERS = {
    "rnnforecast._core": 0,
    # what the estimator needs beside the core
    "rnnforecast._blas_threads": 1,
    "rnnforecast._column_split": 1,
    "rnnforecast._epochs": 1,
    "rnnforecast._scaling": 1,
    "rnnforecast._value_range": 1,
    "rnnforecast.estimator": 2,
    # on top of the estimator, beside each other
    "rnnforecast._time_index": 3,
    "rnnforecast._periods": 3,
    "rnnforecast.windowing": 3,
    "rnnforecast.forecasting": 3,
    "rnnforecast.datasets": 3,
    "rnnforecast.plotting": 3,
    "rnnforecast.synthetic": 3,
    "rnnforecast.pretrained": 3,
    "rnnforecast.metrics": 3,
    "rnnforecast.scoring": 3,
    # the user-facing tools on top
    "rnnforecast.cli": 4,
    "rnnforecast.diagnostics": 4,
    "rnnforecast.__main__": 4,
    # the package itself only imports lazily (PEP 562)
    "rnnforecast": 4,
}
# Modules of one layer that must not import each other.
SIBLINGS_APART = [("rnnforecast.windowing", "rnnforecast.forecasting")]


def module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def layer_of(name):
    for size in (2, 1):
        key = ".".join(name.split(".")[:size])
        if key in LAYERS:
            return key, LAYERS[key]
    raise KeyError(name)


def imported_modules(path):
    """Absolute names of the package modules that ``path`` imports, at any depth
    of the file (lazy imports inside functions count too)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {m for m in found if m == "rnnforecast" or m.startswith("rnnforecast.")}


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer():
    for path in SOURCES:
        layer_of(module_name(path))  # KeyError names a module to place in LAYERS


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_the_layers(path):
    name = module_name(path)
    group, layer = layer_of(name)
    for imported in imported_modules(path):
        try:
            other_group, other_layer = layer_of(imported)
        except KeyError:  # a name imported from a module, e.g. rnnforecast.RNNRegressor
            other_group, other_layer = "rnnforecast", LAYERS["rnnforecast"]
        assert other_layer <= layer, (
            f"{name} (layer {layer}) imports {imported} (layer {other_layer}): dependencies "
            "point from cli/diagnostics to windowing/forecasting to the estimator to _core"
        )
        for a, b in SIBLINGS_APART:
            assert {group, other_group} != {a, b}, f"{name} imports its sibling {imported}"
        if group == "rnnforecast._core":
            assert other_group == "rnnforecast._core", f"_core module {name} imports {imported}"


def test_the_rule_catches_an_upward_import(tmp_path, monkeypatch):
    # A core module importing the estimator is reported.
    fake = PACKAGE / "_core" / "recurrent.py"
    source = fake.read_text() + "\nfrom ..estimator import RNNRegressor\n"
    monkeypatch.setattr(Path, "read_text", lambda self: source)
    with pytest.raises(AssertionError, match="imports rnnforecast.estimator"):
        test_imports_point_down_the_layers(fake)
