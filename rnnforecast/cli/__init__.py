"""``rnnforecast forecast FILE.csv``: fit, backtest and forecast from the shell.

- :mod:`.reading`: the CSV file read into a series;
- :mod:`.report`: the ``forecast`` command (backtest, fit, forecast, files);
- :mod:`.panel`: a file of many series, in long form (``--id-column``) or a
  column each (``--wide``);
- :mod:`.progress`: the training progress shown on stderr.

Ctrl-C ends the command with one line, ``rnnforecast: interrupted``, and exit
status 130 (128 + SIGINT, as shells report it).
"""

import argparse
import sys
import warnings

from .. import __version__
from ..forecasting.target_scale import NotAboveZeroError
from .messages import when
from .progress import add_progress_arguments, showing_progress
from .reading import CLIError, add_reading_arguments
from .report import forecast

__all__ = ["build_parser", "main"]


def build_parser():
    parser = argparse.ArgumentParser(
        prog="rnnforecast", description="Forecast a time series with a recurrent network.")
    parser.add_argument("--version", action="version", version=f"rnnforecast {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("forecast", help="fit, backtest and forecast a CSV series")
    add_reading_arguments(p)
    p.add_argument("--horizon", type=int, required=True, help="steps to forecast")
    p.add_argument("--window", type=int, help="steps of history per forecast (default: auto)")
    p.add_argument("--cell", choices=["rnn", "gru", "lstm"], default="gru")
    p.add_argument("--training", choices=["window", "sequence"], default="window",
                   help="window: learn from trailing windows (default); sequence: read "
                        "the series once per epoch, for very long series")
    p.add_argument("--model",
                   choices=["by_frequency", "per_series", "zero_shot", "combined", "auto"],
                   default="by_frequency",
                   help="by_frequency (default): zero_shot for hourly and half-hourly files "
                        "(horizon at most 48, no covariates or --seasonal-lag), else "
                        "per_series; per_series: networks trained on this file; zero_shot: "
                        "the network pretrained on synthetic series, no training; combined: "
                        "the mean of both; auto: whichever of the three the backtest inside "
                        "fit prefers")
    p.add_argument("--fine-tune", action="store_true",
                   help="fine-tune the pretrained network on the file before it forecasts "
                        "(where --model uses it: zero_shot, combined, auto, and by_frequency "
                        "on hourly and half-hourly files); about 3 s more")
    p.add_argument("--seasonal-lag", type=_seasonal_lag, default=None, metavar="auto|N",
                   help="also read the target a longer season earlier at each step forecast: "
                        "auto, a week of hourly data and a year of daily data (when the file "
                        "holds three); N, that many steps (default: none)")
    p.add_argument("--log-scale", action="store_true",
                   help="model the logarithm of the target and forecast exp of it: for a "
                        "season or noise that grows with the level (sales, passengers); "
                        "every value must be above 0")
    p.add_argument("--seasonal-adjustment", action="store_true",
                   help="where the season is strong, take it out of the series before the "
                        "networks train and put it back on the forecast (files that are "
                        "not sub-daily)")
    p.add_argument("--coverage", type=float, default=0.9, help="prediction interval coverage")
    p.add_argument("--out", help="write the forecast table to this CSV")
    p.add_argument("--plot", help="write a plot of the forecast to this PNG (needs matplotlib)")
    p.add_argument("--no-backtest", dest="backtest", action="store_false",
                   help="skip the backtest against seasonal naive")
    p.add_argument("--random-state", type=int, default=0)
    p.add_argument("--jobs", type=int, default=None,
                   help="processes that train the networks of the ensemble (-1: every "
                        "processor; default: one); with a model per series (--id-column "
                        "or --wide, unless --global-model), processes that fit the "
                        "series' models, a series each; the forecast is the same for any "
                        "value")
    p.add_argument("--verbose", action="store_true", help="print every training epoch")
    add_progress_arguments(p)
    return parser


def _stamp(timestamp):
    """A timestamp as the user wrote it (see :func:`.messages.when`)."""
    return when(timestamp) if hasattr(timestamp, "normalize") else str(timestamp)


def _seasonal_lag(text):
    """``--seasonal-lag``: "auto" or a positive number of steps."""
    if text == "auto":
        return text
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"expected auto or a positive number of steps; got {text!r}")
    return value


def main(argv=None):
    """Entry point of the ``rnnforecast`` command."""
    args = build_parser().parse_args(argv)
    if args.horizon < 1:
        print(f"rnnforecast: error: --horizon must be a positive integer; got {args.horizon}",
              file=sys.stderr)
        return 2
    if args.jobs is not None and args.jobs < 1 and args.jobs != -1:
        print(f"rnnforecast: error: --jobs must be a positive integer or -1; got {args.jobs}",
              file=sys.stderr)
        return 2
    if not 0 < args.coverage < 1:
        print(f"rnnforecast: error: --coverage must be in (0, 1); got {args.coverage}",
              file=sys.stderr)
        return 2
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*maximum iterations.*")
            # The fit line says when the pretrained network ran instead of
            # the networks --cell and --verbose describe, and when
            # --fine-tune had nothing to tune.
            warnings.filterwarnings("ignore", message=".*model='by_frequency' forecasts")
            warnings.filterwarnings("ignore", message=".*forecasts with the pretrained "
                                                      "network alone")
            warnings.filterwarnings("ignore", message=".*fine_tune=True has no effect")
            if args.quiet:
                warnings.simplefilter("ignore")
            with showing_progress(args) as progress:
                return forecast(args, progress)
    except KeyboardInterrupt:
        print("rnnforecast: interrupted", file=sys.stderr)
        return 130
    except NotAboveZeroError as error:
        where = "the series " if error.series_id is None else f"series {error.series_id!r} "
        more = f" (and {error.count - 1} more)" if error.count > 1 else ""
        print(f"rnnforecast: error: --log-scale needs every value above 0, but {where}has "
              f"{error.value:.6g} at {_stamp(error.timestamp)}{more}; leave out --log-scale, "
              "or shift the values above 0", file=sys.stderr)
        return 1
    except (CLIError, ValueError, TypeError) as error:
        print(f"rnnforecast: error: {error}", file=sys.stderr)
        return 1
