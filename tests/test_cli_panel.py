"""The command on a file of many series in long form (``--id-column``) or in wide
form (``--wide``)."""

import numpy as np
import pandas as pd
import pytest

from rnnforecast.cli import main


SERIES = [("a", 120, "2023-01-01"), ("b", 90, "2023-02-01"), ("c", 100, "2023-01-15"),
          ("d", 80, "2023-02-20")]


def long_file(tmp_path, name="panel.csv", freq="D", drop=(), order=("id", "date", "y")):
    """Four series of other lengths and starts, ids first as in Nixtla's frames."""
    rng = np.random.default_rng(0)
    rows = []
    for k, (sid, n, start) in enumerate(SERIES):
        t = np.arange(n)
        values = 50 + 10 * k + 5 * np.sin(2 * np.pi * t / 7) + rng.normal(0, 1, n)
        stamps = pd.date_range(start, periods=n, freq=freq)
        rows += [{"id": sid, "date": str(s.date()) if freq == "D" else str(s), "y": round(v, 3)}
                 for s, v in zip(stamps, values)]
    frame = pd.DataFrame(rows).drop(index=list(drop))[list(order)]
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("many", ["a model each", "--global-model"])
def test_a_long_file_is_forecast_and_written_in_long_form(tmp_path, capsys, many):
    path, out = long_file(tmp_path, drop=[5]), tmp_path / "out.csv"
    code = main(["forecast", str(path), "--horizon", "7", "--id-column", "id",
                 "--out", str(out), *([many] if many.startswith("--") else [])])
    printed = capsys.readouterr().out
    assert code == 0
    assert "4 series of 'y' named by 'id', 80 to 120 rows" in printed
    assert "series 'a': " in printed and "1 missing timestamp inserted" in printed
    assert "backtest: 3 origins of 7 steps at the end of every series" in printed
    assert printed.count("rnn better on") == 4  # three origins and all of them
    assert "over the origins: median MASE rnn" in printed and "of 12 (" in printed
    assert ("one model for the 4 series: window 14, 5 networks" if many == "--global-model"
            else "a model for each of the 4 series: model (4)") in printed
    assert "... and 1 more series (--out writes them all)" in printed
    table = pd.read_csv(out, parse_dates=["date"])
    assert list(table.columns) == ["id", "date", "forecast", "lower", "upper"]
    assert table.groupby("id").size().to_dict() == {"a": 7, "b": 7, "c": 7, "d": 7}
    # Each series goes on from its own last day.
    for sid, n, start in SERIES:
        dates = table.loc[table["id"] == sid, "date"]
        assert list(dates) == list(pd.date_range(pd.Timestamp(start) + pd.Timedelta(days=n),
                                                 periods=7, freq="D"))
    assert (table["lower"] <= table["forecast"]).all()
    assert (table["forecast"] <= table["upper"]).all()


def test_hourly_series_are_forecast_by_the_pretrained_network(tmp_path, capsys):
    path = long_file(tmp_path, freq="h", order=("date", "id", "y"))
    assert main(["forecast", str(path), "--horizon", "24", "--id-column", "id",
                 "--no-backtest"]) == 0
    printed = capsys.readouterr().out
    assert "the pretrained network, zero-shot, for the 4 series (no network trained)" in printed
    assert "backtest" not in printed and "90% interval" in printed


def test_without_the_option_the_error_names_it(tmp_path, capsys):
    path = long_file(tmp_path, order=("date", "id", "y"))
    assert main(["forecast", str(path), "--horizon", "7", "--target", "y"]) == 1
    assert "--id-column id to forecast every one of them" in capsys.readouterr().err
    nixtla = long_file(tmp_path, "nixtla.csv")  # the id column first
    assert main(["forecast", str(nixtla), "--horizon", "7"]) == 1
    assert "name the column of their ids with --id-column COL" in capsys.readouterr().err


@pytest.mark.parametrize("options, message", [
    (["--plot", "p.png"], "--plot does not apply with --id-column"),
    (["--training", "sequence"], "--training sequence does not apply with --id-column"),
    (["--id-column", "store"], "--id-column 'store' is not a column"),
])
def test_what_a_long_file_does_not_take_is_an_error(tmp_path, capsys, options, message):
    path = long_file(tmp_path)
    arguments = ["forecast", str(path), "--horizon", "7"]
    if "--id-column" not in options:
        arguments += ["--id-column", "id"]
    assert main(arguments + [str(tmp_path / o) if o == "p.png" else o for o in options]) == 1
    assert message in capsys.readouterr().err


def test_a_row_without_an_id_or_a_series_off_the_grid_is_named(tmp_path, capsys):
    path = long_file(tmp_path)
    text = path.read_text().splitlines()
    text[3] = "," + text[3].split(",", 1)[1]  # line 4 loses its id
    path.write_text("\n".join(text) + "\n")
    assert main(["forecast", str(path), "--horizon", "7", "--id-column", "id"]) == 1
    assert "names no series on line 4" in capsys.readouterr().err
    path = long_file(tmp_path, "twice.csv")
    frame = pd.read_csv(path)
    frame.loc[frame.index[frame["id"] == "b"][3], "date"] = frame.loc[
        frame.index[frame["id"] == "b"][2], "date"]  # a timestamp on two rows of 'b'
    frame.to_csv(path, index=False)
    assert main(["forecast", str(path), "--horizon", "7", "--id-column", "id"]) == 1
    assert "series 'b' (--id-column id): timestamp" in capsys.readouterr().err
    path = long_file(tmp_path, "off.csv")
    frame = pd.read_csv(path)
    frame.loc[frame.index[frame["id"] == "c"][10], "date"] += " 05:00"  # one row off its day
    frame.to_csv(path, index=False)
    assert main(["forecast", str(path), "--horizon", "7", "--id-column", "id"]) == 1
    assert "series 'c' (--id-column id)" in capsys.readouterr().err


def test_the_panel_backtest_says_where_the_baseline_is_the_last_value():
    from rnnforecast import RNNForecaster
    from rnnforecast.cli.panel import backtest_panel

    t = np.arange(80)
    series = {"long": pd.Series(10 + np.sin(2 * np.pi * t / 12),
                                index=pd.date_range("2000-01-01", periods=80, freq="MS")),
              "short": pd.Series(5 + 0.1 * t[:30],
                                 index=pd.date_range("2004-01-01", periods=30, freq="MS"))}
    lines = []
    forecaster = RNNForecaster(horizon=3, window=6, n_networks=0, model="per_series",
                               n_calibration=0)
    scores = backtest_panel(forecaster, series, 3, 2, lines.append)
    assert list(scores["origin"]) == [1, 1, 2, 2] and np.isfinite(scores.to_numpy()).all()
    # The median of two series' MASE, and the wins counted.
    first = scores[scores["origin"] == 1]
    assert f"median MASE rnn {first['rnn'].median():.3f}" in lines[0]
    assert f"rnn better on {int((first['rnn'] < first['naive']).sum())} of 2" in lines[0]
    # 24 months (two seasons of 12) before the short series' first origin;
    # 27 before its second.
    assert "the last value for 1 with two seasons or fewer" in lines[0]
    assert "the last value" not in lines[1]
    assert "origin 1 (each series' last 6 steps)" in lines[0]


@pytest.mark.parametrize("options", [[], ["--jobs", "2"], ["--separate-models"]])
def test_separate_models_forecast_each_series_as_a_fit_on_it_alone(tmp_path, capsys, options):
    # The default, a series per process with --jobs, and said explicitly.
    from rnnforecast import RNNForecaster

    path, out = long_file(tmp_path), tmp_path / "out.csv"
    assert main(["forecast", str(path), "--horizon", "7", "--id-column", "id",
                 "--no-backtest", "--out", str(out), *options]) == 0
    printed = capsys.readouterr().out
    assert "a model for each of the 4 series: model (4)" in printed
    assert "taken out" not in printed  # the seasonal adjustment is opt-in
    table = pd.read_csv(out, parse_dates=["date"]).set_index(["id", "date"])
    frame = pd.read_csv(path, parse_dates=["date"])
    for sid, n, start in SERIES:
        y = frame[frame["id"] == sid].set_index("date")["y"].asfreq("D")
        alone = RNNForecaster(horizon=7, random_state=0).fit(y).predict_interval(0.9)
        np.testing.assert_allclose(table.loc[sid].to_numpy(), alone.to_numpy(), rtol=1e-12)


def test_separate_models_say_which_series_are_too_short_for_an_interval(tmp_path, capsys):
    path = long_file(tmp_path)
    frame = pd.read_csv(path)
    short = frame[(frame["id"] != "d") | (frame.groupby("id").cumcount() < 40)]
    short.to_csv(path, index=False)
    out = tmp_path / "out.csv"
    assert main(["forecast", str(path), "--horizon", "7", "--id-column", "id",
                 "--no-backtest", "--out", str(out)]) == 0
    assert "no 90% interval for 1 of 4 series" in capsys.readouterr().out
    table = pd.read_csv(out)
    assert table.loc[table["id"] == "d", ["lower", "upper"]].isna().all().all()
    assert table.loc[table["id"] != "d", ["lower", "upper"]].notna().all().all()


@pytest.mark.parametrize("many", [[], ["--global-model"]])
def test_series_all_too_short_for_a_backtest_get_the_forecast_alone(tmp_path, capsys, many):
    path = long_file(tmp_path)
    frame = pd.read_csv(path)
    frame[frame.groupby("id").cumcount() < 16].to_csv(path, index=False)
    out = tmp_path / "out.csv"
    assert main(["forecast", str(path), "--horizon", "7", "--id-column", "id",
                 "--no-backtest", "--out", str(out), *many]) == 0
    assert ("no interval: every series is too short (at most 16 rows) to set origins aside"
            in capsys.readouterr().out)
    assert list(pd.read_csv(out).columns) == ["id", "date", "forecast"]


@pytest.mark.parametrize("option", ["--separate-models", "--global-model"])
def test_separate_or_global_models_need_a_long_file(tmp_path, capsys, option):
    path = tmp_path / "one.csv"
    pd.DataFrame({"date": pd.date_range("2020-01-01", periods=60).astype(str),
                  "v": np.arange(60.0)}).to_csv(path, index=False)
    assert main(["forecast", str(path), "--horizon", "3", option]) == 1
    assert (f"{option} says how to fit the series of a file of many series: it needs "
            "--id-column (long form) or --wide (a column per series)"
            in capsys.readouterr().err)


def test_separate_and_global_models_are_not_both_asked(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["forecast", str(long_file(tmp_path)), "--horizon", "3", "--id-column", "id",
              "--separate-models", "--global-model"])
    assert "not allowed with argument" in capsys.readouterr().err


def test_log_scale_with_many_series_names_the_series_below_zero(tmp_path, capsys):
    path = long_file(tmp_path)
    frame = pd.read_csv(path)
    assert main(["forecast", str(path), "--horizon", "7", "--id-column", "id", "--log-scale",
                 "--no-backtest", "--global-model"]) == 0
    assert "one model for the 4 series: window 14, 5 networks, on the log scale" in (
        capsys.readouterr().out)
    frame.loc[frame.index[frame["id"] == "c"][3], "y"] = -1.0
    frame.to_csv(path, index=False)
    for separate in (["--global-model"], [], ["--jobs", "2"]):
        assert main(["forecast", str(path), "--horizon", "7", "--id-column", "id",
                     "--log-scale", "--no-backtest", *separate]) == 1
        assert "--log-scale needs every value above 0, but series 'c' has -1 at" in (
            capsys.readouterr().err)


def promo_file(tmp_path, horizon=7, short=None):
    """Three daily series driven by a known promotion (y = level + 8 promo +
    a weekly cycle), each with ``horizon`` rows after its last value where
    only the promotion is given (``short``: a series with fewer)."""
    rng = np.random.default_rng(1)
    rows = []
    for k, (sid, n, start) in enumerate(SERIES[:3]):
        ahead = horizon - 2 if sid == short else horizon
        t = np.arange(n + ahead)
        promo = (rng.random(n + ahead) < 0.3).astype(int)
        values = 40 + 10 * k + 8 * promo + 3 * np.sin(2 * np.pi * t / 7) + rng.normal(0, 0.5,
                                                                                      len(t))
        for i, stamp in enumerate(pd.date_range(start, periods=n + ahead, freq="D")):
            rows.append({"id": sid, "date": str(stamp.date()), "promo": promo[i],
                         "y": round(values[i], 3) if i < n else ""})
    path = tmp_path / "promo.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def promo_frames(path):
    """The file as RNNForecaster takes it: y, X over y's rows, X ahead."""
    frame = pd.read_csv(path, parse_dates=["date"])
    y, X, ahead = {}, {}, {}
    for sid, part in frame.groupby("id", sort=False):
        part = part.set_index("date").asfreq("D")
        known = part["y"].notna().to_numpy()
        y[sid] = part["y"][known]
        X[sid] = part[["promo"]][known].astype(float)
        ahead[sid] = part[["promo"]][~known].astype(float)
    return y, X, ahead


@pytest.mark.parametrize("separate", [False, True])
def test_future_covariates_of_each_series_are_read_and_forecast_with(tmp_path, capsys,
                                                                     separate):
    from rnnforecast import RNNForecaster

    path, out = promo_file(tmp_path), tmp_path / "out.csv"
    options = [] if separate else ["--global-model"]
    assert main(["forecast", str(path), "--horizon", "7", "--id-column", "id",
                 "--future-covariates", "promo", "--out", str(out), *options]) == 0
    printed = capsys.readouterr().out
    assert "3 series of 'y' named by 'id', 90 to 120 rows" in printed
    assert "future covariates ['promo'], known up to 2023-05-08" in printed
    assert "backtest: 3 origins of 7 steps at the end of every series" in printed
    table = pd.read_csv(out, parse_dates=["date"]).set_index(["id", "date"])
    y, X, ahead = promo_frames(path)
    template = RNNForecaster(horizon=7, random_state=0, future_covariates=["promo"],
                             many_series="auto" if separate else "global")
    if separate:
        expected = pd.concat({sid: template.fit(y[sid], X[sid]).predict_interval(
            0.9, X=ahead[sid]) for sid in y})
    else:
        expected = template.fit(y, X).predict_interval(0.9, X=ahead)
    np.testing.assert_allclose(table.to_numpy(), expected.to_numpy(), rtol=1e-12)
    # The promotion moves the forecast: its days are forecast higher.
    promo = pd.concat(ahead)["promo"].to_numpy() == 1
    residual = table["forecast"].to_numpy() - table["forecast"].groupby(level=0).transform(
        "mean").to_numpy()
    assert residual[promo].mean() - residual[~promo].mean() > 4


def test_a_series_without_its_future_covariates_is_named(tmp_path, capsys):
    path = promo_file(tmp_path, short="b")
    assert main(["forecast", str(path), "--horizon", "7", "--id-column", "id",
                 "--future-covariates", "promo"]) == 1
    err = capsys.readouterr().err
    assert ("series 'b' (--id-column id): --future-covariates promo: it has 5 rows after "
            "the last value of 'y'" in err)


def test_the_seasonal_adjustment_of_each_series_is_counted(tmp_path, capsys):
    path = long_file(tmp_path)
    assert main(["forecast", str(path), "--horizon", "7", "--id-column", "id",
                 "--no-backtest", "--seasonal-adjustment"]) == 0
    # A weekly season of 5 against noise of 1: strong in each series.
    assert ("a model for each of the 4 series: model (4); the season of 7 steps taken out "
            "first in 4 of 4 series (--seasonal-adjustment)") in capsys.readouterr().out


def wide_file(tmp_path, with_promo=False):
    """The series of long_file as a column each (empty above a later start),
    with a promo column shared by every series if asked."""
    frame = pd.read_csv(long_file(tmp_path), dtype={"y": str})
    wide = frame.pivot(index="date", columns="id", values="y").reset_index()
    wide.columns.name = None
    if with_promo:
        wide["promo"] = (np.arange(len(wide)) % 5 == 0).astype(int)
    path = tmp_path / "wide.csv"
    wide.to_csv(path, index=False)
    return path


def test_a_wide_file_is_forecast_as_its_long_form(tmp_path, capsys):
    wide, out_wide = wide_file(tmp_path), tmp_path / "wide_out.csv"
    assert main(["forecast", str(wide), "--horizon", "7", "--wide", "--no-backtest",
                 "--out", str(out_wide)]) == 0
    printed = capsys.readouterr().out
    assert "4 series in the columns 'a', 'b', 'c', ... (--wide), 80 to 120 rows" in printed
    out_long = tmp_path / "long_out.csv"
    assert main(["forecast", str(long_file(tmp_path)), "--horizon", "7", "--id-column", "id",
                 "--no-backtest", "--out", str(out_long)]) == 0
    # Each column from its first value on: the same series, the same forecasts.
    by_wide = pd.read_csv(out_wide)
    by_long = pd.read_csv(out_long)
    assert list(by_wide.columns) == ["series", "date", "forecast", "lower", "upper"]
    np.testing.assert_array_equal(by_wide["series"], by_long["id"])
    np.testing.assert_allclose(by_wide.iloc[:, 2:].to_numpy(), by_long.iloc[:, 2:].to_numpy(),
                               rtol=1e-12)


def test_a_wide_file_with_shared_covariates_and_what_it_refuses(tmp_path, capsys):
    rng = np.random.default_rng(1)
    days = pd.date_range("2023-01-01", periods=107, freq="D").astype(str)
    promo = (np.arange(107) % 5 == 0).astype(float)
    frame = pd.DataFrame({"date": days, "promo": promo})
    for k, sid in enumerate(["north", "south"]):
        values = 40 + 10 * k + 8 * promo + rng.normal(0, 1, 107)
        frame[sid] = [f"{v:.3f}" for v in values[:100]] + [""] * 7  # 7 days ahead
    path, out = tmp_path / "promo_wide.csv", tmp_path / "out.csv"
    frame.to_csv(path, index=False)
    assert main(["forecast", str(path), "--horizon", "7", "--wide", "--no-backtest",
                 "--future-covariates", "promo", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2 series in the columns 'north', 'south' (--wide), 100 to 100 rows" in printed
    assert "future covariates ['promo'], known up to 2023-04-17" in printed
    table = pd.read_csv(out)
    assert table.groupby("series").size().to_dict() == {"north": 7, "south": 7}
    # The promotion days (every fifth) are forecast higher, in each series.
    ahead = promo[100:] == 1
    for _, part in table.groupby("series"):
        assert part["forecast"].to_numpy()[ahead].mean() > part["forecast"].to_numpy()[
            ~ahead].mean() + 4
    # A series that ends before the others is forecast from its own last value,
    # with the covariates of the rows after it.
    frame.loc[95:99, "south"] = ""
    frame.to_csv(path, index=False)
    assert main(["forecast", str(path), "--horizon", "7", "--wide", "--no-backtest",
                 "--future-covariates", "promo", "--out", str(out)]) == 0
    capsys.readouterr()
    first = pd.read_csv(out).groupby("series")["date"].first().to_dict()
    assert first == {"north": "2023-04-11", "south": "2023-04-06"}
    for options, message in [
        (["--target", "north"], "--target does not apply with it"),
        (["--id-column", "north"], "--id-column does not apply with it"),
        (["--plot", "p.png"], "--plot does not apply with --wide"),
    ]:
        assert main(["forecast", str(path), "--horizon", "7", "--wide", *options]) == 1
        assert message in capsys.readouterr().err
    empty = tmp_path / "empty.csv"
    pd.DataFrame({"date": ["2024-01-01", "2024-01-02"], "x": [1, 2], "y": ["", ""]}).to_csv(
        empty, index=False)
    assert main(["forecast", str(empty), "--horizon", "1", "--wide"]) == 1
    assert "column 'y' holds no value; with --wide every value column is a series" in (
        capsys.readouterr().err)


def test_several_value_columns_without_an_option_suggest_wide(tmp_path, capsys):
    assert main(["forecast", str(wide_file(tmp_path)), "--horizon", "7"]) == 1
    assert "or forecast each as a series of its own with --wide" in capsys.readouterr().err

