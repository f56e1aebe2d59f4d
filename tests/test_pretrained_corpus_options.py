"""Options of the pretraining corpus: trends drawn over each example's own window
(corpus.add_window_trends) and quasi-cycles among its series (Group.cycle_share)."""

import numpy as np
import pytest

from rnnforecast.pretrained.corpus import (GROUPS, H_MAX, TREND_BETA, _trend_time,
                                           add_window_trends, draw_examples)

L = 60


def _noise_windows(n, seed, level=10.0):
    rng = np.random.default_rng(seed)
    return level + rng.standard_normal((n, L + H_MAX))


def test_no_share_changes_nothing_and_draws_alike():
    windows = _noise_windows(50, 0)
    out = add_window_trends(windows.copy(), np.full(50, L), 4, 0.0, np.random.default_rng(1))
    np.testing.assert_array_equal(out, windows)


def test_the_share_of_trended_examples_is_about_the_share_asked():
    windows = _noise_windows(2000, 1, level=-10.0)  # below 0: every trend is additive
    out = add_window_trends(windows.copy(), np.full(2000, L), 1, 0.4, np.random.default_rng(2))
    changed = np.any(out != windows, axis=1).mean()
    assert 0.36 < changed < 0.44


def test_an_additive_trend_is_a_line_up_to_the_origin_in_units_of_the_seasonal_noise():
    m, n = 4, 400
    windows = _noise_windows(n, 3, level=-10.0)
    out = add_window_trends(windows.copy(), np.full(n, L), m, 1.0, np.random.default_rng(4))
    added = out - windows
    steps = np.diff(added[:, :L], axis=1)
    # constant steps before the origin: a straight line
    np.testing.assert_allclose(steps, steps[:, :1] * np.ones_like(steps), atol=1e-12)
    seasonal_noise = np.mean(np.abs(windows[:, m:L] - windows[:, :L - m]), axis=1)
    beta = steps[:, 0] * m / seasonal_noise
    assert np.all((np.abs(beta) >= TREND_BETA[0] - 1e-9) & (np.abs(beta) <= TREND_BETA[1] + 1e-9))
    assert 0.3 < np.mean(beta > 0) < 0.7  # both signs


def test_the_trend_starts_at_the_first_kept_value():
    n = 200
    kept = np.random.default_rng(5).integers(10, L, n)
    windows = _noise_windows(n, 6, level=-10.0)
    out = add_window_trends(windows.copy(), kept, 1, 1.0, np.random.default_rng(7))
    first = L - kept
    np.testing.assert_allclose(out[np.arange(n), first], windows[np.arange(n), first])


def test_positive_series_may_grow_exponentially_and_keep_their_sign():
    n = 400
    windows = _noise_windows(n, 8, level=10.0)
    out = add_window_trends(windows.copy(), np.full(n, L), 1, 1.0, np.random.default_rng(9))
    ratio = out / windows
    log_ratio = np.log(ratio)
    exponential = np.all(np.abs(np.diff(log_ratio[:, :L], 2, axis=1)) < 1e-9, axis=1) & \
        np.all(np.abs(np.diff(ratio[:, :L], axis=1)) > 1e-12, axis=1)
    assert 0.15 < exponential.mean() < 0.35
    assert np.all(out > 0)


@pytest.mark.parametrize("a", [0.01, 3.0, 1e4])
def test_trends_are_scale_free(a):
    windows = _noise_windows(300, 10, level=5.0)
    kept = np.random.default_rng(11).integers(12, L + 1, 300)
    once = add_window_trends(windows.copy(), kept, 4, 0.5, np.random.default_rng(12))
    scaled = add_window_trends(a * windows, kept, 4, 0.5, np.random.default_rng(12))
    np.testing.assert_allclose(scaled, a * once, rtol=1e-10)


def test_constant_mostly_zero_and_empty_windows_are_left_alone():
    n = 30
    windows = np.full((n, L + H_MAX), 3.0)
    counts = np.zeros((n, L + H_MAX))
    counts[:, ::5] = 2.0  # 80% zeros, count-like demand
    empty = np.full((n, L + H_MAX), np.nan)
    for block in (windows, counts, empty):
        out = add_window_trends(block.copy(), np.full(n, L), 1, 1.0, np.random.default_rng(0))
        np.testing.assert_array_equal(out, block)


def test_missing_values_stay_missing_and_no_new_ones_appear():
    windows = _noise_windows(100, 13, level=10.0)
    windows[:, ::7] = np.nan
    out = add_window_trends(windows.copy(), np.full(100, L), 4, 1.0, np.random.default_rng(1))
    np.testing.assert_array_equal(np.isnan(out), np.isnan(windows))


def test_trend_time_runs_on_past_the_origin_or_dies_out():
    kept = np.array([20, 20])
    tau = _trend_time(kept, L, np.array([1.0, 0.5]))
    origin = L  # first future step
    np.testing.assert_allclose(tau[0, L - 20:], np.arange(20 + H_MAX))
    np.testing.assert_allclose(tau[1, L - 20:origin], np.arange(20))
    # damped: increments 0.5, 0.25, ... after the last kept value
    np.testing.assert_allclose(np.diff(tau[1, origin - 1:origin + 4]),
                               [0.5, 0.25, 0.125, 0.0625])
    assert np.isfinite(tau).all()


def test_a_group_with_a_trend_share_draws_trended_examples_reproducibly():
    group = GROUPS[0]._replace(trend_share=0.5)
    first = draw_examples(group, 64, [3, 1])
    again = draw_examples(group, 64, [3, 1])
    plain = draw_examples(GROUPS[0], 64, [3, 1])
    np.testing.assert_array_equal(first.contexts, again.contexts)
    np.testing.assert_array_equal(first.futures, again.futures)
    assert np.any(~np.isclose(first.futures, plain.futures, equal_nan=True))
    np.testing.assert_array_equal(np.isnan(first.contexts), np.isnan(plain.contexts))


def test_the_training_command_gives_the_trend_share_to_the_groups_asked():
    from rnnforecast.pretrained.train import corpus_groups, parse_args

    groups = corpus_groups(parse_args(["--out", "x", "--tiny", "--trend-share", "0.3",
                                       "--trend-groups", "yearly,monthly"]))
    shares = {g.name: g.trend_share for g in groups}
    assert shares["yearly"] == shares["monthly"] == 0.3
    assert all(v == 0.0 for k, v in shares.items() if k not in ("yearly", "monthly"))
    every = corpus_groups(parse_args(["--out", "x", "--tiny", "--trend-share", "0.3"]))
    assert all(g.trend_share == 0.3 for g in every)
    assert all(g.trend_share == 0.0 for g in corpus_groups(parse_args(["--out", "x", "--tiny"])))
    with pytest.raises(SystemExit, match="'weekly'.*not corpus groups"):
        corpus_groups(parse_args(["--out", "x", "--tiny", "--trend-groups", "yearly,weekly"]))


@pytest.mark.parametrize("flag", ["--trend-share", "--cycle-share"])
@pytest.mark.parametrize("share", ["-0.1", "1.5"])
def test_the_training_command_refuses_a_share_outside_0_1(flag, share, capsys):
    from rnnforecast.pretrained.train import parse_args

    with pytest.raises(SystemExit):
        parse_args(["--out", "x", "--tiny", flag, share])
    assert f"{flag} {float(share):g} is not a share" in capsys.readouterr().err


def test_a_group_with_a_cycle_share_replaces_some_series_by_quasi_cycles():
    from rnnforecast.pretrained.corpus import _series

    group = GROUPS[3]  # monthly
    plain = _series(group, 400, 300, np.random.default_rng(4))
    cycled = _series(group._replace(cycle_share=0.5), 400, 300, np.random.default_rng(4))
    replaced = ~np.all(np.isclose(cycled, plain, equal_nan=True), axis=1)
    assert 0.4 < replaced.mean() < 0.6  # about half the series, whichever
    again = draw_examples(group._replace(cycle_share=0.5), 64, [4, 2])
    np.testing.assert_array_equal(draw_examples(group._replace(cycle_share=0.5), 64,
                                                [4, 2]).futures, again.futures)


def test_the_training_command_gives_the_cycle_share_to_every_group():
    from rnnforecast.pretrained.train import corpus_groups, parse_args

    groups = corpus_groups(parse_args(["--out", "x", "--tiny", "--cycle-share", "0.15"]))
    assert all(g.cycle_share == 0.15 for g in groups)
