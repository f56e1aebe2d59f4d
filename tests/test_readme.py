"""The README's code examples run as written."""

import os
import re
import warnings
from pathlib import Path

import pytest

README = (Path(__file__).parents[1] / "README.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", README, re.S)
# The diagnostics block continues an earlier example (model, X, y).
RUNNABLE = [block for block in BLOCKS if "gradient_flow(model" not in block]


def test_readme_has_examples():
    assert len(RUNNABLE) >= 3


@pytest.fixture
def restored_environ():
    """os.environ as it was before the test: a dask nanny writes its worker
    settings (OPENBLAS_NUM_THREADS, PYTHONHASHSEED, ...) into it, and later
    subprocesses (the notebook kernels) must not inherit them."""
    saved = os.environ.copy()
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.mark.parametrize("block", RUNNABLE, ids=[f"example{i}" for i in range(len(RUNNABLE))])
def test_readme_example_runs(block, restored_environ):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(block, "README.md", "exec"), {})
