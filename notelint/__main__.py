"""`python -m notelint` runs the command-line interface."""

import sys

from notelint.cli import main

sys.exit(main())
