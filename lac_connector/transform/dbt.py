"""Run the dbt project on the pipeline's own destination credentials, in this process.

dlt's dbt runner (`dlt.helpers.dbt.create_runner`) makes the working copy of the project, passes
the credentials to dbt as `DLT__CREDENTIALS__*` environment variables (read by our
`profiles.yml`) and the dataset as a var. Its own commands start dbt in a subprocess, which pays
an interpreter, dlt's and dbt's imports and dbt's first-call set-up (its node schemas) on every
build; dbt's programmatic entry point (`dbtRunner`) runs the same command in this process
instead, so a long-lived process (Dagster, the tests) pays dbt's start-up once. This
process holds no DuckDB connection meanwhile, so the file is free for dbt; a DuckDB file another
process reads when dbt opens it is waited for (`kit.duckdb_file`). One `dbt build` does seeds,
models and tests.
"""

import io
import json
import logging
import sys
import threading
import types
from collections.abc import Mapping, Sequence
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import dlt
from dlt.common.configuration.utils import add_config_to_env
from dlt.common.logger import is_json_logging
from dlt.common.runners import Venv
from dlt.common.utils import with_custom_environ
from dlt.helpers.dbt import create_runner
from dlt.helpers.dbt.runner import DBTPackageRunner

from lac_connector.kit.duckdb_file import LockWait, is_locked_out
from lac_connector.kit.errors import ConfigError
from lac_connector.transform.errors import TransformError

if TYPE_CHECKING:
    from dbt.cli.main import dbtRunnerResult

PROFILES = ("duckdb", "postgres")  # the profiles our profiles.yml defines
# dbt's programmatic runs share process-wide state (flags, adapters, its event logger): one at a time
_ONE_DBT = threading.Lock()
# dlt's runner wants an environment to start dbt in; it is never started from there
_THIS_PYTHON = Venv(types.SimpleNamespace(bin_path="", env_exe=sys.executable), current=True)


@dataclass(frozen=True)
class NodeResult:
    """One node of a dbt run (from `target/run_results.json`), or one check run in-process."""

    unique_id: str
    name: str
    resource_type: str  # model, seed, test
    status: str  # success, pass, warn, fail, error, skipped
    failures: int | None
    message: str


def make_runner(pipeline: dlt.Pipeline, project_dir: Path) -> DBTPackageRunner:
    config = pipeline.destination_client().config  # not entered: no connection is opened
    profile = config.destination_type
    if profile not in PROFILES:
        raise ConfigError(
            f"the transforms run on duckdb or postgres, not {profile}: "
            "use --no-transforms for this destination"
        )
    return create_runner(
        _THIS_PYTHON,  # the runner's own subprocess commands are not used (see `_invoke`)
        config,
        working_dir=pipeline.working_dir,
        package_location=str(project_dir),
        package_profiles_dir=str(project_dir),
        package_profile_name=profile,
    )


def run_dbt(
    runner: DBTPackageRunner, command: Sequence[str], args: Sequence[str], variables: Mapping[str, Any]
) -> bool:
    """Run one dbt command; False when dbt reports failures (details in run_results).

    One `build` rather than dlt's `run_all` (deps, seed, run, test: a start-up each). dbt opens
    the database once, before its first node: when that open found the DuckDB file held by a
    reader, the command is started again.
    """
    log = Path(runner.package_path) / "logs" / "dbt.log"
    wait = LockWait()
    while True:
        logged = log.stat().st_size if log.is_file() else 0
        result = _run_quietly_when_locked_out(runner, command, args, variables)
        if result.success:
            return True
        if result.result is not None:  # nodes ran, some failed
            return False
        # dbt did not get as far as running nodes: the file was held, or e.g. a parse error
        error = f"{result.exception}\n{_read_from(log, logged)}"
        if is_locked_out(error):
            wait.pause(error)
            continue
        raise TransformError(f"dbt {' '.join(command)} failed before running anything (see {log})") from None


def _run_quietly_when_locked_out(
    runner: DBTPackageRunner, command: Sequence[str], args: Sequence[str], variables: Mapping[str, Any]
) -> "dbtRunnerResult":
    """One dbt command; at dlt's default log level (WARNING: dbt prints only errors) its output is
    held back and dropped when it is the DuckDB file found held, which `run_dbt` waits out (a
    traceback there would read as a failure). With a lower level dbt's lines stream as they come."""
    level = logging.getLevelNamesMapping().get(str(runner.config.runtime.log_level).upper(), logging.WARNING)
    if level < logging.WARNING:
        return _invoke(runner, command, args, variables)
    held = io.StringIO()
    try:
        with redirect_stdout(held):
            return _invoke(runner, command, args, variables)
    finally:
        if not is_locked_out(held.getvalue()):
            sys.stdout.write(held.getvalue())


@with_custom_environ  # the credentials stay out of this process's environment after the command
def _invoke(
    runner: DBTPackageRunner, command: Sequence[str], args: Sequence[str], variables: Mapping[str, Any]
) -> "dbtRunnerResult":
    """`dbt <command...>` on the runner's working copy, profile and credentials, as dlt's runner
    would start it in its subprocess (`dlt.helpers.dbt.dbt_utils.run_dbt_command`)."""
    # dbt's imports take seconds: only when a build runs
    from dbt.cli.main import dbtRunner
    from dbt_common.events.event_manager_client import cleanup_event_logger
    from dlt.helpers.dbt.dbt_utils import initialize_dbt_logging

    add_config_to_env(runner.credentials, ("dlt",))
    config = runner.config
    project = runner.package_path
    argv = [
        *initialize_dbt_logging(str(config.runtime.log_level), is_json_logging(config.runtime.log_format)),
        *command,
        "--project-dir", project,
        "--profiles-dir", config.package_profiles_dir,
        "--profile", config.package_profile_name,
        "--log-path", str(Path(project) / "logs"),
        "--vars", json.dumps(runner._get_package_vars(dict(variables))),
        *args,
    ]  # fmt: skip
    with _ONE_DBT:
        try:
            result = dbtRunner().invoke(argv)
        finally:
            cleanup_event_logger()  # dbt's loggers let go of this call's stdout and log file
            _close_duckdb()
    if isinstance(result.exception, KeyboardInterrupt):  # dbtRunner returns even Ctrl-C as a result
        raise result.exception
    return result


def _close_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open after a call (its `keep_open`, on by default,
    also spares a re-open per node, seconds a build), so the file is free when the call ends: for
    readers, and for this process, whose own connection has other settings."""
    manager = sys.modules.get("dbt.adapters.duckdb.connections")
    if manager is None:  # a PostgreSQL profile: nothing kept
        return
    environment = manager.DuckDBConnectionManager._ENV  # the open database, if any
    manager.DuckDBConnectionManager.close_all_connections()  # forgets it ...
    if environment is not None:
        environment.close()  # ... and this closes it


def _read_from(path: Path, offset: int) -> str:
    if not path.is_file():
        return ""
    with path.open("rb") as handle:
        handle.seek(offset)
        return handle.read().decode("utf-8", "replace")


def generate_docs(runner: DBTPackageRunner, variables: Mapping[str, Any]) -> Path:
    """`dbt docs generate --static` on the runner's project and credentials; returns the HTML file."""
    project = Path(runner.package_path)
    if not run_dbt(runner, ("docs", "generate"), ["--static"], variables):
        raise TransformError(f"dbt docs generate failed (see {project / 'logs' / 'dbt.log'})")
    return project / "target" / "static_index.html"


def run_results(project_dir: Path) -> list[NodeResult]:
    path = project_dir / "target" / "run_results.json"
    if not path.is_file():
        return []
    results = []
    for r in json.loads(path.read_text()).get("results", []):
        unique_id = r["unique_id"]
        results.append(
            NodeResult(
                unique_id=unique_id,
                name=unique_id.split(".")[2] if unique_id.count(".") >= 2 else unique_id,
                resource_type=unique_id.split(".", 1)[0],
                status=str(r.get("status")),
                failures=r.get("failures"),
                message=_first_line(r.get("message") or ""),
            )
        )
    return results


def load_manifest(project_dir: Path) -> dict[str, Any] | None:
    path = project_dir / "target" / "manifest.json"
    return json.loads(path.read_text()) if path.is_file() else None


def _first_line(value: Any) -> str:
    text = str(value).strip()
    return text.splitlines()[0] if text else type(value).__name__
