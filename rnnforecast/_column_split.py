"""A batch's gradient computed over worker processes (``RNNRegressor(n_jobs>=2)``).

The samples of a batch (its columns) are independent until the weight
gradients are summed over them, so one batch's gradient splits over
processes. :class:`ColumnSplit` has the signature of
:func:`rnnforecast._core.training.batch_gradient`, the one function the
core's training loop computes a batch's loss and gradient with: it sends the
last columns of the batch, in parts, to worker processes together with the
current parameters, computes the first part itself, and adds the workers'
gradients to its own. Each part is :func:`batch_gradient` of its columns, so
the workers run the core's forward and backward passes unchanged; the
penalty, clipping and update stay in the calling process.

Processes, not threads: a step makes a dozen NumPy calls on small arrays,
and two threads making them spend their time handing the interpreter lock
to each other. Each worker is a separate interpreter with its own copy of
the network and its own buffers, fed through a pipe that carries the arrays
as raw bytes. A part holds at least ``MIN_PART_WORK`` multiply-adds of the
step matmuls: smaller ones save less than their messages cost, so the
batches of small networks are not split.

A part's loss and gradient are the mean over its own columns; weighted by
the part's share of the batch (of its samples, or of its sample weight)
they sum to those of the whole batch: equal to one process's within
rounding, not bit for bit, and the same from run to run for the same number
of processes.

NumPy and the standard library only, like the core it drives.
"""

import multiprocessing
import os
import select
import sys
import time
import traceback
import warnings
from contextlib import contextmanager

import numpy as np

from ._core.training import batch_gradient

__all__ = ["ColumnSplit", "WorkerError", "column_split", "n_processes"]

# The least work a process is given: multiply-adds of the per-step matmuls
# of its columns of a batch, over all steps and layers. Measured with
# benchmarks/bench_core.py on two cores, a part of 32 columns of 48 steps
# paid for 64 hidden GRU (19.5 million) and LSTM units (26 million) and not
# for 64 Elman units (6.5 million).
MIN_PART_WORK = 12_000_000

# How workers start; None: fork on Linux, where it takes milliseconds and
# the worker finds the modules imported, and spawn elsewhere (the safe method
# on macOS and the only one on Windows).
START_METHOD = None

# How long a process polls for the other's next message before it sleeps
# until it comes: waking a sleeping process costs as much as a small batch's
# step, and the messages of a batch come within milliseconds of each other.
SPIN_SECONDS = 0.002


def start_method():
    """The multiprocessing start method of the workers."""
    if START_METHOD is not None:
        return START_METHOD
    return "fork" if sys.platform.startswith("linux") else "spawn"


def usable_cpus():
    """Processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _joblib_share():
    """This process's share of the processors when it is a worker of
    joblib's loky backend (scikit-learn's ``n_jobs``), else None. joblib
    gives each worker cpu_count // n_jobs threads for C libraries, in
    OMP_NUM_THREADS; worker processes of ours count as such threads."""
    if type(multiprocessing.current_process()).__name__ != "LokyProcess":
        return None
    try:
        return max(1, int(os.environ["OMP_NUM_THREADS"]))
    except (KeyError, ValueError):
        return None


def n_processes(n_jobs):
    """Processes an estimator's ``n_jobs`` gives training: 1 for None, all
    usable processors for -1, else ``n_jobs``; never more than there are
    usable processors (the processes poll for each other's messages), nor,
    inside an outer joblib job, than that job's share of them."""
    if n_jobs is None:
        return 1
    available = usable_cpus()
    share = _joblib_share()
    if share is not None:
        available = min(available, share)
    return available if n_jobs == -1 else min(n_jobs, available)


def column_parts(n_columns, n_processes, min_columns=1):
    """``(start, stop)`` of near-equal consecutive parts of the columns, one
    per process, but none with fewer than ``min_columns`` columns."""
    n_parts = max(1, min(n_processes, n_columns // max(min_columns, 1)))
    bounds = [round(k * n_columns / n_parts) for k in range(n_parts + 1)]
    return list(zip(bounds[:-1], bounds[1:]))


class WorkerError(RuntimeError):
    """A worker process failed or ended; the message holds its traceback."""


@contextmanager
def _reported():
    """A pipe that broke means the process at its other end ended."""
    try:
        yield
    except (EOFError, OSError) as error:
        raise WorkerError("an rnnforecast worker process ended unexpectedly "
                          f"({type(error).__name__})") from error


class _Link:
    """One end of a pipe between the caller and a worker."""

    def __init__(self, connection):
        self.connection = connection
        self._poller = None
        if hasattr(select, "poll"):
            self._poller = select.poll()
            self._poller.register(connection.fileno(), select.POLLIN)

    def _ready(self):
        if self._poller is None:
            return self.connection.poll()
        return bool(self._poller.poll(0))

    def wait(self):
        """Return once a message (or the end of the pipe) has arrived,
        polling for up to SPIN_SECONDS before blocking."""
        deadline = time.perf_counter() + SPIN_SECONDS
        while not self._ready():
            if time.perf_counter() > deadline:
                self.connection.poll(None)
                return

    def send(self, message):
        with _reported():
            self.connection.send(message)

    def send_array(self, array):
        # flat: a Connection takes the length of a buffer of bytes (bool) to
        # be that of its first dimension
        with _reported():
            self.connection.send_bytes(np.ascontiguousarray(array).reshape(-1))

    def receive(self):
        with _reported():
            self.wait()
            return self.connection.recv()

    def receive_into(self, out):
        """Read one message into the contiguous array ``out``; return its
        size in bytes. (Flat, for the reason given in send_array.)"""
        with _reported():
            self.wait()
            return self.connection.recv_bytes_into(out.reshape(-1))

    def close(self):
        self.connection.close()


def _part(array, start, stop):
    """Columns start..stop-1 of an array whose last axis is the batch."""
    return None if array is None else array[..., start:stop]


def _shares(parts, sample_weight):
    """Each part's fraction of the batch: of its samples, or of their weight."""
    if sample_weight is None:
        sizes = [stop - start for start, stop in parts]
    else:
        sizes = [float(np.sum(sample_weight[start:stop])) for start, stop in parts]
    total = sum(sizes)
    return [size / total for size in sizes]


class ColumnSplit:
    """:func:`batch_gradient` over this process and up to ``n_workers``
    worker processes, each holding a copy of ``network``, started when the
    first batch large enough to split arrives. :meth:`close` ends them.

    Parameters
    ----------
    network : RecurrentNetwork
        The network whose gradients it computes, copied into every worker
        when it starts; the parameters travel with every batch, so later
        changes to them (optimiser steps, restored weights) reach the
        workers.
    n_workers : int
    """

    def __init__(self, network, n_workers):
        self.network = network
        self.n_workers = n_workers
        self._links, self._processes = [], []
        self._grads = np.empty_like(network.grads)
        self._loss = np.empty(1)
        self._plans = {}

    def plan(self, n_steps, n_columns):
        """The column parts of a batch, the caller's first; one part means
        the batch is not split (see ``MIN_PART_WORK``)."""
        key = (n_steps, n_columns)
        if key not in self._plans:
            work = n_steps * self.network.step_multiply_adds()  # per column
            self._plans[key] = column_parts(n_columns, self.n_workers + 1,
                                            -(-MIN_PART_WORK // work))
        return self._plans[key]

    def parts(self, n_steps, n_columns):
        """:meth:`plan`, with the workers it needs started."""
        plan = self.plan(n_steps, n_columns)
        if len(self._links) < len(plan) - 1:
            self._start(len(plan) - 1)
            plan = self.plan(n_steps, n_columns)  # one part where no worker may start
        return plan

    def __call__(self, network, X, missing, Y, sample_weight=None, bptt_steps=None):
        """The loss of one batch, and its gradient into ``network.grads``:
        :func:`batch_gradient`, computed in parts."""
        if network is not self.network:
            raise ValueError("a ColumnSplit computes the gradients of the network it was "
                             "made for; make one per network")
        parts = self.parts(X.shape[0], X.shape[2])
        shares = _shares(parts, sample_weight)
        if len(parts) == 1 or 0 in shares:  # a part without weight has no mean loss
            return batch_gradient(network, X, missing, Y, sample_weight, bptt_steps)
        self._send(X, missing, Y, sample_weight, bptt_steps, parts)
        start, stop = parts[0]
        loss = batch_gradient(network, X[:, :, start:stop], _part(missing, start, stop),
                              Y[:, start:stop], _part(sample_weight, start, stop), bptt_steps)
        return self._gather(loss, shares)

    def _start(self, n_workers):
        if multiprocessing.current_process().daemon:
            warnings.warn(
                "rnnforecast: n_jobs > 1 trains in one process here, because this process "
                "is a daemon (e.g. a multiprocessing.Pool worker) and may not start workers",
                RuntimeWarning, stacklevel=2)
            self.n_workers = 0
            self._plans.clear()
            return
        context = multiprocessing.get_context(start_method())
        while len(self._links) < n_workers:
            parent, child = context.Pipe()
            process = context.Process(target=_serve, args=(child, self.network), daemon=True,
                                      name="rnnforecast-columns")
            process.start()
            child.close()
            self._links.append(_Link(parent))
            self._processes.append(process)

    def _send(self, X, missing, Y, sample_weight, bptt_steps, parts):
        """Send each worker the parameters and its columns of the batch."""
        dtype = self.network.dtype  # that of the workers' buffers
        for link, (start, stop) in zip(self._links, parts[1:]):
            link.send((X.shape[:2] + (stop - start,), missing is not None,
                       sample_weight is not None, bptt_steps))
            link.send_array(self.network.params)
            link.send_array(X[:, :, start:stop].astype(dtype, copy=False))
            link.send_array(Y[:, start:stop].astype(dtype, copy=False))
            if missing is not None:
                link.send_array(missing[:, start:stop])
            if sample_weight is not None:
                link.send_array(np.asarray(sample_weight[start:stop], np.float64))

    def _gather(self, loss, shares):
        """Weigh this process's part (``loss`` and ``network.grads``) and
        the workers' by their shares and sum them; return the loss."""
        grads = self.network.grads
        grads *= shares[0]
        loss *= shares[0]
        for link, share in zip(self._links, shares[1:]):
            # A reply is the gradient's bytes, then the loss's; an empty
            # message announces the traceback of a failed worker instead.
            if link.receive_into(self._grads) == 0:
                raise WorkerError(link.receive())
            link.receive_into(self._loss)
            self._grads *= share
            grads += self._grads
            loss += share * float(self._loss[0])
        return loss

    def close(self):
        """End the workers; one cut off in the middle of a reply (after an
        error in the caller) is terminated."""
        for link in self._links:
            try:
                link.send(None)
            except WorkerError:
                pass
        for process in self._processes:
            process.join(timeout=1)
            if process.is_alive():
                process.terminate()
                process.join()
        for link in self._links:
            link.close()
        self._links, self._processes = [], []


@contextmanager
def column_split(network, n_jobs):
    """The batch-gradient function that trains ``network`` with ``n_jobs``.

    With ``n_processes(n_jobs)`` of one, the core's serial
    :func:`batch_gradient`; otherwise a :class:`ColumnSplit` over that many
    processes (this one and workers), whose workers end on exit.
    """
    n_workers = n_processes(n_jobs) - 1
    if n_workers < 1:
        yield batch_gradient
        return
    split = ColumnSplit(network, n_workers)
    try:
        yield split
    finally:
        split.close()


def _serve(connection, network):
    """A worker's loop: the gradient of the columns it is sent, until it
    receives None. A failure is reported to the caller and ends the
    worker."""
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(1, user_api="blas")
    except ImportError:  # pragma: no cover
        pass
    np.seterr(over="ignore", invalid="ignore")  # the caller detects divergence
    link, dtype = _Link(connection), network.dtype
    try:
        while (message := link.receive()) is not None:
            shape, has_missing, has_weight, bptt_steps = message
            n_columns = shape[2]
            link.receive_into(network.params)
            X = np.empty(shape, dtype)
            link.receive_into(X)
            Y = np.empty((network.n_outputs, n_columns), dtype)
            link.receive_into(Y)
            missing = sample_weight = None
            if has_missing:
                missing = np.empty((shape[0], n_columns), bool)
                link.receive_into(missing)
            if has_weight:
                sample_weight = np.empty(n_columns)
                link.receive_into(sample_weight)
            loss = batch_gradient(network, X, missing, Y, sample_weight, bptt_steps)
            link.send_array(network.grads)
            link.send_array(np.array([loss]))
    except (WorkerError, KeyboardInterrupt):  # the caller has gone
        return
    except BaseException:
        try:
            connection.send_bytes(b"")
            connection.send(traceback.format_exc())
        except OSError:  # pragma: no cover
            pass
