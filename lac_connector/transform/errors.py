"""Errors of the transforms (kept import-light: the `lac` command maps them to exit codes)."""

from lac_connector.kit.errors import ConnectorError


class TransformError(ConnectorError):
    """The transforms could not be built (a dbt error, or the project is missing)."""


class ReconciliationError(ConnectorError):
    """A reconciliation check (or another data test) at severity `error` failed."""
