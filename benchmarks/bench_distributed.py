"""Seconds of a grid search run serially, on loky workers and on a dask cluster.

    python benchmarks/bench_distributed.py            # both searches + oversubscription
    python benchmarks/bench_distributed.py --searches regressor --repeats 1

Needs the ``distributed`` extra (``pip install "rnnforecast[distributed]"``).

Grid searches, each timed with

- ``n_jobs=1`` in this process;
- ``n_jobs=2`` on joblib's default backend (loky worker processes);
- ``n_jobs=-1`` inside ``joblib.parallel_config(backend="dask")`` with a
  ``distributed.LocalCluster`` of 2 worker processes x 1 thread.

The searches: "regressor" is the README's ``GridSearchCV`` over
``RNNRegressor`` on Melbourne temperatures (cell x hidden size, 3
``TimeSeriesSplit`` folds); "forecaster" is a backtest of ``RNNForecaster``
on airline passengers (window x hidden size, 3 rolling origins of 12 months).
The worker pools are started and warmed up (rnnforecast imported) before the
clock starts; their start-up time is printed separately. Each timing is the
best of ``--repeats``, the paths taking turns within each repeat; every path
must give the same best parameters and scores.

Oversubscription: one fit alone, and two fits at the same time in the two
dask workers, whose BLAS pools were started with 2 threads each (4 threads
on 2 cores), with BLAS limited to one thread inside fit (as rnnforecast runs
them) and with that limit switched off in the workers; the settings take
turns within each repeat, and each time is the median. dask's nanny and loky both start their workers with one BLAS thread by
default; the unlimited case is what a pool without that setting (e.g. a
``multiprocessing`` pool, or dask workers started with more BLAS threads)
would give without rnnforecast's limit.
"""

import argparse
import contextlib
import logging
import os
import time
import warnings

import numpy as np
from joblib import Parallel, delayed, parallel_config
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, ParameterGrid, TimeSeriesSplit

from rnnforecast import RNNForecaster, RNNRegressor, make_supervised
from rnnforecast.datasets import load_airline_passengers, load_melbourne_daily_min_temp

WORKERS = 2
BLAS_THREADS_UNLIMITED = 2


def regressor_search():
    y = load_melbourne_daily_min_temp()
    X, Y = make_supervised(y, window=14, horizon=1)
    search = GridSearchCV(
        RNNRegressor(max_iter=20, random_state=0),
        {"cell": ["gru", "lstm"], "hidden_size": [16, 32]},
        cv=TimeSeriesSplit(3),
    )
    return search, (X, Y.to_numpy().ravel())


def forecaster_search():
    y = load_airline_passengers().astype(float)
    # The forecaster's default network, with its hidden size in the grid.
    network = RNNRegressor(learning_rate_init=0.005)
    search = GridSearchCV(
        RNNForecaster(horizon=12, regressor=network, random_state=0, model="per_series"),
        {"window": [12, 24], "regressor__hidden_size": [16, 32]},
        cv=TimeSeriesSplit(3, test_size=12),
    )
    return search, (y,)


SEARCHES = {"regressor": regressor_search, "forecaster": forecaster_search}


def _quiet():
    warnings.simplefilter("ignore")


PATHS = (("n_jobs=1", None, 1), ("loky", None, WORKERS), ("dask", "dask", -1))


def time_search(search, data, backend, n_jobs):
    """Wall-clock seconds of ``search.fit(*data)`` and the fitted search."""
    fitted = clone(search).set_params(n_jobs=n_jobs)
    config = parallel_config(backend=backend) if backend else contextlib.nullcontext()
    with warnings.catch_warnings(), config:
        _quiet()
        start = time.perf_counter()
        fitted.fit(*data)
        return time.perf_counter() - start, fitted


def _warm_up():
    """Run in a worker: import rnnforecast and silence its warnings."""
    import rnnforecast  # noqa: F401

    _quiet()


def start_cluster(blas_threads=None):
    """A started LocalCluster and its client, workers warmed up; seconds taken.

    ``blas_threads``: BLAS threads the worker processes start with (None:
    dask's default, one)."""
    from distributed import Client, LocalCluster

    saved = dict(os.environ)
    if blas_threads is not None:
        os.environ["OPENBLAS_NUM_THREADS"] = str(blas_threads)
    start = time.perf_counter()
    try:
        cluster = LocalCluster(
            n_workers=WORKERS, threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=logging.ERROR,
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        )
        client = Client(cluster)
        client.wait_for_workers(WORKERS)
        client.run(_warm_up)
    finally:  # the nanny writes its worker variables into os.environ
        os.environ.clear()
        os.environ.update(saved)
    return cluster, client, time.perf_counter() - start


def warm_loky(n_jobs):
    start = time.perf_counter()
    Parallel(n_jobs=n_jobs)(delayed(_warm_up)() for _ in range(2 * n_jobs))
    return time.perf_counter() - start


def run_searches(names, repeats):
    """Per search: (name, fits, refit seconds, best seconds of each path).

    The paths alternate within each repeat, so that a change in the load of
    the machine affects them alike."""
    rows = []
    for name in names:
        search, data = SEARCHES[name]()
        n_fits = len(ParameterGrid(search.param_grid)) * search.cv.get_n_splits()
        best = {path: np.inf for path, _, _ in PATHS}
        fitted = {}
        for _ in range(repeats):
            for path, backend, n_jobs in PATHS:
                seconds, fitted[path] = time_search(search, data, backend, n_jobs)
                best[path] = min(best[path], seconds)
        serial = fitted["n_jobs=1"]
        for path, other in fitted.items():
            if other.best_params_ != serial.best_params_:
                raise AssertionError(f"{name}: best parameters differ on the {path} path")
            np.testing.assert_array_equal(
                other.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"],
                err_msg=f"{name}: scores differ on the {path} path",
            )
        rows.append((name, n_fits, serial.refit_time_, *best.values()))
    return rows


# -- oversubscription ------------------------------------------------------
FIT = dict(windows=2000, steps=48, hidden_size=64, batch_size=64, epochs=1)


def _fit_seconds(seed):
    """Wall-clock and CPU seconds (all threads of this process) of one fit
    of a GRU of size ``FIT``."""
    rng = np.random.RandomState(seed)
    n, steps = FIT["windows"], FIT["steps"]
    X = np.cumsum(rng.standard_normal((n, steps, 1)), axis=1).astype(np.float32)
    X /= np.sqrt(steps)
    y = X[:, -1, 0] + 0.1 * rng.standard_normal(n).astype(np.float32)
    model = RNNRegressor(
        hidden_size=FIT["hidden_size"], batch_size=FIT["batch_size"], max_iter=FIT["epochs"],
        random_state=seed,
    )
    with warnings.catch_warnings():
        _quiet()
        start, cpu = time.perf_counter(), time.process_time()
        model.fit(X, y)
        return time.perf_counter() - start, time.process_time() - cpu


_LIMITER = {}


def _set_blas_limit(on):
    """Switch rnnforecast's one-BLAS-thread limit on or off in this process."""
    from rnnforecast import estimator

    if not hasattr(estimator, "blas_threads"):
        raise RuntimeError("rnnforecast.estimator.blas_threads is gone: update the benchmark")
    _LIMITER.setdefault("original", estimator.blas_threads)
    estimator.blas_threads = (
        _LIMITER["original"] if on else (lambda n: contextlib.nullcontext())
    )


def _blas_pool_threads():
    from threadpoolctl import threadpool_info

    return sorted({p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"})


def time_fits(client, workers):
    """(wall, CPU) seconds of each fit when each of ``workers`` fits at the
    same time."""
    futures = [client.submit(_fit_seconds, 0, workers=[w], pure=False) for w in workers]
    return client.gather(futures)


def run_oversubscription(repeats):
    """Median (wall, CPU) seconds per fit, {(fits at once, BLAS limited):
    seconds}, and the workers' BLAS pool sizes. The settings alternate within
    each repeat."""
    cluster, client, _ = start_cluster(blas_threads=BLAS_THREADS_UNLIMITED)
    try:
        pools = client.run(_blas_pool_threads)
        workers = list(client.scheduler_info()["workers"])
        times = {(at_once, limited): [] for limited in (True, False) for at_once in (1, WORKERS)}
        for _ in range(repeats):
            for at_once, limited in times:
                client.run(_set_blas_limit, limited)
                times[at_once, limited] += time_fits(client, workers[:at_once])
    finally:
        client.close()
        cluster.close()
    return {key: tuple(np.median(t, axis=0)) for key, t in times.items()}, pools


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--searches", nargs="*", default=list(SEARCHES), choices=list(SEARCHES))
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--no-oversubscription", action="store_true")
    args = parser.parse_args(argv)
    print(f"os.cpu_count() = {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}")

    if args.searches:
        loky_start = warm_loky(WORKERS)
        cluster, client, dask_start = start_cluster()
        try:
            rows = run_searches(args.searches, args.repeats)
        finally:
            client.close()
            cluster.close()
        print(
            f"\nPool start-up and warm-up, not in the timings below: loky {loky_start:.1f} s, "
            f"dask LocalCluster {dask_start:.1f} s"
        )
        print(
            "\n| search | fits + refit | refit s | n_jobs=1 s | loky n_jobs=2 s | dask 2x1 s "
            "| speed-up loky | speed-up dask |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for name, n_fits, refit_s, serial_s, loky_s, dask_s in rows:
            print(
                f"| {name} | {n_fits} + 1 | {refit_s:.1f} | {serial_s:.1f} | {loky_s:.1f} | "
                f"{dask_s:.1f} | "
                f"{serial_s / loky_s:.2f} | {serial_s / dask_s:.2f} |"
            )
        print("Best parameters and mean test scores were identical on all three paths.")

    if not args.no_oversubscription:
        seconds, pools = run_oversubscription(args.repeats)
        print(
            f"\nOne GRU fit ({FIT['windows']} windows x {FIT['steps']} steps, hidden "
            f"{FIT['hidden_size']}, batch {FIT['batch_size']}, {FIT['epochs']} epoch) in a dask "
            f"worker whose BLAS pool has {sorted(pools.values())[0]} threads; median of "
            f"{args.repeats}, load average now {os.getloadavg()[0]:.1f}:"
        )
        print("| fits at once | BLAS inside fit | s per fit | CPU s per fit |")
        print("|---|---|---|---|")
        for (at_once, limited), (s, cpu) in seconds.items():
            blas = "1 thread (rnnforecast)" if limited else f"{BLAS_THREADS_UNLIMITED} threads (limit off)"
            print(f"| {at_once} | {blas} | {s:.2f} | {cpu:.2f} |")


if __name__ == "__main__":
    main()
