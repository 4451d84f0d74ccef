"""The `lac` command: `lac run`, `lac demo`, `lac transform`, `lac sandbox`."""

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Any

import dlt

from lac_source import build_session, settings
from lac_source.errors import (
    LacApiError,
    LacAuthError,
    LacConfigError,
    LacError,
    LacNotFoundError,
    root_cause,
)
from lac_source.session import LacSession
from pipelines.lac_pipeline import RunOptions, RunSummary, run_sync

logger = logging.getLogger("lac")

EXIT_FAILED = 1
EXIT_CONFIG = 2


def _configure_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("lac: %(message)s"))
    logger.handlers[:] = [handler]
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False
    logging.getLogger("httpx").setLevel(logging.WARNING)


def _add_run_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--destination", default=None, help="dlt destination name (default: duckdb)")
    parser.add_argument(
        "--dataset-name", default=None, help="dataset/schema to load into (default: lac_dataset)"
    )
    parser.add_argument("--pipeline-name", default=None, help="dlt pipeline name (default: lac)")
    parser.add_argument("--resources", default=None, help="comma-separated tables to sync (default: all)")
    parser.add_argument("--start-period", default=None, help="first month to sync, YYYY-MM")
    parser.add_argument(
        "--end-period", default=None, help="last month to sync, YYYY-MM (default: this month)"
    )
    parser.add_argument(
        "--full-refresh", action="store_true", help="re-sync every month, ignoring fingerprints"
    )
    parser.add_argument("--no-transforms", action="store_true", help="skip the SQL transforms after loading")
    _add_tolerance_flag(parser)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")


def _add_tolerance_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--reconcile-tolerance-cents",
        type=int,
        default=None,
        help="largest difference per reconciliation check that does not fail the run "
        "(default: [transforms] reconcile_tolerance_cents or 0)",
    )


def _options_from_args(args: argparse.Namespace) -> RunOptions:
    source_settings: dict[str, Any] = {}
    for name in ("start_period", "end_period"):
        if getattr(args, name):
            source_settings[name] = getattr(args, name)
    if args.full_refresh:
        source_settings["full_refresh"] = True
    return RunOptions(
        pipeline_name=args.pipeline_name or dlt.config.get("pipeline_name") or "lac",
        destination=args.destination or dlt.config.get("destination_name") or "duckdb",
        dataset_name=args.dataset_name or dlt.config.get("dataset_name") or "lac_dataset",
        resources=[r.strip() for r in args.resources.split(",") if r.strip()] if args.resources else None,
        transforms=not args.no_transforms,
        reconcile_tolerance_cents=args.reconcile_tolerance_cents,
        source_settings=source_settings,
    )


def _session_from_config() -> Any:
    return build_session(
        api_key=dlt.secrets.get("sources.lac.api_key"),
        access_token=dlt.secrets.get("sources.lac.access_token"),
        base_url=dlt.config.get("sources.lac.base_url") or settings.DEFAULT_BASE_URL,
        customer_ids=dlt.config.get("sources.lac.customer_ids"),
        max_attempts=int(dlt.config.get("sources.lac.max_attempts") or settings.MAX_ATTEMPTS),
    )


def preflight(session: LacSession) -> None:
    """Reach the API once before anything is written: bad URLs and credentials fail here."""
    base_url = session.client.base_url
    try:
        session.customer_ids  # noqa: B018 - the request is the point
    except LacNotFoundError as exc:
        raise LacConfigError(
            f"{base_url} does not serve the LAC API ({exc}): check [sources.lac] base_url ends with /portal"
        ) from exc
    except LacApiError as exc:
        if exc.status is not None:
            raise
        raise LacConfigError(
            f"could not reach the LAC API at {base_url} ({exc.__cause__ or exc}): "
            "check [sources.lac] base_url"
        ) from exc


def print_summary(summary: RunSummary) -> None:
    loaded = {t: n for t, n in sorted(summary.row_counts.items()) if n}
    total_requests = sum(summary.requests.values())
    print(
        f"\nSynced in {summary.seconds:.1f} s with {total_requests} API requests"
        + (" (finished an interrupted run first)" if summary.resumed_pending else "")
    )
    print(f"{'table':<28} rows stored this run")
    for table, rows in loaded.items():
        print(f"  {table:<26} {rows:>10,}")
    client = summary.pipeline.destination.destination_name
    print(f"\nDataset {summary.pipeline.dataset_name!r} in {client}.")


def cmd_run(args: argparse.Namespace) -> int:
    options = _options_from_args(args)
    session = _session_from_config()
    preflight(session)
    summary = run_sync(session, options)
    print_summary(summary)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from pipelines.demo import run_demo

    return run_demo(args)


def cmd_sandbox(argv: Sequence[str]) -> int:
    from lac_sandbox.cli import main as sandbox_main

    return sandbox_main(list(argv))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lac", description="Sync The Last Accounting Company's books into SQL."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="sync LAC into the configured destination")
    _add_run_flags(run)
    demo = commands.add_parser("demo", help="start the sandbox, sync it into DuckDB and show what loaded")
    demo.add_argument(
        "--duckdb", default="lac_demo.duckdb", help="DuckDB file to create (default: lac_demo.duckdb)"
    )
    demo.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    commands.add_parser(
        "sandbox", help="serve the local LAC API simulator (lac sandbox --help)", add_help=False
    )
    transform = commands.add_parser("transform", help="run the SQL transforms on an already loaded dataset")
    transform.add_argument("--destination", default=None)
    transform.add_argument("--dataset-name", default=None)
    transform.add_argument("--pipeline-name", default=None)
    _add_tolerance_flag(transform)
    transform.add_argument("-v", "--verbose", action="store_true")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sandbox"]:
        return cmd_sandbox(argv[1:])
    args = build_parser().parse_args(argv)
    _configure_logging(getattr(args, "verbose", False))
    try:
        if args.command == "run":
            return cmd_run(args)
        if args.command == "demo":
            return cmd_demo(args)
        if args.command == "transform":
            from transforms.runner import transform_command

            return transform_command(args)
    except KeyboardInterrupt:
        print("lac: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # one line for the user; the traceback only with --verbose
        cause = root_cause(exc)
        if getattr(args, "verbose", False):
            logger.exception("failed")
        print(
            f"lac: error: {cause}"
            if isinstance(cause, LacError)
            else f"lac: error: {type(cause).__name__}: {cause}",
            file=sys.stderr,
        )
        return EXIT_CONFIG if isinstance(cause, LacConfigError | LacAuthError) else EXIT_FAILED
    return 0


if __name__ == "__main__":
    sys.exit(main())
