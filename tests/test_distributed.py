"""Grid searches and per-series fits on a dask.distributed cluster.

scikit-learn's ``GridSearchCV(..., n_jobs=-1)`` and joblib's ``Parallel``
inside ``joblib.parallel_config(backend="dask")`` send every fit to the
cluster's workers; rnnforecast has no code of its own for this. The tests
start a :class:`distributed.LocalCluster` of two worker processes and check
that a search over ``RNNRegressor``, a backtest search over
``RNNForecaster`` (``TimeSeriesSplit``) and per-series forecaster fits give
exactly the results of running here with ``n_jobs=1``, and that a fit inside
a worker runs with one BLAS thread.

dask's nanny would start the workers with ``OPENBLAS_NUM_THREADS=1``; here
they start with two BLAS threads, like workers started without that
setting, so that the one-thread check can fail. Needs the ``distributed``
extra (``pip install "rnnforecast[distributed]"``, part of
``rnnforecast[test]``).
"""

import contextlib
import io
import logging
import os

import numpy as np
import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")

from joblib import Parallel, delayed, parallel_config  # noqa: E402 (needs the extra's joblib)
from sklearn.base import clone  # noqa: E402
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit  # noqa: E402
from threadpoolctl import threadpool_info  # noqa: E402

from rnnforecast import RNNForecaster, RNNRegressor  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

WORKER_BLAS_THREADS = 2


@pytest.fixture(scope="module")
def client():
    """A client of a LocalCluster: 2 worker processes x 1 thread, each with
    ``WORKER_BLAS_THREADS`` BLAS threads; closed after the module."""
    saved = dict(os.environ)
    # The nanny exports its pre-spawn variables (OPENBLAS_NUM_THREADS,
    # PYTHONHASHSEED, ...) into this process's environment, which later
    # subprocesses of the test session would inherit: restore it afterwards.
    # A variable already set in os.environ overrides the nanny's default.
    os.environ["OPENBLAS_NUM_THREADS"] = str(WORKER_BLAS_THREADS)
    try:
        with distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=logging.ERROR,
            # The scheduler serves HTTP (health checks) even without a
            # dashboard, by default on port 8787: take a free port instead.
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        ) as cluster, distributed.Client(cluster) as client:
            client.wait_for_workers(2)
            yield client
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _blas_threads():
    """Threads of every BLAS library loaded in this process."""
    return sorted({pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"})


def _search_both_ways(client, search, *fit_args):
    """Copies of ``search`` fitted with n_jobs=1 in this process and with
    n_jobs=-1 on the cluster, and the workers that ran tasks of the latter."""
    serial = clone(search).set_params(n_jobs=1).fit(*fit_args)
    with distributed.get_task_stream(client) as tasks, parallel_config(backend="dask"):
        parallel = clone(search).set_params(n_jobs=-1).fit(*fit_args)
    workers = {task["worker"] for task in tasks.data}
    return serial, parallel, workers


def _assert_same_search(serial, parallel):
    assert parallel.best_params_ == serial.best_params_
    assert parallel.best_score_ == serial.best_score_
    assert parallel.cv_results_["params"] == serial.cv_results_["params"]
    scores = [key for key in serial.cv_results_ if key.endswith("test_score")]
    assert "split0_test_score" in scores
    for key in scores:
        # Bit-identical: every fit is deterministic given its random_state.
        np.testing.assert_array_equal(
            parallel.cv_results_[key], serial.cv_results_[key], err_msg=key
        )


def test_grid_search_over_regressor_on_cluster_matches_n_jobs_1(client):
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, (150, 6))
    y = X[:, 2] - 0.5 * X[:, 4]
    search = GridSearchCV(
        RNNRegressor(max_iter=8, random_state=0),
        {"hidden_size": [4, 8], "learning_rate_init": [0.01, 0.05]},
        cv=TimeSeriesSplit(3), error_score="raise",
    )
    serial, parallel, workers = _search_both_ways(client, search, X, y)
    _assert_same_search(serial, parallel)
    # Fits ran on the cluster (one worker may take them all on a busy machine).
    assert workers and workers <= set(client.scheduler_info()["workers"])


def test_backtest_grid_search_over_forecaster_on_cluster_matches_n_jobs_1(client):
    t = np.arange(90)
    rng = np.random.RandomState(1)
    y = pd.Series(
        10 + 0.05 * t + np.sin(2 * np.pi * t / 12) + 0.2 * rng.standard_normal(90),
        index=pd.date_range("2000-01-01", periods=90, freq="MS"),
    )
    forecaster = RNNForecaster(
        window=12, horizon=4, n_networks=1, random_state=0,
        regressor=RNNRegressor(hidden_size=4, max_iter=4),
    )
    search = GridSearchCV(
        forecaster,
        {"regressor__hidden_size": [4, 8], "linear_skip": [True, False]},
        cv=TimeSeriesSplit(3, test_size=4), error_score="raise",
    )
    serial, parallel, workers = _search_both_ways(client, search, y)
    _assert_same_search(serial, parallel)
    # Fits ran on the cluster (one worker may take them all on a busy machine).
    assert workers and workers <= set(client.scheduler_info()["workers"])


def test_per_series_forecaster_fits_on_cluster_match_fits_here(client):
    index = pd.date_range("2000-01-01", periods=60, freq="MS")
    rng = np.random.RandomState(2)
    series = [
        pd.Series(np.sin(np.arange(60) / (2 + k)) + 0.1 * rng.standard_normal(60), index=index)
        for k in range(4)
    ]
    forecaster = RNNForecaster(
        window=8, horizon=3, n_networks=1, n_calibration=0, random_state=0,
        regressor=RNNRegressor(hidden_size=4, max_iter=4),
    )
    here = [clone(forecaster).fit(y).predict() for y in series]
    with distributed.get_task_stream(client) as tasks, parallel_config(backend="dask"):
        fitted = Parallel(n_jobs=-1)(delayed(clone(forecaster).fit)(y) for y in series)
    assert tasks.data
    for forecast, model in zip(here, fitted):
        pd.testing.assert_series_equal(model.predict(), forecast, check_exact=True)
    # Different series, different forecasts: the comparison is not vacuous.
    assert not here[0].equals(here[1])
    # Or one forecaster of them all, a model each (many_series), a series per task.
    with distributed.get_task_stream(client) as tasks, parallel_config(backend="dask"):
        together = clone(forecaster).set_params(n_jobs=-1).fit(dict(enumerate(series)))
    assert tasks.data and len(together.forecasters_) == 4
    for k, forecast in enumerate(here):
        np.testing.assert_array_equal(together.predict(series=k).to_numpy(), forecast.to_numpy())


def _blas_threads_before_during_after_fit():
    """In a worker: BLAS threads before a fit, at every epoch of the fit (read
    when its verbose line is printed, between epochs) and after it."""
    during = []

    class EpochProbe(io.StringIO):
        def write(self, text):
            during.append(_blas_threads())
            return len(text)

    rng = np.random.RandomState(0)
    X = rng.standard_normal((64, 5))
    before = _blas_threads()
    with contextlib.redirect_stdout(EpochProbe()):
        RNNRegressor(hidden_size=4, max_iter=3, verbose=True, random_state=0).fit(X, X[:, 1])
    return before, during, _blas_threads()


def test_fit_inside_a_worker_runs_with_one_blas_thread_and_restores_the_pool(client):
    # One task per worker, run like the fits of a search: in the worker's
    # task thread.
    workers = list(client.scheduler_info()["workers"])
    futures = [
        client.submit(_blas_threads_before_during_after_fit, workers=[w], pure=False)
        for w in workers
    ]
    results = client.gather(futures)
    assert len(results) == 2
    for before, during, after in results:
        # Else the check below proves nothing.
        assert before == [WORKER_BLAS_THREADS], f"worker BLAS threads before fit: {before}"
        assert len(during) >= 3
        assert all(threads == [1] for threads in during)
        assert after == [WORKER_BLAS_THREADS]

