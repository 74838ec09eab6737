"""``python -m ae_coach``: the same as the ``ae-coach`` command."""

import sys

from ae_coach.cli import console

if __name__ == "__main__":
    sys.exit(console())
