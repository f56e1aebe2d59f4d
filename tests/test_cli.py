"""The rnnforecast command, end to end on shipped data and on bad input."""

import re
import warnings
import subprocess
import sys
from pathlib import Path

import numpy as np
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


def monthly_csv(path, n_rows, seed=0):
    rng = np.random.RandomState(seed)
    index = pd.date_range("2020-01-01", periods=n_rows, freq="MS")
    values = 100 + 10 * np.sin(2 * np.pi * np.arange(n_rows) / 12) + rng.randn(n_rows)
    pd.DataFrame({"sales": values}, index=index).rename_axis("month").to_csv(path)
    return path


@pytest.mark.parametrize("horizon, origins", [(7, 3), (9, 2), (14, 1)])
def test_a_30_row_file_is_backtested_on_the_origins_it_allows(tmp_path, capsys, horizon,
                                                               origins):
    path = monthly_csv(tmp_path / "short.csv", 30)
    assert main(["forecast", str(path), "--horizon", str(horizon)]) == 0
    printed = capsys.readouterr().out
    assert f"backtest: {origins} origin" in printed
    assert len(re.findall(r"  origin 20\d\d-\d\d-01: MASE rnn", printed)) == origins
    if origins < 3:
        assert "the file has 30 rows" in printed
    assert "forecast" in printed and "inf" not in printed


def test_a_file_too_short_for_one_origin_skips_the_backtest_and_says_why(tmp_path, capsys):
    path = monthly_csv(tmp_path / "tiny.csv", 14)
    assert main(["forecast", str(path), "--horizon", "7"]) == 0
    printed = capsys.readouterr().out
    assert ("backtest: skipped, the file has 14 rows; fitting needs at least 8 before the "
            "first origin and each origin 7 after it") in printed
    assert "fitting on all 14 rows" in printed


def test_dates_without_a_time_of_day_print_without_midnight(tmp_path, capsys):
    path = monthly_csv(tmp_path / "m.csv", 40)
    assert main(["forecast", str(path), "--horizon", "3"]) == 0
    printed = capsys.readouterr().out
    assert "rows from 2020-01-01 to 2023-04-01" in printed
    assert "00:00:00" not in printed


def test_output_formats_the_command_cannot_write_fail_before_the_fit(tmp_path, capsys):
    # --out wrote CSV under any name (f.xlsx, f.parquet), which those readers then refused.
    path = monthly_csv(tmp_path / "m.csv", 40)
    for name in ("f.xlsx", "f.parquet", "f.JSON"):
        assert main(["forecast", str(path), "--horizon", "3", "--out",
                     str(tmp_path / name)]) == 1
        captured = capsys.readouterr()
        suffix = name[1:]
        assert (f"the forecast table is written as CSV, not {suffix}; give a .csv file name"
                in captured.err)
        assert "fitting" not in captured.out and not (tmp_path / name).exists()
    pytest.importorskip("matplotlib")
    assert main(["forecast", str(path), "--horizon", "3", "--plot",
                 str(tmp_path / "p.xyz")]) == 1
    captured = capsys.readouterr()
    assert "--plot" in captured.err and "matplotlib writes no .xyz files; give one of" in (
        captured.err) and ".png" in captured.err and "fitting" not in captured.out
    out, plot = tmp_path / "f.csv", tmp_path / "p.svg"
    assert main(["forecast", str(path), "--horizon", "3", "--no-backtest", "--out", str(out),
                 "--plot", str(plot)]) == 0
    assert out.read_text().startswith("month,forecast") and plot.read_text().lstrip(
        ).startswith("<?xml")


def test_outputs_that_cannot_be_written_fail_before_the_fit(tmp_path, capsys, monkeypatch):
    path = monthly_csv(tmp_path / "m.csv", 40)
    missing = tmp_path / "no" / "such" / "f.csv"
    assert main(["forecast", str(path), "--horizon", "3", "--out", str(missing)]) == 1
    captured = capsys.readouterr()
    assert f"--out {missing}: the folder {missing.parent} does not exist" in captured.err
    assert "fitting" not in captured.out and "backtest" not in captured.out
    assert main(["forecast", str(path), "--horizon", "3", "--plot", str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err
    import importlib.util
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "matplotlib" else real(name, *a))
    assert main(["forecast", str(path), "--horizon", "3", "--plot", str(tmp_path / "p.png")]) == 1
    captured = capsys.readouterr()
    assert "needs matplotlib" in captured.err and "fitting" not in captured.out


def test_a_coverage_the_backtest_cannot_support_is_explained_not_infinite(tmp_path, capsys):
    path = monthly_csv(tmp_path / "m.csv", 60)
    out = tmp_path / "f.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # explained in the CLI's words, not the library's
        assert main(["forecast", str(path), "--horizon", "3", "--no-backtest", "--coverage",
                     "0.99", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    match = re.search(r"no 99% interval: the backtest inside fit recorded (\d+) errors per "
                      r"step, and a 99% interval needs at least 99; use --coverage ([\d.]+) "
                      "or less", printed)
    assert match, printed
    n = int(match.group(1))
    assert float(match.group(2)) <= n / (n + 1) < float(match.group(2)) + 0.01
    assert "inf" not in printed
    assert list(pd.read_csv(out, index_col=0).columns) == ["forecast"]


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert re.fullmatch(r"rnnforecast \d+\.\d+\.\d+\S*\n", capsys.readouterr().out)


def test_a_series_that_never_changes_gets_mae_instead_of_a_nan_mase(tmp_path, capsys):
    # Constant until the last origin: MASE has no scale at the first two, a scale after.
    values = np.r_[np.full(40, 5.0), np.arange(8.0)]
    index = pd.date_range("2020-01-01", periods=len(values), freq="D")
    path = tmp_path / "flat.csv"
    pd.DataFrame({"level": values}, index=index).rename_axis("day").to_csv(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        assert main(["forecast", str(path), "--horizon", "4", "--window", "6"]) == 0
    printed = capsys.readouterr().out
    # Daily data: the baseline is seasonal naive at lag 7.
    assert len(re.findall(r"MASE undefined \(the values before it give the lag-7 naive "
                          r"forecast no in-sample error to scale by\); MAE rnn [\d.e-]+, "
                          r"seasonal naive [\d.e-]+", printed)) == 2
    assert re.search(r"mean MASE over the 1 origin where it is defined: rnn \d", printed)
    assert "nan" not in printed.lower()


def test_log_scale_forecasts_exp_of_a_fit_on_the_log_series(tmp_path, capsys):
    from rnnforecast import RNNForecaster

    out = tmp_path / "f.csv"
    assert main(["forecast", str(AIRLINE), "--horizon", "6", "--log-scale", "--no-backtest",
                 "--out", str(out)]) == 0
    assert re.search(r"window \d+, 5 networks, on the log scale \(--log-scale\)",
                     capsys.readouterr().out)
    y = pd.read_csv(AIRLINE, index_col=0, parse_dates=[0]).iloc[:, 0].asfreq("MS")
    alone = RNNForecaster(horizon=6, random_state=0, target_transform="log").fit(y)
    table = pd.read_csv(out, index_col=0, parse_dates=[0])
    np.testing.assert_allclose(table.to_numpy(), alone.predict_interval(0.9).to_numpy(),
                               rtol=1e-12)


def test_log_scale_of_a_value_at_or_below_zero_names_the_option_and_the_date(tmp_path,
                                                                             capsys):
    frame = pd.read_csv(AIRLINE, index_col=0)
    frame.iloc[[5, 8], 0] = [0, -2]
    path = tmp_path / "zero.csv"
    frame.to_csv(path)
    assert main(["forecast", str(path), "--horizon", "6", "--log-scale"]) == 1
    assert ("--log-scale needs every value above 0, but the series has 0 at 1949-06-01 "
            "(and 1 more); leave out --log-scale" in capsys.readouterr().err)


def test_the_fit_line_says_when_the_season_was_taken_out(tmp_path, capsys):
    adjusted = tmp_path / "a.csv"
    assert main(["forecast", str(AIRLINE), "--horizon", "6", "--no-backtest",
                 "--seasonal-adjustment", "--out", str(adjusted)]) == 0
    printed = capsys.readouterr().out
    assert re.search(r"the season of 12 steps taken out first \(strength 0\.\d\d; "
                     r"--seasonal-adjustment\)", printed)
    assert main(["forecast", str(AIRLINE), "--horizon", "6", "--no-backtest"]) == 0
    assert "taken out" not in capsys.readouterr().out
    from rnnforecast import RNNForecaster, datasets

    # The forecaster's forecast with the adjustment.
    expected = RNNForecaster(horizon=6, random_state=0, seasonal_adjustment="auto").fit(
        datasets.load_airline_passengers()).predict()
    np.testing.assert_allclose(pd.read_csv(adjusted, index_col=0)["forecast"], expected,
                               rtol=1e-5)
