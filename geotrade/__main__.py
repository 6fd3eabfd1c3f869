"""``python -m geotrade``: the same as the ``geotrade`` command line."""

import sys

from geotrade.cli import main

if __name__ == "__main__":
    sys.exit(main())
