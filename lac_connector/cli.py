"""The `lac` command: `lac run`, `lac transform`, `lac demo`, `lac sandbox`.

Exit codes: 0 ok (warnings printed), 1 the sync (or the transforms' build) failed, 2 configuration,
3 loaded but a reconciliation check (or another data test) at severity `error` failed.
"""

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import dlt

from lac_connector.kit.errors import AuthError, ConfigError, ConnectorError, root_cause
from lac_connector.pipeline.config import resolve_pipeline_config
from lac_connector.pipeline.run_record import mark_run_status
from lac_connector.pipeline.runner import RunOptions, open_pipeline, run_sync
from lac_connector.pipeline.summary import print_summary
from lac_connector.sources import SOURCES, source_opener
from lac_connector.transform.errors import ReconciliationError

logger = logging.getLogger("lac")

EXIT_FAILED = 1
EXIT_CONFIG = 2
EXIT_RECONCILIATION = 3


def _configure_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("lac: %(message)s"))
    logger.handlers[:] = [handler]
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False
    logging.getLogger("httpx").setLevel(logging.WARNING)


def _add_pipeline_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--destination", default=None, help="dlt destination name (default: duckdb)")
    parser.add_argument(
        "--dataset-name", default=None, help="dataset/schema to load into (default: lac_dataset)"
    )
    parser.add_argument("--pipeline-name", default=None, help="dlt pipeline name (default: lac)")


def _add_run_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", default="lac", choices=sorted(SOURCES), help="API to sync (default: lac)")
    _add_pipeline_flags(parser)
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


def _run_options(args: argparse.Namespace) -> RunOptions:
    config = resolve_pipeline_config(
        {
            "pipeline_name": args.pipeline_name,
            "destination_name": args.destination,
            "dataset_name": args.dataset_name,
        }
    )
    resources = getattr(args, "resources", None)
    return RunOptions(
        pipeline_name=config.pipeline_name,
        destination=config.destination_name,
        dataset_name=config.dataset_name,
        resources=[r.strip() for r in resources.split(",") if r.strip()] if resources else None,
    )


def _source_overrides(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "start_period": args.start_period,
        "end_period": args.end_period,
        "full_refresh": True if args.full_refresh else None,
    }


def cmd_run(args: argparse.Namespace) -> int:
    options = _run_options(args)
    if not args.no_transforms:  # a bad [transforms] setting fails before anything is written
        from lac_connector.transform.settings import resolve_transform_settings

        resolve_transform_settings(tolerance_cents=args.reconcile_tolerance_cents)
    run = source_opener(args.source)(_source_overrides(args))
    try:
        run.preflight()
        summary = run_sync(run, options)
    finally:
        run.close()
    print_summary(summary)
    if not args.no_transforms:
        from lac_connector.transform import run_transforms

        try:
            run_transforms(summary.pipeline, tolerance_cents=args.reconcile_tolerance_cents)
        except Exception as exc:  # the load stands; sync_runs says what happened after it
            status = "reconciliation_failed" if isinstance(exc, ReconciliationError) else "transform_failed"
            mark_run_status(summary.pipeline, summary.run_id, status, str(exc))
            raise
    return 0


def cmd_transform(args: argparse.Namespace) -> int:
    """`lac transform`: build the transforms of an already loaded dataset and reconcile."""
    from lac_connector.transform import run_transforms

    options = _run_options(args)
    if args.destination or args.dataset_name:
        pipeline = open_pipeline(options)
    else:
        try:
            pipeline = dlt.attach(pipeline_name=options.pipeline_name)
        except Exception as exc:  # dlt raises CannotRestorePipelineException & co.
            raise ConfigError(
                f"no local pipeline {options.pipeline_name!r} to attach to: run `lac run` first, "
                "or pass --destination and --dataset-name"
            ) from exc
    if not pipeline.default_schema_name:
        pipeline.sync_destination()
    if not pipeline.default_schema_name:
        raise ConfigError(f"pipeline {options.pipeline_name!r} has loaded nothing yet: run `lac run` first")
    run_transforms(pipeline, tolerance_cents=args.reconcile_tolerance_cents, docs_dir=args.docs)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from lac_connector.demo import run_demo

    return run_demo(args)


def cmd_sandbox(argv: Sequence[str]) -> int:
    from lac_sandbox.cli import main as sandbox_main

    return sandbox_main(list(argv))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lac", description="Sync The Last Accounting Company's books into SQL."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="sync an API into the configured destination")
    _add_run_flags(run)
    demo = commands.add_parser("demo", help="start the sandbox, sync it into DuckDB and show what loaded")
    demo.add_argument(
        "--duckdb", default="lac_demo.duckdb", help="DuckDB file to create (default: lac_demo.duckdb)"
    )
    demo.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    commands.add_parser(
        "sandbox", help="serve the local LAC API simulator (lac sandbox --help)", add_help=False
    )
    transform = commands.add_parser(
        "transform", help="build the transforms (dbt) on an already loaded dataset and reconcile"
    )
    _add_pipeline_flags(transform)
    _add_tolerance_flag(transform)
    transform.add_argument(
        "--docs",
        nargs="?",
        const=Path("lac_docs"),
        type=Path,
        default=None,
        metavar="DIR",
        help="also write the table reference (dbt docs, one static index.html) to DIR (default: lac_docs)",
    )
    transform.add_argument(
        "-v", "--verbose", action="store_true", help="debug logging; prints every mapping decision"
    )
    return parser


COMMANDS = {"run": cmd_run, "transform": cmd_transform, "demo": cmd_demo}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sandbox"]:
        return cmd_sandbox(argv[1:])
    args = build_parser().parse_args(argv)
    _configure_logging(getattr(args, "verbose", False))
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("lac: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # one line for the user; the traceback only with --verbose
        cause = root_cause(exc)
        if getattr(args, "verbose", False):
            logger.exception("failed")
        print(
            f"lac: error: {cause}"
            if isinstance(cause, ConnectorError)
            else f"lac: error: {type(cause).__name__}: {cause}",
            file=sys.stderr,
        )
        if isinstance(cause, ConfigError | AuthError):
            return EXIT_CONFIG
        return EXIT_RECONCILIATION if isinstance(cause, ReconciliationError) else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
