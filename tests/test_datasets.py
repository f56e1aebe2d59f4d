"""Tests for rnnforecast.datasets: shapes, calendars, values, and the wheel."""

import json
import os
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rnnforecast import datasets
from rnnforecast.datasets import list_datasets, load_dataset

REPO = Path(__file__).resolve().parents[1]
DATA_DIR = REPO / "datasets"

# What datasets/README.md promises, per dataset. Spot values are copied from the
# CSV files: (time stamp, column, value).
EXPECTED = {
    "airline_passengers": dict(
        type=pd.Series, shape=(144,), columns=["passengers"], index_name="date",
        freq="MS", first="1949-01-01", last="1960-12-01", nan={},
        spots=[("1949-01-01", "passengers", 112), ("1949-02-01", "passengers", 118),
               ("1960-11-01", "passengers", 390), ("1960-12-01", "passengers", 432)],
    ),
    "melbourne_daily_min_temp": dict(
        type=pd.Series, shape=(3652,), columns=["min_temp_c"], index_name="date",
        freq="D", first="1981-01-01", last="1990-12-31", nan={},
        spots=[("1981-01-01", "min_temp_c", 20.7), ("1984-12-31", "min_temp_c", 14.85),
               ("1988-12-31", "min_temp_c", 14.2), ("1990-12-31", "min_temp_c", 13.0)],
    ),
    "uk_electricity_demand": dict(
        type=pd.Series, shape=(4032,), columns=["demand_mw"], index_name="timestamp",
        freq="30min", first="2000-06-05 00:00", last="2000-08-27 23:30", nan={},
        spots=[("2000-06-05 00:00", "demand_mw", 22262),
               ("2000-06-05 00:30", "demand_mw", 21756),
               ("2000-08-27 23:30", "demand_mw", 23132)],
    ),
    "msft_stock": dict(
        type=pd.DataFrame, shape=(7983, 5),
        columns=["open", "high", "low", "close", "volume"], index_name="date",
        freq=None, first="1986-03-13", last="2017-11-10", nan={},
        spots=[("1986-03-13", "open", 0.0672), ("1986-03-13", "close", 0.07533),
               ("1986-03-13", "volume", 1371330506), ("2010-04-26", "volume", 0),
               ("2017-11-10", "high", 84.095), ("2017-11-10", "close", 83.87)],
    ),
    "sunspots": dict(
        type=pd.Series, shape=(2820,), columns=["sunspots"], index_name="date",
        freq="MS", first="1749-01-01", last="1983-12-01", nan={},
        spots=[("1749-01-01", "sunspots", 58.0), ("1749-02-01", "sunspots", 62.6),
               ("1983-12-01", "sunspots", 33.4)],
    ),
    "beijing_pm25": dict(
        type=pd.DataFrame, shape=(17520, 11),
        columns=["pm25", "dew_point_c", "temperature_c", "pressure_hpa",
                 "wind_speed_cum", "snow_hours_cum", "rain_hours_cum",
                 "wind_dir_NE", "wind_dir_NW", "wind_dir_SE", "wind_dir_calm_var"],
        index_name="timestamp", freq="h",
        first="2013-01-01 00:00", last="2014-12-31 23:00", nan={"pm25": 181},
        spots=[("2013-01-01 00:00", "pm25", 35), ("2013-01-01 00:00", "wind_speed_cum", 5.81),
               ("2013-01-01 00:00", "wind_dir_NW", 1), ("2013-01-12 09:00", "pm25", np.nan),
               ("2014-12-31 23:00", "pm25", 12), ("2014-12-31 23:00", "pressure_hpa", 1034)],
    ),
    "us_change": dict(
        type=pd.DataFrame, shape=(187, 5),
        columns=["consumption", "income", "production", "savings", "unemployment"],
        index_name="date", freq="QS-JAN", first="1970-01-01", last="2016-07-01", nan={},
        spots=[("1970-01-01", "consumption", 0.615986218),
               ("1970-01-01", "production", -2.452700312),
               ("2016-07-01", "savings", -0.572857926),
               ("2016-07-01", "unemployment", 0.0)],
    ),
}

names = pytest.mark.parametrize("name", list(EXPECTED))


def _as_frame(data):
    return data.to_frame() if isinstance(data, pd.Series) else data


def test_list_datasets_names_every_dataset_in_order():
    assert list_datasets() == list(EXPECTED)


def test_every_csv_in_the_datasets_folder_has_a_loader():
    shipped = {path.name for path in DATA_DIR.glob("*.csv")}
    loaded = {spec.filename for spec in datasets._DATASETS.values()}
    assert shipped == loaded


@names
def test_named_loader_equals_load_dataset(name):
    loader = getattr(datasets, f"load_{name}")
    assert f"load_{name}" in datasets.__all__
    from_loader, by_name = loader(), load_dataset(name)
    if isinstance(from_loader, pd.Series):
        pd.testing.assert_series_equal(from_loader, by_name)
    else:
        pd.testing.assert_frame_equal(from_loader, by_name)
    assert from_loader.index.freq == by_name.index.freq


@names
def test_loader_returns_documented_type_shape_and_columns(name):
    expected = EXPECTED[name]
    data = load_dataset(name)
    assert type(data) is expected["type"]
    assert data.shape == expected["shape"]
    if isinstance(data, pd.Series):
        assert data.name == expected["columns"][0]
    else:
        assert list(data.columns) == expected["columns"]


@names
def test_index_is_named_datetimeindex_with_explicit_freq(name):
    expected = EXPECTED[name]
    index = load_dataset(name).index
    assert isinstance(index, pd.DatetimeIndex)
    assert index.name == expected["index_name"]
    assert index.tz is None
    if expected["freq"] is None:
        assert index.freq is None
    else:
        assert index.freqstr == expected["freq"]
        # The freq describes the whole index: a regular grid with no gaps.
        assert index.equals(
            pd.date_range(index[0], index[-1], freq=expected["freq"])
        )


@names
def test_index_is_strictly_increasing_without_duplicates_over_documented_range(name):
    expected = EXPECTED[name]
    index = load_dataset(name).index
    assert index.is_unique
    assert index.is_monotonic_increasing
    assert index[0] == pd.Timestamp(expected["first"])
    assert index[-1] == pd.Timestamp(expected["last"])


@names
def test_nan_counts_match_readme(name):
    counts = _as_frame(load_dataset(name)).isna().sum()
    expected = {column: EXPECTED[name]["nan"].get(column, 0) for column in counts.index}
    assert counts.to_dict() == expected


@names
def test_values_match_csv_spot_checks(name):
    frame = _as_frame(load_dataset(name))
    for stamp, column, value in EXPECTED[name]["spots"]:
        got = frame.at[pd.Timestamp(stamp), column]
        if np.isnan(value):
            assert np.isnan(got), (stamp, column, got)
        else:
            assert got == pytest.approx(value, rel=1e-12), (stamp, column, got)


@names
def test_loader_values_equal_a_plain_read_csv(name):
    csv = DATA_DIR / datasets._DATASETS[name].filename
    plain = pd.read_csv(csv, index_col=0, parse_dates=[0])
    loaded = _as_frame(load_dataset(name))
    pd.testing.assert_frame_equal(loaded, plain, check_freq=False)


@names
def test_loading_emits_no_warning(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_dataset(name)


@names
def test_each_call_returns_an_independent_object(name):
    first = load_dataset(name)
    first.iloc[0] = -999
    assert not (_as_frame(load_dataset(name)).iloc[0] == -999).any()


def test_melbourne_calendar_includes_the_two_interpolated_leap_year_ends():
    y = datasets.load_melbourne_daily_min_temp()
    for before, day, after in [("1984-12-30", "1984-12-31", "1985-01-01"),
                               ("1988-12-30", "1988-12-31", "1989-01-01")]:
        assert y[day] == pytest.approx((y[before] + y[after]) / 2)


def test_msft_business_day_calendar_recipe_from_docstring():
    prices = datasets.load_msft_stock()
    business = prices.asfreq("B").ffill()
    assert business.index.freqstr == "B"
    assert len(business) == len(prices) + 279
    assert not business.isna().any().any()
    # A market closure is filled with the last trading day's prices.
    pd.testing.assert_series_equal(
        business.loc["2001-09-14"], prices.loc["2001-09-10"], check_names=False
    )


def test_beijing_wind_direction_is_one_hot():
    data = datasets.load_beijing_pm25()
    wind = data.filter(like="wind_dir_")
    assert wind.shape[1] == 4
    assert (wind.sum(axis=1) == 1).all()


def test_load_dataset_rejects_unknown_name_listing_known_ones():
    with pytest.raises(ValueError, match=r"name='airline'.*airline_passengers"):
        load_dataset("airline")


def test_load_dataset_rejects_non_string_name():
    with pytest.raises(TypeError, match="name must be a str, got int"):
        load_dataset(3)


def test_missing_file_raises_file_not_found_naming_file_and_places(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(datasets, "_data_locations", lambda: [tmp_path])
    with pytest.raises(FileNotFoundError) as excinfo:
        datasets.load_sunspots()
    message = str(excinfo.value)
    assert "sunspots_monthly.csv" in message
    assert str(tmp_path) in message


def test_packaged_copy_is_preferred_over_repository_folder(tmp_path, monkeypatch):
    packaged = tmp_path / "_datasets"
    packaged.mkdir()
    (packaged / "airline_passengers.csv").write_text(
        "date,passengers\n2000-01-01,1\n2000-02-01,2\n"
    )
    monkeypatch.setattr(
        datasets, "_data_locations", lambda: [packaged, DATA_DIR]
    )
    assert datasets.load_airline_passengers().tolist() == [1, 2]
    # Files missing from the first folder are still found in the second one.
    assert datasets.load_sunspots().shape == (2820,)


def test_time_stamp_off_the_frequency_is_an_error(tmp_path, monkeypatch):
    (tmp_path / "airline_passengers.csv").write_text(
        "date,passengers\n2000-01-01,1\n2000-03-01,2\n"
    )
    monkeypatch.setattr(datasets, "_data_locations", lambda: [tmp_path])
    with pytest.raises(ValueError, match="'airline_passengers.csv'.*freq='MS'"):
        datasets.load_airline_passengers()


# The loaders must work from a normal wheel install, from any working directory.
_CHECK_INSTALLED = """
import json
from pathlib import Path
import rnnforecast
from rnnforecast import datasets
shapes = {name: list(datasets.load_dataset(name).shape)
          for name in datasets.list_datasets()}
print(json.dumps({
    "package": str(Path(rnnforecast.__file__).resolve().parent),
    "csv": str(datasets._find_csv("airline_passengers.csv")),
    "freq": datasets.load_airline_passengers().index.freqstr,
    "shapes": shapes,
}))
"""


def _pip(*args, cwd):
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout}\n{result.stderr}"


def test_wheel_ships_csvs_and_loaders_work_from_installed_wheel(tmp_path):
    # Build without isolation so that no package index is needed.
    pytest.importorskip("hatchling", reason="building the wheel offline needs hatchling")
    wheel_dir, target, elsewhere = (tmp_path / d for d in ("wheel", "site", "cwd"))
    elsewhere.mkdir()
    _pip("wheel", str(REPO), "--no-deps", "--no-build-isolation", "--no-index",
         "-w", str(wheel_dir), cwd=elsewhere)
    (wheel,) = wheel_dir.glob("rnnforecast-*.whl")

    with zipfile.ZipFile(wheel) as archive:
        packaged = {
            Path(member).name for member in archive.namelist()
            if member.startswith("rnnforecast/_datasets/") and member.endswith(".csv")
        }
    assert packaged == {path.name for path in DATA_DIR.glob("*.csv")}

    _pip("install", str(wheel), "--no-deps", "--no-index", "--target", str(target),
         cwd=elsewhere)
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environment["PYTHONPATH"] = str(target)
    result = subprocess.run(
        [sys.executable, "-c", _CHECK_INSTALLED],
        cwd=elsewhere, env=environment, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])

    installed = (target / "rnnforecast").resolve()
    assert Path(report["package"]) == installed
    assert Path(report["csv"]) == installed / "_datasets" / "airline_passengers.csv"
    assert report["freq"] == "MS"
    assert report["shapes"] == {
        name: list(expected["shape"]) for name, expected in EXPECTED.items()
    }
