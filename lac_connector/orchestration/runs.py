"""One company's sync and transforms, as `lac run` makes them (the steps of a Dagster run).

Everything a run needs beyond the company's credential (destination, dataset, pipelines folder)
is the project's pipeline configuration; only the pipeline name is the company's own, so each
company keeps its own state, lock and staging dataset while all of them load into one dataset.
"""

from collections.abc import Sequence
from dataclasses import replace

import dlt

from lac_connector.orchestration.companies import credential_setting, pipeline_name, source_settings
from lac_connector.pipeline.config import resolve_pipeline_config
from lac_connector.pipeline.run_record import mark_run_status
from lac_connector.pipeline.runner import RunOptions, RunSummary, open_loaded_pipeline, run_sync
from lac_connector.transform import TransformResult, run_transforms
from lac_connector.transform.errors import ReconciliationError
from lac_source import LacRun


def company_options(company: str, resources: Sequence[str] | None = None) -> RunOptions:
    """The run options of `company`'s pipeline (destination, dataset, folder: the project's)."""
    config = resolve_pipeline_config()
    return RunOptions(
        pipeline_name=pipeline_name(company),
        destination=config.destination_name,
        dataset_name=config.dataset_name,
        resources=resources,
        pipelines_dir=config.pipelines_dir,
    )


def sync_company(company: str, resources: Sequence[str] | None = None) -> RunSummary:
    """Sync `resources` (default: every table) of `company` into the warehouse, as `lac run` does."""
    options = company_options(company, resources)
    settings = source_settings(company)
    run = LacRun(settings)
    # a rejected credential names the company's setting, not the shared [sources.lac] one
    setting = "api_key" if settings["api_key"] is not None else "access_token"
    run.session.client.hints = replace(
        run.session.client.hints, credential=credential_setting(company, setting)
    )
    try:
        options.checked()  # local checks first: instant and without a request
        run.preflight()
        return run_sync(run, options)
    finally:
        run.close()


def company_pipeline(company: str) -> dlt.Pipeline:
    """`company`'s pipeline as its last load left it (for the transforms)."""
    return open_loaded_pipeline(company_options(company), attach=False)


def transform_company(company: str, sync_run_id: str | None) -> tuple[TransformResult | None, str]:
    """Build the marts from `company`'s pipeline and reconcile: (the result, the verdict).

    A failed reconciliation is an outcome here, not an error (the marts are built; the asset check
    reports it): the result is then None. `sync_run_id`, the run whose load came just before, gets
    `sync_runs.status` `reconciliation_failed` or `transform_failed` as after `lac run`.
    """
    pipeline = company_pipeline(company)
    try:
        result = run_transforms(pipeline)
    except Exception as exc:
        if sync_run_id is not None:
            status = "reconciliation_failed" if isinstance(exc, ReconciliationError) else "transform_failed"
            mark_run_status(pipeline, sync_run_id, status, str(exc))
        if isinstance(exc, ReconciliationError):
            return None, str(exc)
        raise
    return result, result.verdict
