"""``generate``: a panel of synthetic series, a kind drawn per series, with what
each was made of.

Kinds (defaults weights in :data:`DEFAULT_KINDS`):

- ``"seasonal"``: a trend (none, linear, damped, exponential or piecewise) times
  or plus 1 to 3 drifting seasonal patterns, plus ARMA noise (or, for a share
  ``multiplicative_noise`` of the series, times log-normal noise that grows
  with the level);
- ``"trend"``: a trend plus ARMA noise;
- ``"random_walk"``: a random walk with drift;
- ``"intermittent"``: Croston-like count demand with many zeros;
- ``"kernel"``: a KernelSynth Gaussian-process draw;
- ``"mixture"``: a random convex combination (Dirichlet(1) weights) of 2 or 3
  standardised series of the first four continuous kinds;
- ``"cycle"`` (not among the defaults: ask for it in ``kinds``): an AR(2)
  quasi-cycle, a period that is no calendar's and wanders, half of them
  exponentiated (:func:`~rnnforecast.synthetic.quasi_cycle`; sunspots, lynx).

Continuous series are then hit by events (level shifts and/or outliers) with
probability ``events``, the zero-centred ones (random walk, kernel, mixture, cycle) are
moved above zero half of the time, and each is multiplied by a scale drawn
log-uniformly in [0.1, 10,000] (forecasters should be scale-free). Missing steps,
when asked for, hit every kind.
"""

from typing import NamedTuple

import numpy as np
import pandas as pd

from ._arguments import as_generator, check_count, check_share
from .events import add_missing, add_outliers, level_shifts
from .cycles import quasi_cycle
from .intermittent import intermittent_demand
from .kernels import kernel_synth
from .noise import arma_noise, random_walk
from .seasonality import add_seasonality, calendar_periods, fitting_periods, seasonal_pattern
from .trends import damped_trend, exponential_trend, linear_trend, piecewise_linear_trend

__all__ = ["DEFAULT_KINDS", "KINDS", "SyntheticPanel", "generate"]

DEFAULT_KINDS = {"seasonal": 0.35, "trend": 0.15, "random_walk": 0.1, "intermittent": 0.1,
                 "kernel": 0.2, "mixture": 0.1}
# Every kind generate() knows: the defaults and those drawn only when asked for.
KINDS = (*DEFAULT_KINDS, "cycle")
_TRENDS = {"none": None, "linear": linear_trend, "damped": damped_trend,
           "exponential": exponential_trend, "piecewise": piecewise_linear_trend}
_MIXABLE = ("seasonal", "trend", "random_walk", "kernel")
# Columns every metadata frame has, whatever kinds were drawn.
CORE_COLUMNS = ["kind", "period", "periods", "trend", "seasonality", "noise",
                "level_shifts", "outliers", "missing_share", "scale"]


class SyntheticPanel(NamedTuple):
    """Series from :func:`generate`.

    Parameters
    ----------
    values : ndarray of shape (n_series, length), float64
        One series per row; NaN marks a missing step.
    metadata : pandas.DataFrame
        One row per series: ``kind``, ``period`` (the first seasonal period,
        NaN without one), ``periods``, ``trend``, ``seasonality``
        ("additive"/"multiplicative"), ``noise`` ("arma(p,q)"), the events'
        steps, ``missing_share``, ``scale``, ``offset`` (what was added before
        the scale, to move a series centred on zero above it; 0 for most), and
        each kind's parameters.
    """

    values: np.ndarray
    metadata: pd.DataFrame


def _rows(params, n_series, prefix=""):
    """Per-series dicts from a component's params (a name to one entry per series)."""
    return [{prefix + name: entries[i] for name, entries in params.items()}
            for i in range(n_series)]


def _merge(rows, more):
    for row, extra in zip(rows, more):
        row.update(extra)
    return rows


def _trends(rng, n_series, length, allowed):
    names = rng.choice(allowed, n_series)
    values, rows = np.ones((n_series, length)), [{} for _ in range(n_series)]
    for name in allowed:
        chosen = np.flatnonzero(names == name)
        if name == "none" or not chosen.size:
            continue
        trend = _TRENDS[name](chosen.size, length, rng)
        values[chosen] = trend.values
        for i, row in zip(chosen, _rows(trend.params, chosen.size)):
            rows[i] = row
    return values, _merge(rows, [{"trend": str(name)} for name in names])


def _add_noise(rng, values, rows, multiplicative_noise=0.0):
    noise = arma_noise(len(values), values.shape[1], rng)
    share = np.exp(rng.uniform(np.log(0.01), np.log(0.3), len(values)))
    scaled = share[:, None] * noise.values
    orders = [{"noise": f"arma({len(ar)},{len(ma)})", "noise_share": float(s)}
              for ar, ma, s in zip(noise.params["ar"], noise.params["ma"], share)]
    rows = _merge(_merge(rows, _rows(noise.params, len(values))), orders)
    if not multiplicative_noise:
        return values + scaled, rows  # in units of the starting level 1
    # Noise that grows with the level: log-normal factors on the noiseless
    # series (above 0, see .trends), as the errors of a multiplicative ETS model.
    grows = rng.random(len(values)) < multiplicative_noise
    values = np.where(grows[:, None], values * np.exp(scaled), values + scaled)
    return values, _merge(rows, [{"noise_mode": "multiplicative" if g else "additive"}
                                 for g in grows])


def _seasonal(rng, n_series, length, periods, with_season=True, multiplicative_noise=0.0):
    allowed = list(_TRENDS) if with_season else list(_TRENDS)[1:]
    values, rows = _trends(rng, n_series, length, allowed)
    seasons = rng.integers(1, 4, n_series) if with_season and periods else np.zeros(n_series)
    mode = np.where(rng.random(n_series) < 0.5, "additive", "multiplicative")
    drawn = [[] for _ in range(n_series)]
    for layer in range(int(seasons.max(initial=0))):
        pattern = seasonal_pattern(n_series, length, rng, period=periods)
        strength = rng.uniform(0.05, 0.3, n_series) / np.sqrt(np.maximum(seasons, 1))
        strength *= seasons > layer  # series with fewer seasons skip this layer
        values = np.where((mode == "additive")[:, None],
                          add_seasonality(values, pattern.values, strength, "additive"),
                          add_seasonality(values, pattern.values, strength, "multiplicative"))
        for i in np.flatnonzero(seasons > layer):
            drawn[i].append(pattern.params["period"][i])
    _merge(rows, [{"periods": tuple(p), "seasonality": str(m) if p else None,
                   "period": p[0] if p else np.nan} for p, m in zip(drawn, mode)])
    return _add_noise(rng, values, rows, multiplicative_noise)


def _standardised(values):
    centred = values - values.mean(axis=1, keepdims=True)
    spread = centred.std(axis=1, keepdims=True)
    return centred / np.where(spread > 0, spread, 1.0)


def _mixture(rng, n_series, length, periods, multiplicative_noise=0.0):
    counts = rng.integers(2, 4, n_series)
    weights = rng.dirichlet(np.ones(3), n_series) * (np.arange(3) < counts[:, None])
    weights /= weights.sum(axis=1, keepdims=True)
    values = np.zeros((n_series, length))
    parts = [[] for _ in range(n_series)]
    for slot in range(3):
        used = np.flatnonzero(counts > slot)
        part, part_rows = _of_kinds(rng, rng.choice(_MIXABLE, used.size), length, periods,
                                    multiplicative_noise)
        values[used] += weights[used, slot:slot + 1] * _standardised(part)
        for i, row in zip(used, part_rows):
            parts[i].append(row)
    rows = [{"components": tuple(p["kind"] for p in row),
             "weights": tuple(w[:len(row)].tolist()),
             "periods": tuple(q for p in row for q in p.get("periods", ())),
             "kernel": " | ".join(p["kernel"] for p in row if "kernel" in p) or None}
            for row, w in zip(parts, weights)]
    return values, _merge(rows, [{"period": r["periods"][0] if r["periods"] else np.nan}
                                 for r in rows])


def _one_kind(rng, kind, n_series, length, periods, multiplicative_noise=0.0):
    if kind in ("seasonal", "trend"):
        return _seasonal(rng, n_series, length, periods, with_season=kind == "seasonal",
                         multiplicative_noise=multiplicative_noise)
    if kind == "mixture":
        return _mixture(rng, n_series, length, periods, multiplicative_noise)
    component = {"random_walk": random_walk, "intermittent": intermittent_demand,
                 "kernel": kernel_synth, "cycle": quasi_cycle}[kind](n_series, length, rng)
    values = component.values
    if kind not in ("intermittent", "cycle"):  # a cycle comes standardised (or skewed)
        values = _standardised(values)
    return values, _rows(component.params, n_series)


def _of_kinds(rng, kinds, length, periods, multiplicative_noise=0.0):
    """Series of the given kind each, drawn kind by kind in a fixed order."""
    values, rows = np.empty((len(kinds), length)), [None] * len(kinds)
    for kind in sorted(set(kinds)):
        chosen = np.flatnonzero(kinds == kind)
        part, part_rows = _one_kind(rng, kind, chosen.size, length, periods,
                                    multiplicative_noise)
        values[chosen] = part
        for i, row in zip(chosen, part_rows):
            row.setdefault("periods", ())
            row.setdefault("period", row["periods"][0] if row["periods"] else np.nan)
            rows[i] = {"kind": str(kind), **row}
    return values, rows


def _add_events(rng, values, rows, share):
    hit = rng.random(len(values)) < share
    which = rng.integers(1, 4, len(values))  # 1: shifts, 2: outliers, 3: both
    for i in range(len(values)):
        rows[i].update(level_shifts=(), outliers=())
    shifted = np.flatnonzero(hit & (which != 2))
    if shifted.size:
        shifts = level_shifts(shifted.size, values.shape[1], rng)
        spread = values[shifted].std(axis=1, keepdims=True)
        values[shifted] += shifts.values * spread
        for i, points in zip(shifted, shifts.params["shift_points"]):
            rows[i]["level_shifts"] = points
    spiked = np.flatnonzero(hit & (which != 1))
    if spiked.size:
        spikes = add_outliers(values[spiked], rng, share=0.005)
        values[spiked] = spikes.values
        for i, steps in zip(spiked, spikes.params["outliers"]):
            rows[i]["outliers"] = steps
    return values


def _check_kinds(kinds):
    if kinds is None:
        kinds = DEFAULT_KINDS
    elif isinstance(kinds, str):
        kinds = {kinds: 1.0}
    elif not isinstance(kinds, dict):
        kinds = dict.fromkeys(kinds, 1.0)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise ValueError(f"kinds={kinds!r} names {unknown or 'no kind'}; pass kinds among "
                         f"{list(KINDS)}, as a list or a dict of weights.")
    weights = np.array(list(kinds.values()), dtype=float)
    if not (np.isfinite(weights).all() and (weights >= 0).all() and weights.sum() > 0):
        raise ValueError(f"kinds={kinds!r} has weights that are not >= 0 with a positive sum; "
                         "pass e.g. kinds={'seasonal': 2, 'kernel': 1}.")
    return np.array(list(kinds)), weights / weights.sum()


def generate(n_series, length, seed=None, *, kinds=None, freq=None, periods=None,
             events=0.2, missing=0.0, multiplicative_noise=0.0):
    """A panel of synthetic series, a kind drawn for each.

    Parameters
    ----------
    n_series, length : int
        Number of series (rows) and steps (columns); length >= 16.
    seed : int, numpy.random.Generator or None
        The same seed (and arguments) gives the same panel, bit for bit.
    kinds : dict, sequence or str, default :data:`DEFAULT_KINDS`
        The kinds to draw (see the module's notes): a dict of weights, or a
        list of kinds drawn with equal weights, or one kind.
    freq : str or None
        Frequency whose calendar gives the seasonal periods (``"h"``: 24 and
        168; ``"MS"``: 12; see :func:`calendar_periods`); None: all calendars.
    periods : sequence of float, optional
        Candidate seasonal periods, instead of those of ``freq``. Only periods
        that fit twice in ``length`` are used; with none, no series is seasonal.
    events : float in [0, 1], default 0.2
        Share of continuous series given level shifts, outliers or both.
    missing : float in [0, 0.9), default 0
        Expected share of missing (NaN) steps per series, single or in runs of
        mean 4 steps (half the series each).
    multiplicative_noise : float in [0, 1], default 0
        Share of the ``seasonal`` and ``trend`` series (also as parts of a
        mixture) whose noise grows with their level, as in sales and
        passenger counts: the noiseless series times ``exp(s * e_t)``, ``e_t``
        the ARMA noise and ``s`` its share, instead of plus ``s * e_t`` in
        units of the starting level. With a share above 0 the metadata of
        those series (not of a mixture) says which in ``noise_mode``
        ("additive" or "multiplicative"); at 0 the panel is that of earlier
        versions, bit for bit.

    Returns
    -------
    SyntheticPanel
        ``values`` (n_series, length) and ``metadata``, one row per series.

    Examples
    --------
    >>> from rnnforecast.synthetic import generate
    >>> panel = generate(6, 96, seed=0, freq="h", kinds={"seasonal": 1, "kernel": 1})
    >>> panel.values.shape, sorted(set(panel.metadata["kind"]))
    ((6, 96), ['kernel', 'seasonal'])
    >>> panel.metadata.loc[panel.metadata["kind"] == "seasonal", "period"].tolist()
    [24.0, 24.0, 24.0]
    """
    n_series = check_count(n_series, "n_series")
    length = check_count(length, "length", minimum=16)
    names, weights = _check_kinds(kinds)
    events = check_share(events, "events", upper=1.0 + 1e-12)
    missing = check_share(missing, "missing", upper=0.9)
    multiplicative_noise = check_share(multiplicative_noise, "multiplicative_noise",
                                       upper=1.0 + 1e-12)
    candidates = fitting_periods(calendar_periods(freq) if periods is None else periods, length)
    rng = as_generator(seed)
    kind_of = rng.choice(names, n_series, p=weights)
    values, rows = _of_kinds(rng, kind_of, length, candidates, multiplicative_noise)
    continuous = kind_of != "intermittent"
    centred = (np.isin(kind_of, ["random_walk", "kernel", "mixture", "cycle"])
               & (rng.random(n_series) < 0.5))
    offset = np.where(centred, -values.min(axis=1) + rng.uniform(0.5, 3, n_series), 0.0)
    scale = np.where(continuous, np.exp(rng.uniform(np.log(0.1), np.log(1e4), n_series)), 1.0)
    values = (values + offset[:, None]) * scale[:, None]
    values[continuous] = _add_events(rng, values[continuous],
                                     [row for row, c in zip(rows, continuous) if c], events)
    for i, row in enumerate(rows):
        row.update(scale=float(scale[i]), offset=float(offset[i]), missing_share=0.0)
        row.setdefault("level_shifts", ())
        row.setdefault("outliers", ())
    if missing:
        in_runs = rng.random(n_series) < 0.5
        for mask, run in ((~in_runs, 1.0), (in_runs, 4.0)):
            holed = add_missing(values[mask], rng, share=missing, mean_run=run)
            values[mask] = holed.values
            for i, share in zip(np.flatnonzero(mask), holed.params["missing_share"]):
                rows[i]["missing_share"] = share
    extras = sorted({key for row in rows for key in row} - set(CORE_COLUMNS))
    return SyntheticPanel(values, pd.DataFrame(rows, columns=CORE_COLUMNS + extras))
