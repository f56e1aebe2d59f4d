"""Other parametrisations of the per-series model's linear skip (issue 14): measured, not adopted.

    python benchmarks/bench_linear_skip_variants.py relative accuracy --panel design \\
        --series sunspots_yearly ... --seeds 0 1 2 --methods per-series \\
        --runs-csv benchmarks/results/bench_linear_skip_relative.csv \\
        --anchors-csv benchmarks/results/anchors_design.csv
    python benchmarks/bench_linear_skip_variants.py relative short   # bench_short_series.py

The linear skip (:mod:`rnnforecast.forecasting.linear_skip`) is a ridge regression
on windows in standardised *absolute* units: its penalty shrinks the forecast towards
the series mean, so a series that has left its mean (arctic sea ice, a stock price)
is pulled back towards it. The variants, patched into the forecaster for the run
(the package is not changed):

- ``relative``: the ridge on windows relative to their level (the last value), so
  that the penalty shrinks towards the last value plus the mean change (drift);
- ``loo``: per series, whichever of the two has the lower leave-one-out error (the
  criterion that chooses the penalty);
- ``holdout``: per series, whichever has the lower mean absolute error on the last
  quarter of the training windows, both fitted (penalty by leave-one-out) on the
  windows before them (a gap of the horizon between);
- ``mean``: the mean of the two forecasts;
- ``local`` and ``last level`` (fourteenth session): the absolute ridge's span, the
  window relative to its mean or to its last value with that anchor as one more
  feature, so the penalty shrinks towards the anchor and a mean reversion stays
  learnable.

The second argument runs ``bench_accuracy.py`` (``accuracy``, the arguments after it
are bench_accuracy's) or ``bench_short_series.py`` (``short``: only its per-series
column is computed; the columns ``fallback`` and ``auto`` it prints are copies).
Results and the criterion, written down before the runs, in
``results/bench_linear_skip_variants.md``.
"""

import sys

import numpy as np

from rnnforecast.forecasting import linear_skip, window_training

VARIANTS = ("relative", "loo", "holdout", "mean", "local", "last level")


class RelativeRidge:
    """A ridge fitted on windows relative to their level, read from absolute
    windows as the forecaster passes them (the level is the target channel's
    last step: the window's last observed value)."""

    def __init__(self, ridge, level_column, n_step_features):
        self.ridge, self.level_column = ridge, level_column
        self.n_step_features = n_step_features
        self.alpha_ = ridge.alpha_

    def predict(self, absolute):
        level = absolute[:, self.level_column].copy()
        relative = absolute.copy()
        relative[:, ::self.n_step_features] -= level[:, None]
        z = np.reshape(self.ridge.predict(relative), (len(absolute), -1)) + level[:, None]
        return z[:, 0] if np.ndim(self.ridge.coef_) == 1 else z


class MeanOfTwo:
    """The mean of two linear skips' forecasts."""

    def __init__(self, first, second):
        self.first, self.second = first, second
        self.alpha_ = first.alpha_

    def predict(self, absolute):
        return (self.first.predict(absolute) + self.second.predict(absolute)) / 2


class AnchoredRidge:
    """A ridge on windows relative to an anchor of their own (the mean of
    the target channel, or its last value), with the anchor as one more
    feature: the span of the absolute ridge, its penalty shrinking towards
    the anchor instead of the series mean. Reads absolute windows as the
    forecaster passes them."""

    def __init__(self, ridge, anchor, n_step_features):
        self.ridge, self.anchor, self.n_step_features = ridge, anchor, n_step_features
        self.alpha_ = ridge.alpha_

    def predict(self, absolute):
        rows, level = anchored(absolute, self.anchor, self.n_step_features)
        z = np.reshape(self.ridge.predict(rows), (len(absolute), -1)) + level[:, None]
        return z[:, 0] if np.ndim(self.ridge.coef_) == 1 else z


def anchored(absolute, anchor, n_step_features):
    """``(rows, level)``: the absolute windows with the target channel minus
    its anchor ("local": its mean; "last": its last step), and the anchor
    appended as a column."""
    target = absolute[:, ::n_step_features]
    level = target.mean(axis=1) if anchor == "local" else target[:, -1].copy()
    rows = absolute.copy()
    rows[:, ::n_step_features] -= level[:, None]
    return np.column_stack([rows, level]), level


def _fit_anchored(blocks, n_step_features, anchor):
    def rows():
        for features, z, offset in blocks():
            absolute = linear_skip.standardised_windows(features, offset, n_step_features)
            inputs, level = anchored(absolute, anchor, n_step_features)
            yield inputs, _targets(z + offset[:, None] - level[:, None])

    ridge = linear_skip.BlockRidgeCV(linear_skip.ALPHAS).fit(rows)
    return AnchoredRidge(ridge, anchor, n_step_features)


def _targets(z):
    return z[:, 0] if z.shape[1] == 1 else z


def _relative_rows(blocks):
    def rows():
        for features, z, _ in blocks():
            yield np.nan_to_num(features), _targets(z)
    return rows


def _absolute_rows(blocks, n_step_features):
    def rows():
        for features, z, offset in blocks():
            yield (linear_skip.standardised_windows(features, offset, n_step_features),
                   _targets(z + offset[:, None]))
    return rows


def _fit_relative(blocks, n_step_features):
    level_column = next(iter(blocks()))[0].shape[1] - n_step_features
    ridge = linear_skip.BlockRidgeCV(linear_skip.ALPHAS).fit(_relative_rows(blocks))
    return RelativeRidge(ridge, level_column, n_step_features)


def _smallest_loo_error(rows):
    """The leave-one-out error of the best penalty, as BlockRidgeCV computes it."""
    ridge = linear_skip.BlockRidgeCV(linear_skip.ALPHAS)
    n, shift_x, shift_y, sum_x, sum_y, xx, xy, _ = linear_skip._sums(rows())
    mean_x, mean_y = sum_x / n, sum_y / n
    lam, V = np.linalg.eigh(xx - n * np.outer(mean_x, mean_x))
    cross = xy - n * np.outer(mean_x, mean_y)
    return ridge._loo_errors(rows(), shift_x + mean_x, shift_y + mean_y, n,
                             np.maximum(lam, 0.0), V, V.T @ cross).min()


def _holdout_choice(blocks, n_step_features):
    parts = list(blocks())
    features, z, offset = (np.concatenate([p[i] for p in parts]) for i in range(3))
    test = int(len(features) * 0.75)
    cut = test - z.shape[1]  # windows whose targets end before the first test window
    if cut < 10:
        return linear_skip.fit_linear_skip(blocks, n_step_features)

    def before():
        return iter([(features[:cut], z[:cut], offset[:cut])])

    inputs = linear_skip.standardised_windows(features[test:], offset[test:], n_step_features)
    truth = z[test:] + offset[test:, None]

    def error(model):
        return np.mean(np.abs(np.reshape(model.predict(inputs), truth.shape) - truth))

    relative_wins = (error(_fit_relative(before, n_step_features))
                     < error(linear_skip.fit_linear_skip(before, n_step_features)))
    return (_fit_relative if relative_wins else linear_skip.fit_linear_skip)(
        blocks, n_step_features)


def linear_skip_of(variant):
    """A replacement of ``fit_linear_skip(blocks, n_step_features)``."""
    def fit(blocks, n_step_features):
        if variant == "relative":
            return _fit_relative(blocks, n_step_features)
        if variant in ("local", "last level"):
            return _fit_anchored(blocks, n_step_features, variant.split()[0])
        if variant == "mean":
            return MeanOfTwo(linear_skip.fit_linear_skip(blocks, n_step_features),
                             _fit_relative(blocks, n_step_features))
        if variant == "loo":
            relative_wins = (_smallest_loo_error(_relative_rows(blocks))
                             < _smallest_loo_error(_absolute_rows(blocks, n_step_features)))
            return (_fit_relative if relative_wins else linear_skip.fit_linear_skip)(
                blocks, n_step_features)
        return _holdout_choice(blocks, n_step_features)
    return fit


def main(argv):
    if len(argv) < 2 or argv[0] not in VARIANTS or argv[1] not in ("accuracy", "short"):
        raise SystemExit(__doc__)
    window_training.fit_linear_skip = linear_skip_of(argv[0])
    if argv[1] == "accuracy":
        import bench_accuracy

        bench_accuracy.main(argv[2:])
    else:
        import bench_short_series

        bench_short_series.VARIANTS = {name: {"model": "per_series"}
                                       for name in ("rnn", "fallback", "auto")}
        sys.argv = sys.argv[:1] + argv[2:]
        bench_short_series.main()


if __name__ == "__main__":
    main(sys.argv[1:])
