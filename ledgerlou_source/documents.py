"""Documents the synced tables refer to, landed as files; and the `ll_documents` / `ll_landed_files` rows.

There is no list of documents: a document is known by the `document_id` of the objects that
refer to it (journal postings, invoices, inbox items, bank evidence, ...). Each resource hands
the ids it found to the run's `DocumentLander`, which lands `/v1/documents/{id}/file` (and, opt-in,
`/preview`) once per run, and across runs only when a document is not in storage with its landed
size (documents are immutable uploads: a new upload gets a new id). Downloads stream into a
temporary file and move into place when complete (`lac_connector.kit.landing`), under
`ledgerlou/<tenant>/documents/<document id>.<ext>` (`previews/` for previews).
"""

import logging
import threading
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

import dlt
import httpx
from dlt.sources import DltResource

from lac_connector.kit.errors import NotFoundError
from lac_connector.kit.http import ApiClient
from lac_connector.kit.landing import Download, LandedFile, Landing, content_disposition_filename, safe_name
from ledgerlou_source.rows import TENANT, merged_rows, to_table
from ledgerlou_source.session import LedgerLouSession

logger = logging.getLogger("lac")

DOCUMENTS = "ll_documents"
LANDED_FILES = "ll_landed_files"
FILE_ENDPOINT = "/v1/documents/{document_id}/file"
PREVIEW_ENDPOINT = "/v1/documents/{document_id}/preview"
LANDED_COLUMNS: dict[str, Any] = {
    "tenant_id": {"data_type": "text", "nullable": False},
    "kind": {"data_type": "text"},
    "source_id": {"data_type": "text"},
    "storage_path": {"data_type": "text", "nullable": False},
    "bytes": {"data_type": "bigint"},
    "sha256": {"data_type": "text"},
    "content_type": {"data_type": "text"},
    "landed_at": {"data_type": "timestamp"},
}
DOCUMENT_COLUMNS: dict[str, Any] = {
    "tenant_id": {"data_type": "text", "nullable": False},
    "document_id": {"data_type": "text", "nullable": False},
    "file_name": {"data_type": "text"},
    "content_type": {"data_type": "text"},
    "bytes": {"data_type": "bigint"},
    "sha256": {"data_type": "text"},
    "storage_path": {"data_type": "text"},
    "preview_storage_path": {"data_type": "text"},
    "preview_sha256": {"data_type": "text"},
    "landed_at": {"data_type": "timestamp"},
}


def _hints(key: tuple[str, ...], columns: dict[str, Any]) -> dict[str, Any]:
    hints = merged_rows(*key)
    hints["columns"] = {**columns, **hints["columns"]}
    return hints


FILE_TABLES = {
    DOCUMENTS: _hints((TENANT, "document_id"), DOCUMENT_COLUMNS),
    LANDED_FILES: _hints((TENANT, "storage_path"), LANDED_COLUMNS),
}


def document_resources(session: LedgerLouSession, lander: "DocumentLander") -> list[DltResource]:
    """`ll_documents`: the table the other resources land documents into, and a repair pass.

    Documents are landed by the resources that refer to them; this resource claims the download
    endpoints (so requests and rows are reported under it) and lands again the documents of
    earlier runs that are no longer in storage.
    """
    session.report.claim(DOCUMENTS, FILE_ENDPOINT, PREVIEW_ENDPOINT)

    @dlt.resource(name=DOCUMENTS, **FILE_TABLES[DOCUMENTS])
    def ll_documents() -> Iterator[Any]:
        yield from lander.repair_items()

    return [
        ll_documents().apply_hints(
            table_name=LANDED_FILES, create_table_variant=True, **FILE_TABLES[LANDED_FILES]
        )
    ]


def header_filename(headers: Mapping[str, str]) -> str | None:
    """The file name of a Content-Disposition header: RFC 5987 `filename*` first, else `filename`."""
    value = headers.get("Content-Disposition", "")
    for part in value.split(";"):
        name, _, encoded = part.strip().partition("=")
        if name.lower() == "filename*" and "''" in encoded:
            return unquote(encoded.split("''", 1)[1].strip('"'))
    return content_disposition_filename(headers)


class _HeaderCapture:
    """Hands `Landing.download` the client while keeping the response headers of its request."""

    def __init__(self, client: ApiClient) -> None:
        self._client = client
        self.headers: Mapping[str, str] = {}

    @contextmanager
    def stream(
        self, endpoint: str, params: Any = None, *, path_params: Any = None
    ) -> Iterator[httpx.Response]:
        with self._client.stream(endpoint, params, path_params=path_params) as response:
            self.headers = response.headers
            yield response


@dataclass(frozen=True)
class Landed:
    file: LandedFile
    name: str | None


class DocumentLander:
    """Lands files for one run; thread-safe bookkeeping, state kept in the dlt source state."""

    def __init__(
        self,
        session: LedgerLouSession,
        landing_url: str,
        *,
        documents: bool = True,
        previews: bool = False,
        datev: bool = True,
    ) -> None:
        self.session = session
        self.documents = documents
        self.previews = previews
        self.datev = datev
        self._landing_url = landing_url
        self._landing: Landing | None = None
        self._lock = threading.RLock()
        self._seen: set[str] = set()
        self._sizes: dict[str, int] | None = None
        self.folder = f"ledgerlou/{safe_name(session.tenant)}"

    @property
    def landing(self) -> Landing:
        with self._lock:
            if self._landing is None:
                self._landing = Landing(self._landing_url)
            return self._landing

    def _state(self) -> dict[str, Any]:
        return dlt.current.source_state().setdefault("documents", {}).setdefault(self.session.tenant, {})

    def _stored(self) -> dict[str, int]:
        """Sizes of the files under the documents and previews folders, listed once per run."""
        with self._lock:
            if self._sizes is None:
                self._sizes = {}
                for folder in ("documents", "previews"):
                    try:
                        listing = self.landing.fs.ls(
                            self.landing.full_path(f"{self.folder}/{folder}"), detail=True
                        )
                    except (FileNotFoundError, OSError):
                        continue
                    for info in listing:
                        name = str(info["name"]).rstrip("/").rsplit("/", 1)[-1]
                        self._sizes[f"{self.folder}/{folder}/{name}"] = int(info.get("size") or 0)
            return self._sizes

    def _present(self, record: Mapping[str, Any] | None) -> bool:
        return bool(record) and self._stored().get(record["storage_path"]) == record["bytes"]

    def repair_items(self) -> list[Any]:
        """Land again the documents of earlier runs that are no longer in storage with their size."""
        return self.document_items(DOCUMENTS, list(self._state()))

    def document_items(self, resource: str, document_ids: Iterable[Any]) -> list[Any]:
        """Land the documents among `document_ids` that are not in storage yet; the rows to yield."""
        if not self.documents:
            return []
        state = self._state()
        wanted = []
        with self._lock:
            for value in document_ids:
                if not isinstance(value, str | int) or isinstance(value, bool) or value == "":
                    continue
                document_id = str(value)
                if document_id in self._seen:
                    continue
                self._seen.add(document_id)
                wanted.append(document_id)
        todo = [d for d in wanted if self._needs_landing(state.get(d))]
        if not todo:
            return []
        with ThreadPoolExecutor(max_workers=self.session.concurrency) as pool:
            results = list(pool.map(self._land_document, todo))
        rows, files, missing = [], [], []
        landed_at = datetime.now(UTC)
        for document_id, result in zip(todo, results, strict=True):
            if result is None:
                missing.append(document_id)
                continue
            record = state.setdefault(document_id, {})
            for role, landed in result.items():
                record[role] = {
                    "storage_path": landed.file.storage_path,
                    "bytes": landed.file.bytes,
                    "sha256": landed.file.sha256,
                    "content_type": landed.file.content_type,
                    "name": landed.name,
                }
                files.append(
                    self._landed_row(
                        "document" if role == "file" else "document_preview",
                        document_id,
                        landed.file,
                        landed_at,
                    )
                )
            rows.append(self._document_row(document_id, record, landed_at))
        if missing:
            logger.warning(
                "%d referenced document(s) answered 404 and were not landed: %s",
                len(missing),
                ", ".join(missing[:5]),
            )
            self.session.report.note_partial(
                resource, f"{len(missing)} referenced document(s) not found (404)"
            )
            with self._lock:
                self._seen.difference_update(missing)
        return [to_table(DOCUMENTS, rows), to_table(LANDED_FILES, files)]

    def _needs_landing(self, record: Mapping[str, Any] | None) -> bool:
        record = record or {}
        if not self._present(record.get("file")):
            return True
        return self.previews and not self._present(record.get("preview"))

    def _land_document(self, document_id: str) -> dict[str, Landed] | None:
        roles = {"file": (FILE_ENDPOINT, "documents")}
        if self.previews:
            roles["preview"] = (PREVIEW_ENDPOINT, "previews")
        landed = {}
        for role, (endpoint, folder) in roles.items():
            try:
                landed[role] = self._download(
                    endpoint, {"document_id": document_id}, f"{self.folder}/{folder}", safe_name(document_id)
                )
            except NotFoundError:
                return None
        return landed

    def _download(self, endpoint: str, path_params: dict[str, str], folder: str, stem: str) -> Landed:
        capture = _HeaderCapture(self.session.client)
        job = Download(endpoint=endpoint, params={}, path_params=path_params, folder=folder, stem=stem)
        landed = self.landing.download(capture, job)  # type: ignore[arg-type]
        return Landed(landed, header_filename(capture.headers))

    def _document_row(
        self, document_id: str, record: Mapping[str, Any], landed_at: datetime
    ) -> dict[str, Any]:
        file, preview = record.get("file") or {}, record.get("preview") or {}
        return {
            TENANT: self.session.tenant,
            "document_id": document_id,
            "file_name": file.get("name"),
            "content_type": file.get("content_type"),
            "bytes": file.get("bytes"),
            "sha256": file.get("sha256"),
            "storage_path": file.get("storage_path"),
            "preview_storage_path": preview.get("storage_path"),
            "preview_sha256": preview.get("sha256"),
            "landed_at": landed_at,
        }

    def _landed_row(
        self, kind: str, source_id: str, landed: LandedFile, landed_at: datetime
    ) -> dict[str, Any]:
        return {
            TENANT: self.session.tenant,
            "kind": kind,
            "source_id": source_id,
            "storage_path": landed.storage_path,
            "bytes": landed.bytes,
            "sha256": landed.sha256,
            "content_type": landed.content_type,
            "landed_at": landed_at,
        }

    def land_export(self, endpoint: str, params: Mapping[str, Any], source_id: str) -> tuple[LandedFile, Any]:
        """Land one export file (DATEV) under `exports/`; its `ll_landed_files` item."""
        job = Download(
            endpoint=endpoint,
            params=params,
            path_params={},
            folder=f"{self.folder}/datev",
            stem=safe_name(source_id),
            default_ext=".csv",
        )
        landed = self.landing.download(self.session.client, job)
        return landed, to_table(
            LANDED_FILES, [self._landed_row("datev_export", source_id, landed, datetime.now(UTC))]
        )
