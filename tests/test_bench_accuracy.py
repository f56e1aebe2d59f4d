"""The protocol of benchmarks/bench_accuracy.py (issue 14's accuracy benchmark), on tiny data."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_accuracy.py"


def _import_bench():
    spec = importlib.util.spec_from_file_location("bench_accuracy", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


bench = _import_bench()


def test_mase_takes_the_lag_1_scale_for_m_0_and_1():
    # rnnforecast.metrics does the arithmetic (tests/test_metrics.py); the
    # bench maps m <= 1 (no season) to lag 1: y[t] - y[t-1] = 2, -1, 2, -1, 6 -> 2.4.
    history = [1.0, 3.0, 2.0, 4.0, 3.0, 9.0]
    assert bench.mase_scale(history, 0) == bench.mase_scale(history, 1) == pytest.approx(2.4)
    assert bench.mase([11.4], [9.0], history, 0) == pytest.approx(1.0)


def test_origins_are_n_minus_2h_and_n_minus_h():
    assert bench.origins(20, 5) == [10, 15]
    assert bench.origins(100, 1) == [98, 99]
    with pytest.raises(ValueError, match="nothing to fit on"):
        bench.origins(9, 4)


def test_seasonal_naive_repeats_the_last_season_and_naive_the_last_value():
    history = np.arange(10.0)
    np.testing.assert_array_equal(bench.seasonal_naive(history, 4, 6), [6, 7, 8, 9, 6, 7])
    np.testing.assert_array_equal(bench.seasonal_naive(history, 1, 3), [9, 9, 9])
    np.testing.assert_array_equal(bench.naive(history, 2), [9, 9])


def test_geometric_means_overall_and_per_group():
    mase = {"a": 1.0, "b": 4.0, "c": 2.0, "d": 8.0}
    groups = {"a": "yearly", "b": "yearly", "c": "monthly", "d": "monthly"}
    means = bench.group_geometric_means(mase, groups)
    assert list(means) == ["overall", "yearly", "monthly"]  # GROUPS order, present only
    assert means["overall"] == pytest.approx(64 ** 0.25)
    assert means["yearly"] == pytest.approx(2.0)
    assert means["monthly"] == pytest.approx(4.0)
    assert np.isnan(bench.geometric_mean([1.0, np.nan]))


def test_ridge_anchor_reads_max_2m_8_values_and_continues_a_seasonal_trend():
    assert [bench.ridge_window(m) for m in (1, 4, 12, 24)] == [8, 8, 24, 48]
    t = np.arange(120.0)
    season = np.array([0.0, 3.0, -1.0, 5.0])
    y = 0.5 * t + season[t.astype(int) % 4]
    forecast = bench.ridge_on_lags(y[:100], 4, 8)
    np.testing.assert_allclose(forecast, y[100:108], atol=0.05)
    with pytest.raises(ValueError, match="windows"):
        bench.ridge_on_lags(y[:17], 4, 8)  # 17 values: 2 windows of 8 + 8


def test_anchor_run_scores_two_origins_on_a_dev_panel_csv(tmp_path):
    # Trend 1 per step plus a season of 4: the lag-4 in-sample error is 4 at
    # every step; seasonal naive at horizon 8 misses by 4 (steps 1-4) and 8
    # (steps 5-8): MAE 6, MASE 1.5 at both origins.
    t = np.arange(40)
    values = t + np.array([0, 3, -1, 5])[t % 4]
    index = pd.date_range("2000-01-01", periods=40, freq="QS-JAN")
    pd.DataFrame({"value": values}, index=pd.Index(index, name="date")).to_csv(
        tmp_path / "q_toy.csv")
    spec = bench.SeriesSpec("q_toy", "dev", "quarterly", "QS-JAN", 4, 8,
                            str(tmp_path / "q_toy.csv"))
    forecasts = []
    rows = {row["method"]: row for row in bench.run_anchors(spec, ["SNaive", "Ridge"],
                                                            forecasts)}
    assert rows["SNaive"]["mase_origin_1"] == pytest.approx(1.5)
    assert rows["SNaive"]["mase_origin_2"] == pytest.approx(1.5)
    assert rows["SNaive"]["mase"] == pytest.approx(1.5)
    assert rows["Ridge"]["mase"] < 0.05
    assert rows["SNaive"]["rows"] == 40 and rows["SNaive"]["seed"] == ""
    # --forecasts-csv: a row per step, origin and method, from which the
    # MASE is recomputed.
    frame = pd.DataFrame(forecasts, columns=bench.FORECAST_COLUMNS)
    assert len(frame) == 2 * 2 * 8 and set(frame["origin"]) == {1, 2}
    snaive = frame[frame["method"] == "SNaive"]
    assert (snaive["scale"] == 4).all() and (snaive["step"].to_numpy()[:8] == np.arange(1, 9)).all()
    np.testing.assert_array_equal(snaive["actual"].to_numpy()[:8], values[24:32])
    per_origin = (snaive["forecast"] - snaive["actual"]).abs().groupby(snaive["origin"]).mean()
    np.testing.assert_allclose(per_origin / 4, 1.5)
    path = tmp_path / "forecasts.csv"
    bench.merge_rows(path, forecasts, bench.FORECAST_COLUMNS)
    # A method's forecasts written again replace all of its rows (key: series,
    # method, seed), here with those of the first origin only.
    bench.merge_rows(path, forecasts[:8], bench.FORECAST_COLUMNS)
    again = bench.read_rows(path, bench.FORECAST_COLUMNS)
    assert len(again) == 24 and (again["method"] == "SNaive").sum() == 8


def _frames(default, linear, best_anchor_mase, snaive, seconds=1.0):
    """Anchors and runs of three series, one per group, with these MASE."""
    series = ["y1", "q1", "m1"]
    groups = ["yearly", "quarterly", "monthly"]
    specs = [bench.SeriesSpec(s, "dev", g, "MS", 1, 6, "") for s, g in zip(series, groups)]
    anchors, runs = [], []
    for i, spec in enumerate(specs):
        for method, value in [("SNaive", snaive[i]), ("AutoETS", best_anchor_mase[i]),
                              ("Ridge", 1.5 * best_anchor_mase[i])]:
            anchors.append(bench._row(spec, 50, method, "anchor", "", [value, value],
                                      [seconds, seconds], ""))
        for seed in ("0", "1"):
            runs.append(bench._row(spec, 50, bench.DEFAULT, "rnnforecast", seed,
                                   [default[i]] * 2, [0.5, 0.5], ""))
            runs.append(bench._row(spec, 50, "linear only", "rnnforecast", seed,
                                   [linear[i]] * 2, [0.01, 0.01], ""))
    return pd.DataFrame(anchors), pd.DataFrame(runs), specs


def test_targets_pass_when_the_default_is_far_ahead_and_fail_otherwise():
    variants = [bench.DEFAULT, "linear only"]
    anchors, runs, specs = _frames(default=[0.8, 0.8, 0.8], linear=[1.0, 1.0, 1.0],
                                   best_anchor_mase=[1.0, 1.0, 1.0], snaive=[2.0, 2.0, 2.0])
    text = bench.report(anchors, runs, specs, [0, 1], variants)
    assert "FAIL" not in text and text.count("PASS") == 6

    # One series 1.1x its best anchor, one 2.5x and worse than seasonal
    # naive; linear only as good as the default; slower than AutoETS.
    anchors, runs, specs = _frames(default=[0.8, 1.1, 2.5], linear=[0.8, 1.1, 2.5],
                                   best_anchor_mase=[1.0, 1.0, 1.0], snaive=[2.0, 2.0, 2.0],
                                   seconds=0.1)
    text = bench.report(anchors, runs, specs, [0, 1], variants)
    assert "FAIL: geometric-mean MASE" in text
    assert ("FAIL: no group worse than its best anchor method (worse: quarterly 1.100 vs "
            "AutoETS 1.000; monthly 2.500 vs AutoETS 1.000)") in text
    assert "FAIL: no series worse than 2x its best anchor" in text
    assert "FAIL: beats seasonal naive on 67% of series (2/3)" in text
    assert "FAIL: linear only" in text
    assert "FAIL: fit time on the median series 5.00x AutoETS's" in text


def test_linear_only_variant_is_the_forecasters_ridge_without_networks():
    index = pd.date_range("2000-01-01", periods=60, freq="MS")
    y = pd.Series(10 + 0.5 * np.arange(60.0), index=index)
    forecast, seconds, notes = bench.variant_forecast(
        bench.VARIANTS["linear only"], y, 6, 0, None)
    np.testing.assert_allclose(forecast, 10 + 0.5 * np.arange(60.0, 66.0), atol=0.05)


def test_zero_shot_variant_is_the_shipped_pretrained_forecast():
    from rnnforecast.pretrained import shipped_model

    index = pd.date_range("2000-01-01", periods=60, freq="MS")
    y = pd.Series(10 + np.sin(np.arange(60.0)), index=index)
    forecast, _, _ = bench.variant_forecast(bench.VARIANTS["zero-shot"], y, 6, 0, None)
    np.testing.assert_allclose(forecast, shipped_model().forecast(y.to_numpy(), 12, 6)[0])


def test_design_panel_loads_other_stretches_columns_and_calendars():
    design = {spec.name: spec for spec in bench.DESIGN}
    assert len(design) == len(bench.DESIGN) and {s.panel for s in bench.DESIGN} == {"design"}
    assert not set(design) & {s.name for s in bench.SHIPPED}
    # Aggregated to another calendar: yearly means of the monthly sunspots.
    from rnnforecast import datasets

    monthly = datasets.load_sunspots()
    yearly = bench.load(design["sunspots_yearly"])
    assert len(yearly) == len(monthly) // 12
    assert yearly.iloc[0] == pytest.approx(monthly.iloc[:12].mean())
    # Another stretch: the first rows, whose test blocks end before the
    # shipped series' last 1,200 rows begin.
    early = bench.load(design["sunspots_early"])
    shipped = bench.load(next(s for s in bench.SHIPPED if s.name == "sunspots"))
    assert len(early) == 1200 and early.index[-1] < shipped.index[0]
    # Another column, cut to the last rows.
    volume = bench.load(design["msft_volume"])
    assert len(volume) == 1000 and volume.name == "msft_volume"
    np.testing.assert_array_equal(volume, datasets.load_msft_stock()["volume"].iloc[-1000:])
    # Every series leaves rows to fit on before its two origins, and none is
    # missing a value.
    for spec in bench.DESIGN:
        y = bench.load(spec)
        assert y.notna().all(), spec.name
        assert bench.origins(len(y), spec.horizon)[0] > 2 * spec.horizon, spec.name
    assert bench.select_specs("design", None, False) == bench.DESIGN
