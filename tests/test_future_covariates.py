"""Covariates known in advance: RNNForecaster(future_covariates=[...]) and the CLI."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import TimeSeriesSplit, cross_val_score

from rnnforecast import RNNForecaster, RNNRegressor
from rnnforecast.cli import main
from rnnforecast.forecasting.future_steps import StepLayout
from rnnforecast.forecasting.scaling import WindowScaler

H = 7
N = 240


def promo_data(n=N, horizon=H, seed=0, level=100.0):
    """Daily sales: a weekly season plus a promotion effect of 30 on random
    days; ``(y, X, X_future, y_future)`` with the promotions of the horizon."""
    rng = np.random.default_rng(seed)
    index = pd.date_range("2022-01-01", periods=n + horizon, freq="D")
    promo = (rng.random(n + horizon) < 0.2).astype(float)
    noise = rng.normal(size=n + horizon)
    values = level + 5 * np.sin(2 * np.pi * np.arange(n + horizon) / 7) + 30 * promo + noise
    frame = pd.DataFrame({"promo": promo, "noise": noise}, index=index)
    y = pd.Series(values, index=index, name="sales")
    return y[:n], frame[:n], frame[n:][["promo"]], y[n:]


def small(**params):
    regressor = RNNRegressor(hidden_size=8, max_iter=30, learning_rate_init=0.01)
    defaults = dict(horizon=H, regressor=regressor, n_networks=1, random_state=0)
    return RNNForecaster(**{**defaults, **params})


@pytest.mark.parametrize("strategy", ["direct", "recursive"])
def test_known_future_covariate_helps_where_it_should(strategy):
    # The promotion moves sales by 30 (about 2.5 standard deviations of the
    # series); without its future values no forecaster can know which of the
    # next days it falls on.
    y, X, X_future, y_future = promo_data()
    without = small(strategy=strategy).fit(y).predict()
    with_it = small(strategy=strategy, future_covariates=["promo"]).fit(y, X[["promo"]])
    forecast = with_it.predict(X=X_future)
    mae_without = np.mean(np.abs(without - y_future))
    mae_with = np.mean(np.abs(forecast - y_future))
    assert mae_with < 0.3 * mae_without, (mae_with, mae_without)
    assert forecast.index.equals(y_future.index)


def test_forecast_reads_the_future_values_given():
    # Flipping the promotion on one future day moves that day's forecast by
    # about the effect; with the recursive strategy, days before it do not move.
    y, X, X_future, _ = promo_data()
    forecaster = small(strategy="recursive", future_covariates=["promo"]).fit(y, X[["promo"]])
    day = 4
    flipped = X_future.copy()
    flipped.iloc[day, 0] = 1 - flipped.iloc[day, 0]
    sign = 1 if flipped.iloc[day, 0] == 1 else -1
    before, after = forecaster.predict(X=X_future), forecaster.predict(X=flipped)
    np.testing.assert_array_equal(before.to_numpy()[:day], after.to_numpy()[:day])
    assert sign * (after.iloc[day] - before.iloc[day]) > 15


def test_past_and_future_covariates_together_and_inputs_untouched():
    y, X, X_future, y_future = promo_data()
    X_copy, future_copy = X.copy(), X_future.copy()
    forecaster = small(future_covariates=["promo"]).fit(y, X)
    assert forecaster.covariate_names_ == ["promo", "noise"]
    assert forecaster.future_covariate_names_ == ["promo"]
    # The past covariate may come along (ignored), and more rows than needed.
    longer = X.iloc[:0].reindex(pd.date_range(y_future.index[0], periods=3 * H, freq="D"))
    longer["promo"] = 0.0
    longer.loc[X_future.index, "promo"] = X_future["promo"]
    pd.testing.assert_series_equal(forecaster.predict(X=longer), forecaster.predict(X=X_future))
    pd.testing.assert_frame_equal(X, X_copy)
    pd.testing.assert_frame_equal(X_future, future_copy)


def test_all_means_every_column_of_X():
    y, X, X_future, _ = promo_data()
    forecaster = small(future_covariates="all").fit(y, X[["promo"]])
    assert forecaster.future_covariate_names_ == ["promo"]
    forecaster.predict(X=X_future)


def test_intervals_quantiles_score_and_update_take_future_values():
    y, X, X_future, y_future = promo_data()
    forecaster = small(future_covariates=["promo"]).fit(y, X[["promo"]])
    forecast = forecaster.predict(X=X_future)
    bounds = forecaster.predict_interval(0.8, X=X_future)
    pd.testing.assert_series_equal(bounds["forecast"], forecast, check_names=False)
    assert (bounds["lower"] < forecast).all() and (forecast < bounds["upper"]).all()
    quantiles = forecaster.predict_quantiles([0.1, 0.9], X=X_future)
    assert (quantiles["q0.1"] < quantiles["q0.9"]).all()
    score = forecaster.score(y_future, X_future)
    assert score == pytest.approx(-np.mean(np.abs(forecast - y_future)))
    # score's X_future may run past y_future: the horizon needs all of it.
    assert np.isfinite(forecaster.score(y_future[:3], X_future))
    # update moves on with the covariates of the new rows.
    y2, X2, X2_future, _ = promo_data(n=N + H)
    forecaster.update(y2[N:], X2[["promo"]][N:])
    refit_horizon = forecaster.predict(X=X2_future)
    assert refit_horizon.index[0] == X2_future.index[0]


def test_cross_val_score_backtests_with_future_covariates():
    y, X, _, _ = promo_data(n=160)
    scores = cross_val_score(small(future_covariates=["promo"], n_calibration=0),
                             y, X[["promo"]], cv=TimeSeriesSplit(2, test_size=H))
    baseline = cross_val_score(small(n_calibration=0), y, cv=TimeSeriesSplit(2, test_size=H))
    assert scores.shape == (2,)
    assert scores.mean() > baseline.mean()


@pytest.mark.parametrize("layout", ["dict", "long", "nixtla"])
def test_many_series_take_future_values_in_every_layout(layout):
    parts = {sid: promo_data(seed=seed, level=level)
             for sid, seed, level in (("a", 0, 100.0), ("b", 1, 10.0))}
    ys = {sid: p[0] for sid, p in parts.items()}
    Xs = {sid: p[1][["promo"]] for sid, p in parts.items()}
    futures = {sid: p[2] for sid, p in parts.items()}
    forecaster = small(future_covariates=["promo"])
    if layout == "dict":
        forecaster.fit(ys, Xs)
        X_future = futures
    else:
        def long(frames):
            return pd.concat(frames, names=["unique_id", "ds"])
        y_long, X_long, future_long = long(ys), long(Xs), long(futures)
        if layout == "nixtla":
            y_long = y_long.rename("y").reset_index()
            X_long, future_long = X_long.reset_index(), future_long.reset_index()
        forecaster.fit(y_long, X_long)
        X_future = future_long
    forecast = forecaster.predict(X=X_future)
    if layout == "nixtla":
        forecast = forecast.set_index(["unique_id", "ds"])["y"]
    truth = pd.concat({sid: p[3] for sid, p in parts.items()})
    error = np.abs(forecast.to_numpy() - truth.to_numpy()).reshape(2, H).mean(axis=1)
    assert (error < 6).all(), error  # the promotion's effect is 30
    # One series: only its future rows are needed.
    one = forecaster.predict(series=["b"], X={"b": futures["b"]} if layout == "dict"
                             else X_future)
    assert len(one) == H


def test_one_series_dict_equals_the_series():
    y, X, X_future, _ = promo_data()
    single = small(future_covariates=["promo"]).fit(y, X[["promo"]]).predict(X=X_future)
    many = small(future_covariates=["promo"]).fit({"s": y}, {"s": X[["promo"]]})
    np.testing.assert_array_equal(many.predict(X={"s": X_future}).to_numpy(),
                                  single.to_numpy())


def test_network_data_has_the_future_steps_and_flag():
    y, X, _, _ = promo_data()
    forecaster = small(future_covariates=["promo"], window=14).fit(y, X)
    features, targets = forecaster.network_data(y, X, targets=True)
    steps, per_step = 14 + H, 2 + 1 + 1  # target, two covariates, the flag
    assert features.shape[1] == steps * per_step
    windows = features.reshape(len(features), steps, per_step)
    np.testing.assert_array_equal(windows[:, :14, -1], 0.0)
    np.testing.assert_array_equal(windows[:, 14:, -1], 1.0)
    np.testing.assert_array_equal(windows[:, 14:, 0], 0.0)  # target unknown
    np.testing.assert_array_equal(windows[:, 14:, 2], 0.0)  # past covariate unknown
    assert targets.shape == (len(features), H)


def test_step_layout_rows():
    values = np.arange(30, dtype=float).reshape(10, 3)  # target, past, future
    scaler = WindowScaler().fit(values)
    past, future = values[None, :4], values[None, 4:6]
    plain, level, scale = StepLayout(3, [], 2).normalise(scaler, past, future)
    expected = scaler.transform(past)
    np.testing.assert_array_equal(plain, expected[0])
    normalised, level, scale = StepLayout(3, [2], 2).normalise(scaler, past, future)
    assert normalised.shape == (1, 6, 4)
    np.testing.assert_array_equal(normalised[0, :4, :3], expected[0][0])
    np.testing.assert_array_equal(level, expected[1])
    np.testing.assert_array_equal(normalised[0, 4:, :2], 0.0)
    np.testing.assert_allclose(normalised[0, 4:, 2],
                               (future[0, :, 2] - scaler.covariate_mean[1])
                               / scaler.covariate_std[1])
    np.testing.assert_array_equal(normalised[0, :, 3], [0, 0, 0, 0, 1, 1])


# -- errors ---------------------------------------------------------------------
def test_errors_name_the_argument_value_and_fix():
    y, X, X_future, _ = promo_data(n=120)
    with pytest.raises(ValueError, match=r"future_covariates=\['price'\] names columns \['price'\]"):
        small(future_covariates=["price"]).fit(y, X)
    with pytest.raises(ValueError, match="future_covariates='all' needs covariates"):
        small(future_covariates="all").fit(y)
    with pytest.raises(ValueError, match="training='window'"):
        RNNForecaster(horizon=H, training="sequence", future_covariates=["promo"]).fit(y, X)
    with pytest.raises(ValueError, match=r"past covariates \(X columns \['noise'\]"):
        small(strategy="recursive", future_covariates=["promo"]).fit(y, X)
    forecaster = small(future_covariates=["promo"]).fit(y, X)
    with pytest.raises(ValueError, match="X is None, but the forecaster reads future"):
        forecaster.predict()
    with pytest.raises(ValueError, match="has no row for"):
        forecaster.predict(X=X_future.iloc[:-1])
    holed = X_future.copy()
    holed.iloc[2, 0] = np.nan
    with pytest.raises(ValueError, match="'promo' is NaN at"):
        forecaster.predict_interval(X=holed)
    with pytest.raises(ValueError, match=r"columns \['price'\] that fit's X did not have"):
        forecaster.predict(X=X_future.assign(price=1.0))
    with pytest.raises(ValueError, match="has no column 'promo'"):
        forecaster.predict(X=X_future.rename(columns={"promo": "noise"}))
    with pytest.raises(TypeError, match="fitted on one series"):
        forecaster.predict(X={"a": X_future})
    plain = small().fit(y)
    with pytest.raises(ValueError, match="no covariates known in advance"):
        plain.predict(X=X_future)
    many = small(future_covariates=["promo"]).fit({"a": y, "b": y}, {"a": X, "b": X})
    with pytest.raises(ValueError, match=r"no future covariates for series 'b'"):
        many.predict(X={"a": X_future})


# -- the command line --------------------------------------------------------------
def test_cli_reads_future_rows_with_an_empty_target(tmp_path, capsys):
    y, X, X_future, y_future = promo_data(n=150)
    rows = pd.DataFrame({"sales": pd.concat([y, y_future * np.nan]),
                         "promo": pd.concat([X["promo"], X_future["promo"]])})
    path = tmp_path / "sales.csv"
    rows.rename_axis("date").to_csv(path)
    out = tmp_path / "forecast.csv"
    code = main(["forecast", str(path), "--horizon", str(H), "--future-covariates", "promo",
                 "--no-backtest", "--quiet", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    table = pd.read_csv(out, index_col=0, parse_dates=True)
    assert table.index.equals(y_future.index)
    assert np.mean(np.abs(table["forecast"] - y_future)) < 6
    assert "future covariates ['promo']" in capsys.readouterr().out


def test_cli_needs_the_future_rows(tmp_path, capsys):
    y, X, X_future, _ = promo_data(n=100)
    rows = pd.DataFrame({"sales": y, "promo": X["promo"]}).rename_axis("date")
    path = tmp_path / "sales.csv"
    rows.to_csv(path)
    code = main(["forecast", str(path), "--horizon", "5", "--future-covariates", "promo",
                 "--no-backtest", "--quiet"])
    assert code == 1
    assert "has 0 rows after the last value of 'sales'" in capsys.readouterr().err
    code = main(["forecast", str(path), "--horizon", "5", "--future-covariates", "price",
                 "--quiet"])
    assert code == 1
    assert "--future-covariates 'price' is not a value column" in capsys.readouterr().err
