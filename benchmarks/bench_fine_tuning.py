"""Settings of the pretrained network's fine-tuning, chosen on synthetic series (issue 14).

    python benchmarks/bench_fine_tuning.py --draws 2 --series 25     # about 20 min

``RNNForecaster(fine_tune=True)`` trains a copy of the pretrained network further on
the series it forecasts (:mod:`rnnforecast.pretrained.fine_tuning`). This script
scores zero-shot against a few settings of that fine-tuning (steps, learning rate) on
fresh synthetic series of the yearly, quarterly and monthly groups
(:func:`rnnforecast.synthetic.generate`, seeds ``[77, draw, m]``; lengths drawn per
group, the last ``H`` values held out), the only data the settings may be chosen on:
MASE of each, its geometric mean per group, the geometric mean of its ratio to
zero-shot, and the seconds per series (one fine-tuning, one BLAS thread). Series
whose history is constant or whose held-out values hold NaN are skipped.

The shipped settings (:data:`~rnnforecast.pretrained.fine_tuning.FINE_TUNING`: 100
steps at 1e-3) came from this run; the accuracy on real series is measured with
``bench_accuracy.py --methods "fine-tuned" "combined fine-tuned"``. Results in
``results/bench_fine_tuning.md``.
"""

import argparse
import time

import numpy as np

from rnnforecast._blas_threads import blas_threads
from rnnforecast.pretrained import shipped_model
from rnnforecast.pretrained.corpus import GROUPS
from rnnforecast.pretrained.fine_tuning import FINE_TUNING, fine_tune
from rnnforecast.synthetic import generate

# group -> (seasonal period, horizon, (shortest, longest) history)
SYNTHETIC = {"yearly": (1, 6, (30, 120)), "quarterly": (4, 8, (50, 200)),
             "monthly": (12, 18, (100, 500))}
CANDIDATES = {
    "zero-shot": FINE_TUNING._replace(steps=0),
    "lr1e-4 s100": FINE_TUNING._replace(learning_rate=1e-4),
    "lr3e-4 s100": FINE_TUNING._replace(learning_rate=3e-4),
    "lr3e-4 s300": FINE_TUNING._replace(learning_rate=3e-4, steps=300),
    "lr1e-3 s100": FINE_TUNING._replace(learning_rate=1e-3),
}


def mase(history, truth, forecast, m):
    """MAE of ``forecast``, scaled by the in-sample seasonal naive MAE (lag m)."""
    lag = max(m, 1)
    scale = np.mean(np.abs(history[lag:] - history[:-lag]))
    return float(np.mean(np.abs(truth - forecast)) / scale)


def draw(d, group, n_series, model):
    """MASE and seconds of every candidate on ``n_series`` fresh series of ``group``."""
    m, H, (low, high) = SYNTHETIC[group]
    freq = {g.name: g.freq for g in GROUPS}[group]
    rng = np.random.default_rng([77, d, m])
    scores = {name: [] for name in CANDIDATES}
    seconds = {name: 0.0 for name in CANDIDATES}
    for _ in range(n_series):
        n = int(rng.integers(low, high))
        values = generate(1, n + H, seed=rng, freq=freq).values[0]
        history, truth = values[:n], values[n:]
        if not np.isfinite(truth).all() or np.ptp(history[np.isfinite(history)]) == 0:
            continue
        for name, settings in CANDIDATES.items():
            began = time.perf_counter()
            tuned = fine_tune(model, [history], m, seed=d, settings=settings)
            forecast = tuned.forecast(history, m, H)[0]
            seconds[name] += time.perf_counter() - began
            scores[name].append(mase(history, truth, forecast, m))
    return scores, seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--draws", type=int, default=2)
    parser.add_argument("--series", type=int, default=25, help="series per group and draw")
    args = parser.parse_args(argv)
    model = shipped_model()
    for d in range(args.draws):
        for group in SYNTHETIC:
            with blas_threads(1):
                scores, seconds = draw(d, group, args.series, model)
            base = np.log(scores["zero-shot"])
            line = [f"draw {d} {group:9s} n={len(base)}"]
            for name in CANDIDATES:
                logs = np.log(scores[name])
                line.append(f"{name}: {np.exp(logs.mean()):.3f} "
                            f"(x{np.exp((logs - base).mean()):.3f}, "
                            f"{seconds[name] / len(logs):.2f} s)")
            print("  ".join(line), flush=True)


if __name__ == "__main__":
    main()
