import numpy as np
import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from rnnforecast import RNNForecaster, RNNRegressor  # noqa: E402
from rnnforecast.diagnostics import gradient_flow  # noqa: E402
from rnnforecast.plotting import plot_forecast, plot_gradient_flow, plot_loss_curves  # noqa: E402


@pytest.fixture(scope="module")
def model_and_data():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, (120, 8))
    y = X[:, -3]
    model = RNNRegressor(cell="gru", hidden_size=4, max_iter=6, early_stopping=True,
                         random_state=0)
    with pytest.warns(Warning):
        model.fit(X, y)
    return model, X, y


def test_plot_forecast_draws_history_forecast_and_interval(tmp_path):
    index = pd.date_range("2020-01", periods=24, freq="MS")
    history = pd.Series(np.arange(24.0), index=index, name="sales")
    future = pd.date_range("2022-01", periods=3, freq="MS")
    forecast = pd.Series([24.0, 25.0, 26.0], index=future)
    interval = pd.DataFrame({"lower": forecast - 1, "upper": forecast + 1})
    ax = plot_forecast(history, forecast, interval, last=12)
    assert len(ax.lines) == 2
    assert len(ax.collections) == 1
    assert len(ax.lines[0].get_xdata()) == 12
    assert ax.get_title() == "sales"
    path = tmp_path / "forecast.png"
    ax.figure.savefig(path)
    assert path.stat().st_size > 1000


def test_plot_forecast_draws_periods_at_their_start():
    history = pd.Series(np.arange(24.0), index=pd.period_range("2020-01", periods=24, freq="M"))
    forecast = pd.Series([24.0, 25.0], index=pd.period_range("2022-01", periods=2, freq="M"))
    interval = pd.DataFrame({"lower": forecast - 1, "upper": forecast + 1})
    ax = plot_forecast(history, forecast, interval)
    assert len(ax.lines) == 2 and len(ax.collections) == 1
    assert pd.Timestamp(ax.lines[1].get_xdata()[-1]) == pd.Timestamp("2022-02-01")
    assert isinstance(history.index, pd.PeriodIndex)  # the input is left as it was


def test_plot_loss_curves_shows_loss_and_validation_scores(model_and_data):
    model, _, _ = model_and_data
    ax = plot_loss_curves(model)
    assert list(ax.lines[0].get_ydata()) == model.loss_curve_
    twin = [a for a in ax.figure.axes if a is not ax]
    assert len(twin) == 1
    assert list(twin[0].lines[0].get_ydata()) == model.validation_scores_


def test_plot_gradient_flow_draws_one_line_per_column(model_and_data):
    model, X, y = model_and_data
    flow = gradient_flow(model, X, y)
    both = pd.concat({"gru": flow["layer 0"], "again": flow["layer 0"] * 2}, axis=1)
    ax = plot_gradient_flow(both)
    assert len(ax.lines) == 2
    assert ax.get_yscale() == "log"
    assert np.allclose(ax.lines[1].get_ydata(), 2 * flow["layer 0"].to_numpy())


def test_plot_gradient_flow_draws_each_network_of_a_forecaster():
    from rnnforecast import RNNForecaster

    y = pd.Series(np.sin(np.arange(50) / 3),
                  index=pd.date_range("2024-01-01", periods=50, freq="D"))
    forecaster = RNNForecaster(window=6, horizon=2, n_networks=2, n_calibration=0,
                               random_state=0,
                               regressor=RNNRegressor(hidden_size=3, num_layers=2, max_iter=2))
    with pytest.warns(Warning):
        forecaster.fit(y)
    flow = gradient_flow(forecaster, y)
    ax = plot_gradient_flow(flow)
    labels = [line.get_label() for line in ax.lines]
    assert labels == ["network 0, layer 0", "network 0, layer 1",
                      "network 1, layer 0", "network 1, layer 1"]
    assert [text.get_text() for text in ax.get_legend().get_texts()] == labels
    for line, column in zip(ax.lines, flow.columns):
        np.testing.assert_array_equal(line.get_xdata(), flow.index)
        np.testing.assert_array_equal(line.get_ydata(), flow[column].to_numpy())


def test_plot_forecast_joins_the_last_observation_labels_axes_and_keeps_the_legend_off_data():
    index = pd.date_range("2024-01-01", periods=10, freq="D", name="day")
    history = pd.Series(np.arange(10.0), index=index, name="load")
    history.iloc[-1] = np.nan  # joined to the last *observed* value
    forecast = pd.Series([9.0, 10.0], index=pd.date_range("2024-01-11", periods=2, freq="D"))
    interval = pd.DataFrame({"lower": forecast - 1, "upper": forecast + 1})
    ax = plot_forecast(history, forecast, interval, interval_label="80% interval")
    line = ax.lines[1]
    assert pd.Timestamp(line.get_xdata()[0]) == index[-2]
    assert line.get_ydata()[0] == 8.0 and list(line.get_ydata()[1:]) == [9.0, 10.0]
    assert ax.get_xlabel() == "day" and ax.get_ylabel() == "load"
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == ["observed", "forecast", "80% interval"]
    ax.figure.canvas.draw()
    legend_box = ax.get_legend().get_window_extent()
    assert legend_box.x0 >= ax.get_window_extent().x1  # to the right of the axes
    ticks = [label.get_text() for label in ax.get_xticklabels() if label.get_text()]
    assert 3 <= len(ticks) <= 9


def test_plot_forecast_names_an_argument_of_the_wrong_kind():
    history = pd.Series(np.arange(24.0), index=pd.date_range("2020-01", periods=24, freq="MS"))
    forecast = pd.Series([24.0, 25.0], index=pd.date_range("2022-01", periods=2, freq="MS"))
    forecaster = RNNForecaster(horizon=2)
    with pytest.raises(TypeError, match=r"history must be a pandas Series .* got "
                                        r"RNNForecaster\. For example plot_forecast\(y, "):
        plot_forecast(forecaster, history)
    with pytest.raises(TypeError, match=r"forecast must be .*forecaster.predict\(\); got a "
                                        r"DataFrame with columns \['forecast', 'lower'\]"):
        plot_forecast(history, forecast.to_frame("forecast").assign(lower=0.0))
    many = pd.concat({"a": forecast, "b": forecast})
    with pytest.raises(TypeError, match=r"got a Series indexed by \(series id, time\): many "
                                        r"series.*\.loc\[sid\]"):
        plot_forecast(history, many)
    with pytest.raises(TypeError, match=r"interval must be a DataFrame with columns 'lower' "
                                        r"and 'upper'.*got a DataFrame with columns \['lo'\]"):
        plot_forecast(history, forecast, forecast.to_frame("lo"))

