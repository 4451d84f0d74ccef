"""Document tables (uploads, output packages, import runs) and landing of their files.

Tables (every row carries `customer_id`):

- `uploads`: `/uploads` entries, merged on (`customer_id`, `stored_filename`), with the file's
  `/ingest-status` state under `ingest` when that payload lists files by name.
- `output_packages`: `/outputs/{output_id}` detail (the list entry if the detail is empty),
  merged on (`customer_id`, `output_id`); `output_package_documents`: each package's `json`
  file, parsed, one row per package.
- `import_runs` / `import_artifacts`: `/imports/{run_id}`, merged on (`customer_id`, `run_id`).
- `landed_files`: one row per landed file, merged on (`customer_id`, `storage_path`).

Package and run details are fetched only for entries that are new or changed since the last
run (a hash of each list entry is kept in resource state); unchanged rows stay as loaded. A
file is downloaded only when it was never landed, its list entry (or advertised sha256) changed,
or it is no longer in storage with its landed size; so a run without upstream changes makes no
download request at all.
"""

import json
import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import dlt
from dlt.sources import DltResource

from lac_connector.kit.dispositions import DELETE_INSERT, merged_on
from lac_connector.kit.errors import NotFoundError
from lac_connector.kit.landing import Download, LandedFile, Landing, extension_for, safe_name
from lac_connector.kit.records import fingerprint
from lac_source.session import LacSession

logger = logging.getLogger("lac")

ROLES = ("excel", "pdf", "json", "instructions")
ROLE_EXTENSIONS = {"excel": ".xlsx", "pdf": ".pdf", "json": ".json", "instructions": ".md"}
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
_GENERIC_KEYS = frozenset({"id", "name"})


@dataclass(frozen=True)
class LandingSettings:
    """Where files land and which kinds of files land."""

    url: str = "landing"
    outputs: bool = True
    uploads: bool = True
    import_packages: bool = True
    invoice_files: bool = False
    uploads_export: bool = False


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


def first_value(item: dict[str, Any], *keys: str) -> str | None:
    """The first of `keys` present in `item`, else in one of its object children.

    Bare `id` / `name` are only looked up at the top level: nested they usually name something else.
    """
    for key in keys:
        if item.get(key) not in (None, ""):
            return str(item[key])
    for key in keys:
        if key in _GENERIC_KEYS:
            continue
        for child in item.values():
            if isinstance(child, dict) and child.get(key) not in (None, ""):
                return str(child[key])
    return None


def listed_roles(package: dict[str, Any]) -> tuple[str, ...]:
    """The spec roles a package lists (`roles`, or `files` as a list or a map by role), in spec order."""
    found: set[str] = set()
    roles = package.get("roles")
    if isinstance(roles, list):
        found.update(r for r in roles if isinstance(r, str))
    files = package.get("files")
    if isinstance(files, dict):
        found.update(files)
    elif isinstance(files, list):
        found.update(f["role"] for f in files if isinstance(f, dict) and isinstance(f.get("role"), str))
    return tuple(r for r in ROLES if r in found)


def role_meta(package: dict[str, Any], role: str) -> dict[str, Any] | None:
    """The metadata a package lists for one role's file, if any."""
    files = package.get("files")
    if isinstance(files, dict) and isinstance(files.get(role), dict):
        return files[role]
    if isinstance(files, list):
        return next((f for f in files if isinstance(f, dict) and f.get("role") == role), None)
    return None


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


def ingest_by_filename(payload: Any, filenames: set[str]) -> dict[str, Any]:
    """Per-file ingest state from `/ingest-status`, whether it maps filenames to states or lists items."""
    found: dict[str, Any] = {}
    if not isinstance(payload, dict):
        return found
    for value in payload.values():
        if isinstance(value, dict):
            found.update({k: v for k, v in value.items() if k in filenames})
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    name = first_value(item, "filename", "stored_filename", "name")
                    if name in filenames:
                        found[name] = {
                            k: v for k, v in item.items() if k not in ("filename", "stored_filename", "name")
                        }
    return found


def _landed_row(task: FileTask, landed: LandedFile, landed_at: datetime) -> dict[str, Any]:
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


# Tables that resources route rows to besides their own, with their keys. Declared once per
# resource as table variants (`_routing`): hints carried by items would make dlt recompute every
# table's schema after each such item.
ROUTED_TABLES: dict[str, dict[str, Any]] = {
    "landed_files": {"primary_key": LANDED_FILES_KEY, "columns": LANDED_FILES_COLUMNS},
    "output_package_documents": {"primary_key": ["customer_id", "output_id"]},
    "import_artifacts": {
        "primary_key": ["customer_id", "run_id", "artifact_index"],
        "merge_key": ["customer_id", "run_id"],
    },
}


def _routing(resource: DltResource, *tables: str) -> DltResource:
    for table in tables:
        hints = {"write_disposition": DELETE_INSERT, **ROUTED_TABLES[table]}
        resource.apply_hints(table_name=table, create_table_variant=True, **hints)
    return resource


def _to_landed_files(row: dict[str, Any]) -> Any:
    return dlt.mark.with_table_name(row, "landed_files")


class FileLander:
    """Lands files for one resource, remembering what it landed in that resource's state."""

    def __init__(self, session: LacSession, landing: Landing) -> None:
        self.session = session
        self.landing = landing

    def is_current(self, task: FileTask, record: dict[str, Any] | None) -> bool:
        """Whether the landed copy of `task` is still the upstream file and still in storage."""
        if not record or record.get("identity") != task.identity:
            return False
        return self.landing.size(record["path"]) == record.get("bytes")

    def land(self, tasks: list[FileTask]) -> Iterator[tuple[FileTask, LandedFile]]:
        """Download the tasks whose files are not current, concurrently, yielding in task order.

        A file the API no longer has (404) is skipped with a warning; other failures fail the run
        (files landed so far stay; the next run downloads only what is still missing).
        """
        records = dlt.current.resource_state().setdefault("landed", {})
        todo = [t for t in tasks if not self.is_current(t, records.get(t.customer_id, {}).get(t.state_key))]
        if not todo:
            return
        with ThreadPoolExecutor(
            max_workers=min(DOWNLOAD_WORKERS, len(todo)), thread_name_prefix="lac-land"
        ) as pool:
            for task, landed in zip(todo, pool.map(self._fetch, todo), strict=True):
                if landed is None:
                    continue
                records.setdefault(task.customer_id, {})[task.state_key] = {
                    "path": landed.storage_path,
                    "sha256": landed.sha256,
                    "bytes": landed.bytes,
                    "identity": task.identity,
                }
                yield task, landed

    def _fetch(self, task: FileTask) -> LandedFile | None:
        try:
            return self.landing.download(self.session.client, task.download)
        except NotFoundError as exc:
            logger.warning("skipping %s %s of %s: %s", task.kind, task.source_id, task.customer_id, exc)
            return None


def documents_resources(session: LacSession, landing: LandingSettings) -> list[DltResource]:
    """`uploads`, `output_packages` and `import_runs` (with child tables and files); opt-in invoice files."""
    claim = session.report.claim
    claim("uploads", "/uploads", "/uploads/{filename}")
    claim("output_packages", "/outputs", "/outputs/{output_id}", "/outputs/{output_id}/files/{role}")
    claim("import_runs", "/imports", "/imports/{run_id}", "/import-runs/{run_id}/raw-package")
    claim("invoice_files", "/invoices/{invoice_id}/pdf", "/invoices/{invoice_id}/finvoice")
    claim("uploads_export", "/uploads/export")
    storage = Landing(landing.url)
    lander = FileLander(session, storage)

    def landed_rows(tasks: list[FileTask], *, routed: bool = True) -> Iterator[Any]:
        """`landed_files` rows of the tasks that had to be downloaded (`routed` from another resource)."""
        landed_at = datetime.now(UTC)
        for task, landed in lander.land(tasks):
            row = _landed_row(task, landed, landed_at)
            yield _to_landed_files(row) if routed else row

    @dlt.resource(name="uploads", **merged_on("customer_id", "stored_filename"))
    def uploads() -> Iterator[Any]:
        """`/uploads` entries with their ingest state; the files land under `{customer}/uploads/`."""
        for customer_id in session.customer_ids:
            params = {"customer_id": customer_id}
            payload = session.shared_get("/uploads", customer_id) or {}
            entries = [
                (name, entry)
                for entry in payload.get("files") or []
                if isinstance(entry, dict)
                and (name := first_value(entry, "filename", "stored_filename", "name"))
            ]
            ingest = ingest_by_filename(
                session.shared_get("/ingest-status", customer_id), {n for n, _ in entries}
            )
            rows = []
            for name, entry in entries:
                row = {**entry, "customer_id": customer_id, "stored_filename": name}
                if name in ingest:
                    state = ingest[name]
                    row["ingest"] = state if isinstance(state, dict) else {"state": state}
                rows.append(row)
            if rows:
                yield rows
            if landing.uploads:
                folder = f"{safe_name(customer_id)}/uploads"
                yield from landed_rows(
                    [
                        FileTask(
                            customer_id,
                            "upload",
                            name,
                            None,
                            identity_of(entry),
                            Download(
                                "/uploads/{filename}", params, {"filename": name}, folder, safe_name(name), ""
                            ),
                        )
                        for name, entry in entries
                    ]
                )

    @dlt.resource(name="output_packages", **merged_on("customer_id", "output_id"))
    def output_packages() -> Iterator[Any]:
        """Output packages (detail for new or changed ones), their parsed `json` file, and their files."""
        seen = dlt.current.resource_state().setdefault("packages", {})
        for customer_id in session.customer_ids:
            params = {"customer_id": customer_id}
            payload = session.client.get_json("/outputs", params) or {}
            known = seen.setdefault(customer_id, {})
            tasks: list[FileTask] = []
            for entry in payload.get("outputs") or []:
                output_id = first_value(entry, "id", "output_id") if isinstance(entry, dict) else None
                if output_id is None:
                    continue
                entry_hash = fingerprint(entry)
                previous = known.get(output_id) or {}
                if previous.get("entry") == entry_hash:
                    roles = tuple(previous.get("roles") or ()) or listed_roles(entry) or ROLES
                else:
                    detail = session.client.get_json(
                        "/outputs/{output_id}", params, path_params={"output_id": output_id}
                    )
                    package = detail if isinstance(detail, dict) and detail else entry
                    yield {**package, "customer_id": customer_id, "output_id": output_id}
                    roles = listed_roles(entry) or listed_roles(package) or ROLES
                    known[output_id] = {"entry": entry_hash, "roles": list(roles)}
                    if not landing.outputs and "json" in roles:
                        yield from _document_rows(
                            customer_id, output_id, _read_json_role(customer_id, output_id)
                        )
                if landing.outputs:
                    tasks += [_output_task(customer_id, output_id, entry, role) for role in roles]
            for task, landed in lander.land(tasks):
                yield _to_landed_files(_landed_row(task, landed, datetime.now(UTC)))
                if task.role == "json":
                    yield from _document_rows(customer_id, task.source_id, _load_landed_json(landed))

    def _output_task(customer_id: str, output_id: str, entry: dict[str, Any], role: str) -> FileTask:
        meta = role_meta(entry, role)
        filename = meta.get("filename") if meta else None
        listed_ext = extension_for(filename=filename, default="") if isinstance(filename, str) else ""
        return FileTask(
            customer_id,
            "output",
            output_id,
            role,
            identity_of(meta) if meta else f"entry:{fingerprint(entry)}",
            Download(
                "/outputs/{output_id}/files/{role}",
                {"customer_id": customer_id},
                {"output_id": output_id, "role": role},
                f"{safe_name(customer_id)}/outputs/{safe_name(output_id)}",
                role,
                listed_ext or None,
                ROLE_EXTENSIONS[role],
            ),
        )

    def _read_json_role(customer_id: str, output_id: str) -> Any:
        """A package's `json` file without landing it (when `land_outputs` is off)."""
        try:
            with session.client.stream(
                "/outputs/{output_id}/files/{role}",
                {"customer_id": customer_id},
                path_params={"output_id": output_id, "role": "json"},
            ) as response:
                return json.loads(response.read())
        except (NotFoundError, ValueError) as exc:
            logger.warning("no readable json file for output package %s: %s", output_id, exc)
            return None

    def _load_landed_json(landed: LandedFile) -> Any:
        try:
            with storage.open(landed.storage_path) as handle:
                return json.load(handle)
        except ValueError as exc:
            logger.warning("output package file %s is not valid JSON: %s", landed.storage_path, exc)
            return None

    def _document_rows(customer_id: str, output_id: str, document: Any) -> Iterator[Any]:
        if document is None:
            return
        row = document if isinstance(document, dict) else {"document": document}
        row = {**row, "customer_id": customer_id, "output_id": output_id}
        yield dlt.mark.with_table_name(row, "output_package_documents")

    @dlt.resource(name="import_runs", **merged_on("customer_id", "run_id"))
    def import_runs() -> Iterator[Any]:
        """Import runs and `import_artifacts` (detail for new or changed runs) and their raw packages."""
        seen = dlt.current.resource_state().setdefault("runs", {})
        for customer_id in session.customer_ids:
            params = {"customer_id": customer_id}
            payload = session.client.get_json("/imports", params) or {}
            known = seen.setdefault(customer_id, {})
            tasks: list[FileTask] = []
            for entry in payload.get("runs") or []:
                run_id = first_value(entry, "id", "run_id") if isinstance(entry, dict) else None
                if run_id is None:
                    continue
                entry_hash = fingerprint(entry)
                if known.get(run_id) != entry_hash:
                    detail = session.client.get_json(
                        "/imports/{run_id}", params, path_params={"run_id": run_id}
                    )
                    detail = detail if isinstance(detail, dict) else {}
                    run = detail.get("run") if isinstance(detail.get("run"), dict) else entry
                    yield {**run, "customer_id": customer_id, "run_id": run_id}
                    artifacts = [a for a in detail.get("artifacts") or [] if isinstance(a, dict)]
                    if artifacts:
                        yield dlt.mark.with_table_name(
                            [
                                {**a, "customer_id": customer_id, "run_id": run_id, "artifact_index": i}
                                for i, a in enumerate(artifacts)
                            ],
                            "import_artifacts",
                        )
                    known[run_id] = entry_hash
                if landing.import_packages:
                    tasks.append(
                        FileTask(
                            customer_id,
                            "import_raw",
                            run_id,
                            "raw-package",
                            identity_of(entry),
                            Download(
                                "/import-runs/{run_id}/raw-package",
                                params,
                                {"run_id": run_id},
                                f"{safe_name(customer_id)}/imports/{safe_name(run_id)}",
                                "raw-package",
                            ),
                        )
                    )
            yield from landed_rows(tasks)

    @dlt.resource(
        name="invoice_files",
        table_name="landed_files",
        **merged_on(*LANDED_FILES_KEY),
        columns=LANDED_FILES_COLUMNS,
    )
    def invoice_files() -> Iterator[Any]:
        """Each invoice's PDF and Finvoice XML under `{customer}/invoices/` (opt-in: `land_invoice_files`)."""
        for customer_id in session.customer_ids:
            params = {"customer_id": customer_id}
            payload = session.shared_get("/invoices", customer_id) or {}
            folder = f"{safe_name(customer_id)}/invoices"
            tasks = []
            for entry in payload.get("invoices") or []:
                invoice_id = first_value(entry, "id", "invoice_id") if isinstance(entry, dict) else None
                if invoice_id is None:
                    continue
                identity = f"entry:{fingerprint(entry)}"
                for kind, role, endpoint, ext in (
                    ("invoice_pdf", "pdf", "/invoices/{invoice_id}/pdf", ".pdf"),
                    ("invoice_finvoice", "finvoice", "/invoices/{invoice_id}/finvoice", ".xml"),
                ):
                    download = Download(
                        endpoint, params, {"invoice_id": invoice_id}, folder, safe_name(invoice_id), ext
                    )
                    tasks.append(FileTask(customer_id, kind, invoice_id, role, identity, download))
            yield from landed_rows(tasks, routed=False)

    @dlt.resource(
        name="uploads_export",
        table_name="landed_files",
        **merged_on(*LANDED_FILES_KEY),
        columns=LANDED_FILES_COLUMNS,
    )
    def uploads_export() -> Iterator[Any]:
        """The zip of all uploads, `{customer}/uploads-export.zip` (opt-in: `land_uploads_export`).

        Downloaded again only when the `/uploads` listing changed since it last landed.
        """
        for customer_id in session.customer_ids:
            listing = session.shared_get("/uploads", customer_id) or {}
            download = Download(
                "/uploads/export",
                {"customer_id": customer_id},
                {},
                safe_name(customer_id),
                "uploads-export",
                ".zip",
            )
            task = FileTask(
                customer_id, "uploads_export", "uploads", None, f"listing:{fingerprint(listing)}", download
            )
            yield from landed_rows([task], routed=False)

    resources = [
        _routing(uploads(), "landed_files"),
        _routing(output_packages(), "landed_files", "output_package_documents"),
        _routing(import_runs(), "landed_files", "import_artifacts"),
    ]
    if landing.invoice_files:
        resources.append(invoice_files())
    if landing.uploads_export:
        resources.append(uploads_export())
    return resources
