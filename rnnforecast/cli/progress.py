"""The command's progress display on stderr: what a fit is training, how far, how long is left.

The forecaster's fit reports its phases, networks and epochs through
:mod:`rnnforecast.forecasting.progress`; :class:`ProgressLine` renders them.
On a terminal it is one line redrawn in place with ``\\r`` and erased when
a phase ends, so the report on stdout reads as without it; elsewhere (a log
file, with ``--progress``) plain lines, fewer of them. :func:`showing_progress`
decides whether to show it and installs it around the command.

The time left is that of the phase: before any network of the phase is done,
the time the current network's epochs took so far, times every epoch left
in the phase's budget ("up to": early stopping may end sooner); afterwards,
the time per finished network times the networks left.
"""

import shutil
import sys
import time
import warnings
from contextlib import contextmanager

__all__ = ["ProgressLine", "add_progress_arguments", "showing_progress"]

# A terminal redrawn more often only flickers; a log file gets an epoch line
# at most this often (phase starts and finished networks always print).
REDRAW_SECONDS = 0.1
PLAIN_SECONDS = 10.0
# The phases of Listener.phase_started, as the line names them.
_PHASES = {"backtest": "backtest inside fit", "final": "final networks",
           "separate": "models of the series"}
# What a phase counts, when not networks.
_UNITS = {"separate": "series"}


def add_progress_arguments(parser):
    """The options of ``parser`` that say whether to show progress."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--progress", action="store_true",
                       help="show training progress on stderr even when it is not a terminal "
                            "(default: on a terminal only, and not with --verbose)")
    group.add_argument("--quiet", action="store_true",
                       help="no progress and no warnings on stderr; errors still print")


def shows_progress(args, stream):
    """Whether the command shows progress on ``stream``: with ``--progress``;
    never with ``--quiet``; else on a terminal, unless ``--verbose`` already
    prints every epoch."""
    if args.quiet or args.progress:
        return args.progress
    return not args.verbose and _is_terminal(stream)


def _is_terminal(stream):
    return getattr(stream, "isatty", lambda: False)()


@contextmanager
def showing_progress(args, stream=None):
    """Show the progress of the fits inside the ``with`` block on ``stream``
    (stderr) when :func:`shows_progress` says so; the line is cleared on the
    way out, also after Ctrl-C or an error, and before any warning."""
    stream = sys.stderr if stream is None else stream
    if not shows_progress(args, stream):
        yield None
        return
    # Imported here: the forecasting package imports scikit-learn, which
    # --help and --version need not wait for (0.7 s).
    from ..forecasting.progress import reporting

    line = ProgressLine(stream, overwrite=_is_terminal(stream))
    show_warning = warnings.showwarning

    def clear_then_warn(*args, **kwargs):
        line.clear()
        show_warning(*args, **kwargs)

    warnings.showwarning = clear_then_warn
    try:
        with reporting(line):
            yield line
    finally:
        warnings.showwarning = show_warning
        line.clear()


def format_seconds(seconds):
    """``m:ss``, or ``h:mm:ss`` from an hour."""
    minutes, seconds = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class ProgressLine:
    """Renders a fit's progress events on ``stream``: a
    :class:`rnnforecast.forecasting.progress.Listener` (by its methods; the
    class is not imported, see :func:`showing_progress`).

    The command sets :attr:`fit` (``"fit 1/2"``) when it fits more than once
    (a backtest, then all rows), and the line starts with it.

    Parameters
    ----------
    stream : file-like
    overwrite : bool
        Redraw one line in place (a terminal); else write plain lines.
    clock : callable
        Seconds, for the elapsed and remaining times (tests pass their own).
    """

    def __init__(self, stream, overwrite, clock=time.monotonic):
        self.stream, self.overwrite, self.clock = stream, overwrite, clock
        self.drawn = 0  # characters of the line on screen (overwrite)
        self.last_write = -float("inf")
        self.phase = None
        # Which of the command's fits trains, when it makes more than one
        # ("fit 1/2"); set by the command between its fits.
        self.fit = None

    # -- events ---------------------------------------------------------------
    def phase_started(self, phase, training, n_networks):
        self.phase, self.training = phase, training
        self.n_networks = n_networks
        self.started = self.network_started_at = self.clock()
        self.n_done, self.last_done_at = 0, None
        self.network = self.epoch = self.max_epochs = None
        self._write(force=True)

    def network_started(self, i):
        self.network, self.epoch, self.max_epochs = i, None, None
        self.network_started_at = self.clock()
        self._write()

    def epoch_done(self, i, epoch, max_epochs):
        self.network, self.epoch, self.max_epochs = i, epoch, max_epochs
        self._write()

    def network_done(self, i):
        self.n_done += 1
        self.last_done_at = self.clock()
        self.network = self.epoch = self.max_epochs = None
        if self.overwrite and self.n_done == self.n_networks:
            self.clear()  # what the command prints next starts on a clean line
        else:
            self._write(force=True)

    # -- rendering ------------------------------------------------------------
    def text(self, short=False):
        """The line for the state reached: phase (and training mode), network,
        epoch, time elapsed in the phase and time left. ``short``: the phase's
        name alone, for a narrow terminal."""
        now = self.clock()
        n = self.n_networks
        phase = self.phase if short else (
            f"{_PHASES.get(self.phase, self.phase)} ({self.training})")
        if self.epoch is not None:
            where = f"network {self.network + 1}/{n}, epoch {self.epoch}/{self.max_epochs}"
        elif self.network is not None:
            where = f"network {self.network + 1}/{n}"
        else:
            where = f"{self.n_done}/{n} {_UNITS.get(self.phase, 'networks')} done"
        fit = "" if self.fit is None else f"{self.fit}, "
        line = f"{fit}{phase}: {where}, {format_seconds(now - self.started)}"
        left = self.time_left(now)
        return line if left is None else f"{line}, {left} left"

    def time_left(self, now):
        """The phase's remaining time as text ("about 1:05", "up to 3:10"),
        or None before anything was timed."""
        if self.n_done:
            per_network = (self.last_done_at - self.started) / self.n_done
            left = max(0.0, per_network * self.n_networks - (now - self.started))
            return f"about {format_seconds(left)}"
        if self.epoch:
            per_epoch = (now - self.network_started_at) / self.epoch
            epochs_left = (self.max_epochs - self.epoch
                           + self.max_epochs * (self.n_networks - 1 - self.network))
            return f"up to {format_seconds(per_epoch * epochs_left)}"
        return None

    def _write(self, force=False):
        """Draw the line (overwrite) or print it, unless the last one is
        too recent and ``force`` is not set."""
        now = self.clock()
        if not force and now - self.last_write < (
                REDRAW_SECONDS if self.overwrite else PLAIN_SECONDS):
            return
        self.last_write = now
        text = self.text()
        if self.overwrite:
            # A line longer than the terminal wraps, and \r then redraws only
            # its last part.
            width = max(shutil.get_terminal_size().columns - 1, 20)
            if len(text) > width:
                text = self.text(short=True)[:width]
            self.stream.write("\r" + text.ljust(self.drawn))
            self.drawn = len(text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def clear(self):
        """Erase the drawn line (overwrite), leaving the cursor at its start."""
        if self.overwrite and self.drawn:
            self.stream.write("\r" + " " * self.drawn + "\r")
            self.stream.flush()
            self.drawn = 0
