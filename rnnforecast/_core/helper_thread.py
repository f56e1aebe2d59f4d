"""A second thread for the backward pass.

Backpropagation through time is a recursion over steps and cannot be split
over time, but two thirds of its work does not lie on the recursion: the
derivative factors of a chunk of steps need only the forward pass, and the
weight gradient of a chunk needs only that chunk's finished gradients. With
a :class:`HelperThread` attached (:func:`helper_thread`),
:meth:`.recurrent.RecurrentNetwork.backward` hands both to it and runs the
recursion alone, so the two overlap on two cores.

The helper runs its tasks one at a time in the order they were submitted,
and each task is the same NumPy call the serial pass makes on the same
buffers, so the gradients are bit-identical with and without it. NumPy
releases the GIL inside BLAS and inside ufunc loops over large arrays, which
is where the helper's tasks spend their time.

The forecaster's sequence training uses it; window training splits its
batches over processes instead (:mod:`.column_workers`), which measured
faster wherever the helper paid and does not contend for the GIL.
"""

import collections
import threading
from contextlib import contextmanager

from .column_workers import n_processes

__all__ = ["HelperThread", "helper_thread", "wants_helper"]


class HelperThread:
    """One background thread that runs submitted calls in order.

    ``submit`` returns a ticket; ``wait(ticket)`` returns once that call and
    every earlier one has finished, and ``wait()`` once all have. An
    exception in a task is raised again by the next ``wait``, and the tasks
    queued after it are dropped.
    """

    def __init__(self):
        self._condition = threading.Condition()
        self._tasks = collections.deque()
        self._submitted = 0
        self._finished = 0
        self._error = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="rnnforecast-backward",
                                        daemon=True)
        self._thread.start()

    def submit(self, function, *args):
        """Queue ``function(*args)``; return its ticket."""
        with self._condition:
            if self._closed:
                raise RuntimeError("the helper thread has been closed")
            self._tasks.append((function, args))
            self._submitted += 1
            self._condition.notify_all()
            return self._submitted

    def wait(self, ticket=None):
        """Block until the task ``ticket`` (default: the last one) is done."""
        with self._condition:
            target = self._submitted if ticket is None else ticket
            while self._finished < target and self._error is None:
                self._condition.wait()
            if self._error is not None:
                error, self._error = self._error, None
                raise error

    def close(self):
        """Finish the queued tasks and end the thread."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()
        self._thread.join()

    def _run(self):
        while True:
            with self._condition:
                while not self._tasks and not self._closed:
                    self._condition.wait()
                if not self._tasks:
                    return
                function, args = self._tasks.popleft()
            try:
                function(*args)
            except BaseException as error:  # handed to the waiting thread
                with self._condition:
                    self._error = error
                    self._finished = self._submitted
                    self._tasks.clear()
                    self._condition.notify_all()
                continue
            with self._condition:
                self._finished += 1
                self._condition.notify_all()


def wants_helper(n_jobs):
    """Whether an estimator's ``n_jobs`` asks for the helper thread: when
    it gives training two or more processors (see
    :func:`.column_workers.n_processes`: capped by the usable processors
    and by an outer joblib job's share)."""
    return n_processes(n_jobs) > 1


@contextmanager
def helper_thread(network, n_jobs=2):
    """Give ``network``'s backward passes a helper thread while inside, if
    ``n_jobs`` asks for one (see :func:`wants_helper`); otherwise nothing
    changes. The thread ends on exit.
    """
    if not wants_helper(n_jobs):
        yield network
        return
    with network.attached("helper", HelperThread()):
        yield network
