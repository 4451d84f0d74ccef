"""Transforms: mapping discovery and the dbt project (`transforms/`), run through dlt's dbt runner."""

from lac_connector.transform.runner import ReconciliationError, TransformResult, run_transforms

__all__ = ["ReconciliationError", "TransformResult", "run_transforms"]
