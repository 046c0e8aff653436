"""`normarena serve` with any settings, for tests that need a server in a process of its own
(to kill it, or to measure its memory): `python -m tests.reliability.serve_process '<json>'`,
the JSON being `Settings` fields. The CLI's flags cover only some of them."""

from __future__ import annotations

import json
import sys

from server.run import serve
from server.settings import Settings

if __name__ == "__main__":
    sys.exit(serve(Settings(**json.loads(sys.argv[1]))))
