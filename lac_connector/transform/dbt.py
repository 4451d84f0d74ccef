"""Run the dbt project through dlt's dbt runner, on the pipeline's own destination credentials.

dlt's runner (`dlt.helpers.dbt.create_runner`) passes the credentials to dbt as `DLT__CREDENTIALS__*`
environment variables (read by our `profiles.yml`) and runs dbt in a subprocess of the current
Python environment, so no virtualenv is created at run time and the DuckDB file is free for it
(this process holds no connection meanwhile). One `dbt build` does seeds, models and tests. A
DuckDB file another process reads when dbt opens it is waited for (`kit.duckdb_file`).
"""

import io
import json
import logging
import sys
import types
from collections.abc import Mapping, Sequence
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from subprocess import CalledProcessError
from typing import Any

import dlt
from dlt.common.configuration.utils import add_config_to_env
from dlt.common.runners import Venv
from dlt.common.utils import with_custom_environ
from dlt.helpers.dbt import create_runner
from dlt.helpers.dbt.exceptions import DBTProcessingError
from dlt.helpers.dbt.runner import DBTPackageRunner

from lac_connector.kit.duckdb_file import LockWait, is_locked_out
from lac_connector.kit.errors import ConfigError
from lac_connector.transform.errors import TransformError

PROFILES = ("duckdb", "postgres")  # the profiles our profiles.yml defines


@dataclass(frozen=True)
class NodeResult:
    """One node of a dbt run (from `target/run_results.json`), or one check run in-process."""

    unique_id: str
    name: str
    resource_type: str  # model, seed, test
    status: str  # success, pass, warn, fail, error, skipped
    failures: int | None
    message: str


def _current_venv() -> Venv:
    """dlt's `Venv.restore_current()`, pinned to this interpreter: without an activated virtualenv
    dlt would start whichever `python` comes first on PATH."""
    venv = Venv.restore_current()
    here = Path(sys.executable)
    if venv.context.bin_path and Path(venv.context.env_exe).resolve() == here.resolve():
        return venv
    if not (here.parent / "python").exists():
        raise TransformError(f"no `python` next to {here}: run lac from a virtualenv (make venv)")
    return Venv(types.SimpleNamespace(bin_path=str(here.parent), env_exe=str(here)), current=True)


def make_runner(pipeline: dlt.Pipeline, project_dir: Path) -> DBTPackageRunner:
    config = pipeline.destination_client().config  # not entered: no connection is opened
    profile = config.destination_type
    if profile not in PROFILES:
        raise ConfigError(
            f"the transforms run on duckdb or postgres, not {profile}: "
            "use --no-transforms for this destination"
        )
    return create_runner(
        _current_venv(),
        config,
        working_dir=pipeline.working_dir,
        package_location=str(project_dir),
        package_profiles_dir=str(project_dir),
        package_profile_name=profile,
    )


def run_dbt(
    runner: DBTPackageRunner, command: str, args: Sequence[str], variables: Mapping[str, Any]
) -> bool:
    """Run one dbt command in a subprocess; False when dbt reports failures (details in run_results).

    dlt's runner has public `run`/`test`/`run_all`, each a subprocess of its own (and `run_all`
    adds `deps` and `seed`): one `build` is several seconds cheaper, so its command runner is used.
    dbt opens the database once, before its first node: when that open found the DuckDB file held
    by a reader (the error is only in dbt's log), the command is started again.
    """
    log = Path(runner.package_path) / "logs" / "dbt.log"
    wait = LockWait()
    while True:
        logged = log.stat().st_size if log.is_file() else 0
        try:
            _run_quietly_when_locked_out(runner, command, args, variables)
        except DBTProcessingError as exc:
            if exc.run_results is not None:
                return False
            # dbt did not get as far as running nodes: the file was held, or e.g. a parse error
            new_log = _read_from(log, logged)
            if is_locked_out(new_log):
                wait.pause(new_log)
                continue
            raise TransformError(f"dbt {command} failed before running anything (see {log})") from None
        return True


def _run_quietly_when_locked_out(
    runner: DBTPackageRunner, command: str, args: Sequence[str], variables: Mapping[str, Any]
) -> None:
    """One dbt command; at dlt's default log level (WARNING: dbt prints only errors) its output is
    held back and dropped when it is the DuckDB file found held, which `run_dbt` waits out (a
    traceback there would read as a failure). With a lower level dbt's lines stream as they come."""
    package_vars = runner._get_package_vars(dict(variables))
    level = logging.getLevelNamesMapping().get(str(runner.config.runtime.log_level).upper(), logging.WARNING)
    if level < logging.WARNING:
        runner._run_dbt_command(command, list(args), package_vars)
        return
    held = io.StringIO()
    try:
        with redirect_stdout(held):
            runner._run_dbt_command(command, list(args), package_vars)
    finally:
        if not is_locked_out(held.getvalue()):
            sys.stdout.write(held.getvalue())


def _read_from(path: Path, offset: int) -> str:
    if not path.is_file():
        return ""
    with path.open("rb") as handle:
        handle.seek(offset)
        return handle.read().decode("utf-8", "replace")


@with_custom_environ
def generate_docs(runner: DBTPackageRunner, variables: Mapping[str, Any]) -> Path:
    """`dbt docs generate --static` on the runner's project and credentials; returns the HTML file.

    dlt's command runner puts its own flags between `docs` and `generate`, which dbt refuses, so
    this runs the `dbt` command of the same environment (dlt's `Venv.run_command`) with the
    credentials written to the environment the way the runner does it.
    """
    add_config_to_env(runner.credentials, ("dlt",))
    wait = LockWait()
    while True:
        try:
            return _generate_docs(runner, variables)
        except CalledProcessError as exc:
            if is_locked_out(str(exc.output)):
                wait.pause(str(exc.output))
                continue
            raise TransformError(f"dbt docs generate failed: {_first_line(exc.output)}") from None


def _generate_docs(runner: DBTPackageRunner, variables: Mapping[str, Any]) -> Path:
    project = runner.package_path
    runner.venv.run_command(
        "dbt",
        "--quiet",
        "docs",
        "generate",
        "--static",
        "--project-dir",
        project,
        "--profiles-dir",
        runner.config.package_profiles_dir,
        "--profile",
        runner.config.package_profile_name,
        "--vars",
        json.dumps(runner._get_package_vars(dict(variables))),
    )
    return Path(project) / "target" / "static_index.html"


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
