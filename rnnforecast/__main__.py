"""``python -m rnnforecast`` runs the ``rnnforecast`` command line."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
