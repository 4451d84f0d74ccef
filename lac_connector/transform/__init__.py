"""Transforms: mapping discovery and the dbt project (`transforms/`), run by dbt in-process."""

from lac_connector.transform.runner import ReconciliationError, TransformResult, run_transforms

__all__ = ["ReconciliationError", "TransformResult", "run_transforms"]
