"""Finish what a killed run left behind, without loading anything twice."""

import logging
import os
from contextlib import nullcontext

import dlt

from lac_connector.pipeline.destination import load_workers

logger = logging.getLogger("lac")


def finish_pending(pipeline: dlt.Pipeline) -> bool:
    """Load packages a killed run left extracted or normalized, before extracting anew."""
    if not pipeline.has_pending_data:
        return False
    logger.info("finishing the package(s) an interrupted run left behind")
    pipeline.normalize()
    forget_unfinished_jobs(pipeline)
    pipeline.load(**load_workers(pipeline.destination.destination_name)).raise_on_failed_jobs()
    return True


def forget_unfinished_jobs(pipeline: dlt.Pipeline) -> None:
    """Remove the rows of load jobs a killed run may have committed without dlt recording it.

    dlt re-runs every job it found started but not finished. A job whose rows reached the
    destination just before the kill (DuckDB commits well before dlt notes the job done) would
    then load its rows twice: into the staging table of a delete-insert merge, which dlt does
    not deduplicate without a primary key, or into an append table. Deleting the job file's
    rows (by `_dlt_id`) first makes the re-run exact. Parquet jobs only (DuckDB's format here).
    dlt offers no public API for the started jobs of a package, hence `_get_load_storage()`.
    """
    import pyarrow.parquet as pq

    packages = pipeline._get_load_storage().normalized_packages
    for load_id in pipeline.list_normalized_load_packages():
        started = [
            job
            for job in pipeline.get_load_package_info(load_id).jobs.get("started_jobs", [])
            if job.file_path.endswith(".parquet")
            and packages.load_pending_transition(load_id, os.path.basename(job.file_path)) is None
        ]
        if not started:
            continue
        with pipeline.destination_client() as job_client:
            sql_client = getattr(job_client, "sql_client", None)
            if sql_client is None:
                continue
            for job in started:
                table = job.job_file_info.table_name
                ids = pq.read_table(job.file_path, columns=["_dlt_id"]).column(0).to_pylist()
                staging = job_client.should_load_data_to_staging_dataset(table)  # type: ignore[attr-defined]
                with sql_client.with_staging_dataset() if staging else nullcontext():
                    qualified = sql_client.make_qualified_table_name(table)
                    if not sql_client.has_dataset():
                        continue
                    for start in range(0, len(ids), 500):
                        batch = ids[start : start + 500]
                        marks = ", ".join(["%s"] * len(batch))
                        try:
                            sql = f"DELETE FROM {qualified} WHERE _dlt_id IN ({marks})"
                            sql_client.execute_sql(sql, *batch)
                        except Exception as exc:  # table not created yet: nothing to remove
                            logger.debug("nothing to remove from %s: %s", qualified, exc)
                            break
