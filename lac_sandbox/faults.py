"""The fault plan lives in `lac_connector.sandbox.faults`; re-exported for existing imports."""

from lac_connector.sandbox.faults import FaultPlan, url_key

__all__ = ["FaultPlan", "url_key"]
