"""The contract between a source and the pipeline: what `lac run` needs from any source.

A source package offers `open_run(overrides) -> SourceRun`: it resolves its settings once (with
dlt's providers, overrides from the command line winning) and opens its HTTP session without
making a request. The pipeline then calls `preflight()` before anything is written, extracts
`source()`, and after the load records `report` (per resource: endpoints claimed, notes, months
synced and skipped), `request_counts()` and `tenants()` in `sync_runs` / `sync_coverage`.
"""

from collections.abc import Mapping
from typing import Any, Protocol

from dlt.extract.source import DltSource

from lac_connector.kit.report import RunReport


class SourceRun(Protocol):
    """One run of one source."""

    name: str  # the dlt source and schema name; also the marts' `source_system` value
    report: RunReport

    def preflight(self) -> None:
        """Reach the API once; raise `ConfigError` naming the setting when it cannot work."""

    def tenants(self) -> list[str]:
        """The companies this run syncs (their keys in every table)."""

    def source(self) -> DltSource:
        """The dlt source with every resource this run may extract."""

    def request_counts(self) -> Mapping[str, int]:
        """API requests made so far, per endpoint label (as claimed in `report`)."""

    def close(self) -> None:
        """Release the HTTP session."""


class OpenRun(Protocol):
    """A source package's `open_run`."""

    def __call__(self, overrides: Mapping[str, Any] | None = None) -> SourceRun: ...
