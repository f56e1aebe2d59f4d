"""Frames of other libraries' users: Nixtla long frames and polars."""

import numpy as np
import pandas as pd
import pytest

from rnnforecast import RNNForecaster, RNNRegressor


def nixtla_frame(with_covariate=False):
    rng = np.random.RandomState(0)
    parts = []
    for sid, n, start in [("a", 60, "2024-01-01"), ("b", 50, "2024-01-05")]:
        ds = pd.date_range(start, periods=n, freq="D")
        part = pd.DataFrame({"unique_id": sid, "ds": ds,
                             "y": 10 + np.sin(np.arange(n) / 3) + 0.1 * rng.randn(n)})
        if with_covariate:
            part["temp"] = rng.randn(n)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def quick():
    return RNNForecaster(horizon=3, n_networks=1, random_state=0,
                         regressor=RNNRegressor(hidden_size=4, max_iter=3))


def test_a_nixtla_frame_fits_like_its_indexed_series_and_forecasts_in_its_layout():
    df = nixtla_frame()
    forecaster = quick().fit(df)
    indexed = quick().fit(df.set_index(["unique_id", "ds"])["y"])
    forecast = forecaster.predict()
    assert list(forecast.columns) == ["unique_id", "ds", "y"]
    assert isinstance(forecast.index, pd.RangeIndex)
    np.testing.assert_array_equal(forecast["y"], indexed.predict().to_numpy())
    assert list(forecast["ds"][:3]) == list(pd.date_range("2024-03-01", periods=3, freq="D"))
    intervals = forecaster.predict_interval(coverage=0.8)
    assert list(intervals.columns) == ["unique_id", "ds", "forecast", "lower", "upper"]
    assert list(forecaster.predict(series=["b"])["unique_id"]) == ["b"] * 3


def test_a_nixtla_frame_updates_and_scores_in_its_own_layout():
    df = nixtla_frame()
    last = df.groupby("unique_id").tail(3).index
    forecaster = quick().fit(df.drop(index=last))
    score = forecaster.score(df.loc[last])
    assert np.isfinite(score) and score < 0
    forecaster.update(df.loc[last])
    assert forecaster.cutoff_["a"] == pd.Timestamp("2024-02-29")


def test_a_nixtla_frame_in_any_row_order_is_read_as_statsforecast_reads_it():
    df = nixtla_frame(with_covariate=True)
    shuffled = df.sample(frac=1, random_state=0)
    before = shuffled.copy()
    y_cols, x_cols = ["unique_id", "ds", "y"], ["unique_id", "ds", "temp"]
    ordered = quick().fit(df[y_cols], df[x_cols])
    forecaster = quick().fit(shuffled[y_cols], shuffled[x_cols].sample(frac=1, random_state=1))
    pd.testing.assert_frame_equal(shuffled, before)  # the caller's frame is left as it was
    # The series come in the order of their first rows; each forecast is the same.
    first = list(dict.fromkeys(shuffled["unique_id"]))
    assert list(dict.fromkeys(forecaster.predict()["unique_id"])) == first
    pd.testing.assert_frame_equal(
        forecaster.predict().set_index(["unique_id", "ds"]).sort_index(),
        ordered.predict().set_index(["unique_id", "ds"]).sort_index())
    # A timestamp twice is still an error, whatever the order.
    doubled = pd.concat([shuffled, shuffled.iloc[:1]])
    with pytest.raises(ValueError, match="duplicate timestamps"):
        quick().fit(doubled[y_cols])


def test_other_columns_of_a_nixtla_frame_need_target_or_go_as_covariates():
    df = nixtla_frame(with_covariate=True)
    with_x = quick().fit(df[["unique_id", "ds", "y"]], df[["unique_id", "ds", "temp"]])
    assert with_x.covariate_names_ == ["temp"]
    renamed = df.rename(columns={"y": "sales"})
    with pytest.raises(ValueError, match=r"without a 'y' column; pass target=.*'sales'"):
        quick().fit(renamed)
    target = RNNForecaster(horizon=3, n_networks=1, target="sales", random_state=0,
                           regressor=RNNRegressor(hidden_size=4, max_iter=3)).fit(renamed)
    assert list(target.predict().columns) == ["unique_id", "ds", "sales"]


@pytest.mark.parametrize("missing", ["ds", "unique_id"])
def test_a_long_frame_missing_a_column_says_which_and_how(missing):
    df = nixtla_frame().drop(columns=[missing])
    with pytest.raises(ValueError, match=f"has no '{missing}' column.*rename"):
        quick().fit(df)


class FakePolars:
    """Stands for a polars DataFrame: its type lives in a module named polars."""

    def __init__(self, frame, fails=False):
        self.frame, self.fails = frame, fails

    def to_pandas(self):
        if self.fails:
            raise ModuleNotFoundError("No module named 'pyarrow'")
        return self.frame


FakePolars.__module__ = "polars.dataframe.frame"
FakePolars.__name__ = "DataFrame"


def test_polars_input_is_converted_or_refused_with_a_message_that_names_polars():
    df = nixtla_frame()
    forecast = quick().fit(FakePolars(df)).predict()
    np.testing.assert_array_equal(forecast["y"], quick().fit(df).predict()["y"])
    with pytest.raises(TypeError, match=r"y is a polars DataFrame.*y.to_pandas\(\).*pyarrow"):
        quick().fit(FakePolars(df, fails=True))
