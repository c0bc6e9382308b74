"""`python -m notelint` runs the command-line interface."""

from notelint.cli import run

run()
