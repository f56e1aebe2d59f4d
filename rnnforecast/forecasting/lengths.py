"""The fewest rows a series can be fitted on, for each training mode.

The training modes check a series against this rule (:mod:`.window_training`,
:mod:`.sequence_training`), and the command line sizes its backtest with it.
"""

__all__ = ["fewest_rows"]


def fewest_rows(horizon, window="auto", training="window", strategy="direct"):
    """The fewest rows ``fit`` accepts for one series.

    Parameters
    ----------
    horizon : int
    window : int or "auto", default="auto"
        Window training reads ``window`` rows and forecasts the steps of its
        network's output after them: ``horizon`` steps (``"direct"``) or one
        (``"recursive"``). ``"auto"`` shrinks to one row on a short series.
    training : {"window", "sequence"}, default="window"
        Sequence training needs two horizons and two rows more, whatever the
        window.
    strategy : {"direct", "recursive"}, default="direct"

    Returns
    -------
    int

    Examples
    --------
    >>> from rnnforecast.forecasting.lengths import fewest_rows
    >>> fewest_rows(7), fewest_rows(7, window=24), fewest_rows(7, 24, strategy="recursive")
    (8, 31, 25)
    >>> fewest_rows(7, training="sequence")
    16
    """
    if training == "sequence":
        return 2 * horizon + 2
    n_outputs = horizon if strategy == "direct" else 1
    return (1 if window == "auto" else window) + n_outputs
