"""Would training the ensemble's networks as one stacked network make short fits faster?

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \
        python benchmarks/bench_stacked_networks.py

On short series the per-series model's fit is mostly the forward and backward
steps of five small GRUs (hidden 32, batch 32): 8,400 forward steps of 12 NumPy
calls each in a fit on airline passengers, about 12 microseconds a step. If
that time were the calls' fixed cost, the five networks stacked along a
leading axis (one matmul over a stack of five weight matrices, elementwise
operations on five times larger arrays) would take about the time of one.
This times one step of the core's GRU (the same operations as
``GRUCell.forward_step``) for one network and for five stacked, float32.
Measured (nineteenth session, two runs): one network 11.1 us a step, five
stacked 48.4 and 45.8 us, five separate 55.4 and 55.5 us: 1.14-1.21 times
faster. The steps cost what their arithmetic costs at these sizes, not the
calls, so stacking the networks would not bring the median fit near
AutoETS's; it was not built.
"""
import numpy as np, time
rng = np.random.default_rng(0)
H, B, F, T = 32, 32, 1, 24
def step(Whh, h, xg, out_rec, tmp):
    # the core's GRU step, shapes (..., 3H, B)
    np.matmul(Whh, h, out=out_rec)
    rz = xg[..., :2*H, :]; np.add(rz, out_rec[..., :2*H, :], out=rz); np.tanh(rz, out=rz)
    np.multiply(rz, 0.5, out=rz); np.add(rz, 0.5, out=rz)
    r = xg[..., :H, :]; z = xg[..., H:2*H, :]; n = xg[..., 2*H:, :]
    np.multiply(r, out_rec[..., 2*H:, :], out=tmp); np.add(n, tmp, out=n); np.tanh(n, out=n)
    hn = np.subtract(h, n); np.multiply(hn, z, out=hn); np.add(hn, n, out=hn)
    return hn
def bench(K, reps=3000, dtype=np.float32):
    shape = (K,) if K else ()
    Whh = rng.normal(size=shape + (3*H, H)).astype(dtype) * 0.1
    h = np.zeros(shape + (H, B), dtype)
    xg = rng.normal(size=shape + (3*H, B)).astype(dtype)
    rec = np.empty(shape + (3*H, B), dtype); tmp = np.empty(shape + (H, B), dtype)
    t = time.perf_counter()
    for _ in range(reps):
        x = xg.copy()
        h = step(Whh, h, x, rec, tmp)
    return (time.perf_counter() - t) / reps
single = bench(0)
for K in (5,):  # the ensemble's size
    stacked = bench(K)
    print(f"one network {single*1e6:.1f} us/step; {K} stacked {stacked*1e6:.1f} us/step; "
          f"{K} separate {K*single*1e6:.1f} us; speed-up {K*single/stacked:.2f}x")
