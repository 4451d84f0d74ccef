"""The Dagster definitions: per-table assets of the LAC source, the marts, a check, a job, a schedule.

Every asset is partitioned by company (`companies.company_names`); a partition's run syncs that
company with its own pipeline (`runs`), then rebuilds the marts of the shared dataset and reports
the reconciliation verdict as the asset check `reconciliation`.

- Tables: `dagster_dlt.dlt_assets` makes one asset per table (`lac/<table>`) from the source's
  resources, and selecting some of them syncs only those. The body does not call dagster-dlt's
  `DagsterDltResource.run`: that drops the pipeline's pending packages and local state and calls
  `pipeline.run`, where the connector's `run_sync` finishes a crashed run's packages first, holds
  the pipeline's lock and records `sync_runs` / `sync_coverage`.
- Marts: one asset, `lac/marts`, built by `run_transforms`, not by dagster-dbt. dagster-dbt needs
  the dbt manifest when the definitions load and runs `dbt build` itself, while the connector
  first discovers the mapping in the loaded tables (it writes `transform_mapping`, which the models
  read), then writes each pipeline's working copy of the project with staging models generated
  for the tables that pipeline loaded (so the manifest exists only after a load), runs dbt on the
  pipeline's own credentials through dlt's dbt runner, and skips dbt when nothing changed.
"""

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import dagster as dg
from dagster_dlt import DagsterDltTranslator, dlt_assets
from dagster_dlt.translator import DltResourceTranslatorData

from lac_connector.kit.errors import AuthError, ConfigError, ForbiddenError, root_cause
from lac_connector.orchestration.companies import company_names, orchestration_config, pipeline_name
from lac_connector.orchestration.runs import sync_company, transform_company
from lac_connector.transform.fields import TABLES
from lac_source import build_session, lac_source

GROUP = "lac"
MARTS = dg.AssetKey(["lac", "marts"])
RECONCILIATION = "reconciliation"
JOB = "lac_daily"
# Concurrency pools (docs/orchestration.md): loads into the warehouse, and builds of its marts.
LOAD_POOL = "lac_load"
TRANSFORM_POOL = "lac_transforms"
SYNC_RUN_ID = "sync_run_id"  # materialization metadata of the tables: the `sync_runs` row of the load

# Each step in its own process, forked from a server that imported the connector once (a fresh
# interpreter per step would spend seconds importing dagster, dlt and the source again).
EXECUTOR = dg.multiprocess_executor.configured(
    {"start_method": {"forkserver": {"preload_modules": ["lac_connector.orchestration.definitions"]}}},
    name="lac_multiprocess",
)

T = TypeVar("T")


class LacTranslator(DagsterDltTranslator):
    """Tables as `lac/<table>` in the `lac` group, with no upstream assets."""

    def get_asset_spec(self, data: DltResourceTranslatorData) -> dg.AssetSpec:
        return (
            super()
            .get_asset_spec(data)
            .replace_attributes(key=dg.AssetKey(["lac", data.resource.name]), deps=[], group_name=GROUP)
        )


def build_definitions(executor: dg.ExecutorDefinition = EXECUTOR) -> dg.Definitions:
    """The definitions of the configured companies; raises ConfigError when none is configured.

    `executor` runs the steps (e.g. dagster-k8s's `k8s_job_executor`, dagster-celery's
    `celery_executor`); the default runs each in its own local process.
    """
    companies = dg.StaticPartitionsDefinition(company_names())
    settings = orchestration_config()
    tables = table_assets(companies)
    marts = marts_asset(companies, [k for k in tables.keys if k.path[-1] in {t.table for t in TABLES}])
    job = dg.define_asset_job(
        JOB,
        selection=dg.AssetSelection.assets(tables, marts),
        op_retry_policy=dg.RetryPolicy(
            max_retries=settings.max_retries,
            delay=settings.retry_delay_seconds,
            backoff=dg.Backoff.EXPONENTIAL,
            jitter=dg.Jitter.PLUS_MINUS,
        ),
        description="Sync one company's tables, rebuild the marts and reconcile.",
    )

    @dg.schedule(
        job=job,
        cron_schedule=settings.cron_schedule,
        execution_timezone=settings.timezone,
        name=f"{JOB}_schedule",
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )
    def daily(context: dg.ScheduleEvaluationContext) -> Iterator[dg.RunRequest]:
        """A run per company."""
        day = context.scheduled_execution_time.strftime("%Y-%m-%d")
        for company in companies.get_partition_keys():
            yield dg.RunRequest(partition_key=company, run_key=f"{company}-{day}")

    return dg.Definitions(assets=[tables, marts], jobs=[job], schedules=[daily], executor=executor)


def table_assets(companies: dg.PartitionsDefinition) -> dg.AssetsDefinition:
    """One asset per table of the LAC source; a run syncs the selected tables of one company."""
    # dagster-dlt reads the tables off a source object. Building one makes no request, and its
    # tables do not depend on the credential, so a placeholder stands in for the companies' keys;
    # each run opens the company's own source (no pipeline here: each company has its own).
    session = build_session(api_key="placeholder-never-sent", access_token=None)
    session.client.close()
    source = lac_source(session=session)

    @dlt_assets(
        dlt_source=source,
        dlt_pipeline=None,  # type: ignore[arg-type]
        name="lac_tables",
        dagster_dlt_translator=LacTranslator(),
        partitions_def=companies,
        pool=LOAD_POOL,
    )
    def lac_tables(context: dg.AssetExecutionContext) -> Iterator[dg.MaterializeResult]:
        company = context.partition_key
        keys = sorted(context.selected_asset_keys)
        resources = [k.path[-1] for k in keys] if context.is_subset else None
        summary = _acting_on_config_errors(lambda: sync_company(company, resources))
        customers = ",".join(summary.run.tenants())
        for key in keys:
            yield dg.MaterializeResult(
                asset_key=key,
                metadata={
                    "rows_loaded": summary.row_counts.get(key.path[-1], 0),
                    "pipeline_name": pipeline_name(company),
                    "customer_ids": customers,
                    "warehouse": summary.warehouse.describe(),
                    SYNC_RUN_ID: summary.run_id,
                },
            )

    return lac_tables


def marts_asset(companies: dg.PartitionsDefinition, deps: list[dg.AssetKey]) -> dg.AssetsDefinition:
    """The marts (one asset for the whole dbt project) and the reconciliation check."""

    @dg.asset(
        key=MARTS,
        deps=deps,
        partitions_def=companies,
        group_name=GROUP,
        kinds={"dbt"},
        pool=TRANSFORM_POOL,
        description="The marts of the dataset (dbt project transforms/), rebuilt after the company's load.",
        check_specs=[
            dg.AssetCheckSpec(
                RECONCILIATION,
                asset=MARTS,
                description="The API's statements and VAT sheet agree with the ledger (every check at "
                "severity error); a difference, or another data test failing, fails it.",
            )
        ],
    )
    def lac_marts(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        company = context.partition_key
        result, verdict = _acting_on_config_errors(lambda: transform_company(company, _sync_run_id(context)))
        metadata: dict[str, Any] = {"pipeline_name": pipeline_name(company), "verdict": verdict}
        if result is not None:
            metadata.update(
                models=len(result.models),
                rebuilt=result.rebuilt,
                tests=len(result.tests),
                checks=result.checks,
            )
        return dg.MaterializeResult(
            metadata=metadata,
            check_results=[
                dg.AssetCheckResult(
                    check_name=RECONCILIATION,
                    passed=result is not None,
                    severity=dg.AssetCheckSeverity.ERROR,
                    description=verdict,
                )
            ],
        )

    return lac_marts


def _sync_run_id(context: dg.AssetExecutionContext) -> str | None:
    """The `sync_runs` id of this partition's load in this Dagster run, if the run loaded it."""
    records = context.instance.get_records_for_run(
        run_id=context.run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
    ).records
    for record in records:
        materialization = record.asset_materialization
        if materialization is not None and materialization.partition == context.partition_key:
            value = materialization.metadata.get(SYNC_RUN_ID)
            if value is not None:
                return str(value.value)
    return None


def _acting_on_config_errors(step: Callable[[], T]) -> T:
    """Run `step`; a configuration or credential problem fails it without the retries (it would fail
    the same way again), anything else (an API outage, a lock) is left to the RetryPolicy."""
    try:
        return step()
    except Exception as exc:
        cause = root_cause(exc)
        if isinstance(cause, ConfigError | AuthError | ForbiddenError):
            raise dg.Failure(description=str(cause), allow_retries=False) from exc
        raise
