"""One BLAS thread while rnnforecast fits and predicts.

The per-step matmuls are small: extra BLAS threads cost more in
synchronisation than they save, and on a busy machine they made epochs
several times slower (benchmarks/bench_core.py). Even 2 threads for the one
large weight-gradient matmul per batch only lost there: with other jobs on
both cores a large Elman batch took 466 ms instead of 27, as the second
thread's waits stalled the rest.

A BLAS thread limit is process-wide (OpenBLAS keeps one pool), so fits that
overlap in threads of one process (a multi-threaded dask worker, joblib's
threading backend) share one limit: the first to start sets it, the last to
end restores what was there before. threadpoolctl comes with scikit-learn;
without it the limit does nothing.
"""

import contextlib
import functools
import threading

_lock = threading.Lock()
_active = 0  # fits inside the limit, in all threads
_limiter = None  # what restores the limits found when the first of them began


@functools.cache
def _threadpool_controller():
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover
        return None
    return ThreadpoolController()


@contextlib.contextmanager
def blas_threads(n):
    """Limit BLAS to ``n`` threads inside the block (see the module docstring).

    While another block is active (in any thread), its limit stays in force.
    """
    global _active, _limiter
    controller = _threadpool_controller()
    if controller is None:  # pragma: no cover
        yield
        return
    with _lock:
        if _active == 0:
            _limiter = controller.limit(limits=n, user_api="blas")
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0:
                _limiter.restore_original_limits()
                _limiter = None
