"""Run the transforms after a load (`lac run`) or alone (`lac transform`).

1. Through the pipeline's SQL client: read the loaded tables, discover the mapping (which column
   holds each field the models need), write `transform_params` and `transform_mapping`, and
   warn once per field that stays unresolved or ambiguous. Then close the connection.
2. Sync the dbt project's working copy (generated staging models for the loaded tables).
3. If the loaded schema, the project, the mapping or the settings changed since the last build
   (or there was none): one `dbt build`, in-process (`dbt.py`; seeds, views, the table models
   `project.TABLE_MODELS`, tests). Otherwise the no-change path: refill those tables and re-run
   the tests from the last build's compiled SQL (`checks`).
4. Print the reconciliation verdict; raise `ReconciliationError` when a check or test at severity
   `error` failed.
"""

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import dlt

from lac_connector.kit.duckdb_file import kept_open
from lac_connector.kit.errors import ConfigError
from lac_connector.transform import dbt, project
from lac_connector.transform.checks import rerun_checks
from lac_connector.transform.discovery import AMBIGUOUS, NOTHING_TO_MAP, UNRESOLVED, Decision, discover
from lac_connector.transform.errors import ReconciliationError, TransformError
from lac_connector.transform.fields import TABLES
from lac_connector.transform.settings import TransformSettings, resolve_transform_settings
from lac_connector.transform.verdict import Reconciliation, read_reconciliation, verdict
from lac_connector.transform.warehouse import (
    Catalog,
    SqlTableProbe,
    loaded_tables,
    read_catalog,
    write_mapping,
    write_params,
)

logger = logging.getLogger("lac")

BUILD_STATE = "lac_build.json"  # in the working copy's target/: the fingerprint of the last build
MODEL_PREFIXES = ("stg_", "int_", "mart_", "check_")


@dataclass
class TransformResult:
    models: list[str] = field(default_factory=list)  # models of the project
    rebuilt: bool = False  # whether dbt built the views this run (else: the no-change path)
    tests: list[dbt.NodeResult] = field(default_factory=list)
    mapping: list[Decision] = field(default_factory=list)
    reconciliation: Reconciliation = field(default_factory=Reconciliation)
    verdict: str = ""

    @property
    def checks(self) -> int:
        return self.reconciliation.checks

    @property
    def differences(self) -> list[tuple[Any, ...]]:
        """Reconciliation comparisons that failed at severity `error`."""
        return self.reconciliation.errors

    @property
    def failed_tests(self) -> list[dbt.NodeResult]:
        """Data tests that failed at severity `error` (reconciliation included)."""
        return [t for t in self.tests if t.status in ("fail", "error")]


def run_transforms(
    pipeline: dlt.Pipeline,
    *,
    as_of_date: date | None = None,
    tolerance_cents: int | None = None,
    docs_dir: Path | None = None,
) -> TransformResult:
    """Build the transforms of `pipeline`'s dataset and reconcile; raises ReconciliationError.

    `as_of_date` (default `[transforms] as_of_date`, else today) dates the receivables aging;
    `tolerance_cents` (default `[transforms] reconcile_tolerance_cents`, else 0) is the largest
    absolute difference per check that still passes. `docs_dir` also writes dbt's static docs
    (`index.html`) there.
    """
    settings = resolve_transform_settings(tolerance_cents=tolerance_cents, as_of_date=as_of_date)
    result = TransformResult()
    work_dir = Path(pipeline.working_dir) / project.WORKING_COPY
    variables = {"lac_severity": dict(settings.severity)}
    files = project.project_files(project.packaged_project())
    with kept_open(pipeline), pipeline.sql_client() as client:
        catalog = read_catalog(client)
        loaded = loaded_tables(pipeline.default_schema, catalog, project.built_tables(files))
        result.mapping = _discover(client, loaded, settings)
        run_at = write_params(client, settings.as_of_date or date.today(), settings.tolerance_cents)
        write_mapping(client, result.mapping, run_at)
        _report_mapping(result.mapping, loaded)

        files.update(project.generated_files(loaded, client.capabilities.max_identifier_length))
        project.sync_working_copy(work_dir, files)
        result.models = sorted(Path(p).stem for p in files if p.startswith("models/") and p.endswith(".sql"))
        state = _fingerprint(pipeline, files, catalog, loaded, result.mapping, variables)
        tests = _checks_without_dbt(client, work_dir, state)
        if tests is not None:
            result.tests, result.reconciliation = tests, read_reconciliation(client)
    skipped: list[str] = []
    if tests is None:  # this process holds no connection now: dbt gets the DuckDB file to itself
        result.tests, skipped = _build(pipeline, work_dir, variables, state)
        result.rebuilt = True
        if not skipped:
            with kept_open(pipeline), pipeline.sql_client() as client:
                result.reconciliation = read_reconciliation(client)
    if docs_dir is not None:
        _docs(pipeline, work_dir, variables, docs_dir)
    _log_build(result)

    if skipped:  # a test at severity error failed upstream of the checks: dbt built no further
        result.verdict = f"reconciliation: not run (dbt skipped {', '.join(skipped)} after a failed test)"
    else:
        result.verdict = verdict(result.reconciliation)
    print(result.verdict)
    if result.differences or result.failed_tests:
        others = [t for t in result.failed_tests if not t.name.startswith("reconciliation_")]
        raise ReconciliationError(
            result.verdict + "".join(f"; test {t.name} failed: {t.message}" for t in others)
        )
    return result


def _discover(
    client: Any, loaded: Mapping[str, Mapping[str, str | None]], settings: TransformSettings
) -> list[Decision]:
    unknown = sorted(set(settings.mapping) - {t.table for t in TABLES})
    if unknown:
        raise ConfigError(
            f"[transforms.mapping] has unknown table(s) {', '.join(unknown)}; "
            f"choose from {', '.join(t.table for t in TABLES)}"
        )
    decisions: list[Decision] = []
    for spec in TABLES:
        columns = loaded.get(spec.table)
        probe = (
            SqlTableProbe(client, spec.table, columns, spec.sheet_tab, "sheet_columns" in loaded, loaded)
            if columns
            else None
        )
        decisions += discover(spec, probe, settings.mapping.get(spec.table))
    return decisions


def _report_mapping(decisions: Sequence[Decision], loaded: Mapping[str, Any]) -> None:
    """`-v` prints every decision; an unresolved or ambiguous field of a table with rows warns."""
    specs = {t.table: t for t in TABLES}
    for d in decisions:
        logger.debug(
            "mapping: %s.%s <- %s (%s%s)",
            d.table,
            d.field,
            d.column_name or "NULL",
            d.method,
            f": {d.detail}" if d.detail else "",
        )
        spec_field = specs[d.table].get(d.field)
        if (
            d.method not in (UNRESOLVED, AMBIGUOUS)
            or d.detail.startswith(NOTHING_TO_MAP)
            or (spec_field and spec_field.fallback)
        ):
            continue
        logger.warning(
            'transforms: %s.%s %s, so it is NULL; set [transforms.mapping.%s] %s = "<column>"',
            d.table,
            d.field,
            d.detail.replace(f" in {d.table}", "", 1),
            d.table,
            d.field,
        )


def _fingerprint(
    pipeline: dlt.Pipeline,
    files: Mapping[str, bytes],
    catalog: Catalog,
    loaded: Mapping[str, Any],
    mapping: Sequence[Decision],
    variables: Mapping[str, Any],
) -> str:
    """What the views and their compiled SQL depend on: a build is needed when it changes."""
    state = {
        "project": project.fingerprint(files),
        "destination": pipeline.destination.destination_name,
        "dataset": pipeline.dataset_name,
        "tables": {t: list(catalog.tables.get(t, ())) for t in sorted(loaded)},
        "mapping": [(d.table, d.field, d.columns) for d in mapping],
        "vars": variables,
        "dbt": _dbt_version(),
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()


def _dbt_version() -> str:
    from importlib.metadata import version

    return version("dbt-core")


def _checks_without_dbt(client: Any, work_dir: Path, state: str) -> list[dbt.NodeResult] | None:
    """The no-change path, or None when a build is needed (or the re-check could not run)."""
    state_file = work_dir / "target" / BUILD_STATE
    if not state_file.is_file() or json.loads(state_file.read_text()).get("fingerprint") != state:
        return None
    manifest = dbt.load_manifest(work_dir)
    if manifest is None:
        return None
    try:
        return rerun_checks(client, manifest)
    except Exception as exc:  # e.g. a view dropped by hand: rebuild everything
        logger.debug("transforms: re-checking without dbt failed (%s); building", exc)
        state_file.unlink()
        return None


def _build(
    pipeline: dlt.Pipeline, work_dir: Path, variables: Mapping[str, Any], state: str
) -> tuple[list[dbt.NodeResult], list[str]]:
    """One `dbt build`: (test results, models dbt skipped because a test upstream failed)."""
    state_file = work_dir / "target" / BUILD_STATE
    state_file.unlink(missing_ok=True)
    runner = dbt.make_runner(pipeline, work_dir)
    dbt.run_dbt(runner, ("build",), [], variables)
    results = dbt.run_results(work_dir)
    broken = [r for r in results if r.resource_type in ("model", "seed") and r.status == "error"]
    if broken:
        raise TransformError(
            f"dbt build failed: {broken[0].resource_type} {broken[0].name}: {broken[0].message}"
            f" (log: {work_dir / 'logs' / 'dbt.log'})"
        )
    _drop_stale_views(pipeline, dbt.load_manifest(work_dir) or {})
    skipped = [r.name for r in results if r.resource_type == "model" and r.status == "skipped"]
    if not skipped:  # else the next run builds again
        state_file.write_text(json.dumps({"fingerprint": state}))
    return [r for r in results if r.resource_type == "test"], skipped


def _drop_stale_views(pipeline: dlt.Pipeline, manifest: Mapping[str, Any]) -> None:
    """Views with our prefixes that no model builds (any more): a table no longer loaded, a model
    now ephemeral, an older version's views."""
    models = {
        n["alias"] or n["name"]
        for n in manifest.get("nodes", {}).values()
        if n["resource_type"] == "model" and n["config"].get("materialized") != "ephemeral"
    }
    with kept_open(pipeline), pipeline.sql_client() as client:
        for view in read_catalog(client).views:
            if view.startswith(MODEL_PREFIXES) and view not in models:
                logger.debug("transforms: dropping stale view %s", view)
                client.execute_sql(f"DROP VIEW IF EXISTS {client.make_qualified_table_name(view)} CASCADE")


def _docs(pipeline: dlt.Pipeline, work_dir: Path, variables: Mapping[str, Any], docs_dir: Path) -> None:
    html = dbt.generate_docs(dbt.make_runner(pipeline, work_dir), variables)
    docs_dir.mkdir(parents=True, exist_ok=True)
    (docs_dir / "index.html").write_bytes(html.read_bytes())
    logger.info("transforms: table reference written to %s", docs_dir / "index.html")


def _log_build(result: TransformResult) -> None:
    """`lac transform` says what it did: models built or kept, tests run and their outcome."""
    if result.rebuilt:
        what = f"built {len(result.models)} models with dbt (views rebuilt)"
    else:
        what = f"no change since the last build: {len(result.models)} models kept, checks re-run"
    counts = Counter(t.status for t in result.tests)
    outcome = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "none"
    logger.info("transforms: %s; %d tests (%s)", what, len(result.tests), outcome)
