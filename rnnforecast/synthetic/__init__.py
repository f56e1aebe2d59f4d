"""Synthetic time series: a seeded generator of trends, seasons, noise, events,
intermittent demand, quasi-cycles and Gaussian-process (KernelSynth) draws.

Every function is a pure function of its arguments and a seed (an int or a
``numpy.random.Generator``): the same seed gives the same series, bit for bit.
Component functions return a :class:`Component` (``values`` of shape
(n_series, length) and ``params``, what each series was made of);
:func:`generate` draws a kind per series and returns a :class:`SyntheticPanel`
with a metadata frame; :func:`to_series` and :func:`to_long_frame` give the
pandas layouts :class:`~rnnforecast.RNNForecaster` reads.

Examples
--------
>>> from rnnforecast.synthetic import generate, to_long_frame
>>> panel = generate(100, 200, seed=0, freq="D")
>>> frame = to_long_frame(panel.values, freq="D")
>>> frame.shape, panel.metadata["kind"].value_counts().index[0]
((20000, 3), 'seasonal')
"""

from ._arguments import Component
from .events import add_missing, add_outliers, level_shifts
from .cycles import quasi_cycle
from .frames import to_long_frame, to_series
from .generator import DEFAULT_KINDS, KINDS, SyntheticPanel, generate
from .intermittent import intermittent_demand
from .kernels import (Kernel, constant, kernel_synth, linear, periodic, random_kernel,
                      rational_quadratic, rbf, sample_kernel, white)
from .noise import arma_autocorrelation, arma_noise, partial_to_coefficients, random_walk
from .seasonality import (CALENDAR_PERIODS, add_seasonality, calendar_periods,
                          fitting_periods, seasonal_pattern)
from .trends import damped_trend, exponential_trend, linear_trend, piecewise_linear_trend

__all__ = [
    "generate", "SyntheticPanel", "DEFAULT_KINDS", "KINDS", "Component",
    "to_series", "to_long_frame",
    "linear_trend", "damped_trend", "exponential_trend", "piecewise_linear_trend",
    "seasonal_pattern", "add_seasonality", "calendar_periods", "fitting_periods",
    "CALENDAR_PERIODS",
    "arma_noise", "arma_autocorrelation", "partial_to_coefficients", "random_walk",
    "quasi_cycle",
    "level_shifts", "add_outliers", "add_missing",
    "intermittent_demand",
    "Kernel", "constant", "white", "linear", "rbf", "rational_quadratic", "periodic",
    "random_kernel", "sample_kernel", "kernel_synth",
]
