"""The model card: what a pretrained model was trained on, how, and how well,
as JSON (for programs) and Markdown (for people)."""

import json
import subprocess
from pathlib import Path

__all__ = ["git_commit", "write_card", "render_markdown"]


def _git(args, cwd):
    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                             timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def git_commit(path=None):
    """``git rev-parse HEAD`` of the checkout holding ``path``, with
    "+uncommitted changes" when ``git status`` lists any (both read-only),
    or "unknown" outside a git checkout."""
    cwd = Path(path or __file__).resolve().parent
    commit = _git(["rev-parse", "HEAD"], cwd)
    if not commit:
        return "unknown"
    dirty = _git(["status", "--porcelain", "--untracked-files=no"], cwd)
    return commit + ("+uncommitted changes" if dirty else "")


def _table(rows, columns):
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(
            f"{row[c]:.3f}" if isinstance(row[c], float) else str(row[c]) for c in columns) + " |")
    return "\n".join(lines)


def render_markdown(card):
    """The card as a Markdown page."""
    parts = [f"# Model card: {card['name']}", "", card["summary"], "",
             "## Model", "", "```json", json.dumps(card["model"], indent=2), "```", "",
             "## Corpus", "", card["corpus"]["description"], "",
             _table(card["corpus"]["groups"], [c for c in ("name", "freq", "m", "context", "m2",
                                                           "history")
                                               if c in card["corpus"]["groups"][0]]), "",
             "## Training", "", "```json", json.dumps(card["training"], indent=2), "```", ""]
    heldout = card["scores"].get("heldout")
    if heldout:
        parts += ["## Held-out synthetic loss (mean absolute error in scales, 48 steps)", "",
                  _table(heldout, ["group", "model", "baseline"]), ""]
    shipped = card["scores"].get("shipped")
    if shipped:
        parts += ["## Zero-shot MASE on the shipped series (two origins)", "",
                  _table(shipped, list(shipped[0])), ""]
    dev = card["scores"].get("dev_panel")
    if dev:
        parts += ["## Dev panel, geometric-mean MASE (evaluation only)", "",
                  _table(dev, list(dev[0])), ""]
    if card["scores"].get("note"):
        parts += [card["scores"]["note"], ""]
    parts += ["## Limits", "", card["limits"], ""]
    return "\n".join(parts)


def write_card(card, folder):
    """Write ``card.json`` and ``card.md`` into ``folder``."""
    folder = Path(folder)
    (folder / "card.json").write_text(json.dumps(card, indent=2, sort_keys=False) + "\n")
    (folder / "card.md").write_text(render_markdown(card))
