"""What a source tells the pipeline about one run: the facts behind `sync_coverage`.

Each resource claims the endpoints it requests, next to its definition
(`report.claim("invoices", "/invoices", "/invoices/{invoice_id}")`), so requests are attributed
to resources without a central table; a request no resource claimed is reported too, never
silently counted as nobody's. Resources note outcomes other than `ok` (`skipped: ...`,
`partial: ...`, `failed: ...`) and period tables count the months they synced and skipped.
"""

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

UNCLAIMED = "(unclaimed)"


@dataclass
class RunReport:
    """Thread-safe run facts of one source."""

    notes: dict[str, str] = field(default_factory=dict)
    period_counts: dict[str, list[int]] = field(default_factory=dict)  # resource -> [synced, skipped]
    endpoints: dict[str, str] = field(default_factory=dict)  # endpoint label -> resource
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def claim(self, resource: str, *endpoints: str) -> None:
        """Attribute requests to these endpoint labels to `resource` (the first claim wins)."""
        with self._lock:
            for endpoint in endpoints:
                self.endpoints.setdefault(endpoint, resource)

    def note(self, resource: str, outcome: str) -> None:
        """Set the resource's outcome (`skipped: ...`, `failed: ...`)."""
        with self._lock:
            self.notes[resource] = outcome

    def note_partial(self, resource: str, reason: str) -> None:
        """Add a reason to the resource's `partial: ...` outcome (reasons are joined with `; `)."""
        with self._lock:
            previous = self.notes.get(resource)
            self.notes[resource] = f"{previous}; {reason}" if previous else f"partial: {reason}"

    def count_periods(self, resource: str, synced: int, skipped: int) -> None:
        with self._lock:
            counts = self.period_counts.setdefault(resource, [0, 0])
            counts[0] += synced
            counts[1] += skipped

    def requests_by_resource(self, request_counts: Mapping[str, int]) -> dict[str, int]:
        """Requests per resource from the client's per-endpoint counts; unclaimed ones under `UNCLAIMED`."""
        totals: dict[str, int] = {}
        for endpoint, count in request_counts.items():
            resource = self.endpoints.get(endpoint, UNCLAIMED)
            totals[resource] = totals.get(resource, 0) + count
        return totals
