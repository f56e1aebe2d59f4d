"""Command line entry point: ``rnnforecast`` / ``python -m rnnforecast``.

Interim main job until the forecaster lands: fits a GRU on the shipped
airline passengers series and prints a 12-month forecast.
"""

import argparse
import sys

import numpy as np


def main(argv=None):
    parser = argparse.ArgumentParser(prog="rnnforecast", description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", type=int, default=12)
    parser.add_argument("--window", type=int, default=24)
    parser.add_argument("--random-state", type=int, default=0)
    args = parser.parse_args(argv)

    from rnnforecast.datasets import load_airline_passengers
    from rnnforecast.estimator import RNNRegressor
    from rnnforecast.windowing import make_supervised

    y = np.log(load_airline_passengers().astype(float))
    X, Y = make_supervised(y, window=args.window, horizon=args.horizon)
    # Each window is expressed relative to its own last value: the network
    # learns the shape of the next months, not the level of the series.
    level = X.iloc[:, -1].to_numpy()[:, None]
    model = RNNRegressor(cell="gru", hidden_size=32, max_iter=300, learning_rate_init=0.01,
                         random_state=args.random_state)
    model.fit(X.to_numpy() - level, Y.to_numpy() - level)
    last = y.to_numpy()[-args.window:]
    forecast = np.exp(model.predict((last - last[-1])[None, :])[0] + last[-1])
    index = [y.index[-1] + (i + 1) * y.index.freq for i in range(args.horizon)]
    print(f"airline passengers (thousands), {args.horizon}-month forecast "
          f"from a GRU on {len(X)} windows of {args.window} months:")
    for stamp, value in zip(index, forecast):
        print(f"  {stamp:%Y-%m}  {value:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
