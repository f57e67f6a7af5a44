"""``python -m bcm_desktop``: the same as the ``bcm-desktop`` command."""

import sys

from .app import main

if __name__ == "__main__":
    sys.exit(main())
