"""Run the CLI as `python -m normarena`."""

import sys

from normarena.cli import main

sys.exit(main())
