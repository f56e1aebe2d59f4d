"""Optional matplotlib helpers: forecasts with intervals, training curves and
the gradient-flow picture. Install the extra with ``pip install
rnnforecast[plot]``; nothing else in the package needs matplotlib.
"""

import numpy as np
import pandas as pd

__all__ = ["plot_forecast", "plot_gradient_flow", "plot_loss_curves"]


def _axes(ax):
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - exercised without matplotlib
        raise ImportError(
            "rnnforecast.plotting needs matplotlib; install it with "
            "pip install 'rnnforecast[plot]'"
        ) from error
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    return ax


def plot_forecast(history, forecast, interval=None, ax=None, last=None,
                  interval_label="interval"):
    """Plot a series, its forecast and an optional prediction interval.

    The forecast line starts at the last observation, so that the two join;
    the legend stands to the right of the axes, off the data; date ticks are
    concise (``matplotlib.dates.ConciseDateFormatter``), readable on a few
    points as on many years.

    Parameters
    ----------
    history : pandas Series
        The observed series, indexed by time (a PeriodIndex is drawn at the
        start of each period).
    forecast : pandas Series
        The point forecast, indexed by the future timestamps (or periods).
    interval : pandas DataFrame with columns "lower" and "upper", default=None
        Bounds of a prediction interval, indexed like ``forecast``.
    ax : matplotlib Axes, default=None
        Where to draw; a new figure when None.
    last : int, default=None
        Show only the last ``last`` observations of ``history``.
    interval_label : str, default="interval"
        The interval's name in the legend, e.g. "90% interval".

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> from rnnforecast.plotting import plot_forecast
    >>> y = pd.Series(range(10), index=pd.date_range("2024-01", periods=10, freq="MS"))
    >>> f = pd.Series([10.0, 11.0], index=pd.date_range("2024-11", periods=2, freq="MS"))
    >>> ax = plot_forecast(y, f)
    >>> len(ax.lines)
    2
    >>> ax.lines[1].get_xdata()[0] == y.index[-1]  # joined to the last observation
    True
    """
    _check_series(history, "history", "the observed series y")
    _check_series(forecast, "forecast", "forecaster.predict()")
    if interval is not None and not (isinstance(interval, pd.DataFrame)
                                     and {"lower", "upper"} <= set(interval.columns)):
        raise TypeError(
            "interval must be a DataFrame with columns 'lower' and 'upper', such as "
            f"forecaster.predict_interval(0.9); got {_described(interval)}."
        )
    ax = _axes(ax)
    # matplotlib cannot place Period objects: draw periods at their start.
    history, forecast, interval = (
        None if part is None else
        part.set_axis(part.index.to_timestamp()) if isinstance(part.index, pd.PeriodIndex)
        else part for part in (history, forecast, interval))
    shown = history if last is None else history.iloc[-last:]
    ax.plot(shown.index, shown.to_numpy(), color="0.2", lw=1.2, label="observed")
    observed = history.dropna()
    joined = forecast
    if len(observed):
        joined = pd.concat([observed.iloc[-1:], forecast])
    ax.plot(joined.index, joined.to_numpy(), color="C1", lw=1.8, label="forecast")
    if interval is not None:
        ax.fill_between(interval.index, interval["lower"].to_numpy(),
                        interval["upper"].to_numpy(), color="C1", alpha=0.25,
                        label=interval_label)
    if isinstance(history.index, pd.DatetimeIndex):
        import matplotlib.dates as mdates

        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    name = str(history.name) if history.name is not None else "value"
    ax.set_title(str(history.name) if history.name is not None else "forecast")
    ax.set_xlabel(str(history.index.name) if history.index.name is not None else "time")
    ax.set_ylabel(name)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    return ax


def _check_series(value, name, what):
    """A TypeError unless ``value`` is a Series of one series, indexed by time."""
    if not isinstance(value, pd.Series) or isinstance(value.index, pd.MultiIndex):
        raise TypeError(
            f"{name} must be a pandas Series of one series indexed by time, {what}; got "
            f"{_described(value)}. For example plot_forecast(y, forecaster.predict(), "
            "forecaster.predict_interval(0.9)); of many series, one at a time: "
            "forecaster.predict(series=[sid]).loc[sid]."
        )


def _described(value):
    """What ``value`` is, as an error names it."""
    if isinstance(value, pd.Series) and isinstance(value.index, pd.MultiIndex):
        return "a Series indexed by (series id, time): many series"
    if isinstance(value, pd.DataFrame):
        return f"a DataFrame with columns {list(value.columns)}"
    return type(value).__name__


def plot_loss_curves(estimator, ax=None):
    """Plot an RNNRegressor's training loss (and validation R^2) per epoch.

    Parameters
    ----------
    estimator : RNNRegressor
        A fitted one, or an object holding one as ``regressor_``.
    ax : matplotlib Axes, default=None
        Where to draw; a new figure when None. The validation scores, when
        there are any, go on a twin axis.

    Returns
    -------
    ax : matplotlib Axes
        The axes of the loss.
    """
    model = getattr(estimator, "regressor_", estimator)
    ax = _axes(ax)
    epochs = np.arange(1, len(model.loss_curve_) + 1)
    ax.plot(epochs, model.loss_curve_, color="C0", label="training loss")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    if getattr(model, "validation_scores_", None):
        twin = ax.twinx()
        twin.plot(epochs, model.validation_scores_, color="C2", label="validation R²")
        twin.set_ylabel("validation R²")
        twin.legend(loc="upper center")
    ax.legend(loc="upper right")
    return ax


def plot_gradient_flow(flow, ax=None):
    """Plot ||dL/dh|| against lag on a log scale, one line per column.

    Parameters
    ----------
    flow : pandas DataFrame
        As returned by :func:`rnnforecast.diagnostics.gradient_flow`, or
        several of them side by side (e.g. one column per cell). A column
        of several levels, such as ``("network 1", "layer 0")`` from a
        forecaster, is labelled ``network 1, layer 0``.
    ax : matplotlib Axes, default=None
        Where to draw; a new figure when None.

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on.
    """
    ax = _axes(ax)
    for column in flow.columns:
        label = ", ".join(map(str, column)) if isinstance(column, tuple) else str(column)
        ax.plot(flow.index, flow[column].to_numpy(), marker=".", label=label)
    ax.set_yscale("log")
    ax.set_xlabel("lag (steps before the newest)")
    ax.set_ylabel("||dL/dh||")
    ax.legend()
    return ax
