"""Pretrain the forecaster on the synthetic corpus, from the command line.

    python -m rnnforecast.pretrained.train --out DIR --minutes 30 --seed 0
    python -m rnnforecast.pretrained.train --out DIR --steps 20000 --seed 0   # same weights again
    python -m rnnforecast.pretrained.train --out DIR --tiny                   # seconds, for CI
    python -m rnnforecast.pretrained.train --out DIR --minutes 5 --second-version  # v2 inputs
    python -m rnnforecast.pretrained.train --out DIR --minutes 5 --first-version  # v1 inputs

Writes ``DIR/model.npz`` (the weights, loaded without pickle),
``DIR/curve.csv`` (the training curve), ``DIR/card.json`` and ``DIR/card.md``
(the model card). ``--minutes`` times a few steps first and fixes the number
of steps from that (the card records it): the run is then reproducible with
``--steps``. By default the model has the third version's inputs (the
in-history skill of each baseline, :mod:`.skill`); ``--second-version``
trains the second version's. BLAS runs on one thread throughout (the
matmuls are small, and the machine is shared).
"""

import argparse
import csv
import platform
import sys
import time
from pathlib import Path

import numpy as np

from .._blas_threads import blas_threads
from .card import git_commit, write_card
from .baselines import BASELINE_NAMES, DEFAULT_BASELINES
from .corpus import (GROUPS, H_MAX, HOLED_MISSING, HOLED_SHARE, PARTIAL_SHARE, SHORT_SHARE,
                     draw_examples)
from .evaluation import zero_shot_scores
from .head import mix, mix_backward
from .history import SECOND_PERIODS
from .model import PretrainedModel
from .model_file import save_model
from .training import TrainConfig, evaluate, heldout_set, l1_loss, prepare, train

TINY = dict(hidden=16, layers=1, chunk=128, eval_per_group=64, eval_every=10, steps=30,
            batch_size=32)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m rnnforecast.pretrained.train",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="folder for model.npz, curve, card")
    budget = parser.add_mutually_exclusive_group()
    budget.add_argument("--minutes", type=float, help="training time budget")
    budget.add_argument("--steps", type=int, help="training steps (batches)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tiny", action="store_true", help="a few-second run for tests")
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--learning-rate", type=float, default=2e-3)
    parser.add_argument("--chunk", type=int, default=2048,
                        help="examples per group drawn fresh for each pass")
    parser.add_argument("--eval-per-group", type=int, default=512)
    parser.add_argument("--eval-every", type=int, default=500)
    parser.add_argument("--no-phase", action="store_true",
                        help="no sin/cos phase channels")
    parser.add_argument("--baseline-seasons", type=int, default=3)
    parser.add_argument("--context-factor", type=float, default=1.0,
                        help="multiply every group's context length")
    parser.add_argument("--baselines", default=",".join(DEFAULT_BASELINES),
                        help="comma-separated candidate baselines the head weights "
                             f"(among {', '.join(BASELINE_NAMES)})")
    parser.add_argument("--no-summary", action="store_true",
                        help="no summary channels of the history window")
    parser.add_argument("--no-second-period", action="store_true",
                        help="no phase channels of the second seasonal period")
    parser.add_argument("--no-floor", action="store_true",
                        help="no floor at 0 for series never below 0")
    parser.add_argument("--context-scale", action="store_true",
                        help="the scale from the context alone (first version), not from "
                             "the whole history window")
    parser.add_argument("--trend-share", type=float, default=0.0,
                        help="share of examples given a trend over their own window "
                             "(rnnforecast.pretrained.corpus.add_window_trends)")
    parser.add_argument("--trend-groups", default=None, metavar="NAMES",
                        help="comma-separated corpus groups that get --trend-share "
                             "(default: all)")
    parser.add_argument("--cycle-share", type=float, default=0.0,
                        help="share of the generated series replaced by quasi-cycles "
                             "(rnnforecast.synthetic.quasi_cycle)")
    parser.add_argument("--no-skill", action="store_true",
                        help="no skill channels of the baselines (the second version)")
    parser.add_argument("--skill-seasons", type=int, default=1,
                        help="least seasons in the span each pseudo-origin of the skill "
                             "channels forecasts")
    parser.add_argument("--second-version", action="store_true",
                        help="the second version's inputs: all but the skill channels")
    parser.add_argument("--first-version", action="store_true",
                        help="the first version's inputs: context only, the seasonal "
                             "baseline, no summary, second period, floor or skill")
    parser.add_argument("--no-shipped", action="store_true",
                        help="skip the zero-shot scores on the shipped series")
    args = parser.parse_args(argv)
    if args.tiny:
        for key, value in TINY.items():
            if key == "steps" and (args.steps or args.minutes):
                continue
            setattr(args, key, value)
    if not (args.steps or args.minutes):
        parser.error("give --minutes or --steps (or --tiny)")
    for flag in ("trend_share", "cycle_share"):
        share = getattr(args, flag)
        if not 0 <= share <= 1:
            name = "--" + flag.replace("_", "-")
            parser.error(f"{name} {share:g} is not a share; give a number in [0, 1], "
                         f"e.g. {name} 0.4")
    if args.first_version or args.second_version:
        args.no_skill = True
    if args.first_version:
        args.baselines, args.no_summary, args.no_second_period, args.no_floor = \
            "seasonal", True, True, True
        args.context_scale = True
    return args


def corpus_groups(args):
    """The corpus groups, contexts scaled by ``--context-factor``, with the
    ``--trend-share`` of ``--trend-groups`` and the ``--cycle-share``; with
    ``--first-version``, history windows of the context only."""
    trended = {g.name for g in GROUPS} if args.trend_groups is None else \
        set(args.trend_groups.split(","))
    unknown = trended - {g.name for g in GROUPS}
    if unknown:
        raise SystemExit(f"--trend-groups: {sorted(unknown)} are not corpus groups; "
                         f"choose among {[g.name for g in GROUPS]}.")
    groups = [g._replace(context=int(round(g.context * args.context_factor)),
                         trend_share=args.trend_share if g.name in trended else 0.0,
                         cycle_share=args.cycle_share)
              for g in GROUPS]
    if args.first_version:
        groups = [g._replace(history=0) for g in groups]
    return groups


def new_model(args):
    groups = corpus_groups(args)
    return PretrainedModel(args.hidden, args.layers, H_MAX, {g.m: g.context for g in groups},
                           phase=not args.no_phase, baseline_seasons=args.baseline_seasons,
                           histories={g.m: g.window for g in groups},
                           second_periods=None if args.no_second_period else SECOND_PERIODS,
                           summary=not args.no_summary,
                           baselines=tuple(args.baselines.split(",")),
                           floor=not args.no_floor, history_scale=not args.context_scale,
                           skill=not args.no_skill, skill_seasons=args.skill_seasons)


def steps_for_minutes(args, config, minutes):
    """Steps that fit in ``minutes``: a throwaway model times 20 steps on
    each group (corpus drawing included), and a share is kept for the
    evaluations."""
    model = new_model(args).initialize(args.seed)
    start = time.perf_counter()
    groups = corpus_groups(args)
    datas = [prepare(draw_examples(g, config.chunk_per_group, [args.seed, 9, k]), model)
             for k, g in enumerate(groups)]
    draw_seconds = time.perf_counter() - start
    start = time.perf_counter()
    n_timed = 0
    for data in datas:
        for _ in range(3):
            idx = np.arange(config.batch_size)
            X, missing, Y, mask, baselines, floor = data.take(idx)
            pred, cache = mix(model.network.forward(X, missing), baselines, floor)
            _, d_pred = l1_loss(pred, Y, mask)
            model.network.backward(mix_backward(d_pred, cache))
            n_timed += 1
    per_step = (time.perf_counter() - start) / n_timed
    per_chunk_steps = len(groups) * config.chunk_per_group // config.batch_size
    per_step += draw_seconds / per_chunk_steps
    start = time.perf_counter()
    evaluate(model.network, datas[:1])
    eval_seconds = (time.perf_counter() - start) * len(groups) * config.eval_per_group / \
        datas[0].X.shape[2]
    budget = minutes * 60 * 0.92  # headroom for the machine's other load
    steps = budget / (per_step * (1 + 1.5 / config.eval_every) + eval_seconds / config.eval_every)
    return max(int(steps), 1), per_step


def main(argv=None):
    """Train and write the model, its curve and its card (one BLAS thread)."""
    with blas_threads(1):
        return _main(argv)


def _main(argv=None):
    args = parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    config = TrainConfig(seed=args.seed, n_steps=args.steps or 1, batch_size=args.batch_size,
                         learning_rate=args.learning_rate, chunk_per_group=args.chunk,
                         eval_per_group=args.eval_per_group, eval_every=args.eval_every)
    if args.minutes:
        steps, per_step = steps_for_minutes(args, config, args.minutes)
        print(f"{per_step * 1000:.1f} ms per step measured: {steps} steps for "
              f"{args.minutes:g} minutes (rerun with --steps {steps} for the same weights)",
              flush=True)
        config = config._replace(n_steps=steps)
    groups = corpus_groups(args)
    model = new_model(args).initialize(args.seed)
    print(f"pretraining a {model.cell.upper()} ({args.layers} x {args.hidden}, "
          f"{model.network.params.size} parameters) for {config.n_steps} steps of "
          f"{config.batch_size} examples, seed {args.seed}", flush=True)
    start = time.perf_counter()
    heldout = heldout_set(config, model, groups)
    deadline = None if args.minutes is None else args.minutes * 60 * 1.25
    curve = train(model, config, groups, log=lambda line: print(line, flush=True),
                  heldout=heldout, deadline=deadline)
    seconds = time.perf_counter() - start
    model.info = {"seed": args.seed, "steps": curve[-1]["step"],
                  "examples_seen": curve[-1]["examples"], "commit": git_commit()}
    save_model(model, out / "model.npz")
    with open(out / "curve.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(curve[0]))
        writer.writeheader()
        writer.writerows(curve)
    final = evaluate(model.network, heldout)
    scores = {"heldout": [{"group": g.name, "model": final[g.name][0],
                           "baseline": final[g.name][1]} for g in groups]}
    scores["heldout"].append({"group": "mean", "model": float(final["all"][0]),
                              "baseline": float(final["all"][1])})
    if not args.no_shipped:
        shipped = zero_shot_scores(model)
        scores["shipped"] = [{"series": name, "model": s["model"],
                              "seasonal_naive": s["seasonal_naive"]}
                             for name, s in shipped.items()]
        for row in scores["shipped"]:
            print(f"zero-shot MASE {row['series']:26s} model {row['model']:.3f}  "
                  f"seasonal naive {row['seasonal_naive']:.3f}", flush=True)
    card = build_card(args, config, groups, model, curve, seconds, scores)
    write_card(card, out)
    print(f"wrote {out / 'model.npz'} ({(out / 'model.npz').stat().st_size / 1e3:.0f} kB), "
          f"curve.csv, card.json, card.md in {seconds:.0f} s", flush=True)
    return 0


def build_card(args, config, groups, model, curve, seconds, scores):
    """The model card's content (see :mod:`.card`)."""
    seen = curve[-1]["examples"]
    chunks = -(-curve[-1]["step"] * config.batch_size // (config.chunk_per_group * len(groups)))
    v2 = model.summary or len(model.baselines) > 1
    unit = "history window's" if model.history_scale else "context's"
    summary = ("A recurrent network pretrained on synthetic series only, forecasting up to "
               f"{model.h_max} steps at once, in units of each {unit} robust scale, as ")
    summary += (f"a weighted mix of candidate baselines ({', '.join(model.baselines)}; the "
                "weights move along the horizon) plus a residual, from the context, the "
                "phase of one or two seasonal periods and a summary of the whole history "
                "window" + (", with the error each baseline would have made from "
                            "pseudo-origins inside it" if model.skill else "") +
                "; floored at 0 for series that never went negative." if v2 else
                "a correction of a robust seasonal baseline (median of the last seasons at "
                "each phase).")
    windows = ", ".join(f"{g.name} {g.window}" for g in groups)
    return {
        "name": "rnnforecast pretrained GRU" + (" (tiny test run)" if args.tiny else ""),
        "summary": summary,
        "model": model.config(),
        "corpus": {
            "description": (
                "rnnforecast.synthetic.generate with its default kind weights (seasonal, "
                "trend, random walk, intermittent, KernelSynth kernel, mixture), events 0.2, "
                "seasonal periods from each group's calendar (the unknown_period group: "
                "every calendar's, the model being told m = 1); "
                f"{HOLED_SHARE:.0%} of the series with {HOLED_MISSING:.0%} missing steps. "
                f"History windows of {windows} steps before the origin; "
                f"{SHORT_SHARE:.0%} of them cut shorter than the context and "
                f"{PARTIAL_SHARE:.0%} to between the context and the window, NaN-padded. "
                "Four origins per generated series of length L + 48 + max(2C, L / 2) (eight "
                "when L > C). "
                + (f"{args.trend_share:.0%} of the examples of "
                   + ("every group" if args.trend_groups is None
                      else "the groups " + args.trend_groups.replace(",", ", "))
                   + " given a trend over their own window "
                   "(rnnforecast.pretrained.corpus.add_window_trends). "
                   if args.trend_share else "")
                + (f"{args.cycle_share:.0%} of the generated series quasi-cycles "
                   "(rnnforecast.synthetic.quasi_cycle). " if args.cycle_share else "")
                + "Fresh series for every pass of "
                f"{config.chunk_per_group} examples per group; held-out examples from "
                "separate streams of the seed. No real series."),
            "groups": [g._asdict() for g in groups],
            "examples_seen": seen,
            "series_generated": int(chunks * config.chunk_per_group * len(groups) / 4),
        },
        "training": {
            "seed": args.seed, "steps_planned": config.n_steps,
            "steps_run": curve[-1]["step"], "batch_size": config.batch_size,
            "loss": "L1 of the head's forecast (baselines, residuals, floor), in scales "
                    "(MASE-like)",
            "optimizer": f"Adam, lr {config.learning_rate:g} cosine-decayed to "
                         f"{config.final_lr_share:g}x, global-norm clip {config.clip_norm:g}",
            "seconds": round(seconds, 1), "commit": git_commit(),
            "command": "python -m rnnforecast.pretrained.train " + " ".join(sys.argv[1:]),
            "machine": f"{platform.machine()}, {platform.python_version()}, numpy "
                       f"{np.__version__}",
        },
        "scores": scores,
        "limits": ("Seasonal periods other than those of the groups (1, 4, 5, 7, 12, 24, 48; "
                   "second periods 261, 365, 168, 336) are untrained; the summary and the "
                   "baselines see at most the history window (256-1,024 steps), the network "
                   "itself only the context (48-144 steps); point forecasts only; not "
                   "symmetric in the sign of the series; the floor at 0 is applied only "
                   "when no value of the history window is negative."),
    }


if __name__ == "__main__":
    sys.exit(main())
