"""Tests for rnnforecast.windowing: make_supervised and SlidingWindowTransformer."""

import pickle
import tracemalloc

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks
from threadpoolctl import threadpool_limits

from rnnforecast.windowing import SlidingWindowTransformer, make_supervised

FAST = settings(max_examples=50, deadline=None)


# --------------------------------------------------------------------------- #
# Helpers
# --------------------------------------------------------------------------- #
def _index(kind, n):
    if kind == "range":
        return pd.RangeIndex(n)
    if kind == "range_offset":
        return pd.RangeIndex(start=100, stop=100 + 3 * n, step=3, name="step")
    if kind == "hourly":
        return pd.date_range("2024-03-01", periods=n, freq="h", name="time")
    # Irregular timestamps, like stock trading days.
    gaps = np.random.default_rng(n).integers(1, 4, size=n).cumsum()
    return pd.DatetimeIndex(pd.Timestamp("2020-01-01") + pd.to_timedelta(gaps, "D"))


@st.composite
def series_cases(draw):
    """A Series or DataFrame plus make_supervised arguments, valid or too short."""
    n_rows = draw(st.integers(1, 40))
    n_columns = draw(st.integers(1, 3))
    columns = [f"c{j}" for j in range(n_columns)]
    # value = 10 * row + column: every cell says where it came from.
    values = 10.0 * np.arange(n_rows)[:, None] + np.arange(n_columns)[None, :]
    missing = draw(
        st.lists(
            st.booleans(), min_size=n_rows * n_columns, max_size=n_rows * n_columns
        )
    )
    if draw(st.booleans()):
        values[np.asarray(missing).reshape(n_rows, n_columns)] = np.nan
    index = _index(
        draw(st.sampled_from(["range", "range_offset", "hourly", "irregular"])), n_rows
    )
    if n_columns == 1 and draw(st.booleans()):
        data = pd.Series(values[:, 0], index=index, name="c0")
        target = draw(st.sampled_from([None, "c0", ["c0"]]))
    else:
        data = pd.DataFrame(values, index=index, columns=columns)
        if n_columns == 1 and draw(st.booleans()):
            target = None
        else:
            target = draw(
                st.lists(
                    st.sampled_from(columns),
                    min_size=1,
                    max_size=n_columns,
                    unique=True,
                )
            )
            if len(target) == 1 and draw(st.booleans()):
                target = target[0]
    kwargs = dict(
        window=draw(st.integers(1, 8)),
        horizon=draw(st.integers(0, 5)),
        target=target,
        stride=draw(st.integers(1, 5)),
        dropna=draw(st.booleans()),
    )
    return data, kwargs


def _as_frame(data):
    return data.to_frame() if isinstance(data, pd.Series) else data


def _target_list(data, target):
    if target is None:
        return list(_as_frame(data).columns)
    return list(target) if isinstance(target, list) else [target]


def _expected_ends(data, window, horizon, target, stride, dropna):
    """Row positions of the window ends, by brute force."""
    frame = _as_frame(data)
    n_rows = len(frame)
    last = n_rows - 1 - (horizon if dropna else 0)
    target_values = frame[_target_list(data, target)].to_numpy()
    ends = []
    for end in range(window - 1, last + 1):
        if (last - end) % stride:
            continue
        if dropna and np.isnan(target_values[end + 1 : end + 1 + horizon]).any():
            continue
        ends.append(end)
    return ends


def _needed_rows(window, horizon, dropna):
    return window + horizon if dropna else window


# --------------------------------------------------------------------------- #
# make_supervised: properties
# --------------------------------------------------------------------------- #
@FAST
@given(series_cases())
def test_every_window_and_target_equals_the_data_slice(case):
    data, kwargs = case
    window, horizon = kwargs["window"], kwargs["horizon"]
    if len(data) < _needed_rows(window, horizon, kwargs["dropna"]):
        with pytest.raises(ValueError, match=f"data has {len(data)} rows"):
            make_supervised(data, **kwargs)
        return
    X, Y = make_supervised(data, **kwargs)
    frame = _as_frame(data)
    targets = frame[_target_list(data, kwargs["target"])].to_numpy()
    padded_targets = np.vstack([targets, np.full((horizon, targets.shape[1]), np.nan)])
    for t, x_row, y_row in zip(X.index, X.to_numpy(), Y.to_numpy(), strict=True):
        end = frame.index.get_loc(t)
        # Row-major ravel of a (window, k) slice is the time-major layout.
        np.testing.assert_array_equal(
            x_row, frame.iloc[end - window + 1 : end + 1].to_numpy().ravel()
        )
        np.testing.assert_array_equal(
            y_row, padded_targets[end + 1 : end + 1 + horizon].ravel()
        )


@FAST
@given(series_cases())
def test_rows_are_the_stride_grid_anchored_at_the_newest_window(case):
    data, kwargs = case
    if len(data) < _needed_rows(kwargs["window"], kwargs["horizon"], kwargs["dropna"]):
        return
    X, Y = make_supervised(data, **kwargs)
    ends = _expected_ends(data, **kwargs)
    assert X.index.equals(Y.index)
    assert X.index.equals(data.index[ends])
    if kwargs["dropna"]:
        assert not Y.isna().to_numpy().any()


@FAST
@given(series_cases())
def test_names_and_shapes_follow_the_layout_convention(case):
    data, kwargs = case
    window, horizon = kwargs["window"], kwargs["horizon"]
    if len(data) < _needed_rows(window, horizon, kwargs["dropna"]):
        return
    X, Y = make_supervised(data, **kwargs)
    columns = list(_as_frame(data).columns)
    targets = _target_list(data, kwargs["target"])

    expected_x = []
    for lag in reversed(range(window)):
        suffix = "[t]" if lag == 0 else f"[t-{lag}]"
        expected_x += [column + suffix for column in columns]
    expected_y = [
        f"{target}[t+{step}]" for step in range(1, horizon + 1) for target in targets
    ]
    assert list(X.columns) == expected_x
    assert list(Y.columns) == expected_y
    assert X.shape == (len(X), window * len(columns))
    assert Y.shape == (len(X), horizon * len(targets))


@FAST
@given(
    n_rows=st.integers(2, 60),
    window=st.integers(1, 10),
    horizon=st.integers(1, 6),
    stride=st.integers(1, 7),
    dropna=st.booleans(),
)
def test_targets_start_strictly_after_the_window_ends(
    n_rows, window, horizon, stride, dropna
):
    # Each value is its own row position, i.e. its time.
    time = pd.Series(np.arange(n_rows, dtype=float), name="time")
    if n_rows < _needed_rows(window, horizon, dropna):
        return
    X, Y = make_supervised(time, window, horizon, stride=stride, dropna=dropna)
    last_input = X.max(axis=1)
    first_output = Y.min(axis=1)  # NaN-skipping; all-NaN rows give NaN
    known = first_output.notna()
    assert (last_input[known] < first_output[known]).all()
    assert (X["time[t]"] == X.index).all()


@FAST
@given(series_cases())
def test_input_is_not_modified_and_outputs_own_their_memory(case):
    data, kwargs = case
    if len(data) < _needed_rows(kwargs["window"], kwargs["horizon"], kwargs["dropna"]):
        return
    before = data.copy(deep=True)
    X, Y = make_supervised(data, **kwargs)
    X.iloc[:, :] = -1.0
    Y.iloc[:, :] = -1.0
    if isinstance(data, pd.Series):
        pd.testing.assert_series_equal(data, before)
    else:
        pd.testing.assert_frame_equal(data, before)


# --------------------------------------------------------------------------- #
# make_supervised: examples
# --------------------------------------------------------------------------- #
def test_series_example_matches_the_convention():
    temp = pd.Series(
        [10.0, 11.0, 12.0, 13.0, 14.0, 15.0],
        index=pd.date_range("2024-01-01", periods=6, freq="D"),
        name="temp",
    )
    X, Y = make_supervised(temp, window=3, horizon=2)
    assert list(X.columns) == ["temp[t-2]", "temp[t-1]", "temp[t]"]
    assert list(Y.columns) == ["temp[t+1]", "temp[t+2]"]
    np.testing.assert_array_equal(X.to_numpy(), [[10, 11, 12], [11, 12, 13]])
    np.testing.assert_array_equal(Y.to_numpy(), [[13, 14], [14, 15]])
    assert list(X.index) == list(pd.to_datetime(["2024-01-03", "2024-01-04"]))


def test_several_columns_are_time_major_and_several_targets_step_major():
    df = pd.DataFrame(
        {"temp": [1.0, 2.0, 3.0, 4.0, 5.0], "hum": [10.0, 20.0, 30.0, 40.0, 50.0]}
    )
    X, Y = make_supervised(df, window=3, horizon=2, target=["temp", "hum"])
    assert list(X.columns) == [
        "temp[t-2]",
        "hum[t-2]",
        "temp[t-1]",
        "hum[t-1]",
        "temp[t]",
        "hum[t]",
    ]
    assert list(Y.columns) == ["temp[t+1]", "hum[t+1]", "temp[t+2]", "hum[t+2]"]
    np.testing.assert_array_equal(X.iloc[0], [1, 10, 2, 20, 3, 30])
    np.testing.assert_array_equal(Y.iloc[0], [4, 40, 5, 50])


def test_single_target_among_several_columns():
    df = pd.DataFrame({"load": [1.0, 2.0, 3.0, 4.0], "temp": [5.0, 6.0, 7.0, 8.0]})
    X, Y = make_supervised(df, window=2, target="load")
    assert X.shape == (2, 4)
    assert list(Y.columns) == ["load[t+1]"]
    np.testing.assert_array_equal(Y["load[t+1]"], [3.0, 4.0])


def test_unnamed_series_is_called_y():
    X, Y = make_supervised(pd.Series([1.0, 2.0, 3.0]), window=2)
    assert list(X.columns) == ["y[t-1]", "y[t]"]
    assert list(Y.columns) == ["y[t+1]"]


def test_stride_keeps_the_newest_window():
    data = pd.Series(np.arange(10.0), name="v")
    X, Y = make_supervised(data, window=2, horizon=1, stride=3)
    # Newest window with a full horizon ends at row 8; then 5 and 2.
    assert list(X.index) == [2, 5, 8]
    X, Y = make_supervised(data, window=2, horizon=1, stride=3, dropna=False)
    assert list(X.index) == [3, 6, 9]


def test_range_index_stays_a_range_index():
    data = pd.Series(np.arange(12.0), index=pd.RangeIndex(100, 112, name="step"))
    X, Y = make_supervised(data, window=3, horizon=2, stride=2)
    assert isinstance(X.index, pd.RangeIndex)
    assert X.index.name == "step"
    assert list(X.index) == [103, 105, 107, 109]


def test_datetime_index_keeps_its_name_and_frequency():
    index = pd.date_range("2024-01-01", periods=48, freq="h", name="time")
    data = pd.DataFrame({"load": np.arange(48.0)}, index=index)
    X, Y = make_supervised(data, window=24, horizon=6, stride=6)
    assert isinstance(X.index, pd.DatetimeIndex)
    assert X.index.name == "time"
    assert X.index.freq == pd.Timedelta(hours=6)
    assert X.index[-1] == index[-1 - 6]
    assert Y.index is X.index or Y.index.equals(X.index)


def test_nan_in_a_window_is_kept_as_a_missing_step():
    data = pd.Series([1.0, np.nan, 3.0, 4.0, 5.0], name="v")
    X, Y = make_supervised(data, window=2)
    assert list(X.index) == [1, 2, 3]
    np.testing.assert_array_equal(X.loc[1], [1.0, np.nan])
    X, Y = make_supervised(data, window=1)
    assert list(X.index) == [1, 2, 3]  # row 0 is dropped: its target is NaN
    assert np.isnan(X.loc[1, "v[t]"])


def test_dropna_drops_missing_targets_without_shifting_the_grid():
    data = pd.Series([0.0, 1.0, 2.0, 3.0, np.nan, 5.0, 6.0], name="v")
    # Grid anchored at row 5 (the last with a full horizon): 5, 3, 1.
    # Row 3's target is NaN: it is dropped and the grid stays put.
    X, Y = make_supervised(data, window=1, horizon=1, stride=2)
    assert list(X.index) == [1, 5]
    X, Y = make_supervised(data, window=1, horizon=1, stride=2, dropna=False)
    assert list(X.index) == [0, 2, 4, 6]
    np.testing.assert_array_equal(Y["v[t+1]"], [1.0, 3.0, 5.0, np.nan])


def test_dropna_false_keeps_the_incomplete_horizon_as_nan():
    data = pd.Series([1.0, 2.0, 3.0, 4.0], name="v")
    X, Y = make_supervised(data, window=2, horizon=2, dropna=False)
    assert list(X.index) == [1, 2, 3]
    np.testing.assert_array_equal(
        Y.to_numpy(), [[3.0, 4.0], [4.0, np.nan], [np.nan, np.nan]]
    )


def test_horizon_zero_gives_every_window_and_an_empty_y():
    data = pd.Series([1.0, 2.0, 3.0, 4.0], name="v")
    X, Y = make_supervised(data, window=3, horizon=0)
    assert list(X.index) == [2, 3]
    assert Y.shape == (2, 0)
    assert Y.index.equals(X.index)


def test_shortest_possible_series_gives_one_sample():
    data = pd.Series(np.arange(36.0), name="temp")
    X, Y = make_supervised(data, window=24, horizon=12)
    assert X.shape == (1, 24) and Y.shape == (1, 12)
    X, Y = make_supervised(data.iloc[:24], window=24, horizon=12, dropna=False)
    assert X.shape == (1, 24) and Y.isna().all().all()


def test_float32_data_gives_float32_frames():
    data = pd.DataFrame({"a": np.arange(6, dtype=np.float32)})
    X, Y = make_supervised(data, window=2)
    assert (X.dtypes == np.float32).all() and (Y.dtypes == np.float32).all()


def test_integer_bool_and_nullable_columns_become_float():
    data = pd.DataFrame(
        {
            "count": np.arange(5),
            "flag": [True, False, True, False, True],
            "n": pd.array([1, None, 3, 4, 5], dtype="Int64"),
        }
    )
    X, Y = make_supervised(data, window=2, target="count")
    assert (X.dtypes == np.float64).all()
    assert np.isnan(X.loc[1, "n[t]"])
    np.testing.assert_array_equal(Y["count[t+1]"], [2.0, 3.0, 4.0])


def test_only_one_copy_of_the_windows_is_made():
    n_rows, window = 20_000, 50
    data = pd.DataFrame(
        np.random.default_rng(0).normal(size=(n_rows, 2)), columns=["a", "b"]
    )
    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        X, Y = make_supervised(data, window=window, horizon=1, target="a")
        peak = tracemalloc.get_traced_memory()[1] - baseline
    finally:
        tracemalloc.stop()
    # X is 16 MB; a second O(n * window) array would double the peak.
    assert peak < 1.25 * X.to_numpy().nbytes


# --------------------------------------------------------------------------- #
# make_supervised: errors
# --------------------------------------------------------------------------- #
def _series(n=40):
    return pd.Series(np.arange(float(n)), name="temp")


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(window=0), ValueError, r"window must be an int >= 1; got 0"),
        (
            dict(window=2.5),
            TypeError,
            r"window must be an int >= 1; got 2\.5 of type float",
        ),
        (dict(window=True), TypeError, r"window must be an int >= 1; got True"),
        (dict(window=None), TypeError, r"window must be an int >= 1; got None"),
        (
            dict(window=3, horizon=-1),
            ValueError,
            r"horizon must be an int >= 0; got -1",
        ),
        (dict(window=3, stride=0), ValueError, r"stride must be an int >= 1; got 0"),
        (
            dict(window=3, dropna="yes"),
            TypeError,
            r"dropna must be True or False; got 'yes'",
        ),
        (
            dict(window=3, target="hum"),
            ValueError,
            r"target='hum' is not a column of data",
        ),
        (dict(window=3, target=[]), ValueError, r"target is an empty list"),
    ],
)
def test_bad_arguments_are_named_in_the_error(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_supervised(_series(), **kwargs)


def test_too_short_series_says_how_many_rows_are_needed():
    with pytest.raises(
        ValueError, match=r"data has 30 rows; window=24 and horizon=12 need at least 36"
    ):
        make_supervised(_series(30), window=24, horizon=12)
    with pytest.raises(
        ValueError, match=r"data has 20 rows; window=24 needs at least 24"
    ):
        make_supervised(_series(20), window=24, horizon=12, dropna=False)
    with pytest.raises(ValueError, match=r"data has 3 rows; window=4 needs at least 4"):
        make_supervised(_series(3), window=4, horizon=0)


def test_empty_data_is_rejected():
    with pytest.raises(ValueError, match=r"data is empty \(0 rows\)"):
        make_supervised(pd.Series([], dtype=float), window=2)
    with pytest.raises(ValueError, match=r"data has no columns"):
        make_supervised(pd.DataFrame(index=range(5)), window=2)


def test_data_must_be_a_pandas_object():
    with pytest.raises(
        TypeError, match=r"data must be a pandas Series or DataFrame; got ndarray"
    ):
        make_supervised(np.arange(10.0), window=2)


def test_several_columns_need_a_target():
    df = pd.DataFrame({"temp": np.arange(5.0), "hum": np.arange(5.0)})
    with pytest.raises(
        ValueError, match=r"data has 2 columns \['temp', 'hum'\]; pass target="
    ):
        make_supervised(df, window=2)


def test_non_numeric_column_is_named():
    df = pd.DataFrame({"temp": np.arange(4.0), "city": list("abcd")})
    with pytest.raises(TypeError, match=r"data column 'city' has non-numeric dtype"):
        make_supervised(df, window=2, target="temp")


def test_inf_is_rejected_with_its_position():
    index = pd.date_range("2024-01-01", periods=5, freq="D")
    data = pd.Series([1.0, 2.0, np.inf, 4.0, 5.0], index=index, name="temp")
    with pytest.raises(
        ValueError,
        match=r"data column 'temp' contains inf at index Timestamp\('2024-01-03",
    ):
        make_supervised(data, window=2)


def test_unsorted_or_duplicate_index_is_rejected():
    unsorted = pd.Series(
        np.arange(4.0),
        index=pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-02", "2024-01-04"]),
    )
    with pytest.raises(
        ValueError, match=r"data.index is not sorted.*position 2.*data.sort_index"
    ):
        make_supervised(unsorted, window=2)
    duplicated = pd.Series(np.arange(4.0), index=[0, 1, 1, 2])
    with pytest.raises(
        ValueError, match=r"data.index has duplicate timestamps \[1\]"
    ):
        make_supervised(duplicated, window=2)


def test_duplicate_column_names_are_rejected():
    df = pd.DataFrame(np.ones((4, 2)), columns=["a", "a"])
    with pytest.raises(ValueError, match=r"duplicate column names \['a'\]"):
        make_supervised(df, window=2, target=["a"])


# --------------------------------------------------------------------------- #
# SlidingWindowTransformer
# --------------------------------------------------------------------------- #
def test_first_rows_are_left_padded_with_nan():
    X = np.array([[1.0], [2.0], [3.0], [4.0]])
    out = SlidingWindowTransformer(window=3).fit_transform(X)
    np.testing.assert_array_equal(
        out, [[np.nan, np.nan, 1], [np.nan, 1, 2], [1, 2, 3], [2, 3, 4]]
    )


def test_window_longer_than_the_data_pads_every_row():
    out = SlidingWindowTransformer(window=5).fit_transform([[1.0, 2.0], [3.0, 4.0]])
    assert out.shape == (2, 10)
    np.testing.assert_array_equal(out[1, -4:], [1.0, 2.0, 3.0, 4.0])
    assert np.isnan(out[:, :6]).all()


@FAST
@given(series_cases())
def test_transform_matches_make_supervised_windows(case):
    data, kwargs = case
    frame = _as_frame(data)
    window = kwargs["window"]
    if len(frame) < window:
        return
    out = (
        SlidingWindowTransformer(window)
        .set_output(transform="pandas")
        .fit_transform(frame)
    )
    X, _ = make_supervised(frame, window, horizon=0, target=list(frame.columns))
    pd.testing.assert_frame_equal(out.iloc[window - 1 :], X, check_freq=False)


def test_contiguous_blocks_match_the_full_transform_after_the_padding():
    # What sklearn's row-subset check asks, restated for time-ordered rows.
    X = np.random.default_rng(1).normal(size=(30, 2))
    transformer = SlidingWindowTransformer(window=4).fit(X)
    full = transformer.transform(X)
    block = transformer.transform(X[10:20])
    np.testing.assert_array_equal(block[3:], full[13:20])


def test_feature_names_use_dataframe_columns_or_x_i():
    df = pd.DataFrame({"temp": [1.0, 2.0], "hum": [3.0, 4.0]})
    names = SlidingWindowTransformer(2).fit(df).get_feature_names_out()
    assert list(names) == ["temp[t-1]", "hum[t-1]", "temp[t]", "hum[t]"]
    names = SlidingWindowTransformer(3).fit(df.to_numpy()).get_feature_names_out()
    assert list(names) == ["x0[t-2]", "x1[t-2]", "x0[t-1]", "x1[t-1]", "x0[t]", "x1[t]"]
    names = (
        SlidingWindowTransformer(1).fit(df.to_numpy()).get_feature_names_out(["a", "b"])
    )
    assert list(names) == ["a[t]", "b[t]"]


def test_set_output_pandas_keeps_the_index():
    index = pd.date_range("2024-01-01", periods=5, freq="h", name="time")
    df = pd.DataFrame({"load": np.arange(5.0)}, index=index)
    out = SlidingWindowTransformer(2).set_output(transform="pandas").fit_transform(df)
    assert out.index.equals(index)
    assert list(out.columns) == ["load[t-1]", "load[t]"]
    assert np.isnan(out.iloc[0, 0]) and out.iloc[4].tolist() == [3.0, 4.0]


def test_output_owns_its_memory_and_input_is_not_modified():
    X = np.arange(12.0).reshape(6, 2)
    df = pd.DataFrame(X.copy(), columns=["a", "b"])
    before = df.copy(deep=True)
    out = SlidingWindowTransformer(3).fit_transform(df)
    assert out.flags.writeable and out.flags.c_contiguous
    out[2, -1] = -1.0  # would also change row 3 if windows overlapped in memory
    assert out[3, -3] == 5.0
    pd.testing.assert_frame_equal(df, before)
    np.testing.assert_array_equal(X, np.arange(12.0).reshape(6, 2))


def test_float32_is_preserved():
    out = SlidingWindowTransformer(2).fit_transform(np.ones((3, 2), dtype=np.float32))
    assert out.dtype == np.float32


def test_transformer_rejects_stride_other_than_one():
    with pytest.raises(ValueError, match=r"stride=2 is not supported.*make_supervised"):
        SlidingWindowTransformer(3, stride=2).fit(np.ones((5, 1)))


def test_transformer_rejects_bad_window_inf_and_strings():
    with pytest.raises(ValueError, match=r"'window' parameter.*Got 0"):
        SlidingWindowTransformer(0).fit(np.ones((5, 1)))
    with pytest.raises(ValueError, match=r"[Ii]nf"):
        SlidingWindowTransformer(2).fit([[1.0], [np.inf]])
    transformer = SlidingWindowTransformer(2).fit(np.ones((5, 1)))
    with pytest.raises(ValueError, match=r"[Ii]nf"):
        transformer.transform([[1.0], [-np.inf]])
    df = pd.DataFrame({"temp": [1.0, 2.0], "city": ["a", "b"]})
    with pytest.raises(TypeError, match=r"X column 'city' has non-numeric dtype"):
        SlidingWindowTransformer(2).fit(df)


def test_transform_checks_the_number_of_features():
    transformer = SlidingWindowTransformer(2).fit(np.ones((5, 3)))
    with pytest.raises(ValueError, match=r"3 features"):
        transformer.transform(np.ones((5, 2)))


def test_pipeline_grid_search_with_time_series_split():
    index = pd.date_range("2024-01-01", periods=241, freq="h")
    hours = np.arange(241)
    load = 10 + 3 * np.sin(2 * np.pi * hours / 24) + 0.01 * hours
    frame = pd.DataFrame({"load": load, "hour": hours % 24}, index=index)
    X, y = frame.iloc[:-1], frame["load"].to_numpy()[1:]  # predict the next hour

    pipeline = make_pipeline(
        SlidingWindowTransformer(window=2),
        HistGradientBoostingRegressor(max_iter=30, random_state=0),
    )
    search = GridSearchCV(
        pipeline,
        {"slidingwindowtransformer__window": [2, 6]},
        cv=TimeSeriesSplit(n_splits=3, test_size=24),
    )
    # One OpenMP thread: on a busy machine the histogram threads only spin.
    with threadpool_limits(limits=1):
        search.fit(X, y)

    assert search.best_params_["slidingwindowtransformer__window"] in (2, 6)
    assert search.best_score_ > 0.5
    assert search.predict(X).shape == (240,)
    restored = pickle.loads(pickle.dumps(search.best_estimator_))
    np.testing.assert_array_equal(restored.predict(X), search.predict(X))


# Both checks assume rows are independent: they transform single rows, or the
# rows shuffled, and expect the matching rows of the full output. A sliding
# window is by definition built from the rows before it; the property that
# does hold is pinned down by
# test_contiguous_blocks_match_the_full_transform_after_the_padding.
ROW_DEPENDENT = (
    "row t of the output is the window of rows t-window+1..t, so it depends on "
    "the rows before it; row subsets and reorderings change it by design"
)


@parametrize_with_checks(
    [SlidingWindowTransformer(window=3)],
    expected_failed_checks=lambda estimator: {
        "check_methods_subset_invariance": ROW_DEPENDENT,
        "check_methods_sample_order_invariance": ROW_DEPENDENT,
    },
)
def test_sklearn_estimator_checks(estimator, check, monkeypatch):
    # check_array_api_input skips itself unless this is set; with NumPy inputs
    # it runs without any array API library.
    monkeypatch.setenv("SCIPY_ARRAY_API", "1")
    check(estimator)
