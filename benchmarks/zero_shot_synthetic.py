"""The shipped pretrained network zero-shot on fresh generator series, and what a change did to it.

    python benchmarks/zero_shot_synthetic.py record new.npz        # forecasts of this code
    python benchmarks/zero_shot_synthetic.py compare old.npz new.npz
    python benchmarks/zero_shot_synthetic.py record --events 1 --n-series 1000 new.npz

``record`` forecasts 300 series (``--n-series``) of each of six calendars,
drawn from :func:`rnnforecast.synthetic.generate` with seeds ``[11, m,
length]`` (streams the pretraining corpus does not use; ``[12, m, length]``
with ``--events``, the share of series given level shifts or outliers,
otherwise the generator's 0.2), from their first ``length`` values, and
writes the forecasts and the draw's settings. ``compare`` lists, per calendar, the series whose
forecasts differ between two such files (for example, recorded in a worktree of
an older commit and in this one) and their MASE in each (against the in-sample
seasonal naive of the first ``length`` values; series that repeat themselves
exactly or hold missing values are left out), with the geometric means.
"""

import argparse

import numpy as np

from rnnforecast.metrics import seasonal_naive_scale
from rnnforecast.pretrained import shipped_model
from rnnforecast.synthetic import generate

# (pandas frequency, seasonal period, horizon, history length)
CALENDARS = {
    "hourly": ("h", 24, 24, 600),
    "half-hourly": ("30min", 48, 48, 800),
    "daily": ("D", 7, 14, 500),
    "monthly": ("MS", 12, 18, 200),
    "quarterly": ("QS", 4, 8, 120),
    "yearly": ("YS", 1, 6, 60),
}
N_SERIES = 300


def series(calendar, n_series=N_SERIES, events=None):
    """The generator's series of ``calendar``, history and future: (n, length + H)."""
    freq, m, horizon, length = CALENDARS[calendar]
    if events is None:
        return generate(n_series, length + horizon,
                        seed=np.random.default_rng([11, m, length]), freq=freq).values
    return generate(n_series, length + horizon, seed=np.random.default_rng([12, m, length]),
                    freq=freq, events=events).values


def record(path, n_series=N_SERIES, events=None):
    network = shipped_model()
    forecasts = {}
    for calendar, (_, m, horizon, length) in CALENDARS.items():
        forecasts[calendar] = np.stack([network.forecast(values[:length], m, horizon)[0]
                                        for values in series(calendar, n_series, events)])
    np.savez(path, n_series=n_series, events=np.nan if events is None else events,
             **forecasts)
    print(f"{sum(len(f) for f in forecasts.values())} forecasts written to {path}")


def compare(old_path, new_path):
    old, new = np.load(old_path), np.load(new_path)
    n_series, events = int(new["n_series"]), float(new["events"])
    events = None if np.isnan(events) else events
    for calendar, (_, m, _, length) in CALENDARS.items():
        scores = []
        for k, values in enumerate(series(calendar, n_series, events)):
            if not np.isfinite(values).all():
                continue
            try:
                scale = seasonal_naive_scale(values[:length], m)
            except ValueError:
                continue
            before, after = old[calendar][k], new[calendar][k]
            if not np.array_equal(before, after):
                truth = values[length:]
                scores.append((np.mean(np.abs(before - truth)) / scale,
                               np.mean(np.abs(after - truth)) / scale))
        if not scores:
            print(f"{calendar}: no forecast changed")
            continue
        scores = np.array(scores)
        means = np.exp(np.log(scores).mean(axis=0))
        better = int((scores[:, 1] < scores[:, 0]).sum())
        worse = int((scores[:, 1] > scores[:, 0]).sum())
        print(f"{calendar}: {len(scores)} changed; geometric-mean MASE {means[0]:.3f} -> "
              f"{means[1]:.3f}; better on {better}, worse on {worse}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("record")
    one.add_argument("path")
    one.add_argument("--n-series", type=int, default=N_SERIES)
    one.add_argument("--events", type=float, help="share of series with shifts or outliers")
    both = commands.add_parser("compare")
    both.add_argument("old")
    both.add_argument("new")
    args = parser.parse_args(argv)
    if args.command == "record":
        record(args.path, args.n_series, args.events)
    else:
        compare(args.old, args.new)


if __name__ == "__main__":
    main()
