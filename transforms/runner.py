"""Runs the SQL transforms after a load (issue 6: not yet implemented)."""

import argparse
from typing import Any


def run_transforms(pipeline: Any) -> None:
    """Nothing to run yet."""


def transform_command(args: argparse.Namespace) -> int:
    return 0
