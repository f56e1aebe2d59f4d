"""The rnnforecast command, end to end on shipped data and on bad input."""

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from rnnforecast.cli import main

AIRLINE = Path(__file__).parents[1] / "datasets" / "airline_passengers.csv"


def test_forecast_prints_backtest_and_intervals_and_writes_files(tmp_path, capsys):
    out, plot = tmp_path / "f.csv", tmp_path / "f.png"
    code = main(["forecast", str(AIRLINE), "--horizon", "6", "--out", str(out),
                 "--plot", str(plot)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "mean MASE: rnn" in printed and "seasonal naive" in printed
    assert "90% interval" in printed
    # How the 5 default networks trained: epochs chosen on the backtest, loss.
    assert re.search(r"epochs \d+(, \d+){4} \(chosen on the backtest\); final training "
                     r"loss [\d.e-]+ to [\d.e-]+", printed)
    table = pd.read_csv(out, index_col=0, parse_dates=[0])
    assert list(table.columns) == ["forecast", "lower", "upper"]
    assert list(table.index) == list(pd.date_range("1961-01-01", periods=6, freq="MS"))
    assert (table["lower"] <= table["forecast"]).all() and (table["forecast"] <= table["upper"]).all()
    assert plot.stat().st_size > 5000


def test_sequence_training_from_the_command_line(tmp_path, capsys):
    out = tmp_path / "f.csv"
    code = main(["forecast", str(AIRLINE), "--horizon", "3", "--training", "sequence",
                 "--no-backtest", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert re.search(r"sequence training in chunks of \d+ steps, 5 networks", printed)
    assert re.search(r"epochs \d+(, \d+){4} \(chosen on the backtest\)", printed)
    table = pd.read_csv(out, index_col=0, parse_dates=[0])
    assert list(table.index) == list(pd.date_range("1961-01-01", periods=3, freq="MS"))
    assert table["forecast"].between(300, 700).all()


def test_several_columns_need_a_target(tmp_path, capsys):
    path = tmp_path / "two.csv"
    index = pd.date_range("2020-01-01", periods=60, freq="D")
    pd.DataFrame({"a": range(60), "b": range(60)}, index=index).rename_axis("date").to_csv(path)
    assert main(["forecast", str(path), "--horizon", "3", "--no-backtest"]) == 1
    assert "--target" in capsys.readouterr().err
    assert main(["forecast", str(path), "--horizon", "3", "--target", "c"]) == 1
    assert "'c' is not a column" in capsys.readouterr().err


@pytest.mark.parametrize("content, message", [
    ("x,y\nfoo,1\nbar,2\n", "first column must hold timestamps"),
    (None, "no such file"),
])
def test_bad_files_give_a_clear_error(tmp_path, capsys, content, message):
    path = tmp_path / "bad.csv"
    if content is not None:
        path.write_text(content)
    assert main(["forecast", str(path), "--horizon", "2"]) == 1
    assert message in capsys.readouterr().err


def test_bad_arguments_are_rejected(capsys):
    assert main(["forecast", str(AIRLINE), "--horizon", "0"]) == 2
    assert "--horizon" in capsys.readouterr().err
    assert main(["forecast", str(AIRLINE), "--horizon", "3", "--coverage", "1.5"]) == 2
    assert "--coverage" in capsys.readouterr().err


def test_too_short_a_series_explains_what_is_needed(tmp_path, capsys):
    path = tmp_path / "short.csv"
    index = pd.date_range("2020-01-01", periods=20, freq="MS")
    pd.DataFrame({"v": range(20)}, index=index).rename_axis("date").to_csv(path)
    assert main(["forecast", str(path), "--horizon", "12", "--window", "12",
                 "--no-backtest"]) == 1
    assert "need at least" in capsys.readouterr().err


def test_python_dash_m_runs_the_command():
    result = subprocess.run(
        [sys.executable, "-m", "rnnforecast", "forecast", str(AIRLINE), "--horizon", "3",
         "--no-backtest", "--cell", "lstm"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "1961-03-01" in result.stdout


def test_jobs_trains_the_networks_in_processes_with_the_same_forecast(tmp_path, capsys):
    tables = []
    for jobs in ("1", "2"):
        out = tmp_path / f"f{jobs}.csv"
        assert main(["forecast", str(AIRLINE), "--horizon", "3", "--no-backtest",
                     "--jobs", jobs, "--out", str(out)]) == 0
        tables.append(pd.read_csv(out, index_col=0))
    pd.testing.assert_frame_equal(*tables)
    assert main(["forecast", str(AIRLINE), "--horizon", "3", "--jobs", "0"]) == 2
    assert "--jobs must be a positive integer or -1; got 0" in capsys.readouterr().err
