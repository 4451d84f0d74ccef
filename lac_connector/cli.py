"""The `lac` command: `lac run`, `lac status`, `lac transform`, `lac demo`, `lac sandbox` (docs/cli.md).

Exit codes: 0 ok (warnings printed), 1 the run (or the transforms' build) failed, 2 configuration,
3 loaded but a reconciliation check (or another data test) at severity `error` failed, 130
interrupted.
"""

import argparse
import logging
import math
import os
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import dlt

from lac_connector.kit.errors import AuthError, ConfigError, ConnectorError, root_cause
from lac_connector.kit.version import PACKAGE_VERSION
from lac_connector.pipeline.config import resolve_pipeline_config
from lac_connector.pipeline.destination import destination_kind, resolve_warehouse
from lac_connector.pipeline.run_record import mark_run_status
from lac_connector.pipeline.runner import RunOptions, open_loaded_pipeline, recorded_options, run_sync
from lac_connector.pipeline.status import format_status, read_status
from lac_connector.pipeline.summary import print_summary
from lac_connector.sources import DEFAULT_SOURCE, SOURCES, source_opener
from lac_connector.transform.errors import ReconciliationError

logger = logging.getLogger("lac")

EXIT_FAILED = 1
EXIT_CONFIG = 2
EXIT_RECONCILIATION = 3
EXIT_INTERRUPTED = 130
# Off a terminal (cron logs), "rows so far" lines are printed at most this often.
PLAIN_PROGRESS_EVERY_S = 10.0


class ProgressHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """`lac: ...` lines on stderr. On a terminal, live progress records (`extra={"live": True}`,
    see `lac_connector.kit.progress`) redraw one line; elsewhere they are plain lines, at most one
    every `PLAIN_PROGRESS_EVERY_S`."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self.setFormatter(logging.Formatter("lac: %(message)s"))
        self.terminal = stream.isatty()
        self._live_shown = False
        self._last_plain_live = -math.inf

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
            if getattr(record, "live", False):
                self._emit_live(text)
            else:
                self.end_live()
                self.stream.write(text + "\n")
            self.flush()
        except Exception:  # noqa: BLE001 - logging's own contract
            self.handleError(record)

    def _emit_live(self, text: str) -> None:
        if self.terminal:
            width = shutil.get_terminal_size().columns - 1
            self.stream.write("\r" + text[:width] + "\x1b[K")
            self._live_shown = True
        elif time.monotonic() - self._last_plain_live >= PLAIN_PROGRESS_EVERY_S:
            self._last_plain_live = time.monotonic()
            self.stream.write(text + "\n")

    def end_live(self) -> None:
        """Clear a redrawn line, so the next line starts clean."""
        if self._live_shown:
            self.stream.write("\r\x1b[K")
            self._live_shown = False


def _configure_logging(verbose: bool) -> ProgressHandler:
    handler = ProgressHandler(sys.stderr)
    logger.handlers[:] = [handler]
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return handler


def _add_common_flags(parser: argparse.ArgumentParser, *, project: bool = True) -> None:
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also show debug lines (retries, each month) and tracebacks",
    )
    if project:
        parser.add_argument(
            "--project-dir",
            default=None,
            metavar="DIR",
            help="project folder: its .dlt/ configuration is read and relative paths start there "
            "(default: $DLT_PROJECT_DIR, else the current folder)",
        )


def _add_pipeline_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--destination",
        default=None,
        metavar="NAME",
        help="dlt destination: duckdb, postgres or another dlt destination name (default: duckdb)",
    )
    parser.add_argument(
        "--dataset-name",
        default=None,
        metavar="NAME",
        help="dataset (schema) to load into (default: lac_dataset)",
    )
    parser.add_argument(
        "--pipeline-name",
        default=None,
        metavar="NAME",
        help="dlt pipeline name: its state and its lock (default: the --source's name, lac or ledgerlou; "
        "lac for commands without --source)",
    )
    parser.add_argument(
        "--pipelines-dir",
        default=None,
        metavar="DIR",
        help="folder of the pipelines' state (default: pipelines_dir setting, else $DLT_DATA_DIR/pipelines "
        "if set, else .lac/pipelines in the project folder)",
    )


def _add_run_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source", default=DEFAULT_SOURCE, choices=sorted(SOURCES), help="API to sync (default: lac)"
    )
    _add_pipeline_flags(parser)
    parser.add_argument(
        "--resources", default=None, metavar="TABLES", help="comma-separated tables to sync (default: all)"
    )
    parser.add_argument(
        "--start-period", default=None, metavar="YYYY-MM", help="first month to sync (default: the earliest)"
    )
    parser.add_argument(
        "--end-period", default=None, metavar="YYYY-MM", help="last month to sync (default: this month)"
    )
    parser.add_argument(
        "--full-refresh", action="store_true", help="re-sync every month, ignoring fingerprints"
    )
    parser.add_argument("--no-transforms", action="store_true", help="skip the transforms after loading")
    _add_tolerance_flag(parser)
    _add_common_flags(parser)


def _add_tolerance_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--reconcile-tolerance-cents",
        type=int,
        default=None,
        metavar="N",
        help="largest difference per reconciliation check that does not fail the run "
        "(default: [transforms] reconcile_tolerance_cents or 0)",
    )


def _run_options(args: argparse.Namespace) -> RunOptions:
    config = resolve_pipeline_config(
        {
            "pipeline_name": args.pipeline_name,
            "destination_name": args.destination,
            "dataset_name": args.dataset_name,
            "pipelines_dir": args.pipelines_dir,
        }
    )
    resources = getattr(args, "resources", None)
    return RunOptions(
        pipeline_name=config.pipeline_name or getattr(args, "source", DEFAULT_SOURCE),
        destination=config.destination_name,
        dataset_name=config.dataset_name,
        resources=[r.strip() for r in resources.split(",") if r.strip()] if resources else None,
        pipelines_dir=config.pipelines_dir,
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
        options.checked()  # local checks first: they are instant and need no network
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


def cmd_status(args: argparse.Namespace) -> int:
    """`lac status`: per table the latest outcome, rows and "complete as of"; the last reconciliation."""
    options = _run_options(args)
    if not (args.destination or args.dataset_name):
        options = recorded_options(options) or options
    warehouse = resolve_warehouse(
        options.destination, None, options.pipeline_name, options.dataset_name, read_only=True
    )
    for line in format_status(read_status(warehouse, options.dataset_name, options.pipeline_name)):
        print(line)
    return 0


def cmd_transform(args: argparse.Namespace) -> int:
    """`lac transform`: build the transforms of an already loaded dataset and reconcile."""
    from lac_connector.transform import run_transforms

    options = _run_options(args)
    pipeline = open_loaded_pipeline(options, attach=not (args.destination or args.dataset_name))
    run_transforms(pipeline, tolerance_cents=args.reconcile_tolerance_cents, docs_dir=args.docs)
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    """`lac dashboard`: serve the Streamlit dashboard over the marts of the configured warehouse."""
    from lac_connector.dashboard.launcher import launch

    options = _run_options(args)
    if not (args.destination or args.dataset_name):
        options = recorded_options(options) or options
    warehouse = resolve_warehouse(
        options.destination, None, options.pipeline_name, options.dataset_name, read_only=True
    )
    print(f"Dashboard over {warehouse.describe()}, dataset {options.dataset_name!r}", file=sys.stderr)
    return launch(
        destination_kind(warehouse.destination), warehouse.connection_url(), options.dataset_name, args.port
    )


def cmd_demo(args: argparse.Namespace) -> int:
    from lac_connector.demo import run_demo

    return run_demo(args)


def cmd_sandbox(argv: Sequence[str]) -> int:
    from lac_sandbox.cli import main as sandbox_main

    return sandbox_main(list(argv))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lac",
        description="Sync The Last Accounting Company's books into SQL. Reference: docs/cli.md.",
        epilog="Exit codes: 0 ok, 1 the run failed, 2 configuration or usage error, 3 loaded but the "
        "reconciliation failed, 130 interrupted. `lac` alone prints this help and exits 2.",
    )
    parser.add_argument(
        "--version", action="version", version=f"lac {PACKAGE_VERSION} (dlt {dlt.__version__})"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser("run", help="sync an API into the configured destination, then transform")
    _add_run_flags(run)
    status = commands.add_parser(
        "status", help="per table: latest outcome, rows, complete as of; the last reconciliation"
    )
    _add_pipeline_flags(status)
    _add_common_flags(status)
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
        help="also write the table reference (dbt docs: one static index.html) to DIR (default: lac_docs)",
    )
    _add_common_flags(transform)
    dashboard = commands.add_parser(
        "dashboard", help="open the dashboard over the marts (needs the [dashboard] extra)"
    )
    _add_pipeline_flags(dashboard)
    dashboard.add_argument(
        "--port", type=int, default=None, metavar="PORT", help="port to serve on (default: 8501)"
    )
    _add_common_flags(dashboard)
    demo = commands.add_parser(
        "demo", help="start both sandboxes (LAC, LedgerLou), sync them into DuckDB and show what loaded"
    )
    demo.add_argument(
        "--duckdb",
        default="lac_demo.duckdb",
        metavar="FILE",
        help="DuckDB file to create (default: lac_demo.duckdb)",
    )
    _add_common_flags(demo, project=False)
    commands.add_parser(
        "sandbox", help="serve the local LAC API simulator (lac sandbox --help)", add_help=False
    )
    return parser


COMMANDS = {
    "run": cmd_run,
    "status": cmd_status,
    "transform": cmd_transform,
    "dashboard": cmd_dashboard,
    "demo": cmd_demo,
}


def _enter_project(args: argparse.Namespace) -> None:
    """Work in the project folder (`--project-dir`, else `DLT_PROJECT_DIR`): dlt reads its `.dlt/`
    there and relative paths (DuckDB file, landing, pipeline state) start there."""
    if getattr(args, "pipelines_dir", None):  # a path typed on the command line starts here
        args.pipelines_dir = str(Path(args.pipelines_dir).expanduser().absolute())
    project = getattr(args, "project_dir", None) or os.environ.get("DLT_PROJECT_DIR")
    if not project or not hasattr(args, "project_dir"):
        return
    path = Path(project).expanduser().absolute()
    if not path.is_dir():
        raise ConfigError(f"project folder {path} does not exist: check --project-dir or DLT_PROJECT_DIR")
    os.environ["DLT_PROJECT_DIR"] = str(path)
    os.chdir(path)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sandbox"]:
        return cmd_sandbox(argv[1:])
    parser = build_parser()
    if not argv:
        parser.print_help()
        return EXIT_CONFIG
    args = parser.parse_args(argv)
    handler = _configure_logging(args.verbose)
    try:
        _enter_project(args)
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        handler.end_live()
        print("lac: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # one line for the user; the traceback only with --verbose
        handler.end_live()
        cause = root_cause(exc)
        if args.verbose:
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
