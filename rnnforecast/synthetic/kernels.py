"""Gaussian-process draws from random compositions of kernels (KernelSynth).

KernelSynth (Ansari et al. 2024, "Chronos", section 4.2) draws 1 to J = 5 kernels
from a bank, joins them left to right with random ``+`` or ``*``, and samples
the Gaussian process with that covariance on the series' time grid. The bank
here follows theirs, on normalised time :math:`x_t = t / T`:

- ``constant()``: :math:`k = 1`;
- ``white(w)``, w in {0.1, 1}: :math:`k = w\\, [x = x']`;
- ``linear(s)``, s in {0, 1, 10}: :math:`k = s^2 + x x'`;
- ``rbf(l)``, l in {0.1, 1, 10}: :math:`k = \\exp(-\\tau^2 / 2 l^2)`;
- ``rational_quadratic(a)``, a in {0.1, 1, 10}: :math:`k = (1 + \\tau^2 / 2a)^{-a}`;
- ``periodic(P)``, P in steps from {4, 6, 7, 10, 12, 14, 24, 26, 30, 40, 48, 52, 60,
  96, 168, 336, 365, 672, 730} (those up to T): :math:`k = \\exp(-2 \\sin^2(\\pi
  \\tau_{steps} / P))`.

Every composition is a sum :math:`k = \\sum_j (x x')^j S_j(\\tau)` of stationary
parts :math:`S_j` (the linear kernel brings the powers of :math:`x x'`), which
gives two samplers:

- ``"cholesky"`` (exact): :math:`f = L z` with :math:`L L^T = K + \\epsilon I`,
  :math:`\\epsilon = 10^{-8}` of the mean variance, raised 100-fold until the
  factorisation succeeds. Time :math:`O(T^3)`, memory :math:`O(T^2)` per series.
- ``"circulant"`` (circulant embedding, Dietrich & Newsam 1997):
  :math:`f = \\sum_j x^j g_j`, each :math:`g_j` stationary with covariance
  :math:`S_j`, sampled by embedding its T x T Toeplitz covariance in a circulant
  matrix of size M, diagonalised by the FFT. M is at least 8 T and a multiple
  of every period in the kernel, so periodic parts wrap exactly. Time
  :math:`O(M \\log M)`, memory :math:`O(M)` per series. Exact when the
  circulant's eigenvalues are all >= 0; negative ones (very smooth kernels such
  as ``rbf(10)``) are set to 0, and the largest resulting gap between the
  covariance sampled and the kernel's, relative to the variance, is in the
  metadata (``covariance_error``; at most ~0.01 for the bank's kernels at T = 500).
  A kernel whose periods have a least common multiple above 64 T falls back to
  Cholesky.

``"auto"`` (the default) uses Cholesky up to 256 steps and the circulant above.
"""

import numpy as np
from scipy.linalg import toeplitz

from .._blas_threads import blas_threads
from ._arguments import Component, as_generator, check_choice, check_count, check_positive

__all__ = ["Kernel", "constant", "white", "linear", "rbf", "rational_quadratic", "periodic",
           "random_kernel", "sample_kernel", "kernel_synth"]

BANK_PERIODS = (4, 6, 7, 10, 12, 14, 24, 26, 30, 40, 48, 52, 60, 96, 168, 336, 365, 672, 730)
MAX_KERNELS = 5
# Longest series sampled exactly by "auto": a 256 x 256 Cholesky costs ~0.3 ms
# on one BLAS thread, a 1024 x 1024 one ~15 ms.
EXACT_MAX_LENGTH = 256
# Circulant size, in multiples of the length: with 8 the covariance sampled for
# rbf(1) and rational_quadratic(1) is within 0.003 of the target (0.05 with 2).
PAD = 8
MAX_PAD = 64


class Kernel:
    """A covariance :math:`k = \\sum_j (x x')^j S_j(\\tau)`, built from the bank with
    ``+`` and ``*``; ``name`` spells the composition.

    Parameters
    ----------
    name : str
        The composition, e.g. ``"periodic(24) + rbf(0.1)"``; also the repr.
    parts : dict
        The stationary parts: a power j of :math:`x x'` (int) to a function
        ``part(lags, length)`` that gives :math:`S_j` at ``lags`` (an ndarray,
        in steps) for a series of ``length`` steps, as an ndarray of the same shape.
    periods : sequence of float, default ()
        The periods, in steps, of the kernel's periodic parts (kept as a tuple),
        used to size the circulant embedding (see the module's notes).

    Examples
    --------
    >>> from rnnforecast.synthetic import periodic, rbf, linear
    >>> (periodic(24) + rbf(0.1)) * linear(1)
    (periodic(24) + rbf(0.1)) * linear(1)
    """

    __slots__ = ("name", "periods", "_parts")

    def __init__(self, name, parts, periods=()):
        self.name = name
        self.periods = tuple(periods)
        # power of x x' -> function (lags in steps, length) -> S_j on those lags
        self._parts = parts

    def __repr__(self):
        return self.name

    def stationary_parts(self, lags, length):
        """:math:`S_j` evaluated at ``lags`` (in steps), by power j.

        Parameters
        ----------
        lags : ndarray
            Lags :math:`\\tau` between two steps, in steps.
        length : int
            Steps T in the series; the parts in normalised time read ``lags / T``.

        Returns
        -------
        dict
            The power j of :math:`x x'` (int) to :math:`S_j` at ``lags``, an
            ndarray of the shape of ``lags``.
        """
        return {power: part(lags, length) for power, part in self._parts.items()}

    def __add__(self, other):
        if not isinstance(other, Kernel):
            return NotImplemented
        parts = dict(self._parts)
        for power, part in other._parts.items():
            mine = parts.get(power)
            parts[power] = part if mine is None else (
                lambda lags, n, a=mine, b=part: a(lags, n) + b(lags, n))
        return Kernel(f"{self.name} + {other.name}", parts, self.periods + other.periods)

    def __mul__(self, other):
        if not isinstance(other, Kernel):
            return NotImplemented
        parts = {}
        for i, a in self._parts.items():
            for j, b in other._parts.items():
                term = (lambda lags, n, a=a, b=b: a(lags, n) * b(lags, n))
                mine = parts.get(i + j)
                parts[i + j] = term if mine is None else (
                    lambda lags, n, c=mine, d=term: c(lags, n) + d(lags, n))
        left = f"({self.name})" if " + " in self.name else self.name
        right = f"({other.name})" if " + " in other.name else other.name
        return Kernel(f"{left} * {right}", parts, self.periods + other.periods)


def _stationary(name, function, periods=()):
    return Kernel(name, {0: function}, periods)


def constant():
    """:math:`k = 1`: a random level.

    Returns
    -------
    Kernel
        The kernel ``constant()``.
    """
    return _stationary("constant()", lambda lags, n: np.ones(lags.shape))


def white(level):
    """:math:`k = w\\, [x = x']`: independent noise of variance ``level``.

    Parameters
    ----------
    level : float > 0
        The variance w.

    Returns
    -------
    Kernel
        The kernel ``white(level)``.
    """
    level = check_positive(level, "level")
    return _stationary(f"white({level:g})", lambda lags, n: level * (lags == 0))


def linear(sigma0):
    """:math:`k = \\sigma_0^2 + x x'`: a random line (``sigma0`` its offset's scale).

    Parameters
    ----------
    sigma0 : float >= 0
        The offset's scale :math:`\\sigma_0`: the line's value at :math:`x = 0`
        has variance :math:`\\sigma_0^2`; 0 gives lines through the origin.

    Returns
    -------
    Kernel
        The kernel ``linear(sigma0)``, with parts of powers 0 and 1.
    """
    sigma0 = check_positive(sigma0, "sigma0", allow_zero=True)
    offset = sigma0 ** 2
    return Kernel(f"linear({sigma0:g})",
                  {0: lambda lags, n: np.full(lags.shape, offset),
                   1: lambda lags, n: np.ones(lags.shape)})


def rbf(scale):
    """:math:`k = \\exp(-\\tau^2 / 2 l^2)`, :math:`\\tau` in normalised time.

    Parameters
    ----------
    scale : float > 0
        The length scale l, in normalised time (a share of the series' length).

    Returns
    -------
    Kernel
        The kernel ``rbf(scale)``.
    """
    scale = check_positive(scale, "scale")
    return _stationary(f"rbf({scale:g})",
                       lambda lags, n: np.exp(-0.5 * (lags / n / scale) ** 2))


def rational_quadratic(alpha):
    """:math:`k = (1 + \\tau^2 / 2\\alpha)^{-\\alpha}`: RBFs mixed over length scales.

    Parameters
    ----------
    alpha : float > 0
        The mixture's shape :math:`\\alpha` (:math:`\\tau` in normalised time):
        small values mix widely different length scales; as it grows the kernel
        tends to ``rbf(1)``.

    Returns
    -------
    Kernel
        The kernel ``rational_quadratic(alpha)``.
    """
    alpha = check_positive(alpha, "alpha")
    return _stationary(f"rational_quadratic({alpha:g})",
                       lambda lags, n: (1 + (lags / n) ** 2 / (2 * alpha)) ** -alpha)


def periodic(period):
    """:math:`k = \\exp(-2 \\sin^2(\\pi \\tau / P))`, P in steps: draws repeat every P steps.

    Parameters
    ----------
    period : float > 0
        The period P, in steps.

    Returns
    -------
    Kernel
        The kernel ``periodic(period)``, with ``periods`` ``(period,)``.
    """
    period = check_positive(period, "period")
    return _stationary(f"periodic({period:g})",
                       lambda lags, n: np.exp(-2 * np.sin(np.pi * lags / period) ** 2),
                       periods=(period,))


def _bank(length):
    kernels = [constant(), white(0.1), white(1), linear(0), linear(1), linear(10)]
    kernels += [rbf(s) for s in (0.1, 1, 10)]
    kernels += [rational_quadratic(a) for a in (0.1, 1, 10)]
    kernels += [periodic(p) for p in BANK_PERIODS if p <= length]
    return kernels


def random_kernel(seed=None, *, length=1024, max_kernels=MAX_KERNELS):
    """A random KernelSynth composition: 1 to ``max_kernels`` kernels of the bank
    (periods up to ``length``), joined left to right by ``+`` or ``*``.

    Parameters
    ----------
    seed : int, numpy.random.Generator or None
        Source of the random draws.
    length : int >= 2, default 1024
        Steps of the series to be sampled: only periodic kernels of period up
        to ``length`` are in the bank.
    max_kernels : int >= 1, default 5
        Most kernels joined in one composition; the number is drawn uniformly
        from 1 to ``max_kernels``, the kernels uniformly from the bank (with
        repeats).

    Returns
    -------
    Kernel
        The composition; its ``name`` spells it out.

    Examples
    --------
    >>> from rnnforecast.synthetic import random_kernel
    >>> random_kernel(3, length=100)
    white(1) * linear(1) + rbf(0.1) + linear(1) + periodic(30)
    """
    rng = as_generator(seed)
    max_kernels = check_count(max_kernels, "max_kernels")
    bank = _bank(check_count(length, "length", minimum=2))
    picks = rng.integers(0, len(bank), rng.integers(1, max_kernels + 1))
    kernel = bank[picks[0]]
    for pick in picks[1:]:
        kernel = kernel + bank[pick] if rng.random() < 0.5 else kernel * bank[pick]
    return kernel


def _sample_cholesky(kernel, length, rng):
    x = np.arange(length) / length
    covariance = np.zeros((length, length))
    for power, part in kernel.stationary_parts(np.arange(length), length).items():
        covariance += np.outer(x, x) ** power * toeplitz(part)
    jitter = 1e-8 * max(np.trace(covariance) / length, 1e-12)
    while True:
        try:
            factor = np.linalg.cholesky(covariance + jitter * np.eye(length))
            break
        except np.linalg.LinAlgError:
            jitter *= 100
    return factor @ rng.normal(size=length), 0.0, "cholesky"


def _circulant_size(kernel, length):
    """Size M of the circulant: a multiple of every period of the kernel (the
    periodic parts then wrap exactly) and at least PAD x length (smooth kernels
    need room to decay); None when no such size is cheap (non-integer periods,
    or their least common multiple above MAX_PAD x length)."""
    periods = np.asarray(kernel.periods, dtype=float)
    if not np.all(periods == np.round(periods)):
        return None
    cycle = int(np.lcm.reduce(periods.astype(np.int64))) if periods.size else 1
    if cycle > MAX_PAD * length:
        return None
    return cycle * int(np.ceil(PAD * length / cycle))


def _sample_circulant(kernel, length, rng):
    size = _circulant_size(kernel, length)
    if size is None:
        return _sample_cholesky(kernel, length, rng)
    lags = np.minimum(np.arange(size), size - np.arange(size))  # circular distance
    x = np.arange(length) / length
    values, error = np.zeros(length), 0.0
    for power, row in kernel.stationary_parts(lags, length).items():
        eigenvalues = np.maximum(np.fft.fft(row).real, 0)
        # covariance actually sampled, once the negative eigenvalues are dropped
        sampled = np.fft.ifft(eigenvalues).real[:length]
        error = max(error, np.abs(sampled - row[:length]).max() / max(row[0], 1e-300))
        shocks = rng.normal(size=size) + 1j * rng.normal(size=size)
        # the real part of F (sqrt(lambda / M) (z1 + i z2)) has the circulant covariance
        values += x ** power * np.fft.fft(np.sqrt(eigenvalues / size) * shocks).real[:length]
    return values, float(error), "circulant"


def sample_kernel(kernel, n_series, length, seed=None, *, method="auto"):
    """Draws of a zero-mean Gaussian process with covariance ``kernel``.

    Parameters
    ----------
    kernel : Kernel
        E.g. ``periodic(12) * rbf(1) + white(0.1)``.
    n_series, length : int
        Number of draws (rows) and steps (columns).
    seed : int, numpy.random.Generator or None
        Source of the random draws.
    method : {"auto", "cholesky", "circulant"}
        Exact Cholesky, or the circulant embedding (see the module's notes);
        "auto" takes Cholesky up to 256 steps.

    Returns
    -------
    Component
        ``values`` and ``params`` (``kernel``, ``periods``, ``method`` used,
        ``covariance_error``: 0 for Cholesky, else the largest gap between the
        covariance sampled and the kernel's, relative to the variance).

    Examples
    --------
    >>> import numpy as np
    >>> from rnnforecast.synthetic import sample_kernel, periodic
    >>> draws = sample_kernel(periodic(10), 2, 60, seed=0).values
    >>> bool(np.allclose(draws[:, 10:], draws[:, :-10], atol=1e-3))
    True
    """
    if not isinstance(kernel, Kernel):
        raise TypeError(f"kernel={kernel!r} is a {type(kernel).__name__}; pass a Kernel, "
                        "e.g. rnnforecast.synthetic.rbf(0.1) + periodic(12).")
    return _sample_many([kernel] * check_count(n_series, "n_series"), length, seed, method)


def _sample_many(kernels, length, seed, method):
    length = check_count(length, "length", minimum=2)
    check_choice(method, "method", {"auto", "cholesky", "circulant"})
    rng = as_generator(seed)
    if method == "auto":
        method = "cholesky" if length <= EXACT_MAX_LENGTH else "circulant"
    sampler = _sample_cholesky if method == "cholesky" else _sample_circulant
    values, errors, methods = np.empty((len(kernels), length)), [], []
    with blas_threads(1):  # small factorisations: extra threads only wait on each other
        for i, kernel in enumerate(kernels):
            values[i], error, used = sampler(kernel, length, rng)
            errors.append(error)
            methods.append(used)
    return Component(values, {"kernel": [k.name for k in kernels],
                              "periods": [k.periods for k in kernels],
                              "method": methods, "covariance_error": errors})


def kernel_synth(n_series, length, seed=None, *, max_kernels=MAX_KERNELS, method="auto"):
    """KernelSynth series: each a draw of a Gaussian process whose kernel is a
    fresh :func:`random_kernel` composition.

    Parameters
    ----------
    n_series, length : int
        Number of series (rows) and steps (columns).
    seed : int, numpy.random.Generator or None
        Source of the random draws.
    max_kernels : int >= 1, default 5
        Most kernels joined in one composition.
    method : {"auto", "cholesky", "circulant"}
        See :func:`sample_kernel`.

    Returns
    -------
    Component
        ``values`` and ``params`` (``kernel`` spelled out, ``periods`` of its
        periodic kernels, ``method``, ``covariance_error``; see :func:`sample_kernel`).

    Examples
    --------
    >>> from rnnforecast.synthetic import kernel_synth
    >>> draws = kernel_synth(4, 300, seed=0)
    >>> draws.values.shape, draws.params["method"][0]
    ((4, 300), 'circulant')
    """
    rng = as_generator(seed)
    n_series = check_count(n_series, "n_series")
    length = check_count(length, "length", minimum=2)
    kernels = [random_kernel(rng, length=length, max_kernels=max_kernels)
               for _ in range(n_series)]
    return _sample_many(kernels, length, rng, method)
