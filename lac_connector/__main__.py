"""`python -m lac_connector` is the `lac` command."""

import sys

from lac_connector.cli import main

sys.exit(main())
