"""The command's messages: a CLIError is printed as one line; how messages quote the file."""

import pandas as pd

__all__ = ["LINES", "SHOWN", "CLIError", "count", "quote", "when"]

SHOWN = 3  # offending rows quoted in an error message
LINES = "line numbers count the header as line 1"


class CLIError(Exception):
    """A problem with the user's file or arguments, reported without a traceback."""


def quote(texts, lines, positions):
    """``line 5 'abc', line 9 'x' (and 3 more)`` for the rows at ``positions``."""
    shown = ", ".join(f"line {lines[p]} {texts[p]!r}" for p in positions[:SHOWN])
    more = len(positions) - SHOWN
    return shown + (f" (and {more} more)" if more > 0 else "")


def count(n, thing):
    """``1 row``, ``3 rows``."""
    return f"{n} {thing}" + ("s" if n != 1 else "")


def when(timestamp, index=None):
    """A timestamp as the user wrote it: without `` 00:00:00`` at midnight
    (with ``index``: when no timestamp of ``index`` has a time of day)."""
    if index is None:
        plain = timestamp == timestamp.normalize()
    else:
        plain = isinstance(index, pd.DatetimeIndex) and (index.normalize() == index).all()
    return str(timestamp.date()) if plain else str(timestamp)
