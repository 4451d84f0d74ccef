"""Document tables (uploads, output packages, import runs) and landing of their files.

Tables (every row carries `customer_id`):

- `uploads`: `/uploads` entries, merged on (`customer_id`, `stored_filename`), with the file's
  `/ingest-status` state under `ingest` when that payload lists files by name.
- `output_packages`: `/outputs/{output_id}` detail (the list entry if the detail is empty),
  merged on (`customer_id`, `output_id`); `output_package_documents`: each package's `json`
  file, parsed, one row per package.
- `import_runs` / `import_artifacts`: `/imports/{run_id}`, merged on (`customer_id`, `run_id`).
- `landed_files`: one row per landed file, merged on (`customer_id`, `storage_path`).

The key of each list entry (`stored_filename`, `output_id`, `run_id`) is resolved by
`lac_source.list_keys` (docs/keys.md). An entry no field identifies still loads from its list
entry, keyed by a hash; its detail and files cannot be requested, which the run reports as
partial. Package and run details are fetched only for entries that are new or changed since the
last run (a hash of each list entry is kept in resource state); unchanged rows stay as loaded.
Files land through `lac_source.file_landing`: only when never landed, changed, or missing.
"""

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

import dlt
from dlt.sources import DltResource

from lac_connector.kit.changes import Changes
from lac_connector.kit.details import Details, refused
from lac_connector.kit.dispositions import DELETE_INSERT, TOMBSTONE_HINT, merged_on, tombstone
from lac_connector.kit.errors import ApiError, NotFoundError
from lac_connector.kit.keys import Keyed, Probe
from lac_connector.kit.landing import Download, LandedFile, Landing, extension_for, safe_name
from lac_connector.kit.records import fingerprint, objects
from lac_source.file_landing import (
    LANDED_FILES_COLUMNS,
    LANDED_FILES_KEY,
    FileLander,
    FileTask,
    identity_of,
    landed_row,
)
from lac_source.list_keys import (
    IMPORT_RUNS,
    INVOICES,
    OUTPUT_PACKAGES,
    UPLOADS,
    ListKeys,
)
from lac_source.session import LacSession

logger = logging.getLogger("lac")

ROLES = ("excel", "pdf", "json", "instructions")
ROLE_EXTENSIONS = {"excel": ".xlsx", "pdf": ".pdf", "json": ".json", "instructions": ".md"}
_GENERIC_KEYS = frozenset({"id", "name"})
# The fields `/ingest-status` items conventionally name their file with.
_FILENAME_FIELDS = ("filename", "stored_filename", "name")


@dataclass(frozen=True)
class LandingSettings:
    """Where files land and which kinds of files land."""

    url: str = "landing"
    outputs: bool = True
    uploads: bool = True
    import_packages: bool = True
    invoice_files: bool = False
    uploads_export: bool = False


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
                    name = first_value(item, *_FILENAME_FIELDS)
                    if name in filenames:
                        found[name] = {k: v for k, v in item.items() if k not in _FILENAME_FIELDS}
    return found


# Tables that resources route rows to besides their own, with their keys. Declared once per
# resource as table variants (`_routing`): hints carried by items would make dlt recompute every
# table's schema after each such item.
ROUTED_TABLES: dict[str, dict[str, Any]] = {
    "landed_files": {"primary_key": LANDED_FILES_KEY, "columns": LANDED_FILES_COLUMNS},
    "output_package_documents": {"primary_key": ["customer_id", "output_id"], "columns": TOMBSTONE_HINT},
    "import_artifacts": {
        "primary_key": ["customer_id", "run_id", "artifact_index"],
        "merge_key": ["customer_id", "run_id"],
        "columns": TOMBSTONE_HINT,
    },
}


def _routing(resource: DltResource, *tables: str) -> DltResource:
    for table in tables:
        hints = {"write_disposition": DELETE_INSERT, **ROUTED_TABLES[table]}
        resource.apply_hints(table_name=table, create_table_variant=True, **hints)
    return resource


def _to(table: str, row: dict[str, Any]) -> Any:
    return dlt.mark.with_table_name(row, table)


def _stale(keyed: Keyed, known: Changes) -> list[str]:
    """Keys whose rows must go (see `Keyed.stale_keys`), forgotten in `known` already."""
    stale = keyed.stale_keys(known.keys())
    known.forget(stale)
    return stale


def _note_unfetchable(session: LacSession, resource: str, customer_id: str, count: int, what: str) -> None:
    """Count the entries whose detail or files could not be requested because no field keys them."""
    if count:
        session.report.note_partial(
            resource, f"company {customer_id}: {what} of {count} entries not requested (no key to ask with)"
        )


def documents_resources(session: LacSession, keys: ListKeys, landing: LandingSettings) -> list[DltResource]:
    """`uploads`, `output_packages` and `import_runs` (with child tables and files); opt-in invoice files."""
    claim = session.report.claim
    claim("uploads", "/uploads", "/uploads/{filename}")
    claim("output_packages", "/outputs", "/outputs/{output_id}", "/outputs/{output_id}/files/{role}")
    claim("import_runs", "/imports", "/imports/{run_id}", "/import-runs/{run_id}/raw-package")
    claim("invoice_files", "/invoices/{invoice_id}/pdf", "/invoices/{invoice_id}/finvoice")
    claim("uploads_export", "/uploads/export")
    storage = Landing(landing.url)
    lander = FileLander(session, storage)

    def landed_rows(tasks: list[FileTask], resource: str, *, routed: bool = True) -> Iterator[Any]:
        """`landed_files` rows of the tasks that had to be downloaded (`routed` from another resource)."""
        landed_at = datetime.now(UTC)
        for task, landed in lander.land(tasks, resource):
            row = landed_row(task, landed, landed_at)
            yield _to("landed_files", row) if routed else row

    def file_probe(task_of: Callable[[dict[str, Any], str], FileTask]) -> Probe:
        """A probe that lands the candidate's file (the download the run needs anyway)."""
        return lambda entry, value: lander.probe(task_of(entry, value))

    def served_probe(endpoint: str, customer_id: str, parameter: str) -> Probe:
        """A probe that opens the candidate's download and closes it after the headers (landing is off)."""

        def probe(entry: dict[str, Any], value: str) -> bool:
            try:
                with session.client.stream(
                    endpoint, {"customer_id": customer_id}, path_params={parameter: value}
                ):
                    return True
            except ApiError as exc:
                if refused(exc):
                    return False
                raise

        return probe

    def upload_task(customer_id: str, entry: dict[str, Any], name: str) -> FileTask:
        download = Download(
            "/uploads/{filename}",
            {"customer_id": customer_id},
            {"filename": name},
            f"{safe_name(customer_id)}/uploads",
            safe_name(name),
            "",
        )
        return FileTask(customer_id, "upload", name, None, identity_of(entry), download)

    @dlt.resource(name="uploads", columns=TOMBSTONE_HINT, **merged_on("customer_id", "stored_filename"))
    def uploads() -> Iterator[Any]:
        """`/uploads` entries with their ingest state; the files land under `{customer}/uploads/`."""
        state = dlt.current.resource_state()
        for customer_id in session.customer_ids:
            entries = objects(session.shared_get("/uploads", customer_id), "files")
            probe = (
                file_probe(partial(upload_task, customer_id))
                if landing.uploads
                else served_probe("/uploads/{filename}", customer_id, "filename")
            )
            keyed = keys.resolve(UPLOADS, entries, customer_id, resource="uploads", probe=probe)
            listed = Changes.of(state, "listed", customer_id)
            rows = [tombstone(customer_id=customer_id, stored_filename=k) for k in _stale(keyed, listed)]
            named = [(name, entry) for name, entry, by_hash in keyed if not by_hash]
            ingest_status = session.shared_get("/ingest-status", customer_id)
            ingest = ingest_by_filename(ingest_status, {name for name, _ in named})
            for name, entry, _ in keyed:
                row = {**entry, "customer_id": customer_id, "stored_filename": name}
                if name in ingest:
                    state_of = ingest[name]
                    row["ingest"] = state_of if isinstance(state_of, dict) else {"state": state_of}
                rows.append(row)
                listed.remember(name, fingerprint(entry))
            if rows:
                yield rows
            if landing.uploads:
                tasks = [upload_task(customer_id, entry, name) for name, entry in named]
                yield from landed_rows(tasks, "uploads")
                _note_unfetchable(session, "uploads", customer_id, keyed.unresolved, "files")

    def output_detail(customer_id: str, output_id: str) -> Any:
        return session.client.get_json(
            "/outputs/{output_id}", {"customer_id": customer_id}, path_params={"output_id": output_id}
        )

    @dlt.resource(name="output_packages", columns=TOMBSTONE_HINT, **merged_on("customer_id", "output_id"))
    def output_packages() -> Iterator[Any]:
        """Output packages (detail for new or changed ones), their parsed `json` file, and their files."""
        state = dlt.current.resource_state()
        for customer_id in session.customer_ids:
            params = {"customer_id": customer_id}
            entries = objects(session.client.get_json("/outputs", params), "outputs")
            details = Details(partial(output_detail, customer_id))
            keyed = keys.resolve(
                OUTPUT_PACKAGES, entries, customer_id, resource="output_packages", probe=details.probe
            )
            known = Changes.of(state, "packages", customer_id)
            for output_id in _stale(keyed, known):
                yield tombstone(customer_id=customer_id, output_id=output_id)
                yield _to("output_package_documents", tombstone(customer_id=customer_id, output_id=output_id))
            tasks: list[FileTask] = []
            not_found: list[str] = []
            for output_id, entry, by_hash in keyed:
                entry_hash = fingerprint(entry)
                if by_hash:  # no id to ask for the detail and files with: the list entry is the row
                    if known.is_changed(output_id, entry_hash):
                        yield {**entry, "customer_id": customer_id, "output_id": output_id}
                        known.remember(output_id, entry_hash)
                    continue
                if not known.is_changed(output_id, entry_hash):
                    roles = tuple(known.extras(output_id).get("roles") or ()) or listed_roles(entry) or ROLES
                else:
                    try:
                        detail = details.get(output_id)
                    except NotFoundError:  # not remembered: retried next run
                        not_found.append(output_id)
                        yield {**entry, "customer_id": customer_id, "output_id": output_id}
                        continue
                    package = detail if isinstance(detail, dict) and detail else entry
                    yield {**package, "customer_id": customer_id, "output_id": output_id}
                    roles = listed_roles(entry) or listed_roles(package) or ROLES
                    known.remember(output_id, entry_hash, roles=list(roles))
                    if not landing.outputs and "json" in roles:
                        yield from _document_rows(
                            customer_id, output_id, _read_json_role(customer_id, output_id)
                        )
                if landing.outputs:
                    tasks += [_output_task(customer_id, output_id, entry, role) for role in roles]
            _note_not_found(customer_id, "output_packages", "package", not_found)
            _note_unfetchable(session, "output_packages", customer_id, keyed.unresolved, "detail and files")
            for task, landed in lander.land(tasks, "output_packages"):
                yield _to("landed_files", landed_row(task, landed, datetime.now(UTC)))
                if task.role == "json":
                    yield from _document_rows(customer_id, task.source_id, _load_landed_json(landed))

    def _note_not_found(customer_id: str, resource: str, what: str, ids: list[str]) -> None:
        if not ids:
            return
        logger.warning(
            "%s: company %s: %d %s detail(s) answered 404, loaded from the list entry (retried next run): %s",
            resource,
            customer_id,
            len(ids),
            what,
            ", ".join(ids),
        )
        session.report.note_partial(
            resource, f"company {customer_id}: {len(ids)} {what} detail(s) 404, retried next run"
        )

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
        yield _to("output_package_documents", {**row, "customer_id": customer_id, "output_id": output_id})

    def run_detail(customer_id: str, run_id: str) -> Any:
        return session.client.get_json(
            "/imports/{run_id}", {"customer_id": customer_id}, path_params={"run_id": run_id}
        )

    @dlt.resource(name="import_runs", columns=TOMBSTONE_HINT, **merged_on("customer_id", "run_id"))
    def import_runs() -> Iterator[Any]:
        """Import runs and `import_artifacts` (detail for new or changed runs) and their raw packages."""
        state = dlt.current.resource_state()
        for customer_id in session.customer_ids:
            params = {"customer_id": customer_id}
            entries = objects(session.client.get_json("/imports", params), "runs")
            details = Details(partial(run_detail, customer_id))
            keyed = keys.resolve(
                IMPORT_RUNS, entries, customer_id, resource="import_runs", probe=details.probe
            )
            known = Changes.of(state, "runs", customer_id)
            for run_id in _stale(keyed, known):
                yield tombstone(customer_id=customer_id, run_id=run_id)
                # a valid primary key that matches no artifact: the merge key removes the run's artifacts
                gone = tombstone(customer_id=customer_id, run_id=run_id, artifact_index=-1)
                yield _to("import_artifacts", gone)
            tasks: list[FileTask] = []
            not_found: list[str] = []
            for run_id, entry, by_hash in keyed:
                entry_hash = fingerprint(entry)
                if by_hash:  # no id to ask for the detail and package with: the list entry is the row
                    if known.is_changed(run_id, entry_hash):
                        yield {**entry, "customer_id": customer_id, "run_id": run_id}
                        known.remember(run_id, entry_hash)
                    continue
                if known.is_changed(run_id, entry_hash):
                    try:
                        detail = details.get(run_id)
                    except NotFoundError:  # not remembered: retried next run
                        not_found.append(run_id)
                        yield {**entry, "customer_id": customer_id, "run_id": run_id}
                        continue
                    detail = detail if isinstance(detail, dict) else {}
                    run = detail.get("run") if isinstance(detail.get("run"), dict) else entry
                    yield {**run, "customer_id": customer_id, "run_id": run_id}
                    artifacts = objects(detail, "artifacts")
                    if artifacts:
                        yield dlt.mark.with_table_name(
                            [
                                {**a, "customer_id": customer_id, "run_id": run_id, "artifact_index": i}
                                for i, a in enumerate(artifacts)
                            ],
                            "import_artifacts",
                        )
                    known.remember(run_id, entry_hash)
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
            _note_not_found(customer_id, "import_runs", "import run", not_found)
            _note_unfetchable(session, "import_runs", customer_id, keyed.unresolved, "detail and package")
            yield from landed_rows(tasks, "import_runs")

    def invoice_tasks(customer_id: str, entry: dict[str, Any], invoice_id: str) -> list[FileTask]:
        folder = f"{safe_name(customer_id)}/invoices"
        identity = f"entry:{fingerprint(entry)}"
        return [
            FileTask(
                customer_id,
                kind,
                invoice_id,
                role,
                identity,
                Download(
                    endpoint,
                    {"customer_id": customer_id},
                    {"invoice_id": invoice_id},
                    folder,
                    safe_name(invoice_id),
                    ext,
                ),
            )
            for kind, role, endpoint, ext in (
                ("invoice_pdf", "pdf", "/invoices/{invoice_id}/pdf", ".pdf"),
                ("invoice_finvoice", "finvoice", "/invoices/{invoice_id}/finvoice", ".xml"),
            )
        ]

    @dlt.resource(
        name="invoice_files",
        table_name="landed_files",
        **merged_on(*LANDED_FILES_KEY),
        columns=LANDED_FILES_COLUMNS,
    )
    def invoice_files() -> Iterator[Any]:
        """Each invoice's PDF and Finvoice XML under `{customer}/invoices/` (opt-in: `land_invoice_files`)."""
        for customer_id in session.customer_ids:
            entries = objects(session.shared_get("/invoices", customer_id), "invoices")
            keyed = keys.resolve(
                INVOICES,
                entries,
                customer_id,
                resource="invoice_files",
                probe=file_probe(lambda entry, iid, cid=customer_id: invoice_tasks(cid, entry, iid)[0]),
            )
            tasks = [
                task
                for iid, entry, by_hash in keyed
                if not by_hash
                for task in invoice_tasks(customer_id, entry, iid)
            ]
            yield from landed_rows(tasks, "invoice_files", routed=False)
            _note_unfetchable(session, "invoice_files", customer_id, keyed.unresolved, "files")

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
            yield from landed_rows([task], "uploads_export", routed=False)

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
