"""The one-BLAS-thread limit of fits is shared by fits that overlap."""

import numpy  # noqa: F401 (loads the BLAS library whose pool is limited)
import pytest

threadpoolctl = pytest.importorskip("threadpoolctl")

from rnnforecast._blas_threads import blas_threads  # noqa: E402


def _blas_pool_threads():
    return {pool["num_threads"] for pool in threadpoolctl.threadpool_info()
            if pool["user_api"] == "blas"}


@pytest.fixture
def two_blas_threads():
    """BLAS pools at two threads, so that a limit to one is visible."""
    with threadpoolctl.threadpool_limits(limits=2, user_api="blas"):
        if _blas_pool_threads() != {2}:
            pytest.skip("no BLAS pool that can run two threads here")
        yield


def test_overlapping_fits_keep_the_limit_until_the_last_ends(two_blas_threads):
    # Fit A starts, fit B starts, A ends while B still runs: B must keep one
    # thread, and the end of B must bring back the two threads of before A.
    # (Interleaved in one thread: OpenBLAS 0.3.31 ignores a limit set from
    # another thread once the main thread has set one, so what threads see
    # cannot be compared here.)
    first, second = blas_threads(1), blas_threads(1)
    first.__enter__()
    second.__enter__()
    assert _blas_pool_threads() == {1}
    first.__exit__(None, None, None)
    assert _blas_pool_threads() == {1}
    second.__exit__(None, None, None)
    assert _blas_pool_threads() == {2}


def test_limit_is_lifted_when_the_block_raises(two_blas_threads):
    with pytest.raises(RuntimeError):
        with blas_threads(1):
            raise RuntimeError("a fit failed")
    assert _blas_pool_threads() == {2}
