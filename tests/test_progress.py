"""Progress of a fit: the events training reports, the command's progress line, Ctrl-C."""

import io
import threading

import numpy as np
import pandas as pd
import pytest

from rnnforecast import RNNForecaster, RNNRegressor
from rnnforecast.cli import main
from rnnforecast.cli.progress import ProgressLine, format_seconds
from rnnforecast.forecasting import progress

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


class Recorder(progress.Listener):
    """Every event, as a tuple."""

    def __init__(self):
        self.events = []

    def phase_started(self, phase, training, n_networks):
        self.events.append(("phase", phase, training, n_networks))

    def network_started(self, i):
        self.events.append(("start", i))

    def epoch_done(self, i, epoch, max_epochs):
        self.events.append(("epoch", i, epoch, max_epochs))

    def network_done(self, i):
        self.events.append(("done", i))

    def of_phase(self, phase):
        """The events after ``phase`` started, up to the next phase."""
        start = self.events.index(next(e for e in self.events if e[:2] == ("phase", phase)))
        rest = self.events[start + 1:]
        end = next((k for k, e in enumerate(rest) if e[0] == "phase"), len(rest))
        return rest[:end]


def series(n=90):
    index = pd.date_range("2024-01-01", periods=n, freq="D")
    return pd.Series(np.sin(2 * np.pi * np.arange(n) / 7) + np.arange(n) / 50, index=index)


def forecaster(**kwargs):
    return RNNForecaster(horizon=3, regressor=RNNRegressor(hidden_size=4, max_iter=6),
                         n_networks=2, random_state=0, **kwargs)


def expected_epochs(i, n_epochs, max_epochs):
    return [("start", i)] + [("epoch", i, e, max_epochs) for e in range(1, n_epochs + 1)] + [
        ("done", i)]


@pytest.mark.parametrize("training", ["window", "sequence"])
def test_listening_changes_no_forecast_and_reports_every_epoch(training):
    quiet = forecaster(training=training).fit(series())
    recorder = Recorder()
    with progress.reporting(recorder):
        heard = forecaster(training=training).fit(series())
    assert np.array_equal(heard.predict_interval().to_numpy(),
                          quiet.predict_interval().to_numpy())
    phases = [e for e in recorder.events if e[0] == "phase"]
    assert phases == [("phase", "backtest", training, 2), ("phase", "final", training, 2)]
    # The final networks replay the epochs chosen on the backtest, one event each.
    assert recorder.of_phase("final") == (
        expected_epochs(0, heard.n_epochs_[0], heard.n_epochs_[0])
        + expected_epochs(1, heard.n_epochs_[1], heard.n_epochs_[1]))
    # The backtest's networks count their epochs against max_iter.
    backtest = recorder.of_phase("backtest")
    assert backtest[0] == ("start", 0) and backtest[-1] == ("done", 1)
    assert {e[3] for e in backtest if e[0] == "epoch"} == {6}


def test_a_network_trained_with_fit_reports_start_and_end_only():
    recorder = Recorder()
    with progress.reporting(recorder):
        forecaster(early_stopping=False).fit(series())
    assert recorder.of_phase("final") == [("start", 0), ("done", 0), ("start", 1), ("done", 1)]


def test_networks_trained_in_processes_report_when_each_is_done():
    recorder = Recorder()
    with progress.reporting(recorder):
        forecaster(n_jobs=2, early_stopping=False).set_params(n_networks=3).fit(series())
    for phase in ("backtest", "final"):
        events = recorder.of_phase(phase)
        assert sorted(events) == [("done", 0), ("done", 1), ("done", 2)]


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_a_model_per_series_reports_the_series(n_jobs):
    recorder = Recorder()
    panel = {"a": series(), "b": series(70), "c": series(80)}
    with progress.reporting(recorder):
        forecaster(n_jobs=n_jobs).fit(panel)
    # One phase counting the series; their own networks are not reported.
    assert recorder.events[0] == ("phase", "separate", "window", 3)
    assert sorted(recorder.events[1:]) == [("done", 0), ("done", 1), ("done", 2)]


def test_events_reach_only_the_listener_of_their_thread_and_block():
    outer, inner, elsewhere = Recorder(), Recorder(), []
    progress.network_done(0)  # nobody listens: nothing happens
    with progress.reporting(outer):
        with progress.reporting(inner):
            progress.network_done(1)
            thread = threading.Thread(target=lambda: elsewhere.append(progress.network_done(2)))
            thread.start()
            thread.join()
        progress.network_done(3)
    progress.network_done(4)
    assert inner.events == [("done", 1)]
    assert outer.events == [("done", 3)]
    assert elsewhere == [None]


# -- the progress line ----------------------------------------------------------

class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def backtest_on_a_terminal(monkeypatch, columns, training, n_networks, seconds, epoch):
    """A terminal line ``columns`` wide, ``seconds`` into the first network of
    a backtest, which has just completed ``epoch`` of its 10 epochs:
    ``(line, stream, clock)``."""
    monkeypatch.setenv("COLUMNS", str(columns))
    stream, clock = io.StringIO(), Clock()
    line = ProgressLine(stream, overwrite=True, clock=clock)
    line.phase_started("backtest", training, n_networks)
    line.network_started(0)
    clock.now += seconds
    line.epoch_done(0, epoch, 10)
    return line, stream, clock


def test_terminal_line_shows_phase_network_epoch_and_times_and_clears_at_the_end(monkeypatch):
    line, stream, clock = backtest_on_a_terminal(monkeypatch, 120, "window", 2, 6, 3)
    # 2 s an epoch, 7 epochs left of this network and 10 of the next
    assert stream.getvalue().split("\r")[-1] == (
        "backtest inside fit (window): network 1/2, epoch 3/10, 0:06, up to 0:34 left")
    clock.now += 0.01
    line.epoch_done(0, 4, 10)  # too soon to redraw
    assert "epoch 4/10" not in stream.getvalue()
    clock.now += 14
    line.network_done(0)
    line.network_started(1)
    clock.now += 5
    line.epoch_done(1, 2, 10)
    # 20 s for the first network: 40 s for the phase, 25 s gone
    assert stream.getvalue().split("\r")[-1].endswith(
        "network 2/2, epoch 2/10, 0:25, about 0:15 left")
    line.network_done(1)
    drawn = stream.getvalue().split("\r")
    assert drawn[-1] == "" and drawn[-2].strip() == ""  # the line is erased
    assert "\n" not in stream.getvalue()


def test_a_narrow_terminal_gets_the_phase_without_the_training_mode(monkeypatch):
    _, stream, _ = backtest_on_a_terminal(monkeypatch, 60, "sequence", 5, 7, 7)
    assert stream.getvalue().split("\r")[-1] == (
        "backtest: network 1/5, epoch 7/10, 0:07, up to 0:43 left")


def test_plain_lines_for_a_log_print_phases_and_networks_and_few_epochs():
    stream, clock = io.StringIO(), Clock()
    line = ProgressLine(stream, overwrite=False, clock=clock)
    line.phase_started("final", "sequence", 2)
    for epoch in range(1, 31):
        clock.now += 1
        line.epoch_done(0, epoch, 30)
    line.network_done(0)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "final networks (sequence): 0/2 networks done, 0:00"
    # an epoch line every 10 s at most
    assert [ln.split(", ")[1] for ln in lines[1:-1]] == ["epoch 10/30", "epoch 20/30",
                                                          "epoch 30/30"]
    assert lines[-1] == "final networks (sequence): 1/2 networks done, 0:30, about 0:30 left"


def test_separate_models_in_processes_count_series():
    stream, clock = io.StringIO(), Clock()
    line = ProgressLine(stream, overwrite=False, clock=clock)
    line.phase_started(progress.SEPARATE, "window", 20)
    clock.now += 12
    line.network_done(0)
    assert stream.getvalue().splitlines() == [
        "models of the series (window): 0/20 series done, 0:00",
        "models of the series (window): 1/20 series done, 0:12, about 3:48 left"]


def test_format_seconds():
    assert [format_seconds(s) for s in (0, 59.6, 61, 3600 + 62)] == [
        "0:00", "1:00", "1:01", "1:01:02"]


# -- the command --------------------------------------------------------------------

@pytest.fixture
def csv(tmp_path):
    path = tmp_path / "y.csv"
    series(60).rename("y").rename_axis("date").to_csv(path)
    return str(path)


def fast_forecaster(monkeypatch):
    """The command's forecaster with a small network (the events are the same)."""
    real = RNNForecaster.fit

    def fit(self, y, X=None):
        self.set_params(regressor=RNNRegressor(hidden_size=3, max_iter=2), n_networks=2)
        return real(self, y, X)

    monkeypatch.setattr(RNNForecaster, "fit", fit)


class Terminal(io.StringIO):
    def isatty(self):
        return True


COMMAND = ["forecast", None, "--horizon", "3", "--no-backtest"]


@pytest.mark.parametrize("options, shown", [([], False), (["--progress"], True),
                                            (["--quiet"], False)])
def test_progress_on_stderr_only_when_asked_off_a_terminal(monkeypatch, capsys, csv,
                                                           options, shown):
    fast_forecaster(monkeypatch)
    assert main([csv if a is None else a for a in COMMAND] + options) == 0
    out, err = capsys.readouterr()
    assert "forecast" in out and "(window)" not in out
    assert ("backtest inside fit (window)" in err) == shown
    assert ("final networks (window): 2/2 networks done" in err) == shown
    if "--quiet" in options:
        assert err == ""


def test_progress_on_a_terminal_is_one_line_cleared_before_the_report(monkeypatch, capsys, csv):
    fast_forecaster(monkeypatch)
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main([csv if a is None else a for a in COMMAND]) == 0
    drawn = terminal.getvalue()
    assert "\rfinal networks (window)" in drawn and "\n" not in drawn
    assert drawn.endswith("\r") and drawn.split("\r")[-2].strip() == ""


def test_quiet_and_progress_exclude_each_other(capsys, csv):
    with pytest.raises(SystemExit) as exit_:
        main([csv if a is None else a for a in COMMAND] + ["--quiet", "--progress"])
    assert exit_.value.code == 2
    assert "not allowed with" in capsys.readouterr().err


def test_ctrl_c_ends_the_command_with_one_line_and_status_130(monkeypatch, capsys, csv):
    def fit(self, y, X=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(RNNForecaster, "fit", fit)
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main([csv if a is None else a for a in COMMAND]) == 130
    assert terminal.getvalue() == "rnnforecast: interrupted\n"


def test_ctrl_c_during_training_erases_the_progress_line_first(monkeypatch, csv):
    real = RNNRegressor.partial_fit_batches
    calls = 0

    def interrupted(self, batches):
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt
        return real(self, batches)

    fast_forecaster(monkeypatch)
    monkeypatch.setattr(RNNRegressor, "partial_fit_batches", interrupted)
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main([csv if a is None else a for a in COMMAND]) == 130
    drawn, message = terminal.getvalue().rsplit("\r", 1)
    assert "\rbacktest inside fit (window)" in drawn and drawn.split("\r")[-1].strip() == ""
    assert message == "rnnforecast: interrupted\n"


def test_with_the_commands_backtest_the_line_says_which_of_its_two_fits_trains(monkeypatch,
                                                                              capsys, csv):
    fast_forecaster(monkeypatch)
    command = [a for a in COMMAND if a != "--no-backtest"]
    assert main([csv if a is None else a for a in command] + ["--progress"]) == 0
    lines = capsys.readouterr().err.splitlines()
    fits = [line.split(",")[0] for line in lines]
    # The backtest's fit first, then the fit on every row; each has both phases.
    assert fits[0] == "fit 1/2" and fits[-1] == "fit 2/2"
    assert fits == sorted(fits) and set(fits) == {"fit 1/2", "fit 2/2"}
    assert any(line.startswith("fit 1/2, backtest inside fit (window)") for line in lines)
    assert any(line.startswith("fit 2/2, final networks (window)") for line in lines)


def test_a_single_fit_has_no_fit_label(monkeypatch, capsys, csv):
    fast_forecaster(monkeypatch)
    assert main([csv if a is None else a for a in COMMAND] + ["--progress"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("backtest inside fit (window)") and "fit 1/2" not in err
