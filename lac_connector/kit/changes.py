"""Which entries of a list changed since the last run: a digest per entry key, kept in resource state.

A source lists everything each run but fetches details (or files) only for entries that are new or
whose digest (a hash of the list entry, or an advertised content hash) changed. `Changes` wraps
the state record of one list for one scope (company): a mapping from entry key to either the
digest alone or an object holding the digest under `digest_field` next to anything else worth
remembering (e.g. a package's file roles, where a file landed). dlt commits resource state with
the load, so a failed load fetches the same entries again next time.
"""

from collections.abc import Iterable, Mapping
from typing import Any


class Changes:
    """The remembered digests of one list's entries for one scope."""

    def __init__(self, records: dict[str, Any], digest_field: str = "entry") -> None:
        self.records = records
        self.digest_field = digest_field

    @classmethod
    def of(cls, state: dict[str, Any], name: str, scope: str, digest_field: str = "entry") -> "Changes":
        """The records under `state[name][scope]`, created empty when missing."""
        return cls(state.setdefault(name, {}).setdefault(scope, {}), digest_field)

    def digest(self, key: str) -> str | None:
        record = self.records.get(key)
        return record if isinstance(record, str) or record is None else record.get(self.digest_field)

    def extras(self, key: str) -> dict[str, Any]:
        """What was remembered next to the digest of `key` (empty when only the digest was)."""
        record = self.records.get(key)
        return {k: v for k, v in record.items() if k != self.digest_field} if isinstance(record, dict) else {}

    def is_changed(self, key: str, digest: str) -> bool:
        """Whether `key` is new or its digest differs from the remembered one."""
        return self.digest(key) != digest

    def changed(self, digests: Mapping[str, str]) -> list[str]:
        """The keys of `digests` that are new or changed, in its order."""
        return [key for key, digest in digests.items() if self.is_changed(key, digest)]

    def remember(self, key: str, digest: str, **extras: Any) -> None:
        self.records[key] = {self.digest_field: digest, **extras} if extras else digest

    def forget(self, keys: Iterable[str]) -> None:
        for key in keys:
            self.records.pop(key, None)

    def keys(self) -> list[str]:
        return list(self.records)
