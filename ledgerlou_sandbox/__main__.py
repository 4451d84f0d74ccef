"""`python -m ledgerlou_sandbox`."""

import sys

from .cli import main

sys.exit(main())
