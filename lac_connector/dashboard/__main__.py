"""`python -m lac_connector.dashboard --duckdb FILE [--dataset lac]` (or `--postgres`), for development.

`--postgres` reads the connection URL from DESTINATION__POSTGRES__CREDENTIALS, as `lac run` does,
so no password is typed on a command line.
"""

import argparse
import os
import sys

from lac_connector.dashboard.launcher import launch


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lac_connector.dashboard", description=__doc__.splitlines()[0]
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--duckdb", metavar="FILE", help="DuckDB warehouse file")
    where.add_argument(
        "--postgres", action="store_true", help="PostgreSQL at $DESTINATION__POSTGRES__CREDENTIALS"
    )
    parser.add_argument(
        "--dataset", default="lac_dataset", help="dataset (schema) name (default: lac_dataset)"
    )
    parser.add_argument("--port", type=int, default=None, help="port to serve on (default: Streamlit's 8501)")
    args = parser.parse_args(argv)
    if args.postgres:
        return launch(
            "postgres", os.environ.get("DESTINATION__POSTGRES__CREDENTIALS", ""), args.dataset, args.port
        )
    return launch("duckdb", args.duckdb, args.dataset, args.port)


if __name__ == "__main__":
    sys.exit(main())
