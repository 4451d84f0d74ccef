"""Landing the files of list entries, each at most once per upstream change, and the `landed_files` rows.

A resource turns the entries it lists into `FileTask`s; `FileLander.land` downloads those whose
file is not current (never landed, its identity changed, or it is no longer in storage with the
landed size) and remembers each landed file in that resource's state (`landed`). A run without
upstream changes makes no download request at all. A file the API answers 404 for is skipped,
counted in one warning line and a `partial: ...` note, and tried again next run.
"""

import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import dlt

from lac_connector.kit.changes import Changes
from lac_connector.kit.details import refused
from lac_connector.kit.errors import ApiError, NotFoundError
from lac_connector.kit.landing import Download, LandedFile, Landing
from lac_connector.kit.records import fingerprint
from lac_source.session import LacSession

logger = logging.getLogger("lac")

DOWNLOAD_WORKERS = 4
LANDED_FILES_KEY = ["customer_id", "storage_path"]
LANDED_FILES_COLUMNS: dict[str, Any] = {
    "customer_id": {"data_type": "text", "nullable": False},
    "kind": {"data_type": "text"},
    "source_id": {"data_type": "text"},
    "role": {"data_type": "text"},
    "storage_path": {"data_type": "text", "nullable": False},
    "bytes": {"data_type": "bigint"},
    "sha256": {"data_type": "text"},
    "content_type": {"data_type": "text"},
    "landed_at": {"data_type": "timestamp"},
}


@dataclass(frozen=True)
class FileTask:
    """One file that should be in storage; `identity` changes whenever the upstream file may have."""

    customer_id: str
    kind: str
    source_id: str
    role: str | None
    identity: str
    download: Download

    @property
    def state_key(self) -> str:
        return f"{self.kind}|{self.source_id}|{self.role or ''}"


def advertised_sha256(meta: dict[str, Any]) -> str | None:
    """A sha256 the API lists for a file (`sha256`, `*_sha256`, or one level down), if any."""
    for key, value in meta.items():
        if key.endswith("sha256") and isinstance(value, str) and value:
            return value.lower()
    for child in meta.values():
        if isinstance(child, dict):
            for key, value in child.items():
                if key.endswith("sha256") and isinstance(value, str) and value:
                    return value.lower()
    return None


def identity_of(meta: dict[str, Any]) -> str:
    """What identifies a file's content: its advertised sha256, else a hash of its list entry."""
    sha = advertised_sha256(meta)
    return f"sha256:{sha}" if sha else f"entry:{fingerprint(meta)}"


def landed_row(task: FileTask, landed: LandedFile, landed_at: datetime) -> dict[str, Any]:
    """The `landed_files` row of a landed task."""
    return {
        "customer_id": task.customer_id,
        "kind": task.kind,
        "source_id": task.source_id,
        "role": task.role,
        "storage_path": landed.storage_path,
        "bytes": landed.bytes,
        "sha256": landed.sha256,
        "content_type": landed.content_type,
        "landed_at": landed_at,
    }


class FileLander:
    """Lands files for the resources, remembering what each landed in its own state."""

    def __init__(self, session: LacSession, landing: Landing) -> None:
        self.session = session
        self.landing = landing
        self._probed: dict[tuple[str, str], LandedFile] = {}  # landed this run by `probe`

    @staticmethod
    def records(customer_id: str) -> Changes:
        """What the current resource landed for the company: per task, the identity, path, sha256, bytes."""
        return Changes.of(dlt.current.resource_state(), "landed", customer_id, digest_field="identity")

    def is_current(self, task: FileTask, records: Changes) -> bool:
        """Whether the landed copy of `task` is still the upstream file and still in storage."""
        if records.is_changed(task.state_key, task.identity):
            return False
        landed = records.extras(task.state_key)
        return self.landing.size(landed["path"]) == landed.get("bytes")

    def probe(self, task: FileTask) -> bool:
        """Whether the API serves `task`'s file (key resolution asks this way).

        A file already current counts without a request; a served file lands now, and `land`
        does not download it again.
        """
        if self.is_current(task, self.records(task.customer_id)):
            return True
        try:
            landed = self.landing.download(self.session.client, task.download)
        except ApiError as exc:
            if refused(exc):
                return False
            raise
        self._probed[task.customer_id, task.state_key] = landed
        return True

    def land(self, tasks: list[FileTask], resource: str) -> Iterator[tuple[FileTask, LandedFile]]:
        """Download the tasks whose files are not current, concurrently, yielding in task order.

        Files the API no longer has (404) are skipped, counted in one warning line and a partial
        note on `resource`; other failures fail the run (files landed so far stay; the next run
        downloads only what is still missing).
        """
        todo = [t for t in tasks if not self.is_current(t, self.records(t.customer_id))]
        if not todo:
            return
        missing: dict[str, list[str]] = {}
        with ThreadPoolExecutor(
            max_workers=min(DOWNLOAD_WORKERS, len(todo)), thread_name_prefix="lac-land"
        ) as pool:
            for task, landed in zip(todo, pool.map(self._fetch, todo), strict=True):
                if landed is None:
                    name = f"{task.source_id} {task.role}" if task.role else task.source_id
                    missing.setdefault(task.customer_id, []).append(name)
                    continue
                self.records(task.customer_id).remember(
                    task.state_key,
                    task.identity,
                    path=landed.storage_path,
                    sha256=landed.sha256,
                    bytes=landed.bytes,
                )
                yield task, landed
        for customer_id, files in missing.items():
            logger.warning(
                "%s: company %s: %d file(s) answered 404 and were not landed (retried next run): %s",
                resource,
                customer_id,
                len(files),
                ", ".join(files),
            )
            self.session.report.note_partial(
                resource, f"company {customer_id}: {len(files)} file(s) not landed (404), retried next run"
            )

    def _fetch(self, task: FileTask) -> LandedFile | None:
        probed = self._probed.pop((task.customer_id, task.state_key), None)
        if probed is not None:
            return probed
        try:
            return self.landing.download(self.session.client, task.download)
        except NotFoundError:
            return None
