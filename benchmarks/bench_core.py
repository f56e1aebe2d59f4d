"""Seconds per training epoch of RNNRegressor, and of PyTorch when installed.

    python benchmarks/bench_core.py                     # all cells, all sizes
    python benchmarks/bench_core.py --sizes small --cells gru --epochs 5

For each cell and size it trains on the same random data with the same batch
size, float32 and Adam with global-norm clipping, and prints seconds per
epoch, windows per second and, with PyTorch (``torch.nn.RNN/GRU/LSTM`` +
``nn.Linear`` head on the last step), the ratio ours / PyTorch. PyTorch runs
with each of ``--torch-threads`` thread counts (default 2); rnnforecast fits
with one BLAS thread and ``n_jobs`` each of ``--jobs`` (default 1 and 2: with
2 each batch large enough is split over two processes). It prints the
speed-up of each n_jobs over the first, ``x{j}`` (seconds of the first / seconds
of j), and a ratio ours{j}/torch{t} for each j <= t. Each timing is the best of
``--repeats`` fits of ``--epochs`` epochs, ours and PyTorch's fits alternating.
The first line names the BLAS kernel numpy runs (OPENBLAS_CORETYPE changes it,
and with it our matmul speed). PyTorch is optional and never a dependency of
rnnforecast: without it (or with ``--no-torch``) only rnnforecast is timed.
"""

import argparse
import os
import time
import warnings

import numpy as np

from rnnforecast import RNNRegressor

SIZES = {
    # name: (windows, steps, features per step, hidden units, batch size)
    "small": (2_000, 24, 1, 32, 32),
    "medium": (10_000, 48, 1, 64, 64),
    "large": (20_000, 96, 4, 128, 128),
}
TORCH_CELLS = {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM"}


def make_data(n, steps, features, seed=0):
    """Random-walk windows and a next-step target."""
    rng = np.random.RandomState(seed)
    X = np.cumsum(rng.standard_normal((n, steps, features)), axis=1).astype(np.float32)
    X /= np.sqrt(steps)
    y = (X[:, -1, 0] + 0.1 * rng.standard_normal(n)).astype(np.float32)
    return X, y


def time_ours(cell, X, y, hidden, batch, epochs, seed, n_jobs=1):
    """Seconds per epoch of one RNNRegressor fit."""
    model = RNNRegressor(
        cell=cell, hidden_size=hidden, batch_size=batch, max_iter=epochs,
        n_iter_no_change=epochs + 1, tol=0.0, random_state=seed, n_jobs=n_jobs,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        model.fit(X, y)
        return (time.perf_counter() - start) / epochs


def time_torch(cell, X, y, hidden, batch, epochs, seed, threads):
    """Seconds per epoch of one PyTorch fit of the same network."""
    import torch

    torch.set_num_threads(threads)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)[:, None]
    torch.manual_seed(seed)
    rnn = getattr(torch.nn, TORCH_CELLS[cell])(X.shape[2], hidden, batch_first=True)
    head = torch.nn.Linear(hidden, 1)
    params = list(rnn.parameters()) + list(head.parameters())
    optimizer = torch.optim.Adam(params, lr=1e-3)
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(Xt))
        for i in range(0, len(Xt), batch):
            idx = order[i:i + batch]
            out, _ = rnn(Xt[idx])
            loss = 0.5 * torch.nn.functional.mse_loss(head(out[:, -1]), yt[idx])
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
    return (time.perf_counter() - start) / epochs


def _owner(path):
    for package in ("numpy", "scipy", "torch"):
        if f"{package}.libs" in path or f"/{package}/" in path:
            return package
    return "?"


def blas_description():
    """numpy's BLAS and the kernel it runs, and any OPENBLAS_* settings.

    OPENBLAS_CORETYPE picks the matmul kernel: on this kind of machine
    Haswell (AVX2) ran our per-step matmuls at about 120 GFLOP/s against
    200-240 for SkylakeX (AVX-512), so report it with every timing.
    """
    try:
        from threadpoolctl import threadpool_info
    except ImportError:  # pragma: no cover
        return "BLAS: unknown (threadpoolctl missing)"
    libs = [
        f"{_owner(info.get('filepath', ''))} {info.get('internal_api')} {info.get('version')} "
        f"kernel {info.get('architecture')}"
        for info in threadpool_info() if info.get("user_api") == "blas"
    ]
    env = " ".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("OPENBLAS_"))
    return f"BLAS: {', '.join(libs) or 'none found'}; {env or 'no OPENBLAS_* variables'}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--cells", nargs="+", default=list(TORCH_CELLS), choices=list(TORCH_CELLS))
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--torch-threads", type=int, nargs="+", default=[2],
                        help="thread counts to time PyTorch with (one column pair each)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2],
                        help="n_jobs values to time rnnforecast with")
    parser.add_argument("--no-torch", action="store_true", help="time rnnforecast only")
    args = parser.parse_args(argv)
    try:
        if args.no_torch:
            raise ImportError
        import torch  # noqa: F401

        has_torch = True
    except ImportError:
        has_torch = False

    print(blas_description())
    if has_torch:
        import torch

        print(f"PyTorch {torch.__version__}; best of {args.repeats} fits of "
              f"{args.epochs} epochs each")
    threads = args.torch_threads if has_torch else []
    pairs = [(j, t) for t in threads for j in args.jobs if j <= t]
    header = f"{'size':<7} {'cell':<5}"
    header += "".join(f" {f'ours{j} s/epoch':>14}" for j in args.jobs)
    speedups = args.jobs[1:]
    header += "".join(f" {f'x{j}':>6}" for j in speedups)
    header += f" {f'windows/s':>10}"
    header += "".join(f" {f'torch{t} s/epoch':>15}" for t in threads)
    header += "".join(f" {f'ours{j}/torch{t}':>13}" for j, t in pairs)
    print(header)
    for size in args.sizes:
        n, steps, features, hidden, batch = SIZES[size]
        X, y = make_data(n, steps, features)
        for cell in args.cells:
            # Repeats alternate ours and PyTorch, so that all see the same
            # load on a shared machine; each keeps its best.
            ours = dict.fromkeys(args.jobs, np.inf)
            theirs = dict.fromkeys(threads, np.inf)
            for seed in range(args.repeats):
                for j in ours:
                    ours[j] = min(ours[j], time_ours(
                        cell, X, y, hidden, batch, args.epochs, seed, n_jobs=j))
                for t in theirs:
                    theirs[t] = min(theirs[t], time_torch(
                        cell, X, y, hidden, batch, args.epochs, seed, t))
            line = f"{size:<7} {cell:<5}"
            line += "".join(f" {ours[j]:>14.3f}" for j in args.jobs)
            line += "".join(f" {ours[args.jobs[0]] / ours[j]:>6.2f}" for j in speedups)
            line += f" {n / min(ours.values()):>10.0f}"
            line += "".join(f" {theirs[t]:>15.3f}" for t in threads)
            line += "".join(f" {ours[j] / theirs[t]:>13.2f}" for j, t in pairs)
            print(line, flush=True)


if __name__ == "__main__":
    main()
